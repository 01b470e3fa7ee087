"""deriv backprop: the graph, the forward and backward passes, shared nodes, DOT output."""

import json
import shutil
import subprocess

import pytest
import sympy as sp
from hypothesis import assume, given
from strategies import expressions

from chainrule_cli.backward import backprop
from chainrule_cli.calculus import function_of
from chainrule_cli.errors import DerivError
from chainrule_cli.graph import graph
from chainrule_cli.parser import parse

NEURON = "(tanh(w1*x1 + w2*x2 + b) - t)^2"
NEURON_AT = "w1=0.5,x1=1,w2=-0.3,x2=2,b=0.1,t=1"


def run_json(deriv, *args):
    ran = deriv("backprop", *args, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def test_lecture_example_keeps_its_structure(deriv):
    data = run_json(deriv, "0.5*(-x + 0.5y^2)", "--at", "x=1,y=2")
    assert data["gradient"] == {"x": -0.5, "y": 1.0} and data["value"] == 0.5
    top = data["nodes"][-1]
    assert top["op"] == "*" and top["expression"] == "0.5*(-x + 0.5*y**2)"
    # p = 0.5·o, o = -x + 0.5y²: ∂p/∂o = 0.5, the lecture's factor
    o = next(n for n in data["nodes"] if n["id"] == top["inputs"][1])
    assert o["op"] == "+" and o["grad"] == 0.5


def test_neuron_matches_hand_derivation(deriv):
    data = run_json(deriv, NEURON, "--at", NEURON_AT)
    # z = 0.5 - 0.6 + 0.1 = 0, a = tanh(0) = 0, L = (a - t)²: ∂L/∂a = 2(0 - 1) = -2,
    # ∂a/∂z = 1 - 0² = 1, so ∂L/∂w1 = -2·x1 = -2, ∂L/∂w2 = -2·x2 = -4, ∂L/∂b = -2, ∂L/∂t = 2
    assert data["gradient"] == {"b": -2.0, "t": 2.0, "w1": -2.0, "w2": -4.0, "x1": -1.0, "x2": 0.6}


def test_shared_subexpression_is_one_node_and_sums_both_paths(deriv):
    data = run_json(deriv, "sin(x)*cos(x) + sin(x)", "--at", "x=1")
    sines = [n for n in data["nodes"] if n["op"] == "sin"]
    assert len(sines) == 1
    consumers = [n for n in data["nodes"] if sines[0]["id"] in n["inputs"]]
    assert len(consumers) == 2  # the product and the sum
    # ∂f/∂sin = cos(x) (through the product) + 1 (directly)
    assert sines[0]["grad"] == pytest.approx(float(sp.cos(1) + 1))


def test_without_a_point_the_backward_pass_is_symbolic(deriv):
    data = run_json(deriv, "sin(x)*cos(x) + sin(x)")
    x = sp.Symbol("x", real=True)
    got = sp.sympify(data["gradient"]["x"], locals={"x": x})
    assert sp.simplify(got - sp.diff(sp.sin(x) * sp.cos(x) + sp.sin(x), x)) == 0


def test_plain_table(deriv):
    out = deriv("backprop", "0.5*(-x + 0.5y^2)", "--at", "x=1,y=2", "--format", "plain").out
    lines = out.splitlines()
    assert lines[0] == "f(x, y) = 0.5·(-x + 0.5y²)"
    assert lines[2].split() == ["node", "op", "inputs", "value", "local", "derivatives", "∂f/∂node"]
    assert "∂n7/∂y = 2y = 4" in out and lines[-1] == "∇f = (-0.5, 1.0)ᵀ"


@given(expressions())
def test_backprop_equals_the_gradient_at_a_point(text):
    try:
        function = function_of(parse(text, literal=True))
    except DerivError:
        assume(False)
    point = tuple((v, sp.Rational(k + 3, 7)) for k, v in enumerate(function.variables))
    try:
        result = backprop(function, point)
    except DerivError:
        assume(False)  # undefined there
    for (variable, _), value in zip(result.gradient, result.gradient_values):
        direct = sp.diff(function.expr, variable).subs(dict(point))  # SymPy's own route
        want, got = complex(direct.evalf(30)), complex(value.exact.evalf(30))
        assert abs(want - got) <= 1e-12 * max(1.0, abs(want))


def test_graph_order_puts_inputs_first():
    order = graph(parse("sin(x)*cos(x) + sin(x)"))
    assert str(order[0]) == "x" and str(order[-1]) == "sin(x)*cos(x) + sin(x)"
    assert len(order) == len(set(order))


def test_dot_output_is_a_graph(deriv):
    out = deriv("backprop", NEURON, "--at", NEURON_AT, "--format", "dot").out
    assert out.startswith("digraph backprop {") and out.rstrip().endswith("}")
    assert out.count("->") == 14
    if shutil.which("dot") is None:
        pytest.skip("Graphviz's dot is not installed; checked the text only")
    svg = subprocess.run(["dot", "-Tsvg"], input=out, capture_output=True, text=True)
    assert svg.returncode == 0 and "<svg" in svg.stdout


def test_dot_is_only_for_backprop(deriv):
    ran = deriv("diff", "x^2", "--format", "dot")
    assert ran.code == 2 and ran.err.startswith("error:")


# Reverse mode for `deriv grad`: one backward pass, equal to the per-variable route


def neural_loss(hidden: int) -> str:
    data = [((0.5, -1.0), 0.3), ((-0.25, 2.0), -0.7)]
    terms = []
    for (x1, x2), target in data:
        units = " + ".join(f"v{j}*tanh(w{j}a*{x1} + w{j}b*({x2}) + b{j})" for j in range(hidden))
        terms.append(f"({units} + c - ({target}))^2")
    return " + ".join(terms)


@given(expressions())
def test_reverse_mode_equals_the_per_variable_route_symbolically(text):
    from chainrule_cli.graph import reverse_gradient

    try:  # decimals read as fractions: 1.25·2/121 rounds differently on the two routes
        function = function_of(parse(text, exact=True))
    except DerivError:
        assume(False)
    program = reverse_gradient(function.expr, function.variables)
    for component, variable in zip(program.expanded(), function.variables):
        direct = sp.diff(function.expr, variable)
        assert component == direct or sp.simplify(component - direct) == 0


def test_reverse_mode_equals_the_per_variable_route_numerically_when_large():
    from chainrule_cli.calculus import expand_names
    from chainrule_cli.graph import reverse_gradient

    function = function_of(parse(neural_loss(12)))  # 49 parameters
    program = reverse_gradient(function.expr, function.variables)
    point = tuple((v, sp.Rational(k % 7 - 3, 5)) for k, v in enumerate(function.variables))
    got = expand_names(program.components, program.definitions, point)
    for value, variable in zip(got, function.variables):
        direct = sp.diff(function.expr, variable).subs(dict(point))
        assert abs(complex(value.evalf(30)) - complex(direct.evalf(30))) < 1e-12


def test_grad_names_shared_parts_with_cse(deriv):
    out = deriv("grad", "(tanh(w1*x1 + w2*x2 + b) - t)^2", "--cse", "--format", "plain").out
    assert "  c0 = -2t + 2·tanh(b + w1·x1 + w2·x2)\n" in out
    assert "∂f/∂w1 = c1·x1\n" in out


def test_large_gradients_use_cse_by_default(deriv):
    data = json.loads(deriv("grad", neural_loss(6), "--format", "json").out)  # 25 parameters
    assert data["definitions"] and len(data["variables"]) == 25
    small = json.loads(deriv("grad", "x^2 y", "--format", "json").out)
    assert "definitions" not in small


def test_cse_values_at_a_point_match(deriv):
    at = "w1=0.5,x1=1,w2=-0.3,x2=2,b=0.1,t=1"
    named = json.loads(deriv("grad", NEURON, "--cse", "--at", at, "--format", "json").out)
    plain = json.loads(deriv("grad", NEURON, "--no-cse", "--at", at, "--format", "json").out)
    assert named["value"] == pytest.approx(plain["value"])
