"""The multivariable toolbox: Jacobian, Hessian, directional and implicit derivatives,
tangents, and checking an answer. Pure functions from SymPy expressions to result records."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import sympy as sp

from .calculus import gradient_at, values_at
from .differentiation import differentiate
from .domain import EMPTY, Domain, of_expr
from .errors import InputError, MathError
from .forms import textbook_form
from .points import defined_at, derivative_at, is_special, one_sided_directional, value_at
from .results import (
    UNDECIDED,
    UNDEFINED,
    VERTICAL,
    Check,
    Directional,
    Failure,
    Function,
    Implicit,
    Matrix,
    Normal,
    Point,
    Tangent,
    Taylor,
    Value,
)
from .values import (
    as_fractions,
    decimal_form,
    given_values,
    has_decimals,
    sign_of,
    substitute,
    value_of,
)
from .variables import natural_order


def jacobian(
    functions: tuple[Function, ...],
    variables: tuple[sp.Symbol, ...],
    point: Point | None = None,
    numeric: bool | None = None,
) -> Matrix:
    rows = tuple(
        tuple(textbook_form(differentiate(f.expr, v)) for v in variables) for f in functions
    )
    if point is None:
        return Matrix("jacobian", functions, variables, rows)
    values = []
    for index, (function, row) in enumerate(zip(functions, rows)):
        outcome, _ = values_at(function, variables, point, row, numeric=numeric)
        if isinstance(outcome, Failure):
            return Matrix(
                "jacobian", functions, variables, rows, point, failure=outcome, function_index=index
            )
        values.append(outcome)
    return Matrix("jacobian", functions, variables, rows, point, tuple(values))


def hessian(
    function: Function, variables: tuple[sp.Symbol, ...], point: Point | None = None
) -> Matrix:
    first = [textbook_form(differentiate(function.expr, v)) for v in variables]
    rows = tuple(tuple(textbook_form(differentiate(d, v)) for v in variables) for d in first)
    if point is None:
        return Matrix("hessian", (function,), variables, rows)
    gradient = gradient_at(function, variables, point, first)
    if isinstance(gradient, Failure):
        return Matrix("hessian", (function,), variables, rows, point, failure=gradient)
    values = _second_partials(function, variables, point, rows)
    if isinstance(values, Failure):
        return Matrix("hessian", (function,), variables, rows, point, failure=values)
    exact = sp.Matrix([[as_fractions(v.number) for v in row] for row in values])
    decimals = any(v.precise is not None for row in values for v in row)
    eigenvalues = _eigenvalues(exact, decimals)
    critical = all(sign_of(as_fractions(v.number)) == 0 for v in gradient)
    kind = classify(inertia(exact)) if critical else None
    return Matrix("hessian", (function,), variables, rows, point, values, eigenvalues, kind)


def _second_partials(function: Function, variables, point: Point, rows):  # type: ignore[no-untyped-def]
    special = is_special(function, point)  # f is defined there: gradient_at checked it
    values = []
    for a, row in zip(variables, rows):
        values.append([])
        for b, entry in zip(variables, row):
            outcome = value_at(function, (a, b), point, entry, special)
            if isinstance(outcome, Failure):
                return outcome
            values[-1].append(outcome)
    return tuple(tuple(row) for row in values)


def inertia(matrix: sp.Matrix) -> tuple[int, int, int]:
    """(positive, negative, zero) eigenvalues of a symmetric matrix, exactly: its characteristic
    polynomial has only real roots, so Descartes' rule of signs counts them."""
    coefficients = [sign_of(c) for c in matrix.charpoly().all_coeffs()]  # λ^n first
    if None in coefficients:
        raise MathError("could not decide the signs of the Hessian's eigenvalues")
    zero = len(coefficients) - 1 - max(i for i, c in enumerate(coefficients) if c)
    nonzero = coefficients[: len(coefficients) - zero]
    positive = _sign_changes(nonzero)
    mirrored = [c * (-1) ** (len(nonzero) - 1 - i) for i, c in enumerate(nonzero)]
    return positive, _sign_changes(mirrored), zero


def _sign_changes(signs: list[int]) -> int:
    present = [s for s in signs if s]
    return sum(1 for a, b in zip(present, present[1:]) if a != b)


def classify(counts: tuple[int, int, int]) -> str:
    """The second-derivative test at a critical point, from the eigenvalues' signs: both signs
    make a saddle whatever the zeros; a zero with one sign otherwise decides nothing."""
    positive, negative, zero = counts
    if positive and negative:
        return "saddle"
    if zero:
        return "inconclusive"
    return "minimum" if positive else "maximum"


