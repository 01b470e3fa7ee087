"""What a variable is, and the order variables are listed in."""

from __future__ import annotations

import re
from collections.abc import Iterable

import sympy as sp


def variable(name: str) -> sp.Symbol:
    """Variables are real: d|x|/dx is sign(x), not an expression in re(x) and im(x)."""
    return sp.Symbol(name, real=True)


def natural_order(symbols: Iterable[sp.Symbol]) -> tuple[sp.Symbol, ...]:
    """x, y, z first; then alphabetical, with numbers in names compared as numbers (x2 < x10)."""
    return tuple(sorted(symbols, key=_natural_key))


def _natural_key(symbol: sp.Symbol) -> tuple:
    name = symbol.name
    first = "xyz".index(name) if name in ("x", "y", "z") else 3
    parts = re.split(r"(\d+)", name)
    return (first, [int(p) if p.isdigit() else p for p in parts])
