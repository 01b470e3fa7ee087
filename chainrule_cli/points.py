"""What a derivative is at a point: the formula's value where it can be trusted, and otherwise
the definition's one-sided limits.

1. f must be defined and real at the point as typed (domain.py's requirements, then its value).
2. Away from its kinks (|u|, sign(u), roots at 0, asin at ±1) f is smooth, and the formula's
   value, every variable substituted at once, is the derivative.
3. At a kink the formula cannot be trusted (d|x|/dx = sign(x) gives 0 at 0), so the one-sided
   limits of the difference quotient decide, h -> 0 from either side along the variable.
   SymPy's limit (with h a positive symbol, so |h| = h) is cross-checked by quotients evaluated
   at shrinking h in high precision; where the two disagree the answer is "undecided".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import combinations, product

import sympy as sp

from . import domain as d
from .differentiation import differentiate
from .functions import RealRoot
from .results import (
    CORNER,
    DISCONTINUOUS,
    NOT_REAL,
    UNDECIDED,
    UNDEFINED,
    VERTICAL,
    Failure,
    Function,
    Point,
    Value,
)
from .values import has_decimals, sign_of, substitute, value_of

H = sp.Dummy("h", positive=True)  # the step of the difference quotient, h -> 0+
STEPS = tuple(sp.Rational(1, 10 ** (6 * k)) for k in range(1, 6))  # 1e-6 ... 1e-30
NUMERIC_DIGITS = 30
AGREE = 1e-4  # relative gap within which a symbolic and a numerical limit agree
MAX_DIRECTION_VARIABLES = 6  # variables whose directions test differentiability (2⁵ diagonals)


@dataclass(frozen=True)
class Limit:
    """A one-sided limit: exact (a number or ±oo) when decided, else a numerical estimate."""

    exact: sp.Expr | None = None
    approx: float | None = None

    @property
    def decided(self) -> bool:
        return self.exact is not None

    @property
    def infinite(self) -> bool:
        return self.exact is not None and self.exact.is_infinite is True


# 1. Is f defined and real at the point, as typed?


def defined_at(function: Function, point: Point) -> Failure | None:
    failure = requirement_failing(function, point)
    if failure is not None:
        return failure
    height = substitute(function.expr, point)
    if value_of(height) is None:
        return Failure(_why_no_value(height))
    return None


def requirement_failing(function: Function, point: Point) -> Failure | None:
    """The first requirement of f as typed (ln needs x > 0, ...) that fails at the point."""
    for condition in function.domain.conditions:
        argument = substitute(condition.arg, point)
        reason = broken(condition.relation, argument)
        if reason:
            return Failure(reason, condition=condition, argument=argument)
    return None


def broken(relation: str, argument: sp.Expr) -> str | None:
    """UNDEFINED or NOT_REAL where a requirement fails for this argument's value, else None."""
    if _not_real(argument):
        return NOT_REAL
    if relation in (d.UNIT, d.OPEN_UNIT):
        below, above = sign_of(argument + 1), sign_of(1 - argument)
        if None in (below, above):
            return UNDECIDED
        if min(below, above) < 0:
            return NOT_REAL
        return UNDEFINED if relation == d.OPEN_UNIT and min(below, above) == 0 else None
    shift = argument - 1 if relation == d.AT_LEAST_ONE else argument
    sign = sign_of(shift)
    if sign is None:
        return UNDECIDED
    if relation == d.NONZERO:
        return UNDEFINED if sign == 0 else None
    if relation == d.POSITIVE and sign == 0:
        return UNDEFINED
    return NOT_REAL if sign < 0 else None


def _not_real(number: sp.Expr) -> bool:
    if number.has(sp.nan, sp.zoo):
        return False
    if number.is_extended_real is False:
        return True
    return number.is_number and number.is_extended_real is None and sign_of(sp.im(number)) != 0


def _why_no_value(number: sp.Expr) -> str:
    if number.has(sp.nan, sp.zoo, sp.oo, -sp.oo):
        return UNDEFINED
    if _not_real(number):
        return NOT_REAL
    return UNDECIDED if sign_of(number) is None else UNDEFINED  # not certified: not undefined


# 2. Can the formula be trusted there?


def is_special(function: Function, point: Point) -> bool:
    """At a kink of f (an argument of |u|, sign, a root... at its edge), or undecidably near one."""
    return any(_on_edge(kink, substitute(kink.arg, point)) for kink in function.domain.kinks)


def _on_edge(kink: d.Kink, argument: sp.Expr) -> bool:
    return any(sign_of(argument - edge) in (0, None) for edge in d.EDGES[kink.holds])


