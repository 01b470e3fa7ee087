"""deriv parametric: dy/dx and d²y/dx² of parametric and polar curves, against textbook answers
written here (a circle, a cycloid, a cardioid), the upper half circle's own derivative, and
finite differences along the curve."""

import json
import math

import pytest
import sympy as sp

t = sp.Symbol("t", real=True)


def record(deriv, *args):
    ran = deriv("parametric", *args, "--format", "json")
    assert ran.code in (0, 1), ran.err
    return ran.code, json.loads(ran.out)


def same(text: str, expected: sp.Expr) -> bool:
    return sp.simplify(sp.sympify(text, locals={"t": t}) - expected) == 0


@pytest.mark.parametrize(
    "curve, first, second",
    [
        # the unit circle: dy/dx = cos t / (-sin t); d/dt(-cot t) = csc² t, over -sin t
        ("cos(t), sin(t)", -sp.cos(t) / sp.sin(t), -1 / sp.sin(t) ** 3),
        # the cycloid: sin t / (1 - cos t); d/dt = -1/(1 - cos t), over 1 - cos t
        ("t - sin(t), 1 - cos(t)", sp.sin(t) / (1 - sp.cos(t)), -1 / (1 - sp.cos(t)) ** 2),
        # a parabola traced by t: x = t, y = t²: 2t and 2
        ("t, t^2", 2 * t, sp.Integer(2)),
        # x = t², y = t³: 3t²/2t = 3t/2; (3/2)/(2t) = 3/(4t)
        ("t^2, t^3", 3 * t / 2, 3 / (4 * t)),
    ],
)
def test_textbook_derivatives(deriv, curve, first, second):
    _, got = record(deriv, curve)
    assert same(got["result"], first) and same(got["second"], second)
    assert got["parameter"] == "t" and got["polar"] is False


def test_the_circle_at_a_point(deriv):
    # at t = π/4: (√2/2, √2/2), slope -1, tangent y = -(x - √2/2) + √2/2 = √2 - x;
    # d²y/dx² = -1/sin³(π/4) = -2√2
    code, got = record(deriv, "cos(t), sin(t)", "--at", "t=pi/4")
    assert code == 0 and got["value"] == -1.0 and got["position"] == ["sqrt(2)/2"] * 2
    assert got["tangent"] == {"dependent": "y", "result": "-x + sqrt(2)"}
    assert math.isclose(got["second_value"], -2 * math.sqrt(2))


@pytest.mark.parametrize("a", [0.3, 1.0, 2.0, 2.9])
def test_the_upper_half_circle_agrees(deriv, a):
    """y = sqrt(1 - x²) differentiated by SymPy, at x = cos a: the same slope as the curve."""
    x = sp.Symbol("x")
    expected = sp.diff(sp.sqrt(1 - x**2), x).subs(x, math.cos(a))
    _, got = record(deriv, "cos(t), sin(t)", "--at", f"t={a}")
    assert math.isclose(got["value"], float(expected), rel_tol=1e-9)


@pytest.mark.parametrize(
    "curve, x, y, a",
    [
        ("t^3 - t, exp(t) + t^2", t**3 - t, sp.exp(t) + t**2, 0.7),
        ("sin(2t), cos(3t)", sp.sin(2 * t), sp.cos(3 * t), 0.4),
        ("log(t), sqrt(t) + t", sp.log(t), sp.sqrt(t) + t, 2.0),
    ],
)
def test_finite_differences_along_the_curve(deriv, curve, x, y, a):
    """Δy/Δx over a short stretch of the curve either side of t = a."""
    x_of, y_of = sp.lambdify(t, x), sp.lambdify(t, y)
    h = 1e-6
    slope = (y_of(a + h) - y_of(a - h)) / (x_of(a + h) - x_of(a - h))
    _, got = record(deriv, curve, "--at", f"t={a}")
    assert math.isclose(got["value"], slope, rel_tol=1e-6)


def test_a_vertical_tangent(deriv):
    ran = deriv("parametric", "cos(t), sin(t)", "--at", "t=0", "--format", "plain")
    assert ran.code == 1
    assert ran.out.endswith("at t = 0: (x, y) = (1, 0)\ntangent line: x = 1\n")
    assert (
        ran.err
        == "error: dy/dx does not exist at t = 0: a vertical tangent (dx/dt = 0, dy/dt ≠ 0)\n"
    )
    _, got = record(deriv, "cos(t), sin(t)", "--at", "t=0")
    assert got["value"] is None and got["reason"] == "vertical"
    assert got["tangent"] == {"dependent": "x", "result": "1"}


def test_the_cycloids_cusp(deriv):
    # both speeds vanish at t = 0; dy/dx = sin t/(1 - cos t) ~ 2/t: -∞ from the left, ∞ from
    # the right, a cusp whose tangent is vertical
    ran = deriv("parametric", "t - sin(t), 1 - cos(t)", "--at", "t=0")
    assert ran.code == 1 and "a cusp with a vertical tangent (dx/dt = dy/dt = 0 there" in ran.err
    assert "tends to -∞ from the left, ∞ from the right" in ran.err


def test_outside_the_domain(deriv):
    ran = deriv("parametric", "log(t), t", "--at", "t=-1")
    assert ran.code == 1 and ran.err.startswith("error: the curve is not real at t = -1: log needs")


