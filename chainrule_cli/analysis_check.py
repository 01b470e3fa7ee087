"""analyze proves what it prints: each claim of an Analysis is checked numerically before it is
printed, on samples of f, f' and f'' in mpmath (signs.py: 30 digits, a telling sign confirmed
at 60), a route that shares nothing with the solving and the exact sign charts that made it.
A claim that fails is a MathError naming it, and nothing is printed.

- each critical point where f' = 0: f' is 0 there (one found numerically: f' changes sign
  across it, or is 0 to 10 digits); each value printed at a point is f there;
- each interval of increase, decrease or concavity: the sign of f' or f'' at every sample;
- between the listed points: no sign change of f' or f'' that they do not account for;
- each local extremum: f'' has its sign (second derivative test) or f' changes sign as claimed
  (first); each inflection point: f'' changes sign and f is continuous there; and every point
  of the lists where f is continuous and f' (f'') changes sign is listed as one;
- each asymptote: |f| grows toward a vertical one, f comes close to the line far out;
- the absolute extrema: no sample of f on [a, b] beyond them, every candidate taking them named.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import mpmath
import sympy as sp

from .errors import MathError
from .mpeval import Number, as_number, compiled
from .results import SECOND_TEST, Analysis
from .signs import (
    CONFIRM_DIGITS,
    SAMPLE_DIGITS,
    Sampled,
    confirmed_sign,
    even_count,
    points_inside,
    sign_changes,
    signs_along,
    spread,
)

SAMPLES = 400  # evenly spaced samples of f' and f'' across the region, as for the roots
SIDE_STEPS = (0, 4, 8, 12)  # a point's sides sampled at ε·2^-k
CLOSE = mpmath.mpf("1e-9")  # a printed value against f there (relative, 15-digit decimals)
NUMERIC_ZERO = mpmath.mpf("1e-10")  # f' at a root found numerically to 15 digits
EXACT_ZERO = mpmath.mpf("1e-25")  # f' at an exact root, at 60 digits, relative to f' nearby
NEAR = tuple(mpmath.mpf(10) ** -k for k in (6, 12, 24))  # beside a vertical asymptote
FAR = tuple(mpmath.mpf(10) ** k for k in (3, 6, 12))  # out toward a horizontal or slant one
SIGN = {1: "> 0", -1: "< 0", 0: "= 0", None: "of no clear sign"}


@dataclass(frozen=True)
class Curve:
    """f, f' and f'' as functions of an mpmath number, and labels for messages."""

    f: Sampled
    first: Sampled
    second: Sampled
    name: str


def check(result: Analysis, exact: sp.Expr, first: sp.Expr, second: sp.Expr) -> None:
    """Raises MathError naming the first claim of `result` the samples contradict."""
    x = result.variable
    name = result.function.name
    curve = Curve(*(Sampled.of(e, x) for e in (exact, first, second)), name)
    with mpmath.workdps(SAMPLE_DIGITS):
        critical_points_hold(result, curve)
        chart_holds(result, curve, curve.first, f"{name}'", first_chart(result))
        chart_holds(result, curve, curve.second, f"{name}''", second_chart(result))
        joins_hold(result, curve)
        extrema_hold(result, curve)
        inflections_hold(result, curve)
        asymptotes_hold(result, curve)
        absolute_holds(result, curve)


def refuse(claim: str, why: str) -> MathError:
    return MathError(f'a numerical check contradicts "{claim}" ({why}), so nothing is claimed')


def shown(value: sp.Expr | Number | float) -> str:
    if isinstance(value, (float, mpmath.mpf)):
        return mpmath.nstr(mpmath.mpf(value), 10)
    return sp.sstr(value)


def interval_shown(lo: sp.Expr, hi: sp.Expr) -> str:
    return f"({shown(lo)}, {shown(hi)})"


# The points: f' = 0 where it is claimed, and f as printed


def critical_points_hold(result: Analysis, curve: Curve) -> None:
    for c in result.critical:
        value_holds(
            f"critical point x = {shown(c.x)}", curve.f.precise, c.x, c.value.approx, result
        )
        if c.kind == "zero" and not zero_at(curve.first.precise, c.x):
            slope = curve.first.precise(as_number(c.x))
            raise refuse(
                f"critical point x = {shown(c.x)}",
                f"{curve.name}' = {shown(slope) if slope is not None else 'no value'} there",
            )


