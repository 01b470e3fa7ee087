"""The warm server's client (docs/server.md): the standard library only, so that a call decides
and connects before Typer, rich or SymPy would be imported.

The client hands the server its own stdin, stdout and stderr (file descriptors over the Unix
socket), its argv, working directory, environment and stream encodings; the server forks a
child that runs the command on those very descriptors, exactly as deriv would here, and sends
back the exit code. Ctrl-C and SIGTERM are passed on to that child (which says "interrupted" or
"terminated" as deriv does); a client that goes away takes the child with it. Anything that
goes wrong before the server has accepted the command falls back to running it here.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import struct
import sys

from . import __version__

FRAME = struct.Struct("!I")  # each message: its length, then JSON
MAX_FRAME = 1 << 20
ANSWER_SECONDS = 60  # for the server to accept or refuse a request it has received whole
SERVER_GONE = 75  # EX_TEMPFAIL: the server stopped during the command; running it again works


def runtime_dir() -> str:
    """The server's private directory: $XDG_RUNTIME_DIR/deriv, else deriv-UID in the temp dir."""
    base = os.environ.get("XDG_RUNTIME_DIR", "")
    if base and os.path.isdir(base):
        return os.path.join(base, "deriv")
    temporary = os.environ.get("TMPDIR") or "/tmp"
    return os.path.join(temporary, f"deriv-{os.getuid()}")


def private(directory: str) -> bool:
    """Only this user can enter it: a socket there is this user's server, not a stranger's
    waiting for our descriptors and environment."""
    try:
        info = os.lstat(directory)
    except OSError:
        return False
    return info.st_uid == os.getuid() and not info.st_mode & 0o077


def socket_path() -> str:
    return os.path.join(runtime_dir(), "server.sock")


def identity() -> dict:
    """What must match between client and server: deriv's version, its installation, Python."""
    return {
        "version": __version__,
        "install": os.path.dirname(os.path.abspath(__file__)),
        "python": sys.version,
    }


def supported() -> bool:
    return hasattr(socket, "AF_UNIX") and hasattr(socket, "send_fds") and hasattr(os, "getuid")


def run(argv: list[str]) -> int | None:
    """The command's exit code, run by a server of this user; None when there is none to use."""
    if os.environ.get("DERIV_NO_SERVER", "") not in ("", "0") or not supported():
        return None
    path = socket_path()
    if not os.path.exists(path) or not private(os.path.dirname(path)):
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.settimeout(5)
        connection.connect(path)
        request = {
            "request": "run",
            **identity(),
            "argv": argv,
            "cwd": os.getcwd(),
            "env": dict(os.environ),
            "streams": [_encoding(stream) for stream in (sys.stdin, sys.stdout, sys.stderr)],
        }
        send_frame(connection, request, fds=[0, 1, 2])
    except (OSError, ValueError):  # the request did not reach the server whole: it runs here
        connection.close()
        return None
    try:  # from here on the server may have begun the command: it must never run twice
        connection.settimeout(ANSWER_SECONDS)
        reply = receive_frame(connection)
    except (OSError, ValueError):
        connection.close()
        return _gone()
    if reply.get("accepted") is not True:  # refused (another version, stopping): not run there
        connection.close()
        return None
    connection.settimeout(None)
    return _wait(connection)


def _gone() -> int:
    print(
        "error: the deriv server stopped during the command; run it again "
        "(DERIV_NO_SERVER=1 runs without the server)",
        file=sys.stderr,
    )
    return SERVER_GONE


def _encoding(stream: object) -> list:
    return [getattr(stream, "encoding", None), getattr(stream, "errors", None)]


class _Signalled(Exception):
    pass


def _wait(connection: socket.socket) -> int:
    """Until the server says how the command ended. The first Ctrl-C (or SIGTERM) goes on to
    the command; a second Ctrl-C leaves at once, and the server kills the command."""

    def terminated(signum: int, frame: object) -> None:
        raise _Signalled("TERM")

    signal.signal(signal.SIGTERM, terminated)
    interrupted = False
    while True:
        try:
            message = receive_frame(connection)
        except KeyboardInterrupt:
            if interrupted:
                connection.close()
                return 130
            interrupted = True
            _tell(connection, "INT")
            continue
        except _Signalled:
            _tell(connection, "TERM")
            continue
        except (OSError, ValueError):
            message = {}
        connection.close()
        if "exit" in message:
            return int(message["exit"])
        return _gone()


def _tell(connection: socket.socket, name: str) -> None:
    try:
        send_frame(connection, {"signal": name})
    except OSError:
        pass


def send_frame(connection: socket.socket, message: dict, fds: list[int] | None = None) -> None:
    data = json.dumps(message).encode()
    packed = FRAME.pack(len(data)) + data
    if fds:
        sent = socket.send_fds(connection, [packed], fds)
        if sent < len(packed):  # never an empty send: the peer may be done and gone by now
            connection.sendall(packed[sent:])
    else:
        connection.sendall(packed)


def receive_frame(connection: socket.socket, with_fds: bool = False) -> dict:
    """One message (with the descriptors that came with it, under "fds", if asked for);
    ValueError for a malformed or oversized one, EOFError (an OSError) when the peer is gone."""
    fds: list[int] = []
    if with_fds:
        head, fds, _, _ = socket.recv_fds(connection, FRAME.size, 8)
        head += _exactly(connection, FRAME.size - len(head)) if head else b""
    else:
        head = _exactly(connection, FRAME.size)
    if len(head) < FRAME.size:
        _close_all(fds)
        raise ConnectionAbortedError("closed")
    (size,) = FRAME.unpack(head)
    if size > MAX_FRAME:
        _close_all(fds)
        raise ValueError(f"a frame of {size} bytes (the limit is {MAX_FRAME})")
    try:
        message = json.loads(_exactly(connection, size))
    except (ValueError, UnicodeDecodeError):
        _close_all(fds)
        raise ValueError("a frame that is not JSON") from None
    if not isinstance(message, dict):
        _close_all(fds)
        raise ValueError("a frame that is not a JSON object")
    if with_fds:
        message["fds"] = fds
    return message


def _exactly(connection: socket.socket, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = connection.recv(min(left, 1 << 16))
        if not chunk:
            raise ConnectionAbortedError("closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _close_all(fds: list[int]) -> None:
    for fd in fds:
        try:
            os.close(fd)
        except OSError:
            pass
