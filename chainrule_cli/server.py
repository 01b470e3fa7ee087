"""The warm server (docs/server.md): one process that has imported SymPy and deriv, listening on
a Unix socket in a directory only its user can enter, forking a child per command.

The event loop is single-threaded, so each fork is safe. A command's child takes the client's
stdin, stdout and stderr, its working directory, environment and argv, and runs deriv's own
`cli.main` on them, under the same time and memory limits (it forks its worker as deriv does);
the loop passes Ctrl-C and SIGTERM on to it, kills its process group if the client goes away,
and sends the exit code back when it ends. Peers of another user are refused; frames are
length-prefixed JSON, checked for size and shape; a bad one closes its connection and is logged.
The server exits after --idle-timeout seconds with nothing to do.
"""

from __future__ import annotations

import errno
import gc
import io
import json
import os
import selectors
import signal
import socket
import struct
import sys
import threading
import time
from dataclasses import dataclass, field

from .client import identity, private, receive_frame, runtime_dir, send_frame, socket_path
from .processes import can_fork, python_running

DEFAULT_IDLE_SECONDS = 900.0
REQUEST_SECONDS = 5.0  # for a client to send its request once connected
SIGNALS = {"INT": signal.SIGINT, "TERM": signal.SIGTERM}


def status_path() -> str:
    return os.path.join(runtime_dir(), "server.json")


def log_path() -> str:
    return os.path.join(runtime_dir(), "server.log")


def private_directory() -> str:
    """The runtime directory, made mode 0700 if new; refused if another user owns it or others
    can enter it."""
    directory = runtime_dir()
    try:
        os.mkdir(directory, 0o700)
    except FileExistsError:
        pass
    if not private(directory) or not os.path.isdir(directory):
        raise PermissionError(f"{directory} must be a directory of this user, mode 0700")
    return directory


def private_file(path: str, mode: str = "a"):  # type: ignore[no-untyped-def]
    """A file in the private directory, mode 0600."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if mode == "a" else os.O_TRUNC)
    return open(os.open(path, flags, 0o600), mode)


def log(message: str) -> None:
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S")
    with private_file(log_path()) as out:
        out.write(f"{stamp} [{os.getpid()}] {message}\n")


# Peer credentials: the uid at the other end of a Unix socket.

PEERCRED = struct.Struct("3i")  # Linux SO_PEERCRED: pid, uid, gid
XUCRED_UID = struct.Struct("Ii")  # macOS LOCAL_PEERCRED: cr_version, cr_uid, ...


def peer_uid(connection: socket.socket) -> int | None:
    """The peer's uid where the system says it (Linux, macOS); None where it does not."""
    if hasattr(socket, "SO_PEERCRED"):
        data = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, PEERCRED.size)
        return PEERCRED.unpack(data)[1]
    if sys.platform == "darwin":
        local_peercred, sol_local = 0x001, 0
        data = connection.getsockopt(sol_local, local_peercred, 76)
        return XUCRED_UID.unpack(data[: XUCRED_UID.size])[1]
    return None


def peer_allowed(connection: socket.socket) -> bool:
    try:
        return peer_uid(connection) == os.getuid()
    except OSError:
        return False


# The server.


@dataclass
class Command:
    """A command running in a child, for one client."""

    pid: int
    connection: socket.socket