def directional(
    function: Function,
    variables: tuple[sp.Symbol, ...],
    direction: tuple[sp.Expr, ...],
    normalize: bool = True,
    point: Point | None = None,
) -> Directional:
    if len(direction) != len(variables):
        names = ", ".join(v.name for v in variables)
        raise InputError(f"--direction needs {len(variables)} components, one for each of {names}")
    length = sp.sqrt(sum(c**2 for c in direction))
    if length == 0:
        raise InputError("--direction cannot be the zero vector")
    unit = tuple(c / length for c in direction) if normalize else direction
    gradient = [differentiate(function.expr, v) for v in variables]
    result = textbook_form(sp.Add(*(g * u for g, u in zip(gradient, unit))))
    if point is None:
        return Directional(function, variables, direction, unit, normalize, result)
    parts = (function, variables, direction, unit, normalize, result, point)
    slopes = gradient_at(function, variables, point, gradient)
    if not isinstance(slopes, Failure):
        along = sp.Add(*(as_fractions(v.number) * u for v, u in zip(slopes, unit)))
        return Directional(*parts, value_of(along, has_decimals(function.domain, point)))
    outcome = one_sided_directional(function, point, unit, variables)
    if isinstance(outcome, Failure):
        return Directional(*parts, failure=outcome)
    return Directional(*parts, outcome, one_sided=slopes)


def implicit(
    lhs: sp.Expr,
    rhs: sp.Expr,
    independent: sp.Symbol,
    dependent: sp.Symbol,
    order: int = 1,
    point: Point | None = None,
    domain: Domain = EMPTY,
) -> Implicit:
    """dy/dx = -F_x / F_y for F = lhs - rhs; the second derivative differentiates that again."""
    if order not in (1, 2):
        raise InputError("implicit differentiation supports --order 1 or 2")
    F = lhs - rhs
    if not F.has(dependent):
        raise InputError(f"the equation does not contain {dependent.name}")
    F_y = differentiate(F, dependent)
    if F_y == 0:
        raise MathError(f"∂F/∂{dependent.name} is 0: the equation does not define {dependent.name}")
    first = textbook_form(-differentiate(F, independent) / F_y, thorough=True)
    result = first
    if order == 2:
        # d/dx (y') with y = y(x): ∂y'/∂x + ∂y'/∂y · y'
        result = textbook_form(
            differentiate(first, independent) + differentiate(first, dependent) * first,
            thorough=True,
        )
    g = explicit(lhs, rhs, independent, dependent)
    solved = None if g is None else Function(g, dependent.name, (independent,), domain)
    if point is None:
        return Implicit(lhs, rhs, independent, dependent, order, result, domain=domain)
    curve = Curve(F, domain, independent, dependent, solved)
    outcome = implicit_at(curve, point, result, order)
    value, failure = (None, outcome) if isinstance(outcome, Failure) else (outcome, None)
    return Implicit(
        lhs, rhs, independent, dependent, order, result, point, value, failure, domain, solved
    )


@dataclass(frozen=True)
class Curve:
    """The curve F(x, y) = 0 with what F needs, and y = g(x) where the equation says so."""

    F: sp.Expr
    domain: Domain
    x: sp.Symbol
    y: sp.Symbol
    solved: Function | None = None  # y = g(x): g, named y

    @property
    def function(self) -> Function:
        return Function(self.F, "F", (self.x, self.y), self.domain)


def explicit(lhs: sp.Expr, rhs: sp.Expr, x: sp.Symbol, y: sp.Symbol) -> sp.Expr | None:
    """g where the equation reads y = g(x) (or g(x) = y)."""
    for side, other in ((lhs, rhs), (rhs, lhs)):
        if side == y and y not in other.free_symbols:
            return other
    return None


