"""Labels for results, in the chosen notation: `df/dx`, `f_x`, `∇f`."""

from __future__ import annotations

import sympy as sp

from ..results import Derivative, Gradient
from .notation import derivative_label, gradient_label
from .settings import Settings


def is_partial(result: Derivative | Gradient) -> bool:
    """∂ rather than d: the function has, or is differentiated by, more than one variable."""
    wrt = result.wrt if isinstance(result, Derivative) else result.variables
    return len(set(result.function.variables) | set(wrt)) > 1


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