@dataclass
class Server:
    idle_seconds: float = DEFAULT_IDLE_SECONDS
    started: float = field(default_factory=time.time)
    served: int = 0
    last_active: float = field(default_factory=time.monotonic)
    stopping: bool = False
    commands: dict[int, Command] = field(default_factory=dict)

    def serve(self) -> None:
        warm()
        gc.freeze()  # what warm() made stays put: a forked command does not copy it to collect
        self.selector = selectors.DefaultSelector()
        self.listener = listen(socket_path())
        self.lifeline = os.pipe()  # the server alone holds the write end: EOF when it dies
        self.wakeup_read, wakeup_write = os.pipe()
        os.set_blocking(wakeup_write, False)
        os.set_blocking(self.wakeup_read, False)
        signal.set_wakeup_fd(wakeup_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, self._stop_signal)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        self.selector.register(self.listener, selectors.EVENT_READ, "listener")
        self.selector.register(self.wakeup_read, selectors.EVENT_READ, "children")
        write_status(self)
        log(f"started: {socket_path()}, deriv {identity()['version']}")
        try:
            self._loop()
        finally:
            self._clean_up()

    def _loop(self) -> None:
        while not (self.stopping and not self.commands):
            for key, _ in self.selector.select(timeout=1.0):
                if key.data == "listener":
                    self._accept()
                elif key.data == "children":
                    self._reap()
                else:
                    self._from_client(key.fileobj, key.data)  # type: ignore[arg-type]
            self._reap()
            idle = time.monotonic() - self.last_active
            if not self.commands and idle > self.idle_seconds:
                log(f"idle for {idle:.0f} s: exiting")
                return

    def _accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except OSError:
            return
        if not peer_allowed(connection):
            log("refused a peer of another user")
            self._reply(connection, {"accepted": False, "reason": "another user"}, close=True)
            return
        try:
            connection.settimeout(REQUEST_SECONDS)
            request = receive_frame(connection, with_fds=True)
        except (OSError, ValueError) as error:
            log(f"closed a connection: {error}")
            connection.close()
            return
        fds = request.pop("fds")
        try:
            self._answer(connection, request, fds)
        finally:
            for fd in fds:
                os.close(fd)

    def _answer(self, connection: socket.socket, request: dict, fds: list[int]) -> None:
        kind = request.get("request")
        if kind == "status":
            self._reply(connection, status(self), close=True)
        elif kind == "stop":
            self._reply(connection, {"stopping": True}, close=True)
            self.stopping = True
            self.selector.unregister(self.listener)
            self.listener.close()
            os.unlink(socket_path())
        elif kind == "run" and self.stopping:
            self._reply(connection, {"accepted": False, "reason": "stopping"}, close=True)
        elif kind == "run":
            self._run(connection, request, fds)
        else:
            log(f"closed a connection: unknown request {str(kind)[:40]!r}")
            connection.close()

    def _run(self, connection: socket.socket, request: dict, fds: list[int]) -> None:
        mismatch = [k for k, v in identity().items() if request.get(k) != v]
        problem = check_run_request(request, fds)
        if mismatch or problem:
            reason = f"{', '.join(mismatch)} differ" if mismatch else problem
            self._reply(connection, {"accepted": False, "reason": reason}, close=True)
            return
        if _hung_up(connection):
            log("a client left before its command began")
            connection.close()
            return
        try:
            pid = os.fork()
        except OSError as error:
            self._reply(connection, {"accepted": False, "reason": str(error)}, close=True)
            return
        if pid == 0:
            run_command(request, fds, self.lifeline[0], close=self._descriptors(connection))
        _set_group(pid)
        self.served += 1
        self.last_active = time.monotonic()
        self.commands[pid] = Command(pid, connection)
        connection.settimeout(REQUEST_SECONDS)  # for a signal, once it has begun to arrive
        self._reply(connection, {"accepted": True})
        self.selector.register(connection, selectors.EVENT_READ, pid)

    def _descriptors(self, connection: socket.socket) -> list:
        return [
            self.listener,
            connection,
            self.wakeup_read,
            self.lifeline[1],
            *(c.connection for c in self.commands.values()),
        ]

    def _from_client(self, connection: socket.socket, pid: int) -> None:
        """A signal to pass on, or the client gone: its command's process group is killed."""
        try:
            message = receive_frame(connection)
        except (OSError, ValueError):
            message = {}
        name = message.get("signal")
        if name in SIGNALS:
            _kill(pid, SIGNALS[name], group=False)
            return
        self.selector.unregister(connection)
        _kill(pid, signal.SIGKILL, group=True)

    def _reap(self) -> None:
        try:
            while os.read(self.wakeup_read, 512):
                pass
        except OSError:
            pass
        while self.commands:
            try:
                pid, status_code = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            command = self.commands.pop(pid, None)
            if command is None:
                continue
            _kill(pid, signal.SIGKILL, group=True)  # its worker, if it outlived it
            self.last_active = time.monotonic()
            code = os.waitstatus_to_exitcode(status_code)
            try:
                self.selector.unregister(command.connection)
            except (KeyError, ValueError):
                pass
            self._reply(command.connection, {"exit": code if code >= 0 else 128 - code}, True)

    def _reply(self, connection: socket.socket, message: dict, close: bool = False) -> None:
        try:
            send_frame(connection, message)
        except OSError:
            pass
        if close:
            connection.close()

    def _stop_signal(self, signum: int, frame: object) -> None:
        self.stopping = True

    def _clean_up(self) -> None:
        for command in self.commands.values():
            _kill(command.pid, signal.SIGKILL, group=True)
        paths = ([] if self.listener.fileno() < 0 else [socket_path()]) + [status_path()]
        for path in paths:  # the socket, unless `stop` has given it up; the status file last
            try:
                os.unlink(path)
            except OSError:
                pass
        log(f"stopped after {self.served} commands")