def implicit_at(curve: Curve, point: Point, result: sp.Expr, order: int) -> Value | Failure:
    """dy/dx (or d²y/dx²) at a point of the curve F = 0, decided as deriv decides any derivative
    at a point: for y = g(x) it is g's own derivative there (a corner of |x| has none); else
    from F's partial derivatives there, which must exist with ∂F/∂y != 0, F differentiable
    (the implicit function theorem), and at a kink of F the second derivative is not decided."""
    F = curve.function
    given_values(F.expr, point)
    failure = defined_at(F, point)
    if failure is not None:
        return failure
    residual = substitute(F.expr, point)
    if sign_of(residual) != 0:
        return Failure(UNDEFINED, (curve.x,), argument=residual)
    wrt = (curve.x,) * order
    if curve.solved is not None:
        formula = differentiate(curve.solved.expr, *wrt)
        along = tuple((s, v) for s, v in point if s == curve.x)
        return derivative_at(curve.solved, wrt, along, formula)
    partials = [differentiate(F.expr, v) for v in (curve.x, curve.y)]
    slopes = gradient_at(F, (curve.x, curve.y), point, partials)
    if isinstance(slopes, Failure):
        return Failure(UNDECIDED, wrt)  # F has no derivative there: the theorem does not apply
    F_x, F_y = (as_fractions(v.number) for v in slopes)
    if sign_of(F_y) == 0 and sign_of(F_x) == 0:  # a singular point of F: the theorem is silent
        return Failure(UNDECIDED, wrt, left=F_x, right=F_y)
    if sign_of(F_y) == 0:
        return Failure(VERTICAL, (curve.x,))
    if order == 2 and is_special(F, point):
        return Failure(UNDECIDED, wrt)
    at = -F_x / F_y if order == 1 else substitute(result, point)
    value = value_of(at, has_decimals(curve.domain, point))
    return value if value is not None else Failure(UNDEFINED, wrt)


def tangent(function: Function, point: Point, normal: bool = False) -> Tangent:
    given = dict(point)
    variables = function.variables
    if len(variables) not in (1, 2):
        raise InputError("a tangent needs a function of one variable (a line) or two (a plane)")
    given_values(function.expr, point)
    at = tuple((v, given[v]) for v in variables)
    failure = defined_at(function, at)
    if failure is not None:
        return Tangent(function, at, None, "y", failure)
    slopes = gradient_at(
        function, variables, at, [differentiate(function.expr, v) for v in variables]
    )
    decimals = has_decimals(function.domain, point)
    height = substitute(function.expr, at)
    if isinstance(slopes, Failure):
        if slopes.reason == VERTICAL and len(variables) == 1:
            across = Normal("y", decimal_form(height, decimals)) if normal else None
            return Tangent(function, at, given[variables[0]], "x", slopes, across)
        return Tangent(function, at, None, "y", slopes)
    exact = [as_fractions(slope.number) for slope in slopes]
    expr = height
    for (v, a), slope in zip(at, exact):
        expr += slope * (v - as_fractions(a))
    expr = decimal_form(sp.expand(expr), decimals)
    across = normal_at(at, height, exact, decimals) if normal else None
    return Tangent(function, at, expr, "y" if len(variables) == 1 else "z", None, across)


def normal_at(at: Point, height: sp.Expr, slopes: list[sp.Expr], decimals: bool) -> Normal:
    """The normal line of a tangent line of slope m (y - f(a) = -(x - a)/m; x = a where m = 0),
    or the normal vector (f_x, f_y, -1) of a tangent plane, through the point of tangency."""
    shown = partial(decimal_form, decimals=decimals)
    if len(at) == 2:
        through = (*(shown(a) for _, a in at), shown(height))
        return Normal(vector=(*(shown(m) for m in slopes), sp.Integer(-1)), through=through)
    (variable, a), (slope,) = at[0], slopes
    if slope == 0:
        return Normal("x", shown(a))
    return Normal("y", shown(sp.expand(height - (variable - as_fractions(a)) / slope)))


def check(
    function: Function,
    variables: tuple[sp.Symbol, ...],
    answer: tuple[sp.Expr, ...],
    answer_domain: Domain | None = None,
) -> Check:
    """Is the answer f' as a function on f's domain? See equality.py for how it is decided;
    `answer_domain` is what the answer needs to be defined as typed (read from it if None)."""
    from .equality import decide

    if len(answer) != len(variables):
        raise InputError(f"--answer has {len(answer)} component(s); expected {len(variables)}")
    refuse_foreign_names(function, answer)
    if answer_domain is None:
        answer_domain = of_expr(sp.Tuple(*answer))
    expected = tuple(differentiate(function.expr, v) for v in variables)
    found = decide(function, variables, answer, answer_domain)
    shown = (function, variables, answer, expected, found.correct, found.method)
    if found.difference is None:
        return Check(*shown)
    where = found.difference
    return Check(*shown, where.point, where.answer, where.expected)


