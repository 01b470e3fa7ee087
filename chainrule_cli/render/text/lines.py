"""The shared layout of pretty and plain output: lines of segments, each with a role.

Plain output joins the text; pretty output styles each role. Layout lives here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import singledispatch

import sympy as sp

from ...results import Derivative, Function, Gradient, Point, Value
from ...values import to_digits
from ..mathtext import as_math, format_float
from ..notation import derivative_text, function_label, gradient_text, partial_of
from ..settings import Settings


@dataclass(frozen=True)
class Segment:
    text: str
    role: str = "text"  # text | function | label | math | value | remark


Line = tuple[Segment, ...]


def plain_text(lines: list[Line]) -> str:
    return "\n".join("".join(segment.text for segment in line) for line in lines)


@singledispatch
def layout(result: object, settings: Settings) -> list[Line]:
    raise TypeError(f"no layout for {type(result).__name__}")


@layout.register
def _(result: Derivative, settings: Settings) -> list[Line]:
    label = derivative_text(result, settings)
    lines = [function_line(result.function, settings)]
    for derivation in result.steps:
        lines += derivation_lines(derivation, partial_of(result), settings)
    lines.append(equation(label, result.result, settings))
    if result.point is not None and result.value is not None:
        lines.append(point_line(result.point, label, [result.value], settings))
    return lines


@layout.register
def _(result: Gradient, settings: Settings) -> list[Line]:
    lines = [function_line(result.function, settings)]
    lines += [
        (Segment("  "), *equation(name.name, expr, settings)) for name, expr in result.definitions
    ]
    steps = result.steps or [None] * len(result.variables)
    shown = [as_math(c, settings.unicode) for c in result.components]  # printed once, used twice
    for variable, text, derivation in zip(result.variables, shown, steps):
        if derivation is not None:
            lines += derivation_lines(derivation, partial_of(result), settings)
        label = derivative_text(result, settings, variable)
        lines.append((Segment(label, "label"), Segment(" = "), Segment(text, "math")))
    nabla = gradient_text(result, settings)
    column = vector(shown, settings)
    lines.append((Segment(nabla, "label"), Segment(" = "), Segment(column, "math")))
    if result.point is not None and result.values is not None:
        lines.append(point_line(result.point, nabla, list(result.values), settings))
        lines += ascent_lines(result, nabla, settings)
    if result.is_constant:
        lines.append((Segment(constant_remark(result), "remark"),))
    return lines


def ascent_lines(result: Gradient, nabla: str, settings: Settings) -> list[Line]:
    """|∇f| and the unit direction of steepest ascent, or the note of a critical point."""
    if result.direction is None or result.magnitude is None:
        return [(Segment("  the gradient vanishes here: a critical point", "remark"),)]
    size = short(result.magnitude, settings)
    if not result.magnitude.is_exact_decimal and size != decimal(result.magnitude, settings):
        size += (" ≈ " if settings.unicode else " ~ ") + decimal(result.magnitude, settings)
    exact = [short(v, settings) for v in result.direction]
    decimals = [decimal(v, settings) for v in result.direction]
    unit = vector(
        exact if exact != decimals and not set(exact) & set(decimals) else decimals, settings
    )
    return [
        (Segment(f"  |{nabla}| = "), Segment(size, "value")),
        (Segment("  steepest ascent: "), Segment(unit, "value")),
    ]


def derivation_lines(derivation, partial: bool, settings: Settings) -> list[Line]:  # type: ignore[no-untyped-def]
    """One line per step, indented by depth (pretty turns the indents into a tree)."""
    from .steps import rule_text, simplify_equation, step_equation, walk

    lines: list[Line] = [
        (
            Segment("  " * depth, "indent"),
            Segment(rule_text(step, settings) + ": ", "rule"),
            Segment(step_equation(step, partial, settings), "math"),
        )
        for step, depth in walk(derivation.root)
    ]
    if derivation.simplified:
        lines.append(
            (
                Segment("", "indent"),
                Segment("simplify: ", "rule"),
                Segment(simplify_equation(derivation, settings), "math"),
            )
        )
    return lines


def function_line(function: Function, settings: Settings) -> Line:
    names = tuple(v.name for v in function.variables)
    label = function_label(function.name, names, settings.style)
    return (
        Segment(label, "function"),
        Segment(" = "),
        Segment(as_math(function.expr, settings.unicode), "function"),
    )


def equation(label: str, expr: object, settings: Settings) -> Line:
    return (
        Segment(label, "label"),
        Segment(" = "),
        Segment(as_math(expr, settings.unicode), "math"),
    )


def point_line(point: Point, label: str, values: list[Value], settings: Settings) -> Line:
    where = ", ".join(f"{s.name} = {as_math(v, settings.unicode)}" for s, v in point)
    exact = [
        decimal(v, settings)
        if settings.digits and v.exact.is_Float
        else as_math(v.exact, settings.unicode)
        for v in values
    ]  # a decimal to --digits digits where one is given
    shown = exact[0] if len(values) == 1 else vector(exact, settings)
    line = [
        Segment(f"at {where}: "),
        Segment(label, "label"),
        Segment(" = "),
        Segment(shown, "value"),
    ]
    if not all(v.is_exact_decimal for v in values):
        approx = [decimal(v, settings) for v in values]
        near = approx[0] if len(values) == 1 else vector(approx, settings)
        line += [Segment(" ≈ " if settings.unicode else " ~ "), Segment(near, "value")]
    return tuple(line)


def short(value: Value, settings: Settings) -> str:
    """A value as it reads best: exact when short (1/3, sqrt(2)), else ten digits."""
    exact = as_math(value.exact, settings.unicode)
    if value.exact.is_Integer or (not isinstance(value.exact, sp.Float) and len(exact) <= 12):
        return exact
    return decimal(value, settings)


def decimal(value: Value, settings: Settings) -> str:
    """Ten significant digits (enough to read, short enough to fit a line), or --digits."""
    return format_float(to_digits(value.exact, value.approx, settings.digits or 10))


def vector(entries: list[str], settings: Settings) -> str:
    transpose = "ᵀ" if settings.unicode else "^T"
    return f"({', '.join(entries)}){transpose}"


def constant_remark(result: Gradient) -> str:
    if result.is_zero:
        return f"the gradient is zero: {result.function.name} is constant"
    shape = {1: " (a line)", 2: " (a plane)"}.get(len(result.variables), " (a hyperplane)")
    return f"the gradient is constant: {result.function.name} is linear{shape}"
