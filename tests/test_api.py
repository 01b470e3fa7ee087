"""The Python API: the command line's answers, from Python. Each result's to_dict() is what the
CLI prints as JSON; text and SymPy objects are both accepted; importing is light."""

import json
import subprocess
import sys
from fractions import Fraction

import pytest
import sympy as sp

import chainrule_cli
from chainrule_cli import (
    DerivError,
    InputError,
    ParseError,
    backprop,
    chain,
    check,
    diff,
    directional,
    grad,
    hessian,
    implicit,
    jacobian,
    tangent,
    taylor,
)

x, y = sp.symbols("x y")  # as a user would make them: not declared real

# the same question, asked from Python and from the command line
SAME = [
    (lambda: diff("6x^2", at="x=1"), ("diff", "6x^2", "--at", "x=1")),
    (lambda: diff("x^2 y", wrt=["x", "y"]), ("diff", "x^2 y", "--wrt", "x", "--wrt", "y")),
    (lambda: diff("abs(x)", at="x=0"), ("diff", "abs(x)", "--at", "x=0")),
    (lambda: diff("sin(x^2)", steps=True), ("diff", "sin(x^2)", "--steps")),
    (lambda: diff("x^3", check=True), ("diff", "x^3", "--check")),
    (lambda: grad("-0.5x + 0.25y^2", at="x=1,y=2"), ("grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2")),
    (lambda: chain("0.5*o", inner=["o=-x+0.5y^2"]), ("chain", "0.5*o", "--inner", "o=-x+0.5y^2")),
    (lambda: jacobian("r cos(t), r sin(t)"), ("jacobian", "r cos(t), r sin(t)")),
    (lambda: hessian("x^2 - y^2", at="x=0,y=0"), ("hessian", "x^2 - y^2", "--at", "x=0,y=0")),
    (lambda: directional("3x + y", direction="1,1"), ("dir", "3x + y", "--direction", "1,1")),
    (lambda: implicit("x^2 + y^2 = 1"), ("implicit", "x^2 + y^2 = 1")),
    (lambda: tangent("x^2", at="x=1"), ("tangent", "x^2", "--at", "x=1")),
    (lambda: check("6x^2", answer="12x"), ("check", "6x^2", "--answer", "12x")),
    (lambda: taylor("e^x", order=3), ("taylor", "e^x", "--order", "3")),
    (lambda: backprop("x*y", at="x=1,y=2"), ("backprop", "x*y", "--at", "x=1,y=2")),
]


@pytest.mark.parametrize("call, args", SAME, ids=[a[0] + " " + a[1] for _, a in SAME])
def test_to_dict_is_what_the_cli_prints_as_json(deriv, call, args):
    assert call().to_dict() == json.loads(deriv(*args, "--format", "json").out)


def test_sympy_objects_and_python_values():
    # x and y are SymPy's own symbols (complex by default); deriv reads them as real variables
    assert diff(sp.Abs(x)).result == sp.sign(sp.Symbol("x", real=True))
    result = grad(x**2 * y, at={x: 1, "y": Fraction(1, 2)})
    assert [v.exact for v in result.values] == [1, 1]  # (2xy, x²) at (1, 1/2)
    assert chain("0.5*o", inner={"o": "-x + 0.5y^2"}).parts[0].result == -0.5
    assert diff(x**3, wrt=x, order=2).result == 6 * sp.Symbol("x", real=True)
    assert directional(x * y, direction=[3, 4], at={x: 1, y: 1}).value.exact == sp.Rational(7, 5)


def test_results_show_themselves():
    result = diff("6x^2")
    assert str(result) == "f(x) = 6x²\ndf/dx = 12x"
    assert result.text(notation="lagrange", unicode=False) == "f(x) = 6x^2\nf'(x) = 12x\n"
    assert result.latex.startswith("\\begin{align*}\nf(x) &= 6 x^{2}")
    bundle = result._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/latex", "application/json"}
    assert bundle["application/json"]["result"] == "12*x"
    assert diff("abs(x)").notes == ("the result holds where x ≠ 0",)
    with pytest.raises(AttributeError):
        result.result = 0  # frozen


def test_no_value_at_a_point_is_data_not_an_exception():
    result = diff("abs(x)", at={"x": 0})
    assert result.value is None and result.failure.reason == "corner"
    assert str(result).endswith(
        "f is not differentiable at x = 0: slope -1 from the left, 1 from the right"
    )


def test_errors_are_the_clis_and_importable():
    with pytest.raises(ParseError) as caught:
        diff("6x^^2")
    assert caught.value.start == 3  # the column of the second ^
    with pytest.raises(InputError, match="several variables"):
        diff("x*y")
    assert issubclass(InputError, DerivError)


def test_importing_the_package_is_light():
    loaded = "sorted({m.split('.')[0] for m in sys.modules} & {'sympy', 'typer', 'rich'})"
    code = f"import sys, chainrule_cli; print({loaded})"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_api_never_imports_the_command_line():
    code = (
        "import sys; from chainrule_cli import diff, grad, backprop; diff('x^2'); "
        "grad('x*y', at='x=1,y=2').to_dict(); str(backprop('x*y')); "
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'typer', 'rich', 'click'}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_package_lists_its_api():
    assert set(chainrule_cli.__all__) >= {"diff", "grad", "chain", "backprop", "DerivError"}
    with pytest.raises(AttributeError):
        chainrule_cli.nothing_of_the_sort  # noqa: B018
