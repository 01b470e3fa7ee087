"""Writes a result to stdout in the chosen format; the one place that picks a renderer."""

from __future__ import annotations

import sys

from .render.notation import Notation
from .render.settings import Settings
from .status import ExitStatus

UNICODE_PROBE = "∂∇ᵀ²·≈π⁽⁾"


def emit(result: object, format: str, notation: Notation) -> int:
    stream = sys.stdout
    settings = Settings(notation=notation, unicode=can_encode(stream, UNICODE_PROBE))
    if format == "auto":
        format = "pretty" if stream.isatty() else "plain"
    if format == "pretty":
        write_pretty(result, settings)
    else:
        stream.write(renderer(format)(result, settings))
    notes(result)
    if getattr(result, "matches_direct", True) is False:
        print(
            "error: the chain rule does not match the direct derivative (a bug in deriv)",
            file=sys.stderr,
        )
        return ExitStatus.MATH_ERROR
    return ExitStatus.OK


def renderer(format: str):
    from .render import expr, json, latex, plain

    return {"plain": plain.render, "expr": expr.render, "latex": latex.render, "json": json.render}[
        format
    ]


def write_pretty(result: object, settings: Settings) -> None:
    from rich.console import Console

    from .render import pretty

    console = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False, markup=False)
    console.print(pretty.render(result, settings), end="")


def notes(result: object) -> None:
    """One line on stderr per thing the user may not have meant: a variable f does not contain."""
    name = result.function.name  # type: ignore[attr-defined]
    for variable in getattr(result, "absent", ()):
        print(f"note: {name} does not depend on {variable.name}", file=sys.stderr)
    for variable in getattr(result, "left_out", ()):
        print(
            f"note: {name} also depends on {variable.name}, which --vars leaves out",
            file=sys.stderr,
        )


def can_encode(stream: object, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
