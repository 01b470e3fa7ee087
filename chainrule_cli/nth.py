"""The n-th derivative for a symbolic order n, where a closed form is known: x^m (and (ax + b)^m,
1/(x + a) among them), e^(ax + b) and c^(ax + b), sin and cos of ax + b, ln(ax + b), and sums
of constant multiples of these. SymPy leaves these unevaluated (sympy issue 29102).

The formula holds for every n >= 1; before it is returned it is checked against SymPy's own
derivatives of orders 1 to 6, so a wrong formula is never printed.
"""

from __future__ import annotations

import sympy as sp

from .differentiation import differentiate
from .errors import MathError
from .results import Function, NthDerivative
from .values import as_fractions

CHECKED_ORDERS = tuple(range(1, 7))
KNOWN = "x^m, e^(ax), c^(ax), sin, cos, 1/(x + a), ln, and sums of their constant multiples"


def nth_derivative(function: Function, x: sp.Symbol, n: sp.Symbol) -> NthDerivative:
    f = as_fractions(function.expr)
    result = sp.Add(*(nth_of_term(term, x, n) for term in sp.Add.make_args(f)))
    for k in CHECKED_ORDERS:
        if sp.simplify(result.xreplace({n: k}) - differentiate(f, *([x] * k))) != 0:
            raise MathError(f"the n-th derivative formula failed its check at n = {k}")  # a bug
    return NthDerivative(function, x, n, result, CHECKED_ORDERS)


def nth_of_term(term: sp.Expr, x: sp.Symbol, n: sp.Symbol) -> sp.Expr:
    constant, part = term.as_independent(x, as_Add=False)
    if not part.has(x):
        return sp.Integer(0)  # a constant: gone after the first derivative
    return constant * nth_of_part(part, x, n)


def nth_of_part(part: sp.Expr, x: sp.Symbol, n: sp.Symbol) -> sp.Expr:
    base, exponent = (part.base, part.exp) if part.is_Pow else (part, sp.Integer(1))
    if isinstance(part, (sp.sin, sp.cos, sp.exp, sp.log)):
        slope = linear_slope(part.args[0], x)
        if slope is not None:
            return of_function(part, slope, n)
    elif not exponent.has(x) and (a := linear_slope(base, x)) is not None:
        return slope_power(a, n) * power_rule(base, exponent, n)
    elif part.is_Pow and not base.has(x) and (a := linear_slope(exponent, x)) is not None:
        return (a * sp.log(base)) ** n * part  # c^u: (a ln c)^n c^u
    raise MathError(f"no closed form known here for the n-th derivative of {part} ({KNOWN})")


def linear_slope(u: sp.Expr, x: sp.Symbol) -> sp.Expr | None:
    """a, where u = ax + b."""
    if not u.is_polynomial(x) or sp.degree(u, x) != 1:
        return None
    return sp.Poly(u, x).LC()


def slope_power(a: sp.Expr, n: sp.Symbol) -> sp.Expr:
    return sp.Integer(1) if a == 1 else a**n


def power_rule(base: sp.Expr, m: sp.Expr, n: sp.Symbol) -> sp.Expr:
    """d^n/du^n u^m: m!/(m - n)! u^(m - n) for a natural m up to n = m, and 0 past it;
    (-1)^n (k + n - 1)!/(k - 1)! / u^(k + n) for m = -k; m(m - 1)...(m - n + 1)
    u^(m - n) otherwise."""
    if m.is_Integer and m > 0:  # past the m-th, 0: a closed form alone would be 0·∞ at u = 0
        return sp.Piecewise(
            (sp.factorial(m) / sp.factorial(m - n) * base ** (m - n), n <= m), (0, True)
        )
    if m.is_Integer and m < 0:
        k = -m
        return (-1) ** n * sp.factorial(k + n - 1) / sp.factorial(k - 1) / base ** (k + n)
    return sp.ff(m, n) * base ** (m - n)


def of_function(part: sp.Expr, a: sp.Expr, n: sp.Symbol) -> sp.Expr:
    u = part.args[0]
    if isinstance(part, sp.exp):
        return slope_power(a, n) * part
    if isinstance(part, sp.log):
        return (-1) ** (n - 1) * sp.factorial(n - 1) * slope_power(a, n) / u**n
    turn = n * sp.pi / 2  # each derivative of sin or cos turns its argument by π/2
    return slope_power(a, n) * type(part)(u + turn)
