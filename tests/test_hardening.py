"""Hostile and broken input: nothing runs, nothing hangs, nothing crashes, pipes behave."""

import json
import os
import signal
import subprocess
import time

import pytest
from conftest import long_running_deriv, shell, wait_for_worker

from chainrule_cli import worker
from chainrule_cli.errors import InternalError, LimitExceeded


def payloads(marker):
    """Each would create the marker file if deriv ever ran it as Python or a shell."""
    touch = f"__import__('os').system('touch {marker}')"
    return {
        "dunder import": touch,
        "attribute chain": f"x.__class__.__base__.__subclasses__()[0]('{marker}')",
        "number attribute": "(1).__class__.__mro__[-1].__subclasses__()",
        "lambda": f"(lambda: __import__('os').system('touch {marker}'))()",
        "comprehension": f"[__import__('os').system('touch {marker}') for x in [1]]",
        "string": f"'{marker}'",
        "f-string": f'f\'{{__import__("os").system("touch {marker}")}}\'',
        "function of a string": f"sin('{touch}')",
        "look-alike letters": "𝐞𝐯𝐚𝐥(𝐱)",
        "semicolon": f"x; __import__('os').system('touch {marker}')",
        "newline": f"x\n__import__('os').system('touch {marker}')",
        "backticks": f"`touch {marker}`",
        "command substitution": f"$(touch {marker})",
        "exec word": f'exec(\'open("{marker}", "w")\')',
        "sympify word": "sympify('x')",
    }


@pytest.mark.parametrize("kind", list(payloads("M")))
def test_hostile_input_is_rejected_and_runs_nothing(deriv, tmp_path, kind):
    marker = tmp_path / "ran"
    text = payloads(marker)[kind]
    for args in (
        ("diff", text),
        ("diff", "x", "--at", f"x={text}"),
        ("grad", "x", "--vars", text),
        ("chain", "3g", "--inner", f"g={text}"),
        ("diff", "x", "--wrt", text),
    ):
        ran = deriv(*args)
        assert ran.code == 2, (kind, args, ran.err)
        assert ran.err.startswith("error:") and ran.out == ""
    assert not marker.exists()


def test_names_that_normalise_to_keywords_are_rejected(deriv):
    ran = deriv("diff", "𝐥𝐚𝐦𝐛𝐝𝐚 + x")  # mathematical bold "lambda"
    assert ran.code == 2 and "reserved word" in ran.err


def test_greek_names_are_fine(deriv):
    assert deriv("diff", "θ^2", "--format", "expr").out == "2*θ\n"


def test_control_characters_never_reach_the_terminal_raw(deriv):
    ran = deriv("diff", "x\x1b[31m + \x07")
    assert ran.code == 2 and "\x1b" not in ran.err and "\x07" not in ran.err
    assert "'\\x1b'" in ran.err


def test_rich_markup_prints_literally(deriv):
    ran = deriv("diff", "[red]x[/]")
    assert ran.code == 2 and "[red]x[/]" in ran.err


@pytest.mark.parametrize(
    "args, fragment",
    [
        (("diff", "x" + " + x" * 30_000), "expression too long"),
        (("diff", "(" * 501 + "x" + ")" * 501), "nested too deeply"),
        (("diff", "sin(" * 501 + "x" + ")" * 501), "nested too deeply"),
        (("diff", "a" * 65), "name too long"),
        (("diff", "1" * 1001 + "x"), "number too long"),
        (("diff", "1e999999999 x"), "exponents are limited"),
        (("diff", "2^10^10 x"), "number too large"),
        (("diff", "x", "--order", "1001"), "--order is limited to 1000"),
    ],
)
def test_static_limits_exit_3_and_name_the_limit(deriv, args, fragment):
    ran = deriv(*args)
    assert ran.code == 3 and fragment in ran.err and ran.err.count("\n") == 1


def test_deep_but_allowed_nesting_computes(deriv):
    ran = deriv("diff", "sin(" * 60 + "x" + ")" * 60, "--format", "json")
    assert ran.code == 0


def test_long_flat_sum_computes(deriv):
    text = " + ".join(f"{k}x^{k}" for k in range(1, 1001))
    ran = deriv("diff", text, "--format", "expr")
    assert ran.code == 0 and ran.out.startswith("1000000*x**999 + 998001*x**998")


def test_huge_power_stays_a_power(deriv):
    ran = deriv("diff", "9^9^9 x^2", "--format", "expr")
    assert (ran.code, ran.out) == (0, "2*(9**387420489)*x\n")


def test_huge_values_are_json_strings(deriv):
    import json

    data = json.loads(deriv("diff", "9^9^9 x^2", "--at", "x=1", "--format", "json").out)
    assert data["value"] == "8.56249546351494e+369693099"  # 2 * 9^(9^9), by mpmath
    assert data["value_exact"] == "2*(9**387420489)"


def test_timeout_exits_3(deriv):
    ran = deriv("diff", "sin(x)^x^x^x", "--order", "8", "--timeout", "0.5")
    assert ran.code == 3
    assert ran.err == "error: computation exceeded 0.5 s (raise it with --timeout)\n"


def test_timeout_from_the_environment(deriv, monkeypatch):
    monkeypatch.setenv("DERIV_TIMEOUT", "0.5")
    assert deriv("diff", "sin(x)^x^x^x", "--order", "8").code == 3


def test_memory_limit_stops_the_worker():
    """A budget 200 MiB above what the forked worker starts with stops a 600 MiB allocation;
    1200 MiB above lets it through. (The start is measured: after other tests the process,
    and so its fork, has grown, malloc arenas and caches included.)"""

    def hog():
        return len(bytearray(600 * 2**20))

    start_mb = worker.memory()[1] // 2**20
    with pytest.raises(LimitExceeded, match="memory limit"):
        worker.run_limited(hog, worker.Budget(10, start_mb + 200))
    assert worker.run_limited(hog, worker.Budget(10, start_mb + 1200)) == 600 * 2**20


