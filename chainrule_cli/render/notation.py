"""How a derivative is written: Leibniz, Lagrange or Euler, in Unicode, ASCII or LaTeX, and
whether it is partial (∂) or ordinary (d). Every label of every result comes from here.

`wrt` always lists variables in the order they are applied: ("x", "y") is "first x, then y",
which Leibniz writes ∂²f/∂y∂x, Lagrange f_xy and Euler D_y D_x f.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from itertools import groupby
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..results import Derivative, Gradient
    from .settings import Settings

UNICODE, ASCII, LATEX = "unicode", "ascii", "latex"
SUPERSCRIPTS = str.maketrans("0123456789()-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁻")
SUPERSCRIPT_LETTERS = dict(zip("abcdefghijklmnoprstuvwxyz", "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ"))


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


def operator(variable: str, partial: bool, notation: Notation, style: str) -> str:
    """How "the derivative of" is written before an expression: d/dx, ∂/∂x, D_x."""
    if notation is Notation.euler:
        return f"D_{{{variable}}}" if style == LATEX else f"D_{variable}"
    if style == LATEX:
        d = r"\partial" if partial else "d"
        return rf"\frac{{{d}}}{{{d} {variable}}}"
    d = "∂" if partial and style == UNICODE else "d"
    return f"{d}/{d}{variable}"


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


# Labels of results


def is_partial(variables: Iterable, wrt: Iterable = ()) -> bool:
    """∂ rather than d: the function has, or is differentiated by, more than one variable.
    The one place deriv decides it (chain adds the general chain rule's convention)."""
    variables = tuple(variables)
    if len(variables) > 1:
        return True  # the common case, decided without a set of possibly thousands
    return len({getattr(v, "name", v) for v in (*variables, *wrt)}) > 1


def derivative_of(function, wrt, settings: Settings, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """The label of the derivative of a Function by wrt (in order): df/dx, ∂²f/∂y∂x, f_xy."""
    names = tuple(getattr(v, "name", v) for v in wrt)
    partial = is_partial(function.variables, names)
    return derivative_label(
        function.name, names, partial, settings.notation, style or settings.style
    )


def partial_of(result: Derivative | Gradient) -> bool:
    """A Derivative's (or each component of a Gradient's) ∂ or d."""
    return is_partial(result.function.variables, getattr(result, "wrt", None) or result.variables)


def derivative_text(result, settings: Settings, variable=None, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """A Derivative's label, or a Gradient's component by `variable`."""
    if variable is not None:
        wrt = getattr(result, "wrt", None) or result.variables
        partial = is_partial(result.function.variables, wrt)
        name, settings_style = result.function.name, style or settings.style
        return derivative_label(name, (variable.name,), partial, settings.notation, settings_style)
    return derivative_of(result.function, result.wrt, settings, style)


def gradient_text(result: Gradient, settings: Settings, style: str | None = None) -> str:
    return gradient_label(result.function.name, style or settings.style)


def factor_text(factor, chain, settings: Settings, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """∂u/∂x for one link of the chain: ∂ when the composed function has several variables (the
    general chain rule) or the node several arguments, d otherwise. A direct link to an input
    variable from a node that also uses inner functions is the explicit partial, with those
    held fixed: ∂f/∂x|_u for f(u, x)."""
    style = style or settings.style
    inner = {s.name for s, _ in chain.inner}
    arguments = {s.name for s in node_expr(chain, factor.of).free_symbols}
    partial = is_partial(chain.function.variables) or is_partial(arguments)
    label = derivative_label(factor.of, (factor.by,), partial, settings.notation, style)
    held = sorted(arguments & inner) if factor.by not in inner else []
    return held_fixed(label, held, style) if held else label


def node_expr(chain, name: str):  # type: ignore[no-untyped-def]
    if name == chain.function.name:
        return chain.outer
    return next(expr for symbol, expr in chain.inner if symbol.name == name)


def held_fixed(label: str, names: list[str], style: str) -> str:
    if style == LATEX:
        from .mathtext import tex_name

        shown = ", ".join(tex_name(n) for n in names)
        return rf"\left. {label} \right|_{{{shown}}}"
    return f"{label}|_{','.join(names)}"


def chain_text(chain, variable, settings: Settings, style: str | None = None) -> str:  # type: ignore[no-untyped-def]
    """The total derivative: df/dx for a function of one variable, ∂f/∂x for several."""
    partial = is_partial(chain.function.variables)
    return derivative_label(
        chain.function.name, (variable.name,), partial, settings.notation, style or settings.style
    )


def nth_label(name: str, variable: str, order: str, notation: Notation, style: str) -> str:
    """The n-th derivative's label for a symbolic order: dⁿf/dxⁿ, f⁽ⁿ⁾(x), D_xⁿ f."""
    if style == LATEX:
        f, x, n = _tex_name(name), _tex_name(variable), _tex_name(order)
        if notation == Notation.lagrange:
            return f"{f}^{{({n})}}({x})"
        if notation == Notation.euler:
            return f"D_{{{x}}}^{{{n}}} {f}"
        return rf"\frac{{d^{{{n}}} {f}}}{{d {x}^{{{n}}}}}"
    raised = SUPERSCRIPT_LETTERS.get(order) if style == UNICODE else None
    if notation == Notation.lagrange:
        return f"{name}⁽{raised}⁾({variable})" if raised else f"{name}^({order})({variable})"
    if notation == Notation.euler:
        return f"D_{variable}{raised} {name}" if raised else f"D_{variable}^{order} {name}"
    if raised:
        return f"d{raised}{name}/d{variable}{raised}"
    return f"d^{order} {name}/d{variable}^{order}"
