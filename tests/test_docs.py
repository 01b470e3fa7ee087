"""Every console example in README.md and docs/ shows the output deriv really prints."""

import os
import re
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import installed_deriv

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def console_examples(path: Path):
    """(command, expected output) for each `$ deriv ...` line in a ```console block."""
    for block in re.findall(r"```console\n(.*?)```", path.read_text(), flags=re.S):
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command:
                    yield command, "\n".join(output)
                command, output = line[2:], []
            else:
                output.append(line)
        if command:
            yield command, "\n".join(output)


EXAMPLES = [
    pytest.param(command, expected, id=f"{path.name}: {command}")
    for path in DOCUMENTS
    for command, expected in console_examples(path)
]


@pytest.mark.parametrize("command, expected", EXAMPLES)
def test_console_example(deriv, command, expected):
    if any(sign in command for sign in ("|", "$(", ">", "<")):
        shown = through_a_shell(command)  # a pipeline: run it as a reader's shell would
    else:
        args = shlex.split(command)
        assert args[0] == "deriv"
        ran = deriv(*args[1:])
        shown = ran.out + ran.err
    assert shown.rstrip("\n") == expected


def through_a_shell(command: str) -> str:
    deriv_dir = str(Path(installed_deriv()[0]).parent)
    env = {**os.environ, "PATH": f"{deriv_dir}:{os.environ['PATH']}", "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env)
    return proc.stdout + proc.stderr


def test_readme_has_the_two_fresh_machine_commands():
    readme = (ROOT / "README.md").read_text()
    assert 'deriv grad "3*x+y"' in readme
    assert "<!-- ci: the test command" in readme
    assert "README.md" in (ROOT / ".ci" / "run").read_text()
