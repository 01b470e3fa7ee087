"""No wrong number at a point, from any command (issue 30): each example is checked against a
value worked out by hand or by mpmath at 50 digits in the test itself, never by deriv."""

import json

import mpmath as mp
import pytest

mp.mp.dps = 50


def failed(ran):
    """exit 1 and one error line."""
    assert ran.code == 1, ran.out + ran.err
    errors = [line for line in ran.err.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, ran.err
    return errors[0].removeprefix("error: ")


STEP = mp.mpf("1e-25")


def one_sided(f, a, side, h=STEP):
    """(f(a ± h) - f(a)) / ±h in mpmath: a one-sided slope, independent of deriv."""
    return (f(a + side * h) - f(a)) / (side * h)


# A decimal typed inside exp, sin or ln is exact: the kink of |e^(x - 0.3) - 1| is at 0.3.


def test_a_decimal_inside_exp_keeps_the_kink_where_it_was_typed(deriv):
    f = lambda x: abs(mp.exp(x - mp.mpf("0.3")) - 1)  # noqa: E731
    left, right = (one_sided(f, mp.mpf("0.3"), s) for s in (-1, 1))
    assert mp.almosteq(left, -1, 1e-20) and mp.almosteq(right, 1, 1e-20)
    ran = deriv("diff", "abs(exp(x-0.3)-1)", "--at", "x=0.3", "--check")
    assert (
        failed(ran)
        == "f is not differentiable at x = 0.3: slope -1 from the left, 1 from the right"
    )


def test_a_jump_at_a_decimal_inside_exp(deriv):
    ran = deriv("diff", "sign(exp(x-0.3)-1)", "--at", "x=0.3")
    assert failed(ran).startswith("f is not differentiable at x = 0.3: f jumps there")


def test_a_decimal_inside_sin(deriv):
    # |sin x - sin 0.3| at 0.3: slopes -cos 0.3 and cos 0.3
    slope = mp.cos(mp.mpf("0.3"))
    f = lambda x: abs(mp.sin(x) - mp.sin(mp.mpf("0.3")))  # noqa: E731
    assert mp.almosteq(one_sided(f, mp.mpf("0.3"), 1), slope, 1e-20)
    ran = deriv("diff", "abs(sin(x) - sin(0.3))", "--at", "x=0.3", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 1 and record["differentiable"] is False and record["reason"] == "corner"
    assert mp.almosteq(mp.mpf(eval_sympy(record["right"])), slope, 1e-12)
    assert mp.almosteq(mp.mpf(eval_sympy(record["left"])), -slope, 1e-12)


def eval_sympy(text):
    """A value deriv wrote in SymPy syntax, read by SymPy (the test's own reading)."""
    import sympy as sp

    return sp.N(sp.sympify(text), 30)


def test_hessian_at_a_decimal_critical_point(deriv):
    # u = x - 0.3: e^(2u) - 2e^u + y² has gradient (2e^(2u) - 2e^u, 2y) = 0 and Hessian
    # diag(4e^(2u) - 2e^u, 2) = diag(2, 2) at u = 0: a local minimum
    ran = deriv("hessian", "exp(x-0.3)^2 - 2exp(x-0.3) + y^2", "--at", "x=0.3,y=0")
    assert ran.code == 0
    assert "H_f = [ 2.0  0 ]" in ran.out or "[ 2.0  0   ]" in ran.out, ran.out
    assert "a local minimum" in ran.out


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("grad", "abs(exp(x-0.3)-1) + y", "--at", "x=0.3,y=0"),
            "∂f/∂x does not exist at x = 0.3, y = 0: slope -1 from the left, 1 from the right",
        ),
        (
            ("tangent", "abs(exp(x-0.3)-1)", "--at", "x=0.3"),
            "f is not differentiable at x = 0.3: slope -1 from the left, 1 from the right",
        ),
        (
            ("taylor", "abs(exp(x-0.3)-1)", "--at", "x=0.3", "--order", "1"),
            "f is not differentiable at x = 0.3: slope -1 from the left, 1 from the right",
        ),
        (
            ("jacobian", "abs(exp(x-0.3)-1), y", "--at", "x=0.3,y=0"),
            "f1 is not differentiable at x = 0.3, y = 0: slope -1 from the left, 1 from the right",
        ),
        (
            ("chain", "abs(u)", "--inner", "u=exp(x-0.3)-1", "--at", "x=0.3"),
            "f is not differentiable at x = 0.3: slope -1 from the left, 1 from the right",
        ),
    ],
)
def test_every_command_sees_the_decimal_kink(deriv, args, message):
    assert failed(deriv(*args)) == message


