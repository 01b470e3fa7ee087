"""--check: a result against numerical differentiation of the function itself, in 50 digits.

The numbers come from mpmath's high-precision finite differences of the original function,
evaluated by SymPy's evalf: a route that shares nothing with the symbolic derivative.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import mpmath
import sympy as sp

from .results import Chain, Checked, Derivative, Gradient, Matrix, Point, Report

DIGITS = 50
TOLERANCE = 1e-20


@dataclass(frozen=True)
class Claim:
    expr: sp.Expr  # the function
    wrt: tuple[sp.Symbol, ...]
    claimed: sp.Expr


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


def check(result: object, point: Point | None) -> Checked | object:
    """The result with its report; a result with no value at its point has nothing to check."""
    if getattr(result, "failure", None) is not None:
        return result
    all_claims = claims(result)
    symbols = sorted(
        set().union(*(c.expr.free_symbols | c.claimed.free_symbols for c in all_claims)),
        key=lambda s: s.name,
    )
    points = [point] if point else _random_points(symbols)
    worst, used, kinks = 0.0, [], []  # type: ignore[var-annotated]
    for at in points:
        if len(used) == RANDOM_POINTS:
            break
        errors = [_relative_error(c, dict(at)) for c in all_claims]
        if KINK in errors:
            kinks.append(at)
            continue
        errors = [e for e in errors if e is not None]
        if errors:
            used.append(at)
            worst = max(worst, *errors)
    passed = bool(used) and worst <= TOLERANCE and not (point and kinks)
    return Checked(result, Report(passed, worst, tuple(used), tuple(kinks)))


RANDOM_POINTS = 3


def _random_points(symbols: list[sp.Symbol]) -> list[Point]:
    """Three points in (0, 1), and spares in (-10, 10) for when those land on a kink or
    outside the domain (sqrt(x - 2))."""
    rng = random.Random(11)
    near = [tuple((s, sp.Rational(rng.randint(5, 95), 100)) for s in symbols) for _ in range(3)]
    wide = [tuple((s, sp.Rational(rng.randint(-999, 999), 100)) for s in symbols) for _ in range(9)]
    return near + wide


KINK = "kink"  # the one-sided difference quotients disagree: no derivative there


def _relative_error(claim: Claim, at: dict) -> float | str | None:
    """How far the claim is from numerical differentiation from either side; KINK where the
    two sides disagree, None outside the domain."""
    with mpmath.workdps(DIGITS):
        try:
            sides = [_numeric_derivative(claim, at, side) for side in (-1, 1)]
            symbolic = _mp(claim.claimed.evalf(DIGITS, subs=at))
        except (TypeError, ValueError, ZeroDivisionError, AttributeError):
            return None  # outside the domain there
        values = (*sides, symbolic)
        if not all(mpmath.isfinite(v) and mpmath.im(v) == 0 for v in values):
            return None  # not real there
        scale = max(mpmath.mpf(1), abs(sides[1]))
        if abs(sides[0] - sides[1]) / scale > TOLERANCE:
            return KINK
        return float(max(abs(symbolic - numeric) for numeric in sides) / scale)


def _numeric_derivative(claim: Claim, at: dict, side: int) -> complex:
    variables = sorted(set(claim.wrt), key=lambda s: s.name)
    orders = tuple(claim.wrt.count(v) for v in variables)
    fixed = {s: v for s, v in at.items() if s not in variables}
    partial = claim.expr.subs(fixed)

    def f(*values):  # type: ignore[no-untyped-def]
        digits = mpmath.mp.dps  # mpmath.diff raises the precision for its tiny steps
        subs = {v: sp.Float(x, digits) for v, x in zip(variables, values)}
        return _mp(partial.evalf(digits, subs=subs))

    start = tuple(_mp(sp.Float(at[v], DIGITS)) for v in variables)
    return mpmath.diff(f, start, orders, direction=side)


def _mp(value: sp.Expr):  # type: ignore[no-untyped-def]
    """A SymPy number as an mpmath one, at full precision; TypeError if it is not a number."""
    if not value.is_number:
        raise TypeError("not a number")
    return value._to_mpmath(mpmath.mp.prec)
