"""Option values (`--at x=1,y=2`, `--vars y,x`, `--wrt x`) -> SymPy, through the same parser.

Every error names its option, and ParseErrors keep a column in the option's own text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import sympy as sp

from .domain import Domain
from .errors import DerivError, InputError, ParseError
from .lexer import END, NAME, OP, tokenize
from .parser import parse, parse_name, parse_with_domain, variable
from .results import Point

T = TypeVar("T")


@contextmanager
def naming(option: str) -> Iterator[None]:
    """Prefix any error raised inside with the option it came from."""
    try:
        yield
    except DerivError as error:
        error.message = f"{option}: {error.message}"
        error.args = (error.message,)
        raise


def split_top_level(text: str) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of text, ignoring commas inside parentheses."""
    spans, depth, start = [], 0, 0
    for token in tokenize(text):
        if token.kind == OP and token.text == "(":
            depth += 1
        elif token.kind == OP and token.text == ")":
            depth -= 1
        elif token.kind == OP and token.text == "," and depth == 0:
            spans.append((start, token.start))
            start = token.end
    spans.append((start, len(text)))
    return spans


def _offset(error: ParseError, text: str, start: int) -> ParseError:
    return ParseError(error.message, text, error.start + start, error.end + start)


def _part(text: str, start: int, end: int, read: Callable[[str], T]) -> T:
    try:
        return read(text[start:end])
    except ParseError as error:
        raise _offset(error, text, start) from None


def parse_point(text: str, *, exact: bool = False) -> Point:
    """`x=1, y=pi/2` -> ((x, 1), (y, pi/2)); every value must be a number."""
    with naming("--at"):
        point = tuple(_assignment(text, span, exact) for span in split_top_level(text))
        names = [symbol.name for symbol, _ in point]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InputError(f"{twice[0]} is given twice")
        return point


def _assignment(text: str, span: tuple[int, int], exact: bool) -> tuple[sp.Symbol, sp.Expr]:
    start, end = span
    name, value_start = _name_before_equals(text, start, end, "x=1,y=2")
    value = _part(text, value_start, end, lambda part: parse(part, exact=exact))
    if value.free_symbols:
        shown = ", ".join(sorted(s.name for s in value.free_symbols))
        raise ParseError(
            f"the value of {name} must be a number, not in terms of {shown}", text, value_start, end
        )
    return variable(name), value


def _name_before_equals(text: str, start: int, end: int, example: str) -> tuple[str, int]:
    tokens = [t for t in tokenize(text[start:end])]
    if len(tokens) < 3 or tokens[0].kind != NAME or tokens[1].text != "=":
        where = start + (tokens[0].end if tokens and tokens[0].kind == NAME else tokens[0].start)
        raise ParseError(f"expected name=value, as in {example}", text, where)
    name = _part(text, start + tokens[0].start, start + tokens[0].end, parse_name)
    if tokens[2].kind == "end":
        raise ParseError(f"expected a value after '{name}='", text, start + tokens[1].end)
    return name, start + tokens[1].end


def parse_names(text: str, option: str) -> tuple[sp.Symbol, ...]:
    """`y,x` -> (y, x): a list of variable names in the order given."""
    with naming(option):
        spans = split_top_level(text)
        names = [_part(text, start, end, parse_name) for start, end in spans]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InputError(f"{twice[0]} is named twice")
        return tuple(variable(n) for n in names)


def given_names(text: str) -> frozenset[str]:
    """The names an option's text gives (`x,y` for --vars, `x=1,y=2` for --at), read leniently:
    a text that does not read gives none here, and its option reports why."""
    text = text.replace(":", " ")  # --range x=-3:3; the lexer knows no ':'
    try:
        parts = [tokenize(text[start:end]) for start, end in split_top_level(text)]
    except DerivError:
        return frozenset()
    return frozenset(
        tokens[0].text
        for tokens in parts
        if tokens[0].kind == NAME and (tokens[1].kind == END or tokens[1].text == "=")
    )


def parse_variable(text: str, option: str) -> sp.Symbol:
    with naming(option):
        return variable(parse_name(text))


def parse_definition(
    text: str, exact: bool, defined: frozenset[str], declared: frozenset[str] = frozenset()
) -> tuple[sp.Symbol, sp.Expr, Domain]:
    """`g=2x^2` -> (g, 2x^2, what it needs), as given with --inner."""
    with naming("--inner"):
        name, value_start = _name_before_equals(text, 0, len(text), "g=2x^2")
        read = lambda part: parse_with_domain(  # noqa: E731
            part, exact=exact, defined=defined, declared=declared
        )
        return (variable(name), *_part(text, value_start, len(text), read))


def parse_vector(
    text: str, option: str, exact: bool = False, numbers_only: bool = True
) -> tuple[sp.Expr, ...]:
    """`1, 1` or `3, 1` -> a tuple of expressions (numbers, unless numbers_only is False)."""
    values = tuple(value for value, _ in parse_components(text, option, exact))
    if numbers_only and any(v.free_symbols for v in values):
        with naming(option):
            raise InputError("the components must be numbers")
    return values


def parse_components(
    text: str, option: str, exact: bool = False
) -> tuple[tuple[sp.Expr, Domain], ...]:
    """`2x, 1/y` -> each component and what it needs to be defined as typed."""
    with naming(option):
        return tuple(
            _part(text, start, end, lambda part: parse_with_domain(part, exact=exact))
            for start, end in split_top_level(text)
        )


