"""Why a derivative has no value at a point, in one sentence: the kind, and the numbers that
show it (`f is not differentiable at x = 0: slope -1 from the left, 1 from the right`)."""

from __future__ import annotations

import sympy as sp

from .. import domain as d
from ..errors import MathError
from ..results import (
    CORNER,
    DISCONTINUOUS,
    NOT_REAL,
    UNDECIDED,
    VERTICAL,
    Backprop,
    Failure,
    Function,
    Implicit,
    Parametric,
    Point,
    Tangent,
)
from .mathtext import as_math
from .notation import Notation, derivative_label, derivative_of
from .settings import Settings

NEEDS = {
    d.POSITIVE: "a positive argument",
    d.NONNEGATIVE: "a non-negative argument",
    d.UNIT: "an argument in [-1, 1]",
    d.OPEN_UNIT: "an argument in (-1, 1)",
    d.AT_LEAST_ONE: "an argument of at least 1",
}


def undefined_message(error) -> MathError:  # type: ignore[no-untyped-def]
    """A value that has no meaning at the point (a local derivative of backprop, say)."""
    names = error.wrt
    label = derivative_label("f", names, len(set(names)) > 1, Notation.leibniz) if names else "f"
    where = ", ".join(f"{name} = {value}" for name, value in error.point)
    return MathError(f"{label} is {error.reason} at {where}")


def message_for(result: object, settings: Settings) -> str | None:
    """The error line's text for a result that has no value at its point, else None."""
    failure = getattr(result, "failure", None)
    if failure is None:
        return None
    if isinstance(result, Implicit):
        return implicit_message(result, failure, settings)
    if isinstance(result, Parametric):
        return parametric_message(result, failure, settings)
    if isinstance(result, Backprop) and result.true_gradient is not None:
        return (
            f"backprop has no value at {point_text(result.point or (), settings)}: a local "
            "derivative there is infinite, times 0 on its path (PyTorch would give nan); f's "
            f"gradient there is {true_gradient(result, settings)}, as deriv grad finds it"
        )
    if isinstance(result, Tangent) and failure.reason == VERTICAL:
        return None  # the tangent is the vertical line: a note, not an error
    function = getattr(result, "functions", None)
    function = function[result.function_index] if function else result.function  # type: ignore[attr-defined]
    return failure_message(failure, function, result.point, settings)  # type: ignore[attr-defined]


def true_gradient(result: Backprop, settings: Settings) -> str:
    """f's own gradient where backprop's values are not it: (1, 0)."""
    return (
        "("
        + ", ".join(as_math(v.exact, settings.unicode) for v in result.true_gradient or ())
        + ")"
    )


def parametric_message(result: Parametric, failure: Failure, settings: Settings) -> str:
    where = point_text(result.point or (), settings)
    t = result.parameter.name
    if result.broken is not None:  # dx/dt or dy/dt itself does not exist: say it as diff does
        return failure_message(failure, result.broken, result.point or (), settings)
    if failure.condition is not None:
        return f"the curve is {_kind(failure)} at {where}: {_requirement(failure, settings)}"
    if failure.reason == VERTICAL and result.stationary:
        cusp = "a cusp with " if failure.left != failure.right else ""
        return (
            f"dy/dx does not exist at {where}: {cusp}a vertical tangent (dx/d{t} = dy/d{t} = 0 "
            f"there, and dy/dx tends to {_sides(failure, settings)})"
        )
    if failure.reason == VERTICAL:
        return f"dy/dx does not exist at {where}: a vertical tangent (dx/d{t} = 0, dy/d{t} ≠ 0)"
    if failure.wrt:
        sides = f", where dy/dx tends to {_sides(failure, settings)}" if failure.left else ""
        return (
            f"dy/dx does not exist at {where}: dx/d{t} = dy/d{t} = 0 there "
            f"(a singular point of the curve, such as a cusp{sides})"
        )
    return f"dy/dx has no finite value at {where}"


