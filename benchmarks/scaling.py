"""Big inputs: parse + differentiate + print, deriv's route against SymPy's sympify route.

Polynomials of 10..5000 terms and nesting 10..500 deep, each measured in this process for both
routes; prints the times, their ratio and the fitted growth exponent, and writes JSON.
Run: .venv/bin/python benchmarks/scaling.py [--quick]
"""

from __future__ import annotations

import os
import re
import sys
import time

os.environ.setdefault("SYMPY_CACHE_SIZE", "100000")  # as the deriv CLI sets it

import sympy as sp  # noqa: E402
from common import growth_exponent, save, table  # noqa: E402

sys.setrecursionlimit(100_000)
from chainrule_cli import calculus  # noqa: E402
from chainrule_cli.parser import parse  # noqa: E402
from chainrule_cli.render.mathtext import as_expr  # noqa: E402

X = sp.Symbol("x", real=True)


def polynomial(terms: int) -> tuple[str, str]:
    ours = " + ".join(f"{k}x^{k}" for k in range(1, terms + 1))
    return ours, re.sub(r"(\d)x", r"\1*x", ours).replace("^", "**")


def nested_sin(depth: int) -> tuple[str, str]:
    ours = "sin(" * depth + "x" + ")" * depth
    return ours, ours


def nested_parentheses(depth: int) -> tuple[str, str]:
    """(((x + 1x*x) + 2x*x) + ...): deep parentheses around a sum that SymPy flattens."""
    ours = "(" * depth + "x" + "".join(f" + {k % 7 + 1}x*x)" for k in range(depth))
    return ours, re.sub(r"(\d)x", r"\1*x", ours).replace("^", "**")


def deriv_route(text: str) -> float:
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    function = calculus.function_of(parse(text))
    as_expr(calculus.derivative(function, (X,)).result)
    return time.perf_counter() - start


def sympy_route(text: str) -> float:
    sp.core.cache.clear_cache()
    start = time.perf_counter()
    try:
        str(sp.diff(sp.sympify(text), sp.Symbol("x")))
    except (RecursionError, SyntaxError, ValueError, sp.SympifyError):
        return float("nan")  # SymPy's parser gives up: too many nested parentheses
    return time.perf_counter() - start


def measure(kind: str, make, sizes: list[int], sympy_up_to: int) -> dict:
    rows = []
    for size in sizes:
        ours_text, theirs_text = make(size)
        ours = min(deriv_route(ours_text) for _ in range(2))
        theirs = sympy_route(theirs_text) if size <= sympy_up_to else float("nan")
        rows.append(
            {
                "size": size,
                "deriv_s": ours,
                "sympy_s": theirs,
                "ratio": ours / theirs if theirs == theirs else None,
            }
        )
    fitted = [r for r in rows if r["size"] >= sizes[1]]
    return {
        "kind": kind,
        "rows": rows,
        "deriv_exponent": growth_exponent(
            [r["size"] for r in fitted], [r["deriv_s"] for r in fitted]
        ),
    }


def main() -> None:
    quick = "--quick" in sys.argv
    poly_sizes = [10, 100, 1000] if quick else [10, 100, 500, 1000, 2000, 5000]
    depth_sizes = [10, 50, 100] if quick else [10, 50, 100, 200, 500]
    sin_sizes = [10, 25, 50] if quick else [10, 25, 50, 100]
    results = [
        measure("polynomial terms", polynomial, poly_sizes, sympy_up_to=1000),
        measure("nesting depth (parentheses)", nested_parentheses, depth_sizes, sympy_up_to=500),
        measure("nesting depth (sin)", nested_sin, sin_sizes, sympy_up_to=100),
    ]
    for result in results:
        rows = [[result["kind"], "deriv s", "sympify route s", "ratio"]]
        for r in result["rows"]:
            ratio = f"{r['ratio']:.2f}x" if r["ratio"] else "-"
            theirs = (
                "fails"
                if r["sympy_failed"]
                else (f"{r['sympy_s']:.3f}" if r["sympy_s"] is not None else "not run")
            )
            rows.append([r["size"], f"{r['deriv_s']:.3f}", theirs, ratio])
        print(table(rows))
        print(f"fitted growth exponent (deriv): {result['deriv_exponent']:.2f}\n")
    print("wrote", save("scaling", {"results": results}))


if __name__ == "__main__":
    main()
