"""Every example in README.md and docs/ shows what deriv really prints.

Console blocks (`$ deriv ...` and its output) and the command reference's help blocks are
run and compared; `python tests/docs_examples.py --update` rewrites them when output changes
on purpose.
"""

import doctest
import io
import re
import shlex
import shutil
from pathlib import Path

import pytest
from docs_examples import ROOT, documents, examples, mismatches, shell_output, update

FIXTURES = Path(__file__).parent / "fixtures"

EXAMPLES = [
    pytest.param(example, id=f"{path.relative_to(ROOT)}: {example.command}")
    for path in documents()
    for example in examples(path.read_text())
]


@pytest.mark.parametrize("example", EXAMPLES)
def test_example(deriv, monkeypatch, example):
    monkeypatch.setenv("COLUMNS", "80")
    command = example.command
    if "| jq" in command and shutil.which("jq") is None:
        pytest.skip("jq is not installed")
    if any(sign in command for sign in ("|", "$(", ">", "<", "&&", ";")):
        shown = shell_output(command)  # a pipeline: run it as a reader's shell would
    else:
        args = shlex.split(command)
        assert args[0] == "deriv"
        ran = deriv(*args[1:])
        shown = (ran.out + ran.err).rstrip("\n")
    assert shown == example.expected


def test_every_command_has_a_reference_page_with_its_help():
    from typer.main import get_command

    from chainrule_cli.cli import app

    commands = get_command(app).commands
    documented = {
        e.command.split()[1]
        for path in (ROOT / "docs" / "commands").glob("*.md")
        for e in examples(path.read_text())
        if e.kind == "help"
    }
    assert documented == set(commands)


def test_a_wrong_example_is_caught(tmp_path):
    # the fixture's first example is right, the second has a wrong result, the third a stale help
    wrong = FIXTURES / "wrong_example.md"
    found = mismatches(wrong)
    assert [(e.command, e.kind) for e, _ in found] == [
        ('deriv diff "6x^2" --format expr', "console"),
        ("deriv tangent --help", "help"),
    ]
    assert found[0][1] == "12*x"


def test_update_rewrites_what_changed(tmp_path):
    copy = tmp_path / "wrong_example.md"
    shutil.copy(FIXTURES / "wrong_example.md", copy)
    assert update(copy) == 2
    assert mismatches(copy) == []
    assert update(copy) == 0


def test_readme_has_the_two_fresh_machine_commands():
    readme = (ROOT / "README.md").read_text()
    assert 'deriv grad "3*x+y"' in readme
    assert "<!-- ci: the test command" in readme
    assert "README.md" in (ROOT / ".ci" / "run").read_text()


def test_help_is_good_enough_to_replace_a_man_page():
    # every command shows an example, every option and argument says in a line what it does
    from typer.main import get_command

    from chainrule_cli.cli import app

    group = get_command(app)
    assert all(p.help for p in group.params if p.name != "help")
    for name, command in group.commands.items():
        assert "Example: deriv " + name in command.help, name
        for param in command.params:
            assert param.help and "\n" not in param.help.strip(), (name, param.name)


PYCON_BLOCK = re.compile(r"```pycon\n(.*?)```", re.S)


def pycon_pages():
    for path in documents():
        blocks = PYCON_BLOCK.findall(path.read_text())
        if blocks:
            yield pytest.param("\n".join(blocks), id=str(path.relative_to(ROOT)))


@pytest.mark.parametrize("session", list(pycon_pages()))
def test_python_examples(session):
    """The ```pycon blocks of a page run in order, as one session, and print what they show."""
    test = doctest.DocTestParser().get_doctest(session, {}, "docs", None, 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    output = io.StringIO()
    runner.run(test, out=output.write)
    assert runner.failures == 0, output.getvalue()


@pytest.mark.parametrize("module", ["chainrule_cli", "chainrule_cli.api"])
def test_docstring_examples(module):
    import importlib

    results = doctest.testmod(importlib.import_module(module), optionflags=doctest.ELLIPSIS)
    assert results.failed == 0 and results.attempted > 0
