"""Plots as text in the terminal, with plotext: f and f' (or the two slices) and tangents."""

from __future__ import annotations

import numpy as np

from ..render.mathtext import as_math
from ..render.notation import derivative_of, function_label
from ..render.settings import Settings
from .data import Curve, TextPlot
from .view import broken, limits


def render(request: TextPlot, settings: Settings) -> str:
    import plotext

    plot = request.plot
    panels = []
    for curve in plot.curves:  # one plot per curve, one under the other
        plotext.clear_figure()
        _curve(plotext, curve, plot, settings, request.colour)
        plotext.plotsize(request.width, request.height)
        plotext.theme("clear")
        text = plotext.build()
        panels.append(text if request.colour else plotext.uncolorize(text))
    plotext.clear_figure()
    names = tuple(v.name for v in plot.function.variables)
    title = f"{function_label(plot.function.name, names, settings.style)} = "
    title += as_math(plot.function.expr, settings.unicode)
    text = "\n".join(line.rstrip() for panel in panels for line in panel.splitlines())
    if not settings.unicode:  # a terminal without Unicode: frames and curves in ASCII
        text = text.translate(ASCII).encode("ascii", "replace").decode("ascii")
    return title + "\n" + text.rstrip() + "\n"


ASCII = str.maketrans(
    {**{c: "-" for c in "─┬┴"}, **{c: "|" for c in "│┤├"}, **{c: "+" for c in "┌┐└┘┼"}}
    | {c: "#" for c in "▀▄▌▐▖▗▘▝▚▞▙▛▜▟█"}
    | {"•": "*"}
)


MARKERS = ("hd", "•", ".")  # f, its derivative, the tangent: told apart without colour too


def _curve(plotext, curve: Curve, plot, settings: Settings, colour: bool) -> None:  # type: ignore[no-untyped-def]
    function = plot.function
    x = curve.variable.name
    f_mark, slope_mark, tangent_mark = ("hd", "hd", "hd") if colour else MARKERS
    low, high = limits(np.concatenate([curve.values, curve.slopes]))
    label = function_label(function.name, curve.arguments(function.variables), settings.style)
    slope = derivative_of(function, (x,), settings)
    series = [(curve.values, label, f_mark), (curve.slopes, slope, slope_mark)]
    if curve.polynomials:
        low, high = limits(curve.values)
        series = [(curve.values, label, f_mark)]
        series += [(ys, f"P{k}", "hd" if colour else ".") for k, ys in curve.polynomials]
    elif curve.tangent is not None:
        t = curve.tangent
        series.append((t.ys, f"tangent at {x} = {t.at:g}: slope {t.slope:.4g}", tangent_mark))
    xs = _listed(curve.xs)
    for values, name, mark in series:
        shown = np.where((values >= low) & (values <= high), broken(values), np.nan)
        if np.isfinite(shown).any():  # plotext cannot draw a series with no point at all
            plotext.plot(xs, _listed(shown), label=name, marker=mark)
    plotext.ylim(low, high)
    if curve.fixed:
        ((other, value),) = curve.fixed
        plotext.title(f"slice at {other.name} = {float(value):g}")
    plotext.xlabel(x)


def _listed(values) -> list[float]:  # type: ignore[no-untyped-def]
    return [float(v) for v in values]
