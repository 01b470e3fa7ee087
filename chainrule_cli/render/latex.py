"""LaTeX: one `align*` block per record, the function first, ready to paste into an amsmath
document (pdflatex compiles it as it is)."""

from __future__ import annotations

from functools import singledispatch

import sympy as sp

from ..results import (
    Analysis,
    Backprop,
    Chain,
    Check,
    Checked,
    Definition,
    Derivative,
    Directional,
    Function,
    Gradient,
    Implicit,
    Matrix,
    MatrixGradients,
    NthDerivative,
    Parametric,
    Point,
    Step,
    Tangent,
    Taylor,
)
from .mathtext import as_latex, tex_name
from .notation import (
    LATEX,
    Notation,
    chain_text,
    derivative_label,
    derivative_of,
    derivative_text,
    factor_text,
    function_label,
    gradient_text,
    nth_label,
    operator,
    partial_of,
)
from .settings import Settings
from .text.chain import definition_arguments


def render(result: object, settings: Settings) -> str:
    rows = latex(result, settings)
    return "\\begin{align*}\n" + " \\\\\n".join(rows) + "\n\\end{align*}\n" if rows else ""


@singledispatch
def latex(result: object, settings: Settings) -> list[str]:
    raise TypeError(f"no LaTeX output for {type(result).__name__}")


def function_row(function: Function) -> str:
    names = tuple(v.name for v in function.variables)
    return f"{function_label(function.name, names, LATEX)} &= {as_latex(function.expr)}"


@latex.register
def _(result: Derivative, settings: Settings) -> list[str]:
    label = derivative_text(result, settings, style=LATEX)
    rows = [function_row(result.function)]
    if result.steps:
        rows += latex_rows(result.steps, partial_of(result), settings)
    return rows + value_rows(label, result.result, result.point, result.value)


def value_rows(label: str, formula, point: Point | None, value) -> list[str]:  # type: ignore[no-untyped-def]
    """label = formula, and its value at the point where it has one."""
    rows = [f"{label} &= {as_latex(formula)}"]
    if point is not None and value is not None:
        rows.append(f"{at_point(label, point)} &= {as_latex(value.exact)}")
    return rows


@latex.register
def _(result: Gradient, settings: Settings) -> list[str]:
    rows = [function_row(result.function)]
    rows += [f"{as_latex(name)} &= {as_latex(expr)}" for name, expr in result.definitions]
    if result.steps:
        rows += latex_rows(result.steps, partial_of(result), settings)
    rows += [
        f"{derivative_text(result, settings, v, style=LATEX)} &= {as_latex(c)}"
        for v, c in zip(result.variables, result.components)
    ]
    nabla = gradient_text(result, settings, style=LATEX)
    rows.append(f"{nabla} &= {column([as_latex(c) for c in result.components])}")
    if result.point is not None and result.values is not None:
        values = column([as_latex(v.exact) for v in result.values])
        rows.append(f"{at_point(nabla, result.point)} &= {values}")
    return rows


def at_point(label: str, point: Point) -> str:
    where = ", ".join(f"{as_latex(s)}={as_latex(v)}" for s, v in point)
    return rf"\left. {label} \right|_{{{where}}}"


def column(entries: list[str]) -> str:
    return r"\begin{pmatrix} " + r" \\ ".join(entries) + r" \end{pmatrix}"


