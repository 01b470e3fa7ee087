"""Pretty and plain layout of deriv analyze: the sign charts' answers, one fact a line, as a
textbook writes them (increasing on (-∞, -1), (1, ∞); local maximum f(-1) = 2)."""

from __future__ import annotations

import sympy as sp

from ...analysis import SAMPLES
from ...results import SECOND_TEST, Analysis, Value
from ...values import decimal_form
from ..mathtext import as_math
from ..notation import derivative_of
from ..settings import Settings
from .lines import Line, Segment, decimal, function_line, layout


def place(c: sp.Expr, decimals: bool) -> sp.Expr:
    """A point as shown: as a decimal where f was typed with decimals."""
    return c if c.is_Float else decimal_form(c, decimals)


def interval_text(lo, hi, unicode: bool, closed=(False, False), decimals=False) -> str:  # type: ignore[no-untyped-def]
    left, right = ("[" if closed[0] else "("), ("]" if closed[1] else ")")
    return (
        f"{left}{number_text(lo, unicode, decimals)}, {number_text(hi, unicode, decimals)}{right}"
    )


def number_text(value: sp.Expr, unicode: bool, decimals: bool = False) -> str:
    """A point or value: ±∞, a found-numerically Float to ten digits, a decimal where f was
    typed with decimals, else exact."""
    value = place(value, decimals)
    if value.is_infinite:
        return ("-" if value.is_extended_negative else "") + ("∞" if unicode else "oo")
    if value.is_Float:
        return decimal(Value(value, value), Settings(unicode=unicode))
    return as_math(value, unicode)


def set_text(found: sp.Set, unicode: bool) -> str:
    """(-∞, 0) ∪ (0, ∞), [0, ∞), {1}: a union of intervals and points as a textbook writes it."""
    union = " ∪ " if unicode else " U "
    if found == sp.S.EmptySet:
        return "∅" if unicode else "{}"
    if found == sp.S.Reals:
        return interval_text(-sp.oo, sp.oo, unicode)
    if found.is_Union:
        return union.join(
            set_text(p, unicode) for p in sorted(found.args, key=lambda p: float(p.inf))
        )
    if found.is_FiniteSet:
        return "{" + ", ".join(number_text(v, unicode) for v in found) + "}"
    return interval_text(found.inf, found.sup, unicode, (not found.left_open, not found.right_open))


def intervals_line(what: str, intervals, unicode: bool, decimals: bool) -> Line:  # type: ignore[no-untyped-def]
    """increasing on (1, ∞), or increasing: nowhere."""
    if not intervals:
        return (Segment(f"{what}: nowhere"),)
    shown = ", ".join(interval_text(lo, hi, unicode, decimals=decimals) for lo, hi in intervals)
    return (Segment(f"{what} on "), Segment(shown, "math"))


def point_text(x: sp.Expr, unicode: bool, decimals: bool) -> str:
    near = "≈" if unicode else "~"
    return f"x {near if x.is_Float else '='} {number_text(x, unicode, decimals)}"


def value_text(value: Value, unicode: bool) -> str:
    """The exact value, and ten digits where the exact one is not a plain number already."""
    exact = number_text(value.exact, unicode)
    if value.is_exact_decimal or value.exact.is_Float:
        return exact
    return f"{exact} {'≈' if unicode else '~'} {decimal(value, Settings(unicode=unicode))}"


def at_text(name: str, x: sp.Expr, unicode: bool, decimals: bool) -> str:
    return f"{name}({number_text(x, unicode, decimals)})"


def region_remark(result: Analysis, settings: Settings) -> str | None:
    u = settings.unicode
    a, b = (number_text(e, u) for e in result.region)
    x = result.variable.name
    if result.scope == "period":
        return f"{result.function.name} is periodic: studied over one period, {x} in [{a}, {b}]"
    if result.scope == "window":
        return (
            f"studied on [{a}, {b}] only: on the whole line SymPy does not give the points "
            "where the derivatives are 0 as finitely many"
        )
    return None


def numeric_remark(result: Analysis, labels: dict[str, str], settings: Settings) -> str | None:
    if not result.solved_numerically:
        return None
    equations = " and ".join(f"{labels[which]} = 0" for which in result.solved_numerically)
    if result.scope != "window":
        return f"{equations}: roots without a short closed form are shown to 15 digits (x ≈)"
    a, b = (number_text(e, settings.unicode) for e in result.region)
    step = f"{float((result.region[1] - result.region[0]) / SAMPLES):.3g}"
    return (
        f"{equations} solved numerically on [{a}, {b}] (no closed form), from sign changes "
        f"between samples {step} apart: roots closer together than that, or where the "
        "derivative touches 0 without changing sign, may be missed, and the intervals rest on "
        "the roots found"
    )


