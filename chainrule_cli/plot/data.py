"""What a plot shows, as numbers: sampled f, its derivatives and tangent lines.

Pure data, no matplotlib: the figure and terminal renderers draw these records, and tests read
them. One variable: f and f' over the range, with the tangent at --at. Two variables: f on a
grid, the gradient field on a coarser one, and the slices through the point along x and y,
each with its tangent line of slope ∂f/∂x or ∂f/∂y there.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import sympy as sp

from ..differentiation import differentiate
from ..errors import InputError, MathError
from ..points import derivative_at
from ..results import Failure, Function, Point
from .sampling import sample

Range = tuple[float, float]
DEFAULT_RANGE: Range = (-3.0, 3.0)
CURVE_SAMPLES = 801
GRID_SAMPLES = 81
ARROW_SAMPLES = 15


@dataclass(frozen=True)
class Tangent:
    """The line through (at, value) with this slope, sampled over its curve's xs."""

    at: float
    value: float
    slope: float
    ys: np.ndarray


@dataclass(frozen=True)
class Curve:
    """f (or a slice of it) and its derivative along one variable."""

    variable: sp.Symbol
    derivative: sp.Expr
    xs: np.ndarray
    values: np.ndarray
    slopes: np.ndarray
    tangent: Tangent | None
    fixed: Point = ()  # the other variables' values, for a slice
    polynomials: tuple[tuple[int, np.ndarray], ...] = ()  # with --taylor: (order, P(xs))

    def arguments(self, variables: tuple[sp.Symbol, ...]) -> tuple[str, ...]:
        """f's arguments as labels show them: (x, 2) for the slice at y = 2."""
        fixed = {s: f"{float(v):g}" for s, v in self.fixed}
        return tuple(fixed.get(v, v.name) for v in variables)


@dataclass(frozen=True)
class Surface:
    """f over a grid, and the gradient field (arrows) on a coarser grid."""

    x: np.ndarray
    y: np.ndarray
    z: np.ndarray  # z[i, j] = f(x[i, j], y[i, j])
    arrows: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # X, Y, ∂f/∂x, ∂f/∂y


@dataclass(frozen=True)
class Plot:
    function: Function
    point: Point  # the point of the tangents (given by --at, or the origin for slices)
    curves: tuple[Curve, ...]  # one variable: f; two: the slice along x, then along y
    surface: Surface | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlotFile:
    """A plot to be written to an image file (PNG, SVG or PDF by the name's ending)."""

    plot: Plot
    path: str

    def drawn(self, settings) -> str:  # type: ignore[no-untyped-def]
        """Writes the image; what deriv prints: the file's path."""
        from .figure import render

        return render(self, settings)


@dataclass(frozen=True)
class TextPlot:
    """A plot to be drawn as text in the terminal."""

    plot: Plot
    width: int
    height: int
    colour: bool

    def drawn(self, settings) -> str:  # type: ignore[no-untyped-def]
        from .textplot import render

        return render(self, settings)


def plot_data(
    function: Function,
    ranges: dict[sp.Symbol, Range],
    point: Point | None,
    taylor: int | None = None,
) -> Plot:
    variables = function.variables
    if not variables:
        raise InputError(f"{function.name} has no variables to plot against")
    if len(variables) > 2:
        names = ", ".join(v.name for v in variables)
        raise InputError(
            f"plot draws functions of one or two variables; {function.name} has {names}"
        )
    unknown = [s.name for s in ranges if s not in variables]
    if unknown:
        raise InputError(f"--range names {unknown[0]}, which {function.name} does not contain")
    spans = tuple(ranges.get(v, _around(v, point)) for v in variables)
    if taylor is not None:
        return _plot_taylor(function, spans, point, taylor)
    if len(variables) == 1:
        return _plot_1d(function, spans[0], point)
    return _plot_2d(function, spans, point)


def _around(variable: sp.Symbol, point: Point | None) -> Range:
    """The default range: -3..3, or 3 either side of the point's coordinate."""
    given = dict(point or ())
    if variable not in given:
        return DEFAULT_RANGE
    centre = float(given[variable])
    return centre + DEFAULT_RANGE[0], centre + DEFAULT_RANGE[1]


def _plot_1d(function: Function, span: Range, point: Point | None) -> Plot:
    (x,) = function.variables
    at = _coordinates(function, point) if point else None
    slope = _slope_at(function, x, point) if point else None
    curve = _curve(function.expr, x, span, at[x] if at else None, (), slope)
    _require_values(function, curve.values, span)
    notes = _missing_tangents(function, ((curve, slope),), point, "")
    return Plot(function, point or (), (curve,), notes=notes)


def _slope_at(function: Function, variable: sp.Symbol, point: Point) -> float | Failure:
    """The tangent's slope at the point as deriv takes any derivative there (the point oracle):
    a corner, a jump or a vertical tangent has no tangent line to draw."""
    formula = differentiate(function.expr, variable)
    outcome = derivative_at(function, (variable,), point, formula)
    return outcome if isinstance(outcome, Failure) else float(outcome.approx)


TAYLOR_ORDERS = 6  # polynomials drawn at most: more would hide f


