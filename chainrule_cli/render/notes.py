"""Notes for stderr: what the user may not have meant, and where a general formula holds."""

from __future__ import annotations

import sympy as sp

from .. import domain as d
from ..names import product_like
from ..results import VERTICAL, Backprop, Chain, Function, Implicit, Parametric, Tangent
from .failures import failure_message, true_gradient
from .mathtext import as_expr, as_math
from .notation import factor_text
from .settings import Settings

GENERAL = ("Derivative", "Gradient", "Matrix", "Directional", "Chain", "Analysis", "Definition")


def notes(result: object, settings: Settings) -> tuple[str, ...]:
    """A line for each thing the user may not have meant, such as a variable f does not contain."""
    result = getattr(result, "result", result) if hasattr(result, "report") else result
    if hasattr(result, "plot"):
        return (*glued_notes(result.plot), *result.plot.notes)  # type: ignore[attr-defined]
    lines = glued_notes(result)
    lines += [
        f'note: "{name}" is read as one variable; write {"*".join(parts)} for a product'
        for name, parts in product_like(names_in(result))
    ]
    lines += limit_notes(result)
    if not hasattr(result, "function"):
        return tuple(lines)
    name = result.function.name  # type: ignore[attr-defined]
    lines += [f"note: {name} does not depend on {v.name}" for v in getattr(result, "absent", ())]
    lines += [
        f"note: {name} also depends on {v.name}, which --vars leaves out"
        for v in getattr(result, "left_out", ())
    ]
    lines += point_notes(result, settings)
    where = holds_where(result, settings)
    if where and type(result).__name__ == "Analysis":
        lines.append(f"note: the formulas for f' and f'' hold where {where}")
    elif where and getattr(result, "point", None) is None:
        lines.append(f"note: the result holds where {where}")
    return tuple(lines)


def glued_notes(result: object) -> list[str]:
    """How each glued word was read, once per word: `read "sinx" as sin(x)`."""
    functions = [*(getattr(result, "functions", None) or [getattr(result, "function", None)])]
    functions += [getattr(result, part, None) for part in ("x", "y", "radius")]  # a curve's
    domains = [f.domain for f in functions if isinstance(f, Function)]
    if isinstance(result, Implicit):
        domains.append(result.domain)  # an equation's
    readings = [r for domain in domains for r in domain.readings]
    words = dict.fromkeys((r.word, r.read_as) for r in readings)
    return [f'note: read "{word}" as {read_as}' for word, read_as in words]


def limit_notes(result: object) -> list[str]:
    """How a parametric curve's slope was found where its speeds do not give it."""
    if not isinstance(result, Parametric) or result.value is None:
        return []
    t = result.parameter.name
    if result.stationary:
        why = f"dx/d{t} = dy/d{t} = 0 there"
    elif result.unbounded:
        why = f"d{result.unbounded}/d{t} is infinite there"
    else:
        return []
    return [
        f"note: {why}: dy/dx is the limit of (dy/d{t})/(dx/d{t}) as {t} tends to its value, "
        "from both sides"
    ]


def names_in(result: object) -> list[str]:
    """Every variable name of the input: the function's, and those of --wrt and --at."""
    if isinstance(result, Implicit):
        symbols = (result.lhs - result.rhs).free_symbols
    else:
        functions = getattr(result, "functions", None) or [getattr(result, "function", None)]
        symbols = set().union(*(f.variables for f in functions if f is not None))
    symbols |= set(getattr(result, "wrt", ()) or ())
    symbols |= {s for s, _ in getattr(result, "point", None) or ()}
    return sorted(s.name for s in symbols)


def point_notes(result: object, settings: Settings) -> list[str]:
    """At a kink, what a value means: a vertical tangent line, or a slope from one side."""
    if isinstance(result, Tangent) and result.failure and result.failure.reason == VERTICAL:
        text = failure_message(result.failure, result.function, result.point, settings)
        return [f"note: {text}"]
    if isinstance(result, Chain) and result.point is not None and result.failure is None:
        broken = [f for p in result.parts for t in p.terms for f in t.factors if f.value is None]
        if broken:
            factor = factor_text(broken[0], result, settings)
            return [
                f"note: the chain rule does not apply at this point ({factor} has no value "
                "there); the value comes from the definition of the derivative"
            ]
    if getattr(result, "numeric", False):
        return [
            "note: the values come from the numeric backward pass, in double precision "
            "(--exact computes them exactly)"
        ]
    kinks = getattr(result, "kinks", ())
    if kinks:
        return [kinks_note(result, kinks, settings)]  # type: ignore[arg-type]
    one_sided = getattr(result, "one_sided", None)
    if one_sided is not None:
        text = failure_message(one_sided, result.function, result.point, settings)  # type: ignore[attr-defined]
        return [f"note: the slope along u is taken from one side only; {text}"]
    return []


