"""The calculus core: pure functions from SymPy expressions to result records."""

from __future__ import annotations

import re

import sympy as sp

from .errors import InputError, LimitExceeded, UndefinedAt
from .limits import MAX_VARIABLES
from .results import Derivative, Function, Gradient, Point, Value


def natural_order(symbols: object) -> tuple[sp.Symbol, ...]:
    """x, y, z first; then alphabetical, with numbers in names compared as numbers (x2 < x10)."""
    return tuple(sorted(symbols, key=_natural_key))  # type: ignore[arg-type]


def _natural_key(symbol: sp.Symbol) -> tuple:
    name = symbol.name
    first = "xyz".index(name) if name in ("x", "y", "z") else 3
    parts = re.split(r"(\d+)", name)
    return (first, [int(p) if p.isdigit() else p for p in parts])


def function_of(expr: sp.Expr, name: str = "f") -> Function:
    if len(expr.free_symbols) > MAX_VARIABLES:
        raise LimitExceeded(f"too many variables: over {MAX_VARIABLES}")
    return Function(expr=expr, name=name, variables=natural_order(expr.free_symbols))


POLYNOMIAL_ROUTE_TERMS = 50  # long sums that are polynomials go through sympy.Poly


def differentiate(expr: sp.Expr, *wrt: sp.Symbol) -> sp.Expr:
    """d/d wrt[-1] ... d/d wrt[0] of expr.

    A long polynomial goes through SymPy's Poly (ten times faster on 1000 terms); any other sum
    is differentiated term by term, which SymPy also does faster than the whole sum at once.
    """
    for variable in wrt:
        if expr.is_Add and len(expr.args) > POLYNOMIAL_ROUTE_TERMS and expr.is_polynomial(variable):
            expr = sp.Poly(expr, variable).diff(variable).as_expr()
        elif expr.is_Add:
            expr = sp.Add(*(sp.diff(term, variable) for term in expr.args))
        else:
            expr = sp.diff(expr, variable)
    return expr


def derivative(
    function: Function,
    wrt: tuple[sp.Symbol, ...],
    point: Point | None = None,
    simplify: bool = False,
) -> Derivative:
    result = tidy(differentiate(function.expr, *wrt), simplify)
    value = evaluate_at(result, point, wrt) if point is not None else None
    return Derivative(function=function, wrt=wrt, result=result, point=point, value=value)


def gradient(
    function: Function,
    variables: tuple[sp.Symbol, ...] | None = None,
    point: Point | None = None,
    simplify: bool = False,
    cse: bool = False,
) -> Gradient:
    variables = variables or function.variables
    definitions: tuple = ()
    if cse:
        from .backprop import reverse_gradient

        program = reverse_gradient(function.expr, variables)
        definitions, components = program.definitions, program.components
    else:
        components = tuple(tidy(differentiate(function.expr, v), simplify) for v in variables)
    if point is None:
        return Gradient(function, variables, components, definitions=definitions)
    values = tuple(
        evaluate_at(c, point, (v,))
        for c, v in zip(expand_names(components, definitions, point), variables)
    )
    size = sp.sqrt(sp.Add(*(v.exact**2 for v in values)))
    magnitude = evaluate_at(size, ())
    direction = None if size == 0 else tuple(evaluate_at(v.exact / size, ()) for v in values)
    return Gradient(
        function,
        variables,
        components,
        point,
        values,
        magnitude=magnitude,
        direction=direction,
        definitions=definitions,
    )


def numeric_values(function: Function, variables, point: Point):  # type: ignore[no-untyped-def]
    """A large gradient at a point by the numeric backward pass (doubles), or None."""
    import numpy as np

    from .tape import TapeUnsupported, compile_tape

    given = dict(point)
    if any(v not in given for v in function.variables):
        return None  # evaluate_at explains which value is missing
    try:
        tape = compile_tape(function.expr, variables)
        at = np.array([float(given[v]) if v in given else 0.0 for v in variables])
        _, gradient = tape.gradient(at)
    except (TapeUnsupported, TypeError, ValueError):
        return None
    if not np.all(np.isfinite(gradient)):
        return None
    return tuple(Value(sp.Float(g), sp.Float(g)) for g in gradient)


def expand_names(components, definitions, point: Point):  # type: ignore[no-untyped-def]
    """The components at the point, each name replaced by its exact value there."""
    values = dict(point)
    for name, expr in definitions:
        values[name] = expr.xreplace(values)
    return tuple(c.xreplace(values) for c in components)


def tidy(expr: sp.Expr, simplify: bool) -> sp.Expr:
    """SymPy's simplify, only when asked: it rarely shortens a derivative and can take minutes."""
    return sp.simplify(expr) if simplify else expr


def evaluate_at(expr: sp.Expr, point: Point, wrt: tuple[sp.Symbol, ...] = ()) -> Value:
    """The exact value of expr at the point and its decimal; UndefinedAt where it has none."""
    given = dict(point)
    missing = natural_order(expr.free_symbols - given.keys())
    if missing:
        names = ", ".join(s.name for s in missing)
        raise InputError(f"--at gives no value for {names}")
    exact = expr.subs(given)
    where = tuple((s.name, str(v)) for s, v in point)
    names = tuple(s.name for s in wrt)
    if exact.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or exact.is_finite is False:
        raise UndefinedAt(names, where, "undefined")
    approx = exact.evalf(15)
    if not approx.is_number or approx.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        raise UndefinedAt(names, where, "undefined")
    if not approx.is_real:
        real, imag = approx.as_real_imag()
        if abs(imag) > 1e-12 * max(1, abs(real)):
            raise UndefinedAt(names, where, "not real")
        approx = real
    return Value(exact=exact, approx=sp.Float(approx, 15))
