"""The public Python API: one function per command, the command line a thin shell over it.

Each function takes the function as text, read by deriv's own parser (never run as Python), or
as a SymPy expression, and keyword options as the command line has them. An option takes the
command line's own text (`at="x=1,y=2"`, `inner=["o=-x+0.5y^2"]`) or Python values
(`at={"x": 1, "y": 2}`, `wrt=x`). Each returns a frozen result record: its SymPy objects,
`to_dict()` (the record `--format json` prints), `.latex`, `str()` (the plain text), and a
notebook display. Failures raise the errors of `chainrule_cli.errors`.

    >>> from chainrule_cli import grad
    >>> grad("3x + y").components
    (3, 1)
"""

from __future__ import annotations

import functools
import inspect
import operator
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from fractions import Fraction
from functools import reduce
from typing import Any, TypeVar, Union

import sympy as sp

from . import API, calculus
from .decimals import typed_decimals, with_decimals
from .domain import DECIMALS, EMPTY, Domain, of_expr
from .errors import InputError, InternalError, LimitExceeded, ParseError
from .limits import MAX_DERIVATIVE_ORDER
from .options import (
    given_names,
    naming,
    parse_components,
    parse_definition,
    parse_equation,
    parse_names,
    parse_point,
    parse_variable,
    parse_vector,
    split_top_level,
)
from .parser import Typed, parse, parse_name, parse_typed, parse_with_domain
from .results import (
    Analysis,
    Backprop,
    Chain,
    Check,
    Checked,
    Definition,
    Derivative,
    Directional,
    Function,
    Gradient,
    Implicit,
    Matrix,
    MatrixGradients,
    NthDerivative,
    Parametric,
    Point,
    Tangent,
    Taylor,
)
from .values import as_fractions
from .variables import natural_order, variable

Expression = Union[str, sp.Expr, int, float, Fraction]
Variables = Union[str, sp.Symbol, Iterable[Union[str, sp.Symbol]], None]
At = Union[str, Mapping[Any, Any], None]
R = TypeVar("R")

CSE_VARIABLES = 20  # larger gradients go through reverse mode, shared parts named

__all__ = list(API)  # the package lists its API, so that importing it stays light

TYPED = ("f", "fs", "outer", "inner", "curve", "equation", "answer", "direction")


def presented(api_function: Callable[..., R]) -> Callable[..., R]:
    """An API function whose result is shown with decimals where the functions it was given
    were typed with them (decimals.py): computed exactly, 0.3 as 3/10, shown as 0.3."""
    signature = inspect.signature(api_function)

    @functools.wraps(api_function)
    def call(*args: Any, **options: Any) -> R:
        result = api_function(*args, **options)
        given = signature.bind(*args, **options).arguments
        if given.get("exact") or not typed_decimals([given[n] for n in TYPED if n in given]):
            return result
        return with_decimals(result)  # type: ignore[return-value]

    return call


@presented
def diff(
    f: Expression,
    *,
    wrt: Variables = None,
    order: int | str = 1,
    at: At = None,
    name: str = "f",
    exact: bool = False,
    simplify: bool = False,
    steps: bool = False,
    check: bool = False,
) -> Derivative | Checked:
    """The derivative of f: ordinary, partial, higher (`order`) or mixed (several `wrt`).
    A name as the order ("n") gives the n-th derivative's formula, where one is known."""
    declared = declared_by(wrt, at)
    typed = read_typed(f, exact, declared)
    function = typed_function(typed, name)
    variables = read_variables(wrt, "--wrt")
    order = read_order(order)
    if isinstance(order, sp.Symbol):
        return nth(function, variables, order, at=at, steps=steps, check=check)
    if typed.wrt:  # d/dx x^2: the derivative named in the text
        if variables and variables != typed.wrt[:1]:
            raise InputError("the text says d/d" + typed.wrt[0].name + " and --wrt says otherwise")
        variables, order = typed.wrt[:1], max(order, len(typed.wrt)) if order == 1 else order
    if order < 1:
        raise InputError("--order must be at least 1")
    if order > MAX_DERIVATIVE_ORDER:
        raise LimitExceeded(f"--order is limited to {MAX_DERIVATIVE_ORDER}")
    if len(variables) > 1 and order > 1:
        raise InputError("use either --order or several --wrt, not both")
    variables = variables or (only_variable(function),)
    point = read_point(at, exact)
    result = calculus.derivative(function, variables * order, point, simplify)
    if steps:
        result = with_steps(result, as_typed(f, exact, declared), simplify)
    return verified(result, point) if check else result


def read_order(order: int | str) -> int | sp.Symbol:
    """--order 3, or a name (n) for the general n-th derivative: an integer n >= 1."""
    if isinstance(order, int):
        return order
    text = str(order).strip()
    if text.lstrip("+-").isdigit():
        return int(text)
    name = parse_variable(text, "--order")
    return sp.Symbol(name.name, integer=True, positive=True)