def test_memory_limit_exits_3(deriv, monkeypatch):
    monkeypatch.setenv("DERIV_MEMORY_MB", "100")  # too little even to import SymPy
    ran = deriv("diff", "x^2")
    assert (ran.code, ran.out) == (3, "") and "memory" in ran.err and ran.err.count("\n") == 1


def test_bad_memory_setting(deriv, monkeypatch):
    monkeypatch.setenv("DERIV_MEMORY_MB", "lots")
    assert deriv("diff", "x").code == 2


@pytest.mark.parametrize(
    "error, kind, fragment",
    [
        (MemoryError(), LimitExceeded, "memory limit"),
        (RecursionError("maximum recursion depth exceeded"), LimitExceeded, "too deeply nested"),
        (OverflowError("int too large"), LimitExceeded, "too large"),
        (ValueError("Exceeds the limit (4300 digits)"), InternalError, "a bug in deriv"),
        (TypeError("bad\nsecond line"), InternalError, "TypeError: bad"),
    ],
)
def test_python_failures_become_one_line_errors(error, kind, fragment):
    def task():
        raise error

    with pytest.raises(kind, match=fragment) as caught:
        worker.run_limited(task, worker.Budget(5, 1024))
    assert "\n" not in caught.value.message


def test_json_is_strict(deriv):
    # no NaN or Infinity: a value that does not exist is null, and the record says why
    ran = deriv("diff", "log(x)", "--at", "x=0", "--format", "json")
    record = json.loads(ran.out, parse_constant=lambda name: pytest.fail(name))
    assert ran.code == 1 and record["value"] is None and record["reason"] == "undefined"
    assert ran.err == "error: f is not defined at x = 0: log needs a positive argument, log(0)\n"


# Pipes, signals, terminals and encodings, through the installed script


@pytest.mark.parametrize("lines", [0, 1])
def test_head_closes_the_pipe_quietly(lines):
    proc = shell(f'deriv grad "x^2 y z w" | head -{lines}; echo "status=${{PIPESTATUS[0]}}"')
    assert proc.stderr == "" and proc.stdout.splitlines()[-1] in ("status=0", "status=1")


def test_a_reader_that_leaves_ends_an_endless_batch():
    """`yes` never ends: the pipeline returns only because deriv stops once head has gone."""
    pipeline = 'yes "x^2" | deriv diff - --format expr | head -n 2'
    proc = shell(pipeline + '; echo "status=${PIPESTATUS[1]}"')
    assert proc.stdout == "2*x\n2*x\nstatus=0\n" and proc.stderr == ""


def test_full_disk():
    proc = shell('deriv grad "x y" > /dev/full; echo "status=$?"')
    assert proc.stdout == "status=1\n"
    assert proc.stderr == "error: cannot write output: No space left on device\n"


@pytest.mark.parametrize("redirect", ["< /dev/null", "<&-"])
def test_stdin_null_or_closed(redirect):
    proc = shell(f'deriv diff "x^2" --format expr {redirect}')
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "2*x\n", "")


def test_bytes_that_are_not_utf8():
    proc = shell("deriv diff \"$(printf 'x\\xff')\"")
    assert proc.returncode == 2 and "not valid UTF-8" in proc.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"PYTHONIOENCODING": "ascii"},
        {"PYTHONIOENCODING": "latin-1"},
        {"PYTHONIOENCODING": "cp1252"},  # a Windows pipe or file
        {"LC_ALL": "C", "PYTHONIOENCODING": ""},
    ],
)
def test_narrow_encodings_fall_back_to_ascii(env):
    proc = shell('deriv grad "-0.5x + 0.25y^2" --format pretty', **env)
    assert proc.returncode == 0 and proc.stderr == ""
    assert "(-0.5, 0.5y)" in proc.stdout


@pytest.mark.parametrize(
    "env", [{"NO_COLOR": "1"}, {"TERM": "dumb"}, {"FORCE_COLOR": "1"}, {"COLUMNS": "5"}]
)
def test_piped_output_has_no_escapes(env):
    proc = shell('deriv grad "-0.5x + 0.25y^2" --notation lagrange', **env)
    assert proc.returncode == 0 and "\x1b" not in proc.stdout
    assert "f_y = 0.5y\n" in proc.stdout  # no wrapping mid-expression


def test_tiny_width_pretty_does_not_wrap():
    proc = shell('deriv grad "-0.5x + 0.25y^2" --format pretty', COLUMNS="5", NO_COLOR="1")
    assert "∇f = (-0.5, 0.5y)ᵀ\n" in proc.stdout


@pytest.mark.parametrize(
    "sig, status, message",
    [(signal.SIGINT, 130, "error: interrupted\n"), (signal.SIGTERM, 143, "error: terminated\n")],
)
def test_signals_end_cleanly_and_leave_nothing_running(sig, status, message):
    proc = long_running_deriv()
    wait_for_worker(proc.pid)
    time.sleep(1)  # the worker is computing now
    os.killpg(proc.pid, sig)
    out, err = proc.communicate(timeout=20)
    assert (proc.returncode, out, err) == (status, "", message)
    time.sleep(0.2)
    left = subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True, text=True)
    assert left.stdout == ""


def test_no_python_warning_on_exit():
    proc = shell('deriv diff "x^2" | head -0')
    assert "Exception ignored" not in proc.stderr and "Traceback" not in proc.stderr
