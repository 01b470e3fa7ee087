"""Labels for results, in the chosen notation: `df/dx`, `f_x`, `∇f`."""

from __future__ import annotations

import sympy as sp

from ..results import Derivative, Gradient
from .notation import derivative_label, gradient_label
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


def chain_is_partial(chain) -> bool:
    """∂ throughout when there are several input variables or a node has several arguments."""
    nodes = [chain.outer, *(expr for _, expr in chain.inner)]
    return len(chain.function.variables) > 1 or any(len(e.free_symbols) > 1 for e in nodes)


def factor_text(factor, partial: bool, settings: Settings, style: str | None = None) -> str:
    return derivative_label(
        factor.of, (factor.by,), partial, settings.notation, style or settings.style
    )


def chain_text(chain, variable, settings: Settings, style: str | None = None) -> str:
    name = chain.function.name
    return derivative_label(
        name, (variable.name,), chain_is_partial(chain), settings.notation, style or settings.style
    )