def derivative_at(
    function: Function, wrt: tuple[sp.Symbol, ...], point: Point, formula: sp.Expr
) -> Value | Failure:
    """The derivative (wrt applied in order, its formula given) at the point, or why not."""
    failure = defined_at(function, point)
    if failure is not None:
        return failure
    return value_at(function, wrt, point, formula, is_special(function, point))


def value_at(
    function: Function,
    wrt: tuple[sp.Symbol, ...],
    point: Point,
    formula: sp.Expr,
    special: bool,
) -> Value | Failure:
    """derivative_at for a point where f is known to be defined: several derivatives at one
    point (a gradient, a Hessian) check f and its kinks there once."""
    if not special:
        value = value_of(substitute(formula, point), has_decimals(function.domain, point))
        if value is not None:
            return value
    return by_definition(function, wrt, point, has_decimals(function.domain, point))


# 3. The definition, one side at a time.


def by_definition(
    function: Function, wrt: tuple[sp.Symbol, ...], point: Point, decimals: bool
) -> Value | Failure:
    """Each derivative in turn from its one-sided difference quotients."""
    g, at_point = function.expr, substitute(function.expr, point)
    for k, variable in enumerate(wrt):
        if k and _formula_breaks_along(function, wrt[:k], variable, point):
            return Failure(UNDECIDED, wrt[: k + 1])
        outcome = slope_along(function, g, at_point, point, {variable: sp.Integer(1)})
        if isinstance(outcome, Failure):
            return replace(outcome, wrt=wrt[: k + 1])
        at_point, g = outcome, differentiate(g, variable)
    value = value_of(at_point, decimals)
    return value if value is not None else Failure(UNDEFINED, wrt)


def slope_along(
    function: Function, g: sp.Expr, at_point: sp.Expr, point: Point, direction: dict
) -> sp.Expr | Failure:
    """The derivative of g along `direction` at the point, where both one-sided ones agree."""
    near = {side: _near_point(function, g, point, direction, side) for side in (-1, 1)}
    heights = {s: one_sided_limit(n) for s, n in near.items() if not isinstance(n, Failure)}
    if not all(_meets(limit, at_point) for limit in heights.values()):
        limits = tuple(_shown(heights[s]) if s in heights else None for s in (-1, 1))
        return Failure(DISCONTINUOUS, limits=limits)  # type: ignore[arg-type]
    slopes = {
        side: n if isinstance(n, Failure) else one_sided_limit((n - at_point) / (side * H))
        for side, n in near.items()
    }
    return verdict(slopes[-1], slopes[1])


def _near_point(
    function: Function, g: sp.Expr, point: Point, direction: dict, side: int
) -> sp.Expr | Failure:
    """g at a + s·h·u, h -> 0+; a Failure where f is not defined on that side."""
    moved = _moved(point, direction, side)
    for condition in function.domain.conditions:
        reason = _fails_near(condition, substitute(condition.arg, moved))
        if reason:
            return Failure(reason, condition=condition, side=side)
    return substitute(g, moved)


def _moved(point: Point, direction: dict, side: int) -> Point:
    return tuple((s, v + side * H * direction.get(s, 0)) for s, v in point)


def _fails_near(condition: d.Condition, argument: sp.Expr) -> str | None:
    """Whether a requirement fails at points h -> 0+ away: its sign at two tiny steps."""
    if not argument.has(H):
        return broken(condition.relation, argument)
    reasons = {broken(condition.relation, argument.xreplace({H: step})) for step in STEPS[-2:]}
    if len(reasons) > 1:
        return UNDECIDED
    return reasons.pop()


def _meets(limit: Limit, at_point: sp.Expr) -> bool:
    """g(a ± h) -> g(a): otherwise g jumps, and no derivative exists there."""
    if limit.exact is not None:
        return limit.exact.is_finite is not False and sign_of(limit.exact - at_point) == 0
    if limit.approx is not None:
        scale = max(1.0, abs(float(at_point)))
        return abs(limit.approx - float(at_point)) <= AGREE * scale
    return True  # undecided here: the slope's limit decides


def verdict(left: Limit | Failure, right: Limit | Failure) -> sp.Expr | Failure:
    """The derivative where the one-sided slopes are one finite number; otherwise the kind of
    failure, with the one-sided values that exist."""
    missing = [s for s in (left, right) if isinstance(s, Failure)]
    if missing:
        present = [s for s in (left, right) if isinstance(s, Limit)]
        if present and present[0].infinite:
            return _with_sides(replace(missing[0], reason=VERTICAL), left, right)
        return _with_sides(missing[0], left, right)
    if not (left.decided and right.decided):
        if left.approx is not None and right.approx is not None and not _near(left, right):
            return _with_sides(Failure(CORNER), left, right)
        return _with_sides(Failure(UNDECIDED), left, right)
    if left.infinite and right.infinite:
        return Failure(VERTICAL, left=left.exact, right=right.exact)
    if left.infinite or right.infinite or sign_of(left.exact - right.exact) != 0:
        return Failure(CORNER, left=left.exact, right=right.exact)
    return left.exact


