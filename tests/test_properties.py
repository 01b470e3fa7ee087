"""Properties over generated input (hypothesis). `HYPOTHESIS_PROFILE=thorough pytest
tests/test_properties.py` runs thousands of examples instead of the CI's few dozen."""

import mpmath
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st
from strategies import expressions

from chainrule_cli import calculus, points
from chainrule_cli.errors import DerivError
from chainrule_cli.parser import parse, parse_with_domain
from chainrule_cli.render.mathtext import as_expr

x, y = sp.symbols("x y", real=True)

GRAMMAR_CHARACTERS = "xy0123456789.+-*/^() ,=e_sincoalgqrtph\t"


@given(st.text(max_size=60))
def test_parser_raises_only_its_own_errors_on_any_text(text):
    try:
        parse(text)
    except DerivError:
        pass


@given(st.text(alphabet=GRAMMAR_CHARACTERS, max_size=40))
def test_parser_raises_only_its_own_errors_on_near_miss_text(text):
    try:
        parse(text)
    except DerivError:
        pass


def parsed(text):
    """The expression, or no example at all when the text is, rightly, refused (x/(x-x))."""
    try:
        return parse(text)
    except DerivError:
        assume(False)


def exactly(expr):
    """Decimals as exact fractions, so a step of 1e-20 is not lost in 15-digit arithmetic."""
    return expr.xreplace({f: sp.Rational(str(f)) for f in expr.atoms(sp.Float)})


def value_at(expr, point, digits=60):
    value = complex(expr.evalf(digits, subs=point))
    assume(abs(value.imag) < 1e-30 and mpmath.isfinite(value.real))
    return value.real


sample_points = st.fixed_dictionaries({x: st.floats(-2, 2), y: st.floats(-2, 2)}).map(
    lambda p: {s: sp.Rational(round(v, 3)).limit_denominator(1000) for s, v in p.items()}
)


@given(expressions(), sample_points)
def test_diff_agrees_with_central_finite_differences(text, point):
    """Where f is defined as typed: atan(1/x) is not at 0, though its derivative's formula,
    -1/(x² + 1), has a value there (deriv says f is not defined)."""
    try:
        expr, domain = parse_with_domain(text)
    except DerivError:
        assume(False)
    function = calculus.function_of(expr, domain)
    assume(points.defined_at(function, tuple(point.items())) is None)
    derivative = calculus.derivative(function, (x,)).result
    h = sp.Rational(1, 10**20)
    with mpmath.workdps(60):
        f = lambda t: exactly(expr).evalf(60, subs={**point, x: t})  # noqa: E731
        fd = (f(point[x] + h) - f(point[x] - h)) / (2 * h)
    symbolic = value_at(derivative, point)
    fd_value = complex(sp.N(fd, 30))
    assume(abs(fd_value.imag) < 1e-20)
    assert abs(symbolic - fd_value.real) <= 1e-12 * max(1.0, abs(symbolic))


@given(expressions())
def test_expr_output_parses_back_to_the_same_expression(text):
    """Equal, up to the rounding of decimals to the 15 digits they carry."""
    expr = parsed(text)
    at = {x: sp.Rational(3, 7), y: sp.Rational(-5, 11)}
    for shown in (expr, calculus.derivative(calculus.function_of(expr), (x,)).result):
        again = parse(as_expr(shown))
        if again == shown:
            continue
        a, b = complex(again.evalf(30, subs=at)), complex(shown.evalf(30, subs=at))
        assert abs(a - b) <= 1e-13 * max(1.0, abs(b))


@given(expressions())
def test_grad_components_equal_individual_derivatives(text):
    function = calculus.function_of(parsed(text))
    grad = calculus.gradient(function, (x, y))
    for variable, component in zip(grad.variables, grad.components):
        one = calculus.derivative(function, (variable,)).result
        assert component == one
        assert same_function(component, sp.diff(function.expr, variable))


def same_function(a: sp.Expr, b: sp.Expr) -> bool:
    """Equal: simplify reaches 0, or (where it gives up, log(u) against log(u) written over
    one denominator) the two agree to 25 digits at three rational points."""
    if sp.simplify(a - b) == 0:
        return True
    points = [{x: sp.Rational(3, 7), y: sp.Rational(-5, 11)}, {x: sp.Rational(5, 3), y: 2}]
    points.append({x: sp.Rational(-7, 4), y: sp.Rational(1, 9)})
    for at in points:
        left, right = complex(a.evalf(30, subs=at)), complex(b.evalf(30, subs=at))
        if abs(left - right) > 1e-25 * max(1.0, abs(right)):
            return False
    return True
