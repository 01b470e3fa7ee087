"""Computations in a child process under a time and memory budget.

Signal alarms cannot interrupt SymPy inside C code (GMP, decimal); a child process, killed by
the parent at the deadline and limited in memory by the OS, can always be stopped. A Worker
answers requests one at a time, so a batch shares one process and SymPy's caches; each answer
is the handler's result, or the DerivError it raised, pickled through a pipe, with the child's
memory after it. The child is forked where fork is safe and fast (Linux), else spawned as a
fresh interpreter that imports SymPy once (processes.py); DERIV_WORKER=fork|spawn chooses.

A long batch holds: the worker is replaced by a fresh child between requests once it has grown
(RECYCLE_GROWTH_MB, RECYCLE_SHARE_OF_ROOM), and a request that breaks the memory or CPU budget in
a worker that had served others is asked once more of a fresh one, so that only a request over
the budget on its own fails.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar

from .errors import DerivError, InputError, InternalError, Interrupted, LimitExceeded, OverBudget
from .limits import (
    DEFAULT_MEMORY_MB,
    DEFAULT_TIMEOUT_SECONDS,
    RECYCLE_GROWTH_MB,
    RECYCLE_SHARE_OF_ROOM,
    WORKER_RECURSION_LIMIT,
    WORKER_STACK_MB,
)

T = TypeVar("T")
MIB = 1024 * 1024
BACKENDS = ("fork", "spawn")


@dataclass(frozen=True)
class Budget:
    seconds: float = DEFAULT_TIMEOUT_SECONDS
    memory_mb: int = DEFAULT_MEMORY_MB
    recycle_mb: int = RECYCLE_GROWTH_MB  # DERIV_RECYCLE_MB


def run_limited(task: Callable[[], T], budget: Budget) -> T:
    """task() in a child process; its DerivError re-raised here, a breach as LimitExceeded.
    A spawned child receives the task by pickle: a module-level function or a partial of one."""
    worker = Worker(partial(_call, task), budget)
    try:
        return worker.ask(None)
    finally:
        worker.close()


def _call(task: Callable[[], T], _request: object) -> T:
    return task()


def chosen_backend() -> str:
    """DERIV_WORKER if set, else fork where it is safe and limits apply (Linux), else spawn."""
    from .processes import can_fork

    wanted = os.environ.get("DERIV_WORKER", "").strip().lower()
    if wanted and wanted not in BACKENDS:
        raise InputError(f"DERIV_WORKER must be fork or spawn (got {wanted})")
    if wanted == "fork" and not can_fork():
        raise InputError("DERIV_WORKER=fork: this system cannot fork; use spawn")
    if wanted:
        return wanted
    return "fork" if can_fork() and sys.platform.startswith("linux") else "spawn"


class Worker(Generic[T]):
    """A child process that runs handle(request) for each request, under the budget each time."""

    def __init__(self, handle: Callable[[Any], T], budget: Budget, backend: str = "") -> None:
        self.handle, self.budget = handle, budget
        self.backend = backend or chosen_backend()
        self.child: Any = None  # a processes.Forked or processes.Spawned
        self.served = 0  # requests the current child has answered
        self.recycled = 0  # children replaced for their growth
        self.retried = 0  # requests asked again of a fresh child
        self.baseline: tuple[int, int] | None = None  # the child's (RSS, VM) after its first

    def ask(self, request: Any) -> T:
        """handle(request) in the child; over the memory or CPU budget in a child that had
        served other requests, once more in a fresh child before the breach is reported."""
        fresh = self.served == 0
        try:
            return self._ask(request)
        except OverBudget:
            if fresh:
                raise
            self.close()
            self.retried += 1
            try:
                return self._ask(request)
            except OverBudget as again:
                raise OverBudget(f"{again.message}, on its own in a fresh worker") from None

    def _ask(self, request: Any) -> T:
        previous = _on_sigterm(_raise_terminated)
        try:
            if self.child is None:
                self.child = self._start()  # the last one died over a limit, or was recycled
            kind, value, memory = self.child.ask(request, self.budget.seconds)
        except LimitExceeded as error:
            self.close()
            raise self._explain(error) from None
        except KeyboardInterrupt:
            self.close()
            raise Interrupted("interrupted", signal.SIGINT) from None
        except BaseException:
            self.close()
            raise
        finally:
            _on_sigterm(previous)
        self.served += 1
        if kind == "error" and isinstance(value, OverBudget):
            self.close()  # a child that ran out of memory is not asked again
        elif self._grown(memory):
            self.close()
            self.recycled += 1
        if kind == "error":
            raise value
        return value

    def _start(self) -> Any:
        from .processes import Forked, Spawned

        kind = Forked if self.backend == "fork" else Spawned
        return kind(self.handle, self.budget)

    def _grown(self, memory: tuple[int, int]) -> bool:
        """Time for a fresh child: grown budget.recycle_mb since its first request, or used
        RECYCLE_SHARE_OF_ROOM of the room the budget left above that."""
        rss, vm = memory
        if self.baseline is None:
            self.baseline = memory
            return False
        first_rss, first_vm = self.baseline
        room = self.budget.memory_mb * MIB - first_vm
        if rss and rss - first_rss > self.budget.recycle_mb * MIB:
            return True
        return bool(vm and room > 0 and vm - first_vm > RECYCLE_SHARE_OF_ROOM * room)

    def close(self) -> None:
        """Stop the child and wait for it: nothing outlives the command."""
        if self.child is None:
            return
        self.child.close()
        self.child, self.served, self.baseline = None, 0, None

    def _explain(self, error: LimitExceeded) -> LimitExceeded:
        if error.message == "timeout":
            seconds = f"{self.budget.seconds:g}"
            return LimitExceeded(f"computation exceeded {seconds} s (raise it with --timeout)")
        return OverBudget(
            f"computation stopped: over the memory ({self.budget.memory_mb} MiB) or CPU limit"
        )


def _on_sigterm(handler: Any) -> Any:
    """Install handler for SIGTERM where this thread may (the main thread); the previous one."""
    try:
        return signal.signal(signal.SIGTERM, handler)
    except (ValueError, OSError, AttributeError):  # not the main thread, or no SIGTERM here
        return None if handler is None else signal.SIG_DFL


def _raise_terminated(signum: int, frame: object) -> None:
    raise Interrupted("terminated", signal.SIGTERM)


# In the child: serve requests, under the limits the OS can set.


def serve(
    handle: Callable[[Any], object],
    budget: Budget,
    receive: Callable[[], Any],
    reply: Callable[[object], None],
) -> None:
    """Answer requests until the parent is done; each answer with the memory after it."""
    while True:
        try:
            request = receive()
        except (EOFError, LimitExceeded):
            return  # the parent is done
        allow_cpu(budget.seconds)
        try:
            outcome: tuple[str, object] = ("ok", guarded(partial(handle, request)))
        except DerivError as error:
            outcome = ("error", error)
        except BaseException as error:  # noqa: BLE001 - anything else is reported, never raised
            outcome = ("error", as_deriv_error(error))
        reply((*outcome, memory()))


def memory(pid: int | None = None) -> tuple[int, int]:
    """A process's (this one's by default) resident and virtual size in bytes (RSS, VM): /proc
    on Linux, psutil elsewhere; 0 for what is unknown."""
    try:
        with open(f"/proc/{pid or 'self'}/statm") as statm:
            size, resident = (int(n) for n in statm.read().split()[:2])
        page = os.sysconf("SC_PAGE_SIZE")
        return resident * page, size * page
    except (OSError, ValueError, AttributeError):
        pass
    try:
        import psutil  # macOS and Windows: deriv depends on it there

        info = psutil.Process(pid).memory_info()
        return info.rss, 0  # VM there is reserved address space, not a budget's measure
    except Exception:  # noqa: BLE001 - no psutil, or the process just ended: unmeasured
        return 0, 0


def memory_limit_by_os() -> bool:
    """Whether the OS enforces an address-space limit here (Linux: RLIMIT_AS)."""
    if not sys.platform.startswith("linux"):
        return False  # macOS accepts RLIMIT_AS and ignores it; Windows has no resource module
    try:
        import resource  # noqa: F401
    except ImportError:
        return False
    return True


def apply_limits(budget: Budget) -> None:
    if memory_limit_by_os():
        import resource

        limit = budget.memory_mb * MIB
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if hasattr(sys, "set_int_max_str_digits"):  # Python 3.10.7+ limits int -> str; lift it:
        sys.set_int_max_str_digits(0)  # huge but valid numbers print; time and memory bound them


def allow_cpu(seconds: float) -> None:
    """A backstop for this request where the OS offers one: the parent kills the child at the
    deadline anyway."""
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = int(spent + seconds) + 2
    if hard == resource.RLIM_INFINITY or soft <= hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def in_big_stack(task: Callable[[], T], budget: Budget) -> T:
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


def guarded(task: Callable[[], T]) -> T:
    try:
        return task()
    except DerivError:
        raise
    except Exception as error:  # noqa: BLE001
        raise as_deriv_error(error) from None


def as_deriv_error(error: BaseException) -> DerivError:
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