def taylor(function: Function, point: Point, order: int, steps: bool = False) -> Taylor:
    """f(a) + Σ f⁽ᵏ⁾(a)/k!·(x - a)ᵏ up to `order`; for several variables up to 2, in the
    gradient and the Hessian: f(a) + ∇f(a)·(x - a) + ½ (x - a)ᵀ H(a) (x - a)."""
    variables = function.variables
    if order < 1:
        raise InputError("--order must be at least 1")
    if len(variables) > 1 and order > 2:
        raise InputError("for several variables, --order is 1 or 2 (the gradient and Hessian)")
    given_values(function.expr, point)
    at = tuple((v, dict(point)[v]) for v in variables)
    failure = defined_at(function, at)
    if failure is not None:
        return Taylor(function, at, order, failure=failure)
    special = is_special(function, at)
    decimals = has_decimals(function.domain, point)
    shifts = [v - as_fractions(a) for v, a in at]
    terms = [substitute(function.expr, at)]
    if len(variables) > 1:  # a linear approximation needs f differentiable, not only partials
        slopes = gradient_at(
            function, variables, at, [differentiate(function.expr, v) for v in variables]
        )
        if isinstance(slopes, Failure):
            return Taylor(function, at, order, failure=slopes)
    for degree in range(1, order + 1):
        coefficients: dict[tuple, sp.Expr] = {}
        found = {
            wrt: value_at(function, wrt, at, differentiate(function.expr, *wrt), special)
            for wrt in _monomials(variables, degree)
        }
        for wrt, value in found.items():
            if isinstance(value, Failure):
                return Taylor(function, at, order, failure=value)
            crossed = found[wrt[::-1]]  # at a kink the mixed partials must agree (Clairaut)
            if degree == 2 and special and not _equal(crossed, value):
                return Taylor(function, at, order, failure=Failure(UNDECIDED, wrt))
            monomial = tuple(sorted(wrt, key=variables.index))
            share = as_fractions(value.number) / sp.factorial(degree)
            coefficients[monomial] = coefficients.get(monomial, sp.Integer(0)) + share
        terms.append(sp.Add(*(_term(c, m, variables, shifts) for m, c in coefficients.items())))
    shown = tuple(decimal_form(t, decimals) for t in terms)
    table = derivative_table(function, at, order, decimals) if steps else ()
    return Taylor(function, at, order, shown, table=table)


def _equal(a: Value | Failure, b: Value) -> bool:
    return isinstance(a, Value) and sign_of(a.number - b.number) == 0


def derivative_table(function: Function, at: Point, order: int, decimals: bool):  # type: ignore[no-untyped-def]
    """(k, f⁽ᵏ⁾(x), f⁽ᵏ⁾(a), f⁽ᵏ⁾(a)/k!) for k = 0 ... order: the table a student fills in."""
    ((x, a),) = at
    rows, formula = [], function.expr
    for k in range(order + 1):
        value = value_at(function, (x,) * k, at, formula, is_special(function, at)) if k else None
        exact = as_fractions(value.number) if value is not None else substitute(formula, at)
        shown = textbook_form(formula)
        coefficient = exact / sp.factorial(k)
        rows.append((k, shown, decimal_form(exact, decimals), decimal_form(coefficient, decimals)))
        formula = differentiate(formula, x)
    return tuple(rows)


def _term(coefficient: sp.Expr, monomial: tuple, variables, shifts) -> sp.Expr:
    """c·(x - a)ᵏ·(y - b)ʲ, the powers of (x - a) kept as textbooks write them."""
    weight = sp.Mul(*(shifts[variables.index(v)] ** monomial.count(v) for v in set(monomial)))
    if coefficient == 0 or weight == 1 or coefficient == 1:
        return coefficient * weight
    return sp.Mul(coefficient, weight, evaluate=False)


def _monomials(variables, degree: int):  # type: ignore[no-untyped-def]
    """Every ordered choice of `degree` variables: Σ over them of ∂ᵏf · Π(x_i - a_i) / k! is the
    degree-k part of the Taylor polynomial (mixed partials counted in each order)."""
    from itertools import product

    return product(variables, repeat=degree)


def refuse_foreign_names(function: Function, answer: tuple[sp.Expr, ...]) -> None:
    """An answer in a variable f does not have is a misreading, often xy for x*y."""
    from .names import looks_like_product

    own = set(function.variables)
    foreign = natural_order(set().union(*(a.free_symbols for a in answer)) - own)
    if not foreign:
        return
    name = foreign[0].name
    shown = f"{function.name}({', '.join(v.name for v in function.variables)})"
    parts = looks_like_product(name, [v.name for v in function.variables])
    hint = f"; did you mean {'*'.join(parts)}?" if parts else ""
    raise InputError(f"the answer uses {name}, which is not a variable of {shown}{hint}")


def _eigenvalues(matrix: sp.Matrix, decimals: bool) -> tuple[Value, ...]:
    values = []
    for eigenvalue, multiplicity in matrix.eigenvals().items():
        value = value_of(eigenvalue, decimals)
        if value is None:
            raise MathError("could not compute the Hessian's eigenvalues there")
        values += [value] * multiplicity
    return tuple(sorted(values, key=lambda v: float(v.approx)))
