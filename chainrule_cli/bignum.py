"""Numeric powers too large to compute, such as 9^9^9, kept as written.

SymPy does not keep `Pow(9, 387420489, evaluate=False)` for long: the first product it meets
computes it. A HugePower is an atom, so arithmetic and differentiation leave it alone, and
evalf gives its floating-point value from mpmath, whose exponents are unbounded.
"""

from __future__ import annotations

import mpmath
import sympy as sp
from sympy.core.expr import AtomicExpr


class HugePower(AtomicExpr):
    """base^exponent for a positive rational base and a rational exponent, never expanded."""

    is_number = True
    is_commutative = True

    def __new__(cls, base: sp.Rational, exponent: sp.Rational) -> HugePower:
        power = AtomicExpr.__new__(cls)
        power.parts = (base, exponent)
        return power

    def _hashable_content(self) -> tuple:
        return self.parts

    def __getnewargs__(self) -> tuple:
        return self.parts

    def _eval_is_extended_positive(self) -> bool:
        return True

    def _eval_is_extended_real(self) -> bool:
        return True

    def _eval_is_finite(self) -> bool:
        return True

    def _eval_is_zero(self) -> bool:
        return False

    def _eval_is_integer(self) -> bool:
        base, exponent = self.parts
        return bool(base.is_integer and exponent.is_integer and exponent.is_positive)

    def _eval_evalf(self, prec: int) -> sp.Float:
        base, exponent = self.parts
        with mpmath.workprec(prec + 20):
            value = mpmath.power(mpmath.mpf(base.p) / base.q, mpmath.mpf(exponent.p) / exponent.q)
        return sp.Float(value, precision=prec)

    def _latex(self, printer) -> str:  # type: ignore[no-untyped-def]
        base, exponent = (printer._print(p) for p in self.parts)
        return rf"\left({base}^{{{exponent}}}\right)"
