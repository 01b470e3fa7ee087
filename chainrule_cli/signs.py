"""The sign of an expression along an open interval, sampled densely (mpeval), apart from
SymPy's solving: the route analyze's claims are checked against, and the scan that finds a sign
change the solved roots missed, narrowed by bisection.

Samples are taken in floats; a sign that matters (one against a claim, either side of a sign
change) is confirmed in mpmath at 30 and at 60 digits, and a value whose two evaluations
disagree (cancellation far out) counts as unknown, never as evidence. Where floats give no
value, mpmath is asked.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp

from .mpeval import Number, compiled, compiled_fast

SAMPLE_DIGITS = 30
CONFIRM_DIGITS = 60
BISECTIONS = 80
EVEN = 48  # evenly spaced samples in a piece, at least
TOWARD_ENDS = range(5, 25, 2)  # and at 2^-k of its width from each finite end
FAR = 24  # toward an infinite end: a geometric run out to 2^FAR times its scale
OFFSET = 0.381966011250105  # off the nice points (0, 1/2) a kink may sit on
NARROW = 1e-9  # a piece narrower than this (relative) is sampled in mpmath, not floats


@dataclass(frozen=True)
class Sampled:
    """An expression, in floats for sampling and in mpmath to confirm."""

    fast: Callable[[float], Any]
    precise: Callable[[Number], Any]

    @classmethod
    def of(cls, expr: sp.Expr, x: sp.Symbol) -> Sampled:
        return cls(compiled_fast(expr, x), compiled(expr, x))

    def __call__(self, t: Any) -> Any:
        """The value at t: in floats where t is one and floats give a value, else mpmath."""
        if isinstance(t, float):
            value = self.fast(t)
            if value is not None and not math.isnan(value):
                return value
            t = mpmath.mpf(t)
        with mpmath.workdps(SAMPLE_DIGITS):
            return self.precise(t)


def points_inside(lo: sp.Expr, hi: sp.Expr, even: int = EVEN) -> list[Any]:
    """Points strictly inside (lo, hi), in order: evenly spread, crowded toward each finite end
    (a missed root beside a listed one) and spread out geometrically toward an infinite one.
    Floats, or mpmath numbers where the piece is too narrow for floats."""
    if lo.is_infinite and hi.is_infinite:
        right = _toward_infinity(0.0, 1, even // 2)
        return [-t for t in reversed(right)] + right
    if hi.is_infinite:
        return _toward_infinity(float(lo), 1, even)
    if lo.is_infinite:
        return list(reversed(_toward_infinity(float(hi), -1, even)))
    a, b = float(lo), float(hi)
    if b - a <= NARROW * (1 + abs(a) + abs(b)):
        with mpmath.workdps(SAMPLE_DIGITS):
            a, b = mpmath.mpf(sp.N(lo, SAMPLE_DIGITS)), mpmath.mpf(sp.N(hi, SAMPLE_DIGITS))
    width = b - a
    steps = [(k + OFFSET) / even for k in range(even)]
    steps += [f for k in TOWARD_ENDS for f in (2.0**-k, 1 - 2.0**-k)]
    return [a + width * s for s in sorted(steps)]


def _toward_infinity(start: float, direction: int, even: int) -> list[float]:
    scale = max(1.0, abs(start))
    steps = [scale * 16 * (k + OFFSET) / even for k in range(even)]
    steps += [scale * 2.0**k for k in range(-TOWARD_ENDS.stop, FAR)]
    return [start + direction * s for s in sorted(steps)]


def sign_of(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, mpmath.mpf) and mpmath.isnan(value):
        return None
    return (value > 0) - (value < 0)


def signs_along(f: Sampled, points: list[Any]) -> list[int | None]:
    return [sign_of(f(t)) for t in points]


def confirmed_sign(f: Sampled, t: Any) -> int | None:
    """The sign at t when 30 and 60 digits agree on the value; None otherwise."""
    t = mpmath.mpf(t)
    with mpmath.workdps(SAMPLE_DIGITS):
        low = f.precise(t)
    with mpmath.workdps(CONFIRM_DIGITS):
        high = f.precise(t)
    if sign_of(low) is None or sign_of(high) is None or sign_of(low) != sign_of(high):
        return None
    if abs(low - high) > abs(high) * mpmath.mpf("1e-10"):
        return None
    return sign_of(high)


def sign_changes(f: Sampled, points: list[Any], signs: list[int | None]):  # type: ignore[no-untyped-def]
    """(a, b) for each pair of samples of opposite signs with only zeros between them (a gap
    where f has no value is no sign change), both ends confirmed."""
    found, last = [], None
    for t, s in zip(points, signs):
        if s is None:
            last = None
        elif s:
            if last is not None and last[1] != s and confirmed_pair(f, last, (t, s)):
                found.append((last[0], t))
            last = (t, s)
    return found


def confirmed_pair(f: Sampled, *samples: tuple[Any, int]) -> bool:
    return all(confirmed_sign(f, t) == s for t, s in samples)


def root_between(f: Sampled, a: Any, b: Any) -> Number | None:
    """A sign change of f in (a, b) narrowed by bisection in mpmath; None where it is a pole
    (|f| grows instead of shrinking) or f has no value on the way."""
    with mpmath.workdps(SAMPLE_DIGITS):
        a, b = mpmath.mpf(a), mpmath.mpf(b)
        sign_a, far = sign_of(f.precise(a)), max(abs(f.precise(a)), abs(f.precise(b)))
        for _ in range(BISECTIONS):
            mid = (a + b) / 2
            sign = sign_of(f.precise(mid))
            if sign is None:
                return None
            if sign == 0:
                return mid
            a, b = (mid, b) if sign == sign_a else (a, mid)
        near = min(abs(f.precise(a)), abs(f.precise(b)))
        return a if near < far * mpmath.mpf("1e-6") else None


def all_zero_run(f: Sampled, points: list[Any], signs: list[int | None]) -> bool:
    """Two neighbouring samples exactly 0, in mpmath too (not a float's underflow): 0 on a
    whole stretch, not at a point."""
    for (a, sa), (b, sb) in zip(zip(points, signs), zip(points[1:], signs[1:])):
        if sa == sb == 0 and all(f.precise(mpmath.mpf(t)) == 0 for t in (a, b)):
            return True
    return False


def even_count(lo: sp.Expr, hi: sp.Expr, span: float, total: int) -> int:
    """A piece's evenly spaced samples: its share of `total` across a region `span` wide,
    EVEN at least (an infinite piece: EVEN, with its geometric run)."""
    if lo.is_infinite or hi.is_infinite:
        return EVEN
    return max(EVEN, math.ceil(total * float(hi - lo) / span))


def spread(ends: list[sp.Expr]) -> float:
    """The width of the finite part of a region (the hull of its finite points, at least 1)."""
    finite = [float(e) for e in ends if e.is_finite]
    return max(1.0, max(finite) - min(finite)) if finite else 1.0
