"""What f' and f'' tell about a function of one variable: its domain, its critical points, where
it increases and decreases (the sign chart of f'), its local extrema and the test that decided
each, its concavity and inflection points (the sign chart of f''), its asymptotes, and on a
closed interval its absolute extrema. Pure functions to an Analysis record.

Points come from solveset (an equation in the sin and cos of one angle from trig_roots) and are
each put back and decided exactly; a sign scan between them (signs.py) adds any the solving
missed, found numerically and marked so. A periodic f is studied over one period; an equation
SymPy cannot solve (cos x = x), or one with infinitely many solutions and no period, sends the
whole study to the window [-10, 10], where its roots are all found by the scan. Nothing is
guessed: a sign that cannot be decided leaves its interval out, a point out of the interior of
the domain is no local extremum, and every claim is checked numerically before the record is
returned (analysis_check.py): one that fails is a MathError naming it.
"""

from __future__ import annotations

import math
from fractions import Fraction

import mpmath
import sympy as sp
from sympy.core.evalf import PrecisionExhausted

from . import domain as d
from .analysis_check import check, edges_of
from .calculus import gradient_at
from .differentiation import differentiate
from .errors import MathError
from .forms import off_the_kinks, textbook_form
from .mpeval import compiled
from .results import (
    FIRST_TEST,
    SECOND_TEST,
    Absolute,
    Analysis,
    Critical,
    Extremum,
    Failure,
    Function,
    Inflection,
    Value,
)
from .signs import (
    SAMPLE_DIGITS,
    Sampled,
    all_zero_run,
    even_count,
    points_inside,
    root_between,
    sign_changes,
    signs_along,
    spread,
)
from .trig_roots import trig_zeros
from .values import as_fractions, decimal_form, has_decimals, sign_of, value_of

LINE, PERIOD, INTERVAL, WINDOW = "line", "period", "interval", "window"
WINDOW_ENDS = (sp.Integer(-10), sp.Integer(10))
SAMPLES = 400  # evenly spaced samples of f' and f'' across a bounded region, for sign changes
LONGEST_ROOT = 12  # operations in an exact root shown as it is; longer (Cardano's) as a decimal
ROOT_DIGITS = 50
SNAP_DENOMINATOR = 1000
SNAP_PI_DENOMINATOR = 24
ZERO, UNDEFINED_THERE = "zero", "undefined"


class Unsolved(Exception):
    """An equation or a set SymPy leaves unsolved, or solves with infinitely many points."""


class Flat(Exception):
    """f' (or f'') is 0 on a whole interval: infinitely many critical points."""


def analyze(
    function: Function, x: sp.Symbol, on: tuple[sp.Expr, sp.Expr] | None = None
) -> Analysis:
    exact = as_fractions(function.expr)
    first = off_the_kinks(differentiate(exact, x))  # the kinks are decided apart
    if sp.simplify(first) == 0:
        raise MathError(
            f"{function.name}' is 0 wherever it exists ({function.name} is constant"
            f"{' on each piece' if function.domain.kinks else ''}): every point is critical, "
            "and none is listed"
        )
    second = off_the_kinks(differentiate(first, x))
    period = periodic(exact, x) if on is None else None
    try:
        if on is not None:
            return study(function, x, first, second, on, INTERVAL, numeric=True)
        if period is not None:
            return study(function, x, first, second, (sp.Integer(0), period), PERIOD, numeric=True)
        try:
            return study(function, x, first, second, (-sp.oo, sp.oo), LINE, numeric=False)
        except Unsolved:
            return study(function, x, first, second, WINDOW_ENDS, WINDOW, numeric=True)
    except Unsolved as unsolved:
        raise MathError(f"SymPy cannot solve {unsolved} here, so nothing is claimed") from None
    except Flat:
        name = function.name
        raise MathError(
            f"{name}' or {name}'' is 0 on a whole interval ({name} is constant or a line there): "
            "infinitely many critical or inflection points, and none is listed"
        ) from None


