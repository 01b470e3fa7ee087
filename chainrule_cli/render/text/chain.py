"""Pretty and plain layout of the chain rule: each factor, each product, the sum, the check."""

from __future__ import annotations

import sympy as sp

from ...results import Chain, ChainPart, Term
from ..mathtext import as_math
from ..notation import chain_text, factor_text, function_label
from ..settings import Settings
from .lines import Line, Segment, decimal, equation, function_line, layout, vector


@layout.register
def _(chain: Chain, settings: Settings) -> list[Line]:
    lines = [function_line(chain.function, settings)]
    lines.append(definition(chain.function.name, chain.outer, chain, settings))
    lines += [definition(s.name, e, chain, settings) for s, e in chain.inner]
    for part in chain.parts:
        lines += part_lines(chain, part, settings)
    if len(chain.parts) > 1 and chain.variables == chain.function.variables:
        column = vector([as_math(p.result, settings.unicode) for p in chain.parts], settings)
        nabla = "∇" if settings.unicode else "grad "
        lines.append(
            (Segment(nabla + chain.function.name, "label"), Segment(" = "), Segment(column, "math"))
        )
    if chain.point is not None and chain.failure is None:
        where = ", ".join(f"{s.name} = {as_math(v, settings.unicode)}" for s, v in chain.point)
        lines.append((Segment(f"at {where}:"),))
        lines += [point_line(chain, part, settings) for part in chain.parts]
    lines.append(check_line(chain, settings))
    return lines


def definition(name: str, expr: sp.Expr, chain: Chain, settings: Settings) -> Line:
    args = definition_arguments(expr, chain)
    label = function_label(name, tuple(s.name for s in args), settings.style)
    return (Segment("  "), *equation(label, expr, settings))


def definition_arguments(expr: sp.Expr, chain: Chain) -> list[sp.Symbol]:
    """What a piece of the chain is a function of: inner functions first, then variables."""
    inner = [s for s, _ in chain.inner]
    used = [s for s in inner if s in expr.free_symbols]
    return used + sorted(expr.free_symbols - set(inner), key=chain.function.variables.index)


def part_lines(chain: Chain, part: ChainPart, settings: Settings) -> list[Line]:
    label = chain_text(chain, part.variable, settings)
    result = as_math(part.result, settings.unicode)
    if not part.terms:
        return [(Segment(label, "label"), Segment(" = "), Segment(result, "math"))]
    paths = " + ".join(path_text(chain, t, settings) for t in part.terms)
    if len(part.terms) == 1:
        steps = [paths, factors_text(part.terms[0], settings), result]
        return [
            (Segment(label, "label"), Segment(" = "), Segment(" = ".join(_unique(steps)), "math"))
        ]
    lines: list[Line] = [(Segment(label, "label"), Segment(" = "), Segment(paths, "math"))]
    for term in part.terms:
        shown = " = ".join(
            _unique(
                [
                    path_text(chain, term, settings),
                    factors_text(term, settings),
                    as_math(term.product, settings.unicode),
                ]
            )
        )
        lines.append((Segment("  "), Segment(shown, "math")))
    lines.append((Segment("  "), Segment(label, "label"), Segment(" = "), Segment(result, "math")))
    return lines


def path_text(chain: Chain, term: Term, settings: Settings) -> str:
    return times(settings).join(factor_text(f, chain, settings) for f in term.factors)


def factors_text(term: Term, settings: Settings) -> str:
    return times(settings).join(factor_math(f.expr, settings) for f in term.factors)


def factor_math(expr: sp.Expr, settings: Settings) -> str:
    text = as_math(expr, settings.unicode)
    return f"({text})" if expr.is_Add or text.startswith("-") else text


def times(settings: Settings) -> str:
    return " · " if settings.unicode else " * "


def point_line(chain: Chain, part: ChainPart, settings: Settings) -> Line:
    """The numbers a backward pass would see: each factor's value, each product, the sum."""
    label = chain_text(chain, part.variable, settings)
    if any(f.value is None for t in part.terms for f in t.factors):
        value = number(part.value, settings)
        return (Segment("  "), Segment(label, "label"), Segment(" = "), Segment(value, "value"))
    products = [
        times(settings).join(
            f"({v})" if v.startswith("-") else v
            for v in (number(f.value, settings) for f in t.factors)
        )
        for t in part.terms
    ]
    steps = _unique([" + ".join(products), number(part.value, settings)])
    return (
        Segment("  "),
        Segment(label, "label"),
        Segment(" = "),
        Segment(" = ".join(s for s in steps if s), "value"),
    )


def number(value, settings: Settings) -> str:
    """A short exact value as it is (1/3, sqrt(2)); a long one as a decimal."""
    exact = as_math(value.exact, settings.unicode)
    if isinstance(value.exact, sp.Float) or len(exact) > 8:
        return decimal(value, settings)
    return exact


def check_line(chain: Chain, settings: Settings) -> Line:
    name = function_label(
        chain.function.name, tuple(v.name for v in chain.function.variables), settings.style
    )
    if chain.matches_direct:
        mark = "✓" if settings.unicode else "ok:"
        return (Segment(f"{mark} matches the direct derivative of {name}", "check"),)
    mark = "✗" if settings.unicode else "MISMATCH:"
    wrong = ", ".join(
        f"{chain_text(chain, p.variable, settings)} = {as_math(p.direct, settings.unicode)}"
        for p in chain.parts
        if not p.matches
    )
    return (Segment(f"{mark} does not match the direct derivative: {wrong}", "error"),)


def _unique(steps: list[str]) -> list[str]:
    """Drop a step that repeats the one before it (= 3 = 3)."""
    return [s for i, s in enumerate(steps) if i == 0 or s != steps[i - 1]]
