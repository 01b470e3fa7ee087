"""Batch throughput: 1000 generated expressions through one `deriv diff -`, against separate
`deriv diff` calls and a bare SymPy loop in one process.

Separate calls are timed on a sample (--sample, default 40) and scaled to 1000, since 1000 of
them take many minutes. Run: .venv/bin/python benchmarks/batch.py [--lines N] [--sample N]
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time

from common import DERIV, PYTHON, run_seconds, save, table

FUNCTIONS = ["sin", "cos", "exp", "tanh", "log", "sqrt", "atan"]


def expressions(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        a, b, n = rng.randint(1, 9), rng.randint(1, 9), rng.randint(2, 6)
        f, g = rng.sample(FUNCTIONS, 2)
        lines.append(f"{a}x^{n} + {f}({b}x) * {g}(x^2 + {a})")
    return lines


SYMPY_LOOP = """
import sys, sympy
x = sympy.Symbol('x')
for line in sys.stdin:
    print(sympy.diff(sympy.sympify(line), x))
"""


def main() -> None:
    count = int(sys.argv[sys.argv.index("--lines") + 1]) if "--lines" in sys.argv else 1000
    sample = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 40
    ours_lines = expressions(count)
    theirs_lines = [
        t.replace("^", "**").replace("x**", "x**").replace("x^", "x**") for t in ours_lines
    ]
    theirs_lines = [_explicit(t) for t in theirs_lines]
    stdin = "\n".join(ours_lines) + "\n"

    batch = run_seconds([*DERIV, "diff", "-", "--format", "expr"], stdin)
    check = subprocess.run(
        [*DERIV, "diff", "-", "--format", "expr"], input=stdin, capture_output=True, text=True
    )
    assert check.returncode == 0 and len(check.stdout.splitlines()) == count, check.stderr[:300]
    loop = run_seconds([PYTHON, "-c", SYMPY_LOOP], "\n".join(theirs_lines) + "\n")
    singles = [
        run_seconds([*DERIV, "diff", line, "--format", "expr"]) for line in ours_lines[:sample]
    ]
    separate = statistics.median(singles) * count

    rows = [
        ["route", "seconds", "per expression ms", "vs batch"],
        [
            f"deriv diff - ({count} lines, one process)",
            f"{batch:.2f}",
            f"{batch / count * 1000:.1f}",
            "1.00x",
        ],
        [
            f"{count} separate deriv calls (median of {sample}, scaled)",
            f"{separate:.1f}",
            f"{separate / count * 1000:.0f}",
            f"{separate / batch:.1f}x",
        ],
        [
            "bare SymPy loop, one process (sympify+diff+print)",
            f"{loop:.2f}",
            f"{loop / count * 1000:.1f}",
            f"{loop / batch:.2f}x",
        ],
    ]
    print(table(rows))
    print(
        "wrote",
        save(
            "batch",
            {
                "lines": count,
                "batch_s": batch,
                "separate_s": separate,
                "separate_sample": sample,
                "sympy_loop_s": loop,
            },
        ),
    )


def _explicit(text: str) -> str:
    """SymPy's syntax for the same expression: 3x**2 -> 3*x**2, sin(2x) -> sin(2*x)."""
    out = []
    for i, char in enumerate(text):
        if char == "x" and i and text[i - 1].isdigit():
            out.append("*")
        out.append(char)
    return "".join(out)


if __name__ == "__main__":
    t0 = time.time()
    main()
