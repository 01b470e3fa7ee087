"""deriv taylor: Taylor polynomials and the linear approximation, against polynomials derived
by hand from the derivatives at the point."""

import json

import pytest
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import expressions

x, y = sp.symbols("x y", real=True)


def polynomial(deriv, *args):
    ran = deriv("taylor", *args, "--format", "json")
    assert ran.code == 0, ran.err
    record = json.loads(ran.out)
    return sp.sympify(record["result"], locals={"x": x, "y": y}), record


@pytest.mark.parametrize(
    "args, want",
    [
        # eˣ: every derivative is 1 at 0
        (("e^x", "--order", "3"), 1 + x + x**2 / 2 + x**3 / 6),
        # sin: 0, 1, 0, -1, 0, 1 at 0
        (("sin(x)", "--order", "5"), x - x**3 / 6 + x**5 / 120),
        # ln at 1: 0, 1, -1, 2 → (x-1) - (x-1)²/2 + (x-1)³/3
        (("ln(x)", "--at", "x=1", "--order", "3"), (x - 1) - (x - 1) ** 2 / 2 + (x - 1) ** 3 / 3),
        # √x at 4: 2 + (x - 4)/(2·2)
        (("sqrt(x)", "--at", "x=4", "--order", "1"), 2 + (x - 4) / 4),
        # x²y + y at (1, 2): f = 4, ∇f = (2xy, x² + 1) = (4, 2),
        # H = [[2y, 2x], [2x, 0]] = [[4, 2], [2, 0]]
        (
            ("x^2 y + y", "--at", "x=1,y=2"),
            4 + 4 * (x - 1) + 2 * (y - 2) + (4 * (x - 1) ** 2 + 4 * (x - 1) * (y - 2)) / 2,
        ),
        # ln(1 + x): 1/(1 + x) -> 1, -1/(1 + x)² -> -1, 2/(1 + x)³ -> 2, -6/(1 + x)⁴ -> -6
        (("ln(1 + x)", "--order", "4"), x - x**2 / 2 + x**3 / 3 - x**4 / 4),
        # 1/(1 - x): the k-th derivative k!/(1 - x)^(k+1) is k! at 0: the geometric series
        (("1/(1 - x)", "--order", "4"), 1 + x + x**2 + x**3 + x**4),
        # a polynomial is its own Taylor polynomial of its degree
        (("x^3 - 2x + 1", "--at", "x=2", "--order", "3"), x**3 - 2 * x + 1),
    ],
)
def test_taylor_polynomials(deriv, args, want):
    got, _ = polynomial(deriv, *args)
    assert sp.expand(got - want) == 0


def test_textbook_layout(deriv):
    out = deriv("taylor", "e^x", "--order", "3").out
    assert out == (
        "f(x) = eˣ\n"
        "at x = 0, the Taylor polynomial of order 3:\n"
        "P₃(x) = 1 + x + x²/2 + x³/6 + O(x⁴)\n"
    )
    out = deriv("taylor", "sqrt(x)", "--at", "x=4", "--order", "1").out
    assert out.splitlines()[1:] == [
        "at x = 4, the linear approximation:",
        "L(x) = 2 + (x - 4)/4 + O((x - 4)²)",
    ]


def test_the_remainder_and_the_terms_in_json(deriv):
    _, record = polynomial(deriv, "ln(x)", "--at", "x=1", "--order", "3")
    assert record["terms"] == ["0", "x - 1", "-(x - 1)**2/2", "(x - 1)**3/3"]
    assert record["remainder"] == "O((x - 1)**4)" and record["differentiable"] is True


def test_no_polynomial_where_a_derivative_does_not_exist(deriv):
    ran = deriv("taylor", "abs(x)")
    assert ran.code == 1
    assert (
        ran.err
        == "error: f is not differentiable at x = 0: slope -1 from the left, 1 from the right\n"
    )


def test_several_variables_take_order_one_or_two(deriv):
    ran = deriv("taylor", "x*y", "--order", "3")
    assert ran.code == 2 and "order is 1 or 2" in ran.err


@given(
    text=expressions(("x",)),
    a=st.sampled_from(["-1", "-1/2", "0", "1/3", "1"]),
    order=st.integers(1, 3),
)
def test_the_polynomial_agrees_with_f_to_its_order(text, a, order):
    """(f - P)(a + h) / h^(n+1) stays bounded as h -> 0: it tends to f^(n+1)(a)/(n+1)!, here
    computed by SymPy's own diff, not deriv's, and evaluated to 60 digits. Decimals are read
    exactly (as --exact does): a decimal printed to 15 digits would be a difference of its own."""
    from chainrule_cli import api
    from chainrule_cli.errors import DerivError

    try:
        result = api.taylor(text, at=f"x={a}", order=order, exact=True)
    except DerivError:  # (x - x)^-1 and the like: refused, not approximated
        assume(False)
    assume(result.failure is None and result.function.variables == (x,))
    f, point = result.function.expr, sp.Rational(a)
    c, d = (
        sp.N(sp.diff(f, x, k).subs(x, point) / sp.factorial(k), 60) for k in (order + 1, order + 2)
    )
    assume(all(v.is_finite for v in (c, d)))
    for h in (sp.Rational(1, 10**5), -sp.Rational(1, 10**5)):
        q = sp.N((f - result.polynomial).subs(x, point + h) / h ** (order + 1), 60)
        assert abs(q - c) <= sp.Rational(1, 1000) * (1 + abs(c)) + abs(d) * 10 * abs(h), text


def test_the_table_of_derivatives(deriv):
    """--steps: ln(1 + x) at 0, its derivatives by hand: 1/(1 + x), -1/(1 + x)², 2/(1 + x)³,
    so the values 0, 1, -1, 2 and the coefficients 0, 1, -1/2, 1/3."""
    _, record = polynomial(deriv, "ln(1 + x)", "--order", "3", "--steps")
    rows = record["table"]
    assert [r["k"] for r in rows] == [0, 1, 2, 3]
    values = [sp.sympify(r["value"]) for r in rows]
    coefficients = [sp.sympify(r["coefficient"]) for r in rows]
    assert values == [0, 1, -1, 2] and coefficients == [0, 1, sp.Rational(-1, 2), sp.Rational(1, 3)]
    hand = [sp.log(1 + x), 1 / (1 + x), -1 / (1 + x) ** 2, 2 / (1 + x) ** 3]
    got = [sp.sympify(r["derivative"], locals={"x": x}) for r in rows]
    assert all(sp.simplify(g - h) == 0 for g, h in zip(got, hand))


def test_maclaurin_values_numerically(deriv):
    """The Maclaurin polynomials of the textbook set, each against f at x = 0.1: the error is
    below the next term's size."""
    import math

    for text, f, order in (
        ("e^x", math.exp, 4),
        ("sin(x)", math.sin, 5),
        ("ln(1 + x)", lambda t: math.log(1 + t), 4),
        ("1/(1 - x)", lambda t: 1 / (1 - t), 4),
    ):
        p, _ = polynomial(deriv, text, "--order", str(order))
        assert abs(float(p.subs(x, 0.1)) - f(0.1)) < 2 * 0.1 ** (order + 1)
