"""How a derivative is written: Leibniz, Lagrange or Euler, in Unicode, ASCII or LaTeX.

`wrt` always lists variables in the order they are applied: ("x", "y") is "first x, then y",
which Leibniz writes ∂²f/∂y∂x, Lagrange f_xy and Euler D_y D_x f.
"""

from __future__ import annotations

from enum import Enum
from itertools import groupby

UNICODE, ASCII, LATEX = "unicode", "ascii", "latex"
SUPERSCRIPTS = str.maketrans("0123456789()-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻")


class Notation(str, Enum):
    leibniz = "leibniz"
    lagrange = "lagrange"
    euler = "euler"


def derivative_label(
    name: str, wrt: tuple[str, ...], partial: bool, notation: Notation, style: str = UNICODE
) -> str:
    if notation is Notation.lagrange:
        return _lagrange(name, wrt, partial, style)
    if notation is Notation.euler:
        return _euler(name, wrt, style)
    return _leibniz(name, wrt, partial, style)


def gradient_label(name: str, style: str = UNICODE) -> str:
    if style == LATEX:
        return rf"\nabla {_tex_name(name)}"
    return {UNICODE: f"∇{name}", ASCII: f"grad {name}"}[style]


def function_label(name: str, variables: tuple[str, ...], style: str = UNICODE) -> str:
    if style == LATEX:
        name = _tex_name(name)
    if not variables:
        return name
    shown = ", ".join(_tex_name(v) if style == LATEX else v for v in variables)
    return f"{name}({shown})"


def power(n: int, style: str) -> str:
    """The superscript for an exponent n, empty for 1."""
    if n == 1:
        return ""
    if style == UNICODE:
        return str(n).translate(SUPERSCRIPTS)
    return f"^{{{n}}}" if style == LATEX else f"^{n}"


def _runs(wrt: tuple[str, ...]) -> list[tuple[str, int]]:
    """("x", "x", "y") -> [("x", 2), ("y", 1)]."""
    return [(v, len(list(run))) for v, run in groupby(wrt)]


def _leibniz(name: str, wrt: tuple[str, ...], partial: bool, style: str) -> str:
    d = {UNICODE: "∂" if partial else "d", ASCII: "d", LATEX: r"\partial" if partial else "d"}[
        style
    ]
    runs = list(reversed(_runs(wrt)))  # the last applied stands first
    n = len(wrt)
    if style == LATEX:
        below = r" ".join(f"{d} {_tex_name(v)}{power(k, style)}" for v, k in runs)
        return rf"\frac{{{d}{power(n, style)} {_tex_name(name)}}}{{{below}}}"
    below = "".join(f"{d}{v}{power(k, style)}" for v, k in runs)
    return f"{d}{power(n, style)}{name}/{below}"


def _lagrange(name: str, wrt: tuple[str, ...], partial: bool, style: str) -> str:
    if partial:
        separator = "" if all(len(v) == 1 for v in wrt) else ","
        if style == LATEX:
            return f"{_tex_name(name)}_{{{separator.join(_tex_name(v) for v in wrt)}}}"
        return f"{name}_{separator.join(wrt)}"
    n, variable = len(wrt), wrt[0]
    if n <= 3:
        marks = "'" * n
    elif style == UNICODE:
        marks = f"({n})".translate(SUPERSCRIPTS)
    else:
        marks = f"^{{({n})}}" if style == LATEX else f"^({n})"
    if style == LATEX:
        return f"{_tex_name(name)}{marks}({_tex_name(variable)})"
    return f"{name}{marks}({variable})"


def _euler(name: str, wrt: tuple[str, ...], style: str) -> str:
    runs = list(reversed(_runs(wrt)))
    if style == LATEX:
        operators = " ".join(f"D_{{{_tex_name(v)}}}{power(k, style)}" for v, k in runs)
        return f"{operators} {_tex_name(name)}"
    return " ".join(f"D_{v}{power(k, style)}" for v, k in runs) + f" {name}"


def _tex_name(name: str) -> str:
    from .mathtext import tex_name

    return tex_name(name)
