"""The zeros of a trigonometric polynomial in a bounded region, where solveset gives up or answers
only in part (sin x·cos 2x: f' = cos x·(1 - 6 sin² x) over a period).

Every sin, cos, tan, ... is of a whole multiple of one angle θ = x/q; written in sin θ and cos θ
(expand_trig) the equation's numerator is a polynomial P(s, c), factored. Each factor is solved
in the one function it reduces to with s² + c² = 1: a polynomial in s (θ = asin u, π - asin u),
or in c (θ = ±acos u), or else in t = tan(θ/2) (θ = 2·atan t, and θ = π). Each solution repeats
every 2π across the region.
"""

from __future__ import annotations

import math
from functools import reduce

import sympy as sp

RECIPROCALS = {
    sp.tan: lambda u: sp.sin(u) / sp.cos(u),
    sp.cot: lambda u: sp.cos(u) / sp.sin(u),
    sp.sec: lambda u: 1 / sp.cos(u),
    sp.csc: lambda u: 1 / sp.sin(u),
}
TRIG = (sp.sin, sp.cos, *RECIPROCALS)
LARGEST_MULTIPLE = 12  # sin(100x) is not multiplied out into a polynomial of degree 100


def trig_zeros(expr: sp.Expr, x: sp.Symbol, region: sp.Interval) -> list[sp.Expr] | None:
    """The zeros of expr in the bounded region, or None when expr is not a polynomial in the
    sin and cos of one angle (or a factor is one SymPy cannot solve)."""
    q = common_denominator(expr, x)
    if q is None or not region.measure.is_finite:
        return None
    s, c = sp.Dummy("s"), sp.Dummy("c")
    theta = sp.Dummy("theta", real=True)
    polynomial = in_sin_and_cos(expr.xreplace({x: q * theta}), theta, s, c)
    if polynomial is None:
        return None
    angles: list[sp.Expr] = []
    for factor, _ in sp.factor_list(polynomial, s, c)[1]:
        found = factor_angles(factor, s, c)
        if found is None:
            return None
        angles += found
    return repeated(angles, q, region)


def common_denominator(expr: sp.Expr, x: sp.Symbol) -> int | None:
    """q for which every trigonometric argument is a whole multiple of x/q (at most 12 of it)."""
    arguments = [f.args[0] for f in expr.atoms(*TRIG) if f.has(x)]
    if not arguments:
        return None
    multiples = [sp.simplify(a / x) for a in arguments]
    if not all(m.is_Rational for m in multiples):
        return None
    q = reduce(math.lcm, (int(m.q) for m in multiples), 1)
    if any(abs(m * q) > LARGEST_MULTIPLE for m in multiples):
        return None
    return q


def in_sin_and_cos(expr: sp.Expr, theta: sp.Symbol, s: sp.Symbol, c: sp.Symbol) -> sp.Expr | None:
    """The numerator of expr as a polynomial in s = sin θ and c = cos θ, or None."""
    rewritten = expr.replace(
        lambda e: type(e) in RECIPROCALS, lambda e: RECIPROCALS[type(e)](e.args[0])
    )
    expanded = sp.expand_trig(rewritten).xreplace({sp.sin(theta): s, sp.cos(theta): c})
    numerator = sp.numer(sp.together(expanded))
    if numerator.has(theta) or not numerator.is_polynomial(s, c):
        return None
    return sp.expand(numerator)


def factor_angles(factor: sp.Expr, s: sp.Symbol, c: sp.Symbol) -> list[sp.Expr] | None:
    """Where one factor P(s, c) is 0, as angles θ in [-π, π]."""
    unit = s**2 + c**2 - 1
    in_s = sp.rem(factor, unit, c)  # A(s) + c·B(s)
    if not in_s.has(c):
        return on_the_circle(in_s, s, lambda u: [sp.asin(u), sp.pi - sp.asin(u)])
    in_c = sp.rem(factor, unit, s)  # A(c) + s·B(c)
    if not in_c.has(s):
        return on_the_circle(in_c, c, lambda u: [sp.acos(u), -sp.acos(u)])
    return half_angle(factor, s, c)


def on_the_circle(polynomial, u, angles) -> list[sp.Expr] | None:  # type: ignore[no-untyped-def]
    """The angles where a polynomial in sin θ (or cos θ) is 0: its roots in [-1, 1]."""
    values = polynomial_roots(polynomial, u, sp.Interval(-1, 1))
    if values is None:
        return None
    return [a for v in values for a in angles(v)]


def half_angle(factor: sp.Expr, s: sp.Symbol, c: sp.Symbol) -> list[sp.Expr] | None:
    """sin θ = 2t/(1 + t²), cos θ = (1 - t²)/(1 + t²): θ = 2·atan t, and π (t infinite)."""
    t = sp.Dummy("t", real=True)
    substituted = factor.xreplace({s: 2 * t / (1 + t**2), c: (1 - t**2) / (1 + t**2)})
    values = polynomial_roots(sp.numer(sp.together(substituted)), t, sp.S.Reals)
    if values is None:
        return None
    at_pi = [sp.pi] if factor.xreplace({s: 0, c: -1}) == 0 else []
    return [2 * sp.atan(v) for v in values] + at_pi


def polynomial_roots(polynomial: sp.Expr, u: sp.Symbol, where: sp.Set) -> list[sp.Expr] | None:
    polynomial = sp.expand(polynomial)
    if not polynomial.has(u):
        return [] if polynomial != 0 else None
    poly = sp.Poly(polynomial, u)
    if poly.domain.is_ZZ or poly.domain.is_QQ:
        return [r for r in poly.real_roots() if where.contains(r) is sp.true]
    found = sp.solveset(polynomial, u, where)
    return list(found) if found.is_FiniteSet else None


def repeated(angles: list[sp.Expr], q: int, region: sp.Interval) -> list[sp.Expr]:
    """x = q·(θ + 2πk) for every k that puts it in the region."""
    lo, hi = (float(end) / q for end in (region.inf, region.sup))
    turns = range(math.floor((lo - math.pi) / (2 * math.pi)) - 1, math.ceil(hi / (2 * math.pi)) + 2)
    found = []
    for angle in dict.fromkeys(angles):
        for k in turns:
            point = q * (angle + 2 * sp.pi * k)
            if region.contains(point) is sp.true:
                found.append(point)
    return list(dict.fromkeys(found))
