"""Jacobian, Hessian, directional and implicit derivatives, tangents, answer checks, --check.

Expected matrices and values are worked out by hand in the comments.
"""

import json

import pytest
import sympy as sp

from chainrule_cli import calculus

x, y, r, t = sp.symbols("x y r t", real=True)


def data(deriv, *args):
    ran = deriv(*args, "--format", "json")
    assert ran.code in (0, 1), ran.err
    return json.loads(ran.out)


def exprs(rows):
    return [[sp.sympify(e, locals={"x": x, "y": y, "r": r, "t": t}) for e in row] for row in rows]


def test_hessian_by_hand(deriv):
    # f = x²y + y³: f_xx = 2y, f_xy = 2x, f_yy = 6y
    got = data(deriv, "hessian", "x^2 y + y^3")
    assert exprs(got["result"]) == [[2 * y, 2 * x], [2 * x, 6 * y]]
    assert got["constant"] is False


def test_jacobian_of_polar_to_cartesian(deriv):
    # (r cos t, r sin t): [[cos t, -r sin t], [sin t, r cos t]]
    got = data(deriv, "jacobian", "r cos(t), r sin(t)")
    assert got["variables"] == ["r", "t"] and got["functions"] == ["r*cos(t)", "r*sin(t)"]
    assert exprs(got["result"]) == [[sp.cos(t), -r * sp.sin(t)], [sp.sin(t), r * sp.cos(t)]]


def test_single_function_jacobian_is_the_gradient_as_a_row(deriv):
    assert data(deriv, "jacobian", "3x + y")["result"] == [["3", "1"]]


@pytest.mark.parametrize(
    "typed, kind, eigenvalues",
    [
        ("x^2 + y^2", "minimum", [2.0, 2.0]),
        ("-(x^2 + y^2)", "maximum", [-2.0, -2.0]),
        ("x^2 - y^2", "saddle", [-2.0, 2.0]),
        ("x^4 + y^4", "inconclusive", [0.0, 0.0]),
    ],
)
def test_classification_at_the_origin(deriv, typed, kind, eigenvalues):
    got = data(deriv, "hessian", typed, "--at", "x=0,y=0")
    assert got["classification"] == kind and got["eigenvalues"] == eigenvalues
    assert got["critical_point"] is True


def test_not_a_critical_point(deriv):
    got = data(deriv, "hessian", "x^2 + y^2", "--at", "x=1,y=0")
    assert got["critical_point"] is False and got["classification"] is None
    out = deriv("hessian", "x^2 + y^2", "--at", "x=1,y=0", "--format", "plain").out
    assert "not a critical point" in out


def test_hessian_plain(deriv):
    out = deriv("hessian", "x^2 y + y^3", "--format", "plain").out
    assert out == "f(x, y) = x²·y + y³\nH_f = [ 2y  2x ]\n      [ 2x  6y ]\n"


def test_directional_derivative_of_the_lecture_plane(deriv):
    # ∇(3x + y) = (3, 1); u = (1, 1)/√2; ∇f·u = 4/√2 = 2√2
    got = data(deriv, "dir", "3x + y", "--direction", "1,1")
    assert sp.sympify(got["result"]) == 2 * sp.sqrt(2) and got["normalized"] is True
    raw = data(deriv, "dir", "3x + y", "--direction", "1,1", "--no-normalize")
    assert raw["result"] == "4" and raw["normalized"] is False
    assert "(the unit vector along (1, 1)ᵀ)" in deriv("dir", "3x + y", "--direction", "1,1").out


def test_directional_errors(deriv):
    assert "needs 2 components" in deriv("dir", "3x + y", "--direction", "1").err
    assert "zero vector" in deriv("dir", "3x + y", "--direction", "0,0").err


def test_implicit_circle(deriv):
    # x² + y² = 1: 2x + 2y y' = 0, so y' = -x/y
    got = data(deriv, "implicit", "x^2 + y^2 = 1")
    assert got["result"] == "-x/y" and got["dependent"] == "y" and got["independent"] == "x"
    # y'' = -(y² + x²)/y³
    second = data(deriv, "implicit", "x^2 + y^2 = 1", "--order", "2")
    assert (
        sp.simplify(sp.sympify(second["result"], locals={"x": x, "y": y}) + (x**2 + y**2) / y**3)
        == 0
    )
    assert deriv("implicit", "x^2 + y^2 = 1", "--format", "plain").out.endswith("dy/dx = -x/y\n")


