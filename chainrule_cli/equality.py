"""Is an answer f' as a function on f's domain? Decided exactly, never by a tolerance.

1. Symbolically: decimals read as the fractions they were typed as, the difference simplified.
   A zero difference holds away from the points where either side is special (a kink, the
   edge of where the answer is defined), so those are still checked one by one.
2. Otherwise at points: spread over the whole line (0 ... ±10⁹) and on both sides of, and at,
   every kink of f and of the answer and every edge of where they are defined. Between two such
   points both sides are analytic, so a difference anywhere shows at the points beside it.
   At each point f' comes from the point oracle (points.derivative_at); the answer is
   substituted as typed; the sign of their difference is certified (values.sign_of).

A point where f or f' is undefined says nothing (|x| at 0: the textbook's sign(x) is right).
A point where f' is defined and the answer is not is a difference. A point where the sign
cannot be certified leaves the answer undecided.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache
from itertools import chain
from math import floor

import sympy as sp

from . import domain as d
from .differentiation import differentiate
from .domain import Domain
from .points import derivative_at, requirement_failing
from .results import UNDECIDED, Failure, Function, Point, Value
from .values import DIGITS, as_fractions, sign_of, substitute, value_of

SPREAD = tuple(
    sp.Rational(sign * v)
    for v in (0, 1, Fraction(1, 3), 2, Fraction(7, 3), 10, 10**3, 10**6, 10**9)
    for sign in ((1,) if v == 0 else (1, -1))
) + (
    # points that are no rational multiple of π or of each other: sin(3πx) is 0 at every point
    # above, so -sin(3πx) for cos(3πx)' would pass there
    sp.sqrt(2) / 4,
    -sp.E / 7,
    sp.sqrt(3),
    -sp.E - sp.sqrt(2),
)
SIDE = sp.Rational(1, 100)  # how far beside a kink: at most this, less where kinks crowd
MIXES = 24  # points of several variables, each variable from SPREAD
BASES = (sp.Rational(1, 3), sp.Integer(-2))  # the other variables, when solving for one
MAX_BREAKS = 24
# The largest exact power evaluated, in nats: 3^x at x = 10⁹ would be an integer of half a
# billion digits (and Python prints none of more than 4300).
GROWTH = 4_000
# The largest u in exp(u) evaluated: exp(exp(x)) at 10⁶ needs exp(10⁶) to 434 300 digits.
EXPONENT = sp.Integer(10) ** 50
# Where a condition's argument stops meeting it (ln u: u = 0; asin u: u = ±1).
CONDITION_EDGES = {
    d.POSITIVE: (0,),
    d.NONNEGATIVE: (0,),
    d.NONZERO: (0,),
    d.UNIT: (-1, 1),
    d.OPEN_UNIT: (-1, 1),
    d.AT_LEAST_ONE: (1,),
}


@dataclass(frozen=True)
class Comparison:
    """The answer and f' at one point: the answer's values (None where undefined), f''s,
    and whether they are equal (None: the sign of the difference could not be certified)."""

    point: Point
    answer: tuple[Value | None, ...]
    expected: tuple[Value, ...]
    equal: bool | None


@dataclass(frozen=True)
class Verdict:
    """correct is None when undecided; `difference` is the point that shows a wrong answer."""

    correct: bool | None
    method: str  # "symbolic" | "numeric"
    difference: Comparison | None = None


@dataclass(frozen=True)
class Sides:
    """Both sides of the equation, exactly: f (decimals as fractions), f' and the answer."""

    function: Function
    variables: tuple[sp.Symbol, ...]
    expected: tuple[sp.Expr, ...]
    answer: Function  # the components as a tuple: for what they need to be defined as typed
    answers: tuple[sp.Expr, ...]


def decide(
    function: Function,
    variables: tuple[sp.Symbol, ...],
    answers: tuple[sp.Expr, ...],
    answer_domain: Domain,
) -> Verdict:
    sides = exact_sides(function, variables, answers, answer_domain)
    differences = (sp.simplify(a - e) for a, e in zip(sides.answers, sides.expected))
    symbolic = all(difference == 0 for difference in differences)
    special = ((point, True) for point in special_points(sides))
    if symbolic:
        return verdict(sides, special, symbolic)
    spread = ((point, False) for point in spread_points(sides))
    return verdict(sides, chain(spread, special), symbolic)


def exact_sides(
    function: Function,
    variables: tuple[sp.Symbol, ...],
    answers: tuple[sp.Expr, ...],
    answer_domain: Domain,
) -> Sides:
    exact = replace(function, expr=as_fractions(function.expr))
    answer = Function(sp.Tuple(*answers), "answer", function.variables, answer_domain)
    return Sides(
        exact,
        variables,
        tuple(differentiate(exact.expr, v) for v in variables),
        answer,
        tuple(as_fractions(a) for a in answers),
    )


