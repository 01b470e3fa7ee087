"""Derivation steps as lines: `rule: d/dx (expr) = result`, sub-steps indented under them."""

from __future__ import annotations

import sympy as sp

from ..steps import Derivation, Step
from .mathtext import as_latex, as_math, tex_name
from .notation import LATEX, UNICODE, Notation
from .settings import Settings


def operator(variable: str, partial: bool, notation: Notation, style: str) -> str:
    """How "the derivative of" is written before an expression: d/dx, ∂/∂x, D_x."""
    if notation is Notation.euler:
        return f"D_{{{variable}}}" if style == LATEX else f"D_{variable}"
    d = (
        ("∂" if partial and style == UNICODE else "d")
        if style != LATEX
        else (r"\partial" if partial else "d")
    )
    if style == LATEX:
        return rf"\frac{{{d}}}{{{d} {variable}}}"
    return f"{d}/{d}{variable}"


def step_equation(step: Step, partial: bool, settings: Settings, style: str | None = None) -> str:
    style = style or settings.style
    name = step.variable.name
    if style == LATEX:
        name = tex_name(name)
        shown, result = as_latex(step.expr), as_latex(step.result)
        if settings.notation is Notation.lagrange:
            mark = f"_{{{name}}}" if partial else "'"
            return rf"\left({shown}\right){mark} = {result}"
        return (
            rf"{operator(name, partial, settings.notation, style)} \left({shown}\right) = {result}"
        )
    shown = as_math(step.expr, settings.unicode)
    result = as_math(step.result, settings.unicode)
    if settings.notation is Notation.lagrange:
        mark = f"_{name}" if partial else "'"
        return f"({shown}){mark} = {result}"
    if not _atomic(step.expr):
        shown = f"({shown})"
    return f"{operator(name, partial, settings.notation, style)} {shown} = {result}"


def rule_text(step: Step) -> str:
    return f"{step.rule} ({step.note})" if step.note else step.rule


def walk(step: Step, depth: int = 0):  # type: ignore[no-untyped-def]
    """Each step with its depth, parents before children."""
    yield step, depth
    for sub in step.substeps:
        yield from walk(sub, depth + 1)


def simplify_equation(derivation: Derivation, settings: Settings, style: str | None = None) -> str:
    if (style or settings.style) == LATEX:
        return f"{as_latex(derivation.root.result)} = {as_latex(derivation.final)}"
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


def latex_rows(derivations, partial: bool, settings: Settings) -> list[str]:  # type: ignore[no-untyped-def]
    """One align* row per step, the rule on the right."""
    rows = []
    for derivation in derivations:
        for step, depth in walk(derivation.root):
            left, right = step_equation(step, partial, settings, LATEX).split(" = ", 1)
            indent = r"\quad " * depth
            rows.append(rf"{indent}{left} &= {right} && \text{{{_tex_text(rule_text(step))}}}")
        if derivation.simplified:
            rows.append(rf"&= {as_latex(derivation.final)} && \text{{simplify}}")
    return rows


def step_document(step: Step) -> dict:
    from .mathtext import as_expr

    data = {
        "rule": step.rule,
        "expression": as_expr(step.expr),
        "variable": step.variable.name,
        "result": as_expr(step.result),
        "substeps": [step_document(s) for s in step.substeps],
    }
    if step.note:
        data["note"] = step.note
    return data


def derivation_document(derivation: Derivation) -> dict:
    from .mathtext import as_expr

    return {"tree": step_document(derivation.root), "simplified": as_expr(derivation.final)}


def _tex_text(text: str) -> str:
    return text.replace("≠", r"$\neq$")