def test_a_polar_cardioid(deriv):
    # r = 1 + cos θ at θ = π/2: (0, 1); dx/dθ = r' cos θ - r sin θ = -1, dy/dθ = r' sin θ +
    # r cos θ = -1: dy/dx = 1, tangent y = x + 1
    code, got = record(deriv, "1 + cos(θ)", "--polar", "--at", "θ=pi/2")
    assert code == 0 and got["polar"] is True and got["r"] == "cos(θ) + 1"
    assert got["value"] == 1.0 and got["position"] == ["0", "1"]
    assert got["tangent"] == {"dependent": "y", "result": "x + 1"}


def test_a_polar_circle_needs_its_parameter_named(deriv):
    # r = 2: x = 2 cos θ, y = 2 sin θ: dy/dx = -cot θ; at π/3, -1/√3
    ran = deriv("parametric", "2", "--polar", "--at", "t=pi/3")
    assert ran.code == 2 and "--param" in ran.err
    code, got = record(deriv, "2", "--polar", "--param", "t", "--at", "t=pi/3")
    assert code == 0 and math.isclose(got["value"], -1 / math.sqrt(3))


@pytest.mark.parametrize(
    "args, message",
    [
        (("sin(t)",), 'two expressions, "x(t), y(t)"'),
        (("cos(t), sin(t)", "--polar"), "--polar takes one expression"),
        (("cos(t), sin(s)",), "say which variable is the parameter"),
        (("cos(t), sin(s)", "--param", "t"), "variables besides its parameter t: s"),
        (("cos(t), sin(t)", "--at", "x=1"), "--at"),
    ],
)
def test_usage_errors(deriv, args, message):
    ran = deriv("parametric", *args)
    assert ran.code == 2 and message in ran.err


def test_a_vertical_line_has_no_slope(deriv):
    ran = deriv("parametric", "1, t")
    assert ran.code == 1 and "x does not change with t" in ran.err


def test_expr_prints_dy_dx_or_its_value(deriv):
    assert deriv("parametric", "t, t^2", "--format", "expr").out == "2*t\n"
    assert deriv("parametric", "t, t^2", "--at", "t=3", "--format", "expr").out == "6\n"


@pytest.mark.parametrize(
    "args, horizontal, vertical, singular, period",
    [
        # the circle: dy/dt = cos t = 0 at π/2, 3π/2; dx/dt = -sin t = 0 at 0, π
        (("cos(t), sin(t)",), ["pi/2", "3*pi/2"], ["0", "pi"], [], "2*pi"),
        # a parabola: dy/dt = 2t = 0 at 0, dx/dt = 1
        (("t, t^2",), ["0"], [], [], None),
        # the semicubical parabola's cusp: both speeds 0 at t = 0
        (("t^2, t^3",), [], [], ["0"], None),
        # periods π and 2π/3 make 2π; -3 sin 3t = 0 at kπ/3, 2 cos 2t = 0 at π/4 + kπ/2
        (
            ("sin(2t), cos(3t)",),
            ["0", "pi/3", "2*pi/3", "pi", "4*pi/3", "5*pi/3"],
            ["pi/4", "3*pi/4", "5*pi/4", "7*pi/4"],
            [],
            "2*pi",
        ),
        # the cardioid r = 1 + cos θ: horizontal at π/3, 5π/3, vertical at 0, 2π/3, 4π/3,
        # its cusp at π
        (("1 + cos(t)", "--polar"), ["pi/3", "5*pi/3"], ["0", "2*pi/3", "4*pi/3"], ["pi"], "2*pi"),
    ],
)
def test_horizontal_and_vertical_tangents(deriv, args, horizontal, vertical, singular, period):
    _, got = record(deriv, *args)
    assert (got["horizontal"], got["vertical"], got["singular"], got["period"]) == (
        horizontal,
        vertical,
        singular,
        period,
    )


@pytest.mark.parametrize("a", [0.3, 1.1, 2.6])
def test_the_tangents_found_are_where_the_speeds_vanish(deriv, a):
    """Each horizontal value makes dy/dt 0 and dx/dt not, by SymPy, on a shifted ellipse."""
    _, got = record(deriv, f"2cos(t) + {a}, sin(t) - {a}")
    x, y = 2 * sp.cos(t) + a, sp.sin(t) - a
    for value in got["horizontal"]:
        v = sp.sympify(value)
        assert sp.diff(y, t).subs(t, v) == 0 and sp.diff(x, t).subs(t, v) != 0
    assert len(got["horizontal"]) == 2 and len(got["vertical"]) == 2


def test_infinitely_many_without_a_period_are_not_listed(deriv):
    """The cycloid's x is not periodic: its horizontal tangents (t = π + 2nπ) are not listed,
    and nothing wrong is said instead."""
    _, got = record(deriv, "t - sin(t), 1 - cos(t)")
    assert got["horizontal"] is None and got["vertical"] is None
    shown = deriv("parametric", "t - sin(t), 1 - cos(t)", "--format", "plain").out
    assert "horizontal and vertical tangents: not listed" in shown


@pytest.mark.parametrize("curve, broken", [("t, abs(t)", "y"), ("abs(t), t", "x")])
def test_a_corner_of_x_or_y_has_no_slope_and_no_tangent(deriv, curve, broken):
    """y = |x| traced by t: at t = 0 the slopes are -1 and 1, not sign(0) = 0. No value, no
    tangent line, exit 1; and t = 0 is not listed as a horizontal or vertical tangent."""
    ran = deriv("parametric", curve, "--at", "t=0", "--format", "json")
    got = json.loads(ran.out)
    assert ran.code == 1 and got["value"] is None and got["tangent"] is None
    assert got["reason"] == "corner" and got["horizontal"] == [] and got["vertical"] == []
    sides = "slope -1 from the left, 1 from the right"
    assert ran.err == f"error: {broken} is not differentiable at t = 0: {sides}\n"