def _near(left: Limit, right: Limit) -> bool:
    a, b = _estimate(left), _estimate(right)
    return abs(a - b) <= AGREE * max(1.0, abs(a), abs(b))


def _estimate(limit: Limit) -> float:
    return float(limit.exact) if limit.exact is not None else limit.approx  # type: ignore[return-value]


def _with_sides(failure: Failure, left: Limit | Failure, right: Limit | Failure) -> Failure:
    return replace(failure, left=_shown(left), right=_shown(right))


def _shown(side: Limit | Failure) -> sp.Expr | None:
    if isinstance(side, Failure):
        return None
    if side.exact is not None:
        return side.exact
    return sp.Float(side.approx, 6) if side.approx is not None else None


def _formula_breaks_along(
    function: Function, done: tuple[sp.Symbol, ...], variable: sp.Symbol, point: Point
) -> bool:
    """After differentiating by `done`, the formula is untrustworthy along the whole line through
    the point in `variable` when a kink met there involves a variable already differentiated by
    and stays met along that line (|x|·y: ∂f/∂x = sign(x)·y says 0 all along x = 0)."""
    for kink in function.domain.kinks:
        if not (kink.arg.free_symbols & set(done)):
            continue
        if _on_edge(kink, substitute(kink.arg, point)):
            along = substitute(kink.arg, _moved(point, {variable: sp.Integer(1)}, 1))
            if not along.has(H):
                return True
    return False


# One-sided limits, symbolic and numerical.


def one_sided_limit(expr: sp.Expr) -> Limit:
    """lim expr as h -> 0+, by SymPy, cross-checked by expr at h = 1e-6 ... 1e-30."""
    symbolic = _symbolic_limit(expr)
    numeric = _numeric_limit(expr)
    if symbolic is None:
        if numeric is not None and numeric.exact is not None:
            return numeric  # ±oo: infinite quotients are unmistakable
        return numeric or Limit()
    if numeric is None:
        return Limit(symbolic)
    if symbolic.is_infinite:
        agree = numeric.exact == symbolic
    else:
        agree = numeric.approx is not None and _near(Limit(symbolic), numeric)
    return Limit(symbolic) if agree else Limit()


def _symbolic_limit(expr: sp.Expr) -> sp.Expr | None:
    try:
        limit = sp.limit(settled_signs(expr), H, 0, "+")
    except (NotImplementedError, ValueError, TypeError, AttributeError, RecursionError):
        return None
    if limit in (sp.oo, -sp.oo):
        return limit
    if not limit.is_number or limit.has(sp.nan, sp.zoo, sp.AccumBounds, sp.I):
        return None
    sign = sign_of(sp.im(limit)) if limit.is_extended_real is not True else 0
    return limit if sign == 0 else None


SIGNED = (sp.Abs, sp.sign, sp.Heaviside, RealRoot, sp.Max, sp.Min)


def settled_signs(expr: sp.Expr) -> sp.Expr:
    """|u|, sign(u), the step, the real root, max and min written out on one side of the point,
    where what decides them keeps one sign as h -> 0+: SymPy's limit cannot see that sign, and
    stalls on cbrt(h - 1) or max(x, x²) at 1."""
    signs = {}
    for node in expr.atoms(*SIGNED):
        decider = _decider(node)
        if decider.has(H):
            side = _side_sign(decider)
            if side:
                signs[node] = _written_out(node, side)
    return expr.xreplace(signs) if signs else expr


def _decider(node: sp.Expr) -> sp.Expr:
    """What a node's branch depends on: its argument, or for max and min of two, a - b."""
    if isinstance(node, (sp.Max, sp.Min)):
        return node.args[0] - node.args[1] if len(node.args) == 2 else sp.Integer(0)
    return node.args[0]


def _side_sign(decider: sp.Expr) -> int | None:
    """The sign of what decides a branch for small h > 0: at h = 0 if it is not 0 there, else
    at two tiny steps, where both agree."""
    at_zero = sign_of(decider.xreplace({H: 0}))
    if at_zero:
        return at_zero
    near = {sign_of(decider.xreplace({H: step})) for step in STEPS[-2:]}
    return near.pop() if len(near) == 1 else None


def _written_out(node: sp.Expr, side: int) -> sp.Expr:
    u = node.args[0]
    if isinstance(node, sp.Abs):
        return side * u
    if isinstance(node, sp.sign):
        return sp.Integer(side)
    if isinstance(node, sp.Heaviside):
        return sp.Integer(1 if side > 0 else 0)
    if isinstance(node, sp.Max):
        return node.args[0] if side > 0 else node.args[1]
    if isinstance(node, sp.Min):
        return node.args[1] if side > 0 else node.args[0]
    return side * (side * u) ** (sp.Integer(1) / node.args[1])


