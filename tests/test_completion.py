"""Shell completion: `deriv --install-completion` in bash and zsh, and what <TAB> offers.

Each test runs the real shell with a temporary HOME, so nothing of the user's is touched.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import installed_deriv


def shell(name: str, script: str, home: Path) -> subprocess.CompletedProcess:
    if shutil.which(name) is None:
        pytest.skip(f"{name} is not installed")
    deriv_dir = str(Path(installed_deriv()[0]).parent)
    env = {**os.environ, "HOME": str(home), "PATH": f"{deriv_dir}:{os.environ['PATH']}"}
    env.pop("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", None)
    # `; true` keeps the shell from exec-ing deriv, so deriv sees the shell as its parent
    return subprocess.run(
        [name, "-c", script + "; true"], capture_output=True, text=True, env=env, timeout=60
    )


def bash_completions(words: str, home: Path, source: str) -> list[str]:
    script = (
        f"source {source}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); "
        '_deriv_completion deriv; printf "%s\\n" "${COMPREPLY[@]}"'
    )
    return shell("bash", script, home).stdout.split()


def test_bash_install_and_complete(tmp_path):
    installed = shell("bash", "deriv --install-completion", tmp_path)
    assert "bash completion installed" in installed.stdout
    script = tmp_path / ".bash_completions" / "deriv.sh"
    assert f"source '{script}'" in (tmp_path / ".bashrc").read_text()
    assert bash_completions("deriv gr", tmp_path, str(script)) == ["grad"]
    assert bash_completions('deriv diff x --notation ""', tmp_path, str(script)) == [
        "leibniz",
        "lagrange",
        "euler",
    ]
    assert "--format" in bash_completions("deriv grad x --f", tmp_path, str(script))


def test_bash_show_completion_is_the_script(tmp_path):
    shown = shell("bash", "deriv --show-completion", tmp_path)
    assert "complete -o default -F _deriv_completion deriv" in shown.stdout
    assert bash_completions("deriv pl", tmp_path, "<(deriv --show-completion)") == ["plot"]


def test_zsh_install_loads_the_completion_function(tmp_path):
    installed = shell("zsh", "deriv --install-completion", tmp_path)
    assert "zsh completion installed" in installed.stdout
    assert (tmp_path / ".zfunc" / "_deriv").exists()
    assert "fpath+=~/.zfunc" in (tmp_path / ".zshrc").read_text()
    loaded = shell("zsh", "source ~/.zshrc; autoload -Uz _deriv; whence -v _deriv", tmp_path)
    assert "_deriv is an autoload shell function" in loaded.stdout


def test_zsh_completion_offers_commands_and_values(tmp_path):
    def offered(words: str) -> str:
        return shell(
            "zsh", f"_TYPER_COMPLETE_ARGS='{words}' _DERIV_COMPLETE=complete_zsh deriv", tmp_path
        ).stdout

    assert '"grad":"The gradient of EXPR' in offered("deriv gr")
    values = offered("deriv diff x --notation ")
    assert all(v in values for v in ("leibniz", "lagrange", "euler"))


def test_show_completion_for_a_named_shell(deriv_process):
    zsh = deriv_process("--show-completion", "zsh")
    assert zsh.code == 0 and zsh.out.startswith("#compdef deriv")
    fish = deriv_process("--show-completion", "fish")
    assert fish.code == 0 and "complete --command deriv" in fish.out
    tcsh = deriv_process("--show-completion", "tcsh")
    assert tcsh.code == 2 and tcsh.out == ""
    assert tcsh.err == (
        "error: no completion for tcsh; deriv has it for bash, zsh, fish, powershell, pwsh\n"
    )


@pytest.mark.parametrize("argv", [["-h"], ["diff", "-h"], ["grad", "-h"], ["backprop", "-h"]])
def test_dash_h_is_help(deriv_process, argv):
    ran = deriv_process(*argv)
    assert ran.code == 0 and ran.out.startswith("Usage: deriv")


def test_a_function_named_h_follows_two_dashes(deriv_process):
    ran = deriv_process("diff", "--format", "expr", "--", "-h")
    assert (ran.code, ran.out) == (0, "-1\n")


def test_help_says_what_each_command_supports(deriv_process):
    jacobian = deriv_process("jacobian", "--help").out
    assert "The Jacobian's columns" in jacobian and "gradient's" not in jacobian
    assert "dot" not in deriv_process("diff", "--help").out
    assert "dot" in deriv_process("backprop", "--help").out
