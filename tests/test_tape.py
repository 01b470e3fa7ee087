"""The numeric backward pass (tape.py) against SymPy's exact derivatives at a point."""

import numpy as np
import pytest
import sympy as sp
from hypothesis import assume, given
from strategies import expressions
from test_backprop import neural_loss

from chainrule_cli.calculus import function_of
from chainrule_cli.errors import DerivError
from chainrule_cli.parser import parse
from chainrule_cli.tape import TapeUnsupported, compile_tape


def exact_gradient(function, point):
    at = dict(zip(function.variables, point))
    return [complex(sp.diff(function.expr, v).evalf(30, subs=at)) for v in function.variables]


@given(expressions())
def test_tape_equals_sympy_on_generated_expressions(text):
    try:
        function = function_of(parse(text))
        tape = compile_tape(function.expr, function.variables)
    except (DerivError, TapeUnsupported):
        assume(False)
    point = [sp.Rational(k + 2, 7) for k in range(len(function.variables))]
    value, gradient = tape.gradient(np.array([float(p) for p in point]))
    want = exact_gradient(function, point)
    assume(all(abs(w.imag) < 1e-12 and np.isfinite(w.real) for w in want))
    for got, expected in zip(gradient, want):
        assert got == pytest.approx(expected.real, rel=1e-9, abs=1e-9)


def test_tape_on_a_network_loss():
    function = function_of(parse(neural_loss(10)))  # 41 parameters
    point = [sp.Rational((k * 7) % 11 - 5, 10) for k in range(len(function.variables))]
    _, gradient = compile_tape(function.expr, function.variables).gradient(
        np.array([float(p) for p in point])
    )
    for got, expected in zip(gradient, exact_gradient(function, point)):
        assert got == pytest.approx(expected.real, rel=1e-10, abs=1e-12)


def test_a_zero_factor_in_a_product():
    function = function_of(parse("x*y*z"))
    _, gradient = compile_tape(function.expr, function.variables).gradient(
        np.array([0.0, 2.0, 3.0])
    )
    assert list(gradient) == [6.0, 0.0, 0.0]


def test_shared_node_sums_both_paths():
    function = function_of(parse("sin(x)*cos(x) + sin(x)"))
    _, gradient = compile_tape(function.expr, function.variables).gradient(np.array([1.0]))
    assert gradient[0] == pytest.approx(np.cos(2.0) + np.cos(1.0))


def test_unsupported_operations_say_so():
    with pytest.raises(TapeUnsupported):
        compile_tape(parse("x^y"), tuple(parse("x + y").free_symbols))


@given(expressions())
def test_grad_at_a_point_agrees_by_both_routes(text):
    """The gradient's numeric route (doubles, for large gradients) against its exact route,
    through the calculus core: 1e-12 relative wherever both give a value."""
    from chainrule_cli.api import read_function
    from chainrule_cli.calculus import gradient

    try:
        function = read_function(text)
    except DerivError:
        assume(False)
    assume(function.variables)
    point = tuple((v, sp.Rational(k + 2, 7)) for k, v in enumerate(function.variables))
    numeric = gradient(function, function.variables, point, numeric=True)
    exact = gradient(function, function.variables, point, numeric=False)
    assume(numeric.numeric and exact.values is not None)
    for got, want in zip(numeric.values, exact.values):
        assert float(got.approx) == pytest.approx(float(want.approx), rel=1e-12, abs=1e-14)


def test_a_large_gradient_at_a_point_is_numeric_and_right(deriv):
    """Past NUMERIC_VARIABLES the CLI takes the numeric route, and says so; its values are
    the exact route's (computed here in-process) to 1e-12."""
    import json

    from chainrule_cli.api import read_function, read_point
    from chainrule_cli.calculus import NUMERIC_VARIABLES, gradient

    text = neural_loss(25)  # 101 parameters
    function = read_function(text)
    assert len(function.variables) > NUMERIC_VARIABLES
    at = ",".join(f"{s.name}=0.{k % 9 + 1}" for k, s in enumerate(function.variables))
    ran = deriv("grad", text, "--at", at, "--format", "json")
    numeric = json.loads(ran.out)
    assert numeric["numeric"] is True and "numeric backward pass" in ran.err
    exact = gradient(function, function.variables, read_point(at), cse=True, numeric=False)
    assert not exact.numeric
    for got, want in zip(numeric["value"], exact.values):
        assert got == pytest.approx(float(want.approx), rel=1e-12, abs=1e-14)
