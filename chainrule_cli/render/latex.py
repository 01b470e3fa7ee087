"""LaTeX, one equation per line, ready to paste into a paper."""

from __future__ import annotations

from functools import singledispatch

from ..results import (
    Chain,
    Check,
    Derivative,
    Directional,
    Gradient,
    Implicit,
    Matrix,
    Point,
    Tangent,
)
from ..verify import Checked
from .labels import (
    chain_is_partial,
    chain_text,
    derivative_text,
    factor_text,
    gradient_text,
    is_partial,
)
from .mathtext import as_latex
from .notation import LATEX
from .settings import Settings
from .steps_lines import latex_block


@singledispatch
def render(result: object, settings: Settings) -> str:
    raise TypeError(f"no LaTeX output for {type(result).__name__}")


@render.register
def _(result: Derivative, settings: Settings) -> str:
    label = derivative_text(result, settings, style=LATEX)
    lines = [f"{label} = {as_latex(result.result)}"]
    if result.steps:
        lines.insert(0, latex_block(result.steps, is_partial(result), settings).rstrip("\n"))
    if result.point is not None and result.value is not None:
        lines.append(f"{at_point(label, result.point)} = {as_latex(result.value.exact)}")
    return "\n".join(lines) + "\n"


@render.register
def _(result: Gradient, settings: Settings) -> str:
    lines = [
        f"{derivative_text(result, settings, v, style=LATEX)} = {as_latex(c)}"
        for v, c in zip(result.variables, result.components)
    ]
    if result.steps:
        lines.insert(0, latex_block(result.steps, is_partial(result), settings).rstrip("\n"))
    lines[:0] = [f"{as_latex(name)} = {as_latex(expr)}" for name, expr in result.definitions]
    nabla = gradient_text(result, settings, style=LATEX)
    lines.append(f"{nabla} = {column([as_latex(c) for c in result.components])}")
    if result.point is not None and result.values is not None:
        values = column([as_latex(v.exact) for v in result.values])
        lines.append(f"{at_point(nabla, result.point)} = {values}")
    return "\n".join(lines) + "\n"


def at_point(label: str, point: Point) -> str:
    where = ", ".join(f"{as_latex(s)}={as_latex(v)}" for s, v in point)
    return rf"\left. {label} \right|_{{{where}}}"


def column(entries: list[str]) -> str:
    return r"\begin{pmatrix} " + r" \\ ".join(entries) + r" \end{pmatrix}"


@render.register
def _(result: Chain, settings: Settings) -> str:
    partial = chain_is_partial(result)
    rows = []
    for part in result.parts:
        label = chain_text(result, part.variable, settings, style=LATEX)
        steps = [
            r" \cdot ".join(factor_text(f, partial, settings, LATEX) for f in t.factors)
            for t in part.terms
        ]
        values = [r" \cdot ".join(_factor(f.expr) for f in t.factors) for t in part.terms]
        chain_steps = [" + ".join(steps), " + ".join(values)] if part.terms else []
        rows.append(f"{label} &= " + " = ".join([*chain_steps, as_latex(part.result)]))
    if result.point is not None:
        for part in result.parts:
            label = chain_text(result, part.variable, settings, style=LATEX)
            if part.value is not None:
                rows.append(f"{at_point(label, result.point)} &= {as_latex(part.value.exact)}")
    return "\\begin{aligned}\n" + " \\\\\n".join(rows) + "\n\\end{aligned}\n"


def _factor(expr) -> str:
    text = as_latex(expr)
    return rf"\left({text}\right)" if expr.is_Add or text.startswith("-") else text


def pmatrix(rows) -> str:  # type: ignore[no-untyped-def]
    body = r" \\ ".join(" & ".join(as_latex(e) for e in row) for row in rows)
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


@render.register
def _(result: Matrix, settings: Settings) -> str:
    label = "J" if result.kind == "jacobian" else f"H_{{{result.function.name}}}"
    lines = [f"{label} = {pmatrix(result.rows)}"]
    if result.point is not None and result.values is not None:
        values = [[v.exact for v in row] for row in result.values]
        lines.append(f"{at_point(label, result.point)} = {pmatrix(values)}")
    return "\n".join(lines) + "\n"


@render.register
def _(result: Directional, settings: Settings) -> str:
    name = result.function.name
    lines = [rf"D_{{u}} {name} = \nabla {name} \cdot u = {as_latex(result.result)}"]
    if result.point is not None and result.value is not None:
        lines.append(
            f"{at_point(f'D_{{u}} {name}', result.point)} = {as_latex(result.value.exact)}"
        )
    return "\n".join(lines) + "\n"


@render.register
def _(result: Implicit, settings: Settings) -> str:
    from .toolbox_lines import implicit_label

    label = implicit_label(result, settings, LATEX)
    return f"{label} = {as_latex(result.result)}\n"


@render.register
def _(result: Tangent, settings: Settings) -> str:
    return f"{result.dependent} = {as_latex(result.expr)}\n" if result.expr is not None else ""


@render.register
def _(result: Check, settings: Settings) -> str:
    relation = "=" if result.correct else r"\neq"
    answer = ", ".join(as_latex(a) for a in result.answer)
    expected = ", ".join(as_latex(e) for e in result.expected)
    return f"{answer} {relation} {expected}\n"


@render.register
def _(checked: Checked, settings: Settings) -> str:
    return render(checked.result, settings)
