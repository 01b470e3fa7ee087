"""The warm server (issue 18), through real sockets: `deriv server start` in a private runtime
directory, then deriv as a user runs it. Byte-identical output with and without the server;
limits, Ctrl-C and a client's death; the server's own failures fall back or fail clearly."""

import json
import os
import pty
import signal
import socket
import stat
import struct
import subprocess
import threading
import time

import pytest
from conftest import installed_deriv, long_running_deriv, read_terminal
from docs_examples import documents, examples, shell_output

from chainrule_cli import client, server

pytestmark = pytest.mark.skipif(not client.supported(), reason="no Unix domain sockets here")


def call(*args: str, env: dict, stdin: str | None = None, timeout: float = 120):
    return subprocess.run(
        [*installed_deriv(), *args],
        input=stdin,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONIOENCODING": "utf-8", **env},
        timeout=timeout,
    )


def private_runtime(tmp_path) -> dict:
    runtime = tmp_path / "runtime"
    runtime.mkdir(mode=0o700)
    return {"XDG_RUNTIME_DIR": str(runtime)}


def status(env: dict) -> dict:
    return json.loads(call("server", "status", "--json", env=env).stdout)


@pytest.fixture(scope="module")
def running(tmp_path_factory):
    """A server for this module's tests: the environment that reaches it."""
    env = private_runtime(tmp_path_factory.mktemp("server"))
    started = call("server", "start", env=env)
    assert started.returncode == 0 and started.stdout.startswith("deriv server started: pid")
    yield env
    call("server", "stop", env=env)


def served(env: dict) -> int:
    return status(env)["served"]


def test_every_docs_example_prints_the_same_through_the_server(running):
    before = served(running)
    found = [e for path in documents() for e in examples(path.read_text())]
    for example in found:
        assert shell_output(example.command, **running) == example.expected, example.command
    assert served(running) - before >= len(found) - 5  # a few examples run no deriv command


FORMATS = [
    ("diff", "sin(x^2)", "--format", format)
    for format in ("plain", "pretty", "json", "latex", "expr")
] + [
    ("grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2", "--format", "json"),
    ("backprop", "tanh(w*x + b)", "--at", "w=0.5,x=1,b=0", "--format", "dot"),
    ("diff", "log(x)", "--at", "x=0"),
    ("diff", "sin(x"),
    ("--version",),
    ("diff", "--help"),
]


@pytest.mark.parametrize("args", FORMATS, ids=" ".join)
def test_every_format_prints_the_same_through_the_server(running, args):
    direct = call(*args, env={"DERIV_NO_SERVER": "1"})
    through = call(*args, env=running)
    assert (through.returncode, through.stdout, through.stderr) == (
        direct.returncode,
        direct.stdout,
        direct.stderr,
    )


def on_a_terminal(args: list[str], env: dict) -> bytes:
    """What deriv draws on a terminal (a pseudo-terminal, 100 columns), colour and all."""
    leader, follower = pty.openpty()
    os.set_inheritable(follower, True)
    import fcntl
    import termios

    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    environment = {**os.environ, "TERM": "xterm-256color", **env}
    environment.pop("NO_COLOR", None)
    environment.pop("COLUMNS", None)
    process = subprocess.Popen(
        [*installed_deriv(), *args], stdout=follower, stderr=follower, env=environment
    )
    os.close(follower)
    drawn = read_terminal(leader)
    process.wait(timeout=60)
    os.close(leader)
    return drawn


def test_a_terminal_sees_the_same_colours_and_width(running):
    args = ["grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2"]
    direct = on_a_terminal(args, {"DERIV_NO_SERVER": "1"})
    assert b"\x1b[" in direct  # colour: it is a terminal
    assert on_a_terminal(args, running) == direct


def test_a_batch_streams_line_by_line_through_the_server(running):
    """The answer to a line comes before the next line is written: stdin is not read whole."""
    process = subprocess.Popen(
        [*installed_deriv(), "diff", "-", "--format", "expr"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, **running},
    )
    answers = []
    for n in (2, 3, 4):
        process.stdin.write(f"x^{n}\n")
        process.stdin.flush()
        answers.append(process.stdout.readline())
    process.stdin.close()
    assert process.wait(timeout=60) == 0
    assert answers == ["2*x\n", "3*x**2\n", "4*x**3\n"]