def zero_at(f: Callable[[Number], Number | None], c: sp.Expr) -> bool:
    """f(c) = 0: to 25 digits at an exact c; at a 15-digit decimal, a sign change across it
    or 0 to 10 digits."""
    if not c.is_Float:
        with mpmath.workdps(CONFIRM_DIGITS):
            t = as_number(c)
            value, beside = f(t), f(t + (1 + abs(t)) / 16)
        scale = 1 + (abs(beside) if beside is not None and beside == beside else 0)
        return value is not None and abs(value) <= EXACT_ZERO * scale
    t = as_number(c)
    step = mpmath.mpf("1e-12") * (1 + abs(t))
    left, right, value = f(t - step), f(t + step), f(t)
    if left is not None and right is not None and mpmath.sign(left) * mpmath.sign(right) < 0:
        return True
    return value is not None and abs(value) <= NUMERIC_ZERO


def value_holds(claim: str, f, c: sp.Expr, printed: sp.Expr, result: Analysis) -> None:  # type: ignore[no-untyped-def]
    """A value printed at c is f(c) (to the 15 digits it is printed from)."""
    got = f(as_number(c))
    want = as_number(printed)
    if got is None or abs(got - want) > CLOSE * (1 + abs(got)):
        where = f"{result.function.name}({shown(c)})"
        raise refuse(claim, f"{where} = {shown(got) if got is not None else 'no value'} there")


# The charts: every sample of an interval has its sign, and no sign change goes unlisted


def first_chart(result: Analysis) -> tuple[list[tuple[str, tuple, int]], list[sp.Expr]]:
    intervals = [("increasing", result.increasing, 1), ("decreasing", result.decreasing, -1)]
    points = [c.x for c in result.critical] + list(result.undecided)
    return intervals, points


def second_chart(result: Analysis) -> tuple[list[tuple[str, tuple, int]], list[sp.Expr]]:
    intervals = [("concave up", result.concave_up, 1), ("concave down", result.concave_down, -1)]
    points = [i.x for i in result.inflections] + [c.x for c in result.critical]
    return intervals, points + list(result.undecided)


def chart_holds(result: Analysis, curve: Curve, f: Sampled, label: str, chart) -> None:  # type: ignore[no-untyped-def]
    """Between neighbouring points that may explain a sign change (the points listed, the
    domain's edges, the region's ends) f' or f'' keeps one sign; inside each claimed interval,
    the claimed one."""
    intervals, points = chart
    explained = breakpoints(result, points)
    span = spread(explained)
    for lo, hi in zip(explained, explained[1:]):
        if not defined_between(curve.f, lo, hi):
            continue  # ln(x² - 1) between -1 and 1: f' is a formula there, f is nothing
        samples, signs = [], []
        pieces = breakpoints_between(lo, hi, interval_ends(intervals))
        for a, b in zip(pieces, pieces[1:]):
            inside = points_inside(a, b, even_count(a, b, span, SAMPLES))
            along = signs_along(f, inside)
            claim = claimed(intervals, a, b)
            if claim is not None:
                sign_holds(f, label, claim, inside, along)
            samples, signs = samples + inside, signs + along
        for a, b in sign_changes(f, samples, signs):
            raise refuse(
                f"{label} changes sign only at the points listed",
                f"it changes sign between x = {shown(a)} and x = {shown(b)}",
            )


def joins_hold(result: Analysis, curve: Curve) -> None:
    """An interval runs across a listed point or an edge of the domain only where f is
    continuous there and, for concavity, f' exists (f' monotone across it: √|x| is not
    concave down across its cusp, 1/x not decreasing across 0)."""
    no_slope = {place(c.x) for c in result.critical if c.kind == "undefined"}
    no_slope |= {place(u) for u in result.undecided}
    listed = [c.x for c in result.critical] + list(result.undecided)
    listed += [i.x for i in result.inflections] + edges_of(result.domain)
    for what, found, _ in first_chart(result)[0] + second_chart(result)[0]:
        for lo, hi in found:
            for c in breakpoints_between(lo, hi, listed)[1:-1]:
                claim = f"{what} on {interval_shown(lo, hi)}"
                if not continuous(curve.f, c):
                    raise refuse(claim, f"{curve.name} is not continuous at x = {shown(c)}")
                if what.startswith("concave") and (
                    place(c) in no_slope or not sides_agree(curve.first, c)
                ):
                    raise refuse(claim, f"{curve.name}' does not exist at x = {shown(c)}")


