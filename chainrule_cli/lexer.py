"""Text -> tokens. Each token remembers where it stood, so errors can point at the column."""

from __future__ import annotations

import keyword
import unicodedata
from dataclasses import dataclass

from .errors import LimitExceeded, ParseError
from .limits import MAX_IDENTIFIER_LENGTH, MAX_NUMBER_DIGITS

NUMBER, NAME, OP, END = "number", "name", "operator", "end"

# Operators as people type them, mapped to one spelling each.
OPERATORS = {
    "**": "^",
    "^": "^",
    "+": "+",
    "-": "-",
    "\u2212": "-",
    "*": "*",
    "\u00b7": "*",
    "\u00d7": "*",
    "\u22c5": "*",
    "/": "/",
    "\u00f7": "/",
    "(": "(",
    ")": ")",
    ",": ",",
    "=": "=",
    "|": "|",
    "'": "'",  # transpose, in deriv matrix
    "\u1d40": "'",  # ᵀ
}
# deriv matrix's elementwise product, quotient and power; ⊙ is the Hadamard product, ⊘ its
# quotient.
ELEMENTWISE_OPERATORS = {".*": ".*", "./": "./", ".^": ".^", "\u2299": ".*", "\u2298": "./"}
# Signs written before their argument, read as the functions they stand for: √x, ∛x.
ROOT_SIGNS = {"\u221a": "sqrt", "\u221b": "cbrt"}
LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")
SUPERSCRIPT_DIGITS = "\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079\u207b"
SUPERSCRIPTS = str.maketrans(SUPERSCRIPT_DIGITS, "0123456789-")
# The superscript letters deriv prints in eˣ and e⁻ᵗ, read back as the letters they raise to.
SUPERSCRIPT_LETTERS = dict(zip("ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", "abcdefghijklmnoprstuvwxyz"))
SUPERSCRIPT_CHARS = frozenset(SUPERSCRIPT_DIGITS) | frozenset(SUPERSCRIPT_LETTERS)


def is_decimal(number: str) -> bool:
    """A number token written as a decimal (0.5, 1e-3), not a whole number."""
    return any(c in number for c in ".eE")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str  # the normalised text: "^" for "**", "x" for a mathematical-bold x
    start: int
    end: int


def tokenize(source: str) -> list[Token]:
    tokens: list[Token] = []
    i = 0
    while i < len(source):
        char = source[i]
        if char in " \t":
            i += 1
        elif char in LINE_BREAKS:
            raise ParseError("a line break cannot stand inside an expression", source, i)
        elif "\udc80" <= char <= "\udcff":  # how Python keeps bytes that are not UTF-8
            byte = ord(char) - 0xDC00
            raise ParseError(f"the input is not valid UTF-8 text (byte 0x{byte:02x})", source, i)
        elif char.isspace():
            i += 1
        elif char.isdigit() and char.isascii() or char == "." and _digit_at(source, i + 1):
            i = _read_number(source, i, tokens)
        elif char in SUPERSCRIPT_CHARS:
            i = _read_superscript(source, i, tokens)
        elif char in ROOT_SIGNS:
            tokens.append(Token(NAME, ROOT_SIGNS[char], i, i + 1))
            i += 1
        elif _starts_name(char):
            i = _read_name(source, i, tokens)
        elif source.startswith("**", i):
            tokens.append(Token(OP, "^", i, i + 2))
            i += 2
        elif source[i : i + 2] in ELEMENTWISE_OPERATORS or char in ELEMENTWISE_OPERATORS:
            text = source[i : i + 2] if source[i : i + 2] in ELEMENTWISE_OPERATORS else char
            tokens.append(Token(OP, ELEMENTWISE_OPERATORS[text], i, i + len(text)))
            i += len(text)
        elif char in OPERATORS:
            tokens.append(Token(OP, OPERATORS[char], i, i + 1))
            i += 1
        else:
            raise ParseError(f"unexpected character {_show(char)}", source, i)
    tokens.append(Token(END, "", len(source), len(source)))
    return tokens


def _digit_at(source: str, i: int) -> bool:
    return i < len(source) and source[i].isascii() and source[i].isdigit()


