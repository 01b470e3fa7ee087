"""Pretty and plain layout of deriv definition: the limit, line by line, each with its reason."""

from __future__ import annotations

import sympy as sp

from ...results import Definition, LimitStep
from ..mathtext import as_math
from ..notation import derivative_of
from ..settings import Settings
from .lines import Line, Segment, function_line, layout

FAMILIES = (
    "polynomials, rational functions, and multiples of square roots of polynomials, sin x and cos x"
)


def limit_text(step: sp.Symbol, unicode: bool) -> str:
    return f"lim_{{{step.name}{'→' if unicode else '->'}0}} "


def grouped(expr: sp.Expr, unicode: bool) -> str:
    """expr, in parentheses where a quotient or a difference would otherwise split it."""
    text = as_math(expr, unicode)
    if expr.could_extract_minus_sign() and (-expr).is_Atom:
        return text  # -h
    return f"({text})" if expr.is_Add or expr.is_Mul or (expr.is_Pow and expr.exp < 0) else text


def body_text(step: LimitStep, unicode: bool) -> str:
    """(A - B)/below, A - B, or A, as the step has them."""
    math = [as_math(e, unicode) for e in step.above]
    if len(step.above) == 2:
        top = f"{math[0]} {difference(step.above[1], unicode)}"
    else:
        top = math[0]
    if step.below is None:
        return top if not step.limit or not step.above[0].is_Add else f"({top})"
    single = len(step.above) == 1 and not step.above[0].is_Add
    top = grouped(step.above[0], unicode) if single else f"({top})"
    return f"{top}/{grouped(step.below, unicode)}"


def difference(subtracted: sp.Expr, unicode: bool) -> str:
    """- B, written + 3·cos(x) where B is -3·cos(x), and - (x² + 3x) for a sum."""
    if subtracted.could_extract_minus_sign() and not subtracted.is_Add:
        return f"+ {as_math(-subtracted, unicode)}"
    return (
        f"- {grouped(subtracted, unicode) if subtracted.is_Add else as_math(subtracted, unicode)}"
    )


def opening_text(result: Definition, unicode: bool) -> str:
    f, x, h = result.function.name, result.variable.name, result.step.name
    return f"{limit_text(result.step, unicode)}({f}({x} + {h}) - {f}({x}))/{h}"


@layout.register
def _(result: Definition, settings: Settings) -> list[Line]:
    u = settings.unicode
    label = derivative_of(result.function, (result.variable,), settings)
    lines = [function_line(result.function, settings)]
    if not result.steps:
        said = (
            f"from the definition: not shown for this {result.function.name} (deriv derives "
            f"{FAMILIES} so); by the rules:"
        )
        lines.append((Segment(said, "remark"),))
        return [
            *lines,
            (Segment(label, "label"), Segment(" = "), Segment(as_math(result.result, u), "math")),
        ]
    rows = [(opening_text(result, u), "")]
    for step in result.steps:
        shown = (limit_text(result.step, u) if step.limit else "") + body_text(step, u)
        rows.append((shown, "" if step.reason == "the definition" else step.reason))
    width = max(len(text) for text, _ in rows)
    indent = " " * len(label)
    for i, (text, reason) in enumerate(rows):
        lead = (Segment(label, "label"), Segment(" = ")) if i == 0 else (Segment(f"{indent} = "),)
        tail = (Segment(f"{' ' * (width - len(text))}   {reason}", "remark"),) if reason else ()
        lines.append((*lead, Segment(text, "math"), *tail))
    return lines
