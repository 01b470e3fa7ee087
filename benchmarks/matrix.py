"""deriv matrix against SymPy's MatrixSymbol.diff: for each case of The Matrix Cookbook and the
backprop forms, the time to derive the gradient, the time of deriv's entry-by-entry check, and
whether SymPy's own `diff` of the same expression is right (checked the same way).

Run: .venv/bin/python benchmarks/matrix.py
"""

from __future__ import annotations

import time

import sympy as sp
from common import save, table

from chainrule_cli.matrix_calculus import (
    TOLERANCE,
    as_scalar,
    gradient,
    is_vector,
    jacobian,
    mismatch,
)
from chainrule_cli.matrix_parser import Kinds, parse_matrix

KINDS = Kinds(matrices=frozenset("WAXB"), vectors=frozenset("xyabz"))
CASES = [
    ("a'x", "x"),
    ("a' X z", "X"),
    ("x' B x", "x"),
    ("norm(A x - b)^2", "x"),
    ("tr(A X B)", "X"),
    ("norm(W x - y)^2", "W"),
    ("logdet(X)", "X"),
    ("2 det(X)", "X"),
    ("a' inv(X) z", "X"),
    ("0.5 norm(W x - y)^2 + 0.5 norm(W)^2", "W"),
    ("log(sum(exp(x)))", "x"),
    ("norm(tanh(W x + b) - y)^2", "W"),
    ("norm(tanh(W x + b) - y)^2", "x"),
    # Jacobians of a vector by a vector: SymPy's in its denominator layout
    ("W x", "x"),
    ("(x - a)/norm(x - a)", "x"),
    ("tanh(W x + b)", "x"),
]


def seconds(work) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    try:
        found = work()
    except Exception as failure:  # SymPy's diff raises on some of these
        found = failure
    return time.perf_counter() - start, found


def sympy_verdict(expr: sp.Expr, symbol: sp.MatrixSymbol, theirs: object) -> str:
    """Whether SymPy's answer is the gradient (or the Jacobian, in SymPy's denominator layout):
    right, 0, not a matrix, wrong, or an error."""
    if isinstance(theirs, Exception):
        return f"raises {type(theirs).__name__}"
    if theirs == 0 or isinstance(theirs, sp.ZeroMatrix):
        return "0 (wrong)"
    shape = (symbol.shape[0], expr.shape[0]) if is_vector(expr) else symbol.shape
    if not isinstance(theirs, sp.MatrixExpr) or theirs.shape != shape:
        return "not a matrix"
    try:
        error = mismatch(expr, symbol, theirs, layout="denominator")
    except Exception as failure:
        return f"check raises {type(failure).__name__}"
    return "yes" if error < TOLERANCE else "wrong"


def case(text: str, wrt: str) -> dict:
    expr = parse_matrix(text, KINDS)
    (symbol,) = [s for s in expr.atoms(sp.MatrixSymbol) if s.name == wrt]
    if is_vector(expr):
        ours_s, ours = seconds(lambda: jacobian(expr, symbol))
    else:
        ours_s, ours = seconds(lambda: gradient(expr, symbol).result)
    check_s, error = seconds(lambda: mismatch(expr, symbol, ours))
    assert error < TOLERANCE, (text, error)
    scalar = expr if is_vector(expr) else as_scalar(expr)  # (a 1×1 product gives an array)
    sympy_s, theirs = seconds(lambda: scalar.diff(symbol))
    verdict = sympy_verdict(expr, symbol, theirs)
    return {
        "f": text,
        "wrt": wrt,
        "deriv_s": ours_s,
        "check_s": check_s,
        "sympy_s": sympy_s,
        "sympy_right": verdict,
    }


def main() -> None:
    results = [case(text, wrt) for text, wrt in CASES]
    rows = [["f", "by", "deriv", "deriv's check", "SymPy diff", "SymPy's answer right?"]]
    rows += [
        [
            r["f"],
            r["wrt"],
            f"{1000 * r['deriv_s']:.0f} ms",
            f"{1000 * r['check_s']:.0f} ms",
            f"{1000 * r['sympy_s']:.0f} ms",
            r["sympy_right"],
        ]
        for r in results
    ]
    print(table(rows))
    total = sum(r["deriv_s"] + r["check_s"] for r in results)
    print(f"deriv, all {len(results)} cases, derived and checked: {total:.2f} s")
    print("wrote", save("matrix", {"results": results}))


if __name__ == "__main__":
    main()
