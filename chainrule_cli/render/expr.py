"""Bare result expressions, one per line, in syntax that deriv and SymPy both read back."""

from __future__ import annotations

from functools import singledispatch

from ..results import (
    Analysis,
    Backprop,
    Chain,
    Check,
    Checked,
    Definition,
    Derivative,
    Directional,
    Gradient,
    Implicit,
    Matrix,
    MatrixGradients,
    NthDerivative,
    Parametric,
    Tangent,
    Taylor,
)
from ..values import to_digits
from .mathtext import as_expr, format_float
from .settings import Settings


def value_text(value, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    """The exact value, which deriv and SymPy read back; with --digits, a decimal for scripts."""
    if settings.digits is None or value.approx is None or value.exact.is_Integer:
        return as_expr(value.exact)
    return format_float(to_digits(value.exact, value.approx, settings.digits))


@singledispatch
def render(result: object, settings: Settings) -> str:
    raise TypeError(f"no expr output for {type(result).__name__}")


@render.register
def _(result: Derivative, settings: Settings) -> str:
    if result.point is not None:
        return value_text(result.value, settings) + "\n" if result.value is not None else ""
    return as_expr(result.result) + "\n"


@render.register
def _(result: Gradient, settings: Settings) -> str:
    if result.point is not None:
        return "".join(value_text(v, settings) + "\n" for v in result.values or ())
    if result.values is not None:
        return "".join(value_text(v, settings) + "\n" for v in result.values)
    names = "".join(f"{n.name} = {as_expr(e)}\n" for n, e in result.definitions)
    return names + "".join(as_expr(c) + "\n" for c in result.components)


@render.register
def _(result: Chain, settings: Settings) -> str:
    if result.failure is not None:
        return ""
    shown = [
        value_text(p.value, settings) if p.value is not None else as_expr(p.result)
        for p in result.parts
    ]
    return "".join(c + "\n" for c in shown)


@render.register
def _(result: Matrix, settings: Settings) -> str:
    if result.failure is not None:
        return ""
    rows = result.values if result.values is not None else result.rows
    shown = [
        [value_text(v, settings) if hasattr(v, "exact") else as_expr(v) for v in row]
        for row in rows
    ]
    return "".join(", ".join(row) + "\n" for row in shown)


@render.register
def _(result: Directional, settings: Settings) -> str:
    if result.failure is not None:
        return ""
    shown = result.result if result.value is None else None
    return (as_expr(shown) if shown is not None else value_text(result.value, settings)) + "\n"


@render.register
def _(result: Implicit, settings: Settings) -> str:
    if result.failure is not None:
        return ""
    shown = result.result if result.value is None else None
    return (as_expr(shown) if shown is not None else value_text(result.value, settings)) + "\n"


@render.register
def _(result: Tangent, settings: Settings) -> str:
    """The tangent's right-hand side; with --normal, then the normal line's (one variable) or
    the normal vector's components, a line each."""
    if result.expr is None:
        return ""
    normal = result.normal
    shown = [result.expr]
    if normal is not None:
        shown += [normal.expr] if normal.dependent is not None else list(normal.vector)
    return "".join(as_expr(e) + "\n" for e in shown)


@render.register
def _(result: Parametric, settings: Settings) -> str:
    """dy/dx in the parameter; at a parameter value, its value there."""
    if result.failure is not None:
        return ""
    return (
        as_expr(result.first) if result.point is None else value_text(result.value, settings)
    ) + "\n"


@render.register
def _(result: Taylor, settings: Settings) -> str:
    return as_expr(result.polynomial) + "\n" if result.failure is None else ""


@render.register
def _(result: Analysis, settings: Settings) -> str:
    """The critical points, one a line."""
    return "".join(as_expr(c.x) + "\n" for c in result.critical)


@render.register
def _(result: Definition, settings: Settings) -> str:
    return as_expr(result.result) + "\n"


@render.register
def _(result: NthDerivative, settings: Settings) -> str:
    return as_expr(result.result) + "\n"


@render.register
def _(result: Check, settings: Settings) -> str:
    return {True: "correct", False: "wrong", None: "undecided"}[result.correct] + "\n"


@render.register
def _(checked: Checked, settings: Settings) -> str:
    return render(checked.result, settings)


@render.register
def _(result: Backprop, settings: Settings) -> str:
    if result.gradient_values is not None:
        return "".join(value_text(v, settings) + "\n" for v in result.gradient_values)
    return "".join(as_expr(g) + "\n" for _, g in result.gradient)


@render.register
def _(result: MatrixGradients, settings: Settings) -> str:
    from .matrixtext import as_matrix_math

    if result.values is not None:
        return "".join(nested_text(rows, settings) + "\n" for rows in result.values)
    named = [f"{s.name} = {as_matrix_math(p, unicode=False)}" for s, p in result.definitions]
    return "".join(line + "\n" for line in (*named, *map(_ascii, result.gradients)))


def _ascii(expr) -> str:  # type: ignore[no-untyped-def]
    from .matrixtext import as_matrix_math

    return as_matrix_math(expr, unicode=False)


def nested_text(rows, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    """[[6, 6], [12, 12]] for a matrix, [42, 60] for a vector: what --at reads back."""
    from .matrixtext import bracketed

    return bracketed([[value_text(v, settings) for v in row] for row in rows])
