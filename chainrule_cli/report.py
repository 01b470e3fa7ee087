"""Runs the CLI and maps every outcome to one exit code and at most one `error:` line: an
error raised here or in the worker, and a result that has no value or fails its check."""

from __future__ import annotations

import sys
from collections.abc import Callable

import typer

from .errors import (
    DerivError,
    InternalError,
    Interrupted,
    LimitExceeded,
    MathError,
    OutputError,
    ParseError,
)
from .status import ExitStatus


def run(invoke: Callable[[], object]) -> int:
    try:
        returned = invoke()
    except DerivError as error:
        complain(describe(error))
        return status_of(error)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        complain("error: interrupted")
        return ExitStatus.INTERRUPTED
    except typer.TyperException as usage:  # Click's usage errors, as Typer carries them
        if type(usage).__name__ == "NoArgsIsHelpError":  # `deriv` alone: the help, to stdout
            print(usage.format_message())
            return ExitStatus.OK
        complain(usage_message(usage))
        return getattr(usage, "exit_code", ExitStatus.BAD_INPUT)
    except KeyboardInterrupt:
        complain("error: interrupted")
        return ExitStatus.INTERRUPTED
    except Exception as error:  # noqa: BLE001 - a bug in deriv still gets one line, not a trace
        complain(f"error: internal error (a bug in deriv): {type(error).__name__}: {error}")
        return ExitStatus.MATH_ERROR
    return int(returned) if isinstance(returned, int) else ExitStatus.OK


def status_of(error: DerivError) -> ExitStatus:
    if isinstance(error, Interrupted):
        return ExitStatus.TERMINATED if error.signal_number == 15 else ExitStatus.INTERRUPTED
    if isinstance(error, (OutputError, InternalError)):
        return ExitStatus.MATH_ERROR
    if isinstance(error, LimitExceeded):
        return ExitStatus.LIMIT
    if isinstance(error, MathError):
        return ExitStatus.MATH_ERROR
    return ExitStatus.BAD_INPUT


MISMATCH = "error: the chain rule does not match the direct derivative (a bug in deriv)"


def failed(result: object, settings) -> str | None:  # type: ignore[no-untyped-def]
    """The error line of a result that has no value at its point or is a failed check, or None."""
    from .render.failures import message_for

    message = message_for(result, settings)
    if message is not None:
        return f"error: {message}"
    inner = getattr(result, "result", None)
    report = getattr(result, "report", None)
    if report is not None:
        if not report.passed:
            return f"error: --check failed: {check_failure(report)}"
        result = inner
    if getattr(result, "matches_direct", True) is False:
        return MISMATCH
    if getattr(result, "correct", True) is False:
        return "error: the answer is wrong"
    if getattr(result, "correct", True) is None:
        return "error: cannot decide whether the answer is right"
    return None


def check_failure(report) -> str:  # type: ignore[no-untyped-def]
    if report.kinks and not report.points:
        return "the difference quotients from the left and the right disagree (a kink)"
    if not report.points:
        return "found no point in the domain of the function to compare at"
    return "the result disagrees with numerical differentiation"


def status_of_result(result: object) -> ExitStatus:
    """A result with no value at its point, a failed check or a wrong answer: exit 1."""
    return ExitStatus.MATH_ERROR


def describe(error: DerivError) -> str:
    """The message, and for a syntax error the text with a caret under the column."""
    if not isinstance(error, ParseError):
        return f"error: {error.message}"
    shown = visible(error.source)
    caret = " " * error.start + "^" * min(error.end - error.start, max(len(shown) - error.start, 1))
    return f"error: {error.message} (column {error.start + 1})\n  {shown}\n  {caret}"


def visible(text: str) -> str:
    """The text with each unprintable character shown as '?', keeping columns in place."""
    return "".join(c if c.isprintable() else "?" for c in text)


def usage_message(error: typer.TyperException) -> str:
    message = error.format_message() if hasattr(error, "format_message") else str(error)
    message = message.replace("Value error, ", "")  # pydantic's prefix on enum choices
    context = getattr(error, "ctx", None)
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    return f"error: {visible(message)}{hint}"


def complain(message: str) -> None:
    print(message, file=sys.stderr)