def implicit_message(result: Implicit, failure: Failure, settings: Settings) -> str:
    from .text.toolbox import implicit_label

    where = point_text(result.point or (), settings)
    label = implicit_label(result, settings)
    if failure.condition is not None:
        return f"the equation is {_kind(failure)} at {where}: {_requirement(failure, settings)}"
    if result.solved is not None and failure.argument is None:
        along = tuple((s, v) for s, v in result.point or () if s == result.independent)
        explanation = _explanation(failure, result.solved, along, settings)
        return f"{label} does not exist at {where}: {explanation}"
    if failure.reason == UNDECIDED:
        return f"{label} is not decided at {where}: {_why_implicit_undecided(failure, settings)}"
    if failure.reason == VERTICAL:
        y = result.dependent.name
        return f"{label} does not exist at {where}: a vertical tangent (∂F/∂{y} = 0 there)"
    if failure.argument is not None:
        residual = as_math(failure.argument, settings.unicode)
        return f"the point {where} is not on the curve: lhs - rhs = {residual} there"
    return f"{label} has no finite value at {where}"


def _why_implicit_undecided(failure: Failure, settings: Settings) -> str:
    hint = "(where the curve is y = g(x), write it so)"
    if failure.left is not None:  # F's partials exist and are both 0
        d = "∂" if settings.unicode else "d"
        return (
            f"{d}F/{d}x = {d}F/{d}y = 0 there (a singular point of F), so the implicit function "
            f"theorem says nothing {hint}"
        )
    if len(failure.wrt) == 2:
        return f"F has a kink there, where its second derivatives are not decided {hint}"
    return (
        "F = lhs - rhs has no derivative there, so the implicit function theorem does not "
        f"apply {hint}"
    )


def failure_message(
    failure: Failure, function: Function, point: Point, settings: Settings, where: str = ""
) -> str:
    """`where` names the point as typed where its variables are not (x = [0, 0] for x₁, x₂)."""
    where = where or point_text(point, settings)
    if not failure.wrt and failure.direction is None and failure.reason == UNDECIDED:
        return (
            f"{function.name} could not be decided at {where}: its value is too close to 0 to "
            "tell its sign, and SymPy cannot show that it is 0"
        )
    if not failure.wrt and failure.direction is None:
        return f"{function.name} is {_kind(failure)} at {where}: {_requirement(failure, settings)}"
    subject = _subject(failure, function, settings)
    return f"{subject} at {where}: {_explanation(failure, function, point, settings)}"


def point_text(point: Point, settings: Settings) -> str:
    return ", ".join(f"{s.name} = {as_math(v, settings.unicode)}" for s, v in point)


def _kind(failure: Failure) -> str:
    return "not real" if failure.reason == NOT_REAL else "not defined"


def _subject(failure: Failure, function: Function, settings: Settings) -> str:
    one_variable = len(failure.wrt) == 1 and len(function.variables) <= 1
    if one_variable or failure.direction is not None:
        return f"{function.name} is not differentiable"
    return f"{label(failure.wrt, function, settings)} does not exist"


def label(wrt: tuple[sp.Symbol, ...], function: Function, settings: Settings) -> str:
    return derivative_of(function, wrt, settings)


def _explanation(failure: Failure, function: Function, point: Point, settings: Settings) -> str:
    math = lambda e: _number(e, settings)  # noqa: E731
    lower = _lower(failure, function, settings)
    if failure.direction is not None:
        return _along(failure, settings)
    if failure.reason == CORNER:
        return f"{lower}slope {_sides(failure, settings)}"
    if failure.reason == VERTICAL:
        return f"{lower}{_vertical(failure, function, point, settings)}"
    if failure.reason == DISCONTINUOUS:
        jumps = lower.removesuffix(" has ") or function.name
        left, right = failure.limits or (None, None)
        tends = " and ".join(
            f"{math(v)} from the {side}"
            for v, side in ((left, "left"), (right, "right"))
            if v is not None
        )
        return f"{jumps} jumps there" + (f" (it tends to {tends})" if tends else "")
    if failure.reason == UNDECIDED:
        return "could not decide (SymPy's limit and numerical difference quotients disagree)"
    return _one_side_only(failure, function, point, settings)


