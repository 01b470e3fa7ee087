"""Answers at every point: corners, jumps, vertical tangents, domains, and names that look like
products. Each expected value is derived by hand in the comment beside it."""

import json

import pytest


def failed(ran):
    """exit 1, one error line, and the general formula still on stdout."""
    assert ran.code == 1 and ran.err.count("\n") == 1 and ran.err.startswith("error: ")
    return ran.err.removeprefix("error: ").rstrip("\n")


# |x| near 0 is -x on the left and x on the right: slopes -1 and 1, no derivative at 0.
@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("diff", "abs(x)", "--at", "x=0", "--check"),
            "f is not differentiable at x = 0: slope -1 from the left, 1 from the right",
        ),
        (
            ("diff", "abs(x-1)", "--at", "x=1"),
            "f is not differentiable at x = 1: slope -1 from the left, 1 from the right",
        ),
        (  # sqrt(x²) is |x|
            ("diff", "sqrt(x^2)", "--at", "x=0"),
            "f is not differentiable at x = 0: slope -1 from the left, 1 from the right",
        ),
        (
            ("tangent", "abs(x)", "--at", "x=0"),
            "f is not differentiable at x = 0: slope -1 from the left, 1 from the right",
        ),
        (  # ∂/∂x (|x| + |y|) at y = 0 is the slope of |x|
            ("grad", "abs(x)+abs(y)", "--at", "x=0,y=0"),
            "∂f/∂x does not exist at x = 0, y = 0: slope -1 from the left, 1 from the right",
        ),
        (  # the cone along x through the origin is |x|; both variables substituted at once
            ("diff", "sqrt(x^2+y^2)", "--wrt", "x", "--at", "x=0,y=0"),
            "∂f/∂x does not exist at x = 0, y = 0: slope -1 from the left, 1 from the right",
        ),
        (
            ("diff", "sqrt(x^2+y^2)", "--wrt", "y", "--at", "x=0,y=0"),
            "∂f/∂y does not exist at x = 0, y = 0: slope -1 from the left, 1 from the right",
        ),
        (  # f itself: 0/0 at the origin
            ("diff", "x^2/(x^2+y^2)", "--wrt", "x", "--at", "x=0,y=0"),
            "f is not defined at x = 0, y = 0: division by zero (x² + y² = 0 there)",
        ),
        (
            ("diff", "ln(x)", "--at", "x=-1"),
            "f is not real at x = -1: ln needs a positive argument, ln(-1)",
        ),
        (  # SymPy reads exp(ln(x)) as x; what was typed needs x > 0
            ("diff", "exp(ln(x))", "--at", "x=-1", "--check"),
            "f is not real at x = -1: ln needs a positive argument, ln(-1)",
        ),
        (
            ("diff", "sqrt(x)^2", "--at", "x=-1"),
            "f is not real at x = -1: sqrt needs a non-negative argument, sqrt(-1)",
        ),
        (  # sign jumps from -1 to 1 at 0
            ("diff", "sign(x)", "--at", "x=0"),
            "f is not differentiable at x = 0: f jumps there (it tends to -1 from the left and "
            "1 from the right)",
        ),
        (  # ∂f/∂x of |x| + y² does not exist at x = 0, so neither does the Hessian
            ("hessian", "abs(x)+y^2", "--at", "x=0,y=0"),
            "∂f/∂x does not exist at x = 0, y = 0: slope -1 from the left, 1 from the right",
        ),
        (  # the cube root: (h^(1/3))/h = h^(-2/3) -> ∞ from both sides
            ("diff", "cbrt(x)", "--at", "x=0"),
            "f is not differentiable at x = 0: a vertical tangent (slope ∞ from both sides)",
        ),
        (  # sqrt(|x|): (sqrt(h))/h -> ∞ on the right, -∞ on the left
            ("diff", "sqrt(abs(x))", "--at", "x=0"),
            "f is not differentiable at x = 0: a cusp (slope -∞ from the left, ∞ from the right)",
        ),
        (  # sqrt(x) is not real left of 0; from the right its slope is 1/(2 sqrt(h)) -> ∞
            ("diff", "sqrt(x)", "--at", "x=0"),
            "f is not differentiable at x = 0: f is not real for x < 0; its slope from the "
            "right is ∞ (a vertical tangent)",
        ),
        (  # d/dx (x|x|) = 2|x|, whose slopes at 0 are -2 and 2
            ("diff", "x*abs(x)", "--order", "2", "--at", "x=0"),
            "d²f/dx² does not exist at x = 0: df/dx has slope -2 from the left, 2 from the right",
        ),
        (  # sqrt(|xy|): both partials are 0 at the origin, but along (1, 1) f is |t|: slope 1
            ("grad", "sqrt(abs(x*y))", "--at", "x=0,y=0"),
            "f is not differentiable at x = 0, y = 0: its partial derivatives exist, but its "
            "slope along (1, 1) is 1, not 0 as they predict",
        ),
        (
            ("diff", "tan(x)", "--at", "x=pi/2"),
            "f is not defined at x = π/2: tan has a pole there (cos(x) is 0)",
        ),
    ],
)
def test_no_number_where_none_exists(deriv, args, message):
    assert failed(deriv(*args)) == message


