"""Derivation steps as lines: `rule: d/dx (expr) = result`, sub-steps indented under them."""

from __future__ import annotations

import sympy as sp

from ...results import Derivation, Step
from ..mathtext import as_math
from ..notation import UNICODE, Notation, operator
from ..settings import Settings


def step_equation(step: Step, partial: bool, settings: Settings) -> str:
    name = step.variable.name
    shown = as_math(step.expr, settings.unicode)
    result = as_math(step.result, settings.unicode)
    if step.parts:
        result = f"{power_formula(step, settings.unicode)} = {result}"
    if settings.notation is Notation.lagrange:
        mark = f"_{name}" if partial else "'"
        return f"({shown}){mark} = {result}"
    if not _atomic(step.expr):
        shown = f"({shown})"
    return f"{operator(name, partial, settings.notation, settings.style)} {shown} = {result}"


def power_formula(step: Step, unicode: bool) -> str:
    """f^g·(g'·ln f + g·f'/f) with the step's own f and g: x^x·(1·ln(x) + x·1/x)."""
    f, g, df, dg = step.parts
    shown = [_grouped(as_math(e, unicode), e) for e in (f, g, df, dg)]
    times = "·" if unicode else "*"
    power = as_math(step.expr, unicode)
    return (
        f"{power}{times}({shown[3]}{times}ln({as_math(f, unicode)}) + "
        f"{shown[1]}{times}{shown[2]}/{shown[0]})"
    )


def _grouped(text: str, expr: sp.Expr) -> str:
    if expr.is_Atom and not (expr.is_Number and expr.is_negative):
        return text
    if isinstance(expr, sp.Function) or (expr.is_Pow and expr.base.is_Atom):
        return text
    return f"({text})"


def rule_text(step: Step, settings: Settings) -> str:
    """The rule's name, with what it introduces or needs: chain rule, u = x²; (x ≠ 0)."""
    math = lambda e: as_math(e, settings.unicode)  # noqa: E731
    text = step.rule
    if step.let is not None:
        u, inner = step.let
        text += f", {u.name} = {math(inner)}"
    if step.nonzero is not None:
        text += f" ({math(step.nonzero)} {'≠' if settings.style == UNICODE else '!='} 0)"
    return text


def walk(step: Step, depth: int = 0):  # type: ignore[no-untyped-def]
    """Each step with its depth, parents before children."""
    yield step, depth
    for sub in step.substeps:
        yield from walk(sub, depth + 1)


def simplify_equation(derivation: Derivation, settings: Settings) -> str:
    return f"{as_math(derivation.root.result, settings.unicode)} = " + as_math(
        derivation.final, settings.unicode
    )


def _atomic(expr: sp.Expr) -> bool:
    return (
        expr.is_Symbol
        or (expr.is_Number and not expr.is_negative)
        or (expr.is_Pow and expr.base.is_Symbol and expr.exp.is_Integer and expr.exp > 0)
        or isinstance(expr, sp.Function)
    )
