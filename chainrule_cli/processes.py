"""The worker's child process, two ways, with one interface: ask(request, seconds), close().

Forked (Linux): a copy of this process, SymPy already imported, ready at once; replies are
waited for with select on a pipe. Spawned (macOS, Windows, DERIV_WORKER=spawn): a fresh
interpreter (`python -c`, this process's sys.path) that imports SymPy once and then serves as
the forked one does; a reader thread takes its replies, so the deadline works on every OS's
pipes. Both speak the same frames (a length, then a pickle) and die by kill at the deadline.
Where the OS sets no memory limit, a spawned child's resident size is read as it works
(psutil, a dependency there) and the child is killed past the budget.
"""

from __future__ import annotations

import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import IO, Any

from .errors import InternalError, LimitExceeded
from .worker import MIB, Budget, apply_limits, in_big_stack, memory, memory_limit_by_os, serve

HEADER = struct.Struct("!Q")  # each message: its length, then its pickle
STARTUP_SECONDS = 120.0  # a spawned child's interpreter start and SymPy import, on a bad day
NOT_READY = {
    "closed": "it ended before it was ready",
    "timeout": f"not ready after {STARTUP_SECONDS:g} s",
}
POLL_SECONDS = 0.05  # how often a spawned child's memory is read where the OS sets no limit


def can_fork() -> bool:
    return hasattr(os, "fork") and hasattr(os, "waitpid") and hasattr(signal, "SIGKILL")


class Forked:
    """A forked child, answering over two pipes."""

    def __init__(self, handle: Callable[[Any], object], budget: Budget) -> None:
        to_child, from_parent = os.pipe()
        to_parent, from_child = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(from_parent)
            os.close(to_parent)
            _forked_child(handle, budget, to_child, from_child)
        os.close(to_child)
        os.close(from_child)
        self.pid, self.requests, self.replies = pid, from_parent, to_parent

    def ask(self, request: Any, seconds: float) -> Any:
        try:
            _send(self.requests, request)
        except BrokenPipeError:
            raise LimitExceeded("closed") from None
        return _receive(self.replies, time.monotonic() + seconds)

    def close(self) -> None:
        for end in (self.requests, self.replies):
            os.close(end)
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass


def _forked_child(
    handle: Callable[[Any], object], budget: Budget, requests: int, replies: int
) -> None:
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        sys.unraisablehook = lambda _: None  # no "Exception ignored" noise after a MemoryError
        apply_limits(budget)
        receive, reply = partial(_receive, requests, None), partial(_send, replies)
        in_big_stack(lambda: serve(handle, budget, receive, reply), budget)
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close
        pass
    os._exit(0)


class Spawned:
    """A fresh interpreter running chainrule_cli.child, answering on its stdout."""

    def __init__(self, handle: Callable[[Any], object], budget: Budget) -> None:
        self.budget = budget
        self.watch_memory = not memory_limit_by_os()
        self.process = take_spare() or _spawn()
        self.replies: queue.Queue = queue.Queue()
        self.reader = threading.Thread(
            target=_read_replies, args=(self.process.stdout, self.replies), daemon=True
        )
        self.reader.start()
        try:
            write_frame(self.process.stdin, (pickle.dumps(handle), budget))
            kind, value, _ = self._next(time.monotonic() + STARTUP_SECONDS)
        except LimitExceeded as error:
            self.close()
            if error.message == "memory":
                raise  # over a budget too small for Python and SymPy: said as any breach
            reason = NOT_READY[error.message]
            raise InternalError(f"the worker process did not start: {reason}") from None
        except OSError as error:
            self.close()
            raise InternalError(f"the worker process did not start: {error}") from None
        if kind == "error":
            self.close()
            raise value

    def ask(self, request: Any, seconds: float) -> Any:
        try:
            write_frame(self.process.stdin, request)
        except OSError:  # the child is gone
            raise LimitExceeded("closed") from None
        return self._next(time.monotonic() + seconds)

    def _next(self, deadline: float) -> Any:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise LimitExceeded("timeout")
            try:
                message = self.replies.get(timeout=min(left, POLL_SECONDS))
            except queue.Empty:
                if self._over_memory():
                    raise LimitExceeded("memory") from None
                continue
            if message is CLOSED:
                raise LimitExceeded("closed")
            return message

    def _over_memory(self) -> bool:
        if not self.watch_memory:
            return False
        resident, _ = memory(self.process.pid)
        if not resident:
            self.watch_memory = False  # nothing to read it with: no memory limit here
        return resident > self.budget.memory_mb * MIB

    def close(self) -> None:
        try:
            self.process.kill()
        except OSError:
            pass
        self.process.wait()
        self.reader.join(timeout=5)
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass


def python_running(module: str) -> list[str]:
    """The command line of a fresh Python, on this process's sys.path (not its working
    directory's), that runs `chainrule_cli.<module>.main()`."""
    path = f"import sys; sys.path[:] = {sys.path!r}"
    return [sys.executable, "-c", f"{path}; from chainrule_cli.{module} import main; main()"]


def _spawn() -> subprocess.Popen:
    return subprocess.Popen(
        python_running("child"),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        creationflags=getattr(subprocess, "CREATE_NEW_PROCESS_GROUP", 0),  # Windows: Ctrl-C is ours
    )


_spare: list[subprocess.Popen] = []  # a child started early, importing SymPy meanwhile


def start_spare() -> None:
    """Spawn the first child now, so that it imports SymPy while this process parses its
    arguments and imports its own modules (two cores: the two imports overlap)."""
    if not _spare:
        _spare.append(_spawn())


def take_spare() -> subprocess.Popen | None:
    return _spare.pop() if _spare else None


def drop_spare() -> None:
    """The command needed no worker (a usage error): the spare child goes."""
    while _spare:
        process = _spare.pop()
        process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            stream.close()  # type: ignore[union-attr]


CLOSED = object()  # the reader's last word: the child's stdout has ended


def _read_replies(stream: IO[bytes], replies: queue.Queue) -> None:
    while True:
        try:
            replies.put(read_frame(stream))
        except Exception:  # noqa: BLE001 - the end of the pipe, or a torn frame
            replies.put(CLOSED)
            return


# Frames on a file (a spawned child's pipes) and on a descriptor (a forked child's).


def framed(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(len(data)) + data


def write_frame(stream: IO[bytes] | None, message: object) -> None:
    stream.write(framed(message))  # type: ignore[union-attr]
    stream.flush()  # type: ignore[union-attr]


def read_frame(stream: IO[bytes] | None) -> Any:
    """One message; EOFError when the stream ends."""
    (size,) = HEADER.unpack(_read_exactly(stream, HEADER.size))
    return pickle.loads(_read_exactly(stream, size))  # our own processes' bytes


def _read_exactly(stream: IO[bytes] | None, size: int) -> bytes:
    data = stream.read(size)  # type: ignore[union-attr]
    if data is None or len(data) < size:
        raise EOFError()
    return data


def _send(end: int, message: object) -> None:
    view = memoryview(framed(message))
    while view:
        view = view[os.write(end, view) :]


def _receive(end: int, deadline: float | None) -> Any:
    """One message; LimitExceeded("timeout") at the deadline, ("closed") if the writer died."""
    size = HEADER.unpack(_read_fd(end, HEADER.size, deadline))[0]
    return pickle.loads(_read_fd(end, size, deadline))  # our own process's bytes


def _read_fd(end: int, size: int, deadline: float | None) -> bytes:
    import select

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