def _numeric_limit(expr: sp.Expr) -> Limit | None:
    """A finite limit the quotients settle on, or ±oo where they grow without bound."""
    values = []
    for k, step in enumerate(STEPS, 1):
        # digits enough for 1 - h² beside 1 at h = 1e-30 (acos(1 - h²)/h is √2, not 0)
        number = _number(expr.xreplace({H: step}), NUMERIC_DIGITS + 12 * k)
        if number is None:
            return None
        values.append(number)
    gaps = [abs(b - a) for a, b in zip(values, values[1:])]
    last = values[-1]
    if gaps[-1] <= 1e-5 * max(1.0, abs(last)) and gaps[-1] <= gaps[-2] + 1e-12:
        return Limit(approx=last)
    growing = all(abs(b) > 10 * abs(a) for a, b in zip(values[-3:], values[-2:]))
    same_sign = len({v > 0 for v in values[-3:]}) == 1
    if abs(last) > 1e5 and growing and same_sign:
        return Limit(exact=sp.oo if last > 0 else -sp.oo)
    return None


def _number(expr: sp.Expr, digits: int = NUMERIC_DIGITS) -> float | None:
    try:
        value = expr.evalf(digits, maxn=600)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not value.is_Number or value.has(sp.nan, sp.zoo) or not value.is_finite:
        return None
    return float(value)


# Several variables: the partials exist, but is f differentiable?


def slopes_disagree(
    function: Function, point: Point, gradient: tuple[sp.Expr, ...], variables
) -> Failure | None:
    """At a kink, f's slope along e_i ± e_j (and between them, and along all the kink's
    variables at once) must be ∇f·u for f to be differentiable there; the first direction
    where it is not, as a CORNER failure (sqrt(|x·y|) at the origin)."""
    if not is_special(function, point):
        return None
    for direction in _directions(function, point, variables):
        expected = sp.Add(*(g * direction.get(v, 0) for g, v in zip(gradient, variables)))
        right = _slope_from_right(function, point, direction)
        if isinstance(right, Failure):
            return replace(right, direction=_as_vector(direction, variables))
        if right.exact is not None and sign_of(right.exact - expected) == 0:
            continue
        if right.exact is None and (right.approx is None or _near(right, Limit(expected))):
            continue
        return Failure(
            CORNER,
            right=_shown(right),
            direction=_as_vector(direction, variables),
            expected=expected,
        )
    return None


def _slope_from_right(function: Function, point: Point, direction: dict) -> Limit | Failure:
    at_point = substitute(function.expr, point)
    near = _near_point(function, function.expr, point, direction, 1)
    if isinstance(near, Failure):
        return near
    if not _meets(one_sided_limit(near), at_point):
        return Failure(DISCONTINUOUS)
    return one_sided_limit((near - at_point) / H)


def _directions(function: Function, point: Point, variables) -> Iterator[dict]:
    involved = [
        v
        for v in variables
        if any(
            v in kink.arg.free_symbols and _on_edge(kink, substitute(kink.arg, point))
            for kink in function.domain.kinks
        )
    ][:MAX_DIRECTION_VARIABLES]
    one, two = sp.Integer(1), sp.Integer(2)
    for a, b in combinations(involved, 2):
        for u, v in ((one, one), (one, -one), (two, one), (one, two), (two, -one), (one, -two)):
            yield {a: u, b: v}  # e_a ± e_b, and off the diagonals (x·y·(x² - y²)/r³)
    if len(involved) > 2:  # along every variable at once: cbrt(x·y·z) is t on (t, t, t)
        for signs in product((1, -1), repeat=len(involved) - 1):
            yield {involved[0]: one, **{v: sp.Integer(s) for v, s in zip(involved[1:], signs)}}


def _as_vector(direction: dict, variables) -> tuple[sp.Expr, ...]:
    return tuple(direction.get(v, sp.Integer(0)) for v in variables)


def one_sided_directional(
    function: Function, point: Point, unit: tuple[sp.Expr, ...], variables
) -> Value | Failure:
    """lim (f(a + h·u) - f(a))/h as h -> 0+: the slope along u where f may have a kink."""
    failure = defined_at(function, point)
    if failure is not None:
        return failure
    right = _slope_from_right(function, point, dict(zip(variables, unit)))
    if isinstance(right, Failure):
        return replace(right, direction=tuple(unit))
    if right.exact is None:
        return Failure(UNDECIDED, right=_shown(right), direction=tuple(unit))
    if right.infinite:
        return Failure(VERTICAL, right=right.exact, direction=tuple(unit))
    value = value_of(right.exact, has_decimals(function.domain, point))
    return value if value is not None else Failure(UNDEFINED)
