"""Rule-by-rule derivations, as data: each Step names its rule, the expression it applies to,
its result, and the sub-steps it needs. Explaining a step in words is the renderers' job.

The rules follow the expression as SymPy holds what the user wrote: `6x^2` is a constant
multiple of a power, `(x^2+1)/(x-1)` a quotient. A construct with no rule here is
"differentiated directly", never given an invented rule.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sympy as sp

from .differentiation import differentiate


@dataclass(frozen=True)
class Step:
    rule: str
    expr: sp.Expr
    variable: sp.Symbol
    result: sp.Expr
    substeps: tuple[Step, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Derivation:
    """The steps of d/d variable of a function, and the simplified result `deriv diff` gives."""

    root: Step
    final: sp.Expr

    @property
    def simplified(self) -> bool:
        return self.final != self.root.result


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


def derivation(expr: sp.Expr, variable: sp.Symbol) -> Derivation:
    root = diff_steps(expr, variable)
    return Derivation(root, simplest(root.result, differentiate(expr, variable)))


def simplest(raw: sp.Expr, direct: sp.Expr) -> sp.Expr:
    """The shortest of SymPy's direct derivative and, for a small result, simplified forms."""
    candidates = [direct]
    if sp.count_ops(raw) <= 60:
        candidates += [sp.simplify(raw), sp.factor(raw)]
    return min(candidates, key=lambda e: len(str(e)))


def diff_steps(expr: sp.Expr, x: sp.Symbol) -> Step:
    """The derivation tree of d expr / dx."""
    if not expr.has(x):
        rule = "variable rule" if expr.is_Symbol else "constant rule"
        return Step(rule, expr, x, sp.Integer(0))
    if expr == x:
        return Step("variable rule", expr, x, sp.Integer(1))
    if expr.is_Add:
        return _combine("sum rule", expr, x, [diff_steps(term, x) for term in expr.args], sp.Add)
    if expr.is_Mul:
        return _product(expr, x)
    if expr.is_Pow:
        return _power(expr, x)
    if type(expr) in FUNCTION_RULES:
        return _function(expr, x)
    return Step("differentiated directly", expr, x, sp.diff(expr, x))


def _combine(rule: str, expr: sp.Expr, x: sp.Symbol, steps: list[Step], join) -> Step:
    return Step(rule, expr, x, join(*(s.result for s in steps)), tuple(steps))


def _product(expr: sp.Mul, x: sp.Symbol) -> Step:
    constant, rest = expr.as_independent(x, as_Add=False)
    if constant != 1:
        # d/dx (c·u) = c·u'
        inner = diff_steps(rest, x)
        return Step("constant multiple rule", expr, x, constant * inner.result, (inner,))
    numerator, denominator = sp.fraction(expr)
    if denominator.has(x) and numerator != 1:
        # d/dx (u/v) = (u'·v - u·v') / v²
        top, bottom = diff_steps(numerator, x), diff_steps(denominator, x)
        result = (top.result * denominator - numerator * bottom.result) / denominator**2
        return Step("quotient rule", expr, x, result, (top, bottom))
    # d/dx (u·v·w) = u'·v·w + u·v'·w + u·v·w'
    factors = expr.args
    steps = [diff_steps(f, x) for f in factors]
    terms = [
        sp.Mul(*(s.result if j == i else f for j, f in enumerate(factors)))
        for i, s in enumerate(steps)
    ]
    return Step("product rule", expr, x, sp.Add(*terms), tuple(steps))


def _power(expr: sp.Pow, x: sp.Symbol) -> Step:
    base, exponent = expr.args
    if not exponent.has(x):
        rule = "square root rule" if exponent == sp.Rational(1, 2) else "power rule"
        # d/dx x^n = n·x^(n-1)
        return _chain(rule, expr, x, base, lambda u: exponent * u ** (exponent - 1))
    if not base.has(x):
        # d/dx a^u = a^u·ln(a)·u'
        rule = "exponential" if base == sp.E else "exponential (base a)"
        return _chain(rule, expr, x, exponent, lambda u: base**u * sp.log(base))
    # d/dx f^g = f^g·(g'·ln f + g·f'/f), by logarithmic differentiation
    f, g = diff_steps(base, x), diff_steps(exponent, x)
    result = expr * (g.result * sp.log(base) + exponent * f.result / base)
    return Step("general power rule (logarithmic differentiation)", expr, x, result, (f, g))


def _function(expr: sp.Function, x: sp.Symbol) -> Step:
    rule, outer = FUNCTION_RULES[type(expr)]
    note = "x ≠ 0".replace("x", str(expr.args[0])) if type(expr) is sp.Abs else ""
    step = _chain(rule, expr, x, expr.args[0], outer)
    return Step(step.rule, step.expr, step.variable, step.result, step.substeps, note or step.note)


def _chain(rule: str, expr: sp.Expr, x: sp.Symbol, inner: sp.Expr, outer) -> Step:
    """The rule itself when its argument is x; otherwise the chain rule around it."""
    if inner == x:
        return Step(rule, expr, x, outer(x))
    # d/dx f(g(x)) = f'(g(x))·g'(x)
    u = _placeholder(expr)
    outer_expr = expr.xreplace({inner: u})
    outer_step = Step(rule, outer_expr, u, outer(u))
    inner_step = diff_steps(inner, x)
    result = outer(inner) * inner_step.result
    return Step("chain rule", expr, x, result, (outer_step, inner_step))


def _placeholder(expr: sp.Expr) -> sp.Symbol:
    """A name for the inner function, u unless the expression already uses it."""
    taken = {s.name for s in expr.free_symbols}
    name = next(n for n in ("u", "v", "w", "s", "t", "u1", "u2", "u3") if n not in taken)
    return sp.Symbol(name, real=True)
