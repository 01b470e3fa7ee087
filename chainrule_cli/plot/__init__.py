"""deriv plot: f with its derivatives, as an image (matplotlib) or as text in the terminal
(plotext). The optional extra: these modules are imported only by the plot command."""

from __future__ import annotations

from dataclasses import dataclass

SUFFIXES = (".png", ".svg", ".pdf")
# The plot extra's packages, as pyproject.toml pins them: deriv is installed from a checkout or a
# wheel, not from a package index, so the advice names the packages, not the extra.
EXTRA = {"matplotlib": "matplotlib>=3.7", "plotext": "plotext>=5.2,<6"}


def install_advice(module: str) -> str:
    """How to install a plot module into the Python that runs deriv."""
    import shlex
    import sys

    return f"{shlex.quote(sys.executable)} -m pip install '{EXTRA[module]}'"


@dataclass(frozen=True)
class Screen:
    """Where a text plot goes: its size in characters, and whether it may use colour."""

    width: int
    height: int
    colour: bool


def plot(
    f,
    *,
    target: str | Screen,
    ranges=None,
    at=None,
    name: str = "f",
    exact: bool = False,
    taylor=None,
):  # type: ignore[no-untyped-def]
    """The plot of f: into the image file `target`, or as text for a Screen; with `taylor` N,
    f with its Taylor polynomials of orders 1 to N at `at` (default 0)."""
    from ..api import declared_by, read_function, read_point
    from ..decimals import typed_decimals, with_decimals
    from ..options import parse_ranges
    from .data import PlotFile, TextPlot, plot_data

    function = read_function(f, name, exact, declared_by(ranges, at))
    spans = parse_ranges(ranges) if isinstance(ranges, str) else dict(ranges or {})
    data = plot_data(function, spans, read_point(at, exact), taylor)
    if not exact and typed_decimals(f):  # labels as typed: 0.5x, not x/2
        data = with_decimals(data)
    if isinstance(target, Screen):
        return TextPlot(data, target.width, target.height, target.colour)
    return PlotFile(data, target)