def _plot_taylor(
    function: Function, spans: tuple[Range, ...], point: Point | None, order: int
) -> Plot:
    """f with its Taylor polynomials P₁ ... P_N at --at (default 0): f' is left out, P₁ is the
    tangent line."""
    from ..toolbox import taylor

    if len(function.variables) != 1:
        raise InputError("--taylor draws a function of one variable with its polynomials")
    if not 1 <= order <= TAYLOR_ORDERS:
        raise InputError(f"--taylor takes an order from 1 to {TAYLOR_ORDERS}")
    (x,) = function.variables
    point = point or ((x, sp.Integer(0)),)
    at = _coordinates(function, point)
    expansion = taylor(function, point, order)
    if expansion.failure is not None:
        raise MathError(f"{function.name} has no Taylor polynomial of order {order} there")
    curve = _curve(function.expr, x, spans[0], None, ())
    _require_values(function, curve.values, spans[0])
    polynomials = tuple(
        (
            k,
            np.broadcast_to(
                sample(sp.Add(*expansion.terms[: k + 1]), {x: curve.xs}), curve.xs.shape
            ),
        )
        for k in range(1, order + 1)
    )
    value = float(sample(function.expr, {x: np.array(at[x])}))
    tangent = Tangent(at[x], value, float("nan"), curve.values)  # marks the point only
    return Plot(function, point, (replace(curve, polynomials=polynomials, tangent=tangent),))


def _plot_2d(function: Function, spans: tuple[Range, Range], point: Point | None) -> Plot:
    x, y = function.variables
    at = _coordinates(function, point) if point else {x: 0.0, y: 0.0}
    exact = dict(point) if point else {x: sp.Integer(0), y: sp.Integer(0)}
    fx, fy = differentiate(function.expr, x), differentiate(function.expr, y)
    gx, gy = (np.linspace(*span, GRID_SAMPLES) for span in spans)
    grid_x, grid_y = np.meshgrid(gx, gy)
    z = sample(function.expr, {x: grid_x, y: grid_y})
    _require_values(function, z, *spans)
    ax, ay = (np.linspace(*span, ARROW_SAMPLES) for span in spans)
    arrow_x, arrow_y = np.meshgrid(ax, ay)
    grid = {x: arrow_x, y: arrow_y}
    arrows = (arrow_x, arrow_y, sample(fx, grid), sample(fy, grid))
    given = tuple((v, exact[v]) for v in (x, y))
    drawn = []
    for variable, other, span in ((x, y, spans[0]), (y, x, spans[1])):
        fixed = ((other, exact[other]),)
        along = function.expr.xreplace({other: fixed[0][1]})
        slope = _slope_at(function, variable, given)
        drawn.append((_curve(along, variable, span, at[variable], fixed, slope), slope))
    surface = Surface(grid_x, grid_y, z, arrows)
    notes = _missing_tangents(function, tuple(drawn), given, " along {}")
    return Plot(function, given, tuple(c for c, _ in drawn), surface, notes)


def _curve(
    expr: sp.Expr,
    x: sp.Symbol,
    span: Range,
    at: float | None,
    fixed: Point,
    slope: float | Failure | None = None,
) -> Curve:
    derivative = differentiate(expr, x)
    xs = np.linspace(*span, CURVE_SAMPLES)
    values, slopes = sample(expr, {x: xs}), sample(derivative, {x: xs})
    tangent = None
    if at is not None and isinstance(slope, float):
        value = float(sample(expr, {x: np.array(at)}))
        if np.isfinite(value) and np.isfinite(slope):
            tangent = Tangent(at, value, slope, value + slope * (xs - at))
    return Curve(x, derivative, xs, values, slopes, tangent, fixed)


def _missing_tangents(
    function: Function, drawn: tuple[tuple[Curve, float | Failure | None], ...], point, along: str
) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    """A note for each tangent that is not drawn, saying why, as deriv diff would."""
    if not point:
        return ()
    from ..render.failures import failure_message
    from ..render.settings import Settings

    return tuple(
        f"note: no tangent line{along.format(c.variable.name)}: "
        + failure_message(slope, function, point, Settings())
        for c, slope in drawn
        if c.tangent is None and isinstance(slope, Failure)
    )


def _coordinates(function: Function, point: Point) -> dict[sp.Symbol, float]:
    given = dict(point)
    missing = [v.name for v in function.variables if v not in given]
    if missing:
        raise InputError(f"--at gives no value for {', '.join(missing)}")
    extra = [s.name for s in given if s not in function.variables]
    if extra:
        raise InputError(f"--at names {extra[0]}, which {function.name} does not contain")
    values = {v: complex(sp.N(given[v], 17)) for v in function.variables}
    if any(abs(c.imag) > 0 for c in values.values()):
        raise InputError("--at values must be real numbers")
    return {v: c.real for v, c in values.items()}


def _require_values(function: Function, values: np.ndarray, *spans: Range) -> None:
    if not np.isfinite(values).any():
        where = " and ".join(
            f"{v.name} in [{_short(a)}, {_short(b)}]"
            for v, (a, b) in zip(function.variables, spans)
        )
        raise MathError(f"{function.name} has no finite real value for {where}")


def _short(value: float) -> str:
    return f"{float(value) + 0.0:.6g}"  # + 0.0: a slope of -0.0 reads 0, never -0