def test_implicit_needs_one_equals(deriv):
    ran = deriv("implicit", "x^2 + y^2")
    assert ran.code == 2 and "exactly one '='" in ran.err


def test_tangent_line_and_plane(deriv):
    # f = x² at 1: f(1) = 1, f'(1) = 2: y = 1 + 2(x - 1) = 2x - 1
    assert deriv("tangent", "x^2", "--at", "x=1", "--format", "expr").out == "2*x - 1\n"
    assert "tangent line at x = 1: y = 2x - 1" in deriv("tangent", "x^2", "--at", "x=1").out
    # f = x² + y² at (1, 2): z = 5 + 2(x - 1) + 4(y - 2) = 2x + 4y - 5
    plane = data(deriv, "tangent", "x^2 + y^2", "--at", "x=1,y=2")
    assert plane["result"] == "2*x + 4*y - 5" and plane["kind"] == "plane"


@pytest.mark.parametrize(
    "f, at, tangent, normal",
    [
        # f(1) = 1, f'(1) = 2: the normal has slope -1/2: y = 1 - (x - 1)/2
        ("x^2", "x=1", "2*x - 1", "3/2 - x/2"),
        # f(4) = 2, f'(4) = 1/4: y = 2 - 4(x - 4)
        ("sqrt(x)", "x=4", "x/4 + 1", "18 - 4*x"),
        # f(8) = 2, f'(8) = 1/12: y = 2 - 12(x - 8)
        ("cbrt(x)", "x=8", "x/12 + 4/3", "98 - 12*x"),
        # f(0.5) = 0.25, f'(0.5) = 1: y = 0.25 - (x - 0.5), decimals as typed
        ("x^2", "x=0.5", "x - 0.25", "0.75 - x"),
    ],
)
def test_the_normal_line(deriv, f, at, tangent, normal):
    got = data(deriv, "tangent", f, "--at", at, "--normal")
    assert got["result"] == tangent and got["normal"] == {"dependent": "y", "result": normal}


def test_the_normal_is_perpendicular_to_the_tangent(deriv):
    """Independently of deriv: the tangent's slope by SymPy, times the normal's, is -1."""
    for f, a in [("sin(x) + x^3", 1), ("exp(x)/(1 + x^2)", 2), ("log(x)*x", 3)]:
        got = data(deriv, "tangent", f, "--at", f"x={a}", "--normal")
        function = sp.sympify(f.replace("^", "**"), locals={"x": x})
        tangent_slope = sp.diff(function, x).subs(x, a)
        normal = sp.sympify(got["normal"]["result"], locals={"x": x})
        assert sp.simplify(tangent_slope * sp.diff(normal, x) + 1) == 0
        assert sp.simplify(normal.subs(x, a) - function.subs(x, a)) == 0  # through the point


def test_a_horizontal_tangent_has_a_vertical_normal_and_back(deriv):
    assert data(deriv, "tangent", "x^2", "--at", "x=0", "--normal")["normal"] == {
        "dependent": "x",
        "result": "0",
    }
    # cbrt has a vertical tangent x = 0 at 0: its normal is the horizontal y = f(0) = 0
    vertical = deriv("tangent", "cbrt(x)", "--at", "x=0", "--normal", "--format", "plain")
    assert vertical.out.endswith("tangent line at x = 0: x = 0\nnormal line: y = 0\n")


