"""Tokens -> SymPy expression, by recursive descent. Nothing here runs user text as Python.

Grammar (implicit multiplication has the precedence of `*`, so `1/2x` is `(1/2)x`):

    expression := operator? definition? sum END
    operator   := "d" "/" "dX"  |  "d" "^" N "/" "dX" "^" N     -- d/dx x^2, d^2/dx^2 sin(x)
    definition := NAME ("(" NAME ("," NAME)* ")")? "="           -- f(x) = x^2, y = x^2
    sum        := product (("+" | "-") product)*
    product    := unary (("*" | "/") unary | implicit)*
    implicit   := power      -- when it starts with a name, "(", or "|" outside bars
    unary      := ("-" | "+") unary | power
    power      := atom ("^" unary)?          -- right-associative: 2^3^2 = 2^9
    atom       := NUMBER | NAME | call | "(" sum ")" | "|" sum "|"
    call       := FUNCTION ("^" unary)? ("(" sum ("," sum)* ")" | juxtaposed)
    juxtaposed := ("-" | "+")? power power*   -- up to the next function name or operator

`-x^2` is `-(x^2)`. Names are whole tokens (`xy` is one variable). A one-letter variable
before "(" multiplies (`x(x+1)`); any other unknown name before "(" is an error.

A word that starts with a function's name is that function applied to the rest of the word,
as if the rest stood in parentheses (`sinx` is sin(x), `sin2x` sin(2x), `tanx^2` tan(x)^2),
when the rest reads as an argument (see `glued`); a name the user declared (`--wrt sinx`,
`f(cost) = ...`, an inner function) stays a name.

A function applies to what follows it without parentheses as far as the factors written side
by side go: `sin x^2` is sin(x²), `sin 2x` is sin(2x), `sin x cos x` is sin(x)·cos(x), and
`sin x/2` is sin(x)/2. A power written on the function is a power of its value (`sin^2 x` is
sin(x)²), except -1 on a trigonometric or hyperbolic function, its inverse (`sin^-1 x` is
asin(x)). Bars are absolute values (`|x - 1|`); inside bars a bar closes, so nested bars must
start an operand (`||x| - 1|`).
"""

from __future__ import annotations

import difflib
import math
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import sympy as sp

from . import domain
from .bignum import HugePower
from .construct import apply
from .errors import DerivError, InputError, LimitExceeded, ParseError
from .functions import Sigmoid, Softplus, cbrt, heaviside, real_root, relu
from .lexer import END, NAME, NUMBER, OP, Token, is_decimal, tokenize
from .limits import (
    EVALUATED_POWER_BITS,
    MAX_DECIMAL_EXPONENT,
    MAX_EXPRESSION_LENGTH,
    MAX_NESTING_DEPTH,
    MAX_POWER_BITS,
)
from .values import decimal_number
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
    "log2": (lambda x: sp.log(x, 2), (1,)),
    "log10": (lambda x: sp.log(x, 10), (1,)),
    "lg": (lambda x: sp.log(x, 10), (1,)),  # ISO 80000-2: lg is base 10, lb base 2
    "lb": (lambda x: sp.log(x, 2), (1,)),
    "relu": (relu, (1,)),
    "max": (sp.Max, (2, 3, 4, 5, 6, 7, 8)),
    "min": (sp.Min, (2, 3, 4, 5, 6, 7, 8)),
    "sigmoid": (Sigmoid, (1,)),
    "softplus": (Softplus, (1,)),
    "heaviside": (heaviside, (1,)),
}
# sin^-1 x is arcsin x, as calculus books write the inverse functions.
INVERSES = {
    "sin": "asin",
    "cos": "acos",
    "tan": "atan",
    "sinh": "asinh",
    "cosh": "acosh",
    "tanh": "atanh",
}
CONSTANTS: dict[str, sp.Expr] = {"pi": sp.pi, "\u03c0": sp.pi, "e": sp.E}
RESERVED = frozenset(FUNCTIONS) | frozenset(CONSTANTS)

