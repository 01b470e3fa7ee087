"""Evaluating an expression on numpy arrays, for plots: a walk over SymPy's tree.

No generated code (as lambdify writes and runs): every operation is looked up in a table.
Where the function has no real value (log of a negative, 1/0) the result is NaN, a gap.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import sympy as sp

from ..errors import MathError
from ..functions import RealRoot, Sigmoid, Softplus

Array = np.ndarray

FUNCTIONS: dict[type, Callable[[Array], Array]] = {
    sp.sin: np.sin,
    sp.cos: np.cos,
    sp.tan: np.tan,
    sp.sec: lambda a: 1 / np.cos(a),
    sp.csc: lambda a: 1 / np.sin(a),
    sp.cot: lambda a: 1 / np.tan(a),
    sp.asin: np.arcsin,
    sp.acos: np.arccos,
    sp.atan: np.arctan,
    sp.sinh: np.sinh,
    sp.cosh: np.cosh,
    sp.tanh: np.tanh,
    sp.asinh: np.arcsinh,
    sp.acosh: np.arccosh,
    sp.atanh: np.arctanh,
    sp.exp: np.exp,
    sp.log: np.log,
    sp.Abs: np.abs,
    sp.sign: np.sign,
    # the derivatives of sign and of step-like functions: zero, and undefined at the jump
    sp.DiracDelta: lambda a: np.where(a == 0, np.nan, 0.0),
    Sigmoid: lambda a: 1 / (1 + np.exp(-a)),
    Softplus: lambda a: np.logaddexp(0, a),
}
# Functions of several arguments: max, min, and the real n-th root.
MANY: dict[type, Callable[..., Array]] = {
    sp.Max: lambda *a: np.maximum.reduce(np.broadcast_arrays(*a)),
    sp.Min: lambda *a: np.minimum.reduce(np.broadcast_arrays(*a)),
    RealRoot: lambda a, n: np.sign(a) * np.abs(a) ** (1 / n),
    # a step: 0 and 1, undefined at the jump (SymPy keeps its value at 0 as a second argument)
    sp.Heaviside: lambda a, *at: np.where(a == 0, np.nan, np.where(a > 0, 1.0, 0.0)),
}


def sample(expr: sp.Expr, values: dict[sp.Symbol, Array]) -> Array:
    """expr at every point of the arrays (all of one shape); NaN where it is not real."""
    shape = np.broadcast(*values.values()).shape if values else ()
    with np.errstate(all="ignore"):
        result = np.asarray(_walk(expr, values, {}), dtype=float)
        result = np.broadcast_to(result, shape).copy()
    result[~np.isfinite(result)] = np.nan
    return result


def _walk(expr: sp.Expr, values: dict[sp.Symbol, Array], seen: dict) -> Array | float:
    if expr in seen:
        return seen[expr]
    if expr.is_Symbol:
        if expr not in values:
            raise MathError(f"no value for {expr.name} to plot with")
        result = values[expr]
    elif expr.is_number:
        result = _real_number(expr)
    else:
        args = [_walk(a, values, seen) for a in expr.args]
        result = _apply(expr, args)
    seen[expr] = result
    return result


def _apply(expr: sp.Expr, args: list) -> Array | float:
    if expr.is_Add:
        return sum(args[1:], args[0])
    if expr.is_Mul:
        product = args[0]
        for factor in args[1:]:
            product = product * factor
        return product
    if expr.is_Pow:
        return _power(*args)
    function = FUNCTIONS.get(type(expr))
    if function is not None and len(args) == 1:
        return function(args[0])
    if type(expr) in MANY:
        return MANY[type(expr)](*args)
    raise MathError(f"cannot plot {type(expr).__name__}(...) yet")


def _power(base: Array | float, exponent: Array | float) -> Array | float:
    """Real powers: a negative base with a fractional exponent has no real value (NaN)."""
    base = np.asarray(base, dtype=float)
    return np.power(base, exponent)


def _real_number(expr: sp.Expr) -> float:
    value = complex(expr.evalf(17))
    return value.real if abs(value.imag) <= 1e-12 * max(1.0, abs(value.real)) else np.nan
