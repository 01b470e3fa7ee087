"""One renderer per format, each dispatching on the result's type. Only the one in use is
imported: a plain diff never loads rich, LaTeX or JSON."""

from __future__ import annotations

from collections.abc import Callable

FORMATS = ("pretty", "plain", "expr", "latex", "json", "dot")
# Formats that only some results have, by result type; every other format shows every result.
ONLY = {"dot": ("Backprop",)}


def supports(format: str, function: Callable) -> bool:
    """Whether `format` shows what `function` (an API function) returns."""
    if format not in ONLY:
        return True
    from ..api import RESULTS

    result = RESULTS.get(function)
    return result is not None and result.__name__ in ONLY[format]


def renderer(format: str) -> Callable:
    if format == "pretty":
        from .text.pretty import render
    elif format == "plain":
        from .text.plain import render
    elif format == "expr":
        from .expr import render
    elif format == "latex":
        from .latex import render
    elif format == "json":
        from .json import render
    elif format == "dot":
        from .dot import render
    else:
        raise ValueError(f"no renderer for {format}")
    return render
