"""Answers in the form a textbook prints: one tidy step that every command and --steps share.

SymPy returns a derivative in whatever form its rules leave it: 2x/(x - 1) - (x² + 1)/(x - 1)²
where a textbook prints (x² - 2x - 1)/(x - 1)². `textbook_form` tries a few cheap rewritings and
keeps the shortest by one measure: fewest operations (SymPy's count_ops), then fewest terms,
then fewest denominators, then fewest characters;
a tie goes to the earlier candidate, so the form SymPy returned wins unless another is shorter.
"""

from __future__ import annotations

import sympy as sp
from sympy.functions.elementary.hyperbolic import HyperbolicFunction
from sympy.functions.elementary.trigonometric import TrigonometricFunction

MAX_OPERATIONS = 60  # 3x the longest textbook answer measured; larger ones cost seconds to tidy
MAX_TRIG_OPERATIONS = 40  # identities are the slowest candidate
MAX_EXPANDED_POWER = 12  # (x + 1)^100 is not multiplied out to see whether it is shorter
FAMILIES = (TrigonometricFunction, HyperbolicFunction)


def textbook_form(expr: sp.Expr, thorough: bool = False) -> sp.Expr:
    """The shortest of expr and its rewritings; `thorough` adds SymPy's simplify, so it is never
    longer than the default. A rewriting may not bring in a decimal, or a function outside the
    families expr already uses: sin/cos may become tan, but e^-x never becomes cosh(x/2)."""
    if not isinstance(expr, sp.Expr) or expr.is_Atom:
        return expr
    expr = off_the_kinks(expr)
    size = sp.count_ops(expr)
    if size > MAX_OPERATIONS:
        return sp.simplify(expr) if thorough else expr
    candidates = [expr, *rewritings(expr, size)]
    if thorough:
        candidates.append(sp.simplify(expr))
    candidates += [signed for c in candidates if (signed := sign_absorbed(c)) is not None]
    allowed = [c for c in candidates if brings_nothing_new(c, expr)]
    return min(allowed, key=length)


def off_the_kinks(expr: sp.Expr) -> sp.Expr:
    """The formula where it holds: DiracDelta(u) comes from differentiating sign(u) or H(u),
    whose kink at u = 0 the result's note excludes, and it is 0 everywhere else."""
    deltas = expr.atoms(sp.DiracDelta)
    return expr.xreplace(dict.fromkeys(deltas, sp.Integer(0))) if deltas else expr


def length(expr: sp.Expr) -> tuple[int, int, int, int]:
    """Operations, then terms (one fraction rather than a sum of them), then denominators
    (-(x² + y²)/y³, not -(x²/y² + 1)/y), then characters."""
    denominators = sum(1 for p in expr.atoms(sp.Pow) if p.exp.is_negative)
    return sp.count_ops(expr), len(sp.Add.make_args(expr)), denominators, len(str(expr))


def rewritings(expr: sp.Expr, size: int) -> list[sp.Expr]:
    """Candidates; a polynomial only multiplied out, as textbooks print one (2x·y + y², not
    y·(2x + y)), unless SymPy's own form is shorter: 3(x + 1)² stays."""
    if _has_high_power(expr):
        return [sp.factor_terms(expr)]
    if expr.is_polynomial():
        return [sp.expand(expr)]
    found = [sp.factor_terms(expr), sp.expand(expr)]
    combined = sp.together(expr)  # one fraction over the typed denominators: (1 - x²)²
    numerator, denominator = sp.fraction(combined)
    found.append(sp.expand(numerator) / denominator)
    numerator, denominator = sp.fraction(sp.cancel(combined))  # common factors cancelled
    found.append(numerator / denominator)
    for over in (sp.factor(denominator), sp.sqf(denominator)):  # (x - 1)²(x + 1)², (x² - 1)²
        found += [sp.expand(numerator) / over, sp.factor(numerator) / over]
    if numerator.could_extract_minus_sign():  # -1/(x² - 1) is 1/(1 - x²)
        found.append(sp.expand(-numerator) / sp.expand(-denominator))
    if size <= MAX_TRIG_OPERATIONS and _identity_may_apply(expr):
        identity = identities_applied(expr)
        found += [identity, reciprocals_named(identity)]
    return found


