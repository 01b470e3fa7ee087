"""Exact where it matters: zeros are zeros, decimals are exact, the second-derivative test
decides signs exactly, and chain and backprop never print a wrong vector or local derivative.
Every expected value is derived by hand beside it."""

import contextlib
import io
import json
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chainrule_cli.cli import main


def record(deriv, *args):
    ran = deriv(*args, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


# Zeros that SymPy does not reduce by itself


def test_a_gradient_that_is_exactly_zero(deriv):
    # ∂f/∂x = 2x - 2 ln 6, and at x = ln 2 + ln 3 = ln 6 that is 0; ∂f/∂y = 2y = 0
    data = record(deriv, "grad", "x^2 - 2x*log(6) + y^2", "--at", "x=log(2)+log(3),y=0")
    assert data["value_exact"] == ["0", "0"] and data["value"] == [0.0, 0.0]
    assert data["critical_point"] is True and data["direction"] is None
    assert data["magnitude"] == 0.0


def test_the_hessian_sees_the_same_critical_point(deriv):
    # H = diag(2, 2) everywhere: a minimum where the gradient vanishes
    data = record(deriv, "hessian", "x^2 - 2x*log(6) + y^2", "--at", "x=log(2)+log(3),y=0")
    assert data["critical_point"] is True and data["classification"] == "minimum"


def test_a_trigonometric_identity_is_zero(deriv):
    # d/dx (x² - 2x(sin²1 + cos²1)) = 2x - 2 = 0 at x = 1
    ran = deriv("diff", "x^2 - 2x*(sin(1)^2+cos(1)^2)", "--at", "x=1", "--format", "expr")
    assert ran.out == "0\n"


# Decimals are exact decimals


def test_decimal_round_off_is_not_an_answer(deriv):
    # 6·0.3 - 1.8 = 0 exactly (in doubles it is 2.2e-16)
    assert deriv("diff", "3x^2 - 1.8x", "--at", "x=0.3", "--format", "expr").out == "0\n"
    # ∂/∂x (0.1x² - 0.07x + y²) = 0.2x - 0.07 = 0 at x = 0.35
    data = record(deriv, "grad", "0.1x^2 - 0.07x + y^2", "--at", "x=0.35,y=0")
    assert data["value_exact"] == ["0", "0"] and data["critical_point"] is True
    data = record(deriv, "hessian", "3x^2 - 1.8x + y^2", "--at", "x=0.3,y=0")
    assert data["critical_point"] is True and data["classification"] == "minimum"


def test_decimals_stay_decimals_at_a_point(deriv):
    # the lecture's gradient (-0.5, 0.5y) at y = 2: (-0.5, 1.0); |∇f| = sqrt(1.25)
    data = record(deriv, "grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2")
    assert data["value_exact"] == ["-0.5", "1.0"]
    assert data["magnitude"] == pytest.approx(1.25**0.5, rel=1e-15)


DECIMALS = st.decimals(min_value=-9, max_value=9, places=2, allow_nan=False)


def run(*args: str) -> tuple[int, str]:
    """deriv in-process, for property tests (a fixture is not reset between examples)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(list(args))
    return code, out.getvalue()


@given(st.lists(DECIMALS, min_size=1, max_size=4), DECIMALS)
def test_decimal_polynomials_at_decimal_points(coefficients, at):
    """d/dx (Σ c_k x^k + x) = Σ k·c_k·x^(k-1) + 1, in exact fractions: deriv prints that value
    to its digits, and 0 as 0."""
    terms = " + ".join(f"({c})*x^{k}" for k, c in enumerate(coefficients))
    want = 1 + sum(
        k * Fraction(c) * Fraction(at) ** (k - 1) for k, c in enumerate(coefficients) if k
    )
    code, out = run("diff", f"{terms} + x", "--at", f"x={at}", "--format", "expr")
    assert code == 0
    shown = out.strip()
    if want == 0:
        assert shown == "0"
    else:
        assert abs(Fraction(shown) - want) <= abs(want) * Fraction(1, 10**14)


# The second-derivative test, exactly


@pytest.mark.parametrize(
    "expression, point, kind",
    [
        # eigenvalues 2, -2, 0 (12z² at 0): both signs make a saddle, whatever the zero
        ("x^2 - y^2 + z^4", "x=0,y=0,z=0", "saddle"),
        # eigenvalues ±2/10^13: tiny, but of both signs
        ("(x^2 - y^2)/10^13", "x=0,y=0", "saddle"),
        # eigenvalues 2/10^13, 2/10^13: tiny and positive
        ("(x^2+y^2)/10^13", "x=0,y=0", "minimum"),
        ("1e-20*x^2 + y^2", "x=0,y=0", "minimum"),
        # eigenvalues 0 and -2: one sign and a zero decide nothing
        ("x^4 - y^2", "x=0,y=0", "inconclusive"),
        ("-x^2 - y^2", "x=0,y=0", "maximum"),
        # H = [[2, 3], [3, 2]]: eigenvalues 5 and -1
        ("x^2 + 3x*y + y^2", "x=0,y=0", "saddle"),
    ],
)
def test_classification_decides_signs_exactly(deriv, expression, point, kind):
    assert record(deriv, "hessian", expression, "--at", point)["classification"] == kind


def test_classification_of_tiny_exact_eigenvalues_in_text(deriv):
    ran = deriv("hessian", "1e-20*x^2 + y^2", "--at", "x=0,y=0")
    assert ran.out.endswith("the gradient vanishes there: a critical point, a local minimum\n")


# chain --wrt


def test_chain_wrt_twice_is_an_error_not_a_wrong_vector(deriv):
    ran = deriv("chain", "sin(x*y)", "--wrt", "y", "--wrt", "y")
    assert ran.code == 2 and "y is given twice" in ran.err and ran.out == ""


def test_chain_wrt_selects_variables(deriv):
    # ∂/∂y sin(xy) = x cos(xy); one variable of two: no gradient line
    ran = deriv("chain", "sin(x*y)", "--wrt", "y", "--format", "plain")
    assert "∂f/∂y" in ran.out and "∇f" not in ran.out
    both = deriv("chain", "sin(x*y)", "--wrt", "x", "--wrt", "y", "--format", "plain").out
    assert "∇f = (y·cos(x·y), x·cos(x·y))ᵀ" in both


# Chain notation


def test_total_derivative_and_explicit_partial_are_told_apart(deriv):
    # f(u, x) = x sin u, u = x²: df/dx = ∂f/∂u·du/dx + ∂f/∂x|_u = 2x² cos x² + sin x²
    out = deriv("chain", "x*sin(x^2)", "--format", "plain").out
    assert "df/dx = ∂f/∂u · du/dx + ∂f/∂x|_u\n" in out
    assert "  df/dx = 2x²·cos(x²) + sin(x²)\n" in out


def test_one_variable_two_inner_functions_is_d(deriv):
    out = deriv("chain", "sin(u)*cos(v)", "--inner", "u=x^2", "--inner", "v=x^3").out
    assert "df/dx = ∂f/∂u · du/dx + ∂f/∂v · dv/dx\n" in out


def test_inner_functions_are_named_in_reading_order(deriv):
    out = deriv("chain", "sin(x*y)+cos(x+y)", "--format", "plain").out
    assert "  u(x, y) = x·y\n  v(x, y) = x + y\n" in out


@pytest.mark.parametrize(
    "expression, derivative",
    [
        # (1+x)^(1+x) = e^((1+x) ln(1+x)): derivative (1+x)^(1+x)·(ln(1+x) + 1)
        ("(1+x)^(1+x)", "(x + 1)**(x + 1)*(log(x + 1) + 1)"),
        # x^sin x: x^sin x·(cos x·ln x + sin x / x)
        ("x^sin(x)", "x**sin(x)*(log(x)*cos(x) + sin(x)/x)"),
    ],
)
def test_powers_with_a_variable_exponent_are_compositions(deriv, expression, derivative):
    data = record(deriv, "chain", expression)
    assert data["automatic"] is True and data["matches_direct"] is True
    assert data["result"]["x"] == derivative


# Backprop's constants and local derivatives


def test_backprop_folds_constant_subexpressions(deriv):
    # log(x)/log(2)·t: 1/log(2) is one constant node; no local derivative of a constant is shown
    data = record(deriv, "backprop", "log(x)/log(2) * t")
    constants = [n for n in data["nodes"] if n["op"] == "const"]
    assert [n["expression"] for n in constants] == ["1/log(2)"]
    assert all(n["grad"] is None for n in constants)
    assert data["gradient"] == {"x": "t/(x*log(2))", "t": "log(x)/log(2)"}


def test_dot_names_nodes_as_the_table_does(deriv):
    table = record(deriv, "backprop", "x^y*2^x")
    dot = deriv("backprop", "x^y*2^x", "--format", "dot").out
    for node in table["nodes"]:
        assert f'"{node["id"]}" [label="{{ {node["id"]} |' in dot


# LaTeX names


def test_greek_letters_are_latex_commands(deriv):
    out = deriv("diff", "θ^2", "--format", "latex").out
    assert "\\frac{d f}{d \\theta} &= 2 \\theta" in out and "θ" not in out
    assert "\\arcsin" in deriv("diff", "asin(x)", "--format", "latex").out
    assert "\\ln" in deriv("diff", "ln(x)^2", "--format", "latex").out


# Decimals inside functions: read exactly, shown as typed (decimals.py)


def test_a_decimal_inside_exp_is_shown_as_typed_and_computed_exactly(deriv):
    data = record(deriv, "diff", "exp(x - 0.3)", "--at", "x=0.3")
    # d/dx e^(x - 0.3) = e^(x - 0.3), which is e^0 = 1 at 0.3 exactly
    assert data["expression"] == "exp(x - 0.3)" and data["result"] == "exp(x - 0.3)"
    assert data["value_exact"] == "1.0" and data["value"] == 1.0


def test_what_is_shown_as_a_decimal():
    import sympy as sp

    from chainrule_cli.decimals import decimal_display, typed_decimals

    x = sp.Symbol("x", real=True)
    assert str(decimal_display(sp.exp(x - sp.Rational(3, 10)))) == "exp(x - 0.3)"
    assert decimal_display(sp.sqrt(x) / 2).has(sp.sqrt(x))  # a root stays a root
    assert decimal_display(x / 3) == x / 3  # 1/3 has no decimal that ends
    assert str(decimal_display(x * (1 + sp.Rational(1, 10**17)))) == "1.00000000000000001*x"
    assert typed_decimals("2x + 1e-3") and typed_decimals(["x", 0.5])
    assert not typed_decimals("x^2/4") and not typed_decimals("sin(x")


def test_a_sympy_input_with_floats_is_read_as_the_decimals_it_shows():
    import sympy as sp

    from chainrule_cli import diff

    x = sp.Symbol("x")
    result = diff(0.1 * x**3, at={"x": 0.1})
    # d/dx 0.1x³ = 0.3x², which is 0.003 at 0.1 exactly (floats would give 0.0030000000000000005)
    from chainrule_cli.values import shortest_decimal

    assert str(result.result) == "0.3*x**2" and shortest_decimal(result.value.exact) == "0.003"
