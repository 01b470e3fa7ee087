"""Computations in a forked child under a time and memory budget.

Signal alarms cannot interrupt SymPy inside C code (GMP, decimal); a child process with
RLIMIT_AS and RLIMIT_CPU, killed by the parent at the deadline, can always be stopped.
A Worker answers requests one at a time, so a batch shares one process and SymPy's caches;
each answer is the handler's result, or the DerivError it raised, pickled through a pipe,
with the child's memory after it.

A long batch holds: the worker is replaced by a fresh fork between requests once it has grown
(RECYCLE_GROWTH_MB, RECYCLE_SHARE_OF_ROOM), and a request that breaks the memory or CPU budget in
a worker that had served others is asked once more of a fresh one, so that only a request over
the budget on its own fails.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from .errors import DerivError, InternalError, Interrupted, LimitExceeded, OverBudget
from .limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_SECONDS,
    RECYCLE_GROWTH_MB,
    RECYCLE_SHARE_OF_ROOM,
    WORKER_RECURSION_LIMIT,
    WORKER_STACK_MB,
)

T = TypeVar("T")
HEADER = struct.Struct("!Q")  # each message: its length, then its pickle
MIB = 1024 * 1024


@dataclass(frozen=True)
class Budget:
    seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    recycle_mb: int = RECYCLE_GROWTH_MB  # DERIV_RECYCLE_MB


def run_limited(task: Callable[[], T], budget: Budget) -> T:
    """task() in a child process; its DerivError re-raised here, a breach as LimitExceeded."""
    worker = Worker(lambda _: task(), budget)
    try:
        return worker.ask(None)
    finally:
        worker.close()


class Worker(Generic[T]):
    """A forked child that runs handle(request) for each request, under the budget each time."""

    def __init__(self, handle: Callable[[Any], T], budget: Budget) -> None:
        self.handle, self.budget = handle, budget
        self.pid = 0
        self.served = 0  # requests the current child has answered
        self.recycled = 0  # children replaced for their growth
        self.retried = 0  # requests asked again of a fresh child
        self.baseline: tuple[int, int] | None = None  # the child's (RSS, VM) after its first
        if hasattr(os, "fork"):
            self._start()

    def ask(self, request: Any) -> T:
        """handle(request) in the child; over the memory or CPU budget in a child that had
        served other requests, once more in a fresh child before the breach is reported."""
        fresh = self.served == 0
        try:
            return self._ask(request)
        except OverBudget:
            if fresh or not hasattr(os, "fork"):
                raise
            self.close()
            self.retried += 1
            try:
                return self._ask(request)
            except OverBudget as again:
                raise OverBudget(f"{again.message}, on its own in a fresh worker") from None

    def _ask(self, request: Any) -> T:
        if not self.pid:
            if hasattr(os, "fork"):
                self._start()  # the last child died over a limit, or was recycled: a fresh one
            else:
                return _guarded(lambda: self.handle(request))  # no fork here: no budget
        previous = signal.signal(signal.SIGTERM, _raise_terminated)
        try:
            _send(self.requests, request)
            kind, value, memory = _receive(self.replies, time.monotonic() + self.budget.seconds)
        except LimitExceeded as error:
            self.close()
            raise self._explain(error) from None
        except KeyboardInterrupt:
            self.close()
            raise Interrupted("interrupted", signal.SIGINT) from None
        except Interrupted:
            self.close()
            raise
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.served += 1
        if kind == "error" and isinstance(value, OverBudget):
            self.close()  # a child that ran out of memory is not asked again
        elif self._grown(memory):
            self.close()
            self.recycled += 1
        if kind == "error":
            raise value
        return value

    def _grown(self, memory: tuple[int, int]) -> bool:
        """Time for a fresh child: grown budget.recycle_mb since its first request, or used
        RECYCLE_SHARE_OF_ROOM of the room the budget left above that."""
        rss, vm = memory
        if self.baseline is None:
            self.baseline = memory
            return False
        first_rss, first_vm = self.baseline
        room = self.budget.memory_mb * MIB - first_vm
        if rss - first_rss > self.budget.recycle_mb * MIB:
            return True
        return bool(vm and room > 0 and vm - first_vm > RECYCLE_SHARE_OF_ROOM * room)

    def close(self) -> None:
        """Stop the child and wait for it: nothing outlives the command."""
        if not self.pid:
            return
        for end in (self.requests, self.replies):
            os.close(end)
        _reap(self.pid)
        self.pid, self.served, self.baseline = 0, 0, None

    def _explain(self, error: LimitExceeded) -> LimitExceeded:
        if error.message == "timeout":
            seconds = f"{self.budget.seconds:g}"
            return LimitExceeded(f"computation exceeded {seconds} s (raise it with --timeout)")
        return OverBudget(
            f"computation stopped: over the memory ({self.budget.memory_mb} MiB) or CPU limit"
        )

    def _start(self) -> None:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(from_parent)
            os.close(to_parent)
            _child(self.handle, self.budget, to_child, from_child)
        os.close(to_child)
        os.close(from_child)
        self.pid, self.requests, self.replies = pid, from_parent, to_parent


def _child(handle: Callable[[Any], object], budget: Budget, requests: int, replies: int) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.unraisablehook = lambda _: None  # no "Exception ignored" noise after a MemoryError
        _apply_limits(budget)
        _in_big_stack(lambda: _serve(handle, budget, requests, replies), budget)
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close
        pass
    os._exit(0)


def _serve(handle: Callable[[Any], object], budget: Budget, requests: int, replies: int) -> None:
    while True:
        try:
            request = _receive(requests, None)
        except (EOFError, LimitExceeded):
            return  # the parent is done
        _allow_cpu(budget.seconds)
        try:
            outcome: tuple[str, object] = ("ok", _guarded(partial(handle, request)))
        except DerivError as error:
            outcome = ("error", error)
        except BaseException as error:  # noqa: BLE001 - anything else is reported, never raised
            outcome = ("error", _as_deriv_error(error))
        _send(replies, (*outcome, _memory()))


def _memory() -> tuple[int, int]:
    """This process's resident and virtual size in bytes (RSS and VM; VM 0 where unknown)."""
    try:
        with open("/proc/self/statm") as statm:
            size, resident = (int(n) for n in statm.read().split()[:2])
        page = os.sysconf("SC_PAGE_SIZE")
        return resident * page, size * page
    except (OSError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak * (1 if sys.platform == "darwin" else 1024), 0


def _apply_limits(budget: Budget) -> None:
    memory = budget.memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    if hasattr(sys, "set_int_max_str_digits"):  # Python 3.10.7+ limits int -> str; lift it:
        sys.set_int_max_str_digits(0)  # huge but valid numbers print; time and memory bound them


def _allow_cpu(seconds: float) -> None:
    """A backstop for this request: the parent kills the child at the deadline anyway."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 2
    if hard == resource.RLIM_INFINITY or soft <= hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _in_big_stack(task: Callable[[], T], budget: Budget) -> T:
    """Deep expressions recurse deeply in SymPy: give them a large stack and recursion limit."""
    box: dict[str, object] = {}

    def target() -> None:
        try:
            box["result"] = task()
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
        return OverBudget("computation exceeded the memory limit (raise it with DERIV_MEMORY_MB)")
    if isinstance(error, RecursionError):
        return LimitExceeded("expression too deeply nested to compute")
    if isinstance(error, OverflowError):
        return LimitExceeded(f"a number grew too large ({error})")
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
    message = f"internal error (a bug in deriv): {type(error).__name__}: {first_line}"
    return InternalError(message[:300])


def _send(end: int, message: object) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(end, view) :]


def _receive(end: int, deadline: float | None) -> Any:
    """One message; LimitExceeded("timeout") at the deadline, ("closed") if the writer died."""
    size = HEADER.unpack(_read_exactly(end, HEADER.size, deadline))[0]
    return pickle.loads(_read_exactly(end, size, deadline))  # our own process's bytes


def _read_exactly(end: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        wait = None if deadline is None else deadline - time.monotonic()
        if wait is not None and wait <= 0:
            raise LimitExceeded("timeout")
        ready, _, _ = select.select([end], [], [], wait)
        if not ready:
            continue
        chunk = os.read(end, min(left, 1 << 20))
        if not chunk:
            if deadline is None:
                raise EOFError()
            raise LimitExceeded("closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _raise_terminated(signum: int, frame: object) -> None:
    raise Interrupted("terminated", signal.SIGTERM)


def _reap(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    try:
        os.waitpid(pid, 0)
    except ChildProcessError:
        pass
