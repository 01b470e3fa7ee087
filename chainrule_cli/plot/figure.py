"""Plots as image files (PNG, SVG, PDF) with matplotlib, drawn from plotting.Plot records.

matplotlib's object API with the Agg canvas: no pyplot state, no window, no display needed.
"""

from __future__ import annotations

import warnings

import numpy as np

from ..render.mathtext import as_latex, as_math
from ..render.notation import LATEX, derivative_of, function_label
from ..render.settings import Settings
from .data import Plot, PlotFile
from .view import broken, limits, shown_range

SIZES = {1: (8.0, 5.0), 2: (12.0, 9.0)}  # inches, at DPI dots per inch
DPI = 100
F_COLOUR, SLOPE_COLOUR, TANGENT_COLOUR = "tab:blue", "tab:orange", "tab:red"


def render(request: PlotFile, settings: Settings) -> str:
    try:
        with warnings.catch_warnings():  # matplotlib's and numpy's, about NaN gaps: expected
            warnings.simplefilter("ignore")
            draw(request.plot, settings).savefig(request.path, dpi=DPI)
    except OSError as error:
        from ..errors import OutputError

        raise OutputError(f"cannot write {request.path}: {error.strerror or error}") from None
    return request.path + "\n"


def draw(plot: Plot, settings: Settings):  # type: ignore[no-untyped-def]
    """The matplotlib Figure for the plot (not yet saved)."""
    from matplotlib.figure import Figure

    dimensions = len(plot.function.variables)
    figure = Figure(figsize=SIZES[dimensions], dpi=DPI, layout="constrained")
    figure.suptitle(_title(plot, settings), fontsize=14)
    if dimensions == 1:
        _curve_axes(figure.add_subplot(), plot, 0, settings)
    else:
        _surface_axes(figure.add_subplot(2, 2, 1, projection="3d"), plot)
        _contour_axes(figure.add_subplot(2, 2, 2), plot, settings)
        _curve_axes(figure.add_subplot(2, 2, 3), plot, 0, settings)
        _curve_axes(figure.add_subplot(2, 2, 4), plot, 1, settings)
    return figure


def _title(plot: Plot, settings: Settings) -> str:
    """f(x, y) = ... in TeX when matplotlib's mathtext can typeset it, else as text."""
    function = plot.function
    names = tuple(v.name for v in function.variables)
    tex = f"${function_label(function.name, names, LATEX)} = {as_latex(function.expr)}$"
    if _typesets(tex):
        return tex
    return f"{function_label(function.name, names)} = {as_math(function.expr, settings.unicode)}"


def _typesets(tex: str) -> bool:
    from matplotlib.mathtext import MathTextParser

    try:
        MathTextParser("path").parse(tex)
    except ValueError:
        return False
    return True


def _labels(plot: Plot, index: int, settings: Settings) -> tuple[str, str]:
    """The legend's names of f (of a slice: f(x, 2)) and of its derivative, with its formula."""
    curve = plot.curves[index]
    function = plot.function
    arguments = curve.arguments(function.variables)
    slope = derivative_of(function, (curve.variable,), settings, LATEX)
    formula = f"${slope} = {as_latex(curve.derivative)}$"
    return f"${function_label(function.name, arguments, LATEX)}$", (
        formula if _typesets(formula) else f"${slope}$"
    )


