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


class Sigmoid(sp.Function):
    """The logistic function σ(x) = 1/(1 + e⁻ˣ), with σ' = σ·(1 - σ) as ML texts write it."""

    nargs = 1

    @classmethod
    def eval(cls, x: sp.Expr) -> sp.Expr | None:
        if x.is_zero:
            return sp.Rational(1, 2)
        if x.is_Number and not isinstance(x, sp.Float):
            return None
        if isinstance(x, sp.Float):
            return 1 / (1 + sp.exp(-x))
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, x: sp.Expr, **kwargs) -> sp.Expr:  # type: ignore[no-untyped-def]
        return 1 / (1 + sp.exp(-x))

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _latex(self, printer, exp=None) -> str:  # type: ignore[no-untyped-def]
        tex = rf"\sigma\left({printer._print(self.args[0])}\right)"
        return rf"{tex}^{{{exp}}}" if exp else tex


class Softplus(sp.Function):
    """softplus(x) = ln(1 + eˣ), a smooth ReLU; its derivative is σ(x)."""

    nargs = 1

    @classmethod
    def eval(cls, x: sp.Expr) -> sp.Expr | None:
        if x.is_zero:
            return sp.log(2)
        if isinstance(x, sp.Float):
            return sp.log(1 + sp.exp(x))
        return None

    def fdiff(self, argindex: int = 1) -> sp.Expr:
        if argindex != 1:
            raise ArgumentIndexError(self, argindex)
        return Sigmoid(self.args[0])

    def _eval_rewrite_as_log(self, x: sp.Expr, **kwargs) -> sp.Expr:  # type: ignore[no-untyped-def]
        return sp.log(1 + sp.exp(x))

    def _eval_is_extended_real(self) -> bool | None:
        return self.args[0].is_extended_real

    def _eval_is_positive(self) -> bool | None:
        return True if self.args[0].is_extended_real else None

    def _eval_evalf(self, prec: int) -> sp.Expr | None:
        return sp.log(1 + sp.exp(self.args[0]))._eval_evalf(prec)

    def _latex(self, printer, exp=None) -> str:  # type: ignore[no-untyped-def]
        tex = rf"\operatorname{{softplus}}\left({printer._print(self.args[0])}\right)"
        return rf"{tex}^{{{exp}}}" if exp else tex


def relu(x: sp.Expr) -> sp.Expr:
    """max(0, x): its derivative is the Heaviside step, and it has a corner at 0."""
    return sp.Max(0, x)


def heaviside(x: sp.Expr) -> sp.Expr:
    """The unit step, 1/2 at 0 (SymPy's convention; deriv says it jumps there)."""
    return sp.Heaviside(x)