def test_a_tiny_decimal_does_not_vanish(deriv):
    # x(1 + 10⁻¹⁷) - x = 10⁻¹⁷·x: its derivative is 10⁻¹⁷ everywhere
    ran = deriv("diff", "x*(1+1e-17) - x", "--at", "x=1", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 0 and ran.err == ""
    assert record["value"] == 1e-17 and record["result"] == "1.0e-17"


def test_a_value_of_the_point_keeps_every_digit(deriv):
    # d/dx x² = 2x at 1 - 10⁻²⁰
    ran = deriv("diff", "x^2", "--at", "x=1-1e-20", "--format", "plain")
    assert "at x = 0.99999999999999999999: df/dx = 1.99999999999999999998" in ran.out


# implicit: dy/dx at a point is decided as deriv diff decides it


@pytest.mark.parametrize(
    "equation, message",
    [
        (
            "y = abs(x)",
            "dy/dx does not exist at x = 0, y = 0: slope -1 from the left, 1 from the right",
        ),
        (
            "y = relu(x)",
            "dy/dx does not exist at x = 0, y = 0: slope 0 from the left, 1 from the right",
        ),
        (
            "y = max(x, 2x)",
            "dy/dx does not exist at x = 0, y = 0: slope 1 from the left, 2 from the right",
        ),
        (
            "y = sign(x)",
            "dy/dx does not exist at x = 0, y = 0: y jumps there (it tends to -1 from the left "
            "and 1 from the right)",
        ),
        (
            "y = cbrt(x)",
            "dy/dx does not exist at x = 0, y = 0: a vertical tangent (slope ∞ from both sides)",
        ),
    ],
)
def test_implicit_at_a_kink(deriv, equation, message):
    ran = deriv("implicit", equation, "--at", "x=0,y=0", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 1 and record["differentiable"] is False
    assert failed(deriv("implicit", equation, "--at", "x=0,y=0")) == message


def test_implicit_on_a_circle_by_hand(deriv):
    # x² + y² = 1: y' = -x/y, y'' = -1/y³; at (0.6, 0.8): -0.75 and -1/0.512 = -1.953125
    first = deriv("implicit", "x^2+y^2=1", "--at", "x=0.6,y=0.8", "--format", "json")
    second = deriv(
        "implicit", "x^2+y^2=1", "--at", "x=0.6,y=0.8", "--order", "2", "--format", "json"
    )
    assert json.loads(first.out)["value"] == -0.75
    assert json.loads(second.out)["value"] == -1.953125


# taylor and backprop


def test_linear_approximation_needs_f_differentiable(deriv):
    # sqrt|xy| has partials 0 at the origin, but f(t, t) = |t|: no tangent plane
    ran = deriv("taylor", "sqrt(abs(x*y))", "--order", "1")
    assert failed(ran) == (
        "f is not differentiable at x = 0, y = 0: its partial derivatives exist, but its slope "
        "along (1, 1) is 1, not 0 as they predict"
    )


def test_backprop_splits_a_tie_evenly_as_amax_does(deriv):
    ran = deriv("backprop", "max(x,y,z)", "--at", "x=1,y=1,z=1", "--format", "json")
    record = json.loads(ran.out)
    assert record["gradient"] == {"x": "1/3", "y": "1/3", "z": "1/3"} or record["gradient"] == {
        "x": 1 / 3,
        "y": 1 / 3,
        "z": 1 / 3,
    }
    assert record["gradient_exists"] is False and "split evenly" in ran.err
    two = json.loads(deriv("backprop", "max(x,y,z)", "--at", "x=1,y=1,z=0", "--format", "json").out)
    assert [float(two["gradient"][v]) for v in "xyz"] == [0.5, 0.5, 0.0]


def test_backprop_says_when_its_values_are_the_gradient(deriv):
    # x·|x| is differentiable at 0 (derivative 2|x| = 0): PyTorch's sign(0) = 0 gives it too
    ran = deriv("backprop", "abs(x)*x", "--at", "x=0")
    assert ran.code == 0 and "f has a gradient there, and these values are it" in ran.err


def test_backprop_where_a_local_derivative_has_no_value(deriv):
    ran = deriv("backprop", "sqrt(x)", "--at", "x=0")
    assert failed(ran) == (
        "f is not differentiable at x = 0: f is not real for x < 0; its slope from the right is ∞ "
        "(a vertical tangent)"
    )


# what used to crash or refuse falsely


def test_second_derivative_of_the_root_of_an_absolute_value(deriv):
    # |√x| = √x for x > 0: d²/dx² = -x^(-3/2)/4, -1/4 at 1
    ran = deriv("diff", "abs(sqrt(x))", "--order", "2", "--at", "x=1", "--format", "json")
    assert ran.code == 0 and json.loads(ran.out)["value"] == -0.25


def test_a_curve_whose_speeds_both_vanish_has_the_limit_slope(deriv):
    # (t³, t³) is the line y = x: dy/dx = 3t²/3t² -> 1
    ran = deriv("parametric", "t^3, t^3", "--at", "t=0", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 0 and record["value"] == 1 and record["tangent"]["result"] == "x"
    # (t³, t²): dy/dx = 2/(3t) -> -∞ and ∞, a cusp with a vertical tangent
    cusp = deriv("parametric", "t^3, t^2", "--at", "t=0")
    assert "a vertical tangent" in failed(cusp)


def test_a_jump_along_a_direction(deriv):
    ran = deriv("dir", "heaviside(x)+y", "--direction", "1,1", "--at", "x=0,y=0")
    assert failed(ran) == "f is not differentiable at x = 0, y = 0: it jumps along (√2/2, √2/2)"


def test_the_nth_derivative_of_a_polynomial_vanishes_past_its_degree(deriv):
    import sympy as sp

    from chainrule_cli import diff

    result = diff("x + 1", order="n").result
    n, x = sp.Symbol("n", integer=True, positive=True), sp.Symbol("x", real=True)
    for k, expected in ((1, 1), (2, 0), (5, 0)):  # d/dx (x + 1) = 1, then 0
        assert result.xreplace({n: k, x: 0}) == expected


def test_a_function_of_three_variables_flat_along_each_axis(deriv):
    # cbrt(xyz) is 0 on every axis, so its partials at 0 are 0; on (t, t, t) it is t, slope 1
    # along (1, 1, 1) where ∇f·u would be 0: not differentiable
    ran = deriv("grad", "cbrt(x*y*z)", "--at", "x=0,y=0,z=0")
    assert failed(ran) == (
        "f is not differentiable at x = 0, y = 0, z = 0: its partial derivatives exist, but its "
        "slope along (1, 1, 1) is 1, not 0 as they predict"
    )


def test_backprop_says_when_its_values_differ_from_the_gradient(deriv):
    # relu(x) - relu(-x) is x, with gradient 1; PyTorch passes back 0 + 0 at x = 0
    ran = deriv("backprop", "relu(x) - relu(-x)", "--at", "x=0", "--format", "json")
    record = json.loads(ran.out)
    assert record["gradient"] == {"x": 0.0} and record["true_gradient"] == {"x": 1.0}
    assert "they are not f's gradient there, which is (1)" in ran.err


def test_a_value_too_small_for_a_double_is_a_string_in_json(deriv):
    # d/dx e^(-x) = -e^(-x), -e^(-1000) = -5.0759588975494567...e-435 (mpmath)
    ran = deriv("diff", "exp(-x)", "--at", "x=1000", "--format", "json")
    value = json.loads(ran.out)["value"]
    assert isinstance(value, str) and mp.almosteq(mp.mpf(value), -mp.exp(-1000), 1e-14)


def test_a_corner_at_the_edge_of_acos(deriv):
    # acos(1 - x²) = √2·|x| + O(|x|³) near 0: slopes -√2 and √2 (1 - h² needs 60 digits at h =
    # 1e-30 to be told from 1)
    f = lambda x: mp.acos(1 - x**2)  # noqa: E731
    with mp.workdps(120):
        assert mp.almosteq(one_sided(f, mp.mpf(0), 1), mp.sqrt(2), 1e-12)
    ran = deriv("diff", "acos(1-x^2)", "--at", "x=0")
    assert (
        failed(ran)
        == "f is not differentiable at x = 0: slope -√2 from the left, √2 from the right"
    )


def test_implicit_at_a_singular_point_of_f_is_not_decided(deriv):
    # y³ = x³ is the line y = x, but F = y³ - x³ has both partials 0 at the origin
    ran = deriv("implicit", "y^3 = x^3", "--at", "x=0,y=0")
    assert failed(ran).startswith("dy/dx is not decided at x = 0, y = 0: ∂F/∂x = ∂F/∂y = 0")


def test_a_curve_through_an_infinite_speed(deriv):
    # (∛t, t) is y = x³: (dy/dt)/(dx/dt) = 3t^(2/3) -> 0
    ran = deriv("parametric", "cbrt(t), t", "--at", "t=0", "--format", "json")
    assert ran.code == 0 and json.loads(ran.out)["value"] == 0
    assert "dx/dt is infinite there" in ran.err


def test_the_numeric_backward_pass_hands_over_where_round_off_takes_every_digit():
    # (eˣ - 1 - x)/x² = 1/2 + x/6 + x²/24 + ...: its derivative at 10⁻⁸ is 1/6 + 10⁻⁸/12 + ...;
    # in doubles the numerator cancels completely (the pass gave 322044604.0)
    from chainrule_cli import api

    squares = " + ".join(f"x{k}^2" for k in range(2, 102))
    at = "x1=1/10^8," + ",".join(f"x{k}=1" for k in range(2, 102))
    result = api.grad(f"(exp(x1)-1-x1)/x1^2 + {squares}", at=at)
    x = mp.mpf("1e-8")
    want = mp.diff(lambda t: (mp.exp(t) - 1 - t) / t**2, x)
    assert mp.almosteq(mp.mpf(str(result.values[0].approx)), want, 1e-12)


def test_backprop_where_an_infinite_slope_meets_a_zero(deriv):
    # x·∛x = x^(4/3): derivative (4/3)x^(1/3), 0 at 0; the graph multiplies ∛x's infinite
    # slope by x = 0 there
    ran = deriv("backprop", "x*cbrt(x)", "--at", "x=0")
    assert failed(ran).endswith("f's gradient there is (0), as deriv grad finds it")