def check_run_request(request: dict, fds: list[int]) -> str | None:
    """What is wrong with a run request's shape, if anything."""
    argv, env, streams = request.get("argv"), request.get("env"), request.get("streams")
    if len(fds) != 3:
        return "three descriptors (stdin, stdout, stderr) are needed"
    if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
        return "argv must be a list of strings"
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        return "env must map names to strings"
    if not isinstance(request.get("cwd"), str):
        return "cwd must be a string"
    if not isinstance(streams, list) or len(streams) != 3:
        return "streams must give three encodings"
    if argv[:1] == ["server"]:
        return "server commands run in the client"
    return None


def _hung_up(connection: socket.socket) -> bool:
    """The client has closed its end (it gave up waiting): its command must not begin."""
    import select

    readable, _, _ = select.select([connection], [], [], 0)
    if not readable:
        return False
    try:
        return connection.recv(1, socket.MSG_PEEK) == b""
    except OSError:
        return True


def _set_group(pid: int) -> None:
    """The child's process group, set here too (as shells do): it holds before the child runs."""
    try:
        os.setpgid(pid, pid)
    except OSError:  # the child has set it, or has already gone
        pass


def _kill(pid: int, sig: int, group: bool) -> None:
    try:
        if group:
            os.killpg(pid, sig)
        else:
            os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def run_command(request: dict, fds: list[int], lifeline: int, close: list) -> None:
    """In the command's child: become deriv run in the client's terminal, then exit. If the
    server dies (kill -9), the lifeline ends and the command's whole group goes with it, so
    that nothing keeps the client's terminal."""
    code = 70
    try:
        os.setpgid(0, 0)  # a group of its own: the command and its worker die together
        threading.Thread(target=_die_with, args=(lifeline,), daemon=True).start()
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for item in close:
            item.close() if hasattr(item, "close") else os.close(item)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        os.chdir(request["cwd"])
        os.environ.clear()
        os.environ.update(request["env"])
        if can_fork():  # this process is the server's fork: its worker can be one too (macOS)
            os.environ.setdefault("DERIV_WORKER", "fork")
        _standard_streams(request["streams"])
        sys.argv = ["deriv", *request["argv"]]
        from .cli import main

        code = main(request["argv"])
        sys.stdout.flush()
        sys.stderr.flush()
    except BaseException:  # noqa: BLE001 - a failure here must not run the server's loop
        pass
    os._exit(code)


def _die_with(lifeline: int) -> None:
    try:
        os.read(lifeline, 1)  # blocks while the server lives
    finally:
        os.killpg(0, signal.SIGKILL)


def _standard_streams(streams: list) -> None:
    """sys.stdin, stdout and stderr on descriptors 0, 1, 2, with the client's encodings and
    buffering as Python sets them up: stdout line-buffered on a terminal, stderr always."""
    made = []
    for fd, (encoding, errors) in enumerate(streams):
        mode = "rb" if fd == 0 else "wb"
        raw = open(fd, mode, buffering=-1, closefd=False)  # noqa: SIM115
        line_buffered = fd == 2 or (fd == 1 and os.isatty(1))
        made.append(
            io.TextIOWrapper(
                raw,
                encoding=encoding or "utf-8",
                errors=errors or "strict",
                line_buffering=line_buffered,
            )
        )
    sys.stdin, sys.stdout, sys.stderr = made
    sys.__stdin__, sys.__stdout__, sys.__stderr__ = made