def nth(function: Function, variables, n: sp.Symbol, **options) -> NthDerivative:  # type: ignore[no-untyped-def]
    """The n-th derivative of f of one variable, for a symbolic n."""
    from . import nth as nth_derivatives

    unsupported = [f"--{o}" for o, given in options.items() if given]
    if unsupported:
        raise InputError(f"a symbolic --order gives a formula; {unsupported[0]} needs a number")
    if len(variables) > 1:
        raise InputError("use either --order or several --wrt, not both")
    x = variables[0] if variables else only_variable(function)
    if n.name in {v.name for v in function.variables}:
        raise InputError(f"--order {n.name}: {n.name} is a variable of the function")
    return nth_derivatives.nth_derivative(function, x, n)


@presented
def grad(
    f: Expression,
    *,
    vars: Variables = None,
    at: At = None,
    name: str = "f",
    exact: bool = False,
    simplify: bool = False,
    steps: bool = False,
    check: bool = False,
    cse: bool | None = None,
) -> Gradient | Checked:
    """The gradient of f: every first partial derivative, in the order of `vars`."""
    declared = declared_by(vars, at)
    function = read_function(f, name, exact, declared)
    order = read_variables(vars, "--vars") or function.variables
    if not order:
        raise InputError(
            f"{function.name} has no variables; name them with --vars, as in --vars x,y"
        )
    point = read_point(at, exact)
    if cse is None:
        cse = len(order) > CSE_VARIABLES
    cse = cse and not (steps or check)  # steps and --check read each component whole
    numeric = False if exact else None  # exact values on request; else numeric when large
    result = calculus.gradient(function, order, point, simplify, cse, numeric)
    if steps:
        result = with_steps(result, as_typed(f, exact, declared), simplify)
    return verified(result, point) if check else result


@presented
def chain(
    outer: Expression,
    *,
    inner: Iterable[str] | Mapping[Any, Expression] = (),
    wrt: Variables = None,
    at: At = None,
    name: str | None = None,
    exact: bool = False,
    check: bool = False,
) -> Chain | Checked:
    """The general chain rule, term by term: explicit inner functions, or an automatic
    decomposition of `outer`, checked against the direct derivative."""
    from . import chain_rule as chainrule

    declared = declared_by(wrt, at)
    pairs, domain = read_inner(inner, exact, declared)
    defined = frozenset(s.name for s, _ in pairs)
    reading: dict = {}
    outer_expr, outer_domain = read_expression(outer, exact, defined, reading, declared=declared)
    domain |= outer_domain
    if outer_expr in dict(pairs):  # chain("L", inner=[..., "L=(a-t)^2"]): L is the outer one
        top, name = outer_expr, name or outer_expr.name
        outer_expr = dict(pairs)[top]
        pairs = tuple(pair for pair in pairs if pair[0] != top)
    with naming("--name"):
        name = parse_name(name or "f")
    automatic = not pairs
    if automatic:
        taken = {s.name for s in outer_expr.free_symbols} | {name}
        outer_expr, pairs = chainrule.decompose(outer_expr, taken, reading)
        if not pairs:
            raise InputError(
                f"{name} = {outer_expr} has no composition to decompose; name the inner "
                'functions yourself, as in: deriv chain "3*g" --inner "g=2x^2"'
            )
    chainrule.check_inner_use(name, outer_expr, pairs)
    variables = read_variables(wrt, "--wrt")
    twice = [v.name for i, v in enumerate(variables) if v in variables[:i]]
    if twice:
        raise InputError(
            f"--wrt: {twice[0]} is given twice; chain shows first partial derivatives "
            "(for a second derivative use deriv diff with --wrt twice)"
        )
    inner_names = {s for s, _ in pairs}
    for v in variables:
        if v in inner_names:
            raise InputError(f"--wrt: {v.name} is an inner function; choose an input variable")
    point = read_point(at, exact)
    result = chainrule.chain_rule(name, outer_expr, pairs, variables, point, automatic, domain)
    return verified(result, point) if check else result


@presented
def jacobian(
    fs: Expression | Iterable[Expression],
    *,
    vars: Variables = None,
    at: At = None,
    name: str = "f",
    exact: bool = False,
    check: bool = False,
) -> Matrix | Checked:
    """The Jacobian of a vector function ("r cos(t), r sin(t)", or a list of expressions)."""
    from . import toolbox

    functions = read_functions(fs, name, exact, declared_by(vars, at))
    point = read_point(at, exact)
    numeric = False if exact else None  # as for grad: numeric only for many variables
    result = toolbox.jacobian(functions, variables_of(functions, vars), point, numeric)
    return verified(result, point) if check else result