@latex.register
def _(result: Chain, settings: Settings) -> list[str]:
    rows = [function_row(result.function)]
    pieces = [(result.function.name, result.outer), *((s.name, e) for s, e in result.inner)]
    for name, expr in pieces:
        arguments = tuple(s.name for s in definition_arguments(expr, result))
        rows.append(f"{function_label(name, arguments, LATEX)} &= {as_latex(expr)}")
    for part in result.parts:
        label = chain_text(result, part.variable, settings, style=LATEX)
        steps = [
            r" \cdot ".join(factor_text(f, result, settings, LATEX) for f in t.factors)
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
    return rows


def _factor(expr) -> str:  # type: ignore[no-untyped-def]
    text = as_latex(expr)
    return rf"\left({text}\right)" if expr.is_Add or text.startswith("-") else text


def pmatrix(rows) -> str:  # type: ignore[no-untyped-def]
    body = r" \\ ".join(" & ".join(as_latex(e) for e in row) for row in rows)
    return r"\begin{pmatrix} " + body + r" \end{pmatrix}"


@latex.register
def _(result: Matrix, settings: Settings) -> list[str]:
    name = tex_name(result.function.name)
    label = "J" if result.kind == "jacobian" else f"H_{{{name}}}"
    rows = [function_row(f) for f in result.functions]
    rows.append(f"{label} &= {pmatrix(result.rows)}")
    if result.point is not None and result.values is not None:
        values = [[v.exact for v in row] for row in result.values]
        rows.append(f"{at_point(label, result.point)} &= {pmatrix(values)}")
    return rows


@latex.register
def _(result: Directional, settings: Settings) -> list[str]:
    name = tex_name(result.function.name)
    rows = [
        function_row(result.function),
        f"u &= {column([as_latex(c) for c in result.unit])}",
        rf"D_{{u}} {name} = \nabla {name} \cdot u &= {as_latex(result.result)}",
    ]
    if result.point is not None and result.value is not None:
        label = at_point(f"D_{{u}} {name}", result.point)
        rows.append(f"{label} &= {as_latex(result.value.exact)}")
    return rows


@latex.register
def _(result: Implicit, settings: Settings) -> list[str]:
    from .text.toolbox import implicit_label

    label = implicit_label(result, settings, LATEX)
    equation = f"{as_latex(result.lhs)} &= {as_latex(result.rhs)}"
    return [equation, *value_rows(label, result.result, result.point, result.value)]


@latex.register
def _(result: Tangent, settings: Settings) -> list[str]:
    rows = [function_row(result.function)]
    if result.expr is not None:
        rows.append(f"{result.dependent} &= {as_latex(result.expr)}")
    normal = result.normal
    if normal is not None and normal.dependent is not None:
        rows.append(rf"\text{{normal: }} {normal.dependent} &= {as_latex(normal.expr)}")
    elif normal is not None:
        names = ", ".join(tex_name(v.name) for v in result.function.variables)
        vector = ", ".join(as_latex(c) for c in normal.vector)
        through = ", ".join(as_latex(c) for c in normal.through)
        rows.append(rf"\mathbf{{n}} &= \left({vector}\right)")
        rows.append(rf"({names}, z) &= \left({through}\right) + t \left({vector}\right)")
    return rows


@latex.register
def _(result: Parametric, settings: Settings) -> list[str]:
    t = tex_name(result.parameter.name)
    if result.radius is not None:
        head = rf"r({t}) &= {as_latex(result.radius.expr)}"
    else:
        head = rf"x({t}) &= {as_latex(result.x.expr)}, \quad y({t}) = {as_latex(result.y.expr)}"
    rows = [
        head,
        rf"\frac{{dy}}{{dx}} &= {as_latex(result.first)}",
        rf"\frac{{d^{{2}}y}}{{dx^{{2}}}} &= {as_latex(result.second)}",
    ]
    if result.point is None:
        return rows
    at = ", ".join(f"{tex_name(s.name)} = {as_latex(v)}" for s, v in result.point)
    if result.value is not None:
        rows.append(rf"\left.\frac{{dy}}{{dx}}\right|_{{{at}}} &= {as_latex(result.value.exact)}")
        rows.append(rf"y &= {as_latex(result.tangent)}")
    elif result.tangent is not None:
        rows.append(rf"x &= {as_latex(result.tangent)}")
    return rows


@latex.register
def _(result: Taylor, settings: Settings) -> list[str]:
    from .text.toolbox import remainder_of

    rows = [function_row(result.function)]
    if result.failure is not None:
        return rows
    names = ", ".join(tex_name(v.name) for v in result.function.variables)
    label = f"L({names})" if result.order == 1 else f"P_{{{result.order}}}({names})"
    terms = [as_latex(t) for t in result.terms if t != 0] or ["0"]
    polynomial = terms[0] + "".join(f" {t}" if t.startswith("-") else f" + {t}" for t in terms[1:])
    remainder = rf"O\left({remainder_of(result, LATEX)}\right)"
    for k, derivative, _, coefficient in result.table:
        (x, a), f = result.point[0], tex_name(result.function.name)
        kth = f"{f}^{{({k})}}"
        rows.append(
            rf"{kth}({tex_name(x.name)}) &= {as_latex(derivative)}, \quad "
            rf"\frac{{{kth}({as_latex(a)})}}{{{k}!}} = {as_latex(coefficient)}"
        )
    return [*rows, f"{label} &= {polynomial} + {remainder}"]


@latex.register
def _(result: Analysis, settings: Settings) -> list[str]:
    """The facts as rows: sets and intervals in LaTeX, words in \\text."""
    x = result.variable
    first = derivative_of(result.function, (x,), settings, LATEX)
    second = derivative_of(result.function, (x, x), settings, LATEX)
    f = tex_name(result.function.name)

    def pieces(intervals) -> str:  # type: ignore[no-untyped-def]
        shown = [rf"\left({as_latex(lo)}, {as_latex(hi)}\right)" for lo, hi in intervals]
        return r" \cup ".join(shown) or r"\emptyset"

    def places(points) -> str:  # type: ignore[no-untyped-def]
        return ", ".join(as_latex(p) for p in points) or r"\text{none}"

    rows = [
        function_row(result.function),
        rf"\text{{domain}} &: {as_latex(result.domain)}",
        rf"{first} &= {as_latex(result.first)}",
        rf"{first} \text{{ exists on}} &: {as_latex(result.derivative_domain)}",
        rf"\text{{critical points}} &: {places(c.x for c in result.critical)}",
        rf"\text{{increasing on}} &: {pieces(result.increasing)}",
        rf"\text{{decreasing on}} &: {pieces(result.decreasing)}",
    ]
    for e in result.extrema:
        rows.append(
            rf"\text{{local {e.kind}}} &: {f}\left({as_latex(e.x)}\right) = "
            rf"{as_latex(e.value.exact)} \quad \text{{({e.test} test)}}"
        )
    rows += [
        rf"{second} &= {as_latex(result.second)}",
        rf"\text{{concave up on}} &: {pieces(result.concave_up)}",
        rf"\text{{concave down on}} &: {pieces(result.concave_down)}",
        r"\text{inflection points} &: "
        + (
            ", ".join(
                rf"\left({as_latex(i.x)}, {as_latex(i.value.exact)}\right)"
                for i in result.inflections
            )
            or r"\text{none}"
        ),
    ]
    if result.vertical:
        rows.append(rf"\text{{vertical asymptotes}} &: x = {places(result.vertical)}")
    for end, value in result.horizontal + result.slant:
        rows.append(rf"\text{{asymptote}} &: y = {as_latex(value)} \ (x \to {as_latex(end)})")
    for a in result.absolute or ():
        where = " = ".join(rf"{f}\left({as_latex(p)}\right)" for p in a.at)
        rows.append(rf"\text{{absolute {a.kind}}} &: {where} = {as_latex(a.value.exact)}")
    return rows


@latex.register
def _(result: Definition, settings: Settings) -> list[str]:
    x, h = tex_name(result.variable.name), tex_name(result.step.name)
    f = tex_name(result.function.name)
    label = derivative_of(result.function, (result.variable,), settings, LATEX)
    rows = [function_row(result.function)]
    if not result.steps:
        return [*rows, rf"{label} &= {as_latex(result.result)} \quad \text{{(by the rules)}}"]
    limit = rf"\lim_{{{h} \to 0}} "
    rows.append(rf"{label} &= {limit}\frac{{{f}({x} + {h}) - {f}({x})}}{{{h}}}")
    for step in result.steps:
        above = [as_latex(e) for e in step.above]
        if (
            len(above) == 2
            and step.above[1].could_extract_minus_sign()
            and not step.above[1].is_Add
        ):
            top = f"{above[0]} + {as_latex(-step.above[1])}"
        elif len(above) == 2:
            second = rf"\left({above[1]}\right)" if step.above[1].is_Add else above[1]
            top = f"{above[0]} - {second}"
        else:
            top = above[0]
        body = rf"\frac{{{top}}}{{{as_latex(step.below)}}}" if step.below is not None else top
        if step.limit:
            body = limit + (rf"\left({body}\right)" if step.below is None else body)
        rows.append(rf"&= {body}")
    return rows


@latex.register
def _(result: NthDerivative, settings: Settings) -> list[str]:
    label = nth_label(
        result.function.name, result.variable.name, result.order.name, settings.notation, LATEX
    )
    n = tex_name(result.order.name)
    holds = rf"\quad \text{{for every integer }} {n} \geq 1"
    return [function_row(result.function), rf"{label} &= {as_latex(result.result)}{holds}"]


@latex.register
def _(result: Check, settings: Settings) -> list[str]:
    relation = {True: "=", False: r"\neq", None: r"\overset{?}{=}"}[result.correct]
    answer = ", ".join(as_latex(a) for a in result.answer)
    expected = ", ".join(as_latex(e) for e in result.expected)
    return [function_row(result.function), f"{answer} &{relation} {expected}"]


@latex.register
def _(checked: Checked, settings: Settings) -> list[str]:
    return latex(checked.result, settings)


@latex.register
def _(result: Backprop, settings: Settings) -> list[str]:
    """Forward: each operation in its inputs' names (and its value); backward: its adjoint."""
    from .text.backprop import input_names

    name = tex_name(result.function.name)
    rows = [function_row(result.function)]
    for node in result.nodes:
        if node.op in ("input", "const"):
            continue
        written = node.expr.func(*input_names(node, result))
        value = f" = {as_latex(node.value.exact)}" if node.value is not None else ""
        adjoint = node.grad_value.exact if node.grad_value is not None else node.grad
        rows.append(
            f"{tex_name(node.id)} &= {as_latex(written)}{value} && "
            rf"\frac{{\partial {name}}}{{\partial {tex_name(node.id)}}} = {as_latex(adjoint)}"
        )
    values = result.gradient_values or [None] * len(result.gradient)
    for (variable, gradient), value in zip(result.gradient, values):
        label = derivative_of(result.function, (variable,), settings, LATEX)
        rows.append(f"{label} &= {as_latex(value.exact if value else gradient)}")
    return rows


# Steps: one row per step, the rule on the right.


def latex_rows(derivations, partial: bool, settings: Settings) -> list[str]:  # type: ignore[no-untyped-def]
    from .text.steps import walk

    rows = []
    for derivation in derivations:
        for step, depth in walk(derivation.root):
            indent = r"\quad " * depth
            left, right = step_sides(step, partial, settings)
            rows.append(rf"{indent}{left} &= {right} && {latex_rule(step)}")
        if derivation.simplified:
            rows.append(rf"&= {as_latex(derivation.final)} && \text{{simplify}}")
    return rows


def step_sides(step: Step, partial: bool, settings: Settings) -> tuple[str, str]:
    """d/dx (expr) and its result, the general power rule's formula in between."""
    name = tex_name(step.variable.name)
    shown, result = as_latex(step.expr), as_latex(step.result)
    if step.parts:
        result = f"{power_formula(step)} = {result}"
    if settings.notation is Notation.lagrange:
        mark = f"_{{{name}}}" if partial else "'"
        return rf"\left({shown}\right){mark}", result
    return rf"{operator(name, partial, settings.notation, LATEX)} \left({shown}\right)", result


def power_formula(step: Step) -> str:
    """f^g (g' ln f + g·f'/f) with the step's own f and g."""
    f, g, df, dg = step.parts
    grouped = [_grouped(e) for e in (g, dg)]
    return (
        rf"{as_latex(step.expr)} \left({grouped[1]} \cdot \ln\left({as_latex(f)}\right) + "
        rf"{grouped[0]} \cdot \frac{{{as_latex(df)}}}{{{as_latex(f)}}}\right)"
    )


def _grouped(expr) -> str:  # type: ignore[no-untyped-def]
    text = as_latex(expr)
    if (expr.is_Atom and not (expr.is_Number and expr.is_negative)) or expr.is_Function:
        return text
    return rf"\left({text}\right)"


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


@latex.register
def _(result: MatrixGradients, settings: Settings) -> list[str]:
    from .matrixtext import as_matrix_latex

    name = tex_name(result.name)
    rows = [f"{name} &= {as_matrix_latex(result.expr)}"]
    rows += [f"{tex_name(s.name)} &= {as_matrix_latex(p)}" for s, p in result.definitions]
    steps = result.steps or [()] * len(result.wrt)
    for symbol, gradient, rules in zip(result.wrt, result.gradients, steps):
        for rule in rules:
            of = (
                rf"\mathrm{{d}}{name}"
                if rule.of is None
                else rf"\mathrm{{d}}\left({as_matrix_latex(rule.of)}\right)"
            )
            rows.append(rf"{of} &= {as_matrix_latex(rule.result)} && \text{{{rule.rule}}}")
        label = derivative_label(result.name, (symbol.name,), True, settings.notation, LATEX)
        rows.append(f"{label} &= {as_matrix_latex(gradient)}")
    if result.given is not None and result.values is not None:
        rows += _matrix_values(result, settings)
    return rows


def _matrix_values(result: MatrixGradients, settings: Settings) -> list[str]:
    """f and each derivative at the given values, matrices as pmatrix."""

    def shown(value: sp.Expr) -> str:
        if not isinstance(value, sp.MatrixBase):
            return as_latex(value)
        return pmatrix([list(value.row(i)) for i in range(value.rows)])

    name = tex_name(result.name)
    given = ", ".join(f"{tex_name(n)} = {shown(v)}" for n, v in result.given or ())
    rows = [rf"&\text{{at }} {given}:"]
    exact = lambda rows: [[v.exact for v in row] for row in rows]  # noqa: E731
    f_rows = exact(result.function_values or ())
    f_shown = as_latex(f_rows[0][0]) if len(f_rows) == 1 == len(f_rows[0]) else pmatrix(f_rows)
    rows.append(f"{name} &= {f_shown}")
    for symbol, values in zip(result.wrt, result.values or ()):
        label = derivative_label(result.name, (symbol.name,), True, settings.notation, LATEX)
        rows.append(f"{label} &= {pmatrix(exact(values))}")
    return rows
