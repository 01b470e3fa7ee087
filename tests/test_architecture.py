"""The shape of the code: a pure core, and no way for user text to reach Python's eval."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "chainrule_cli"
CORE = [
    "parser.py",
    "lexer.py",
    "calculus.py",
    "results.py",
    "errors.py",
    "limits.py",
    "options.py",
    "domain.py",
    "points.py",
    "values.py",
    "functions.py",
    "differentiation.py",
]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("module", CORE)
def test_core_never_imports_typer_or_rich(module):
    assert not imported_modules(PACKAGE / module) & {"typer", "rich", "click"}


@pytest.mark.parametrize("module", CORE)
def test_core_never_prints(module):
    calls = [
        n
        for n in ast.walk(ast.parse((PACKAGE / module).read_text()))
        if isinstance(n, ast.Call) and getattr(n.func, "id", None) == "print"
    ]
    assert not calls


def test_no_eval_of_any_kind_in_the_package():
    forbidden = re.compile(r"\b(eval|exec|sympify|parse_expr|lambdify|S)\s*\(|__import__")
    sympy_hook = re.compile(r"^\s*def eval\(cls, ")  # SymPy's Function.eval, not Python's eval
    for path in PACKAGE.rglob("*.py"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            if sympy_hook.match(line):
                continue
            assert not forbidden.search(line), f"{path.name}:{number}: {line.strip()}"
