"""Where f is defined, and where it may have a corner, recorded from what the user typed.

SymPy rewrites while it builds: `exp(ln(x))` becomes `x` and `sqrt(x)^2` becomes `x`, losing the
requirement x > 0 that the typed function carries. The parser records each requirement as it
reads a call, a quotient or a power, so a point is checked against the function as written.

A Condition is a requirement for f to be defined and real (`ln` needs a positive argument).
A Kink marks where f is defined but its derivative formula may not hold: |u| and sign(u) at
u = 0, a root at 0, asin at ±1. Both are plain data; `points.py` decides what they mean at a point.

A Reading says how a glued word was read (`sinx` as sin(x)): the typed facts travel together
from the parser to the notes.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

POSITIVE, NONNEGATIVE, NONZERO = "> 0", ">= 0", "!= 0"
UNIT, OPEN_UNIT, AT_LEAST_ONE = "in [-1, 1]", "in (-1, 1)", ">= 1"
# Where a kink's formula holds: off the kink, inside the interval, above 1.
OFF_ZERO, ABOVE_ZERO, INSIDE_UNIT, ABOVE_ONE = "!= 0", "> 0", "in (-1, 1)", "> 1"
# The argument's values at which each stops holding: the kink's edges.
EDGES = {OFF_ZERO: (0,), ABOVE_ZERO: (0,), INSIDE_UNIT: (-1, 1), ABOVE_ONE: (1,)}


@dataclass(frozen=True)
class Condition:
    """`name`(arg) needs arg `relation`: ln needs arg > 0; "/" marks a denominator."""

    name: str
    arg: sp.Expr
    relation: str
    exponent: sp.Expr | None = None  # for "^": the power the base is raised to


@dataclass(frozen=True)
class Kink:
    """f's formula for a derivative holds where arg `holds` (|x|: x != 0); elsewhere the
    point is decided from the definition."""

    name: str
    arg: sp.Expr
    holds: str


@dataclass(frozen=True)
class Reading:
    """A word read as a function applied to the rest of it: `word` "sin2x" as "sin(2x)"."""

    word: str
    read_as: str


@dataclass(frozen=True)
class Domain:
    """What the typed text says that the built expression no longer does: the requirements, the
    kinks, and whether its numbers were typed as decimals (they are read as exact fractions,
    0.3 as 3/10, and shown as decimals again)."""

    conditions: tuple[Condition, ...] = ()
    kinks: tuple[Kink, ...] = ()
    decimals: bool = False
    readings: tuple[Reading, ...] = ()

    def __or__(self, other: Domain) -> Domain:
        return Domain(
            tuple(dict.fromkeys(self.conditions + other.conditions)),
            tuple(dict.fromkeys(self.kinks + other.kinks)),
            self.decimals or other.decimals,
            tuple(dict.fromkeys(self.readings + other.readings)),
        )

    @property
    def symbols(self) -> set[sp.Symbol]:
        """The variables the requirements mention (x for x/x, which SymPy reads as 1)."""
        args = [c.arg for c in self.conditions] + [k.arg for k in self.kinks]
        return set().union(*(a.free_symbols for a in args)) if args else set()

    def xreplace(self, mapping: dict) -> Domain:
        return Domain(
            tuple(
                Condition(c.name, c.arg.xreplace(mapping), c.relation, c.exponent)
                for c in self.conditions
            ),
            tuple(
                dict.fromkeys(kink(k.name, k.arg.xreplace(mapping), k.holds) for k in self.kinks)
            ),
            self.decimals,
            self.readings,
        )


EMPTY = Domain()
DECIMALS = Domain(decimals=True)

# What a function of one argument needs, and where its derivative formula stops holding.
CALLS: dict[str, tuple[str | None, str | None]] = {
    "ln": (POSITIVE, None),
    "log": (POSITIVE, None),
    "sqrt": (NONNEGATIVE, ABOVE_ZERO),
    "asin": (UNIT, INSIDE_UNIT),
    "acos": (UNIT, INSIDE_UNIT),
    "arcsin": (UNIT, INSIDE_UNIT),
    "arccos": (UNIT, INSIDE_UNIT),
    "acosh": (AT_LEAST_ONE, ABOVE_ONE),
    "atanh": (OPEN_UNIT, None),
    "abs": (None, OFF_ZERO),
    "sign": (None, OFF_ZERO),
    "cbrt": (None, OFF_ZERO),
    "relu": (None, OFF_ZERO),
    "heaviside": (None, OFF_ZERO),
}
POLES = {"tan": sp.cos, "sec": sp.cos, "cot": sp.sin, "csc": sp.sin}  # defined where != 0


def of_call(name: str, args: list[sp.Expr]) -> Domain:
    """The requirements of name(args...) as typed."""
    if not any(a.free_symbols for a in args):
        return EMPTY
    if name == "log" and len(args) == 2:  # log(x, b): x > 0, b > 0, b != 1
        x, base = args
        conditions = [Condition("log", x, POSITIVE), Condition("log", base, POSITIVE)]
        return Domain(tuple(c for c in conditions if c.arg.free_symbols)) | _nonzero(
            "log", base - 1
        )
    if name == "root":
        return of_root(*args)
    if name in ("max", "min"):  # a corner where two arguments tie
        ties = (kink(name, a - b, OFF_ZERO) for i, a in enumerate(args) for b in args[i + 1 :])
        return Domain((), tuple(k for k in ties if k.arg.free_symbols))
    arg = args[0]
    if name in POLES:
        return _nonzero(name, POLES[name](arg))
    needs, holds = CALLS.get(name, (None, None))
    conditions = (Condition(name, arg, needs),) if needs else ()
    kinks = (kink(name, arg, holds),) if holds else ()
    return Domain(conditions, kinks)


def of_root(arg: sp.Expr, degree: sp.Expr) -> Domain:
    """root(x, n): the real n-th root; even n needs x >= 0; both have a vertical tangent at 0."""
    if not arg.free_symbols:
        return EMPTY
    even = degree.is_Integer and degree % 2 == 0
    conditions = (Condition("root", arg, NONNEGATIVE),) if even else ()
    return Domain(conditions, (kink("root", arg, ABOVE_ZERO if even else OFF_ZERO),))


def of_power(base: sp.Expr, exponent: sp.Expr) -> Domain:
    """base^exponent as typed: a negative power needs base != 0, a fractional one base >= 0,
    a variable exponent a positive base."""
    if not base.free_symbols:
        return EMPTY
    if exponent.free_symbols or not exponent.is_Rational:
        return Domain((Condition("^", base, POSITIVE, exponent),))
    if exponent.is_Integer:
        return _nonzero("/", base) if exponent < 0 else EMPTY
    relation = NONNEGATIVE if exponent > 0 else POSITIVE
    return Domain((Condition("^", base, relation, exponent),), (kink("^", base, ABOVE_ZERO),))


def kink(name: str, arg: sp.Expr, holds: str) -> Kink:
    """A kink, with a power of the argument reduced to its base: sqrt(x²) holds where x != 0."""
    while holds in (OFF_ZERO, ABOVE_ZERO) and arg.is_Pow and arg.exp.is_Integer and arg.exp > 0:
        holds = OFF_ZERO if arg.exp % 2 == 0 else holds
        arg = arg.base
    return Kink(name, arg, holds)


def of_quotient(divisor: sp.Expr) -> Domain:
    return _nonzero("/", divisor) if divisor.free_symbols else EMPTY


def _nonzero(name: str, arg: sp.Expr) -> Domain:
    return Domain((Condition(name, arg, NONZERO),))


# The SymPy classes a built expression can hold, by the name the parser knows them under.
CLASSES = {
    sp.log: "ln",
    sp.asin: "asin",
    sp.acos: "acos",
    sp.acosh: "acosh",
    sp.atanh: "atanh",
    sp.Abs: "abs",
    sp.sign: "sign",
    sp.Max: "max",
    sp.Min: "min",
    sp.Heaviside: "heaviside",
    sp.tan: "tan",
    sp.sec: "sec",
    sp.cot: "cot",
    sp.csc: "csc",
}


def of_expr(expr: sp.Expr) -> Domain:
    """The requirements visible in a built expression (what SymPy's rewriting kept)."""
    found = EMPTY
    for node in _distinct_nodes(expr):
        if node.is_Pow:
            found = found | of_power(*node.args)
        elif type(node) in CLASSES:
            found = found | of_call(CLASSES[type(node)], list(node.args))
        elif getattr(node, "domain_name", None):
            found = found | of_call(node.domain_name, list(node.args))
    return found


def _distinct_nodes(expr: sp.Expr) -> list[sp.Expr]:
    """Each distinct sub-expression once: a network's loss repeats its layers many times."""
    seen: dict[sp.Expr, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if node in seen or not node.free_symbols:
            continue
        seen[node] = None
        stack.extend(reversed(node.args))
    return list(seen)


def hidden_denominators(domain: Domain, shown: tuple[sp.Expr, ...]) -> list[sp.Expr]:
    """The typed denominators the shown formulas no longer divide by: f = (x² - 1)/(x - 1) has
    f' = 1, which holds only where x - 1 != 0. A denominator that is not a polynomial, or that
    shares a factor with a shown denominator, counts as visible."""
    typed = [
        c.arg
        for c in domain.conditions
        if c.name == "/" and c.arg.free_symbols and c.arg.is_polynomial()
    ]
    if not typed:
        return []
    below = [sp.Mul(*(sp.fraction(t)[1] for t in sp.Add.make_args(e))) for e in shown]
    hidden = [
        arg for arg in typed if all(b.is_polynomial() and sp.gcd(b, arg).is_number for b in below)
    ]
    return list(dict.fromkeys(hidden))