def identities_applied(expr: sp.Expr) -> sp.Expr:
    """SymPy's trigsimp with each argument of sin, cosh, ... standing as one symbol: identities
    of one argument (1 - tanh² = 1/cosh²) apply, and angle sums are never expanded, which
    would take seconds on tanh(w1·x1 + w2·x2 + b)."""
    calls = [f for f in expr.atoms(sp.Function) if _family(type(f))]
    symbols = {arg: sp.Dummy(real=True) for arg in {f.args[0] for f in calls}}
    atomic = expr.xreplace({f: f.func(symbols[f.args[0]]) for f in calls})
    return sp.trigsimp(atomic).xreplace({s: arg for arg, s in symbols.items()})


def reciprocals_named(expr: sp.Expr) -> sp.Expr:
    """1/cos(x)² as sec(x)², 1/sin(x) as csc(x): the textbook's d/dx tan(x) = sec(x)²."""
    names = {sp.cos: sp.sec, sp.sin: sp.csc}
    powers = [p for p in expr.atoms(sp.Pow) if p.exp.is_negative and type(p.base) in names]
    return expr.xreplace({p: names[type(p.base)](*p.base.args) ** -p.exp for p in powers})


def sign_absorbed(expr: sp.Expr) -> sp.Expr | None:
    """A leading minus taken into a sum it multiplies: -x·(x - 2)/(x + 1)⁴ is x·(2 - x)/(x + 1)⁴."""
    numerator, denominator = sp.fraction(expr)
    if not (numerator.is_Mul and numerator.args[0] == -1):
        return None
    factors = list(numerator.args[1:])
    for i, factor in enumerate(factors):
        if factor.is_Add:
            factors[i] = sp.Add(*(-term for term in factor.args))
            return sp.Mul(*factors) / denominator
    return None


def _identity_may_apply(expr: sp.Expr) -> bool:
    """A trigonometric or hyperbolic identity can only shorten a power of such a function
    (1 + tan² = sec²) or two of them of one argument (sin/cos = tan): anything else skips the
    slow trigsimp."""
    calls = [f for f in expr.atoms(sp.Function) if _family(type(f))]
    if any(p.base in calls for p in expr.atoms(sp.Pow)):
        return True
    arguments = [(_family(type(f)), f.args) for f in calls]
    return len(set(arguments)) < len(arguments)


def _has_high_power(expr: sp.Expr) -> bool:
    return any(
        p.base.is_Add and p.exp.is_Integer and abs(p.exp) > MAX_EXPANDED_POWER
        for p in expr.atoms(sp.Pow)
    )


def brings_nothing_new(candidate: sp.Expr, expr: sp.Expr) -> bool:
    """No new decimal; no new argument of a trigonometric or hyperbolic function (2·sin(x)·cos(x)
    does not become sin(2x)); and a new function only of a family expr uses, where it stands for
    several calls, or for sin, cos, ... is strictly shorter: -sin(x)/cos(x) is -tan(x) and
    tan(x)² + 1 is sec(x)², but 1 - tanh(x)² stays, as backpropagation lectures write it."""
    if not candidate.atoms(sp.Float) <= expr.atoms(sp.Float):
        return False
    if not _family_arguments(candidate) <= _family_arguments(expr):
        return False
    before, after = _functions(expr), _functions(candidate)
    if after <= before:
        return True
    families = {_family(g) for g in before} - {None}
    if not all(f in before or _family(f) in families for f in after):
        return False
    trigonometric = all(issubclass(f, TrigonometricFunction) for f in after - before)
    shorter = trigonometric and sp.count_ops(candidate) < sp.count_ops(expr)
    return _calls(candidate) < _calls(expr) or shorter


def _calls(expr: sp.Expr) -> int:
    return sum(1 for node in sp.preorder_traversal(expr) if _family(type(node)))


def _family_arguments(expr: sp.Expr) -> set[sp.Expr]:
    return {f.args[0] for f in expr.atoms(sp.Function) if _family(type(f))}


def _functions(expr: sp.Expr) -> set[type]:
    found = {type(f) for f in expr.atoms(sp.Function)}
    return found | ({sp.exp} if expr.has(sp.E) else set())


def _family(function: type) -> type | None:
    return next((family for family in FAMILIES if issubclass(function, family)), None)
