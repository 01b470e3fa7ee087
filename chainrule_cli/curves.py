"""Parametric and polar curves: dy/dx = (dy/dt)/(dx/dt), d²y/dx² = (d/dt dy/dx)/(dx/dt), and at
a parameter value the point, the slope and the tangent line. Pure functions to result records."""

from __future__ import annotations

import math
from functools import reduce

import sympy as sp

from .calculus import gradient_at
from .differentiation import differentiate
from .errors import InputError, MathError
from .forms import textbook_form
from .points import H, defined_at, one_sided_limit, verdict
from .results import UNDEFINED, VERTICAL, Failure, Function, Parametric, Point, Turns
from .values import (
    as_fractions,
    decimal_form,
    given_values,
    has_decimals,
    sign_of,
    substitute,
    value_of,
)
from .variables import variable


def polar(radius: Function, angle: sp.Symbol) -> tuple[Function, Function]:
    """The curve r = r(θ) as x = r cos θ, y = r sin θ, defined where r is."""
    return (
        Function(radius.expr * sp.cos(angle), "x", (angle,), radius.domain),
        Function(radius.expr * sp.sin(angle), "y", (angle,), radius.domain),
    )


def parametric(
    x: Function,
    y: Function,
    parameter: sp.Symbol,
    point: Point | None = None,
    radius: Function | None = None,
) -> Parametric:
    dx, dy = differentiate(x.expr, parameter), differentiate(y.expr, parameter)
    if sp.simplify(dx) == 0:
        raise MathError(
            f"x does not change with {parameter.name}: the curve is a vertical line, and dy/dx "
            "exists nowhere"
        )
    first = textbook_form(dy / dx, thorough=True)
    second = textbook_form(differentiate(first, parameter) / dx, thorough=True)
    turns = turning(x, y, parameter, dx, dy)
    curve = Parametric(x, y, parameter, first, second, radius, turns=turns)
    if point is None:
        return curve
    return at_parameter(curve, dx, dy, point)


def at_parameter(curve: Parametric, dx: sp.Expr, dy: sp.Expr, point: Point) -> Parametric:
    """The point of the curve at t = a, dy/dx there and the tangent line; a vertical tangent
    (dx/dt = 0, dy/dt != 0) or a singular point (both 0) has no dy/dx."""
    from dataclasses import replace

    parameter = curve.parameter
    given_values(curve.x.expr + curve.y.expr, point)
    if any(s != parameter for s, _ in point):
        raise InputError(f"--at gives the parameter's value: {parameter.name}=...")
    for component in (curve.x, curve.y):
        failure = defined_at(component, point)
        if failure is not None:
            return replace(curve, point=point, failure=failure)
    decimals = has_decimals(curve.x.domain | curve.y.domain, point)
    heights = [substitute(c.expr, point) for c in (curve.x, curve.y)]
    position = tuple(decimal_form(h, decimals) for h in heights)
    curve = replace(curve, point=point, position=position)
    first = dy / dx
    speeds = speeds_at(curve, dx, dy, point)
    if isinstance(speeds[1], Failure):  # a component's own derivative fails there
        broken, failure = speeds
        slope_at = limit_at(first, point) if _infinite_on_both_sides(failure) else failure
        if isinstance(slope_at, Failure):
            return replace(curve, failure=failure, broken=broken)
        curve = replace(curve, unbounded=broken.name)  # (cbrt(t), t) is y = x³: slope 0 at 0
    elif sign_of(speeds[0]) == 0 and sign_of(speeds[1]) == 0:
        slope_at = limit_at(first, point)
        curve = replace(curve, stationary=True)
    elif sign_of(speeds[0]) == 0:
        slope_at = Failure(VERTICAL)
    else:
        slope_at = speeds[1] / speeds[0]  # the speeds themselves: no rewriting
    if isinstance(slope_at, Failure):
        failure = replace(slope_at, wrt=(parameter,))
        tangent = position[0] if failure.reason == VERTICAL else None
        return replace(curve, tangent=tangent, failure=failure)
    by_limit = curve.stationary or curve.unbounded  # limits, as textbooks take dy/dx there
    second_at = limit_at(curve.second, point) if by_limit else substitute(curve.second, point)
    slope = value_of(slope_at, decimals)
    if slope is None:
        return replace(curve, failure=Failure(UNDEFINED, ()))
    x0, y0 = heights
    line = decimal_form(sp.expand(y0 + slope.number * (variable("x") - x0)), decimals)
    second = None if isinstance(second_at, Failure) else value_of(second_at, decimals)
    return replace(curve, value=slope, second_value=second, tangent=line)