def periodic(expr: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    try:
        period = sp.periodicity(expr, x)
    except (NotImplementedError, ValueError, TypeError):
        return None
    return period if period is not None and period.is_positive else None


def study(function, x, first, second, ends, scope, numeric):  # type: ignore[no-untyped-def]
    """The whole analysis over the region between `ends`."""
    exact = as_fractions(function.expr)
    region = sp.Interval(*ends)
    domain = domain_within(function, x, region)
    wide = widened(domain, ends, scope)
    kinks = kink_points(function, x, region)
    solved: list[str] = []
    flat = sp.simplify(second) == 0  # a line on each piece: no concavity, no inflection
    stationary = roots(first, x, region, domain, kinks, numeric, solved, "first")
    flexes = [] if flat else roots(second, x, region, domain, kinks, numeric, solved, "second")
    inside = sp.Interval.Ropen(*ends) if scope == PERIOD else region  # a period's end is 0 again
    inner = ordered(c for c in stationary + kinks if interior(c, wide, inside))
    decimals = has_decimals(function.domain)
    critical, undecided = critical_points(function, exact, x, first, inner, set(kinks), decimals)
    turning = [c.x for c in critical] + kinks
    chart_first = chart(first, x, cuts(domain, region, turning), region, domain)
    chart_second = (
        [] if flat else chart(second, x, cuts(domain, region, turning + flexes), region, domain)
    )
    joins = joinable(exact, x, domain, set(kinks))
    no_slope = {c.x for c in critical if c.kind == UNDEFINED_THERE} | set(undecided)
    bends = smoothly(joins, no_slope)
    extrema = tuple(
        e for c in critical if (e := extremum(x, c, second, chart_first, joins, scope)) is not None
    )
    inflections = tuple(
        Inflection(c, height(exact, x, c, decimals))
        for c in ordered(flexes + kinks)
        if interior(c, wide, inside) and changes(c, chart_second, joins, scope)
    )
    ends_lines = asymptotes_at_the_ends(exact, x, domain) if scope == LINE else ((), ())
    result = Analysis(
        function=function,
        variable=x,
        first=decimal_form(textbook_form(first), decimals),
        second=decimal_form(textbook_form(second), decimals),
        scope=scope,
        region=ends,
        domain=domain,
        derivative_domain=derivative_domain(wide, region, critical, undecided),
        critical=tuple(critical),
        increasing=merged(chart_first, 1, joins),
        decreasing=merged(chart_first, -1, joins),
        concave_up=merged(chart_second, 1, bends),
        concave_down=merged(chart_second, -1, bends),
        extrema=extrema,
        inflections=inflections,
        vertical=vertical_asymptotes(exact, x, domain, chart_first, scope),
        horizontal=ends_lines[0],
        slant=ends_lines[1],
        absolute=absolute(exact, x, ends, domain, critical, joins, kinks, decimals)
        if scope == INTERVAL
        else None,
        solved_numerically=tuple(solved),
        undecided=tuple(undecided),
        decimals=decimals,
    )
    check(result, exact, first, second)  # every claim, numerically, before it is printed
    return result


def derivative_domain(wide: sp.Set, region: sp.Set, critical, undecided) -> sp.Set:  # type: ignore[no-untyped-def]
    """Where f' exists: the domain's interior (no one-sided derivatives at its ends) less the
    points where it does not exist or was not decided."""
    missing = [c.x for c in critical if c.kind == UNDEFINED_THERE] + list(undecided)
    inside = sp.Intersection(wide.interior, region)
    return sp.Complement(inside, sp.FiniteSet(*missing)) if missing else inside


def widened(domain: sp.Set, ends, scope: str) -> sp.Set:  # type: ignore[no-untyped-def]
    """Where interior points are judged: a period's neighbours count (f repeats its domain one
    period either side), an interval's ends do not."""
    if scope != PERIOD:
        return domain
    period, t = ends[1] - ends[0], sp.Dummy("t")
    copies = [sp.imageset(sp.Lambda(t, t + k * period), domain) for k in (-1, 1)]
    return sp.Union(domain, *copies)


def interior(c: sp.Expr, wide: sp.Set, region: sp.Set) -> bool:
    """In the region and inside f's domain, not on its edge (an end is no local extremum)."""
    inside = region.contains(c) is sp.true and wide.contains(c) is sp.true
    return inside and wide.boundary.contains(c) is sp.false


# The domain and the special points, within the region


def domain_within(function: Function, x: sp.Symbol, region: sp.Set) -> sp.Set:
    """Where f is defined as typed, within the region. SymPy solves an inequality in a periodic
    argument over one period only (sin x > 0 gives (0, π) on the whole line), so such a one is
    solved here from its zeros, and only in a bounded region."""
    needs = [need for condition in function.domain.conditions for need in needs_of(condition)]
    removed = [p for w, signs in needs if signs == NONZERO for p in finite_solutions(w, x, region)]
    found = sp.Complement(region, sp.FiniteSet(*removed)) if removed else region
    for w, signs in needs:
        if signs == NONZERO:
            continue
        if periodic(w, x) is None:
            found = sp.Intersection(found, solved_set(relation(w, signs), x, region))
        elif region.measure.is_finite:
            found = sp.Intersection(found, charted_set(w, signs, x, region, removed))
        else:
            raise Unsolved(f"{relation(w, signs)} on the whole line")
    if not plain(found):
        raise Unsolved(f"the domain {found}")
    return found


POSITIVE, NONNEGATIVE, NONZERO = frozenset({1}), frozenset({0, 1}), frozenset({-1, 1})


def needs_of(condition: d.Condition) -> list[tuple[sp.Expr, frozenset[int]]]:
    """The condition as signs an expression may take: ln(u) needs u's sign in {1}."""
    u = as_fractions(condition.arg)
    return {
        d.POSITIVE: [(u, POSITIVE)],
        d.NONNEGATIVE: [(u, NONNEGATIVE)],
        d.NONZERO: [(u, NONZERO)],
        d.UNIT: [(u + 1, NONNEGATIVE), (1 - u, NONNEGATIVE)],
        d.OPEN_UNIT: [(u + 1, POSITIVE), (1 - u, POSITIVE)],
        d.AT_LEAST_ONE: [(u - 1, NONNEGATIVE)],
    }[condition.relation]


def relation(w: sp.Expr, signs: frozenset[int]):  # type: ignore[no-untyped-def]
    return w > 0 if signs == POSITIVE else w >= 0


def solved_set(relation, x: sp.Symbol, region: sp.Set) -> sp.Set:  # type: ignore[no-untyped-def]
    try:
        found = sp.solveset(relation, x, region)
    except (NotImplementedError, ValueError, TypeError) as error:
        raise Unsolved(str(relation)) from error
    if not plain(found):
        raise Unsolved(str(relation))
    return found


def charted_set(w, signs, x, region, removed) -> sp.Set:  # type: ignore[no-untyped-def]
    """Where w's sign is one of `signs` in a bounded region: between its zeros (and the points
    f's other conditions remove, where w may jump), each piece and point decided."""
    zeros = finite_solutions(w, x, region)
    ends = [region.inf, *cuts(region, region, zeros + removed), region.sup]
    parts = []
    for lo, hi in zip(ends, ends[1:]):
        if sign_of(w.xreplace({x: probe_between(lo, hi)})) in signs:
            parts.append(sp.Interval(lo, hi, True, True))  # open
    for point in ends:
        value = w.xreplace({x: point})
        if value_of(value) is not None and sign_of(value) in signs:
            parts.append(sp.FiniteSet(point))
    return sp.Union(*parts)


def plain(found: sp.Set) -> bool:
    """A union of finitely many intervals and points, which a sign chart can walk."""
    if found.is_Interval or found.is_FiniteSet or found == sp.S.EmptySet or found == sp.S.Reals:
        return True
    return found.is_Union and all(plain(part) for part in found.args)


def kink_points(function: Function, x: sp.Symbol, region: sp.Set) -> list[sp.Expr]:
    """Where an argument of |u|, sign(u), a root, asin... reaches its edge: f' may not exist."""
    points = []
    for kink in function.domain.kinks:
        for edge in d.EDGES[kink.holds]:
            points += finite_solutions(as_fractions(kink.arg) - edge, x, region)
    return ordered(points)


def finite_solutions(expr: sp.Expr, x: sp.Symbol, region: sp.Set) -> list[sp.Expr]:
    """The real solutions of expr = 0 in the region, when finitely many, factor by factor of
    its numerator: a polynomial's from real_roots, any other's from solveset, factors that are
    never 0 (e^u, b^u) skipped; a root longer than LONGEST_ROOT operations (Cardano's radicals,
    CRootOf) as a 15-digit decimal."""
    numerator = sp.numer(sp.together(expr))
    values: list[sp.Expr] = []
    for factor in sp.Mul.make_args(sp.factor_terms(numerator)) if numerator.has(x) else ():
        base = factor.base if factor.is_Pow and factor.exp.is_positive else factor
        base = base.args[0] if isinstance(base, sp.Abs) else base  # |u| = 0 where u = 0
        if not base.has(x) or never_zero(base):
            continue
        if base.is_polynomial(x):
            values += [r for r in sp.real_roots(sp.Poly(base, x)) if region.contains(r) is sp.true]
        else:
            values += solved_roots(base, x, region)
    return [v if short(v) else sp.Float(v.evalf(15), 15) for v in values]


def spans_an_interval(found: sp.Set) -> bool:
    if found.is_Interval:
        return True
    if found.is_Union:
        return any(spans_an_interval(part) for part in found.args)
    return found.is_Complement and spans_an_interval(found.args[0])


def never_zero(factor: sp.Expr) -> bool:
    """e^u, and b^u with a variable exponent (deriv reads it only for b > 0); sign(u) is 0 only
    at u = 0, a kink of f where the formula does not hold (kinks are decided apart)."""
    if isinstance(factor, (sp.exp, sp.sign)):
        return True
    return factor.is_Pow and bool(factor.exp.free_symbols)


def short(root: sp.Expr) -> bool:
    return not root.has(sp.CRootOf) and sp.count_ops(root) <= LONGEST_ROOT


def solved_roots(expr: sp.Expr, x: sp.Symbol, region: sp.Set) -> list[sp.Expr]:
    """solveset's roots; a trigonometric polynomial's in a bounded region by rewriting it in
    the sin and cos of one angle (solveset gives up on sin x·cos 2x, or answers in part)."""
    try:
        in_one_angle = trig_zeros(expr, x, region)
    except (NotImplementedError, ValueError, TypeError, sp.PolynomialError):
        in_one_angle = None
    if in_one_angle is not None:
        return in_one_angle
    try:
        found = sp.solveset(expr, x, region)
    except (NotImplementedError, ValueError, TypeError) as error:
        raise Unsolved(str(expr)) from error
    if not found.is_finite_set:
        if spans_an_interval(found):
            raise Flat()
        raise Unsolved(str(expr))
    try:
        values = [v for v in found if v.is_real is not False]
    except TypeError as error:  # an intersection whose members SymPy cannot decide
        raise Unsolved(str(expr)) from error
    if any(v.has(sp.I) for v in values):
        raise Unsolved(str(expr))
    return values


def roots(expr, x, region, domain, kinks, numeric, solved, which):  # type: ignore[no-untyped-def]
    """Where expr (f' or f'', not 0) is 0 in the domain: solved and each put back, then a sign
    scan of the pieces between them for roots the solving missed (or, where it cannot solve
    and `numeric` allows, for all of them), found numerically and marked so."""
    try:
        found, unsolved = finite_solutions(expr, x, region), False
    except Unsolved:
        if not numeric:
            raise
        found, unsolved = [], True
        solved.append(which)
    found = [
        v for v in found if domain.contains(v) is sp.true and (v.is_Float or is_root(expr, x, v))
    ]
    missed = scanned_roots(expr, x, region, domain, found + kinks, unsolved)
    if (missed or any(v.is_Float for v in found)) and which not in solved:
        solved.append(which)
    return ordered(found + missed)


def is_root(expr: sp.Expr, x: sp.Symbol, value: sp.Expr) -> bool:
    """expr(value) is 0 to 50 digits (a spurious solution would not be): solveset's roots are
    exact, and proving a radical expression 0 symbolically can take minutes."""
    at = expr.xreplace({x: value})
    try:
        approx = at.evalf(ROOT_DIGITS, strict=True, maxn=4 * ROOT_DIGITS)
    except PrecisionExhausted:
        return True  # no digit of it is non-zero at this precision: 0
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    if not (approx.is_number and approx.is_finite is True):
        return False  # nan, ±oo: a pole or a point where the formula has no value
    return bool(abs(approx) < sp.Float(10) ** (-ROOT_DIGITS + 10))


def scanned_roots(expr, x, region, domain, known, unsolved) -> list[sp.Expr]:  # type: ignore[no-untyped-def]
    """The roots of expr where it changes sign inside a piece of the domain between the `known`
    points (and the domain's edges): samples (signs.py), then bisection to 15 digits; a simple
    number (-2, π/2) where it is a root exactly, a decimal otherwise. A pole is no root. Where
    SymPy could not solve (`unsolved`), samples 0 on a stretch mean expr is 0 there (Flat);
    where it could, solving has already said so, and such zeros are a tail's underflow (tanh''
    far out)."""
    f = Sampled.of(expr, x)
    ends = [region.inf, *cuts(domain, region, known), region.sup]
    span = spread(ends)
    found = []
    for lo, hi in zip(ends, ends[1:]):
        if domain.contains(probe_between(lo, hi)) is not sp.true:
            continue
        points = points_inside(lo, hi, even_count(lo, hi, span, SAMPLES))
        signs = signs_along(f, points)
        if unsolved and all_zero_run(f, points, signs):
            raise Flat()
        for a, b in sign_changes(f, points, signs):
            root = root_between(f, a, b)
            if root is not None:
                found.append(snapped(expr, x, root))
    return ordered(found)


def snapped(expr: sp.Expr, x: sp.Symbol, root: mpmath.mpf) -> sp.Expr:
    """A root found numerically: a simple fraction, or one of π, where it is one exactly (-2,
    not -2.0; π/2, not 1.570796327), the 15-digit decimal otherwise."""
    near = float(root)
    fraction = sp.Rational(Fraction(near).limit_denominator(SNAP_DENOMINATOR))
    of_pi = sp.pi * sp.Rational(Fraction(near / math.pi).limit_denominator(SNAP_PI_DENOMINATOR))
    for simple in (fraction, of_pi):
        if abs(float(simple) - near) < 1e-9 * (1 + abs(near)) and is_root(expr, x, simple):
            return simple
    return sp.Float(root, 15)


def ordered(points) -> list[sp.Expr]:  # type: ignore[no-untyped-def]
    return sorted(dict.fromkeys(points), key=lambda v: float(v))


# Critical points and the sign charts


def critical_points(function, exact, x, first, candidates, kinks, decimals):  # type: ignore[no-untyped-def]
    """Each candidate where f'(c) = 0, or where f' does not exist (decided from the definition
    at a kink); those whose derivative cannot be decided are returned apart."""
    critical, undecided = [], []
    for c in candidates:
        if c not in kinks:
            critical.append(Critical(c, ZERO, height(exact, x, c, decimals)))
            continue
        outcome = gradient_at(function, (x,), ((x, c),), [first])
        if isinstance(outcome, Failure):
            if outcome.reason == "undecided":
                undecided.append(c)
                continue
            critical.append(Critical(c, UNDEFINED_THERE, height(exact, x, c, decimals)))
        elif sign_of(outcome[0].number) == 0:
            critical.append(Critical(c, ZERO, height(exact, x, c, decimals)))
    return critical, undecided


def cuts(domain: sp.Set, region: sp.Set, points: list[sp.Expr]) -> list[sp.Expr]:
    """Where a sign may change: the points given and the domain's edges, inside the region."""
    inside = [p for p in points + edges_of(domain) if region.contains(p) is sp.true]
    return ordered(p for p in inside if p not in (region.inf, region.sup))


def chart(expr, x, cut_points, region, domain):  # type: ignore[no-untyped-def]
    """[(from, to, sign of expr)] for each open piece between cuts that lies in the domain;
    a piece whose sign cannot be decided is left out."""
    ends = [region.inf, *cut_points, region.sup]
    pieces = []
    for lo, hi in zip(ends, ends[1:]):
        probe = probe_between(lo, hi)
        if domain.contains(probe) is not sp.true:
            continue
        sign = sign_of(expr.xreplace({x: probe}))
        if sign is not None:
            pieces.append((lo, hi, sign))
    return pieces


def probe_between(lo: sp.Expr, hi: sp.Expr) -> sp.Expr:
    if lo.is_infinite and hi.is_infinite:
        return sp.Integer(0)
    if lo.is_infinite:
        return sp.floor(hi) - 1
    if hi.is_infinite:
        return sp.ceiling(lo) + 1
    return as_fractions((lo + hi) / 2)


def joinable(exact, x, domain, kinks):  # type: ignore[no-untyped-def]
    """A point where two pieces of a chart join into one interval: in the domain, f continuous."""

    def joins(c: sp.Expr) -> bool:
        if domain.contains(c) is not sp.true:
            return False
        return c not in kinks or continuous_at(exact, x, c)

    return joins


def continuous_at(expr: sp.Expr, x: sp.Symbol, c: sp.Expr) -> bool:
    at = expr.xreplace({x: c})
    limits = [limit_of(expr, x, c, side) for side in ("+", "-")]
    return all(limit is not None and sign_of(limit - at) == 0 for limit in limits)


def smoothly(joins, no_slope):  # type: ignore[no-untyped-def]
    """Where two pieces of the f'' chart join: f' exists there too, so that f' is monotone
    across the point (sqrt|x| is concave down on each side of 0, not across its cusp)."""
    return lambda c: joins(c) and c not in no_slope


def merged(pieces, sign, joins) -> tuple[tuple[sp.Expr, sp.Expr], ...]:  # type: ignore[no-untyped-def]
    """The pieces of this sign, neighbours that meet at a joinable point made one interval."""
    intervals: list[list[sp.Expr]] = []
    for lo, hi, s in pieces:
        if s != sign:
            continue
        if intervals and intervals[-1][1] == lo and joins(lo):
            intervals[-1][1] = hi
        else:
            intervals.append([lo, hi])
    return tuple((lo, hi) for lo, hi in intervals)


def sides(c, pieces, scope):  # type: ignore[no-untyped-def]
    """The signs of the chart's pieces just left and right of c (a period wraps around)."""
    left = next((s for lo, hi, s in pieces if hi == c), None)
    right = next((s for lo, hi, s in pieces if lo == c), None)
    if left is None and scope == PERIOD and pieces and pieces[0][0] == c:
        left = pieces[-1][2]
    return left, right


def extremum(x, critical, second, pieces, joins, scope):  # type: ignore[no-untyped-def]
    c = critical.x  # as the chart's cuts are; substituted exactly
    if not joins(c) and not (scope == PERIOD and c == 0):
        return None
    if critical.kind == ZERO:
        curvature = value_of(at_point(second, x, c))
        if curvature is not None and c.is_Float:
            curvature = Value(curvature.approx, curvature.approx)
        if curvature is not None and sign_of(curvature.exact) not in (0, None):
            kind = "minimum" if sign_of(curvature.exact) > 0 else "maximum"
            return Extremum(critical.x, kind, critical.value, SECOND_TEST, curvature)
    left, right = sides(c, pieces, scope)
    kind = {(1, -1): "maximum", (-1, 1): "minimum"}.get((left, right))
    return Extremum(critical.x, kind, critical.value, FIRST_TEST) if kind else None


def changes(c, pieces, joins, scope) -> bool:  # type: ignore[no-untyped-def]
    left, right = sides(c, pieces, scope)
    return joins(c) and left is not None and right is not None and left * right < 0


# Values, asymptotes and absolute extrema


def height(exact: sp.Expr, x: sp.Symbol, c: sp.Expr, decimals: bool) -> Value:
    """f(c), exact and in its textbook form (38/27 + 26√13/27, not the cube of a sum)."""
    at = at_point(exact, x, c)
    value = value_of(at if c.is_Float else textbook_form(at), decimals or c.is_Float)
    if value is None:
        raise MathError(f"f has no value at x = {c}, a point the analysis needs")
    if c.is_Float:
        approx = value.approx if beyond_round_off(exact, x, c, value.approx) else sp.Float(0)
        return Value(approx, approx)
    return value


def beyond_round_off(exact: sp.Expr, x: sp.Symbol, c: sp.Float, approx: sp.Float) -> bool:
    """f at a point known to 15 digits is known only as well as that: a value smaller than f's
    change across the point's last digits is 0 ((cos x - x)² at cos x = x, not 3.6e-31)."""
    f = compiled(exact, x)
    with mpmath.workdps(SAMPLE_DIGITS):
        t = mpmath.mpf(c)
        step = mpmath.mpf("1e-14") * (1 + abs(t))
        at, beside = f(t), [f(t - step), f(t + step)]
    if at is None or any(b is None or b != b for b in beside):
        return True
    return abs(approx) > max(abs(b - at) for b in beside)


def at_point(expr: sp.Expr, x: sp.Symbol, c: sp.Expr) -> sp.Expr:
    """expr at x = c; at a point such as asin(√6/6), with sin(2·asin u) = 2u√(1 - u²) and the
    like applied (expand_trig), so that it shows as √6/9, not as cos(2·asin(√6/6))·√6/6."""
    at = expr.xreplace({x: as_fractions(c)})
    if c.has(sp.asin, sp.acos, sp.atan):
        at = sp.simplify(sp.expand_trig(at))
    return at


def vertical_asymptotes(exact, x, domain, pieces, scope) -> tuple[sp.Expr, ...]:  # type: ignore[no-untyped-def]
    """x = p where f tends to ±oo from a side of p that lies in the domain."""
    found = []
    for p in sorted({lo for lo, _, _ in pieces} | {hi for _, hi, _ in pieces}, key=float):
        if p.is_infinite or domain.contains(p) is sp.true:
            continue
        for side, present in (
            ("-", any(hi == p for _, hi, _ in pieces)),
            ("+", any(lo == p for lo, _, _ in pieces)),
        ):
            if present and limit_of(exact, x, p, side) in (sp.oo, -sp.oo):
                found.append(p)
                break
    return tuple(found)


def asymptotes_at_the_ends(exact, x, domain):  # type: ignore[no-untyped-def]
    """As x -> -oo and oo (where the domain reaches): y = L where f tends to a finite L
    (horizontal), else y = mx + b where f/x tends to m != 0 and f - mx to b (slant)."""
    horizontal, slant = [], []
    for end, reaches in ((-sp.oo, domain.inf == -sp.oo), (sp.oo, domain.sup == sp.oo)):
        level = limit_at(exact, x, end) if reaches else None
        if level is not None:
            horizontal.append((end, level))
            continue
        slope = limit_at(exact / x, x, end) if reaches else None
        if slope is None or slope == 0:
            continue
        offset = limit_at(exact - slope * x, x, end)
        if offset is not None:
            slant.append((end, slope * x + offset))
    return tuple(horizontal), tuple(slant)


def limit_at(expr: sp.Expr, x: sp.Symbol, end: sp.Expr) -> sp.Expr | None:
    """The limit as x -> end when SymPy finds it finite and real; None otherwise."""
    limit = limit_of(expr, x, end)
    return limit if limit is not None and limit.is_real and limit.is_finite else None


def limit_of(expr: sp.Expr, x: sp.Symbol, point: sp.Expr, side: str = "+") -> sp.Expr | None:
    """SymPy's limit (one-sided at a finite point), or None where it gives up."""
    try:
        return sp.limit(expr, x, point, side)
    except (NotImplementedError, ValueError, TypeError):
        return None


def absolute(exact, x, ends, domain, critical, joins, kinks, decimals):  # type: ignore[no-untyped-def]
    """The largest and least values on [a, b] among a, b and the critical points, when f is
    continuous on [a, b] (the extreme value theorem); none when it is not."""
    a, b = ends
    if domain != sp.Interval(a, b) or not all(joins(k) for k in kinks):
        return ()
    candidates = [a, *[c.x for c in critical], b]  # a point found numerically stays a decimal
    values = [(c, height(exact, x, c, decimals)) for c in candidates]
    rough = any(c.is_Float for c in candidates)
    found = []
    for kind, better in (("maximum", 1), ("minimum", -1)):
        best = values[0][1]
        for _, v in values[1:]:
            if compared(v, best, rough) == better:
                best = v
        at = tuple(dict.fromkeys(c for c, v in values if compared(v, best, rough) == 0))
        found.append(Absolute(kind, best, at))
    return tuple(found)


def compared(value: Value, other: Value, rough: bool) -> int | None:
    """The sign of value - other: exactly, or where a value rests on a point found to 15 digits,
    to 12 digits (two maxima of a numerical |sin x| are equal)."""
    if not rough:
        return sign_of(value.number - other.number)
    gap = float(value.approx - other.approx)
    return 0 if abs(gap) <= 1e-12 * (1 + abs(float(other.approx))) else (1 if gap > 0 else -1)


__all__ = ["analyze", "Unsolved", "LINE", "PERIOD", "INTERVAL", "WINDOW"]
