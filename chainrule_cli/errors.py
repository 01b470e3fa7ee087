"""What can go wrong, as data: the CLI alone turns these into messages and exit codes."""

from __future__ import annotations


class DerivError(Exception):
    """Anything deriv reports to the user as one `error:` line."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __reduce__(self) -> tuple:
        # Errors cross from the worker process to the parent by pickle, with all their fields.
        return (_rebuild, (type(self), self.__dict__))


def _rebuild(kind: type[DerivError], state: dict) -> DerivError:
    error = kind.__new__(kind)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class ParseError(DerivError):
    """Text that is not a well-formed expression; `start`/`end` index into `source`."""

    def __init__(self, message: str, source: str, start: int, end: int | None = None) -> None:
        super().__init__(message)
        self.source = source
        self.start = start
        self.end = start + 1 if end is None else max(end, start + 1)


class InputError(DerivError):
    """Well-formed text that asks for something deriv cannot do (bad option, unknown name)."""


class MathError(DerivError):
    """A mathematical failure: a result that is undefined or not real where it was asked for."""


class UndefinedAt(MathError):
    """A derivative has no finite real value at a point; `wrt` says which derivative."""

    def __init__(
        self, wrt: tuple[str, ...], point: tuple[tuple[str, str], ...], reason: str
    ) -> None:
        super().__init__(reason)
        self.wrt = wrt
        self.point = point
        self.reason = reason


class InternalError(DerivError):
    """A bug in deriv: an exception nothing expected. Never blamed on the user's input."""


class LimitExceeded(DerivError):
    """Input or work over one of the limits in `limits.py`."""


class OverBudget(LimitExceeded):
    """Over the memory or CPU budget (not the clock): worth one retry in a fresh worker, where
    no earlier line's leftovers take up the budget."""


class OutputError(DerivError):
    """stdout could not be written (a full disk, a closed file)."""


class Interrupted(DerivError):
    """Ctrl-C (SIGINT) or SIGTERM arrived during a computation."""

    def __init__(self, message: str, signal_number: int) -> None:
        super().__init__(message)
        self.signal_number = signal_number