def defined_between(f: Sampled, lo: sp.Expr, hi: sp.Expr) -> bool:
    """Whether f has a value inside (lo, hi), a piece between the domain's edges: all of it
    lies in the domain or none does."""
    if lo.is_infinite and hi.is_infinite:
        probe = 0.0
    elif lo.is_infinite or hi.is_infinite:
        probe = float(hi) - 1 if lo.is_infinite else float(lo) + 1
    else:
        probe = (float(lo) + float(hi)) / 2
    return f(probe) is not None


def breakpoints_between(lo: sp.Expr, hi: sp.Expr, points: list[sp.Expr]) -> list[sp.Expr]:
    keyed = {place(lo): lo, place(hi): hi}
    for p in points:
        if p.is_finite and place(lo) < place(p) < place(hi):
            keyed.setdefault(place(p), p)
    return [keyed[k] for k in sorted(keyed)]


def breakpoints(result: Analysis, points: list[sp.Expr]) -> list[sp.Expr]:
    """The region's ends, the domain's edges and the points given, in order, once each."""
    return breakpoints_between(*result.region, points + edges_of(result.domain))


@lru_cache(maxsize=8)
def edges_of(domain: sp.Set) -> list[sp.Expr]:
    return [b for b in domain.boundary if b.is_finite] if domain != sp.S.Reals else []


@lru_cache(maxsize=256)
def place(p: sp.Expr) -> Number:
    """Where p sits on the line, as a number (±oo as mpmath's infinities); equal points alike."""
    if p.is_infinite:
        return mpmath.inf if p == sp.oo else -mpmath.inf
    with mpmath.workdps(SAMPLE_DIGITS):
        return mpmath.mpf(mpmath.nstr(as_number(p), 25))


def claimed(intervals, lo: sp.Expr, hi: sp.Expr):  # type: ignore[no-untyped-def]
    """(claim, sign) for the claimed interval that holds the piece (lo, hi), or None."""
    for what, found, sign in intervals:
        for a, b in found:
            if not_after(a, lo) and not_after(hi, b):
                return f"{what} on {interval_shown(a, b)}", sign
    return None


def not_after(a: sp.Expr, b: sp.Expr) -> bool:
    return place(a) <= place(b)


def sign_holds(f, label: str, claim, samples, signs) -> None:  # type: ignore[no-untyped-def]
    """Every sample has the claimed sign, or is 0 (at a point: x³ increases through 0), or is
    round-off or too large to compute; one of the other sign (confirmed), or with no value,
    fails the claim."""
    what, sign = claim
    for t, s in zip(samples, signs):
        if s == sign or s == 0:
            continue
        confirmed = confirmed_sign(f, t)
        value = f.precise(mpmath.mpf(t))
        if confirmed in (sign, 0) or (confirmed is None and value is not None):
            continue  # the claimed sign, or round-off (30 and 60 digits disagree): no evidence
        got = f"{label} = {shown(value)}" if value is not None else f"{label} has no value"
        raise refuse(what, f"{got} at x = {shown(t)}")


# Extrema and inflection points: what the charts say at each point, and every such point listed


def extrema_hold(result: Analysis, curve: Curve) -> None:
    listed = {place(e.x): e for e in result.extrema}
    critical = {place(c.x) for c in result.critical}
    for e in result.extrema:
        if place(e.x) not in critical:
            raise refuse(f"local {e.kind} at x = {shown(e.x)}", "not a critical point listed")
    gaps = neighbours(result)
    for c in result.critical:
        sides = side_signs(curve.first, c.x, gaps)
        turns = {(1, -1): "maximum", (-1, 1): "minimum"}.get(sides)
        extremum = listed.get(place(c.x))
        if extremum is None:
            if turns and continuous(curve.f, c.x) and interior(result, curve.f, c.x, gaps):
                raise refuse(
                    "local extrema (as listed)",
                    f"{curve.name}' changes sign at x = {shown(c.x)} and {curve.name} is "
                    f"continuous there: a local {turns} not listed",
                )
            continue
        claim = f"local {extremum.kind} at x = {shown(c.x)}"
        value_holds(claim, curve.f.precise, c.x, extremum.value.approx, result)
        if extremum.test == SECOND_TEST:
            curvature_holds(claim, curve, extremum)
        elif turns != extremum.kind:
            raise refuse(claim, f"{curve.name}' is {sides_shown(sides)}")


