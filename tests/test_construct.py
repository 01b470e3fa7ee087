"""Skipping evaluation for plain sums must build exactly what SymPy's evaluation builds."""

import pytest
import sympy as sp

from chainrule_cli.construct import SUM_NEUTRAL, apply

x, y, z = sp.symbols("x y z", real=True)
ARGUMENTS = [
    x + y,
    0.5 * x - 1.0 * y + z,
    -x - y,  # a minus sign comes out: tanh(-x - y) = -tanh(x + y)
    x + sp.pi,  # a multiple of pi comes off for sin and cos
    x + sp.I * sp.pi,
    x + 1,
    sp.Integer(0),
    x,
]


@pytest.mark.parametrize("function", sorted(SUM_NEUTRAL, key=str))
@pytest.mark.parametrize("argument", ARGUMENTS, ids=str)
def test_apply_builds_what_evaluation_builds(function, argument):
    assert apply(function, argument) == function(argument)


def test_exp_is_evaluated_as_sympy_does():
    assert apply(sp.exp, x + sp.log(y)) == y * sp.exp(x)