def _curve_axes(axes, plot: Plot, index: int, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    curve = plot.curves[index]
    x = curve.variable.name
    if curve.fixed:
        ((other, value),) = curve.fixed
        axes.set_title(f"slice at {other.name} = {float(value):g}: slope in {x}")
    f_label, slope_label = _labels(plot, index, settings)
    axes.plot(curve.xs, broken(curve.values), color=F_COLOUR, label=f_label, linewidth=2.5)
    if curve.polynomials:
        _polynomial_lines(axes, curve)
        return
    axes.plot(curve.xs, broken(curve.slopes), color=SLOPE_COLOUR, label=slope_label)
    if curve.tangent is not None:
        t = curve.tangent
        tangent = f"tangent at {x} = {t.at:g}: slope {t.slope:.4g}"
        axes.plot(curve.xs, t.ys, color=TANGENT_COLOUR, linestyle="--", label=tangent)
        axes.plot([t.at], [t.value], "o", color=TANGENT_COLOUR)
    axes.set_xlim(curve.xs[0], curve.xs[-1])
    axes.set_ylim(*limits(np.concatenate([curve.values, curve.slopes])))
    axes.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.set_xlabel(f"${as_latex(curve.variable)}$")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best")


def _polynomial_lines(axes, curve) -> None:  # type: ignore[no-untyped-def]
    """P₁ ... P_N dashed, in a sequence of colours, f's scale kept (a polynomial runs away)."""
    t = curve.tangent
    for order, ys in curve.polynomials:
        axes.plot(curve.xs, ys, linestyle="--", color=f"C{order}", label=f"$P_{{{order}}}$")
    axes.plot([t.at], [t.value], "o", color=TANGENT_COLOUR)
    axes.set_title(f"Taylor polynomials at {curve.variable.name} = {t.at:g}")
    axes.set_xlim(curve.xs[0], curve.xs[-1])
    low, high = limits(curve.values)
    margin = 0.5 * (high - low) or 1.0
    axes.set_ylim(low - margin, high + margin)
    axes.axhline(0, color="0.8", linewidth=0.8, zorder=0)
    axes.set_xlabel(f"${as_latex(curve.variable)}$")
    axes.grid(True, alpha=0.3)
    axes.legend(loc="best")


def _surface_axes(axes, plot: Plot) -> None:  # type: ignore[no-untyped-def]
    surface = plot.surface
    low, high = limits(surface.z)
    shown = np.where((surface.z >= low) & (surface.z <= high), surface.z, np.nan)
    axes.plot_surface(surface.x, surface.y, np.ma.masked_invalid(shown), cmap="viridis")
    axes.set_zlim(low, high)
    x, y = plot.function.variables
    (_, px), (_, py) = plot.point
    pz = plot.curves[0].tangent.value if plot.curves[0].tangent else None
    if pz is not None:
        axes.scatter([float(px)], [float(py)], [pz], color=TANGENT_COLOUR, s=30, depthshade=False)
    axes.set_xlabel(f"${as_latex(x)}$")
    axes.set_ylabel(f"${as_latex(y)}$")
    axes.set_title("surface")


def _contour_axes(axes, plot: Plot, settings: Settings) -> None:  # type: ignore[no-untyped-def]
    surface = plot.surface
    x, y = plot.function.variables
    low, high, clipped = shown_range(surface.z)
    if high > low:
        from matplotlib.ticker import MaxNLocator

        levels = MaxNLocator(20).tick_values(low, high)
        z = np.ma.masked_invalid(surface.z)
        extend = "both" if clipped else "neither"
        filled = axes.contourf(
            surface.x, surface.y, z, levels=levels, cmap="viridis", extend=extend
        )
        axes.figure.colorbar(filled, ax=axes)
    ax, ay, u, v = surface.arrows
    u, v = _capped(u, v)
    axes.quiver(ax, ay, u, v, color="white", edgecolor="black", linewidth=0.4)
    (_, px), (_, py) = plot.point
    axes.plot([float(px)], [float(py)], "o", color=TANGENT_COLOUR)
    axes.set_xlabel(f"${as_latex(x)}$")
    axes.set_ylabel(f"${as_latex(y)}$")
    axes.set_title("contours and the gradient field")
    axes.set_aspect("auto")


def _capped(u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Arrows no longer than most: near a pole a few huge ones would shrink all the others."""
    length = np.hypot(u, v)
    finite = length[np.isfinite(length)]
    if finite.size == 0:
        return u, v
    cap = float(np.percentile(finite, 90)) or 1.0
    scale = np.where(length > cap, cap / np.where(length > 0, length, 1.0), 1.0)
    return u * scale, v * scale
