"""deriv diff --order n: the n-th derivative's formula for a symbolic order, against the formulas
of a calculus text written here, at orders past the six deriv checks itself (7, 8, 20)."""

import json

import mpmath
import pytest
import sympy as sp

x = sp.Symbol("x", real=True)
n = sp.Symbol("n", integer=True, positive=True)
m = sp.Symbol("m", real=True)


def formula(deriv, *args):
    ran = deriv("diff", *args, "--format", "json")
    assert ran.code == 0, ran.err
    record = json.loads(ran.out)
    assert record["order"] == "n" and record["holds_for"] == "n >= 1"
    return sp.sympify(record["result"], locals={"x": x, "n": n, "m": m})


TEXTBOOK = [
    # d^n/dx^n sin x = sin(x + nπ/2): each derivative a quarter turn
    (("sin(x)",), sp.sin(x + n * sp.pi / 2)),
    # cos(2x + 1): the chain rule brings a 2 each time
    (("cos(2x + 1)",), 2**n * sp.cos(2 * x + 1 + n * sp.pi / 2)),
    # e^(3x): 3^n e^(3x)
    (("e^(3x)",), 3**n * sp.exp(3 * x)),
    # 1/(x + 2) = (x + 2)^(-1): (-1)(-2)...(-n) (x + 2)^(-1-n) = (-1)^n n!/(x + 2)^(n + 1)
    (("1/(x + 2)",), (-1) ** n * sp.factorial(n) / (x + 2) ** (n + 1)),
    # ln x: 1/x, then the previous line: (-1)^(n-1) (n-1)!/x^n
    (("ln(x)",), (-1) ** (n - 1) * sp.factorial(n - 1) / x**n),
    # x^5: 5!/(5 - n)! x^(5 - n), 0 past n = 5
    (("x^5",), sp.factorial(5) / sp.factorial(5 - n) * x ** (5 - n)),
    # 2^x = e^(x ln 2): (ln 2)^n 2^x
    (("2^x",), sp.log(2) ** n * 2**x),
]


@pytest.mark.parametrize("args, want", TEXTBOOK, ids=[t[0][0] for t in TEXTBOOK])
def test_nth_derivatives_of_a_calculus_text(deriv, args, want):
    got = formula(deriv, *args, "--order", "n")
    for k in (1, 2, 3, 7, 8, 20):
        assert sp.simplify(got.subs(n, k) - want.subs(n, k)) == 0, k


def test_x_to_a_symbolic_power(deriv):
    # d^n/dx^n x^m = m(m - 1)...(m - n + 1) x^(m - n)
    got = formula(deriv, "x^m", "--order", "n", "--wrt", "x")
    for k in (1, 2, 7):
        want = sp.prod([m - j for j in range(k)]) * x ** (m - k)
        assert sp.simplify(sp.expand_func(got.subs(n, k)) - want) == 0


def test_the_formula_agrees_with_finite_differences(deriv):
    """The 5th derivative of sin(2x) + 3 ln(x) at x = 0.7 from the formula, against mpmath's
    numerical derivative of f itself."""
    got = formula(deriv, "sin(2x) + 3 ln(x)", "--order", "n")
    value = float(got.subs({n: 5, x: sp.Rational(7, 10)}))
    numeric = mpmath.diff(lambda t: mpmath.sin(2 * t) + 3 * mpmath.log(t), mpmath.mpf("0.7"), 5)
    assert abs(value - float(numeric)) < 1e-8 * abs(value)


def test_the_text_says_for_which_n(deriv):
    assert deriv("diff", "sin(x)", "--order", "n").out == (
        "f(x) = sin(x)\n"
        "dⁿf/dxⁿ = sin((π·n)/2 + x)\n"
        "(for every integer n ≥ 1; checked against n = 1, …, 6)\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("tan(x)", "--order", "n"),
            "error: no closed form known here for the n-th derivative of tan(x)",
        ),
        (
            ("sin(x)", "--order", "n", "--at", "x=1"),
            "error: a symbolic --order gives a formula; --at needs a number",
        ),
        (
            ("x^n", "--order", "n", "--wrt", "x"),
            "error: --order n: n is a variable of the function",
        ),
    ],
)
def test_what_has_no_formula_is_said(deriv, args, message):
    ran = deriv("diff", *args)
    assert ran.code in (1, 2) and ran.err.startswith(message) and ran.out == ""


def test_a_number_as_text_is_still_a_number(deriv):
    assert deriv("diff", "x^3", "--order", "2", "--format", "expr").out == "6*x\n"