@layout.register
def _(result: Analysis, settings: Settings) -> list[Line]:
    u, f, x = settings.unicode, result.function.name, result.variable
    first = derivative_of(result.function, (x,), settings)
    second = derivative_of(result.function, (x, x), settings)
    labels = {"first": first, "second": second}
    lines = [function_line(result.function, settings)]
    remark = region_remark(result, settings)
    if remark:
        lines.append((Segment(f"({remark})", "remark"),))
    where = (
        "domain"
        if result.scope == "line"
        else f"domain in [{', '.join(number_text(e, u) for e in result.region)}]"
    )
    lines.append((Segment(f"{where}: "), Segment(set_text(result.domain, u), "math")))
    lines.append(
        (Segment(first, "label"), Segment(" = "), Segment(as_math(result.first, u), "math"))
    )
    exists = set_text(result.derivative_domain, u)
    lines.append((Segment(f"{first} exists on "), Segment(exists, "math")))
    lines.append((Segment("critical points: "), Segment(critical_text(result, first, u), "math")))
    lines.append(intervals_line("increasing", result.increasing, u, result.decimals))
    lines.append(intervals_line("decreasing", result.decreasing, u, result.decimals))
    for extremum in result.extrema:
        lines.append(extremum_line(extremum, f, (first, second), u, result.decimals))
    if not result.extrema:
        lines.append((Segment("local extrema: none"),))
    lines.append(
        (Segment(second, "label"), Segment(" = "), Segment(as_math(result.second, u), "math"))
    )
    lines.append(intervals_line("concave up", result.concave_up, u, result.decimals))
    lines.append(intervals_line("concave down", result.concave_down, u, result.decimals))
    points = ", ".join(
        f"({number_text(i.x, u, result.decimals)}, {number_text(i.value.exact, u)})"
        for i in result.inflections
    )
    lines.append((Segment("inflection points: "), Segment(points or "none", "math")))
    lines += asymptote_lines(result, u)
    lines += absolute_lines(result, f, u)
    for note in (
        numeric_remark(result, labels, settings),
        *(f"{first} not decided at {point_text(c, u, result.decimals)}" for c in result.undecided),
    ):
        if note:
            lines.append((Segment(f"({note})", "remark"),))
    return lines


def critical_text(result: Analysis, first: str, unicode: bool) -> str:
    parts = [
        point_text(c.x, unicode, result.decimals)
        + (f" ({first} does not exist)" if c.kind == "undefined" else "")
        for c in result.critical
    ]
    return ", ".join(parts) or "none"


def extremum_line(extremum, f: str, labels, unicode: bool, decimals: bool) -> Line:  # type: ignore[no-untyped-def]
    first, second = labels
    equals = ("≈" if unicode else "~") if extremum.x.is_Float else "="
    value = value_text(extremum.value, unicode)
    at = f"{at_text(f, extremum.x, unicode, decimals)} {equals} {value}"
    if extremum.test == SECOND_TEST:
        relation = "<" if extremum.kind == "maximum" else ">"
        curvature = number_text(extremum.curvature.exact, unicode)
        why = f"second derivative test: {second} = {curvature} {relation} 0"
    else:
        signs = ("+", "-") if extremum.kind == "maximum" else ("-", "+")
        why = f"first derivative test: {first} changes from {signs[0]} to {signs[1]}"
    return (
        Segment(f"local {extremum.kind}: "),
        Segment(at, "value"),
        Segment(f" ({why})", "remark"),
    )


def asymptote_lines(result: Analysis, unicode: bool) -> list[Line]:
    lines = []
    if result.vertical:
        where = ", ".join(
            f"x = {number_text(p, unicode, result.decimals)}" for p in result.vertical
        )
        lines.append((Segment("vertical asymptotes: "), Segment(where, "math")))
    for kind, found in (("horizontal", result.horizontal), ("slant", result.slant)):
        if found:
            lines.append(
                (Segment(f"{kind} asymptotes: "), Segment(ends_text(found, unicode), "math"))
            )
    if not lines and result.scope == "line":
        lines.append((Segment("asymptotes: none"),))
    return lines


def ends_text(found, unicode: bool) -> str:  # type: ignore[no-untyped-def]
    """y = 0 (x → ±∞), or a line for each end: y = x + 1 (x → ∞)."""
    arrow, infinity = ("→", "∞") if unicode else ("->", "oo")
    lines = dict(found)
    if len(lines) == 2 and sp.simplify(lines[sp.oo] - lines[-sp.oo]) == 0:
        return f"y = {number_text(lines[sp.oo], unicode)} (x {arrow} ±{infinity})"
    return ", ".join(
        f"y = {number_text(line, unicode)} (x {arrow} {'-' if end < 0 else ''}{infinity})"
        for end, line in found
    )


def absolute_lines(result: Analysis, f: str, unicode: bool) -> list[Line]:
    if result.absolute is None:
        return []
    on = interval_text(*result.region, unicode, (True, True), result.decimals)
    if not result.absolute:
        gap = "defined" if result.domain != sp.Interval(*result.region) else "continuous"
        why = f"{f} is not {gap} on all of {on}, so the extreme value theorem does not apply"
        return [(Segment(f"absolute extrema on {on}: none claimed ({why})", "remark"),)]
    lines = []
    for extreme in result.absolute:
        places = " = ".join(at_text(f, x, unicode, result.decimals) for x in extreme.at)
        near = any(x.is_Float for x in extreme.at)  # at a point found numerically
        equals = ("≈" if unicode else "~") if near else "="
        lines.append(
            (
                Segment(f"absolute {extreme.kind} on {on}: "),
                Segment(f"{places} {equals} {value_text(extreme.value, unicode)}", "value"),
            )
        )
    return lines