# Functions of one argument, longest name first: sinhx is sinh(x), not sin(hx).
GLUABLE = sorted(
    (n for n, (_, arities) in FUNCTIONS.items() if 1 in arities), key=len, reverse=True
)
# Names of functions deriv does not have, kept as names rather than read as cot(h), sin(c).
NOT_GLUED = frozenset({"coth", "sech", "csch", "sinc", "expm1", "log1p"})
# What may follow a function's name in a glued word: a variable as formulas name them (one
# letter with an optional index: x, t, θ, x2, x_1; or letters among x, y, z: xy), a number,
# a number and a name (2x, 2θ), or pi.
GLUED_ARGUMENT = re.compile(
    r"[^\W\d_](?:[0-9]+|_(?:[0-9]+|[^\W\d_]))?|[xyz]+|[0-9]+(?:[^\W\d_]\w*)?|pi"
)


def parse(
    source: str,
    *,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    literal: bool = False,
    declared: frozenset[str] = frozenset(),
) -> sp.Expr:
    """Parse one expression. Decimals are read as the exact fractions they are (0.25 -> 1/4);
    the domain records that they were typed as decimals, to be shown as decimals, unless
    `exact` asks for fractions.

    `literal` keeps products as written, so that 0.5(-x + y) stays a product of 0.5 and a sum
    instead of SymPy distributing the number (the computational graph of `deriv backprop`).

    A number typed with decimals (a value in --at) is the Float that writes it exactly, which
    values.as_fractions reads back as the fraction: 1 - 1e-20 is 0.99999999999999999999.

    `defined` names functions the user defined (the chain rule's inner functions): `g(x)` is
    then read as `g`, whatever its arguments. `declared` names variables the user declared
    (`--wrt sinx`): each stays one name, never read as a function glued to its argument.
    """
    expr, needs = parse_with_domain(
        source, exact=exact, defined=defined, literal=literal, declared=declared
    )
    return decimal_number(expr) if needs.decimals and expr.is_Rational else expr


@dataclass(frozen=True)
class Typed:
    """What one typed function says: the expression, what it needs to be defined, and what
    the text named around it: `f(x, y) = ...` (name, arguments), `d/dx ...` (wrt)."""

    expr: sp.Expr
    domain: domain.Domain
    name: str | None = None
    arguments: tuple[sp.Symbol, ...] | None = None
    wrt: tuple[sp.Symbol, ...] = ()


def parse_with_domain(
    source: str,
    *,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    literal: bool = False,
    reading: dict[sp.Expr, int] | None = None,
    declared: frozenset[str] = frozenset(),
) -> tuple[sp.Expr, domain.Domain]:
    """The expression, and what it needs to be defined as typed (before SymPy rewrote it).

    `reading`, when given, is filled with where each argument of a function or a power starts
    in the text, so that inner functions can be named in reading order.
    """
    typed = parse_typed(
        source,
        exact=exact,
        defined=defined,
        literal=literal,
        reading=reading,
        declared=declared,
    )
    if typed.wrt:
        raise InputError("d/dx before the function is for deriv diff; here write the function")
    return typed.expr, typed.domain