@presented
def hessian(
    f: Expression,
    *,
    vars: Variables = None,
    at: At = None,
    name: str = "f",
    exact: bool = False,
    check: bool = False,
) -> Matrix | Checked:
    """The Hessian of f; at a point also its eigenvalues and the second-derivative test."""
    from . import toolbox

    function = read_function(f, name, exact, declared_by(vars, at))
    point = read_point(at, exact)
    result = toolbox.hessian(function, variables_of((function,), vars), point)
    return verified(result, point) if check else result


@presented
def directional(
    f: Expression,
    *,
    direction: str | Iterable[Expression],
    normalize: bool = True,
    vars: Variables = None,
    at: At = None,
    name: str = "f",
    exact: bool = False,
) -> Directional:
    """The directional derivative ∇f · u along `direction` (the unit vector, unless
    `normalize=False`)."""
    from . import toolbox

    function = read_function(f, name, exact, declared_by(vars, at))
    if isinstance(direction, str):
        components = parse_vector(direction, "--direction", exact)
    else:
        components = tuple(read_number(c, exact) for c in direction)
    variables = variables_of((function,), vars)
    point = read_point(at, exact)
    return toolbox.directional(function, variables, components, normalize, point)


@presented
def implicit(
    equation: str,
    *,
    wrt: str | sp.Symbol | None = None,
    dep: str | sp.Symbol | None = None,
    order: int = 1,
    at: At = None,
    exact: bool = False,
) -> Implicit:
    """dy/dx (order 1 or 2) of the curve an equation with one "=" defines."""
    from . import toolbox

    lhs, rhs, domain = parse_equation(equation, exact, declared_by(wrt, dep, at))
    names = {s.name for s in (lhs - rhs).free_symbols}
    y = read_variable(dep, "--dep") if dep else variable("y")
    if wrt:
        x = read_variable(wrt, "--wrt")
    elif "x" in names:
        x = variable("x")
    else:
        others = sorted(names - {y.name})
        if len(others) != 1:
            raise InputError("say which variable is independent with --wrt")
        x = variable(others[0])
    return toolbox.implicit(lhs, rhs, x, y, order, read_point(at, exact), domain)


@presented
def tangent(
    f: Expression, *, at: At, name: str = "f", exact: bool = False, normal: bool = False
) -> Tangent:
    """The tangent line (one variable) or plane (two) at a point; with normal=True also the
    normal line (or, for a plane, the normal vector and line)."""
    from . import toolbox

    if not at:
        raise InputError("a tangent needs a point: --at x=1 (or x=1,y=2 for a plane)")
    function = read_function(f, name, exact, declared_by(at))
    return toolbox.tangent(function, read_point(at, exact), normal)


@presented
def parametric(
    curve: Expression | Iterable[Expression],
    *,
    param: str | sp.Symbol | None = None,
    at: At = None,
    polar: bool = False,
    exact: bool = False,
) -> Parametric:
    """dy/dx and d²y/dx² of the curve "x(t), y(t)" (with polar=True, of r = r(θ), as
    x = r cos θ, y = r sin θ); at a parameter value also the point, the slope and the tangent."""
    from . import curves

    parts = read_functions(curve, "x", exact, declared_by(param, at))
    if polar and len(parts) != 1:
        raise InputError("--polar takes one expression, r(θ)")
    if not polar and len(parts) != 2:
        raise InputError('a parametric curve is two expressions, "x(t), y(t)"')
    names = set().union(*(p.variables for p in parts))
    if param:
        t = read_variable(param, "--param")
    elif len(names) == 1:
        (t,) = names
    else:
        others = ", ".join(sorted(s.name for s in names))
        raise InputError(
            f"say which variable is the parameter with --param ({others or 'none found'})"
        )
    if names - {t}:
        others = ", ".join(sorted(s.name for s in names - {t}))
        raise InputError(f"the curve has variables besides its parameter {t.name}: {others}")
    radius = None
    if polar:
        radius = Function(parts[0].expr, "r", (t,), parts[0].domain)
        x, y = curves.polar(radius, t)
    else:
        x, y = (Function(p.expr, n, (t,), p.domain) for p, n in zip(parts, "xy"))
    return curves.parametric(x, y, t, read_point(at, exact), radius)


@presented
def taylor(
    f: Expression,
    *,
    at: At = None,
    order: int = 2,
    name: str = "f",
    exact: bool = False,
    steps: bool = False,
) -> Taylor:
    """The Taylor polynomial of f at a point (default: every variable 0, the Maclaurin
    polynomial); order 1 is the linear approximation. Several variables: order 1 or 2. With
    steps, the table of f's derivatives at the point (one variable)."""
    from . import toolbox

    function = read_function(f, name, exact, declared_by(at))
    if steps and len(function.variables) != 1:
        raise InputError("--steps: the table of derivatives is for a function of one variable")
    point = read_point(at, exact) or ()
    given = {s for s, _ in point}
    point += tuple((v, sp.Integer(0)) for v in function.variables if v not in given)
    return toolbox.taylor(function, point, order, steps)


