"""Tokens -> SymPy expression, by recursive descent. Nothing here runs user text as Python.

Grammar (implicit multiplication has the precedence of `*`, so `1/2x` is `(1/2)x`):

    expression := sum END
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary | implicit)*
    implicit   := power          -- only when it starts with a name or "("
    unary      := ("-" | "+") unary | power
    power      := atom ("^" unary)?          -- right-associative: 2^3^2 = 2^9
    atom       := NUMBER | NAME | FUNCTION "(" sum ("," sum)* ")" | "(" sum ")"

`-x^2` is `-(x^2)`. Names are whole tokens (`xy` is one variable). A one-letter variable
before "(" multiplies (`x(x+1)`); any other unknown name before "(" is an error.
"""

from __future__ import annotations

import difflib
import math
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sympy as sp

from . import domain
from .bignum import HugePower
from .construct import apply
from .errors import InputError, LimitExceeded, ParseError
from .functions import cbrt, real_root
from .lexer import END, NAME, NUMBER, OP, Token, tokenize
from .limits import (
    EVALUATED_POWER_BITS,
    MAX_DECIMAL_EXPONENT,
    MAX_EXPRESSION_LENGTH,
    MAX_NESTING_DEPTH,
    MAX_POWER_BITS,
)
from .variables import variable


def _log(x: sp.Expr, base: sp.Expr | None = None) -> sp.Expr:
    return sp.log(x) if base is None else sp.log(x, base)


# name -> (constructor, number(s) of arguments)
FUNCTIONS: dict[str, tuple[Callable[..., sp.Expr], tuple[int, ...]]] = {
    "sin": (sp.sin, (1,)),
    "cos": (sp.cos, (1,)),
    "tan": (sp.tan, (1,)),
    "sec": (sp.sec, (1,)),
    "csc": (sp.csc, (1,)),
    "cot": (sp.cot, (1,)),
    "asin": (sp.asin, (1,)),
    "acos": (sp.acos, (1,)),
    "atan": (sp.atan, (1,)),
    "arcsin": (sp.asin, (1,)),
    "arccos": (sp.acos, (1,)),
    "arctan": (sp.atan, (1,)),
    "sinh": (sp.sinh, (1,)),
    "cosh": (sp.cosh, (1,)),
    "tanh": (sp.tanh, (1,)),
    "asinh": (sp.asinh, (1,)),
    "acosh": (sp.acosh, (1,)),
    "atanh": (sp.atanh, (1,)),
    "exp": (sp.exp, (1,)),
    "log": (_log, (1, 2)),
    "ln": (sp.log, (1,)),
    "sqrt": (sp.sqrt, (1,)),
    "abs": (sp.Abs, (1,)),
    "sign": (sp.sign, (1,)),
    "cbrt": (cbrt, (1,)),
    "root": (real_root, (2,)),
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "\u03c0": sp.pi, "e": sp.E}
RESERVED = frozenset(FUNCTIONS) | frozenset(CONSTANTS)


def parse(
    source: str,
    *,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    literal: bool = False,
) -> sp.Expr:
    """Parse one expression. `exact` reads decimals as rationals (0.25 -> 1/4).

    `literal` keeps products as written, so that 0.5(-x + y) stays a product of 0.5 and a sum
    instead of SymPy distributing the number (the computational graph of `deriv backprop`).

    `defined` names functions the user defined (the chain rule's inner functions): `g(x)` is
    then read as `g`, whatever its arguments.
    """
    return parse_with_domain(source, exact=exact, defined=defined, literal=literal)[0]


def parse_with_domain(
    source: str,
    *,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    literal: bool = False,
    reading: dict[sp.Expr, int] | None = None,
) -> tuple[sp.Expr, domain.Domain]:
    """The expression, and what it needs to be defined as typed (before SymPy rewrote it).

    `reading`, when given, is filled with where each argument of a function or a power starts
    in the text, so that inner functions can be named in reading order.
    """
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise LimitExceeded(f"expression too long: over {MAX_EXPRESSION_LENGTH} characters")
    if not source.strip():
        raise ParseError("empty expression", source, 0)
    with _recursion_room():
        parser = _Parser(source, tokenize(source), exact, defined, literal, reading=reading)
        expr = parser.expression()
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError("the expression is undefined (it divides by zero or takes log(0))")
    return expr, parser.domain


