"""The derivative from its definition, f'(x) = lim_{h -> 0} (f(x + h) - f(x))/h, with the algebra
a teacher writes on the board: for polynomials (expand, cancel h), rational functions (a common
denominator), square roots of polynomials (the conjugate) and sin and cos (the angle-addition
formulas and the two standard limits). Any other f falls back to the rules, and says so.

Each derivation is checked against SymPy's derivative before it is returned; one that does not
agree is not shown (the rules' answer is, marked so).
"""

from __future__ import annotations

import sympy as sp

from .differentiation import differentiate
from .forms import textbook_form
from .results import Definition, Function, LimitStep
from .values import as_fractions

DEFINITION = "the definition"
STEP_NAMES = ("h", "k", "δ")  # the step's name: h, unless f uses it


def from_definition(function: Function, x: sp.Symbol) -> Definition:
    f = as_fractions(function.expr)
    rules = textbook_form(differentiate(f, x))
    used = {s.name for s in f.free_symbols} | {x.name}
    step = sp.Symbol(next(n for n in STEP_NAMES if n not in used), real=True)
    for family, derive in FAMILIES:
        # 2 sin x, 5√x: the constant rides along (a polynomial's or quotient's own algebra has it)
        constant, g = f.as_independent(x, as_Add=False) if family in SCALED else (1, f)
        steps = derive(g, x, step) if recognise(family, g, x) else None
        steps = [scaled(s, constant) for s in steps] if steps and constant != 1 else steps
        if steps and sp.simplify(steps[-1].body - rules) == 0:
            return Definition(function, x, family, tuple(steps), rules, step)
    return Definition(function, x, "rules", (), rules, step)


def scaled(step: LimitStep, constant: sp.Expr) -> LimitStep:
    above = tuple(
        sp.Mul(constant, a, evaluate=False) if a.is_Add else constant * a for a in step.above
    )
    return LimitStep(above, step.below, step.reason, step.limit)


def recognise(family: str, f: sp.Expr, x: sp.Symbol) -> bool:
    if family == "polynomial":
        return f.is_polynomial(x)
    if family == "rational":
        return f.is_rational_function(x)
    if family == "root":
        return f.is_Pow and f.exp == sp.Rational(1, 2) and f.base.is_polynomial(x)
    return f == {"sine": sp.sin, "cosine": sp.cos}[family](x)


def opening(f: sp.Expr, x: sp.Symbol, H: sp.Symbol) -> LimitStep:
    return LimitStep((f.xreplace({x: x + H}), f), H, DEFINITION)


def polynomial(f: sp.Expr, x: sp.Symbol, H: sp.Symbol) -> list[LimitStep]:
    above = sp.expand(f.xreplace({x: x + H}) - f)
    quotient = sp.expand(above / H)
    return [
        opening(f, x, H),
        LimitStep((above,), H, f"expand: the terms without {H} cancel"),
        LimitStep((quotient,), None, f"divide by {H} ({H} ≠ 0)"),
        LimitStep((quotient.xreplace({H: 0}),), None, f"let {H} → 0", limit=False),
    ]


def rational(f: sp.Expr, x: sp.Symbol, H: sp.Symbol) -> list[LimitStep]:
    top, bottom = sp.fraction(sp.cancel(f))
    moved_top, moved_bottom = (e.xreplace({x: x + H}) for e in (top, bottom))
    above = sp.expand(moved_top * bottom - top * moved_bottom)
    below = sp.Mul(bottom, moved_bottom, evaluate=False)
    quotient = sp.expand(above / H)
    limit = textbook_form(quotient.xreplace({H: 0}) / bottom**2)
    return [
        opening(f, x, H),
        LimitStep(
            (above,), sp.Mul(H, bottom, moved_bottom, evaluate=False), "over a common denominator"
        ),
        LimitStep((quotient,), below, f"divide by {H} ({H} ≠ 0)"),
        LimitStep((limit,), None, f"let {H} → 0", limit=False),
    ]


def root(f: sp.Expr, x: sp.Symbol, H: sp.Symbol) -> list[LimitStep]:
    inside = f.base
    moved = inside.xreplace({x: x + H})
    conjugate = sp.Add(sp.sqrt(moved), sp.sqrt(inside), evaluate=False)
    quotient = sp.expand((moved - inside) / H)
    limit = textbook_form(quotient.xreplace({H: 0}) / (2 * sp.sqrt(inside)))
    return [
        opening(f, x, H),
        LimitStep(
            (moved, inside),
            sp.Mul(H, conjugate, evaluate=False),
            "multiply above and below by the conjugate",
        ),
        LimitStep((quotient,), conjugate, f"expand, and divide by {H} ({H} ≠ 0)"),
        LimitStep((limit,), None, f"let {H} → 0", limit=False),
    ]


def trigonometric(f: sp.Expr, x: sp.Symbol, H: sp.Symbol) -> list[LimitStep]:
    sine = isinstance(f, sp.sin)
    s, c = sp.sin(x), sp.cos(x)
    expanded = s * sp.cos(H) + c * sp.sin(H) if sine else c * sp.cos(H) - s * sp.sin(H)
    slope, other = (s, c) if sine else (c, -s)
    grouped = sp.Add(
        sp.Mul(slope, ratio(sp.cos(H) - 1, H), evaluate=False),
        sp.Mul(other, ratio(sp.sin(H), H), evaluate=False),
        evaluate=False,
    )
    a, b = x.name, H.name
    identity = (
        f"sin({a} + {b}) = sin {a}·cos {b} + cos {a}·sin {b}"
        if sine
        else f"cos({a} + {b}) = cos {a}·cos {b} - sin {a}·sin {b}"
    )
    return [
        opening(f, x, H),
        LimitStep((expanded, f), H, identity),
        LimitStep((grouped,), None, f"group the terms in cos {H} - 1 and sin {H}"),
        LimitStep((other,), None, f"(cos {H} - 1)/{H} → 0 and sin {H}/{H} → 1", limit=False),
    ]


def ratio(above: sp.Expr, H: sp.Symbol) -> sp.Expr:
    return sp.Mul(above, sp.Pow(H, -1, evaluate=False), evaluate=False)


SCALED = ("root", "sine", "cosine")
FAMILIES = (
    ("polynomial", polynomial),
    ("rational", rational),
    ("root", root),
    ("sine", trigonometric),
    ("cosine", trigonometric),
)