@presented
def analyze(
    f: Expression,
    *,
    on: str | tuple[Expression, Expression] | None = None,
    name: str = "f",
    exact: bool = False,
) -> Analysis:
    """What f' and f'' tell about f of one variable: domain, critical points, intervals of
    increase and decrease, local extrema and the test that decided each, concavity, inflection
    points, asymptotes; with on="a:b" (or (a, b)) on the closed interval, with its absolute
    extrema. A periodic f is studied over one period."""
    from . import analysis

    function = read_function(f, name, exact)
    x = single_variable(function, "deriv analyze")
    return analysis.analyze(function, x, read_interval(on, exact))


@presented
def definition(f: Expression, *, name: str = "f", exact: bool = False) -> Definition:
    """f' from the definition lim_{h -> 0} (f(x + h) - f(x))/h, step by step, for polynomials,
    rational functions, square roots of polynomials, sin and cos; for any other f the rules'
    answer, marked so (family "rules", no steps)."""
    from . import first_principles

    function = read_function(f, name, exact)
    x = single_variable(function, "deriv definition")
    return first_principles.from_definition(function, x)


def single_variable(function: Function, command: str) -> sp.Symbol:
    if len(function.variables) != 1:
        found = ", ".join(v.name for v in function.variables) or "none"
        raise InputError(f"{command} takes a function of one variable (variables: {found})")
    return function.variables[0]


def read_end(part: Expression, exact: bool, on: object, offset: int) -> sp.Expr:
    """One end of --on a:b; a syntax error points into the whole text, as --at's do."""
    if not isinstance(on, str):
        return read_number(part, exact)
    try:
        return read_number(part, exact)
    except ParseError as error:
        message = f"--on: {error.message}"
        raise ParseError(message, on, error.start + offset, error.end + offset) from None


def read_interval(
    on: str | tuple[Expression, Expression] | None, exact: bool
) -> tuple[sp.Expr, sp.Expr] | None:
    """--on a:b, as text ("0:2*pi") or a pair: two real numbers, a < b."""
    if on is None:
        return None
    if isinstance(on, str):
        parts = on.split(":")
        if len(parts) != 2 or not all(p.strip() for p in parts):
            raise InputError(f"--on takes an interval a:b, as 0:2*pi, not {on!r}")
    else:
        parts = list(on)
        if len(parts) != 2:
            raise InputError("on takes an interval as two numbers (a, b)")
    offsets = (0, len(str(parts[0])) + 1)
    ends = tuple(read_end(p, exact, on, offset) for p, offset in zip(parts, offsets))
    for end in ends:
        if end.free_symbols or end.is_extended_real is not True or end.is_finite is not True:
            raise InputError(f"--on: the ends of the interval must be real numbers, not {end}")
    if (ends[1] - ends[0]).is_positive is not True:
        raise InputError(f"--on a:b needs a < b, not {ends[0]}:{ends[1]}")
    return ends  # type: ignore[return-value]


@presented
def check(
    f: Expression,
    *,
    answer: str | Expression | Iterable[Expression],
    wrt: Variables = None,
    name: str = "f",
    exact: bool = False,
) -> Check:
    """Is `answer` the derivative (or, with several components, the gradient) of f?"""
    from . import toolbox

    function = read_function(f, name, exact, declared_by(wrt))
    if isinstance(answer, str):
        read = parse_components(answer, "--answer", exact)
    elif isinstance(answer, Iterable):
        read = tuple(read_expression(a, exact) for a in answer)
    else:
        read = (read_expression(answer, exact),)
    answers = tuple(expr for expr, _ in read)
    answer_domain = reduce(operator.or_, (domain for _, domain in read), EMPTY)
    variables = read_variables(wrt, "--wrt")
    if not variables:
        if len(answers) != len(function.variables) and not (
            len(answers) == 1 and len(function.variables) == 1
        ):
            raise InputError(
                "say which derivative the answer is with --wrt, or give every component"
            )
        variables = function.variables
    return toolbox.check(function, variables, answers, answer_domain)


@presented
def backprop(f: Expression, *, at: At = None, name: str = "f", exact: bool = False) -> Backprop:
    """Backpropagation through f's computational graph, as written: 0.5(-x + y) stays a
    product of 0.5 and a sum. Each node's value, local derivatives and gradient."""
    from . import backward as engine

    with naming("--name"):
        name = parse_name(name)
    expr, domain = read_expression(f, exact, literal=True, declared=declared_by(at))
    function = calculus.function_of(expr, domain, name)
    return engine.backprop(function, read_point(at, exact))


