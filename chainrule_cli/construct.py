"""Building function applications without paying for evaluation that cannot change them.

SymPy evaluates `tanh(w1*x1 + w2*x2 + b)` by asking, among other things, whether the sum is
zero: with real symbols and float coefficients that query costs milliseconds, seconds over a
network's loss. For the functions below, evaluation leaves a sum of symbolic terms as it is
unless it can take out a minus sign, a multiple of pi or of i, so such sums skip it.
"""

from __future__ import annotations

from collections.abc import Callable

import sympy as sp

# Not exp: exp(x + log(y)) evaluates to y*exp(x).
SUM_NEUTRAL = frozenset({sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.sinh, sp.cosh, sp.tanh})


def apply(function: Callable[..., sp.Expr], *args: sp.Expr) -> sp.Expr:
    """function(*args), as SymPy would evaluate it."""
    if len(args) == 1 and function in SUM_NEUTRAL and _plain_sum(args[0]):
        return function(args[0], evaluate=False)
    return function(*args)


def _plain_sum(arg: sp.Expr) -> bool:
    """A sum that the functions in SUM_NEUTRAL keep as it is."""
    return (
        arg.is_Add
        and all(term.free_symbols for term in arg.args)
        and not arg.has(sp.pi, sp.I)
        and not arg.could_extract_minus_sign()
    )
