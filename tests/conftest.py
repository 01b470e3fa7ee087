from __future__ import annotations

import os

os.environ.setdefault("SYMPY_CACHE_SIZE", "100000")  # as the deriv CLI sets it
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import sympy as sp
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from chainrule_cli.cli import main

x, y, z = sp.symbols("x y z", real=True)


@dataclass
class Ran:
    code: int
    out: str
    err: str


@pytest.fixture
def deriv(capsys):
    """Run deriv in-process through main(argv), as a user would from a shell."""

    def run(*args: str) -> Ran:
        code = main(list(args))
        captured = capsys.readouterr()
        return Ran(code, captured.out, captured.err)

    return run


def installed_deriv() -> list[str]:
    """The console script next to this interpreter, else `python -m chainrule_cli`."""
    script = Path(sys.executable).with_name("deriv")
    if script.exists():
        return [str(script)]
    found = shutil.which("deriv")
    return [found] if found else [sys.executable, "-m", "chainrule_cli"]


@pytest.fixture
def deriv_process():
    """Run the installed deriv in a real subprocess, stdout a pipe."""

    def run(*args: str, stdin: str | None = None, env: dict | None = None) -> Ran:
        environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
        proc = subprocess.run(
            [*installed_deriv(), *args],
            input=stdin,
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
        )
        return Ran(proc.returncode, proc.stdout, proc.stderr)

    return run


def shell(command, **env):
    environment = {**os.environ, "PYTHONIOENCODING": "utf-8", **env}
    deriv = " ".join(installed_deriv())
    proc = subprocess.run(
        ["bash", "-c", command.replace("deriv", deriv, 1)],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
    )
    return proc


def wait_for_worker(pid: int, seconds: float = 60) -> None:
    """Until deriv has forked its worker (slow machines take a while to import)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
        if children.stdout.strip():
            return
        time.sleep(0.1)
    raise AssertionError("deriv never started its worker")


def long_running_deriv(env: dict | None = None) -> subprocess.Popen:
    """A deriv command that computes for minutes, in a session of its own, for tests that
    signal or kill it. A shell's background job ignores SIGINT, and so would deriv: the
    default is restored, as for a terminal's foreground job."""
    import signal

    return subprocess.Popen(
        [*installed_deriv(), "diff", "sin(x)^x^x^x", "--order", "10", "--timeout", "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def read_terminal(leader: int) -> bytes:
    """Everything drawn on a pseudo-terminal until the program on it ends. Read as it draws,
    or the terminal's buffer fills and the program waits."""
    drawn = b""
    while True:
        try:
            chunk = os.read(leader, 1 << 16)
        except OSError:  # closed: the program has ended
            break
        if not chunk:
            break
        drawn += chunk
    return drawn


# Property tests: a bounded run by default; HYPOTHESIS_PROFILE=thorough runs many more examples.
hypothesis_settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.register_profile(
    "thorough", max_examples=3000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
