"""Functions deriv offers that SymPy writes differently: the real n-th root.

SymPy's x**(1/3) is the principal complex root, not real for negative x; a calculus course
means the real cube root, with cbrt(-8) = -2. `root(x, n)` for even n is the ordinary root.
"""

from __future__ import annotations

import sympy as sp
from sympy.core.function import ArgumentIndexError


class RealRoot(sp.Function):
    """The real n-th root of x for odd n: sign(x)·|x|^(1/n), with d/dx = 1/(n·root(x, n)^(n-1))."""

    nargs = 2
    domain_name = "root"  # domain.py's name for its requirements

    @classmethod
    def eval(cls, x: sp.Expr, n: sp.Expr) -> sp.Expr | None:
        if x.is_nonnegative:
            return x ** (1 / n)
        if x.is_nonpositive:
            return -((-x) ** (1 / n))
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        n = self.args[1]
        return 1 / (n * self ** (n - 1))

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_finite(self) -> bool | None:
        return self.args[0].is_finite

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        x, n = self.args
        value = x._eval_evalf(prec)
        if value is None or not value.is_Number:
            return None
        magnitude = sp.Abs(value) ** (1 / sp.Float(n, prec))
        return sp.Float(-magnitude if value < 0 else magnitude, precision=prec)

    def _latex(self, printer, exp=None) -> str:  # type: ignore[no-untyped-def]
        x, n = self.args
        tex = rf"\sqrt[{printer._print(n)}]{{{printer._print(x)}}}"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex


def real_root(x: sp.Expr, n: sp.Expr) -> sp.Expr:
    """root(x, n): the real n-th root; for even n, the ordinary root x^(1/n)."""
    if not (n.is_Integer and n >= 2):
        from .errors import InputError

        raise InputError(f"root(x, n) needs a whole number n >= 2, not {n}")
    return x ** sp.Rational(1, int(n)) if n % 2 == 0 else RealRoot(x, n)


def cbrt(x: sp.Expr) -> sp.Expr:
    return real_root(x, sp.Integer(3))
