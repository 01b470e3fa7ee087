"""Runs a computation in a forked child under a time and memory budget.

Signal alarms cannot interrupt SymPy inside C code (GMP, decimal); a child process with
RLIMIT_AS and RLIMIT_CPU, killed by the parent at the deadline, can always be stopped.
The child returns its result, or the DerivError it raised, pickled through a pipe.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .errors import DerivError, InputError, Interrupted, LimitExceeded
from .limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_SECONDS,
    WORKER_RECURSION_LIMIT,
    WORKER_STACK_MB,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Budget:
    seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB


def run_limited(task: Callable[[], T], budget: Budget) -> T:
    """task() in a child process; its DerivError re-raised here, a breach as LimitExceeded."""
    if not hasattr(os, "fork"):
        return _guarded(task)  # no fork on this platform: run in-process, without limits
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        os.close(read_end)
        _child(task, budget, write_end)
    os.close(write_end)
    return _parent(pid, read_end, budget)


def _child(task: Callable[[], object], budget: Budget, write_end: int) -> None:
    status = 0
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.unraisablehook = lambda _: None  # no "Exception ignored" noise after a MemoryError
        _apply_limits(budget)
        outcome: tuple[str, object] = ("ok", _in_big_stack(task, budget))
    except DerivError as error:
        outcome = ("error", error)
    except BaseException as error:  # noqa: BLE001 - anything else is reported, never raised
        outcome = ("error", _as_deriv_error(error))
    try:
        with os.fdopen(write_end, "wb") as pipe:
            pickle.dump(outcome, pipe, protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:  # noqa: BLE001 - e.g. a result too large to pickle in the budget
        status = 70
    finally:
        os._exit(status)


def _apply_limits(budget: Budget) -> None:
    import resource

    memory = budget.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(budget.seconds) + 2  # a backstop: the parent kills the child at the deadline
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    sys.set_int_max_str_digits(0)  # huge but valid numbers print; time and memory bound them


def _in_big_stack(task: Callable[[], T], budget: Budget) -> T:
    """Deep expressions recurse deeply in SymPy: give them a large stack and recursion limit."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = _guarded(task)
        except BaseException as error:  # noqa: BLE001 - carried to the caller's thread
            box["error"] = error

    sys.setrecursionlimit(WORKER_RECURSION_LIMIT)
    threading.stack_size(min(WORKER_STACK_MB, budget.memory_mb // 4) * 1024 * 1024)
    thread = threading.Thread(target=target)
    try:
        thread.start()
    except RuntimeError:  # no memory left for the thread's stack
        raise MemoryError() from None
    thread.join()
    if "error" in box:
        raise box["error"]  # type: ignore[misc]
    return box["result"]  # type: ignore[return-value]


def _guarded(task: Callable[[], T]) -> T:
    try:
        return task()
    except DerivError:
        raise
    except Exception as error:  # noqa: BLE001
        raise _as_deriv_error(error) from None


def _as_deriv_error(error: BaseException) -> DerivError:
    """Python's and SymPy's own failures, as one-line messages."""
    if isinstance(error, MemoryError):
        return LimitExceeded(
            "computation exceeded the memory limit (raise it with DERIV_MEMORY_MB)"
        )
    if isinstance(error, RecursionError):
        return LimitExceeded("expression too deeply nested to compute")
    if isinstance(error, OverflowError):
        return LimitExceeded(f"a number grew too large ({error})")
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    return InputError(f"cannot compute this: {type(error).__name__}: {first_line}"[:300])


def _parent(pid: int, read_end: int, budget: Budget) -> T:
    deadline = time.monotonic() + budget.seconds
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        return _outcome(_read_until(read_end, deadline, budget), budget)
    except KeyboardInterrupt:
        raise Interrupted("interrupted", signal.SIGINT) from None
    finally:
        signal.signal(signal.SIGTERM, previous)
        os.close(read_end)
        _reap(pid)


def _read_until(read_end: int, deadline: float, budget: Budget) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise LimitExceeded(
                f"computation exceeded {budget.seconds:g} s (raise it with --timeout)"
            )
        ready, _, _ = select.select([read_end], [], [], left)
        if ready:
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Interrupted("terminated", signal.SIGTERM)


def _reap(pid: int) -> None:
    """Kill the child if it still runs, and wait for it: nothing outlives the command."""
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass


def _outcome(data: bytes, budget: Budget):  # type: ignore[no-untyped-def]
    if not data:
        raise LimitExceeded(
            f"computation stopped: over the memory ({budget.memory_mb} MiB) or CPU limit"
        )
    kind, value = pickle.loads(data)  # our own child's bytes, never user input
    if kind == "error":
        raise value
    return value
