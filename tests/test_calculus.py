"""The calculus core against independent answers: hand-derived results and finite differences."""

import mpmath
import pytest
import sympy as sp

from chainrule_cli import calculus
from chainrule_cli.parser import parse

x, y, z = sp.symbols("x y z", real=True)

HAND_DERIVED = [
    # typed, variable, derivative worked out by hand
    ("6x^2", x, 12 * x),
    ("sin(x^2)", x, 2 * x * sp.cos(x**2)),
    ("e^(3x)", x, 3 * sp.exp(3 * x)),
    ("ln(x)", x, 1 / x),
    ("log(x, 2)", x, 1 / (x * sp.log(2))),
    ("sqrt(x)", x, 1 / (2 * sp.sqrt(x))),
    ("x^x", x, x**x * (sp.log(x) + 1)),
    ("tan(x)", x, 1 + sp.tan(x) ** 2),
    ("atan(x)", x, 1 / (1 + x**2)),
    ("(x^2+1)/(x-1)", x, (2 * x * (x - 1) - (x**2 + 1)) / (x - 1) ** 2),
    ("3x + y", y, sp.Integer(1)),
    ("x^2 y^3", y, 3 * x**2 * y**2),
]


@pytest.mark.parametrize("typed, variable, expected", HAND_DERIVED)
def test_matches_hand_derived(typed, variable, expected):
    result = calculus.derivative(calculus.function_of(parse(typed)), (variable,)).result
    assert sp.simplify(result - expected) == 0


def central_difference(expr, variable, point):
    """d expr / d variable at point, by a 4th-order central difference in 60-digit arithmetic."""
    others = {s: v for s, v in point.items() if s != variable}
    f = sp.lambdify(variable, expr.subs(others), "mpmath")
    with mpmath.workdps(60):
        a, h = mpmath.mpf(point[variable]), mpmath.mpf("1e-20")
        return (-f(a + 2 * h) + 8 * f(a + h) - 8 * f(a - h) + f(a - 2 * h)) / (12 * h)


FD_CASES = [
    "sin(x) cos(y) + x^3 y",
    "exp(-(x^2 + y^2)/2)",
    "log(1 + x^2 y^2) / (2 + sin(x))",
    "sqrt(x^2 + y^2 + 1) tanh(x y)",
    "-0.5x + 0.25y^2",
    "abs(x - 2y) + x^y",
]


@pytest.mark.parametrize("typed", FD_CASES)
def test_gradient_matches_finite_differences(typed):
    expr = parse(typed)
    point = {x: sp.Rational(7, 10), y: sp.Rational(13, 10)}
    grad = calculus.gradient(calculus.function_of(expr), point=tuple(point.items()))
    for variable, value in zip(grad.variables, grad.values):
        numeric = central_difference(expr, variable, point)
        assert abs(float(value.approx) - float(numeric)) < 1e-9 * max(1, abs(float(numeric)))


def test_gradient_components_equal_individual_derivatives():
    function = calculus.function_of(parse("x^2 y + sin(z) y"))
    grad = calculus.gradient(function)
    for variable, component in zip(grad.variables, grad.components):
        assert component == sp.diff(function.expr, variable)  # SymPy's own route, per variable


def test_constant_gradient():
    assert calculus.gradient(calculus.function_of(parse("3x + y"))).is_constant
    assert not calculus.gradient(calculus.function_of(parse("x^2 + y"))).is_constant


def test_natural_order():
    symbols = sp.symbols("x10 b x2 z y x", real=True)
    assert [s.name for s in calculus.natural_order(symbols)] == ["x", "y", "z", "b", "x2", "x10"]
