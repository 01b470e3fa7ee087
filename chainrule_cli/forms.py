"""Answers in the form a textbook prints: one tidy step that every command and --steps share.

SymPy returns a derivative in whatever form its rules leave it: 2x/(x - 1) - (x² + 1)/(x - 1)²
where a textbook prints (x² - 2x - 1)/(x - 1)². `textbook_form` tries a few cheap rewritings and
keeps the shortest by one measure: fewest operations (SymPy's count_ops), then fewest terms,
then fewest denominators, then fewest characters;
a tie goes to the earlier candidate, so the form SymPy returned wins unless another is shorter.
"""

from __future__ import annotations

from collections import Counter

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
    allowed = [c for c in dict.fromkeys(candidates) if brings_nothing_new(c, expr)]
    return shortest(allowed)


def shortest(candidates: list[sp.Expr]) -> sp.Expr:
    """The first of the shortest by `length`, counting characters only to break a tie."""
    operations = [sp.count_ops(c) for c in candidates]
    fewest = [c for c, n in zip(candidates, operations) if n == min(operations)]
    return fewest[0] if len(fewest) == 1 else min(fewest, key=length)


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
    found += fractions(expr)
    if size <= MAX_TRIG_OPERATIONS and _identity_may_apply(expr):
        identity = identities_applied(expr)
        # collected by the variables, 2x·tan(x)² + 2x is 2x·(tan(x)² + 1): one more identity
        collected = sp.collect(identity, sorted(expr.free_symbols, key=str))
        again = identities_applied(collected) if collected != identity else identity
        found += [identity, reciprocals_named(identity), again, reciprocals_named(again)]
    return found


def fractions(expr: sp.Expr) -> list[sp.Expr]:
    """One fraction over the typed denominators ((1 - x²)²), then with common factors
    cancelled, its numerator expanded or factored over the denominator factored or square-free
    ((x - 1)²(x + 1)², (x² - 1)²), and its sign moved (-1/(x² - 1) is 1/(1 - x²))."""
    over = [term for term in sp.Add.make_args(expr) if sp.fraction(term)[1] != 1]
    if not over or (expr.is_Add and len(over) < 2):  # nothing to bring over one denominator
        return []
    combined = sp.together(expr)
    numerator, denominator = sp.fraction(combined)
    found = [sp.expand(numerator) / denominator]
    numerator, denominator = sp.fraction(sp.cancel(combined))
    found.append(numerator / denominator)
    expanded = sp.expand(numerator)
    # factor on a polynomial; elsewhere common factors only, at a tenth of the cost
    factored = sp.factor(numerator) if numerator.is_polynomial() else sp.factor_terms(numerator)
    for over in dict.fromkeys((sp.factor(denominator), sp.sqf(denominator))):
        found += [expanded / over, factored / over]
    if numerator.could_extract_minus_sign():
        found.append(sp.expand(-numerator) / sp.expand(-denominator))
    return found


def identities_applied(expr: sp.Expr) -> sp.Expr:
    """SymPy's trigsimp on the parts of expr made only of trigonometric and hyperbolic calls and
    numbers (tan(x)² + 1, sinh(x)/cosh(x), the sum or product of such terms or factors), with
    each call's argument standing as one symbol: identities of one argument apply (1 + tan² =
    1/cos²), angle sums are never expanded, and the rest of expr costs nothing. trigsimp of
    the whole took seconds to minutes on a sum with atan(x² + 4) or a polynomial in it."""
    masks: dict[sp.Expr, sp.Dummy] = {}
    skeleton = _masked(expr, masks)
    return _pure_parts_simplified(skeleton).xreplace({s: part for part, s in masks.items()})


def _pure_parts_simplified(expr: sp.Expr) -> sp.Expr:
    if expr.is_Atom:
        return expr
    if _pure(expr):
        return _trigsimp(expr)
    if expr.is_Add or expr.is_Mul:
        pure = [arg for arg in expr.args if _pure(arg)]
        rest = [_pure_parts_simplified(arg) for arg in expr.args if not _pure(arg)]
        return expr.func(_trigsimp(expr.func(*pure)), *rest)
    return expr.func(*(_pure_parts_simplified(arg) for arg in expr.args))