def verdict(sides: Sides, points: Iterable[tuple[Point, bool]], symbolic: bool) -> Verdict:
    """Wrong at the first difference. Undecided if a point could not be decided, or a special
    point was too large to evaluate (the difference might be only there), or (without a
    symbolic proof) no point could be compared. Else correct. A spread point too large is
    left out: the special points beside every break already meet each piece of the line."""
    method = "symbolic" if symbolic else "numeric"
    compared = undecided = 0
    for point, special in points:
        comparison = compare_at(sides, point)
        if comparison is TOO_LARGE:
            undecided += special
            continue
        if comparison is None:
            continue
        if comparison.equal is False:
            return Verdict(False, "numeric", comparison)
        compared += 1
        undecided += comparison.equal is None
    if undecided or not (compared or symbolic):
        return Verdict(None, method)
    return Verdict(True, method)


# Comparing at one point.


TOO_LARGE = "too large"


def compare_at(sides: Sides, point: Point):  # type: ignore[no-untyped-def]
    """The comparison at the point; None where f' is undefined; TOO_LARGE where a value is
    too large to compute."""
    formulas = (sides.function.expr, *sides.expected, *sides.answers)
    if any(too_large(formula, point) for formula in formulas):
        return TOO_LARGE
    expected = []
    for wrt, formula in zip(sides.variables, sides.expected):
        value = derivative_at(sides.function, (wrt,), point, formula)
        if isinstance(value, Failure):
            return None
        expected.append(value)
    answer = answer_values(sides, point)
    if answer is UNSURE:
        return Comparison(point, (None,) * len(expected), tuple(expected), None)
    return Comparison(point, answer, tuple(expected), agree(answer, expected))


UNSURE = "unsure"  # whether the answer is defined, or its value, could not be certified


def answer_values(sides: Sides, point: Point):  # type: ignore[no-untyped-def]
    """The answer's values, None for each where the answer is undefined as typed; UNSURE
    where that cannot be decided."""
    failing = requirement_failing(sides.answer, point)
    if failing is not None:
        return UNSURE if failing.reason == UNDECIDED else (None,) * len(sides.answers)
    values = tuple(answer_value(substitute(a, point)) for a in sides.answers)
    return UNSURE if UNSURE in values else values


def answer_value(exact: sp.Expr) -> Value | None | str:
    """The value; None where there is none (1/0, a square root of -1); UNSURE where a real
    value too near zero to certify (atan(1/2) + atan(1/3) - π/4) may be there."""
    value = value_of(exact)
    if value is not None or exact.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return value
    approx = exact.evalf(DIGITS)
    return UNSURE if approx.is_Number and approx.is_extended_real else None


def agree(answer: tuple[Value | None, ...], expected: list[Value]) -> bool | None:
    """False if a component differs (or the answer has no value), None if undecided."""
    signs = [
        sign_of_cached(a.number - e.number) if a is not None else 1
        for a, e in zip(answer, expected)
    ]
    if any(s not in (0, None) for s in signs):
        return False
    return None if None in signs else True


@lru_cache(maxsize=256)
def sign_of_cached(number: sp.Expr) -> int | None:
    """sign_of, once for each difference: 2x + c - 2x is c at every point, and proving a
    constant zero can take a second."""
    return sign_of(number)


def too_large(expr: sp.Expr, point: Point) -> bool:
    """Would evaluating expr there take ages: an exact power past e^GROWTH, or exp(u) with u
    past EXPONENT?"""
    for node in sp.postorder_traversal(expr):  # inner ones first: evaluating one is then safe
        size, limit = _size(node)
        if size is None or not size.free_symbols:
            continue
        approx = substitute(size, point).evalf(5)
        if approx.is_Number and approx.is_finite and abs(approx) > limit:
            return True
    return False


def _size(node: sp.Expr) -> tuple[sp.Expr | None, sp.Expr]:
    """u for exp(u), sinh(u), cosh(u); u·ln|b| (nats) for b^u with a variable or large u."""
    if isinstance(node, (sp.exp, sp.sinh, sp.cosh)):
        return node.args[0], EXPONENT
    if node.is_Pow and (node.exp.free_symbols or abs(node.exp) > 64):
        return node.exp * sp.log(sp.Abs(node.base)), sp.Integer(GROWTH)
    return None, sp.Integer(0)


# Where to compare.


def spread_points(sides: Sides) -> Iterator[Point]:
    """Points over the whole domain: along the line for one variable, mixed for several."""
    symbols = point_symbols(sides)
    if len(symbols) == 1:
        yield from (((symbols[0], v),) for v in SPREAD)
        return
    yield tuple((s, sp.Integer(0)) for s in symbols)
    choose = random.Random(7).choice
    for _ in range(MIXES):
        yield tuple((s, choose(SPREAD)) for s in symbols)


