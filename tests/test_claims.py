"""Claims of the docs that a test can hold: the Python floor, the generated pages, every
environment variable and exit code in the reference, the benchmarks' figures dated and sourced."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import installed_deriv

from chainrule_cli import MINIMUM_PYTHON, python_too_old
from chainrule_cli.status import ExitStatus

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "chainrule_cli"
REFERENCE = (ROOT / "docs" / "reference.md").read_text(encoding="utf-8")


def floor_text() -> str:
    return ".".join(map(str, MINIMUM_PYTHON))


def test_the_python_floor_is_one_number_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    floor = re.search(r'^requires-python = "(.*)"$', pyproject, re.MULTILINE)[1]
    assert floor == f">={floor_text()}"
    for page in ("README.md", "docs/getting-started.md"):
        assert f"Python {floor_text()} or newer" in (ROOT / page).read_text(encoding="utf-8")


def test_an_older_python_gets_a_clear_message():
    assert python_too_old((3, 9, 18)) == (
        f"error: deriv needs Python {floor_text()} or newer; this is Python 3.9"
    )
    assert python_too_old(sys.version_info) is None


def test_the_generated_docs_are_current():
    """The schemas, formats.md's JSON tables, the options per command (from the Typer app)."""
    ran = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "docs_generated.py")], capture_output=True, text=True
    )
    assert ran.returncode == 0, ran.stdout + "run: python tests/docs_generated.py --update"


def variables_read_by_the_package() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    patterns = [
        r"environ\.get\(\s*\"([A-Z_]+)\"",
        r"environ\.setdefault\(\s*\"([A-Z_]+)\"",
        r"\"([A-Z_]+)\" (?:not )?in os\.environ",
        r"envvar=\"([A-Z_]+)\"",
        r"megabytes\(\s*\"([A-Z_]+)\"",  # cli.py's reader of DERIV_MEMORY_MB and the like
    ]
    return {name for pattern in patterns for name in re.findall(pattern, source)}


def test_every_environment_variable_deriv_reads_is_in_the_reference():
    found = variables_read_by_the_package()
    assert {"DERIV_TIMEOUT", "DERIV_MEMORY_MB", "NO_COLOR", "SYMPY_CACHE_SIZE"} <= found
    for name in found:
        assert f"`{name}`" in REFERENCE, name


@pytest.mark.parametrize("status", list(ExitStatus))
def test_every_exit_code_is_in_the_reference(status):
    assert re.search(rf"^\| {int(status)} \| ", REFERENCE, re.MULTILINE)


def test_every_performance_figure_names_its_script_and_date():
    text = (ROOT / "docs" / "performance.md").read_text(encoding="utf-8")
    for section in re.split(r"\n(?=## )", text)[1:]:
        if "\n|" in section:
            title = section.splitlines()[0]
            assert re.search(r"benchmarks/\w+\.py", section), title
            assert re.search(r"20\d\d-\d\d-\d\d", section), title


def test_install_advice_names_what_can_be_installed():
    """The package is installed from a checkout or a wheel: no advice to fetch it by name."""
    pages = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *PACKAGE.rglob("*.py")]
    for page in pages:
        assert "chainrule-cli[" not in page.read_text(encoding="utf-8"), page


def test_shell_recipes_print_backslashes_with_printf():
    """dash's echo turns \\b and \\e into control characters: LaTeX goes through printf."""
    for page in [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]:
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"echo ['\"][^'\"]*\\", text), page


def test_the_c_locale_keeps_unicode():
    """formats.md and reference.md: LC_ALL=C does not make output ASCII (Python's UTF-8 mode)."""
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONIOENCODING"}
    ran = subprocess.run(
        [*installed_deriv(), "diff", "x^3", "--format", "plain"],
        capture_output=True,
        env={**environment, "LC_ALL": "C", "LANG": "C"},
    )
    assert ran.stdout.decode("utf-8") == "f(x) = x³\ndf/dx = 3x²\n"


def test_the_point_in_json_is_as_deriv_read_it(deriv):
    """formats.md: `--at x=2*3` gives {"x": "6"}."""
    ran = deriv("diff", "x^2", "--at", "x=2*3", "--format", "json")
    assert '"at": {"x": "6"}' in ran.out


def test_a_syntax_error_in_a_batch_takes_three_lines(deriv_process):
    """scripting.md: the message, the input, a caret under the column."""
    ran = deriv_process("diff", "-", "--format", "expr", stdin="x^2\nx^^2\n")
    assert ran.err == "error: line 2: unexpected '^' (column 3)\n  x^^2\n    ^\n"