def matrix(
    f: str,
    *,
    wrt: Variables,
    matrices: Variables = None,
    vectors: Variables = None,
    shapes: str | None = None,
    name: str = "f",
    layout: str = "numerator",
    at: str | Mapping[str, Any] | None = None,
    steps: bool = False,
    cse: bool = False,
    check: bool = False,
) -> MatrixGradients:
    """The gradient of a scalar function of vectors and matrices by each of `wrt`, in matrix
    form (∂‖Wx - y‖²/∂W = 2(Wx - y)xᵀ), or the Jacobian of a vector function by a vector (in
    `layout`: "numerator", len(f) × len(x), or "denominator", its transpose), each checked entry
    by entry before it is returned. `at` evaluates them at numeric matrices, `steps` records the
    differential rule by rule, `cse` names the parts the results share (c0 = ...). Names not
    declared follow the convention: capitals are matrices, h-z vectors."""
    from . import matrix_calculus
    from .matrix_parser import Kinds, conventional_kinds, parse_matrix_typed

    with naming("--name"):
        name = parse_name(name)
    declared = Kinds(
        frozenset(v.name for v in _declared(matrices, "--matrix")),
        frozenset(v.name for v in _declared(vectors, "--vector")),
        read_shapes(shapes),
    )
    kinds = conventional_kinds(f, declared)
    expr, typed = parse_matrix_typed(f, kinds)  # typed: what f needs as typed (xᵀx/‖x‖ is ‖x‖)
    symbols = {m.name: m for m in sp.Tuple(expr).atoms(sp.MatrixSymbol)}
    scalars = {s.name for s in matrix_calculus.scalar_names(expr)}
    chosen = [v.name for v in read_variables(wrt, "--wrt") or ()]
    if not chosen:
        raise InputError("say which vector or matrix to differentiate by: --wrt W")
    for wanted in chosen:
        if wanted not in symbols:
            kind = "a scalar" if wanted in scalars else "not in f"
            raise InputError(
                f"--wrt {wanted}: it is {kind}; deriv matrix differentiates by a "
                "vector or matrix (declare it with --vector or --matrix)"
            )
    by = tuple(symbols[w] for w in chosen)
    if layout not in ("numerator", "denominator"):
        raise InputError(f"--layout: numerator or denominator, not {layout!r}")
    _differentiable(expr, by, symbols.keys() | scalars)
    try:
        gradients, worst, sizes = _derived_and_checked(f, kinds, expr, by, layout)
    except ValueError as failure:  # an operation the rules do not cover yet
        raise InputError(f"deriv matrix cannot differentiate this yet: {failure}") from None
    except matrix_calculus.Singular:
        raise InputError(
            "f has no value at any of five random points, so its derivative cannot be "
            "checked (is it defined anywhere, such as logdet of a singular matrix?)"
        ) from None
    named = sorted(
        [(n, "matrix") for n in kinds.matrices if n in symbols]
        + [(n, "vector") for n in kinds.vectors if n in symbols]
        + [(n, "scalar") for n in scalars]
    )
    result = MatrixGradients(
        expr, name, tuple(named), by, gradients, worst, sizes, layout, show_check=check
    )
    if steps:
        numerator = [g if layout == "numerator" else sp.Transpose(g).doit() for g in gradients]
        derivations = tuple(matrix_calculus.derivation(expr, s, g) for s, g in zip(by, numerator))
        result = replace(result, steps=derivations)
    if at is not None:
        from .matrix_points import matrix_at

        result = matrix_at(result, read_matrix_point(at), _has_decimals(at), typed)
    if cse:  # last: the values and steps above read each result whole
        from .matrix_shared import shared

        definitions, named = shared(result.gradients, symbols.keys() | scalars)
        for symbol, found in zip(by, named):  # the names put back, checked like the rest
            for name, part in reversed(definitions):
                found = found.xreplace({name: part})
            error = matrix_calculus.random_mismatch(expr, symbol, found, layout=layout)
            if not float(error) < matrix_calculus.TOLERANCE:
                raise InternalError(f"--cse changed the derivative by {symbol.name}")
        result = replace(result, gradients=named, definitions=definitions)
    return result


def read_matrix_point(at: str | Mapping[str, Any]) -> dict[str, sp.Expr]:
    """--at "W=[[1,2],[3,4]],x=[1,1]", or {"W": [[1, 2], [3, 4]], "x": [1, 1]}."""
    from .options import parse_matrix_point

    if isinstance(at, str):  # decimals read exactly, 0.1 as 1/10, and shown as decimals
        return dict(parse_matrix_point(at, exact=True))
    given = {}
    for key, value in at.items():
        if isinstance(value, (list, tuple, sp.MatrixBase)) or hasattr(value, "tolist"):
            rows = value.tolist() if hasattr(value, "tolist") else value
            entries = sp.Matrix(rows)
            given[str(key)] = sp.ImmutableMatrix(entries.applyfunc(lambda e: read_number(e, True)))
        else:
            given[str(key)] = read_number(value, True)
    return given


