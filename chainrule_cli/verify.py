"""--check: a result against numerical differentiation of the function itself, in 50 digits.

The numbers come from mpmath's high-precision finite differences of the original function,
evaluated by SymPy's evalf: a route that shares nothing with the symbolic derivative.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp

from .results import Chain, Derivative, Gradient, Matrix, Point

DIGITS = 50
TOLERANCE = 1e-20


@dataclass(frozen=True)
class Claim:
    expr: sp.Expr  # the function
    wrt: tuple[sp.Symbol, ...]
    claimed: sp.Expr


@dataclass(frozen=True)
class Report:
    passed: bool
    max_relative_error: float
    points: tuple[Point, ...]


@dataclass(frozen=True)
class Checked:
    """A result and its --check report."""

    result: object
    report: Report


def claims(result: object) -> list[Claim]:
    if isinstance(result, Derivative):
        return [Claim(result.function.expr, result.wrt, result.result)]
    if isinstance(result, Gradient):
        f = result.function.expr
        return [Claim(f, (v,), c) for v, c in zip(result.variables, result.components)]
    if isinstance(result, Chain):
        f = result.function.expr
        return [Claim(f, (p.variable,), p.result) for p in result.parts]
    if isinstance(result, Matrix) and result.kind == "hessian":
        f, vs = result.function.expr, result.variables
        return [Claim(f, (a, b), e) for a, row in zip(vs, result.rows) for b, e in zip(vs, row)]
    if isinstance(result, Matrix):
        return [
            Claim(fn.expr, (v,), e)
            for fn, row in zip(result.functions, result.rows)
            for v, e in zip(result.variables, row)
        ]
    raise TypeError(f"--check does not apply to {type(result).__name__}")


def check(result: object, point: Point | None) -> Checked:
    all_claims = claims(result)
    symbols = sorted(
        set().union(*(c.expr.free_symbols | c.claimed.free_symbols for c in all_claims)),
        key=lambda s: s.name,
    )
    points = [point] if point else _random_points(symbols)
    worst, used = 0.0, []
    for at in points:
        errors = [_relative_error(c, dict(at)) for c in all_claims]
        errors = [e for e in errors if e is not None]
        if errors:
            used.append(at)
            worst = max(worst, *errors)
    passed = bool(used) and worst <= TOLERANCE
    return Checked(result, Report(passed, worst, tuple(used)))


def _random_points(symbols: list[sp.Symbol]) -> list[Point]:
    rng = random.Random(11)
    return [tuple((s, sp.Rational(rng.randint(5, 95), 100)) for s in symbols) for _ in range(3)]


def _relative_error(claim: Claim, at: dict) -> float | None:
    with mpmath.workdps(DIGITS):
        try:
            numeric = _numeric_derivative(claim, at)
            symbolic = _mp(claim.claimed.evalf(DIGITS, subs=at))
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            return None  # outside the domain there
        if not (mpmath.isfinite(numeric) and mpmath.isfinite(symbolic)):
            return None
        scale = max(mpmath.mpf(1), abs(numeric))
        return float(abs(symbolic - numeric) / scale)


def _numeric_derivative(claim: Claim, at: dict) -> complex:
    variables = sorted(set(claim.wrt), key=lambda s: s.name)
    orders = tuple(claim.wrt.count(v) for v in variables)
    fixed = {s: v for s, v in at.items() if s not in variables}
    partial = claim.expr.subs(fixed)

    def f(*values):  # type: ignore[no-untyped-def]
        digits = mpmath.mp.dps  # mpmath.diff raises the precision for its tiny steps
        subs = {v: sp.Float(x, digits) for v, x in zip(variables, values)}
        return _mp(partial.evalf(digits, subs=subs))

    start = tuple(_mp(sp.Float(at[v], DIGITS)) for v in variables)
    return mpmath.diff(f, start, orders)


def _mp(value: sp.Expr):  # type: ignore[no-untyped-def]
    """A SymPy number as an mpmath one, at full precision; TypeError if it is not a number."""
    if not value.is_number:
        raise TypeError("not a number")
    return value._to_mpmath(mpmath.mp.prec)