def special_points(sides: Sides) -> Iterator[Point]:
    """Beside and at each kink of f and of the answer, and each edge of their domains: along
    each variable of the kink, the others at a couple of values."""
    symbols = point_symbols(sides)
    for line, crossings in lines_through_breaks(sides, symbols):
        for before, at, after in beside(crossings):
            for value in (before, after, at):
                yield (*line, (crossings.symbol, value))


@dataclass(frozen=True)
class Crossings:
    """Where the breaks of f and the answer cross the line along `symbol`, sorted."""

    symbol: sp.Symbol
    at: tuple[sp.Expr, ...]


def lines_through_breaks(
    sides: Sides, symbols: tuple[sp.Symbol, ...]
) -> Iterator[tuple[Point, Crossings]]:
    breaks = break_expressions(sides)
    for symbol in symbols:
        others = [s for s in symbols if s != symbol]
        bases = BASES if others else BASES[:1]
        for base in bases:
            line = tuple((s, base) for s in others)
            found: set[sp.Expr] = set()
            for expr in breaks:
                if symbol in expr.free_symbols:
                    found.update(real_roots(substitute(expr, line), symbol))
            if found:
                ordered = sorted(found, key=lambda r: float(r.evalf(30)))[:MAX_BREAKS]
                yield line, Crossings(symbol, tuple(ordered))


def break_expressions(sides: Sides) -> list[sp.Expr]:
    """Each kink's argument minus its edge, and each condition's: zero where a side breaks."""
    domains = sides.function.domain | sides.answer.domain
    found = [k.arg - edge for k in domains.kinks for edge in d.EDGES[k.holds]]
    found += [c.arg - edge for c in domains.conditions for edge in CONDITION_EDGES[c.relation]]
    return list(dict.fromkeys(as_fractions(e) for e in found if e.free_symbols))


def real_roots(expr: sp.Expr, symbol: sp.Symbol) -> list[sp.Expr]:
    """The real zeros of expr in one variable: exactly for a polynomial, else what solve finds."""
    numerator = sp.together(expr).as_numer_denom()[0]
    if not numerator.free_symbols:
        return []
    if numerator.is_polynomial(symbol):
        poly = sp.Poly(numerator, symbol)
        if poly.domain.is_QQ or poly.domain.is_ZZ:
            return list(dict.fromkeys(poly.real_roots()))
    try:
        found = sp.solve(numerator, symbol)
    except Exception:  # noqa: BLE001 - solve fails in many ways; the spread points remain
        return []
    return [r for r in found if r.is_number and r.is_extended_real and r.is_finite]


def beside(crossings: Crossings) -> Iterator[tuple[sp.Expr, sp.Expr, sp.Expr]]:
    """(a point just before, the crossing, a point just after) for each crossing, the points
    beside it nearer than its neighbours: rational, the simplest there."""
    at = crossings.at
    for index, crossing in enumerate(at):
        gaps = [abs(crossing - at[j]) for j in (index - 1, index + 1) if 0 <= j < len(at)]
        side = min([SIDE, *(g / 3 for g in gaps)], key=lambda g: float(g.evalf(30)))
        if crossing.is_Rational and side.is_Rational:
            yield crossing - side, crossing, crossing + side
            continue
        yield (
            rational_between(crossing - side, crossing),
            crossing,
            rational_between(crossing, crossing + side),
        )


def rational_between(low: sp.Expr, high: sp.Expr) -> sp.Rational:
    """The simplest fraction strictly between two reals (the ends exact, or at 40 digits)."""
    if low.is_Rational and high.is_Rational:
        ends = Fraction(low.p, low.q), Fraction(high.p, high.q)
    else:
        ends = tuple(Fraction(str(sp.Float(e.evalf(40), 40))) for e in (low, high))
    found = simplest_between(*ends)
    return sp.Rational(found.numerator, found.denominator)


def simplest_between(low: Fraction, high: Fraction) -> Fraction:
    """The fraction with the smallest denominator in the open interval (low, high)."""
    if low < 0 < high:
        return Fraction(0)
    if high <= 0:
        return -simplest_between(-high, -low)
    whole = floor(low)
    if whole + 1 < high:
        return Fraction(whole + 1)
    if low == whole:  # (n, n + t): n + 1/m, the smallest m with 1/m < t
        return whole + Fraction(1, floor(1 / (high - whole)) + 1)
    return whole + 1 / simplest_between(1 / (high - whole), 1 / (low - whole))


def point_symbols(sides: Sides) -> tuple[sp.Symbol, ...]:
    """Every variable either side needs, in f's order then by name."""
    from .variables import natural_order

    used = (
        sides.function.expr.free_symbols
        | sides.function.domain.symbols
        | sides.answer.domain.symbols
        | set().union(*(a.free_symbols for a in sides.answers))
    )
    return natural_order(used)