def _has_decimals(at: str | Mapping[str, Any]) -> bool:
    """0.5 in --at (or a float in a mapping): the values are shown as decimals."""
    if isinstance(at, str):
        return bool(re.search(r"\d\.|\.\d", at))
    return any(
        isinstance(e, (float, sp.Float)) or (isinstance(e, str) and _has_decimals(e))
        for v in at.values()
        for e in _entries(v)
    )


def _entries(value: Any) -> Iterable[Any]:
    """The numbers of a value given in a mapping: itself, or each entry of a (nested) list,
    a tuple, a SymPy or NumPy matrix."""
    value = value.tolist() if hasattr(value, "tolist") else value
    if isinstance(value, (list, tuple, sp.MatrixBase)):
        for item in value:
            yield from _entries(item)
    else:
        yield value


def _derived_and_checked(f: str, kinds, expr: sp.Expr, by: tuple, layout: str):  # type: ignore[no-untyped-def]
    """The results and their check. With sizes declared (--shape W=784x128), the same f is
    derived with every size a symbol and checked at small sizes, which are enough for a
    formula that holds at every size, then the declared sizes are put in: a check at 784×128
    would take hours."""
    from dataclasses import replace as with_fields

    from . import matrix_calculus
    from .errors import DerivError
    from .matrix_parser import parse_matrix

    declared = [n for shape in kinds.shapes.values() for n in shape]
    if declared and min(declared) > 1:
        try:
            generic = parse_matrix(f, with_fields(kinds, shapes={}))
        except DerivError:
            generic = None
        sizes = _sizes_between(generic, expr) if generic is not None else None
        if sizes is not None:
            renamed = {s.subs(sizes): s for s in generic.atoms(sp.MatrixSymbol)}
            wrt = tuple(renamed[s] for s in by)
            found, worst, checked = matrix_calculus.checked_gradients(generic, wrt, layout)
            return tuple(g.subs(sizes) for g in found), worst, checked
    return matrix_calculus.checked_gradients(expr, by, layout)


def _sizes_between(generic: sp.Expr, declared: sp.Expr) -> dict | None:
    """{n: 784, m: 128}: the declared size of each size symbol of generic, matrix by matrix;
    None when they are not the same expression with those sizes."""
    of = {m.name: m for m in declared.atoms(sp.MatrixSymbol)}
    sizes: dict = {}
    for matrix in generic.atoms(sp.MatrixSymbol):
        for size, value in zip(matrix.shape, of[matrix.name].shape):
            if isinstance(size, sp.Symbol):
                if sizes.setdefault(size, value) != value:
                    return None
            elif size != value:
                return None
    sizes = {k: v for k, v in sizes.items() if isinstance(v, (int, sp.Integer))}  # declared ones
    return sizes if generic.subs(sizes) == declared else None


def _differentiable(expr: sp.Expr, by: tuple[sp.MatrixSymbol, ...], names: set[str]) -> None:
    """A scalar f by anything, or a vector f by vectors: what deriv matrix gives."""
    rows, cols = getattr(expr, "shape", (1, 1))
    if (rows, cols) == (1, 1):
        return
    if cols == 1:
        for symbol in by:
            if symbol.shape[1] != 1:
                raise InputError(
                    f"∂f/∂{symbol.name} of a vector f by a matrix is a third-order tensor; "
                    f"deriv matrix gives gradients of scalars and Jacobians of vectors by "
                    f"vectors: differentiate a scalar loss of f, such as norm(f - y)^2"
                )
        return
    shown = ", ".join(sorted(names))
    raise InputError(
        f"f must be a scalar (for a gradient) or a column vector (for a Jacobian); it is "
        f"{rows}x{cols} (the names read: {shown}; write x' A x with spaces where letters are "
        f"separate names)"
    )


def _declared(names: Variables, option: str) -> tuple[sp.Symbol, ...]:
    """--matrix A,W or --vector x,b: names separated by commas (or a list of them)."""
    if isinstance(names, str):
        return parse_names(names, option)
    return read_variables(names, option)


def read_shapes(text: str | None) -> dict[str, tuple[int, int]]:
    """--shape W=3x2,x=3: a matrix's rows x columns, a vector's length."""
    found: dict[str, tuple[int, int]] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, size = part.partition("=")
        numbers = size.strip().lower().replace("×", "x").split("x")
        whole = all(n.strip().isdigit() and int(n) > 0 for n in numbers)
        if not sep or not whole or len(numbers) > 2:
            raise InputError(f"--shape: write W=3x2 for a matrix, x=3 for a vector, not {part!r}")
        rows, cols = (int(numbers[0]), int(numbers[1]) if len(numbers) == 2 else 1)
        found[name.strip()] = (rows, cols)
    return found


