"""The multivariable toolbox: Jacobian, Hessian, directional and implicit derivatives,
tangents, and checking an answer. Pure functions from SymPy expressions to result records."""

from __future__ import annotations

import random

import sympy as sp

from .calculus import differentiate, evaluate_at, natural_order
from .errors import InputError, MathError
from .results import Check, Directional, Function, Implicit, Matrix, Point, Tangent, Value


def jacobian(
    functions: tuple[Function, ...], variables: tuple[sp.Symbol, ...], point: Point | None = None
) -> Matrix:
    rows = tuple(tuple(differentiate(f.expr, v) for v in variables) for f in functions)
    return Matrix("jacobian", functions, variables, rows, point, _values(rows, point))


def hessian(
    function: Function, variables: tuple[sp.Symbol, ...], point: Point | None = None
) -> Matrix:
    first = [differentiate(function.expr, v) for v in variables]
    rows = tuple(tuple(differentiate(d, v) for v in variables) for d in first)
    values = _values(rows, point)
    if point is None:
        return Matrix("hessian", (function,), variables, rows)
    eigenvalues = _eigenvalues(rows, point)
    gradient_vanishes = all(evaluate_at(d, point).exact == 0 for d in first)
    kind = classify(eigenvalues) if gradient_vanishes else None
    return Matrix("hessian", (function,), variables, rows, point, values, eigenvalues, kind)


def classify(eigenvalues: tuple[Value, ...]) -> str:
    """The second-derivative test at a critical point."""
    signs = [sp.sign(v.approx) if abs(v.approx) > 1e-12 else 0 for v in eigenvalues]
    if 0 in signs:
        return "inconclusive"
    if all(s > 0 for s in signs):
        return "minimum"
    if all(s < 0 for s in signs):
        return "maximum"
    return "saddle"


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
    result = sp.Add(*(g * u for g, u in zip(gradient, unit)))
    value = evaluate_at(result, point) if point is not None else None
    return Directional(function, variables, direction, unit, normalize, result, point, value)


def implicit(
    lhs: sp.Expr,
    rhs: sp.Expr,
    independent: sp.Symbol,
    dependent: sp.Symbol,
    order: int = 1,
    point: Point | None = None,
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
    first = sp.simplify(-differentiate(F, independent) / F_y)
    result = first
    if order == 2:
        # d/dx (y') with y = y(x): ∂y'/∂x + ∂y'/∂y · y'
        result = sp.simplify(
            differentiate(first, independent) + differentiate(first, dependent) * first
        )
    value = evaluate_at(result, point) if point is not None else None
    return Implicit(lhs, rhs, independent, dependent, order, result, point, value)


def tangent(function: Function, point: Point) -> Tangent:
    given = dict(point)
    variables = function.variables
    if len(variables) not in (1, 2):
        raise InputError("a tangent needs a function of one variable (a line) or two (a plane)")
    missing = [v.name for v in variables if v not in given]
    if missing:
        raise InputError(f"--at gives no value for {', '.join(missing)}")
    at = {v: given[v] for v in variables}
    height = evaluate_at(function.expr, tuple(at.items())).exact
    expr = height
    for v in variables:
        slope = evaluate_at(differentiate(function.expr, v), tuple(at.items())).exact
        expr += slope * (v - at[v])
    return Tangent(
        function, tuple(at.items()), sp.expand(expr), "y" if len(variables) == 1 else "z"
    )


def check(
    function: Function, variables: tuple[sp.Symbol, ...], answer: tuple[sp.Expr, ...]
) -> Check:
    """Symbolic equivalence first; if SymPy cannot decide, numbers at random points."""
    if len(answer) != len(variables):
        raise InputError(f"--answer has {len(answer)} component(s); expected {len(variables)}")
    expected = tuple(differentiate(function.expr, v) for v in variables)
    differences = [sp.simplify(a - e) for a, e in zip(answer, expected)]
    if all(d == 0 for d in differences):
        return Check(function, variables, answer, expected, True, "symbolic")
    symbols = natural_order(
        set().union(*(a.free_symbols for a in answer), function.expr.free_symbols)
    )
    rng = random.Random(7)
    for _ in range(20):
        point = tuple((s, sp.Rational(rng.randint(-90, 90), 37)) for s in symbols)
        try:
            got = [evaluate_at(a, point).approx for a in answer]
            want = [evaluate_at(e, point).approx for e in expected]
        except (MathError, InputError):
            continue
        if any(abs(g - w) > 1e-9 * max(1, abs(w)) for g, w in zip(got, want)):
            return Check(
                function,
                variables,
                answer,
                expected,
                False,
                "numeric",
                point,
                tuple(got),
                tuple(want),
            )
    return Check(function, variables, answer, expected, True, "numeric")


def _values(rows, point: Point | None):  # type: ignore[no-untyped-def]
    if point is None:
        return None
    return tuple(tuple(evaluate_at(e, point) for e in row) for row in rows)


def _eigenvalues(rows, point: Point) -> tuple[Value, ...]:  # type: ignore[no-untyped-def]
    at = sp.Matrix([[evaluate_at(e, point).exact for e in row] for row in rows])
    values = []
    for eigenvalue, multiplicity in at.eigenvals().items():
        values += [evaluate_at(eigenvalue, ())] * multiplicity
    return tuple(sorted(values, key=lambda v: float(v.approx)))
