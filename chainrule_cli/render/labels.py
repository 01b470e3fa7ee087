"""Labels for results, in the chosen notation: `df/dx`, `f_x`, `∇f`."""

from __future__ import annotations

import sympy as sp

from ..results import Derivative, Gradient
from .mathtext import tex_name
from .notation import LATEX, derivative_label, gradient_label
from .settings import Settings


def is_partial(result: Derivative | Gradient) -> bool:
    """∂ rather than d: the function has, or is differentiated by, more than one variable."""
    wrt = result.wrt if isinstance(result, Derivative) else result.variables
    variables = result.function.variables
    if len(variables) > 1:
        return True  # the common case, decided without a set of possibly thousands
    return len(set(variables) | set(wrt)) > 1


def derivative_text(
    result: Derivative | Gradient,
    settings: Settings,
    variable: sp.Symbol | None = None,
    style: str | None = None,
) -> str:
    wrt = result.wrt if variable is None else (variable,)
    names = tuple(v.name for v in wrt)
    return derivative_label(
        result.function.name, names, is_partial(result), settings.notation, style or settings.style
    )


def gradient_text(result: Gradient, settings: Settings, style: str | None = None) -> str:
    return gradient_label(result.function.name, style or settings.style)


def factor_text(factor, chain, settings: Settings, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """∂u/∂x for one link of the chain: ∂ when the composed function has several variables (the
    general chain rule) or the node several arguments, d otherwise. A direct link to an input
    variable from a node that also uses inner functions is the explicit partial, with those
    held fixed: ∂f/∂x|_u for f(u, x)."""
    style = style or settings.style
    inner = {s.name for s, _ in chain.inner}
    arguments = {s.name for s in node_expr(chain, factor.of).free_symbols}
    partial = len(chain.function.variables) > 1 or len(arguments) > 1
    label = derivative_label(factor.of, (factor.by,), partial, settings.notation, style)
    held = sorted(arguments & inner) if factor.by not in inner else []
    return held_fixed(label, held, style) if held else label


def node_expr(chain, name: str):  # type: ignore[no-untyped-def]
    if name == chain.function.name:
        return chain.outer
    return next(expr for symbol, expr in chain.inner if symbol.name == name)


def held_fixed(label: str, names: list[str], style: str) -> str:
    if style == LATEX:
        shown = ", ".join(tex_name(n) for n in names)
        return rf"\left. {label} \right|_{{{shown}}}"
    return f"{label}|_{','.join(names)}"


def chain_text(chain, variable, settings: Settings, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """The total derivative: df/dx for a function of one variable, ∂f/∂x for several."""
    partial = len(chain.function.variables) > 1
    return derivative_label(
        chain.function.name, (variable.name,), partial, settings.notation, style or settings.style
    )
