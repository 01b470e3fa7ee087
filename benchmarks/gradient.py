"""The gradient of a neural network's loss: deriv's reverse mode against SymPy's per-variable
`diff` loop, measured in the same run.

The loss is the squared error of a one-hidden-layer tanh network with two inputs over three data
points; h hidden units give n = 4h + 1 parameters. The per-variable loop is skipped past n = 301
(it takes minutes there). Run: .venv/bin/python benchmarks/gradient.py [--quick]
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

os.environ.setdefault("SYMPY_CACHE_SIZE", "100000")

import sympy as sp  # noqa: E402
from common import DERIV, growth_exponent, save, table  # noqa: E402

from chainrule_cli.graph import reverse_gradient  # noqa: E402
from chainrule_cli.parser import parse  # noqa: E402
from chainrule_cli.render.mathtext import as_expr  # noqa: E402
from chainrule_cli.variables import natural_order  # noqa: E402

DATA = [((0.5, -1.0), 0.3), ((-0.25, 2.0), -0.7), ((1.5, 0.75), 0.1)]


def loss_text(hidden: int) -> str:
    """Σ over the data of (Σ_j v_j tanh(w_j1 x1 + w_j2 x2 + b_j) + c - y)²."""
    terms = []
    for (x1, x2), target in DATA:
        units = " + ".join(f"v{j}*tanh(w{j}a*{x1} + w{j}b*({x2}) + b{j})" for j in range(hidden))
        terms.append(f"({units} + c - ({target}))^2")
    return " + ".join(terms)


def deriv_engine(text: str) -> tuple[float, float, int, int]:
    """(parse seconds, engine seconds: gradient + naming + printing, characters, parameters)."""
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    loss = parse(text)
    parsed = time.perf_counter()
    parameters = natural_order(loss.free_symbols)
    program = reverse_gradient(loss, parameters)
    printed = "\n".join(
        [f"{name} = {as_expr(expr)}" for name, expr in program.definitions]
        + [as_expr(c) for c in program.components]
    )
    done = time.perf_counter()
    return parsed - start, done - parsed, len(printed), len(parameters)


def numeric_pass_ms(text: str, repeats: int = 200) -> float:
    """One forward and backward pass in floating point over the compiled graph, in ms."""
    import numpy as np

    from chainrule_cli.tape import compile_tape

    loss = parse(text)
    parameters = natural_order(loss.free_symbols)
    tape = compile_tape(loss, parameters)
    point = np.random.default_rng(1).normal(size=len(parameters))
    tape.gradient(point)
    start = time.perf_counter()
    for _ in range(repeats):
        tape.gradient(point)
    return (time.perf_counter() - start) / repeats * 1000


def cli_seconds(text: str, *options: str) -> float:
    """`deriv grad @loss.txt` as a user runs it: start-up, worker, default --timeout included."""
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as file:
        file.write(text + "\n")
    try:
        start = time.perf_counter()
        done = subprocess.run(
            [*DERIV, "grad", f"@{file.name}", *options, "--format", "plain"],
            capture_output=True,
            text=True,
        )
        seconds = time.perf_counter() - start
    finally:
        os.unlink(file.name)
    if done.returncode != 0:
        raise SystemExit(f"deriv grad failed ({done.returncode}): {done.stderr.strip()}")
    return seconds


def point_of(text: str) -> str:
    """A point for every parameter: 0.1, 0.2, ... 0.9 in turn."""
    names = natural_order(parse(text).free_symbols)
    return ",".join(f"{s.name}=0.{k % 9 + 1}" for k, s in enumerate(names))


def at_a_point(text: str, pairs: int = 3) -> tuple[float, float]:
    """(median seconds of `deriv grad @loss.txt --at ...`, median ratio to the same without
    --at), in alternating pairs: past 100 parameters the values come from the numeric pass."""
    times, ratios = [], []
    for _ in range(pairs):
        without = cli_seconds(text)
        with_point = cli_seconds(text, "--at", point_of(text))
        times.append(with_point)
        ratios.append(with_point / without)
    return sorted(times)[pairs // 2], sorted(ratios)[pairs // 2]


def sympy_loop(text: str) -> tuple[float, int]:
    sp.core.cache.clear_cache()
    loss = parse(text)
    parameters = natural_order(loss.free_symbols)
    start = time.perf_counter()
    printed = "\n".join(str(sp.diff(loss, p)) for p in parameters)
    return time.perf_counter() - start, len(printed)


def main() -> None:
    sizes = [2, 7, 25] if "--quick" in sys.argv else [2, 7, 25, 75, 250]
    header = [
        "n",
        "parse s",
        "engine s",
        "end to end s",
        "deriv CLI s",
        "sympy diff loop s",
        "engine speed-up",
        "chars/param",
        "numeric pass ms",
        "CLI --at s",
        "--at / without",
    ]
    rows, results = [header], []
    for hidden in sizes:
        text = loss_text(hidden)
        parse_s, ours, chars, n = deriv_engine(text)
        theirs = sympy_loop(text)[0] if n <= 301 else None
        numeric = numeric_pass_ms(text)
        cli = cli_seconds(text)
        at_s, at_ratio = at_a_point(text)
        results.append(
            {
                "n": n,
                "parse_s": parse_s,
                "deriv_s": ours,
                "end_to_end_s": parse_s + ours,
                "cli_s": cli,
                "sympy_loop_s": theirs,
                "chars": chars,
                "speedup": theirs / ours if theirs else None,
                "numeric_pass_ms": numeric,
                "cli_at_s": at_s,
                "at_ratio": at_ratio,
            }
        )
        rows.append(
            [
                n,
                f"{parse_s:.3f}",
                f"{ours:.3f}",
                f"{parse_s + ours:.3f}",
                f"{cli:.3f}",
                f"{theirs:.2f}" if theirs else "skipped",
                f"{theirs / ours:.0f}x" if theirs else "-",
                f"{chars / n:.0f}",
                f"{numeric:.3f}",
                f"{at_s:.2f}",
                f"{at_ratio:.2f}x",
            ]
        )
    print(table(rows))
    ns = [r["n"] for r in results if r["n"] >= 29]
    ours_exp = growth_exponent(ns, [r["deriv_s"] for r in results if r["n"] >= 29])
    timed = [r for r in results if r["sympy_loop_s"] and r["n"] >= 29]
    theirs_exp = growth_exponent([r["n"] for r in timed], [r["sympy_loop_s"] for r in timed])
    print(f"fitted growth exponent: deriv engine {ours_exp:.2f}, sympy loop {theirs_exp:.2f}")
    print("(the engine: one backward pass, naming shared parts, printing; the sympy loop: one")
    print(" diff per parameter and printing; both from the same parsed expression)")
    print(
        "wrote",
        save(
            "gradient",
            {"results": results, "deriv_exponent": ours_exp, "sympy_loop_exponent": theirs_exp},
        ),
    )


if __name__ == "__main__":
    main()
