"""Derivation steps as lines: `rule: d/dx (expr) = result`, sub-steps indented under them."""

from __future__ import annotations

import sympy as sp

from ..results import Derivation, Step
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
        if step.parts:
            result = f"{power_formula(step, LATEX)} = {result}"
        if settings.notation is Notation.lagrange:
            mark = f"_{{{name}}}" if partial else "'"
            return rf"\left({shown}\right){mark} = {result}"
        return (
            rf"{operator(name, partial, settings.notation, style)} \left({shown}\right) = {result}"
        )
    shown = as_math(step.expr, settings.unicode)
    result = as_math(step.result, settings.unicode)
    if step.parts:
        result = f"{power_formula(step, style)} = {result}"
    if settings.notation is Notation.lagrange:
        mark = f"_{name}" if partial else "'"
        return f"({shown}){mark} = {result}"
    if not _atomic(step.expr):
        shown = f"({shown})"
    return f"{operator(name, partial, settings.notation, style)} {shown} = {result}"


def power_formula(step: Step, style: str) -> str:
    """f^g·(g'·ln f + g·f'/f) with the step's own f and g: x^x·(1·ln(x) + x·1/x)."""
    f, g, df, dg = step.parts
    if style == LATEX:
        tex = [_grouped(as_latex(e), e, LATEX) for e in (f, g, df, dg)]
        power = as_latex(step.expr)
        return (
            rf"{power} \left({tex[3]} \cdot \ln\left({as_latex(f)}\right) + {tex[1]} \cdot "
            rf"\frac{{{as_latex(df)}}}{{{as_latex(f)}}}\right)"
        )
    unicode = style == UNICODE
    shown = [_grouped(as_math(e, unicode), e, style) for e in (f, g, df, dg)]
    times = "·" if unicode else "*"
    power = as_math(step.expr, unicode)
    return (
        f"{power}{times}({shown[3]}{times}ln({as_math(f, unicode)}) + "
        f"{shown[1]}{times}{shown[2]}/{shown[0]})"
    )


def _grouped(text: str, expr: sp.Expr, style: str) -> str:
    if expr.is_Atom and not (expr.is_Number and expr.is_negative):
        return text
    if isinstance(expr, sp.Function) or (expr.is_Pow and expr.base.is_Atom and style != LATEX):
        return text
    return rf"\left({text}\right)" if style == LATEX else f"({text})"


def rule_text(step: Step, settings: Settings) -> str:
    """The rule's name, with what it introduces or needs: chain rule, u = x²; (x ≠ 0)."""
    math = lambda e: as_math(e, settings.unicode)  # noqa: E731
    text = step.rule
    if step.let is not None:
        u, inner = step.let
        text += f", {u.name} = {math(inner)}"
    if step.nonzero is not None:
        text += f" ({math(step.nonzero)} {'≠' if settings.unicode else '!='} 0)"
    return text


def latex_rule(step: Step) -> str:
    """The rule's name in \\text, with any maths it carries set as maths."""
    if step.let is None:
        text = rf"\text{{{step.rule}}}"
    else:
        u, inner = step.let
        text = rf"\text{{{step.rule}, }} {tex_name(u.name)} = {as_latex(inner)}"
    if step.nonzero is not None:
        text += rf" \quad ({as_latex(step.nonzero)} \neq 0)"
    return text


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
            rows.append(rf"{indent}{left} &= {right} && {latex_rule(step)}")
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
    if step.nonzero is not None:
        data["holds_where"] = f"{as_expr(step.nonzero)} != 0"
    if step.let is not None:
        data["let"] = {step.let[0].name: as_expr(step.let[1])}
    return data


def derivation_document(derivation: Derivation) -> dict:
    from .mathtext import as_expr

    return {"tree": step_document(derivation.root), "simplified": as_expr(derivation.final)}
