"""From a call to stdout: the worker computes `call(text)` and renders it, and this process
writes the text, the notes and the exit status.

The child parses, computes and renders (all of it under the budget); the parent only writes
text, so a huge result cannot hang the terminal and a closed pipe ends quietly.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import partial

from .errors import DerivError, InputError, Interrupted, OutputError, UndefinedAt
from .render.notation import Notation
from .status import ExitStatus
from .worker import Budget, Worker, run_limited

UNICODE_PROBE = "∂∇ᵀ²·≈π⁽⁾✓"


@dataclass(frozen=True)
class View:
    """How results are shown: the format (auto resolved), the notation, Unicode or ASCII."""

    format: str
    notation: Notation
    unicode: bool
    digits: int | None = None

    @property
    def settings(self):  # type: ignore[no-untyped-def]
        from .render.settings import Settings

        return Settings(self.notation, self.unicode, self.digits)


@dataclass(frozen=True)
class Rendered:
    """What a command prints: stdout text, messages for stderr, and the exit status."""

    text: str
    messages: tuple[str, ...] = ()
    status: int = ExitStatus.OK


def view_of(format: str, notation: Notation, function: Callable, digits: int | None = None) -> View:
    """`auto` is pretty on a terminal and plain elsewhere; a format the command's results do
    not support is a usage error before anything is computed."""
    from .render import supports

    stream = sys.stdout
    if format == "auto":
        format = "pretty" if stream.isatty() else "plain"
    if not supports(format, function):
        raise InputError(f"--format {format} is for deriv backprop; use another format")
    return View(format, notation, can_encode(stream, UNICODE_PROBE), digits)


def emit(call: Callable[[str], object], text: str, view: View, budget: Budget) -> int:
    try:
        return write(run_limited(partial(answer, call, view, text), budget))
    except ReaderGone:
        return ExitStatus.OK


class ReaderGone(Exception):
    """stdout's reader has stopped reading (| head): nothing more is computed or said."""


def emit_batch(
    lines: Iterable[tuple[int, str | DerivError | None]],
    call: Callable[[str], object],
    view: View,
    budget: Budget,
    progress=None,  # type: ignore[no-untyped-def]  # a progress.BatchProgress, on a terminal
) -> int:
    """One record per input line, streamed; a bad line is reported and the rest still runs.
    In expr format every input line has its output line (empty for a blank, a comment or a
    failure), so that the two files line up; in JSON a failure is a record too."""
    from .report import describe, status_of

    worker = Worker(partial(answer_line, call, view), budget)
    status, first = ExitStatus.OK, True
    tick = progress.line if progress is not None else lambda failed=False: None
    try:
        for number, text in lines:
            try:
                if text is None:
                    write(Rendered("\n" if view.format == "expr" else ""))
                    tick()
                    continue
                if isinstance(text, DerivError):
                    raise text
                rendered = worker.ask((number, text))
            except (Interrupted, OutputError, ReaderGone):
                raise
            except DerivError as error:
                message = describe(error).replace("error: ", f"error: line {number}: ", 1)
                write(failed_line(error, number, text, view.format))
                print(message, file=sys.stderr, flush=True)
                status = max(status, status_of(error))
                tick(True)
                continue
            if view.format in ("plain", "pretty", "latex") and not first:
                rendered = replace(rendered, text="\n" + rendered.text)  # a blank line between
            first = False
            status = max(status, write(rendered, number))
            tick()
    except ReaderGone:
        pass
    finally:
        worker.close()
        if progress is not None:
            progress.close()
    return status


def answer(call: Callable[[str], object], view: View, text: str, line: int | None = None):  # type: ignore[no-untyped-def]
    """In the worker: the call's result for text, rendered. Module-level, and bound with
    partial, so that a spawned worker can receive it by pickle."""
    return render(computed(call, text), view, line=line)


def answer_line(call: Callable[[str], object], view: View, request: tuple[int, str]) -> Rendered:
    number, text = request
    return answer(call, view, text, number)


def failed_line(error: DerivError, number: int, text: object, format: str) -> Rendered:
    """What stdout gets for a line that failed: an empty line in expr, a record in JSON."""
    import json

    from .errors import ParseError
    from .report import status_of

    if format == "expr":
        return Rendered("\n")
    if format != "json":
        return Rendered("")
    record = {
        "line": number,
        "input": text if isinstance(text, str) else None,
        "error": {
            "message": error.message,
            "exit": int(status_of(error)),
        },
    }
    if isinstance(error, ParseError):
        record["error"]["column"] = error.start + 1
    return Rendered(json.dumps(record, ensure_ascii=False) + "\n")


def computed(call: Callable[[str], object], text: str) -> object:
    """call(text); a value with no meaning at the point becomes an error that says so."""
    try:
        return call(text)
    except UndefinedAt as error:
        from .render.failures import undefined_message

        raise undefined_message(error) from None


def render(result: object, view: View, line: int | None = None) -> Rendered:
    from .render import renderer
    from .render.notes import notes
    from .report import failed, status_of_result

    settings = view.settings
    if hasattr(result, "drawn"):  # a plot: drawn to its file or as text, whatever the format
        text = result.drawn(settings)  # type: ignore[attr-defined]
    elif view.format == "json" and line is not None:
        text = json_line(result, line)
    else:
        text = renderer(view.format)(result, settings)
    if view.format == "expr" and line is not None:
        text = ", ".join(text.splitlines()) + "\n"  # one line per record: a, b for a gradient
    messages = notes(result, settings)
    failure = failed(result, settings)
    if failure:
        return Rendered(text, (*messages, failure), status_of_result(result))
    return Rendered(text, messages)


def json_line(result: object, line: int) -> str:
    import json

    from .render.json import document

    record = {"line": line, **document(result)}
    return json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n"


def write(rendered: Rendered, line: int | None = None) -> int:
    try:
        sys.stdout.write(rendered.text)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped reading (| head): nothing is wrong, and nothing more is done.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise ReaderGone() from None
    except OSError as error:
        reason = os.strerror(error.errno) if error.errno else str(error)
        raise OutputError(f"cannot write output: {reason}") from None
    where = f"line {line}: " if line is not None else ""
    for message in rendered.messages:
        kind, _, text = message.partition(": ")
        print(f"{kind}: {where}{text}", file=sys.stderr, flush=True)
    return rendered.status


def can_encode(stream: object, text: str) -> bool:
    try:
        text.encode(getattr(stream, "encoding", None) or "ascii")
    except (UnicodeEncodeError, LookupError):
        return False
    return True