def warm() -> None:
    """Import what a command needs, and run a little of it, before the first request."""
    from . import api, cli, output
    from .render import expr, json, latex, text  # noqa: F401
    from .render.notation import Notation

    cli.click_command()
    for format in ("plain", "json", "latex", "expr"):
        view = output.View(format, Notation.leibniz, True)
        output.answer(api.diff, view, "sin(x)^2*exp(x)")


def listen(path: str) -> socket.socket:
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    previous = os.umask(0o177)  # the socket file: mode 0600
    try:
        listener.bind(path)
    finally:
        os.umask(previous)
    listener.listen(64)
    listener.setblocking(False)
    return listener


def status(server: Server) -> dict:
    now = time.monotonic()
    return {
        "pid": os.getpid(),
        "socket": socket_path(),
        **identity(),
        "uptime_s": round(time.time() - server.started, 1),
        "served": server.served,
        "active": len(server.commands),  # commands running now
        "idle_s": round(now - server.last_active, 1) if not server.commands else 0.0,
        "idle_timeout_s": server.idle_seconds,
        "log": log_path(),
    }


def describe(info: dict) -> str:
    """The status as a user reads it."""
    rows = [
        ("pid", info["pid"]),
        ("socket", info["socket"]),
        ("version", f"deriv {info['version']} in {info['install']}"),
        ("uptime", _duration(info["uptime_s"])),
        ("served", f"{info['served']} commands ({info['active']} running now)"),
        ("idle", f"{_duration(info['idle_s'])} (exits after {_duration(info['idle_timeout_s'])})"),
        ("log", info["log"]),
    ]
    return "deriv server: running\n" + "\n".join(f"  {k:<8} {v}" for k, v in rows)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


def write_status(server: Server) -> None:
    data = {"pid": os.getpid(), "socket": socket_path(), **identity(), "started": server.started}
    with private_file(status_path(), "w") as out:
        json.dump(data, out)


# Control: deriv server start, stop, status (in the client's process).


def ask(request: dict, seconds: float = 5.0) -> dict | None:
    """A status or stop request to the running server; None if none answers."""
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(seconds)
        connection.connect(socket_path())
        send_frame(connection, request)
        return receive_frame(connection)
    except (OSError, ValueError):
        return None
    finally:
        connection.close()


def query() -> dict | None:
    """The running server's status; a stale socket or status file (a server killed with -9)
    is removed."""
    answer = ask({"request": "status"})
    if answer is None:
        for path in (socket_path(), status_path()):
            try:
                os.unlink(path)
            except OSError:
                pass
    return answer


def start(idle_seconds: float) -> tuple[dict, bool]:
    """The server's status once it is ready, and whether it was started now (False: one of
    this version was running). A server of another version or installation is replaced."""
    import fcntl
    import subprocess

    directory = private_directory()
    with private_file(os.path.join(directory, "server.lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two starts at once leave one server
        running = query()
        if running and all(running.get(k) == v for k, v in identity().items()):
            return running, False
        if running:
            stop()
        with private_file(log_path()) as errors:
            process = subprocess.Popen(
                [*python_running("server"), str(idle_seconds)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=errors,
                cwd="/",
                start_new_session=True,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise OSError(
                    f"the server ended at start (exit {process.returncode}); see {log_path()}"
                )
            answer = ask({"request": "status"}, 1.0) if os.path.exists(socket_path()) else None
            if answer:
                return answer, True
            time.sleep(0.02)
        process.kill()
        raise OSError(f"the server was not ready after 60 s; see {log_path()}")


def stop() -> dict | None:
    """Stop the running server (its commands finish first); what it said of itself, or None."""
    running = query()
    if running is None:
        return None
    ask({"request": "stop"})
    deadline = time.monotonic() + 10
    while os.path.exists(status_path()) and time.monotonic() < deadline:
        time.sleep(0.02)  # its clean-up removes the status file last
    return running


def main() -> None:
    """`python -m chainrule_cli.server IDLE_SECONDS`: the server itself, started by
    `deriv server start` in a session of its own."""
    idle = float(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_IDLE_SECONDS
    os.environ.setdefault("SYMPY_CACHE_SIZE", "100000")
    private_directory()
    try:
        Server(idle_seconds=idle).serve()
    except OSError as error:
        if error.errno != errno.EADDRINUSE:
            log(f"failed: {error}")
        os._exit(1)
    os._exit(0)


if __name__ == "__main__":
    main()