def parse_typed(
    source: str,
    *,
    exact: bool = False,
    defined: frozenset[str] = frozenset(),
    literal: bool = False,
    reading: dict[sp.Expr, int] | None = None,
    declared: frozenset[str] = frozenset(),
) -> Typed:
    """Parse one function as people type it, with its name and its d/dx if it has them."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise LimitExceeded(f"expression too long: over {MAX_EXPRESSION_LENGTH} characters")
    if not source.strip():
        raise ParseError("empty expression", source, 0)
    with _recursion_room():
        parser = _Parser(
            source, tokenize(source), exact, defined, literal, reading=reading, declared=declared
        )
        expr = parser.expression()
    if expr.has(sp.zoo, sp.nan, sp.oo, -sp.oo):
        raise InputError("the expression is undefined (it divides by zero or takes log(0))")
    return Typed(expr, parser.domain, parser.defined_name, parser.defined_arguments, parser.wrt)


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


UNCLOSED_BAR = "this '|' is never closed (for nested or ambiguous bars, write abs(...))"


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
    bars: int = 0  # how many absolute-value bars are open here
    defined_name: str | None = None  # f in `f(x) = ...`
    defined_arguments: tuple[sp.Symbol, ...] | None = None  # (x,) in `f(x) = ...`
    wrt: tuple[sp.Symbol, ...] = ()  # (x,) in `d/dx ...`
    declared: frozenset[str] = frozenset()  # names that stay names: --wrt sinx, f(cost) = ...
    glued_end: int = -1  # where the glued word being read ends (sinsinx: one reading)

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
        self.operator()
        self.definition()
        expr = self.sum()
        if self.token.kind != END:
            raise self.fail(self._unexpected())
        if self.defined_arguments is not None:
            self.check_arguments(expr)
        return expr

    def operator(self) -> None:
        """d/dx or d^2/dx^2 before the function: the derivative asked for."""
        ahead = self.tokens[self.index : self.index + 8]
        tokens = [t.text if t.kind != END else "" for t in ahead] + [""] * (8 - len(ahead))
        if tokens[:2] == ["d", "/"] and _differential(tokens[2]) and tokens[3] != "":
            self.wrt = (variable(tokens[2][1:]),)
            self.index += 3
        elif tokens[:3] == ["d", "^", tokens[2]] and tokens[2].isdigit() and tokens[3] == "/":
            if _differential(tokens[4]) and tokens[5:7] == ["^", tokens[2]] and tokens[7] != "":
                self.wrt = (variable(tokens[4][1:]),) * int(tokens[2])
                self.index += 7
        self.declared |= {v.name for v in self.wrt}

    def definition(self) -> None:
        """`f(x, y) = ...` or `y = ...`: the function's name, and its arguments in order."""
        depth, equals = 0, None
        for position, token in enumerate(self.tokens[self.index :], self.index):
            depth += token.text in ("(",) and token.kind == OP
            depth -= token.text in (")",) and token.kind == OP
            if token.kind == OP and token.text == "=" and depth == 0:
                equals = position
                break
        if equals is None:
            return
        head = self.tokens[self.index : equals]
        if not head or head[0].kind != NAME or head[0].text in RESERVED:
            raise self.fail(
                "expected the function's name before '=', as in f(x) = x^2",
                head[0] if head else self.token,
            )
        self.defined_name = head[0].text
        if len(head) > 1:
            names = head[2:-1:2]
            shape = head[1].text == "(" and head[-1].text == ")" and len(head) >= 4
            commas = all(t.text == "," for t in head[3:-1:2])
            if not (shape and commas and all(t.kind == NAME for t in names)):
                raise self.fail("expected f(x) = ... or f(x, y) = ... before '='", head[1])
            self.defined_arguments = tuple(variable(t.text) for t in names)
            self.declared |= {t.text for t in names}
        self.index = equals + 1

    def check_arguments(self, expr: sp.Expr) -> None:
        """f(x) = x*y names x as f's only variable: y would be a mistake."""
        listed = set(self.defined_arguments or ())
        missing = sorted(s.name for s in expr.free_symbols - listed)
        if missing:
            shown = ", ".join(s.name for s in self.defined_arguments or ())
            raise InputError(
                f"{self.defined_name}({shown}) = ... uses {missing[0]}, which is not among its "
                f"arguments; add it: {self.defined_name}({shown}, {missing[0]})"
            )

    def sum(self) -> sp.Expr:
        terms = [self.product()]
        while self.at("+", "-"):
            sign = self.advance().text
            term = self.product()
            terms.append(term if sign == "+" else -term)
        return sp.Add(*terms, evaluate=not self.literal or len(terms) == 1)  # one Add: linear

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
            elif self.token.kind == NAME or self.at("(") or (self.at("|") and not self.bars):
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
        if self.at("|"):
            return self.absolute(self.advance())
        raise self.fail(self._unexpected())

    def absolute(self, bar: Token) -> sp.Expr:
        """|...|: inside, a bar closes; a nested pair must start an operand (||x| - 1|)."""
        if self.token.kind == END:
            raise self.fail(UNCLOSED_BAR, bar)
        self.bars += 1
        with self.nested():
            inner = self.sum()
        self.bars -= 1
        if not self.at("|"):
            if self.token.kind == END:
                raise self.fail(UNCLOSED_BAR, bar)
            raise self.fail(self._unexpected())
        self.advance()
        self.domain |= domain.of_call("abs", [inner])
        return sp.Abs(inner)

    def number(self, token: Token) -> sp.Expr:
        text = token.text
        if not is_decimal(text):
            return sp.Integer(text)
        exponent = text.lower().partition("e")[2]
        if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
            raise LimitExceeded(
                f"number too large: exponents are limited to +-{MAX_DECIMAL_EXPONENT} ({text})"
            )
        if not self.exact:
            self.domain |= domain.DECIMALS  # shown as decimals again
        return sp.Rational(text)  # exact: 0.3 is 3/10, inside exp and sin too

    def name(self, token: Token) -> sp.Expr:
        name = token.text
        if name in FUNCTIONS:
            return self.call(token)
        if name.startswith("log_") and len(name) > 4:
            return self.logarithm(token, name[4:])
        if name in CONSTANTS:
            return CONSTANTS[name]
        if name in self.defined and self.at("("):
            self.arguments(token)
            return variable(name)
        if self.at("(") and len(name) > 1:
            raise self.fail(_unknown_function(name), token)
        if self.gluable(token):
            return self.glued(token)
        return variable(name)

    def gluable(self, token: Token, following: Token | None = None) -> bool:
        """Is this word a function glued to its argument (sinx)? Not when declared a name, nor
        before "(" (sinx(x) is an unknown function)."""
        following = following or self.token
        if token.kind != NAME or token.text in self.declared | self.defined:
            return False
        return glued(token.text) is not None and following.text != "("

    def glued(self, word: Token) -> sp.Expr:
        """sin2x as sin(2x): the word's rest put in parentheses, read as deriv reads it."""
        function, rest = glued(word.text)  # type: ignore[misc]
        split = min(word.start + len(function), word.end)
        inside = [
            Token(t.kind, t.text, min(split + t.start, word.end), min(split + t.end, word.end))
            for t in tokenize(rest)[:-1]
        ]
        opened, closed = Token(OP, "(", split, split), Token(OP, ")", word.end, word.end)
        self.tokens[self.index : self.index] = [opened, *inside, closed]
        if word.start >= self.glued_end:  # sinsinx is one reading, not two
            self.glued_end = word.end
            typed = domain.Reading(self.source[word.start : word.end], read_as(word.text))
            self.domain |= domain.Domain(readings=(typed,))
        return self.call(Token(NAME, function, word.start, split))

    def call(self, name: Token) -> sp.Expr:
        exponent = self.function_power(name)
        if exponent == -1:  # sin^-1 x: the inverse function
            name = Token(name.kind, INVERSES[name.text], name.start, name.end)
        constructor, arities = FUNCTIONS[name.text]
        args = self.arguments(name) if self.at("(") or 1 not in arities else [self.juxtaposed()]
        if len(args) not in arities:
            wanted = " or ".join(str(n) for n in arities)
            plural = "" if arities == (1,) else "s"
            raise self.fail(f"{name.text} takes {wanted} argument{plural}, got {len(args)}", name)
        self.domain |= domain.of_call(name.text, args)
        value = apply(constructor, *args)
        return value if exponent in (None, -1) else _power(value, exponent)

    def function_power(self, name: Token) -> sp.Expr | None:
        """sin^2 x is sin(x)^2, and sin^-1 x is arcsin x; any other power on a function name is
        ambiguous (is sin^-2 x 1/sin(x)^2 or asin(x)^2?) and refused."""
        if not self.at("^"):
            return None
        caret = self.advance()
        with self.nested():
            exponent = self.unary()
        if exponent == -1 and name.text in INVERSES:
            return exponent
        if exponent.is_Integer and exponent > 0:
            return exponent
        shown = f"{name.text}^{exponent}"
        inverse = f", or the inverse as {INVERSES[name.text]}(x)" if name.text in INVERSES else ""
        raise self.fail(
            f"{shown} is ambiguous; write the power after the value, as in {name.text}(x)^2"
            + inverse,
            caret,
        )

    def juxtaposed(self) -> sp.Expr:
        """A function's argument written without parentheses: the factors side by side after
        it, up to the next function name or operator (sin 2x = sin(2x), sin x cos x)."""
        start = self.token
        sign = self.advance().text if self.at("-", "+") else "+"
        if self.token.kind not in (NAME, NUMBER) and not self.at("(", "|"):
            raise self.fail(self._unexpected())
        factors = [self.power()]
        while (self.token.kind == NAME and not self.starts_call()) or self.at("("):
            factors.append(self.power())
        value = sp.Mul(*factors)
        self.remember(value, start.start)
        return -value if sign == "-" else value

    def starts_call(self) -> bool:
        """A function's name, or a word glued to its argument, ends a juxtaposed argument:
        sin x cosx is sin(x)·cos(x)."""
        following = self.tokens[min(self.index + 1, len(self.tokens) - 1)]
        return self.token.text in FUNCTIONS or self.gluable(self.token, following)

    def logarithm(self, token: Token, base_text: str) -> sp.Expr:
        """log_2(x), log_10 x, log_b(x): the logarithm to that base."""
        base = sp.Integer(base_text) if base_text.isdigit() else variable(base_text)
        if base_text.isdigit() and base < 2:
            raise self.fail("a logarithm's base must be positive and not 1", token)
        argument = self.arguments(token)[0] if self.at("(") else self.juxtaposed()
        self.domain |= domain.of_call("log", [argument, base])
        return sp.log(argument, base)

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