def test_the_normal_of_a_plane(deriv):
    # f = x² + y² at (1, 2): f_x = 2, f_y = 4, f = 5: n = (2, 4, -1) through (1, 2, 5)
    got = data(deriv, "tangent", "x^2 + y^2", "--at", "x=1,y=2", "--normal")
    assert got["normal"] == {"vector": ["2", "4", "-1"], "through": ["1", "2", "5"]}
    shown = deriv("tangent", "x^2 + y^2", "--at", "x=1,y=2", "--normal", "--format", "plain")
    assert shown.out.endswith(
        "normal vector: n = (2, 4, -1)\nnormal line: (x, y, z) = (1, 2, 5) + t·(2, 4, -1)\n"
    )
    bare = deriv("tangent", "x^2 + y^2", "--at", "x=1,y=2", "--normal", "--format", "expr")
    assert bare.out == "2*x + 4*y - 5\n2\n4\n-1\n"


def test_no_tangent_no_normal(deriv):
    ran = deriv("tangent", "abs(x)", "--at", "x=0", "--normal", "--format", "json")
    assert ran.code == 1 and "normal" not in json.loads(ran.out)


@pytest.mark.parametrize("answer", ["12x", "12*x", "x*12"])
def test_check_right(deriv, answer):
    ran = deriv("check", "6x^2", "--answer", answer)
    assert ran.code == 0 and "✓ correct" in ran.out


def test_check_equivalent_but_written_differently(deriv):
    got = data(deriv, "check", "(x+1)^2", "--answer", "2(x+1)")
    assert got["correct"] is True and got["method"] == "symbolic"


def test_check_wrong_names_a_counter_point(deriv):
    ran = deriv("check", "6x^2", "--answer", "12x + 1", "--format", "json")
    got = json.loads(ran.out)
    assert ran.code == 1 and got["correct"] is False
    at = sp.Rational(got["counterpoint"]["x"])
    assert got["answer_value"][0] == pytest.approx(float(12 * at + 1))
    assert got["expected_value"][0] == pytest.approx(float(12 * at))


def test_check_a_gradient_answer(deriv):
    assert data(deriv, "check", "3x + y", "--answer", "3, 1")["correct"] is True
    assert data(deriv, "check", "3x + y", "--answer", "1, 3")["correct"] is False


def test_check_option_passes_on_correct_results(deriv):
    for args in (
        ("diff", "sin(x^2)"),
        ("grad", "x^2 y"),
        ("hessian", "x^2 y + y^3"),
        ("jacobian", "x y, x + y"),
        ("chain", "0.5*o", "--inner", "o=-x+0.5y^2"),
        ("diff", "x^5", "--order", "3"),
        ("diff", "x^3 y^2", "--wrt", "x", "--wrt", "y"),
    ):
        got = data(deriv, *args, "--check")
        assert got["check"]["passed"] is True, args
        assert got["check"]["max_relative_error"] < 1e-20


def test_check_option_fails_on_a_wrong_derivative(deriv, monkeypatch):
    real = calculus.differentiate

    def wrong(expr, *wrt):  # an injected bug: off by a little
        return real(expr, *wrt) + sp.Rational(1, 1000)

    monkeypatch.setattr(calculus, "differentiate", wrong)
    ran = deriv("diff", "sin(x^2)", "--check", "--format", "plain")
    assert ran.code == 1
    assert "check: FAIL" in ran.out and "--check failed" in ran.err


def test_gradient_at_a_point_has_size_and_direction(deriv):
    got = data(deriv, "grad", "x^2 + y^2", "--at", "x=3,y=4")
    # ∇f = (6, 8), |∇f| = 10, direction (0.6, 0.8)
    assert got["magnitude"] == 10.0 and got["direction"] == [0.6, 0.8]
    assert got["critical_point"] is False
    out = deriv("grad", "x^2 + y^2", "--at", "x=0,y=0", "--format", "plain").out
    assert "the gradient vanishes here: a critical point" in out


@pytest.mark.parametrize(
    "notation, label", [("leibniz", "∂³f/∂y∂x²"), ("lagrange", "f_xxy"), ("euler", "D_y D_x² f")]
)
def test_third_order_mixed_partials_render(deriv, notation, label):
    out = deriv(
        "diff",
        "x^3 y^2",
        "--wrt",
        "x",
        "--wrt",
        "x",
        "--wrt",
        "y",
        "--notation",
        notation,
        "--format",
        "plain",
    ).out
    assert out.splitlines()[1] == f"{label} = 12x·y"