def _along(failure: Failure, settings: Settings) -> str:
    """Why f has no slope along a direction from the point."""
    math = lambda e: _number(e, settings)  # noqa: E731
    along = "(" + ", ".join(math(c) for c in failure.direction or ()) + ")"
    if failure.expected is not None:
        return (
            f"its partial derivatives exist, but its slope along {along} is "
            f"{math(failure.right)}, not {math(failure.expected)} as they predict"
        )
    if failure.reason == DISCONTINUOUS:
        return f"it jumps along {along}"
    if failure.reason == VERTICAL:
        return f"its slope along {along} is {math(failure.right)} (a vertical tangent)"
    if failure.condition is not None:
        return f"it is {_kind(failure)} along {along}: {_requirement(failure, settings)}"
    return f"its slope along {along} could not be decided"


def _lower(failure: Failure, function: Function, settings: Settings) -> str:
    """For a higher derivative, the one below it: "df/dx has "."""
    if len(failure.wrt) < 2:
        return ""
    return f"{label(failure.wrt[:-1], function, settings)} has "


def _sides(failure: Failure, settings: Settings) -> str:
    left, right = (_number(v, settings) for v in (failure.left, failure.right))
    return f"{left} from the left, {right} from the right"


def _vertical(failure: Failure, function: Function, point: Point, settings: Settings) -> str:
    if failure.left is None or failure.right is None:
        return _one_side_only(failure, function, point, settings) + " (a vertical tangent)"
    if failure.left == failure.right:
        return f"a vertical tangent (slope {_number(failure.right, settings)} from both sides)"
    return f"a cusp (slope {_sides(failure, settings)})"


def _one_side_only(failure: Failure, function: Function, point: Point, settings: Settings) -> str:
    """f is defined on one side of the point only."""
    variable = failure.wrt[-1] if failure.wrt else None
    at = dict(point).get(variable) if variable is not None else None
    if not failure.side or at is None:
        return _requirement(failure, settings)
    relation = "<" if failure.side < 0 else ">"
    condition = failure.condition
    kind = "not defined" if condition and condition.relation == d.NONZERO else "not real"
    shown = f"{function.name} is {kind} for {variable.name} {relation} {_number(at, settings)}"
    slope, side = (failure.right, "right") if failure.side < 0 else (failure.left, "left")
    if slope is not None:
        shown += f"; its slope from the {side} is {_number(slope, settings)}"
    return shown


def _requirement(failure: Failure, settings: Settings) -> str:
    condition, argument = failure.condition, failure.argument
    if condition is None:
        return "its value is not a finite real number"
    math = lambda e: as_math(e, settings.unicode)  # noqa: E731
    if argument is None:
        return f"{condition.name} needs {NEEDS.get(condition.relation, 'a valid argument')}"
    if condition.name == "/":
        return f"division by zero ({math(condition.arg)} = 0 there)"
    if condition.name == "^":
        return _power(condition, argument, settings)
    if condition.relation == d.NONZERO:  # tan, sec, cot, csc: a pole
        return f"{condition.name} has a pole there ({math(condition.arg.subs({}))} is 0)"
    needs = NEEDS.get(condition.relation, "a valid argument")
    return f"{condition.name} needs {needs}, {condition.name}({math(argument)})"


def _power(condition: d.Condition, argument: sp.Expr, settings: Settings) -> str:
    base = as_math(argument, settings.unicode)
    exponent = condition.exponent
    if exponent is not None and exponent.is_Rational and not exponent.is_Integer:
        shown = as_math(exponent, settings.unicode)
        text = f"a fractional power ^({shown}) of a negative base, ({base})^({shown})"
        if exponent.q % 2:
            root = "cbrt(x) or root(x, 3)" if exponent.q == 3 else f"root(x, {exponent.q})"
            text += f"; SymPy's power is the complex principal root: for the real root write {root}"
        return text
    return f"a power with a variable exponent needs a positive base, here {base}"


def _number(value: sp.Expr | None, settings: Settings) -> str:
    if value is None:
        return "none"
    if value is sp.oo:
        return "∞" if settings.unicode else "oo"
    if value is -sp.oo:
        return "-∞" if settings.unicode else "-oo"
    return as_math(value, settings.unicode)