# What each function returns, for the command line's check of formats before it computes.
RESULTS = {
    diff: Derivative,
    grad: Gradient,
    chain: Chain,
    jacobian: Matrix,
    hessian: Matrix,
    directional: Directional,
    implicit: Implicit,
    tangent: Tangent,
    taylor: Taylor,
    parametric: Parametric,
    analyze: Analysis,
    definition: Definition,
    check: Check,
    backprop: Backprop,
    matrix: MatrixGradients,
}


# Reading the arguments: text through deriv's parser, SymPy objects and Python numbers as
# they are.


def read_object(f: Expression, exact: bool) -> tuple[sp.Expr, Domain]:
    """A SymPy object or a Python number as a function: its decimals (0.5*x**2) read as the
    exact fractions they are, as the parser reads typed ones, and shown as decimals."""
    expr = read_number(f, exact)
    typed = DECIMALS if expr.has(sp.Float) and not exact else EMPTY
    expr = as_fractions(expr)
    return expr, of_expr(expr) | typed


def read_expression(
    f: Expression,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    reading: dict | None = None,
    literal: bool = False,
    declared: frozenset[str] = frozenset(),
) -> tuple[sp.Expr, Domain]:
    """An expression and what it needs to be defined; SymPy's symbols become real variables.
    `declared` names stay names (see declared_by)."""
    if isinstance(f, str):
        return parse_with_domain(
            f, exact=exact, defined=defined, literal=literal, reading=reading, declared=declared
        )
    return read_object(f, exact)


def read_number(value: Expression, exact: bool = False) -> sp.Expr:
    """A SymPy object, a Python number, or text, as a SymPy expression of real variables."""
    if isinstance(value, str):
        return parse(value, exact=exact)
    if isinstance(value, bool):
        raise InputError(f"expected an expression or a number, not {value!r}")
    if isinstance(value, int):
        return sp.Integer(value)
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, float):
        return sp.Rational(repr(value)) if exact else sp.Float(repr(value), 15)
    if isinstance(value, sp.Basic):
        return value.xreplace({s: variable(s.name) for s in value.free_symbols})
    raise InputError(f"expected an expression or a number, not {type(value).__name__}")


def read_typed(f: Expression, exact: bool = False, declared: frozenset[str] = frozenset()) -> Typed:
    """A function as typed, with its name (`f(x) = ...`) and d/dx if the text has them."""
    if isinstance(f, str):
        return parse_typed(f, exact=exact, declared=declared)
    return Typed(*read_object(f, exact))


def typed_function(typed: Typed, name: str = "f") -> Function:
    """The Function a typed text defines: named as typed unless `name` says otherwise, its
    variables in the order `f(y, x) = ...` lists them."""
    with naming("--name"):
        name = parse_name(typed.name if typed.name and name == "f" else name)
    function = calculus.function_of(typed.expr, typed.domain, name)
    if typed.arguments:
        return replace(function, variables=typed.arguments)
    return function


def read_function(
    f: Expression, name: str = "f", exact: bool = False, declared: frozenset[str] = frozenset()
) -> Function:
    typed = read_typed(f, exact, declared)
    if typed.wrt:
        raise InputError("d/dx before the function is for deriv diff; here write the function")
    return typed_function(typed, name)


def read_functions(  # type: ignore[no-untyped-def]
    fs: Expression | Iterable[Expression],
    name: str,
    exact: bool,
    declared: frozenset[str] = frozenset(),
):
    """`f1, f2, ...`: the components of a vector function, named f1, f2, ... in labels."""
    if isinstance(fs, str):
        parsed = []
        for start, end in split_top_level(fs):
            try:
                parsed.append(parse_with_domain(fs[start:end], exact=exact, declared=declared))
            except ParseError as error:
                raise ParseError(
                    error.message, fs, error.start + start, error.end + start
                ) from None
    elif isinstance(fs, Iterable) and not isinstance(fs, sp.Basic):
        parsed = [read_expression(f, exact, declared=declared) for f in fs]
    else:
        parsed = [read_expression(fs, exact, declared=declared)]
    if len(parsed) == 1:
        return (calculus.function_of(*parsed[0], name),)
    return tuple(
        calculus.function_of(e, domain, f"{name}{i}") for i, (e, domain) in enumerate(parsed, 1)
    )


def read_variable(v: str | sp.Symbol, option: str) -> sp.Symbol:
    return variable(v.name) if isinstance(v, sp.Symbol) else parse_variable(v, option)


