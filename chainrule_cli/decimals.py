"""Decimals as the user typed them: read as the exact fractions they are, shown as decimals.

0.3 is read as 3/10, so that exp(x - 0.3) - 1 is 0 at x = 0.3 exactly and x·(1 + 1e-17) - x is
x/10¹⁷, not 0 (SymPy would turn exp(-0.3) into a 15-digit float and 1 + 1e-17 into 1.0). The
parser records that the text had decimals; the API's results are then shown with decimals
again (`with_decimals`): each fraction a decimal writes exactly, 3/10 -> 0.3, in every formula and
value of the result. A root stays a root (√x, not x^0.5), a fraction such as 1/3 stays a
fraction in a formula, and the points the user gave stay as given.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping

import sympy as sp

from .errors import DerivError
from .lexer import NUMBER, is_decimal, tokenize
from .results import Absolute, Critical, Extremum, Inflection, Value
from .values import ROOTS, decimal_form, decimal_number, exact_digits

LARGE_INTEGER = 10**15  # whole numbers from here on are shown as 1.0e+15 ...
POINTS = ("point", "counterpoint")  # the points given: shown as they were given
DECIDED = (Critical, Extremum, Inflection, Absolute)  # analysis shows these itself


def typed_decimals(value: object) -> bool:
    """Whether an input, as text, a number, a SymPy object or a collection of them, has a
    number written as a decimal (0.5, 1e-3)."""
    if isinstance(value, str):
        try:
            return any(t.kind == NUMBER and is_decimal(t.text) for t in tokenize(value))
        except DerivError:  # text the parser refuses with its own message
            return False
    if isinstance(value, float):
        return True
    if isinstance(value, sp.Basic):
        return value.has(sp.Float)
    if isinstance(value, Mapping):
        return any(typed_decimals(v) for v in value.values())
    if isinstance(value, Iterable):
        return any(typed_decimals(v) for v in value)
    return False


def shown_as_decimal(number: sp.Rational) -> bool:
    """A fraction a decimal writes exactly, or a whole number too long to read (1e20)."""
    if number.is_Integer:
        return abs(number) >= LARGE_INTEGER
    return exact_digits(number) is not None


def decimal_display(expr: sp.Expr) -> sp.Expr:
    """expr with its fractions written as decimals (3/10 -> 0.3), left unevaluated so that
    exp(x - 0.3) stays as typed; the exponents of roots stay 1/2."""
    if not isinstance(expr, sp.Basic) or not any(
        shown_as_decimal(q) for q in expr.atoms(sp.Rational)
    ):
        return expr
    with sp.evaluate(False):
        return _rebuilt(expr)


def _rebuilt(node: sp.Basic, exponent: bool = False) -> sp.Basic:
    if isinstance(node, sp.Rational):
        if exponent and node in ROOTS or not shown_as_decimal(node):
            return node
        return decimal_number(node)
    if not node.args or not isinstance(node, sp.Expr):
        return node
    if node.is_Pow:
        return sp.Pow(_rebuilt(node.base), _rebuilt(node.exp, exponent=True))
    try:
        return node.func(*(_rebuilt(arg) for arg in node.args))
    except (TypeError, ValueError):  # a node that cannot be rebuilt is shown as it is
        return node


def with_decimals(result: object) -> object:
    """A result shown with decimals: every formula and value in it, recursively through its
    records and tuples; the points given, and what analysis decides itself, as they are."""
    if isinstance(result, Value):  # a value at a point: a decimal, as the core shows them
        return Value(decimal_form(result.exact, True, result.approx), result.approx, result.number)
    if isinstance(result, DECIDED):
        return result
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        changes = {
            field.name: with_decimals(getattr(result, field.name))
            for field in dataclasses.fields(result)
            if field.name not in POINTS
        }
        return dataclasses.replace(result, **changes)
    if isinstance(result, tuple):
        return tuple(with_decimals(item) for item in result)
    if isinstance(result, sp.Expr):
        return decimal_display(result)
    return result