# Differentiable although their derivative formulas hold sign(x), |x| or a root at 0.
@pytest.mark.parametrize(
    "expression, derivative_at_0",
    [
        ("x*abs(x)", "0"),  # (h|h|)/h = |h| -> 0
        ("abs(x)^3", "0"),  # |h|³/h -> 0
        ("x^2*sign(x)", "0"),  # h²·sign(h)/h = |h| -> 0
        ("abs(x)*sin(x)", "0"),  # |h|·sin(h)/h -> 0
        ("x*cbrt(x)", "0"),  # h·h^(1/3)/h -> 0
        ("abs(x^3)", "0"),
    ],
)
def test_differentiable_despite_a_kink_in_the_formula(deriv, expression, derivative_at_0):
    ran = deriv("diff", expression, "--at", "x=0", "--format", "expr")
    assert (ran.code, ran.out) == (0, derivative_at_0 + "\n")


def test_a_value_away_from_the_kink_is_the_formula(deriv):
    # d/dx |x - 1| at 3 is 1; at -8 the real cube root's slope is 1/(3·(-2)²) = 1/12
    assert deriv("diff", "abs(x-1)", "--at", "x=3", "--format", "expr").out == "1\n"
    assert deriv("diff", "cbrt(x)", "--at", "x=-8", "--format", "expr").out == "1/12\n"


