"""deriv plot: image files of the lecture's functions, and the numbers handed to matplotlib.

The derivative data is checked against derivatives worked out by hand (12x for 6x², the
constant slopes of 3x + y, -0.5 and 0.5y for -0.5x + 0.25y²) and against finite differences of
the plotted f itself, never against the symbolic route that produced it.
"""

from __future__ import annotations

import io
import shlex
import struct
import sys
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

pytest.importorskip("matplotlib")

from strategies import expressions  # noqa: E402

from chainrule_cli.calculus import function_of  # noqa: E402
from chainrule_cli.options import parse_point, parse_ranges  # noqa: E402
from chainrule_cli.parser import parse  # noqa: E402
from chainrule_cli.plot.data import plot_data  # noqa: E402
from chainrule_cli.plot.figure import draw  # noqa: E402
from chainrule_cli.plot.sampling import sample  # noqa: E402
from chainrule_cli.render.settings import Settings  # noqa: E402

LECTURE = {"6x^2": (800, 500), "3x + y": (1200, 900), "-0.5x + 0.25y^2": (1200, 900)}


def png_size(path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_size(path) -> tuple[float, float]:
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg")
    return float(root.get("width").removesuffix("pt")), float(root.get("height").removesuffix("pt"))


def figure_of(text: str, at: str | None = None, ranges: str | None = None):
    function = function_of(parse(text))
    point = parse_point(at) if at else None
    plot = plot_data(function, parse_ranges(ranges) if ranges else {}, point)
    return plot, draw(plot, Settings())


def slices(figure):
    return [axes for axes in figure.axes if axes.get_title().startswith("slice")]


@pytest.mark.parametrize("text", LECTURE)
def test_lecture_functions_as_png_and_svg(deriv, tmp_path, text):
    width, height = LECTURE[text]
    png, svg = tmp_path / "f.png", tmp_path / "f.svg"
    ran = deriv("plot", text, "--at", "x=1,y=2" if "y" in text else "x=1", "--out", str(png))
    assert ran.code == 0, ran.err
    assert ran.out == f"{png}\n"
    assert png_size(png) == (width, height)
    assert deriv("plot", text, "--out", str(svg)).code == 0
    assert svg_size(svg) == (width * 72 / 100, height * 72 / 100)  # points, at 100 dpi


def test_pdf(deriv, tmp_path):
    pdf = tmp_path / "f.pdf"
    assert deriv("plot", "sin(x)", "--out", str(pdf)).code == 0
    assert pdf.read_bytes().startswith(b"%PDF-")


def test_one_variable_plots_f_its_derivative_and_the_tangent():
    # f = 6x², f' = 12x, tangent at x = 1: y = 6 + 12(x - 1)
    plot, figure = figure_of("6x^2", at="x=1")
    f_line, slope_line, tangent_line, point = figure.axes[0].lines[:4]
    xs, fs = f_line.get_data()
    assert np.allclose(fs, 6 * xs**2)
    assert np.allclose(slope_line.get_ydata(), 12 * xs)
    assert np.allclose(tangent_line.get_ydata(), 6 + 12 * (xs - 1))
    assert np.allclose(np.gradient(fs, xs)[1:-1], slope_line.get_ydata()[1:-1], atol=1e-3)
    assert point.get_data() == ([1.0], [6.0])
    assert slope_line.get_label() == r"$\frac{d f}{d x} = 12 x$"


def test_a_plane_has_the_same_slopes_everywhere():
    # f = 3x + y: ∂f/∂x = 3 and ∂f/∂y = 1 at every point, so every arrow is (3, 1)
    plot, figure = figure_of("3x + y")
    _, _, u, v = plot.surface.arrows
    assert np.all(u == 3) and np.all(v == 1)
    for axes, slope in zip(slices(figure), (3, 1)):
        f_line, slope_line, tangent_line, _ = axes.lines[:4]
        assert np.all(slope_line.get_ydata() == slope)
        assert np.allclose(tangent_line.get_ydata(), f_line.get_ydata())  # a plane is its own


def test_the_lecture_slices_of_the_valley():
    # f = -0.5x + 0.25y² at (1, 2): slope in x is -0.5, slope in y is 0.5y = 1, f = 0.5
    plot, figure = figure_of("-0.5x + 0.25y^2", at="x=1,y=2")
    along_x, along_y = slices(figure)
    xs, fx = along_x.lines[0].get_data()
    assert np.allclose(fx, -0.5 * xs + 1)  # f(x, 2)
    assert np.all(along_x.lines[1].get_ydata() == -0.5)
    ys, fy = along_y.lines[0].get_data()
    assert np.allclose(fy, -0.5 + 0.25 * ys**2)  # f(1, y)
    assert np.allclose(along_y.lines[1].get_ydata(), 0.5 * ys)
    assert np.allclose(np.gradient(fy, ys)[1:-1], 0.5 * ys[1:-1], atol=1e-3)
    tangent = along_y.lines[2]
    assert np.allclose(tangent.get_ydata(), 0.5 + 1.0 * (ys - 2))
    assert "slice at y = 2" in along_x.get_title() and "slice at x = 1" in along_y.get_title()
    surface = plot.surface
    assert np.allclose(surface.z, -0.5 * surface.x + 0.25 * surface.y**2, equal_nan=False)


def test_title_is_tex():
    _, figure = figure_of("sin(x^2)")
    assert figure._suptitle.get_text() == r"$f(x) = \sin{\left(x^{2} \right)}$"


def test_undefined_parts_are_gaps(deriv, tmp_path):
    plot, figure = figure_of("log(x)", ranges="x=-2:2")
    curve = plot.curves[0]
    assert np.all(np.isnan(curve.values[curve.xs <= 0]))
    assert np.allclose(curve.values[curve.xs > 0], np.log(curve.xs[curve.xs > 0]))
    for text in ("log(x)", "1/x", "sqrt(x)", "tan(x)", "sqrt(x y)", "log(x^2 - y^2)"):
        ran = deriv("plot", text, "--out", str(tmp_path / "g.png"))
        assert ran.code == 0, (text, ran.err)


def test_poles_do_not_join_across(tmp_path):
    plot, figure = figure_of("1/x", ranges="x=-1:1.001")
    drawn = figure.axes[0].lines[0].get_ydata()
    assert np.isnan(drawn).any()  # broken at the pole instead of a vertical line
    low, high = figure.axes[0].get_ylim()
    assert high < 1e3  # the pole does not flatten the rest


def test_a_pole_of_two_variables_does_not_flatten_the_surface_or_the_arrows():
    plot, figure = figure_of("1/(x^2 + y^2)", at="x=1,y=1")
    surface_axes = figure.axes[0]
    assert surface_axes.get_zlim()[1] < 10  # f near the origin reaches thousands
    quiver = next(c for c in figure.axes[1].collections if hasattr(c, "U"))
    drawn = np.hypot(quiver.U, quiver.V)
    _, _, u, v = plot.surface.arrows
    assert drawn.max() <= np.percentile(np.hypot(u, v), 90) + 1e-9
    # the slice labels keep the point's exact value: (y² + 1)², not (y² + 1.0)²
    assert "1.0" not in slices(figure)[1].lines[1].get_label()


def test_a_steep_curve_is_shown_whole():
    plot, figure = figure_of("exp(x)", ranges="x=0:10")
    low, high = figure.axes[0].get_ylim()
    assert low < 1 and high > np.exp(10)


def test_no_finite_value_is_an_error(deriv):
    ran = deriv("plot", "log(x)", "--range", "x=-3:-1")
    assert ran.code == 1
    assert ran.err == "error: f has no finite real value for x in [-3, -1]\n"


def test_no_tangent_where_undefined_is_a_note(deriv, tmp_path):
    ran = deriv(
        "plot", "log(x)", "--at", "x=0", "--range", "x=-1:2", "--out", str(tmp_path / "a.png")
    )
    assert ran.code == 0
    assert ran.err == (
        "note: no tangent line: f is not defined at x = 0: log needs a positive argument, log(0)\n"
    )


def test_without_out_a_temporary_png(deriv):
    ran = deriv("plot", "x^2")
    assert ran.code == 0
    path = ran.out.strip()
    assert "deriv-plot-" in path and path.endswith(".png")
    from pathlib import Path

    assert png_size(Path(path)) == (800, 500)
    Path(path).unlink()


def test_without_matplotlib_the_install_command(deriv, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    ran = deriv("plot", "x^2")
    assert ran.code == 2
    python = shlex.quote(sys.executable)
    assert ran.err == (
        f"error: deriv plot needs matplotlib; install it with: {python} -m pip install "
        "'matplotlib>=3.7'\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["x y z"], "error: plot draws functions of one or two variables; f has x, y, z\n"),
        (["5"], "error: f has no variables to plot against\n"),
        (["x^2", "--out", "a.gif"], "error: --out: the file name must end in .png, .svg or .pdf"),
        (["x^2", "--range", "x=3:1"], "error: --range: the range of x must go from low to high"),
        (["x^2", "--range", "y=0:1"], "error: --range names y, which f does not contain\n"),
        (["x^2", "--at", "x=1,y=1"], "error: --at names y, which f does not contain\n"),
        (["x^2", "--terminal", "--out", "a.png"], "error: use either --out or --terminal"),
        (["-"], "error: plot draws one expression; - and @file are for the other commands\n"),
    ],
)
def test_bad_plot_requests(deriv, args, message):
    ran = deriv("plot", *args)
    assert ran.code == 2
    assert ran.err.startswith(message)


def test_range_syntax_error_points_at_the_column(deriv):
    ran = deriv("plot", "x^2", "--range", "x=-3:3,y=1")
    assert ran.code == 2
    assert ran.err == (
        "error: --range: expected low:high, as in x=-3:3 (column 10)\n  x=-3:3,y=1\n           ^\n"
    )


def test_terminal_plot_through_a_pipe(deriv_process):
    pytest.importorskip("plotext")
    ran = deriv_process("plot", "-0.5x + 0.25y^2", "--terminal", "--at", "x=1,y=2")
    assert ran.code == 0, ran.err
    assert ran.out.startswith("f(x, y) = -0.5x + 0.25y²\n")
    assert "\x1b[" not in ran.out  # no colour codes into a pipe
    for label in ("f(x, 2)", "∂f/∂x", "tangent at x = 1: slope -0.5", "f(1, y)", "∂f/∂y"):
        assert label in ran.out
    assert "tangent at y = 2: slope 1" in ran.out


def test_notation_reaches_the_labels():
    plot = plot_data(function_of(parse("x^3")), {}, None)
    from chainrule_cli.render.notation import Notation

    figure = draw(plot, Settings(notation=Notation.lagrange))
    assert figure.axes[0].lines[1].get_label() == "$f'(x) = 3 x^{2}$"


@given(expressions(), st.floats(-2, 2))
def test_sampling_agrees_with_sympy_evaluation(text, at):
    # the numpy walk against SymPy's own arbitrary-precision evaluation
    from chainrule_cli.errors import DerivError

    try:
        expr = parse(text.replace("y", "x"))
    except DerivError:
        return  # x - (x) as a divisor: refused by the parser, checked in its own tests
    x = sp.Symbol("x", real=True)
    ours = float(sample(expr, {x: np.array([at])})[0])
    exact = complex(expr.xreplace({x: sp.Float(at, 30)}).evalf(30))
    if abs(exact.imag) > 1e-9 * max(1, abs(exact.real)) or not np.isfinite(exact.real):
        return  # not real there: a gap is right, checked in test_undefined_parts_are_gaps
    if not np.isfinite(ours):
        return  # overflow in doubles
    assert ours == pytest.approx(exact.real, rel=1e-6, abs=1e-9)


def test_terminal_plot_without_unicode_is_ascii(deriv_process):
    pytest.importorskip("plotext")
    ran = deriv_process(
        "plot", "x^2", "--terminal", "--at", "x=1", env={"PYTHONIOENCODING": "ascii"}
    )
    assert ran.code == 0, ran.err
    assert ran.out.isascii()
    assert ran.out.startswith("f(x) = x^2\n") and "tangent at x = 1: slope 2" in ran.out


@pytest.mark.parametrize("text", ["a_b_c^2", "θ^2 + x_1", "w_x_y * speed_of_light", "sqrt(k_1)"])
def test_any_variable_name_draws(text, tmp_path):
    # names become TeX in titles, legends and axis labels; a_b_c must not be a double subscript
    _, figure = figure_of(text)
    figure.savefig(tmp_path / "names.png")


@settings(max_examples=15)
@given(expressions())
def test_generated_functions_plot_or_say_why(text):
    from chainrule_cli.errors import DerivError

    try:
        _, figure = figure_of(text)
    except DerivError:
        return  # a constant, or no finite value: a clear error, checked above
    figure.savefig(io.BytesIO(), format="png")  # drawing typesets every piece of TeX


def test_two_variable_notes_name_the_slice_and_no_warnings_leak(deriv, deriv_process, tmp_path):
    # at the origin |x| has a corner along x (slopes -1, 1) and sign(y) jumps along y: no
    # tangent along either, each said as deriv diff says it
    ran = deriv("plot", "abs(x) + sign(y)", "--out", str(tmp_path / "s.png"))
    assert ran.code == 0
    assert ran.err == (
        "note: no tangent line along x: ∂f/∂x does not exist at x = 0, y = 0: slope -1 from the "
        "left, 1 from the right\n"
        "note: no tangent line along y: ∂f/∂y does not exist at x = 0, y = 0: f jumps there (it "
        "tends to -1 from the left and 1 from the right)\n"
    )
    ran = deriv_process("plot", "sqrt(-x^2 - y^2)", "--out", str(tmp_path / "t.png"))
    assert ran.code == 0 and "Warning" not in ran.err  # a real process: its own stderr


def test_terminal_plots_survive_undefined_slices_and_poles(deriv_process):
    pytest.importorskip("plotext")
    ran = deriv_process("plot", "sqrt(-x^2 - y^2)", "--terminal")
    assert ran.code == 0, ran.err
    ran = deriv_process("plot", "1/x", "--terminal")
    assert ran.code == 0
    axis = [line.split("┤")[0].strip() for line in ran.out.splitlines() if "┤" in line]
    assert max(abs(float(v)) for v in axis) < 10  # the pole does not set the scale


def test_taylor_polynomials_are_drawn_with_f():
    """--taylor 3 for eˣ at 0: P₁ = 1 + x, P₂ = P₁ + x²/2, P₃ = P₂ + x³/6 (every derivative of
    eˣ is 1 at 0), sampled where f is."""
    x = sp.Symbol("x", real=True)
    function = function_of(parse("e^x"))
    data = plot_data(function, {}, None, taylor=3)
    (curve,) = data.curves
    want = {1: 1 + curve.xs, 2: 1 + curve.xs + curve.xs**2 / 2}
    want[3] = want[2] + curve.xs**3 / 6
    assert [k for k, _ in curve.polynomials] == [1, 2, 3]
    for k, ys in curve.polynomials:
        assert np.allclose(ys, want[k])
    assert np.allclose(curve.values, np.exp(curve.xs))
    assert data.point == ((x, 0),)


def test_taylor_at_a_point_and_as_a_figure(tmp_path):
    # ln x at 1: P₂ = (x - 1) - (x - 1)²/2
    data = plot_data(function_of(parse("ln(x)")), parse_ranges("x=0.5:2"), parse_point("x=1"), 2)
    (curve,) = data.curves
    _, p2 = curve.polynomials[1]
    assert np.allclose(p2, (curve.xs - 1) - (curve.xs - 1) ** 2 / 2)
    out = tmp_path / "taylor.png"
    draw(data, Settings()).savefig(out)
    assert png_size(out) == (800, 500)


@pytest.mark.parametrize(
    "text, taylor, message",
    [
        ("x*y", 2, "--taylor draws a function of one variable with its polynomials"),
        ("sin(x)", 7, "--taylor takes an order from 1 to 6"),
    ],
)
def test_taylor_refuses_what_it_cannot_draw(text, taylor, message):
    from chainrule_cli.errors import InputError

    with pytest.raises(InputError, match=message.replace("(", r"\(")):
        plot_data(function_of(parse(text)), {}, None, taylor=taylor)
