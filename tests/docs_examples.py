"""The examples in README.md and docs/: find them, run them, and rewrite them on purpose.

Two kinds of example are checked against what deriv really prints:

- console blocks: each `$ deriv ...` line is followed by its output (stdout, then stderr);
- help blocks: a ```text block right after `<!-- help: deriv CMD --help -->` holds that help.

When output changes on purpose, regenerate every example from the installed deriv:

    .venv/bin/python tests/docs_examples.py --update

and read the diff before committing it. To check every example under other settings (the
spawned worker, as on macOS and Windows), without rewriting anything:

    .venv/bin/python tests/docs_examples.py --check DERIV_WORKER=spawn
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HELP_WIDTH = "80"  # help is wrapped to the terminal's width: fixed here, as in a pipe

CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)
HELP_BLOCK = re.compile(r"<!-- help: (deriv[^>]*--help) -->\n```text\n(.*?)```", re.S)


@dataclass(frozen=True)
class Example:
    command: str
    expected: str
    kind: str  # "console" or "help"


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def examples(text: str) -> list[Example]:
    found = []
    for block in CONSOLE_BLOCK.findall(text):
        found += [Example(c, e, "console") for c, e in _commands(block)]
    found += [Example(c, e.rstrip("\n"), "help") for c, e in HELP_BLOCK.findall(text)]
    return found


def _commands(block: str) -> list[tuple[str, str]]:
    """(command, expected output) for each `$ ` line of a console block."""
    pairs: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            pairs.append((line[2:], []))
        elif pairs:
            pairs[-1][1].append(line)
    return [(command, "\n".join(output)) for command, output in pairs]


def environment(**extra: str) -> dict[str, str]:
    deriv_dir = str(Path(sys.executable).parent)
    return {
        **os.environ,
        **extra,
        "PATH": f"{deriv_dir}:{os.environ['PATH']}",
        "PYTHONIOENCODING": "utf-8",
        "COLUMNS": HELP_WIDTH,
        "NO_COLOR": "1",
    }


def shell_output(command: str, **extra: str) -> str:
    """What a reader sees running the command in bash from the repository: stdout, then stderr
    (`extra`: environment variables set for it)."""
    proc = subprocess.run(
        ["bash", "-c", command], capture_output=True, text=True, env=environment(**extra), cwd=ROOT
    )
    return (proc.stdout + proc.stderr).rstrip("\n")


def mismatches(path: Path, run=shell_output) -> list[tuple[Example, str]]:
    """The examples of a document whose output differs from what deriv prints now."""
    return [(e, got) for e in examples(path.read_text()) if (got := run(e.command)) != e.expected]


def update(path: Path) -> int:
    """Rewrite every example's output with what deriv prints now; returns how many changed."""
    text = path.read_text()
    changed = 0

    def console(match: re.Match) -> str:
        nonlocal changed
        lines = []
        for command, expected in _commands(match.group(1)):
            got = shell_output(command)
            changed += got != expected
            lines += [f"$ {command}", *([got] if got else [])]
        return "```console\n" + "\n".join(lines) + "\n```"

    def help_block(match: re.Match) -> str:
        nonlocal changed
        got = shell_output(match.group(1))
        changed += got != match.group(2).rstrip("\n")
        return f"<!-- help: {match.group(1)} -->\n```text\n{got}\n```"

    text = CONSOLE_BLOCK.sub(console, text)
    text = HELP_BLOCK.sub(help_block, text)
    path.write_text(text)
    return changed


def check_all(**extra: str) -> int:
    """Every example run with `extra` in the environment; the mismatches printed, counted."""
    found = 0
    for path in documents():
        for example, got in mismatches(path, lambda c: shell_output(c, **extra)):
            found += 1
            print(
                f"{path.relative_to(ROOT)}: $ {example.command}\n--- expected\n"
                f"{example.expected}\n--- got\n{got}\n"
            )
    return found


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check"]:  # e.g. --check DERIV_WORKER=spawn
        settings = dict(pair.split("=", 1) for pair in sys.argv[2:])
        count = check_all(**settings)
        print(f"{count} example(s) differ with {settings}")
        raise SystemExit(1 if count else 0)
    if sys.argv[1:2] != ["--update"]:
        raise SystemExit(__doc__)
    paths = [Path(p).resolve() for p in sys.argv[2:]] or documents()
    for path in paths:
        count = update(path)
        if count:
            print(f"{path.relative_to(ROOT)}: {count} example(s) rewritten")