def test_the_json_record_says_why(deriv):
    ran = deriv("diff", "abs(x)", "--at", "x=0", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 1
    assert record["value"] is None and record["value_exact"] is None
    assert record["differentiable"] is False and record["reason"] == "corner"
    assert (record["left"], record["right"]) == ("-1", "1")
    assert record["conditions"] == ["x != 0"]


def test_json_infinite_slopes_and_a_value_record(deriv):
    record = json.loads(deriv("diff", "cbrt(x)", "--at", "x=0", "--format", "json").out)
    assert (record["reason"], record["left"], record["right"]) == ("vertical", "oo", "oo")
    record = json.loads(deriv("diff", "x*abs(x)", "--at", "x=0", "--format", "json").out)
    assert record["differentiable"] is True and record["value_exact"] == "0"


@pytest.mark.parametrize(
    "args, reason",
    [
        (("diff", "abs(x)", "--at", "x=0"), "corner"),
        (("diff", "cbrt(x)", "--at", "x=0"), "vertical"),
        (("diff", "sign(x)", "--at", "x=0"), "discontinuous"),
        (("diff", "1/x", "--at", "x=0"), "undefined"),
        (("diff", "ln(x)", "--at", "x=-2"), "not real"),
        (("diff", "abs(x)*y", "--wrt", "x", "--wrt", "y", "--at", "x=0,y=0"), "undecided"),
        (("grad", "abs(x)+abs(y)", "--at", "x=0,y=0"), "corner"),
        (("hessian", "abs(x)+y^2", "--at", "x=0,y=0"), "corner"),
        (("jacobian", "abs(x), y", "--at", "x=0,y=0"), "corner"),
        (("chain", "abs(u)", "--inner", "u=x", "--at", "x=0"), "corner"),
        (("tangent", "abs(x)", "--at", "x=0"), "corner"),
        (("implicit", "x^2+y^2=1", "--at", "x=1,y=0"), "vertical"),
        (("implicit", "x^2+y^2=1", "--at", "x=1,y=2"), "undefined"),
    ],
)
def test_every_command_names_the_reason_in_json(deriv, args, reason):
    ran = deriv(*args, "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 1 and record["differentiable"] is False and record["reason"] == reason


def test_a_vertical_tangent_is_the_line_x_equals_a(deriv):
    ran = deriv("tangent", "cbrt(x)", "--at", "x=0")
    assert (ran.code, ran.out) == (0, "f(x) = cbrt(x)\ntangent line at x = 0: x = 0\n")
    assert ran.err == (
        "note: f is not differentiable at x = 0: a vertical tangent (slope ∞ from both sides)\n"
    )


def test_dir_gives_the_one_sided_slope_of_the_cone(deriv):
    # sqrt(x² + y²) along (1, 0) from the origin is t: slope 1; the gradient does not exist
    ran = deriv("dir", "sqrt(x^2+y^2)", "--direction", "1,0", "--at", "x=0,y=0")
    assert ran.code == 0 and ran.out.endswith("at x = 0, y = 0: D_u f = 1\n")
    assert "∂f/∂x does not exist" in ran.err and "one side" in ran.err


def test_the_general_formula_says_where_it_holds(deriv):
    ran = deriv("diff", "abs(x)")
    assert (ran.out, ran.err) == (
        "f(x) = |x|\ndf/dx = sign(x)\n",
        "note: the result holds where x ≠ 0\n",
    )
    assert deriv("diff", "asin(x)").err == "note: the result holds where -1 < x < 1\n"
    assert deriv("diff", "x^2 + 1").err == ""  # nothing to say where there is no kink


def test_backprop_follows_the_frameworks_at_a_kink(deriv):
    # PyTorch: d|x|/dx at 0 is 0 (sign(0)); deriv diff says there is no derivative
    ran = deriv("backprop", "abs(x)", "--at", "x=0", "--format", "expr")
    assert (ran.code, ran.out) == (0, "0\n")
    assert "what PyTorch does" in ran.err
    ran = deriv("backprop", "abs(x)*y + sign(x)", "--at", "x=1,y=2", "--format", "expr")
    assert ran.out == "2\n1\n"  # ∂/∂x = y·sign(x) + 0 = 2; ∂/∂y = |x| = 1


def test_check_fails_at_a_kink(tmp_path):
    from chainrule_cli.calculus import derivative, function_of
    from chainrule_cli.parser import parse
    from chainrule_cli.verify import check

    function = function_of(parse("abs(x)"))
    (x,) = function.variables
    import sympy as sp

    result = derivative(function, (x,))  # no point: the formula, unjudged
    report = check(result, ((x, sp.Integer(0)),)).report
    assert not report.passed and report.kinks  # the left quotient is -1, the right 1


def test_check_message_never_contradicts_itself(deriv):
    ran = deriv("diff", "sqrt(-x-20)", "--check")
    assert "no point in the domain" in ran.out and "error: --check failed: found no" in ran.err


# Names that look like products


def test_pi_is_a_token_of_its_own(deriv):
    assert deriv("diff", "2πx", "--format", "expr").out == "2*pi\n"  # d/dx 2πx = 2π
    assert deriv("diff", "πr^2", "--format", "expr").out == "2*pi*r\n"


def test_a_name_made_of_other_names_gets_a_note(deriv):
    ran = deriv("implicit", "e^(xy) = x + y")
    assert 'note: "xy" is read as one variable; write x*y for a product' in ran.err


def test_check_refuses_an_answer_in_a_foreign_variable(deriv):
    ran = deriv("check", "x^2 y", "--answer", "2xy", "--wrt", "x")
    assert (ran.code, ran.err) == (
        2,
        "error: the answer uses xy, which is not a variable of f(x, y); did you mean x*y?\n",
    )


def test_principal_root_points_to_the_real_root(deriv):
    message = failed(deriv("diff", "x^(1/3)", "--at", "x=-1"))
    assert message.startswith("f is not real at x = -1:") and "cbrt(x) or root(x, 3)" in message
    # the real cube root at -8: d/dx x^(1/3) = 1/(3 x^(2/3)) = 1/(3·4)
    assert deriv("diff", "root(x, 3)", "--at", "x=-8", "--format", "expr").out == "1/12\n"


def test_implicit_point_off_the_curve(deriv):
    # x² + y² - 1 at (1, 2) is 4
    message = failed(deriv("implicit", "x^2+y^2=1", "--at", "x=1,y=2"))
    assert message == "the point x = 1, y = 2 is not on the curve: lhs - rhs = 4 there"