def holds_where(result: object, settings: Settings) -> str:
    """Where the general formula holds: off the function's kinks, and off the denominators the
    shown formula no longer carries (f = x²/x has f' = 1 only where x ≠ 0): `x ≠ 0 and y > 0`."""
    texts = [condition_text(k, as_math, settings.unicode) for k in _limits(result)]
    return " and ".join(dict.fromkeys(texts))


def conditions(result: object) -> list[str]:
    """The same, for JSON: `["x != 0"]`, in SymPy syntax."""
    result = getattr(result, "result", result) if hasattr(result, "report") else result
    texts = [condition_text(k, lambda e, _: as_expr(e), False) for k in _limits(result)]
    return list(dict.fromkeys(texts))


def _limits(result: object) -> list[d.Kink]:
    if type(result).__name__ not in GENERAL:
        return []
    functions = getattr(result, "functions", None) or [result.function]  # type: ignore[attr-defined]
    found = [k for f in functions for k in kinks(f)]
    if getattr(result, "definitions", ()):  # formulas in shared names: their denominators hide
        return found
    shown = shown_formulas(result)
    for function in functions:
        hidden = d.hidden_denominators(function.domain, shown)
        found += [d.Kink("/", arg, d.OFF_ZERO) for arg in hidden]
    return found


def shown_formulas(result: object) -> tuple:
    """The formulas a general result prints, each a SymPy expression."""
    if hasattr(result, "rows"):
        return tuple(e for row in result.rows for e in row)  # type: ignore[attr-defined]
    if hasattr(result, "components"):
        return tuple(result.components)  # type: ignore[attr-defined]
    if hasattr(result, "parts"):
        return tuple(part.result for part in result.parts)  # type: ignore[attr-defined]
    if hasattr(result, "concave_up"):
        return (result.first, result.second)  # type: ignore[attr-defined]
    return (result.result,)  # type: ignore[attr-defined]


def kinks(function: Function) -> list[d.Kink]:
    """The function's kinks that some real point can reach (x² + 1 never vanishes)."""
    found = []
    for kink in function.domain.kinks:
        if kink.holds in (d.OFF_ZERO, d.ABOVE_ZERO) and kink.arg.is_zero is False:
            continue
        found.append(kink)
    return found


def condition_text(kink: d.Kink, show, unicode: bool) -> str:  # type: ignore[no-untyped-def]
    arg = show(kink.arg, unicode)
    ne, lt = ("≠", "<") if unicode else ("!=", "<")
    if kink.holds == d.INSIDE_UNIT:
        return f"-1 {lt} {arg} {lt} 1"
    if kink.holds == d.ABOVE_ONE:
        return f"{arg} > 1"
    if kink.holds == d.ABOVE_ZERO and not kink.arg.is_nonnegative:
        return f"{arg} > 0"
    solved = _solved(kink.arg)
    if solved is not None:
        return f"{show(solved[0], unicode)} {ne} {show(solved[1], unicode)}"
    return f"{arg} {ne} 0"


def _solved(arg):  # type: ignore[no-untyped-def]
    """x - 1 as (x, 1): a linear expression in one variable, with its root."""
    if len(arg.free_symbols) != 1 or not arg.is_polynomial():
        return None
    (x,) = arg.free_symbols
    a, b = arg.coeff(x, 1), arg.coeff(x, 0)
    if sp.expand(arg - a * x - b) != 0 or a == 0:
        return None
    return x, -b / a


def kinks_note(result: Backprop, kinks: tuple[str, ...], settings: Settings) -> str:
    """What backprop passes back at a kink, and whether f has a gradient there at all."""
    if result.true_gradient is not None:
        verdict = f"they are not f's gradient there, which is {true_gradient(result, settings)}"
    elif result.no_gradient is None:
        verdict = "f has a gradient there, and these values are it"
    else:
        text = failure_message(result.no_gradient, result.function, result.point, settings)
        verdict = f"they are not a gradient: {text}"
    return (
        f"note: {', '.join(kinks)} {'is' if len(kinks) == 1 else 'are'} at a kink (the "
        "argument of |u|, sign(u) or relu(u) is 0, or max and min tie): backprop passes back "
        "what PyTorch does (0 for |u|, sign and relu; a tie's gradient split evenly among the "
        f"tied arguments, as amax does); {verdict}"
    )