def curvature_holds(claim: str, curve: Curve, extremum) -> None:  # type: ignore[no-untyped-def]
    want = -1 if extremum.kind == "maximum" else 1
    got = confirmed_sign(curve.second, as_number(extremum.x))
    value = curve.second.precise(as_number(extremum.x))
    printed = as_number(extremum.curvature.approx)
    if got != want or value is None or abs(value - printed) > CLOSE * (1 + abs(value)):
        shown_value = shown(value) if value is not None else "no value"
        raise refuse(claim, f"{curve.name}'' = {shown_value} there")


def inflections_hold(result: Analysis, curve: Curve) -> None:
    listed = {place(i.x): i for i in result.inflections}
    gaps = neighbours(result)
    intervals, points = second_chart(result)
    for c in breakpoints(result, points + interval_ends(intervals)):
        if not inside_the_region(result, c):
            continue
        changes = opposite(side_signs(curve.second, c, gaps))
        point = listed.get(place(c))
        if point is not None:
            claim = f"inflection point at x = {shown(c)}"
            value_holds(claim, curve.f.precise, c, point.value.approx, result)
            if not changes or not continuous(curve.f, c):
                sides = sides_shown(side_signs(curve.second, c, gaps))
                raise refuse(claim, f"{curve.name}'' is {sides}")
        elif changes and continuous(curve.f, c) and interior(result, curve.f, c, gaps):
            raise refuse(
                "inflection points (as listed)",
                f"the concavity changes at x = {shown(c)}, where {curve.name} is continuous: an "
                "inflection point not listed",
            )


def interval_ends(intervals) -> list[sp.Expr]:  # type: ignore[no-untyped-def]
    return [end for _, found, _ in intervals for pair in found for end in pair]


def neighbours(result: Analysis) -> list[Number]:
    """Every point where a sign may change, as numbers: a point's sides stay closer than these."""
    points = []
    for intervals, listed in (first_chart(result), second_chart(result)):
        points += listed + interval_ends(intervals)
    return [place(p) for p in breakpoints(result, points) if p.is_finite]


def side_signs(f, c: sp.Expr, gaps: list[Number]) -> tuple[int | None, int | None]:  # type: ignore[no-untyped-def]
    """f's sign just left and just right of c (the same at every sample, confirmed)."""
    t = as_number(c)
    found = []
    for side in (-1, 1):
        signs = {confirmed_sign(f, s) for s in side_points(t, side, gaps)}
        found.append(signs.pop() if len(signs) == 1 else None)
    return found[0], found[1]


def side_points(t: Number, side: int, gaps: list[Number]) -> list[Number]:
    """Points beside t, nearer to it than to any other point where a sign may change."""
    others = [abs(g - t) for g in gaps if abs(g - t) > mpmath.mpf("1e-20") * (1 + abs(t))]
    step = min([mpmath.mpf(1) / 16 * (1 + abs(t)), *(d / 4 for d in others)])
    return [t + side * step * mpmath.ldexp(1, -k) for k in SIDE_STEPS]


def opposite(sides: tuple[int | None, int | None]) -> bool:
    return sides[0] is not None and sides[1] is not None and sides[0] * sides[1] < 0


def sides_shown(sides: tuple[int | None, int | None]) -> str:
    return f"{SIGN[sides[0]]} on its left and {SIGN[sides[1]]} on its right"


def continuous(f: Sampled, c: sp.Expr) -> bool:
    """|f(c ± h) - f(c)| tiny for h = 10⁻³⁰ (a corner or a cusp passes, a jump does not)."""
    with mpmath.workdps(CONFIRM_DIGITS):
        t = as_number(c)
        h = mpmath.mpf("1e-30") * (1 + abs(t))
        values = [f.precise(t - h), f.precise(t), f.precise(t + h)]
        if any(v is None for v in values):
            return False
        return all(abs(v - values[1]) <= mpmath.mpf("1e-6") * (1 + abs(values[1])) for v in values)


def sides_agree(f: Sampled, c: sp.Expr) -> bool:
    """f(c - h) and f(c + h) nearly equal for h = 10⁻³⁰: no jump and no pole at c."""
    with mpmath.workdps(CONFIRM_DIGITS):
        t = as_number(c)
        h = mpmath.mpf("1e-30") * (1 + abs(t))
        left, right = f.precise(t - h), f.precise(t + h)
    if left is None or right is None or left != left or right != right:
        return False
    return abs(left - right) <= mpmath.mpf("1e-6") * (1 + abs(left))