def glued(word: str) -> tuple[str, str] | None:
    """("sin", "2x") for sin2x: the longest name of a function of one argument that the word
    starts with, and the rest, when the rest reads as an argument (GLUED_ARGUMENT) or is
    itself a glued word (sinsinx). None for other words: cosine, signal, logit stay names."""
    if word in RESERVED or word in NOT_GLUED:
        return None
    function = next((f for f in GLUABLE if word.startswith(f) and len(word) > len(f)), None)
    if function is None:
        return None
    rest = word[len(function) :]
    if rest == "e" or not all(c.isalpha() or c in "0123456789_" for c in rest):
        return None  # sine: e is a constant, not a variable; x½ is no argument
    if not (GLUED_ARGUMENT.fullmatch(rest) or glued(rest)) or not _readable(rest):
        return None
    return function, rest


def _readable(rest: str) -> bool:
    """The rest tokenizes on its own (2if does not: if is a reserved word)."""
    try:
        tokenize(rest)
    except DerivError:
        return False
    return True


def read_as(word: str) -> str:
    """How a glued word reads, as a note says it: sinsinx as sin(sin(x))."""
    function, rest = glued(word)  # type: ignore[misc]
    return f"{function}({read_as(rest) if glued(rest) else rest})"


def _differential(text: str) -> bool:
    """dx, dy, dw1: d followed by a variable's name."""
    return len(text) > 1 and text.startswith("d") and text[1:] not in RESERVED


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