def parse_name(source: str) -> str:
    """A variable name given on its own, as in `--wrt x`."""
    tokens = tokenize(source)
    if len(tokens) != 2 or tokens[0].kind != NAME:
        raise ParseError("expected a variable name", source, 0, max(len(source), 1))
    name = tokens[0].text
    if name in RESERVED:
        kind = "function" if name in FUNCTIONS else "constant"
        raise ParseError(f"{name!r} is a {kind}, not a variable", source, 0, len(source))
    return name


@dataclass
class _Parser:
    source: str
    tokens: list[Token]
    exact: bool
    defined: frozenset[str] = frozenset()
    literal: bool = False
    index: int = 0
    depth: int = field(default=0)
    domain: domain.Domain = domain.EMPTY  # what the function needs, as typed
    reading: dict[sp.Expr, int] | None = None  # where arguments start, when asked

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, *texts: str) -> bool:
        return self.token.kind == OP and self.token.text in texts

    def fail(self, message: str, token: Token | None = None) -> ParseError:
        token = token or self.token
        return ParseError(message, self.source, token.start, token.end)

    def expression(self) -> sp.Expr:
        expr = self.sum()
        if self.token.kind != END:
            raise self.fail(self._unexpected())
        return expr

    def sum(self) -> sp.Expr:
        terms = [self.product()]
        while self.at("+", "-"):
            sign = self.advance().text
            term = self.product()
            terms.append(term if sign == "+" else -term)
        return sp.Add(*terms)  # one Add for all terms: linear in their number

    def product(self) -> sp.Expr:
        factors = [self.unary()]
        while True:
            if self.at("*"):
                self.advance()
                factors.append(self.unary())
            elif self.at("/"):
                slash = self.advance()
                divisor = self.unary()
                if divisor.is_zero:
                    raise self.fail("division by zero", slash)
                self.domain |= domain.of_quotient(divisor)
                factors.append(sp.Pow(divisor, -1))
            elif self.token.kind == NAME or self.at("("):
                factors.append(self.power())
            elif self.token.kind == NUMBER:
                raise self.fail("missing operator before this number (write * to multiply)")
            else:
                return sp.Mul(*factors, evaluate=not self.literal or len(factors) == 1)

    def unary(self) -> sp.Expr:
        if self.at("-", "+"):
            sign = self.advance().text
            with self.nested():
                operand = self.unary()
            if sign == "+":
                return operand
            return (
                sp.Mul(-1, operand, evaluate=False) if self.literal and operand.is_Add else -operand
            )
        return self.power()

    def power(self) -> sp.Expr:
        start = self.token.start
        base = self.atom()
        if not self.at("^"):
            return base
        caret = self.advance()
        with self.nested():
            exponent = self.unary()
        self.remember(base, start)
        self.remember(exponent, caret.end)
        if exponent.is_extended_negative and base.is_zero:  # is_zero of a long sum is costly
            raise self.fail("division by zero (0 to a negative power)", caret)
        self.domain |= domain.of_power(base, exponent)
        return _power(base, exponent)

    def atom(self) -> sp.Expr:
        token = self.token
        if token.kind == NUMBER:
            self.advance()
            return self.number(token)
        if token.kind == NAME:
            self.advance()
            return self.name(token)
        if self.at("("):
            self.advance()
            with self.nested():
                inner = self.sum()
            self.expect(")", token)
            return inner
        raise self.fail(self._unexpected())

    def number(self, token: Token) -> sp.Expr:
        text = token.text
        if not any(c in text for c in ".eE"):
            return sp.Integer(text)
        mantissa, _, exponent = text.lower().partition("e")
        if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
            raise LimitExceeded(
                f"number too large: exponents are limited to +-{MAX_DECIMAL_EXPONENT} ({text})"
            )
        if self.exact:
            return sp.Rational(text)
        return sp.Float(text, max(15, len(mantissa.replace(".", "").lstrip("0"))))

    def name(self, token: Token) -> sp.Expr:
        name = token.text
        if name in FUNCTIONS:
            return self.call(token)
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in self.defined and self.at("("):
            self.arguments(token)
            return variable(name)
        if self.at("(") and len(name) > 1:
            raise self.fail(_unknown_function(name), token)
        return variable(name)

    def call(self, name: Token) -> sp.Expr:
        constructor, arities = FUNCTIONS[name.text]
        args = self.arguments(name)
        if len(args) not in arities:
            wanted = " or ".join(str(n) for n in arities)
            plural = "" if arities == (1,) else "s"
            raise self.fail(f"{name.text} takes {wanted} argument{plural}, got {len(args)}", name)
        self.domain |= domain.of_call(name.text, args)
        return apply(constructor, *args)

    def arguments(self, name: Token) -> list[sp.Expr]:
        """The parenthesised, comma-separated arguments after a function's name."""
        if not self.at("("):
            raise self.fail(f"{name.text} needs parentheses: {name.text}(...)", name)
        open_paren = self.advance()
        with self.nested():
            args = [self.remember(self.sum(), open_paren.end)]
            while self.at(","):
                comma = self.advance()
                args.append(self.remember(self.sum(), comma.end))
        self.expect(")", open_paren)
        return args

    def remember(self, expr: sp.Expr, start: int) -> sp.Expr:
        if self.reading is not None:
            self.reading.setdefault(expr, start)
        return expr

    def expect(self, text: str, opener: Token) -> None:
        if self.at(text):
            self.advance()
            return
        if self.token.kind == END:
            raise self.fail(f"'{opener.text}' at column {opener.start + 1} is never closed")
        raise self.fail(self._unexpected())

    def nested(self) -> _Depth:
        return _Depth(self)

    def _unexpected(self) -> str:
        token = self.token
        if token.kind == END:
            return "unexpected end of input"
        if token.text == ")":
            return "unmatched ')'"
        return f"unexpected {token.text!r}"