def _infinite_on_both_sides(failure: Failure) -> bool:
    """A speed that is infinite, from both sides: the quotient of speeds may still tend to a
    number (a curve through a vertical tangent of one component)."""
    return failure.reason == VERTICAL and None not in (failure.left, failure.right)


def limit_at(expr: sp.Expr, point: Point) -> sp.Expr | Failure:
    """lim expr as t -> a from both sides: a finite number where both sides agree, else a
    Failure (VERTICAL where both are infinite, a cusp's CORNER where they differ)."""
    ((t, a),) = point
    sides = [one_sided_limit(expr.xreplace({t: as_fractions(a) + side * H})) for side in (-1, 1)]
    return verdict(*sides)


def speeds_at(curve: Parametric, dx: sp.Expr, dy: sp.Expr, point: Point):  # type: ignore[no-untyped-def]
    """(dx/dt, dy/dt) at the point, exactly; or (the component, its Failure) where one of them
    does not exist there (|t| at 0 has slopes -1 and 1, not sign(0) = 0)."""
    speeds = []
    for component, speed in ((curve.x, dx), (curve.y, dy)):
        outcome = gradient_at(component, (curve.parameter,), point, [speed])
        if isinstance(outcome, Failure):
            return component, outcome
        speeds.append(outcome[0].number)
    return tuple(speeds)


def turning(x: Function, y: Function, t: sp.Symbol, dx: sp.Expr, dy: sp.Expr) -> Turns | None:
    """Where dy/dt or dx/dt is 0, in one period of a periodic curve (else on the whole line),
    when SymPy finds finitely many such values; each is checked by substituting it back."""
    period = common_period(x.expr, y.expr, t)
    where = sp.Interval.Ropen(0, period) if period is not None else sp.S.Reals
    try:
        flat, steep = (sp.solveset(d, t, where) for d in (dy, dx))
    except (NotImplementedError, ValueError, TypeError):
        return None
    if not (flat.is_finite_set and steep.is_finite_set):
        return None  # infinitely many (no period), or a ConditionSet: not found
    kinds: dict[str, list[sp.Expr]] = {"horizontal": [], "vertical": [], "singular": []}
    curve = Parametric(x, y, t, sp.S.Zero, sp.S.Zero)
    for value in sorted(set(flat) | set(steep), key=lambda v: float(v)):
        point = ((t, value),)
        if defined_at(x, point) is not None or defined_at(y, point) is not None:
            continue
        speeds = speeds_at(curve, dx, dy, point)
        if isinstance(speeds[1], Failure):
            continue  # a corner or a jump of x(t) or y(t): no tangent there at all
        moving = [sign_of(s) for s in speeds]
        if None in moving:
            return None  # undecided: say nothing rather than something wrong
        kind = {(1, 0): "horizontal", (0, 1): "vertical", (0, 0): "singular"}.get(
            tuple(int(m != 0) for m in moving)
        )
        if kind is not None:
            kinds[kind].append(value)
    return Turns(*(tuple(v) for v in kinds.values()), period)


def common_period(x: sp.Expr, y: sp.Expr, t: sp.Symbol) -> sp.Expr | None:
    """The least common period of x(t) and y(t) when each has one and their ratio is rational
    (π and 2π/3 give 2π); None otherwise."""
    try:
        periods = [sp.periodicity(e, t) if e.has(t) else sp.S.Zero for e in (x, y)]
    except (NotImplementedError, ValueError, TypeError):
        return None
    periods = [p for p in periods if p != 0]
    if not periods or any(p is None for p in periods):
        return None
    unit = periods[0]
    ratios = [sp.simplify(p / unit) for p in periods]
    if not all(r.is_Rational for r in ratios):
        return None
    numerators = reduce(math.lcm, (int(r.p) for r in ratios))
    denominators = reduce(math.gcd, (int(r.q) for r in ratios))
    return sp.Rational(numerators, denominators) * unit
