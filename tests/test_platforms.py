"""Runs wherever Python runs (issue 20). Each test runs twice: with the worker spawned instead of
forked (DERIV_WORKER=spawn, as on macOS), and as on Windows (tests/no_posix/sitecustomize.py
hides resource, fcntl and termios and removes os.fork, os.killpg, os.setsid and signal.alarm).
The output, the limits and the exit codes are those of the forked worker."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import long_running_deriv, shell, wait_for_worker
from docs_examples import ROOT, examples, shell_output

NO_POSIX = {"PYTHONPATH": str(Path(__file__).with_name("no_posix"))}
REGIMES = {"spawn": {"DERIV_WORKER": "spawn"}, "as on Windows": NO_POSIX}


@pytest.fixture(params=list(REGIMES))
def regime(request) -> dict[str, str]:
    return REGIMES[request.param]


def test_the_package_and_help_need_no_posix_module():
    code = "import os, chainrule_cli; assert not hasattr(os, 'fork'); print('imported')"
    imported = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**os.environ, **NO_POSIX}
    )
    assert imported.stdout == "imported\n", imported.stderr
    helped = shell("deriv --help", **NO_POSIX)
    assert helped.returncode == 0 and "Usage: deriv" in helped.stdout and helped.stderr == ""


TUTORIAL = examples((ROOT / "docs" / "tutorial.md").read_text())


def test_the_tutorial_prints_the_same(regime):
    """The tutorial retells the lecture's examples with the forked worker's real output."""
    assert len(TUTORIAL) >= 15
    for example in TUTORIAL:
        assert shell_output(example.command, **regime) == example.expected, example.command


def test_a_batch_reports_a_bad_line_and_runs_the_rest(regime):
    ran = shell("printf 'x^2\\nsin(x\\n3x^3\\n' | deriv diff - --format expr", **regime)
    assert (ran.returncode, ran.stdout) == (2, "2*x\n\n9*x**2\n")
    assert ran.stderr.startswith("error: line 2: '(' at column 4 is never closed")


def test_windows_line_endings_and_a_byte_order_mark(regime, tmp_path):
    lines = tmp_path / "lines.txt"
    lines.write_bytes(b"\xef\xbb\xbfx^2\r\n6x^2\r\n")
    ran = shell(f"deriv diff @{lines} --format expr", **regime)
    assert (ran.returncode, ran.stdout, ran.stderr) == (0, "2*x\n12*x\n", "")


def test_the_timeout_exits_3_within_a_second_of_the_deadline(regime):
    started = time.monotonic()
    shell("deriv diff x --format expr", **regime)
    overhead = time.monotonic() - started  # start-up: the interpreter, and the worker's SymPy
    started = time.monotonic()
    ran = shell('deriv diff "sin(x)^x^x^x" --order 8 --timeout 1', **regime)
    late = time.monotonic() - started - overhead - 1
    assert (ran.returncode, ran.stdout) == (3, "")
    assert ran.stderr == "error: computation exceeded 1 s (raise it with --timeout)\n"
    assert late < 1, f"{late:.2f} s after the deadline"


def test_ctrl_c_exits_130_and_leaves_nothing_running(regime):
    proc = long_running_deriv(regime)
    wait_for_worker(proc.pid)
    time.sleep(2)  # the spawned worker has imported SymPy and is computing
    os.killpg(proc.pid, signal.SIGINT)  # a terminal's Ctrl-C reaches the whole group
    out, err = proc.communicate(timeout=20)
    assert (proc.returncode, out, err) == (130, "", "error: interrupted\n")
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True)
    assert left.stdout == ""


def test_a_reader_that_leaves_ends_the_batch(regime):
    ran = shell(
        'yes "x^2" | deriv diff - --format expr | head -n 2; echo "${PIPESTATUS[1]}"', **regime
    )
    assert (ran.stdout, ran.stderr) == ("2*x\n2*x\n0\n", "")


def test_a_line_over_the_memory_budget_then_a_good_one(regime):
    """2^(2^31 + 30) is 256 MiB: past a 300 MiB budget by the OS's limit (spawn on Linux) or by
    the resident size read as it works (as on Windows); the next line runs."""
    ran = shell(
        "printf 'x^2\\nx^(2^31)\\nx^3\\n' | deriv diff - --at x=2 --format expr",
        DERIV_MEMORY_MB="300",
        **regime,
    )
    assert (ran.returncode, ran.stdout) == (3, "4\n\n12\n")
    assert ran.stderr.startswith("error: line 2: computation") and "memory" in ran.stderr


@pytest.mark.parametrize("setting", ["thread", "forking"])
def test_a_bad_worker_setting(setting):
    ran = shell("deriv diff x^2", DERIV_WORKER=setting)
    assert ran.returncode == 2 and ran.stderr.startswith(
        "error: DERIV_WORKER must be fork or spawn"
    )


def test_fork_asked_for_where_there_is_none():
    ran = shell("deriv diff x^2", DERIV_WORKER="fork", **NO_POSIX)
    assert ran.returncode == 2
    assert ran.stderr == "error: DERIV_WORKER=fork: this system cannot fork; use spawn\n"
