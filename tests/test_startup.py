"""Start-up stays light: what each kind of call imports (times are for benchmarks/, not tests)."""

import subprocess
import sys

import pytest


def imported(*args: str, env: dict | None = None) -> str:
    return modules_in(run_with_importtime(*args, env=env).stderr)


def run_with_importtime(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "chainrule_cli", *args],
        capture_output=True,
        text=True,
        env=env,
    )


def modules_in(stderr: str) -> str:
    return "\n".join(
        line.split("|")[-1].strip()
        for line in stderr.splitlines()
        if line.startswith("import time:")
    )


@pytest.mark.parametrize("args", [("--help",), ("--version",), ("diff", "--help")])
def test_help_and_version_never_import_sympy_rich_or_pydantic(args):
    modules = imported(*args).splitlines()
    for heavy in ("sympy", "rich", "pydantic"):
        assert heavy not in modules


def test_plain_output_never_imports_rich_or_pydantic():
    modules = imported("diff", "6*x^2", "--format", "plain").splitlines()
    assert "sympy" in modules  # in the worker
    assert "rich" not in modules and "pydantic" not in modules


def test_completion_never_imports_sympy():
    import os

    env = {
        **os.environ,
        "_DERIV_COMPLETE": "complete_bash",
        "COMP_WORDS": "deriv di",
        "COMP_CWORD": "1",
    }
    proc = run_with_importtime(env=env)
    assert proc.stdout.split() == ["diff", "dir"]
    modules = modules_in(proc.stderr).splitlines()
    assert "sympy" not in modules and "rich" not in modules


def test_the_console_script_asks_the_server_before_importing_typer_rich_or_sympy(tmp_path):
    """With no server running, the launcher's own imports (before cli) are the standard
    library's; the check is a stat of the socket's path."""
    import os

    env = {**os.environ, "XDG_RUNTIME_DIR": str(tmp_path)}
    code = "import chainrule_cli.client as c, sys; c.run(['diff', 'x']); print(sorted(sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    modules = proc.stdout
    for heavy in ("typer", "rich", "sympy", "click", "chainrule_cli.cli"):
        assert f"'{heavy}'" not in modules