@contextmanager
def _recursion_room() -> Iterator[None]:
    """Room for MAX_NESTING_DEPTH levels, each a handful of Python frames."""
    before = sys.getrecursionlimit()
    sys.setrecursionlimit(max(before, 8 * MAX_NESTING_DEPTH + 2_000))
    try:
        yield
    finally:
        sys.setrecursionlimit(before)


class _Depth:
    """Counts how deep the parser is, to stop before Python's recursion limit does."""

    def __init__(self, parser: _Parser) -> None:
        self.parser = parser

    def __enter__(self) -> None:
        self.parser.depth += 1
        if self.parser.depth > MAX_NESTING_DEPTH:
            raise LimitExceeded(f"expression nested too deeply: over {MAX_NESTING_DEPTH} levels")

    def __exit__(self, *exc: object) -> None:
        self.parser.depth -= 1


def _unknown_function(name: str) -> str:
    close = difflib.get_close_matches(name, FUNCTIONS, n=1)
    hint = f"; did you mean {close[0]}?" if close else f" (to multiply, write {name}*(...))"
    return f"unknown function {name!r}{hint}"


def _power(base: sp.Expr, exponent: sp.Expr) -> sp.Expr:
    """base^exponent, keeping numeric powers unevaluated once they would be huge."""
    if not (base.is_number and exponent.is_number):
        return sp.Pow(base, exponent)
    bits = _power_bits(base, exponent)
    if bits <= EVALUATED_POWER_BITS:
        return sp.Pow(base, exponent)
    if bits > MAX_POWER_BITS:
        raise LimitExceeded(
            f"number too large: a power of about {bits:.3g} bits (the limit is {MAX_POWER_BITS})"
        )
    if not _keepable(base, exponent):
        raise LimitExceeded(
            f"number too large: a power of about {bits:.3g} bits; only powers of a positive "
            f"rational base are kept unevaluated past {EVALUATED_POWER_BITS} bits"
        )
    return HugePower(base, exponent)


def _keepable(base: sp.Expr, exponent: sp.Expr) -> bool:
    return isinstance(base, sp.Rational) and base > 0 and isinstance(exponent, sp.Rational)


def _power_bits(base: sp.Expr, exponent: sp.Expr) -> float:
    """About how many bits base^exponent takes if computed exactly."""
    if isinstance(base, sp.Float) or not isinstance(exponent, sp.Rational):
        # Floats carry their own exponent; symbolic exponents (pi, sqrt(2)) stay unevaluated.
        return 0.0 if isinstance(base, sp.Float) else _magnitude(exponent) * 2
    if isinstance(base, sp.Rational):
        size = max(base.p.bit_length(), base.q.bit_length())
        if abs(base) == 1:
            return 1.0
        return math.fabs(float(exponent)) * size
    return math.fabs(float(exponent)) * _magnitude(base)


def _magnitude(value: sp.Expr) -> float:
    """log2 of a number's size, for numbers that are not plain rationals."""
    if isinstance(value, sp.Rational):
        return float(max(value.p.bit_length(), value.q.bit_length()))
    if value.has(HugePower):
        return math.inf
    return 64.0