def _read_number(source: str, i: int, tokens: list[Token]) -> int:
    start = i
    while _digit_at(source, i):
        i += 1
    if i < len(source) and source[i] == ".":
        i += 1
        while _digit_at(source, i):
            i += 1
    # 1e-3 is a number; 2e and 2e^x are 2 times Euler's number.
    if i < len(source) and source[i] in "eE":
        j = i + 1
        if j < len(source) and source[j] in "+-":
            j += 1
        if _digit_at(source, j):
            i = j
            while _digit_at(source, i):
                i += 1
    text = source[start:i]
    if sum(c.isdigit() for c in text) > MAX_NUMBER_DIGITS:
        raise LimitExceeded(
            f"number too long: over {MAX_NUMBER_DIGITS} digits (starting at column {start + 1})"
        )
    tokens.append(Token(NUMBER, text, start, i))
    return i


def _read_superscript(source: str, i: int, tokens: list[Token]) -> int:
    """x² is x^2 and eˣ is e^x: a run of superscript characters is a power, a whole number or
    one letter, with an optional minus sign (e⁻ˣ)."""
    start = i
    while i < len(source) and source[i] in SUPERSCRIPT_CHARS:
        i += 1
    text = source[start:i].translate(SUPERSCRIPTS)
    letter = "".join(SUPERSCRIPT_LETTERS.get(c, c) for c in text)
    body = text.lstrip("-")
    if text.count("-") > 1 or not (body.isdigit() or body in SUPERSCRIPT_LETTERS):
        raise ParseError(
            "a superscript exponent must be a whole number or one letter", source, start, i
        )
    tokens.append(Token(OP, "^", start, start))
    if text.startswith("-"):
        tokens.append(Token(OP, "-", start, start + 1))
        start += 1
    if body.isdigit():
        tokens.append(Token(NUMBER, body, start, i))
    else:
        tokens.append(Token(NAME, letter.lstrip("-"), start, i))
    return i


PARTIAL = "\u2202"  # ∂


TRANSPOSE = "\u1d40"  # ᵀ, a letter to Unicode but an operator here


def _starts_name(char: str) -> bool:
    if char == TRANSPOSE:
        return False
    return char in ("_", PARTIAL) or unicodedata.category(char).startswith("L")


def _continues_name(char: str) -> bool:
    if char in SUPERSCRIPT_CHARS or char == TRANSPOSE:
        return False
    return char in ("_", PARTIAL) or unicodedata.category(char)[0] in "LN"


SYMBOL_CONSTANTS = frozenset("\u03c0")  # π: 2πx is 2·π·x, πr² is π·r²


def _read_name(source: str, i: int, tokens: list[Token]) -> int:
    start = i
    if source[i] in SYMBOL_CONSTANTS:
        tokens.append(Token(NAME, source[i], i, i + 1))
        return i + 1
    while i < len(source) and _continues_name(source[i]) and source[i] not in SYMBOL_CONSTANTS:
        i += 1
    raw = source[start:i]
    name = unicodedata.normalize("NFKC", raw).replace(PARTIAL, "d")  # ∂/∂x reads as d/dx
    check_name(name, source, start, i)
    tokens.append(Token(NAME, name, start, i))
    return i


def check_name(name: str, source: str, start: int, end: int) -> None:
    """A name is letters, digits and underscores, starting with a letter: never Python syntax."""
    if len(name) > MAX_IDENTIFIER_LENGTH:
        raise LimitExceeded(f"name too long: over {MAX_IDENTIFIER_LENGTH} characters")
    if name.startswith("_"):
        raise ParseError("a name cannot start with '_'", source, start, end)
    if not name.isidentifier() or not all(_continues_name(c) for c in name):
        raise ParseError(f"{_show(name)} is not a valid name", source, start, end)
    if keyword.iskeyword(name) or keyword.issoftkeyword(name):
        raise ParseError(f"{_show(name)} is a reserved word, not a name", source, start, end)


def _show(text: str) -> str:
    """Quote text for a message, with control and invisible characters escaped."""
    return repr(text) if text.isprintable() else ascii(text)
