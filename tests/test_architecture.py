"""The shape of the code: a pure core, and no way for user text to reach Python's eval."""

import ast
import re
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "chainrule_cli"
# The command line's shell: the only modules that meet the terminal, files, signals and exit codes.
SHELL = {
    "cli.py",
    "output.py",
    "report.py",
    "worker.py",
    "processes.py",
    "child.py",
    "launch.py",
    "client.py",
    "server.py",
    "batch.py",
    "progress.py",
    "status.py",
    "__main__.py",
}
CORE = sorted(p.name for p in PACKAGE.glob("*.py") if p.name not in SHELL)
# What doing I/O looks like in Python source: the core computes and returns, nothing else.
INPUT_OUTPUT = re.compile(
    r"\bprint\(|\bopen\(|\binput\(|sys\.(stdout|stderr|stdin)|isatty|os\.environ|"
    r"\bsubprocess\b|tempfile|shutil"
)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_the_core_is_every_module_but_the_shell():
    assert {"api.py", "calculus.py", "parser.py", "points.py", "results.py"} <= set(CORE)
    assert len(CORE) >= 25


@pytest.mark.parametrize("module", CORE)
def test_core_never_imports_typer_or_rich(module):
    assert not imported_modules(PACKAGE / module) & {"typer", "rich", "click"}


@pytest.mark.parametrize("module", CORE)
def test_core_does_no_terminal_or_file_io(module):
    for number, line in enumerate((PACKAGE / module).read_text().splitlines(), 1):
        code = line.split("#")[0]
        assert not INPUT_OUTPUT.search(code), f"{module}:{number}: {line.strip()}"


def module_imports(path: Path) -> set[str]:
    """The package's modules this one imports when it is loaded (top-level statements only:
    an import inside a function runs when called, as results' display does for renderers)."""
    package = path.relative_to(PACKAGE.parent).with_suffix("").parts
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            base = list(package[: len(package) - node.level])
            if path.name == "__init__.py":
                base = list(package[: len(package) - node.level + 1])
            target = ".".join(base + ([node.module] if node.module else []))
            if node.module is None:
                found |= {f"{target}.{alias.name}" for alias in node.names}
            else:
                found.add(target)
    return found


def test_no_import_circle():
    modules = {
        ".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts): p
        for p in PACKAGE.rglob("*.py")
    }
    graph = {
        name: {m for m in module_imports(path) if m in modules} for name, path in modules.items()
    }
    visiting, done = [], set()

    def visit(module: str) -> None:
        if module in done:
            return
        assert module not in visiting, " -> ".join([*visiting[visiting.index(module) :], module])
        visiting.append(module)
        for used in sorted(graph[module]):
            visit(used)
        visiting.pop()
        done.add(module)

    for module in sorted(graph):
        visit(module)


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