def test_several_clients_at_once(running):
    """8 clients, 5 calls each: d/dx (k x^2) = 2k x, each from the client that asked."""
    results: dict[int, list[str]] = {}

    def client_calls(k: int) -> None:
        results[k] = [
            call("diff", f"{k + 10 * i}x^2", "--format", "expr", env=running).stdout
            for i in range(5)
        ]

    threads = [threading.Thread(target=client_calls, args=(k,)) for k in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for k in range(1, 9):
        assert results[k] == [f"{2 * (k + 10 * i)}*x\n" for i in range(5)]


def test_no_server_bypasses_it(running):
    before = served(running)
    ran = call("diff", "x^2", "--format", "expr", env={**running, "DERIV_NO_SERVER": "1"})
    assert ran.stdout == "2*x\n" and served(running) == before


def test_over_the_time_limit_exits_3_and_the_server_goes_on(running):
    ran = call("diff", "sin(x)^x^x^x", "--order", "8", "--timeout", "1", env=running)
    assert (ran.returncode, ran.stderr) == (
        3,
        "error: computation exceeded 1 s (raise it with --timeout)\n",
    )
    assert call("diff", "x^3", "--format", "expr", env=running).stdout == "3*x**2\n"


def commands_of(pid: int) -> list[str]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    return found.stdout.split()


def until(condition, seconds: float = 20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def long_command(env: dict) -> subprocess.Popen:
    process = long_running_deriv(env)
    assert until(lambda: status(env)["active"] == 1), "the server never ran the command"
    time.sleep(0.5)  # computing now
    return process


def test_ctrl_c_stops_the_command_and_leaves_nothing_running(running):
    process = long_command(running)
    os.killpg(process.pid, signal.SIGINT)  # the terminal's Ctrl-C: the client's group
    out, err = process.communicate(timeout=20)
    assert (process.returncode, out, err) == (130, "", "error: interrupted\n")
    pid = status(running)["pid"]
    assert until(lambda: not commands_of(pid) and status(running)["active"] == 0)


def test_a_client_that_dies_takes_its_command_with_it(running):
    process = long_command(running)
    process.kill()
    process.wait()
    pid = status(running)["pid"]
    assert until(lambda: not commands_of(pid) and status(running)["active"] == 0)


def test_the_directory_and_files_are_private(running):
    folder = os.path.join(running["XDG_RUNTIME_DIR"], "deriv")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    for name in ("server.sock", "server.json", "server.log", "server.lock"):
        assert stat.S_IMODE(os.stat(os.path.join(folder, name)).st_mode) == 0o600, name


def test_status_says_what_runs(running):
    info = status(running)
    assert info["running"] is True and info["active"] == 0 and info["pid"] > 0
    shown = call("server", "status", env=running)
    assert shown.returncode == 0 and shown.stdout.startswith("deriv server: running\n  pid")
    again = call("server", "start", env=running)
    assert again.stdout.startswith(f"deriv server already running: pid {info['pid']}")


def raw_connection(env: dict) -> socket.socket:
    path = os.path.join(env["XDG_RUNTIME_DIR"], "deriv", "server.sock")
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(10)
    connection.connect(path)
    return connection


@pytest.mark.parametrize(
    "frame",
    [
        struct.pack("!I", 5) + b"{nope",  # not JSON
        struct.pack("!I", 2) + b"[]",  # not an object
        struct.pack("!I", 2**30),  # oversized
        struct.pack("!I", 17) + b'{"request": "rm"}',  # not a request deriv knows
    ],
    ids=["not JSON", "not an object", "oversized", "unknown request"],
)
def test_a_bad_frame_closes_its_connection_and_the_server_goes_on(running, frame):
    connection = raw_connection(running)
    connection.sendall(frame)
    assert connection.recv(100) == b""  # closed
    connection.close()
    assert call("diff", "x^2", "--format", "expr", env=running).stdout == "2*x\n"


def test_another_version_is_refused_and_the_client_runs_deriv_itself(running):
    connection = raw_connection(running)
    request = {"request": "run", **client.identity(), "version": "0.0.0"}
    request.update(argv=["diff", "x"], cwd="/", env={}, streams=[[None, None]] * 3)
    client.send_frame(connection, request, fds=[0, 1, 2])
    reply = client.receive_frame(connection)
    assert reply["accepted"] is False and "version" in reply["reason"]


class FakePeer:
    def __init__(self, uid: int) -> None:
        self.uid = uid

    def getsockopt(self, level, option, size):
        if hasattr(socket, "SO_PEERCRED"):
            return struct.pack("3i", 4242, self.uid, 0)
        return struct.pack("Ii", 0, self.uid) + bytes(size - 8)


def test_a_peer_of_another_user_is_refused():
    assert server.peer_allowed(FakePeer(os.getuid()))
    assert not server.peer_allowed(FakePeer(os.getuid() + 1))


def test_a_killed_server_fails_clearly_then_is_cleaned_up(tmp_path):
    env = private_runtime(tmp_path)
    assert call("server", "start", env=env).returncode == 0
    pid = status(env)["pid"]
    process = long_command(env)
    os.kill(pid, signal.SIGKILL)
    out, err = process.communicate(timeout=30)
    assert process.returncode == client.SERVER_GONE and "Traceback" not in err
    assert err.startswith("error: the deriv server stopped during the command; run it again")
    socket_file = os.path.join(env["XDG_RUNTIME_DIR"], "deriv", "server.sock")
    assert os.path.exists(socket_file)  # stale
    ran = call("diff", "x^2", "--format", "expr", env=env)  # falls back: runs here
    assert (ran.returncode, ran.stdout) == (0, "2*x\n")
    assert call("server", "status", env=env).returncode == 1  # and cleans the stale files
    assert not os.path.exists(socket_file)
    started = call("server", "start", env=env)
    assert started.stdout.startswith("deriv server started")
    call("server", "stop", env=env)


def test_two_starts_at_once_leave_one_server(tmp_path):
    env = private_runtime(tmp_path)
    environment = {**os.environ, **env}
    starts = [
        subprocess.Popen(
            [*installed_deriv(), "server", "start"],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        for _ in range(2)
    ]
    said = sorted(p.communicate(timeout=60)[0] for p in starts)
    pid = status(env)["pid"]
    assert said[0].startswith("deriv server already running: pid " + str(pid))
    assert said[1].startswith("deriv server started: pid " + str(pid))
    call("server", "stop", env=env)


def test_an_idle_server_exits_by_itself(tmp_path):
    env = private_runtime(tmp_path)
    assert call("server", "start", "--idle-timeout", "1", env=env).returncode == 0
    assert until(lambda: call("server", "status", env=env).returncode == 1, seconds=30)
    log = (tmp_path / "runtime" / "deriv" / "server.log").read_text()
    assert "exiting" in log


def test_stop_when_none_runs(tmp_path):
    ran = call("server", "stop", env=private_runtime(tmp_path))
    assert (ran.returncode, ran.stdout) == (0, "no deriv server runs\n")


def test_a_socket_in_a_directory_others_can_enter_is_not_used(tmp_path):
    """Someone else's "server" where ours would be gets nothing: not our descriptors, not our
    environment. deriv runs the call itself."""
    env = private_runtime(tmp_path)
    folder = tmp_path / "runtime" / "deriv"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    impostor = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    impostor.bind(str(folder / "server.sock"))
    impostor.listen(1)
    impostor.settimeout(0.1)
    try:
        ran = call("diff", "x^2", "--format", "expr", env=env)
        assert (ran.returncode, ran.stdout) == (0, "2*x\n")
        with pytest.raises(socket.timeout):
            impostor.accept()  # never connected to
    finally:
        impostor.close()
    assert call("server", "start", env=env).returncode == 2  # and no server starts there


def test_where_there_are_no_unix_sockets_the_server_is_unsupported(deriv, monkeypatch):
    monkeypatch.setattr(client, "supported", lambda: False)
    ran = deriv("server", "start")
    assert (ran.code, ran.err) == (
        2,
        "error: deriv server needs Unix domain sockets, which this system lacks\n",
    )
    assert client.run(["diff", "x"]) is None  # and every command runs in its own process


def gone(pid: int) -> bool:
    """Ended: no such process, or a zombie its new parent has not reaped yet."""
    try:
        with open(f"/proc/{pid}/stat") as stat_file:
            return stat_file.read().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def test_start_replaces_a_server_of_another_version(tmp_path, monkeypatch):
    """As after an upgrade: the running server's identity is not this deriv's (faked here on
    the side of `start`), so start stops it and starts one of its own."""
    env = private_runtime(tmp_path)
    assert call("server", "start", env=env).returncode == 0
    old = status(env)["pid"]
    monkeypatch.setenv("XDG_RUNTIME_DIR", env["XDG_RUNTIME_DIR"])
    real = server.identity()
    monkeypatch.setattr(server, "identity", lambda: {**real, "version": "99.0"})
    info, started = server.start(900)
    assert started and info["pid"] != old
    assert until(lambda: gone(old))
    call("server", "stop", env=env)
