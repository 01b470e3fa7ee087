"""Rule-by-rule derivations, as data: each Step names its rule, the expression it applies to,
its result, and the sub-steps it needs. Explaining a step in words is the renderers' job.

The rules follow the expression as SymPy holds what the user wrote: `6x^2` is a constant
multiple of a power, `(x^2+1)/(x-1)` a quotient. A construct with no rule here is
"differentiated directly", never given an invented rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import sympy as sp

from .differentiation import differentiate
from .forms import textbook_form
from .results import Derivation, Step

# The derivative of f(u) with respect to u, for each function: one line of maths each.
FUNCTION_RULES: dict[type, tuple[str, Callable[[sp.Expr], sp.Expr]]] = {
    sp.sin: ("sine", lambda u: sp.cos(u)),
    sp.cos: ("cosine", lambda u: -sp.sin(u)),
    sp.tan: ("tangent", lambda u: 1 + sp.tan(u) ** 2),
    sp.sec: ("secant", lambda u: sp.sec(u) * sp.tan(u)),
    sp.csc: ("cosecant", lambda u: -sp.csc(u) * sp.cot(u)),
    sp.cot: ("cotangent", lambda u: -1 - sp.cot(u) ** 2),
    sp.asin: ("inverse sine", lambda u: 1 / sp.sqrt(1 - u**2)),
    sp.acos: ("inverse cosine", lambda u: -1 / sp.sqrt(1 - u**2)),
    sp.atan: ("inverse tangent", lambda u: 1 / (1 + u**2)),
    sp.sinh: ("hyperbolic sine", lambda u: sp.cosh(u)),
    sp.cosh: ("hyperbolic cosine", lambda u: sp.sinh(u)),
    sp.tanh: ("hyperbolic tangent", lambda u: 1 - sp.tanh(u) ** 2),
    sp.asinh: ("inverse hyperbolic sine", lambda u: 1 / sp.sqrt(u**2 + 1)),
    sp.acosh: ("inverse hyperbolic cosine", lambda u: 1 / sp.sqrt(u**2 - 1)),
    sp.atanh: ("inverse hyperbolic tangent", lambda u: 1 / (1 - u**2)),
    sp.exp: ("exponential", lambda u: sp.exp(u)),
    sp.log: ("natural logarithm", lambda u: 1 / u),
    sp.Abs: ("absolute value", lambda u: sp.sign(u)),
}


def derivation(expr: sp.Expr, variable: sp.Symbol, thorough: bool = False) -> Derivation:
    """The rules' steps, ending in the form `deriv diff` prints (the same tidy step)."""
    root = diff_steps(expr, variable, _Placeholders(expr))
    return Derivation(root, textbook_form(differentiate(expr, variable), thorough))


class _Placeholders:
    """u, v, w, then u1, u2, ...: one name per inner function of a derivation, never reused."""

    def __init__(self, expr: sp.Expr) -> None:
        taken = {s.name for s in expr.free_symbols}
        candidates = ["u", "v", "w", *(f"u{n}" for n in range(1, 10_000))]
        self.names = (n for n in candidates if n not in taken)

    def next(self) -> sp.Symbol:
        return sp.Symbol(next(self.names), real=True)


def diff_steps(expr: sp.Expr, x: sp.Symbol, names: _Placeholders | None = None) -> Step:
    """The derivation tree of d expr / dx."""
    names = names or _Placeholders(expr)
    if not expr.has(x):
        rule = "variable rule" if expr.is_Symbol else "constant rule"
        return Step(rule, expr, x, sp.Integer(0))
    if expr == x:
        return Step("variable rule", expr, x, sp.Integer(1))
    if expr.is_Add:
        steps = [diff_steps(term, x, names) for term in expr.args]
        return _combine("sum rule", expr, x, steps, sp.Add)
    if expr.is_Mul:
        return _product(expr, x, names)
    if expr.is_Pow:
        return _power(expr, x, names)
    if type(expr) in FUNCTION_RULES:
        return _function(expr, x, names)
    return Step("differentiated directly", expr, x, sp.diff(expr, x))


def _combine(rule: str, expr: sp.Expr, x: sp.Symbol, steps: list[Step], join) -> Step:
    return Step(rule, expr, x, join(*(s.result for s in steps)), tuple(steps))


def _product(expr: sp.Mul, x: sp.Symbol, names: _Placeholders) -> Step:
    constant, rest = expr.as_independent(x, as_Add=False)
    if constant != 1:
        # d/dx (c·u) = c·u'
        inner = diff_steps(rest, x, names)
        return Step("constant multiple rule", expr, x, constant * inner.result, (inner,))
    numerator, denominator = sp.fraction(expr)
    if denominator.has(x) and numerator != 1:
        # d/dx (u/v) = (u'·v - u·v') / v²
        top, bottom = diff_steps(numerator, x, names), diff_steps(denominator, x, names)
        result = (top.result * denominator - numerator * bottom.result) / denominator**2
        return Step("quotient rule", expr, x, result, (top, bottom))
    # d/dx (u·v·w) = u'·v·w + u·v'·w + u·v·w'
    factors = expr.args
    steps = [diff_steps(f, x, names) for f in factors]
    terms = [
        sp.Mul(*(s.result if j == i else f for j, f in enumerate(factors)))
        for i, s in enumerate(steps)
    ]
    return Step("product rule", expr, x, sp.Add(*terms), tuple(steps))


def _power(expr: sp.Pow, x: sp.Symbol, names: _Placeholders) -> Step:
    base, exponent = expr.args
    if not exponent.has(x):
        rule = "square root rule" if exponent == sp.Rational(1, 2) else "power rule"
        # d/dx x^n = n·x^(n-1)
        return _chain(rule, expr, x, base, lambda u: exponent * u ** (exponent - 1), names)
    if not base.has(x):
        # d/dx a^u = a^u·ln(a)·u'
        rule = "exponential" if base == sp.E else "exponential (base a)"
        return _chain(rule, expr, x, exponent, lambda u: base**u * sp.log(base), names)
    # d/dx f^g = f^g·(g'·ln f + g·f'/f), by logarithmic differentiation
    f, g = diff_steps(base, x, names), diff_steps(exponent, x, names)
    result = expr * (g.result * sp.log(base) + exponent * f.result / base)
    parts = (base, exponent, f.result, g.result)
    rule = "general power rule (logarithmic differentiation)"
    return Step(rule, expr, x, result, (f, g), parts=parts)


def _function(expr: sp.Function, x: sp.Symbol, names: _Placeholders) -> Step:
    rule, outer = FUNCTION_RULES[type(expr)]
    step = _chain(rule, expr, x, expr.args[0], outer, names)
    if type(expr) is sp.Abs and step.rule == rule:  # sign(u) is the derivative where u != 0
        return replace(step, nonzero=expr.args[0])
    return step


def _chain(rule: str, expr: sp.Expr, x: sp.Symbol, inner: sp.Expr, outer, names) -> Step:  # type: ignore[no-untyped-def]
    """The rule itself when its argument is x; otherwise the chain rule around it, with the
    inner function named: let u = inner."""
    if inner == x:
        return Step(rule, expr, x, outer(x))
    # d/dx f(g(x)) = f'(g(x))·g'(x)
    u = names.next()
    outer_expr = expr.xreplace({inner: u})
    nonzero = u if type(expr) is sp.Abs else None
    outer_step = Step(rule, outer_expr, u, outer(u), nonzero=nonzero)
    inner_step = diff_steps(inner, x, names)
    result = outer(inner) * inner_step.result
    return Step("chain rule", expr, x, result, (outer_step, inner_step), let=(u, inner))