def parse_equation(
    text: str, exact: bool = False, declared: frozenset[str] = frozenset()
) -> tuple[sp.Expr, sp.Expr, Domain]:
    """`x^2 + y^2 = 1` -> (x^2 + y^2, 1, what both sides need): exactly one `=`."""
    equals = [t for t in tokenize(text) if t.kind == OP and t.text == "="]
    if len(equals) != 1:
        where = equals[1].start if len(equals) > 1 else 0
        raise ParseError("an equation needs exactly one '='", text, where)
    at = equals[0].start
    read = lambda part: parse_with_domain(part, exact=exact, declared=declared)  # noqa: E731
    lhs, left = _part(text, 0, at, read)
    rhs, right = _part(text, at + 1, len(text), read)
    return lhs, rhs, left | right


def parse_ranges(text: str) -> dict[sp.Symbol, tuple[float, float]]:
    """`x=-3:3, y=-pi:pi` -> {x: (-3.0, 3.0), y: (-3.14..., 3.14...)}."""
    with naming("--range"):
        ranges: dict[sp.Symbol, tuple[float, float]] = {}
        spaced = text.replace(":", " ")  # the lexer knows no ':'; columns stay where they are
        for start, end in split_top_level(spaced):
            name, value_start = _name_before_equals(spaced, start, end, "x=-3:3,y=0:1")
            colon = text.find(":", value_start, end)
            if colon < 0:
                raise ParseError("expected low:high, as in x=-3:3", text, value_start)
            low = _bound(text, value_start, colon)
            high = _bound(text, colon + 1, end)
            if not low < high:
                raise InputError(f"the range of {name} must go from low to high, as in {name}=-3:3")
            if variable(name) in ranges:
                raise InputError(f"{name} is given twice")
            ranges[variable(name)] = (low, high)
        return ranges


def _bound(text: str, start: int, end: int) -> float:
    if not text[start:end].strip():
        raise ParseError("expected a number", text, start)
    value = _part(text, start, end, parse)
    if value.free_symbols:
        raise ParseError("a range's bounds must be numbers", text, start, end)
    number = complex(sp.N(value, 17))
    if number.imag or not abs(number.real) < float("inf"):
        raise ParseError("a range's bounds must be finite real numbers", text, start, end)
    return number.real


def parse_matrix_point(text: str, *, exact: bool = False) -> tuple[tuple[str, sp.Expr], ...]:
    """`W=[[1,2],[3,4]], x=[1,1], c=2` -> (("W", 2×2), ("x", 2×1), ("c", 2)): a matrix as a
    list of rows, a vector as a list (a column), a scalar as a number; each entry read by
    deriv's parser and a number."""
    with naming("--at"):
        values = [_matrix_assignment(text, span, exact) for span in _split_brackets(text)]
        names = [name for name, _ in values]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise InputError(f"{twice[0]} is given twice")
        return tuple(values)


def _split_brackets(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of the comma-separated parts of text[start:end], commas inside [] or () kept."""
    end = len(text) if end is None else end
    spans, depth, begin = [], 0, start
    for i in range(start, end):
        if text[i] in "[(":
            depth += 1
        elif text[i] in "])":
            depth -= 1
        elif text[i] == "," and depth == 0:
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, end))
    return spans


def _matrix_assignment(text: str, span: tuple[int, int], exact: bool) -> tuple[str, sp.Expr]:
    start, end = span
    equals = text.find("=", start, end)
    name = text[start:equals].strip() if equals >= 0 else ""
    if not name:
        raise ParseError("expected name=value, as in W=[[1,2],[3,4]],x=[1,1]", text, start)
    offset = start + len(text[start:equals]) - len(text[start:equals].lstrip())
    name = _part(text, offset, equals, parse_name)
    value = _matrix_value(text, equals + 1, end, exact)
    return name, value


def _matrix_value(text: str, start: int, end: int, exact: bool) -> sp.Expr:
    stripped = text[start:end].strip()
    if not stripped:
        raise ParseError("expected a value", text, start)
    if not stripped.startswith("["):
        return _number(text, start, end, exact)
    rows = _list(text, text.index("[", start), end, exact)
    if all(isinstance(r, list) for r in rows):
        widths = {len(r) for r in rows}
        if len(widths) != 1:
            raise ParseError("the rows of a matrix must have the same length", text, start, end)
        return sp.ImmutableMatrix(rows)
    if any(isinstance(r, list) for r in rows):
        raise ParseError("mixed numbers and rows: write [1,2] or [[1,2],[3,4]]", text, start, end)
    return sp.ImmutableMatrix(len(rows), 1, rows)


def _list(text: str, open_at: int, end: int, exact: bool) -> list:
    """[a, b, ...] from open_at: its items, each a number or a list."""
    close = _closing(text, open_at, end)
    if text[close + 1 : end].strip():
        raise ParseError("unexpected text after ']'", text, close + 1, end)
    if not text[open_at + 1 : close].strip():
        raise ParseError("an empty list", text, open_at, close + 1)
    items = []
    for a, b in _split_brackets(text, open_at + 1, close):
        part = text[a:b].strip()
        if part.startswith("["):
            items.append(_list(text, text.index("[", a), b, exact))
        else:
            items.append(_number(text, a, b, exact))
    return items


def _closing(text: str, open_at: int, end: int) -> int:
    depth = 0
    for i in range(open_at, end):
        depth += {"[": 1, "]": -1}.get(text[i], 0)
        if depth == 0:
            return i
    raise ParseError("this '[' is never closed", text, open_at)


def _number(text: str, start: int, end: int, exact: bool) -> sp.Expr:
    if not text[start:end].strip():
        raise ParseError("expected a number", text, start)
    value = _part(text, start, end, lambda part: parse(part, exact=exact))
    if value.free_symbols:
        raise ParseError("each entry must be a number", text, start, end)
    return value
