"""Start-up: deriv against the bare SymPy one-liners, as paired ratios in one run.

Targets (issues 5 and 15): diff and grad <= 1.05x their SymPy one-liner on a regular install
(`pip install .`; an editable install adds an import finder), --help <= 8x `python -c pass`,
`import chainrule_cli` no dearer than `import sympy`, peak RSS of `deriv diff` <= 70 MiB.
The spawned worker (issue 20; the default on macOS and Windows) against the forked one: the
same command with DERIV_WORKER=spawn, no target (it pays a second interpreter and SymPy import).
Run: .venv/bin/python benchmarks/startup.py [--pairs N]
"""

from __future__ import annotations

import sys

from common import DERIV, PYTHON, paired_ratio, peak_rss_mib, save, table

SYMPY_DIFF = "import sympy; print(sympy.diff(sympy.sympify('6*x**2'), sympy.Symbol('x')))"
SYMPY_GRAD = (
    "import sympy; e = sympy.sympify('3*x+y'); "
    "print([sympy.diff(e, v) for v in sympy.symbols('x y')])"
)
CASES = [
    (
        'deriv diff "6*x^2" --format plain',
        [*DERIV, "diff", "6*x^2", "--format", "plain"],
        "sympy diff one-liner",
        [PYTHON, "-c", SYMPY_DIFF],
        1.05,
    ),
    (
        'deriv grad "3*x+y" --format plain',
        [*DERIV, "grad", "3*x+y", "--format", "plain"],
        "sympy grad one-liner",
        [PYTHON, "-c", SYMPY_GRAD],
        1.05,
    ),
    (
        'DERIV_WORKER=spawn deriv diff "6*x^2"',
        [*DERIV, "diff", "6*x^2", "--format", "plain"],
        "the forked worker",
        [*DERIV, "diff", "6*x^2", "--format", "plain"],
        None,
    ),
    ("deriv --help", [*DERIV, "--help"], "python -c pass", [PYTHON, "-c", "pass"], 8.0),
    ("deriv --version", [*DERIV, "--version"], "python -c pass", [PYTHON, "-c", "pass"], 8.0),
    (
        "import chainrule_cli",
        [PYTHON, "-c", "import chainrule_cli"],
        "import sympy",
        [PYTHON, "-c", "import sympy"],
        1.0,
    ),
]


def main() -> None:
    pairs = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 15
    rows = [["command", "median s", "baseline", "baseline s", "ratio", "target", "met"]]
    results = []
    for name, command, base_name, baseline, target in CASES:
        spawn = {"DERIV_WORKER": "spawn"} if name.startswith("DERIV_WORKER=spawn") else None
        measured = paired_ratio(command, baseline, pairs, env=spawn)
        met = target is None or measured["ratio"] <= target
        results.append(
            {"command": name, "baseline": base_name, "target": target, "met": met, **measured}
        )
        rows.append(
            [
                name,
                f"{measured['median_s']:.3f}",
                base_name,
                f"{measured['baseline_median_s']:.3f}",
                f"{measured['ratio']:.2f}x",
                f"<= {target}x" if target else "(measured)",
                "yes" if met else "NO",
            ]
        )
    rss = peak_rss_mib([*DERIV, "diff", "6*x^2", "--format", "plain"])
    rows.append(
        [
            "peak RSS of deriv diff",
            f"{rss:.1f} MiB",
            "",
            "",
            "",
            "<= 70 MiB",
            "yes" if rss <= 70 else "NO",
        ]
    )
    print(table(rows))
    print(f"({pairs} pairs each; ratio = median of per-pair ratios)")
    print("wrote", save("startup", {"pairs": pairs, "results": results, "peak_rss_mib": rss}))


if __name__ == "__main__":
    main()
