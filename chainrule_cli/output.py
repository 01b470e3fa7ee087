"""Runs a command's computation in the worker, renders it there, and writes it here.

The child parses, computes and renders (all of it under the budget); the parent only writes
text, so a huge result cannot hang the terminal and a closed pipe ends quietly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from .errors import OutputError
from .render.notation import Notation
from .status import ExitStatus
from .worker import Budget, run_limited

UNICODE_PROBE = "∂∇ᵀ²·≈π⁽⁾✓"


@dataclass(frozen=True)
class Rendered:
    """What a command prints: stdout text, notes for stderr, and the exit status."""

    text: str
    notes: tuple[str, ...] = ()
    status: int = ExitStatus.OK
    errors: tuple[str, ...] = field(default=())


def emit(compute: Callable[[], object], format: str, notation: Notation, budget: Budget) -> int:
    stream = sys.stdout
    unicode = can_encode(stream, UNICODE_PROBE)
    if format == "auto":
        format = "pretty" if stream.isatty() else "plain"
    rendered = run_limited(lambda: render(compute(), format, notation, unicode), budget)
    return write(rendered)


def render(result: object, format: str, notation: Notation, unicode: bool) -> Rendered:
    from .render.settings import Settings

    settings = Settings(notation=notation, unicode=unicode)
    text = (
        pretty_text(result, settings) if format == "pretty" else renderer(format)(result, settings)
    )
    errors = ()
    status = ExitStatus.OK
    if getattr(result, "matches_direct", True) is False:
        errors = ("error: the chain rule does not match the direct derivative (a bug in deriv)",)
        status = ExitStatus.MATH_ERROR
    return Rendered(text, tuple(notes(result)), status, errors)


def renderer(format: str):
    from .render import expr, json, latex, plain

    return {"plain": plain.render, "expr": expr.render, "latex": latex.render, "json": json.render}[
        format
    ]


def pretty_text(result: object, settings) -> str:
    from rich.console import Console

    from .render import pretty

    console = Console(file=sys.stdout, highlight=False, soft_wrap=True, emoji=False, markup=False)
    with console.capture() as captured:
        console.print(pretty.render(result, settings), end="")
    return captured.get()


def notes(result: object) -> list[str]:
    """A line for each thing the user may not have meant, such as a variable f does not contain."""
    name = result.function.name  # type: ignore[attr-defined]
    lines = [f"note: {name} does not depend on {v.name}" for v in getattr(result, "absent", ())]
    lines += [
        f"note: {name} also depends on {v.name}, which --vars leaves out"
        for v in getattr(result, "left_out", ())
    ]
    return lines


def write(rendered: Rendered) -> int:
    try:
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (| head): nothing is wrong, and nothing more is said.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return ExitStatus.OK
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise OutputError(f"cannot write output: {reason}") from None
    for line in (*rendered.notes, *rendered.errors):
        print(line, file=sys.stderr)
    return rendered.status


def can_encode(stream: object, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