def interior(result: Analysis, f, c: sp.Expr, gaps: list[Number]) -> bool:  # type: ignore[no-untyped-def]
    """f has values on both sides of c, and c is not an end of the region studied (a period's
    start is: f repeats there)."""
    if not inside_the_region(result, c):
        return False
    t = as_number(c)
    return all(f(s) is not None for side in (-1, 1) for s in side_points(t, side, gaps))


def inside_the_region(result: Analysis, c: sp.Expr) -> bool:
    """Strictly inside the region, or at a period's start (f repeats there)."""
    lo, hi = (place(end) for end in result.region)
    at = place(c)
    if at == lo:
        return result.scope == "period"
    return lo < at < hi


# Asymptotes and absolute extrema


def asymptotes_hold(result: Analysis, curve: Curve) -> None:
    with mpmath.workdps(CONFIRM_DIGITS):
        for p in result.vertical:
            if not any(grows(curve.f.precise, as_number(p), side) for side in (-1, 1)):
                raise refuse(f"vertical asymptote x = {shown(p)}", "|f| does not grow beside it")
        for kind, found in (("horizontal", result.horizontal), ("slant", result.slant)):
            for end, line in found:
                if not approaches(curve.f.precise, compiled(line, result.variable), end):
                    raise refuse(
                        f"{kind} asymptote y = {shown(line)} (x -> {shown(end)})",
                        f"{curve.name} does not come closer to it far out",
                    )


def grows(f, p: Number, side: int) -> bool:  # type: ignore[no-untyped-def]
    values = [f(p + side * d * (1 + abs(p))) for d in NEAR]
    if any(v is None for v in values):
        return False
    sizes = [abs(v) for v in values]
    return sizes[0] < sizes[1] < sizes[2] and sizes[2] > 2 * sizes[0]


def approaches(f, line, end: sp.Expr) -> bool:  # type: ignore[no-untyped-def]
    """|f - line| shrinks (or stays 0) from 10³ to 10¹² out and ends below 1/2; a gap under the
    round-off of f's size counts as 0 (log cosh x is -x - ln 2 to within e^(2x), unseen)."""
    direction = 1 if end == sp.oo else -1
    gaps = []
    noise = mpmath.mpf(10) ** (5 - CONFIRM_DIGITS)
    for far in FAR:
        value, on_line = f(direction * far), line(direction * far)
        if value is None or on_line is None:
            return False
        if value == value:  # not NaN: too large to compute (e^(e^x)), no evidence either way
            gaps.append(max(abs(value - on_line) - noise * (1 + abs(value)), 0))
    return len(gaps) > 1 and gaps[-1] <= gaps[0] and gaps[-1] <= mpmath.mpf("0.5")


def absolute_holds(result: Analysis, curve: Curve) -> None:
    """No sample of f on [a, b] above the maximum or below the minimum, f as printed where each
    is taken, and every candidate (a, b, a critical point) that takes it named."""
    if not result.absolute:
        return
    a, b = result.region
    samples = points_inside(a, b, SAMPLES)
    values = [(t, v) for t in samples if (v := curve.f(t)) is not None and v == v]  # not NaN
    candidates = [a, b, *(c.x for c in result.critical)]
    for extreme in result.absolute:
        level = as_number(extreme.value.approx)
        direction = 1 if extreme.kind == "maximum" else -1
        claim = f"absolute {extreme.kind} {shown(extreme.value.exact)} on [{shown(a)}, {shown(b)}]"
        tolerance = CLOSE * (1 + abs(level))
        for t, v in values:
            if direction * (v - level) > tolerance:
                exact = curve.f.precise(mpmath.mpf(t))
                if exact is not None and direction * (exact - level) > tolerance:
                    raise refuse(claim, f"{curve.name}({shown(t)}) = {shown(exact)}")
        named = {place(c) for c in extreme.at}
        for c in candidates:
            value = curve.f.precise(as_number(c))
            taken = value is not None and abs(value - level) <= tolerance
            beyond = value is not None and direction * (value - level) > tolerance
            if beyond or taken != (place(c) in named):
                raise refuse(claim, f"{curve.name}({shown(c)}) = {shown(value)}")