def read_variables(vs: Variables, option: str) -> tuple[sp.Symbol, ...]:
    """`"x"`, `"y,x"` (with --vars), a Symbol, or a list of either."""
    if vs is None:
        return ()
    if isinstance(vs, str):
        return parse_names(vs, option) if option == "--vars" else (parse_variable(vs, option),)
    if isinstance(vs, sp.Symbol):
        return (variable(vs.name),)
    return tuple(read_variable(v, option) for v in vs)


def read_point(at: At, exact: bool = False) -> Point | None:
    """`"x=1,y=2"`, or a mapping of names or Symbols to numbers, SymPy objects or text."""
    if at is None:
        return None
    if isinstance(at, str):
        return parse_point(at, exact=exact) if at else None
    point = []
    for key, value in at.items():
        symbol = read_variable(key, "--at")
        number = read_number(value, exact)
        if number.free_symbols:
            raise InputError(f"--at: the value of {symbol.name} must be a number")
        point.append((symbol, number))
    return tuple(point)


def read_inner(  # type: ignore[no-untyped-def]
    inner: Iterable[str] | Mapping[Any, Expression],
    exact: bool,
    declared: frozenset[str] = frozenset(),
):
    """Inner functions as `--inner` gives them (["g=2x^2"]) or as a mapping ({"g": "2x^2"}),
    and what they need; a name defined twice is an error."""
    if isinstance(inner, Mapping):
        defined = frozenset(read_variable(k, "--inner").name for k in inner)
        parsed = [
            (read_variable(k, "--inner"), *read_expression(v, exact, defined, declared=declared))
            for k, v in inner.items()
        ]
    else:
        texts = list(inner)
        defined = frozenset(parse_definition(t, exact, frozenset())[0].name for t in texts)
        parsed = [parse_definition(t, exact, defined, declared) for t in texts]
    seen: set[sp.Symbol] = set()
    domain = EMPTY
    for symbol, _, needs in parsed:
        if symbol in seen:
            raise InputError(f"--inner: {symbol.name} is defined twice")
        seen.add(symbol)
        domain |= needs
    return tuple((symbol, expr) for symbol, expr, _ in parsed), domain


def only_variable(function: Function) -> sp.Symbol:
    names = [v.name for v in function.variables]
    if len(names) == 1:
        return function.variables[0]
    if not names:
        raise InputError(
            f"{function.name} has no variables; say which one with --wrt, as in --wrt x"
        )
    raise InputError(
        f"{function.name} has several variables ({', '.join(names)}); choose one with --wrt "
        f"(e.g. --wrt {names[0]}), or use 'deriv grad' for all partial derivatives"
    )


def variables_of(functions, variables: Variables):  # type: ignore[no-untyped-def]
    chosen = read_variables(variables, "--vars")
    if chosen:
        return chosen
    found = natural_order(set().union(*(f.variables for f in functions)))
    if not found:
        raise InputError("the function has no variables; name them with --vars, as in --vars x,y")
    return found


def as_typed(f: Expression, exact: bool, declared: frozenset[str] = frozenset()) -> sp.Expr:
    """The function as written, products unmerged (2^x·3^x stays two exponentials): what
    `steps` derives, so that its rules follow what was typed."""
    if isinstance(f, str):
        return parse(f, exact=exact, literal=True, declared=declared)
    return read_object(f, exact)[0]


def declared_by(*options: object) -> frozenset[str]:
    """The variables options name (--wrt, --vars, --param, --dep, the names of --at): each
    stays one name in f, never read as a function glued to its argument (--wrt sinx)."""
    names: set[str] = set()
    for option in options:
        if isinstance(option, str):
            names |= given_names(option)
        elif isinstance(option, sp.Symbol):
            names.add(option.name)
        elif isinstance(option, Mapping):
            names |= declared_by(*option.keys())
        elif isinstance(option, Iterable) and not isinstance(option, sp.Basic):
            names |= declared_by(*option)
    return frozenset(names)


def with_steps(result, typed: sp.Expr, simplify: bool = False):  # type: ignore[no-untyped-def]
    """The rule-by-rule derivation of each differentiation (diff) or component (grad)."""
    from .steps import derivation

    if isinstance(result, Derivative):
        expr, derivations = typed, []
        for v in result.wrt:
            derivations.append(derivation(expr, v, simplify))
            expr = derivations[-1].final
        return replace(result, steps=tuple(derivations), result=expr)
    steps = tuple(derivation(typed, v, simplify) for v in result.variables)
    return replace(result, steps=steps, components=tuple(d.final for d in steps))


def verified(result, point: Point | None):  # type: ignore[no-untyped-def]
    """The result with its check by numerical differentiation (`check=True`, `--check`)."""
    from .verify import check as numerically

    return numerically(result, point)