def _trigsimp(expr: sp.Expr) -> sp.Expr:
    """trigsimp where an identity of one argument can apply and give a form brings_nothing_new
    accepts: a sum with a power of a call (tan² + 1), or two calls of one argument (sin/cos).
    One hyperbolic function (1 - tanh(u)², the ML lectures' form) could only become another,
    with as many calls. Elsewhere trigsimp takes tens of milliseconds to change nothing."""
    calls = [f for f in expr.atoms(sp.Function) if _family(type(f))]
    by_argument = Counter(f.args for f in calls)
    if len(calls) == 1 and _family(type(calls[0])) is HyperbolicFunction:
        return expr
    power_in_sum = expr.is_Add and any(p.base in calls for p in expr.atoms(sp.Pow))
    if power_in_sum or any(n > 1 for n in by_argument.values()):
        return sp.trigsimp(expr)
    return expr


def _pure(expr: sp.Expr) -> bool:
    """Only calls of sin, cosh, ... (of masked arguments) and numbers."""
    calls = [f for f in expr.atoms(sp.Function) if _family(type(f))]
    return not expr.xreplace(dict.fromkeys(calls, _CALL)).free_symbols - {_CALL}


_CALL = sp.Dummy("call")


def _masked(expr: sp.Expr, masks: dict[sp.Expr, sp.Dummy]) -> sp.Expr:
    """expr with each argument of sin, cosh, ... and each part free of them as one symbol."""
    if expr.is_Number:
        return expr
    if _family(type(expr)):
        argument = expr.args[0]
        return expr.func(masks.setdefault(argument, sp.Dummy(real=True)))
    if not any(_family(type(f)) for f in expr.atoms(sp.Function)):
        return masks.setdefault(expr, sp.Dummy(real=True))
    return expr.func(*(_masked(arg, masks) for arg in expr.args))


def reciprocals_named(expr: sp.Expr) -> sp.Expr:
    """1/cos(x)² as sec(x)², 1/sin(x) as csc(x), the textbook's d/dx tan(x) = sec(x)², in the
    terms whose numerator has no sin or cos: (1 - cos(x))/sin(x)² stays a quotient."""
    return sp.Add(*(_reciprocals_named(term) for term in sp.Add.make_args(expr)))


def _reciprocals_named(term: sp.Expr) -> sp.Expr:
    names = {sp.cos: sp.sec, sp.sin: sp.csc}
    if sp.fraction(term)[0].has(sp.sin, sp.cos):
        return term
    powers = [p for p in term.atoms(sp.Pow) if p.exp.is_negative and type(p.base) in names]
    return term.xreplace({p: names[type(p.base)](*p.base.args) ** -p.exp for p in powers})


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
    """No new fraction or decimal ((3 + 5/√x)/10 for 3/10 + 1/(2√x)); no new argument of a
    trigonometric or hyperbolic function (2·sin(x)·cos(x) does not become sin(2x)); and a new
    function only of a family expr uses, where it stands for several calls, or for sin, cos, ...
    is strictly shorter: -sin(x)/cos(x) is -tan(x) and tan(x)² + 1 is sec(x)², but
    1 - tanh(x)² stays, as backpropagation lectures write it."""
    if not _fractions(candidate) <= _fractions(expr):
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


def _fractions(expr: sp.Expr) -> set[sp.Expr]:
    """The numbers that are not whole: 0.3 typed is 3/10, and (3 + 5/√x)/10 is no tidier."""
    return {q for q in expr.atoms(sp.Rational, sp.Float) if not q.is_Integer}


def _calls(expr: sp.Expr) -> int:
    return sum(1 for node in sp.preorder_traversal(expr) if _family(type(node)))


def _family_arguments(expr: sp.Expr) -> set[sp.Expr]:
    return {f.args[0] for f in expr.atoms(sp.Function) if _family(type(f))}


def _functions(expr: sp.Expr) -> set[type]:
    found = {type(f) for f in expr.atoms(sp.Function)}
    return found | ({sp.exp} if expr.has(sp.E) else set())


def _family(function: type) -> type | None:
    return next((family for family in FAMILIES if issubclass(function, family)), None)
