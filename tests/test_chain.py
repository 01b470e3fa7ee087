"""deriv chain: the lecture's examples 2 and 5, layered inner functions, automatic decomposition.

Every expected value is worked out by hand here; the property test checks the chain-rule sum
against SymPy's direct derivative of the composed function, a different route.
"""

import json

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule_cli import chain_rule as chainrule
from chainrule_cli.variables import variable

x, y = sp.symbols("x y", real=True)


def chain_json(deriv, *args):
    ran = deriv("chain", *args, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


# Example 2: f(x) = 3g(x), g(x) = 2x^2; f'(x) = 3 g'(x) = 3 (4x) = 12x


@pytest.mark.parametrize(
    "notation, line",
    [
        ("leibniz", "df/dx = df/dg · dg/dx = 3 · 4x = 12x"),
        ("lagrange", "f'(x) = f'(g) · g'(x) = 3 · 4x = 12x"),
        ("euler", "D_x f = D_g f · D_x g = 3 · 4x = 12x"),
    ],
)
def test_example_2_plain(deriv, notation, line):
    ran = deriv("chain", "3*g", "--inner", "g=2x^2", "--notation", notation, "--format", "plain")
    assert ran.code == 0
    assert ran.out == (
        f"f(x) = 6x²\n  f(g) = 3g\n  g(x) = 2x²\n{line}\n✓ matches the direct derivative of f(x)\n"
    )


def test_example_2_json(deriv):
    data = chain_json(deriv, "3*g", "--inner", "g=2x^2")
    assert data["result"] == {"x": "12*x"} and data["matches_direct"] is True
    assert data["outer"] == "3*g" and data["inner"] == {"g": "2*x**2"}
    assert data["terms"]["x"] == [
        {"path": ["f", "g", "x"], "factors": ["3", "4*x"], "product": "12*x"}
    ]


def test_example_2_other_formats(deriv):
    assert deriv("chain", "3*g", "--inner", "g=2x^2", "--format", "expr").out == "12*x\n"
    latex = deriv("chain", "3*g", "--inner", "g=2x^2", "--format", "latex").out
    assert latex == (
        "\\begin{align*}\n"
        "f(x) &= 6 x^{2} \\\\\n"
        "f(g) &= 3 g \\\\\n"
        "g(x) &= 2 x^{2} \\\\\n"
        "\\frac{d f}{d x} &= \\frac{d f}{d g} \\cdot \\frac{d g}{d x} = 3 \\cdot 4 x = 12 x\n"
        "\\end{align*}\n"
    )


def test_example_2_written_with_arguments(deriv):
    assert chain_json(deriv, "3*g(x)", "--inner", "g=2x^2")["result"] == {"x": "12*x"}


# Example 5: p(o) = 0.5 o, o(x, y) = -x + 0.5y^2; the gradient (-0.5, 0.5y) as computed before

EXAMPLE_5 = ("0.5*o", "--inner", "o=-x+0.5y^2")


@pytest.mark.parametrize(
    "notation, lines",
    [
        (
            "leibniz",
            [
                "∂f/∂x = ∂f/∂o · ∂o/∂x = 0.5 · (-1) = -0.5",
                "∂f/∂y = ∂f/∂o · ∂o/∂y = 0.5 · y = 0.5y",
            ],
        ),
        (
            "lagrange",
            ["f_x = f_o · o_x = 0.5 · (-1) = -0.5", "f_y = f_o · o_y = 0.5 · y = 0.5y"],
        ),
    ],
)
def test_example_5_plain(deriv, notation, lines):
    ran = deriv("chain", *EXAMPLE_5, "--notation", notation, "--format", "plain")
    assert ran.out.splitlines() == [
        "f(x, y) = -0.5x + 0.25y²",
        "  f(o) = 0.5o",
        "  o(x, y) = -x + 0.5y²",
        *lines,
        "∇f = (-0.5, 0.5y)ᵀ",
        "✓ matches the direct derivative of f(x, y)",
    ]


def test_example_5_named_p_as_in_the_lecture(deriv):
    out = deriv("chain", *EXAMPLE_5, "--name", "p", "--format", "plain").out
    assert "∂p/∂y = ∂p/∂o · ∂o/∂y = 0.5 · y = 0.5y" in out


def test_example_5_json(deriv):
    data = chain_json(deriv, *EXAMPLE_5)
    assert data["variables"] == ["x", "y"]
    assert data["result"] == {"x": "-0.5", "y": "0.5*y"}
    assert data["direct"] == data["result"] and data["matches_direct"] is True
    assert data["terms"]["y"][0]["factors"] == ["0.5", "y"]


def test_example_5_at_a_point(deriv):
    data = chain_json(deriv, *EXAMPLE_5, "--at", "x=1,y=2")
    assert data["value"] == {"x": -0.5, "y": 1.0}
    assert data["terms"]["y"][0]["factor_values"] == [0.5, 2.0]
    plain = deriv("chain", *EXAMPLE_5, "--at", "x=1,y=2", "--format", "plain").out
    assert "at x = 1, y = 2:\n  ∂f/∂x = 0.5 · (-1.0) = -0.5\n  ∂f/∂y = 0.5 · 2.0 = 1.0\n" in plain


def test_example_5_expr_and_latex(deriv):
    assert deriv("chain", *EXAMPLE_5, "--format", "expr").out == "-0.5\n0.5*y\n"
    latex = deriv("chain", *EXAMPLE_5, "--format", "latex", "--notation", "lagrange").out
    assert "f_{y} &= f_{o} \\cdot o_{y} = 0.5 \\cdot y = 0.5 y" in latex


# Several inner functions and layers


def test_two_inner_functions(deriv):
    # p = o1 o2, o1 = x + y, o2 = xy: dp/dx = o2 * 1 + o1 * y = 2xy + y^2
    data = chain_json(deriv, "o1*o2", "--inner", "o1=x+y", "--inner", "o2=x*y")
    assert [t["path"] for t in data["terms"]["x"]] == [["f", "o1", "x"], ["f", "o2", "x"]]
    assert [t["factors"] for t in data["terms"]["x"]] == [["o2", "1"], ["o1", "y"]]
    result = sp.sympify(data["result"]["x"], locals={"x": x, "y": y})
    assert sp.expand(result - (2 * x * y + y**2)) == 0


def test_three_layer_network(deriv):
    # L = (a - t)^2, a = tanh(z), z = w x + b: dL/dw = 2(a - t)(1 - tanh(z)^2) x
    args = ["L", "--inner", "z=w*x+b", "--inner", "a=tanh(z)", "--inner", "L=(a-t)^2"]
    data = chain_json(deriv, *args, "--at", "w=0.5,x=1,b=0,t=1")
    assert data["name"] == "L" and data["matches_direct"] is True
    assert data["terms"]["w"][0]["path"] == ["L", "a", "z", "w"]
    a = sp.tanh(sp.Rational(1, 2))
    by_hand = float(2 * (a - 1) * (1 - a**2) * 1)
    assert data["value"]["w"] == pytest.approx(by_hand, rel=1e-12)
    plain = deriv("chain", *args, "--wrt", "w", "--format", "plain").out
    assert "∂L/∂w = ∂L/∂a · ∂a/∂z · ∂z/∂w = (2a - 2t) · (1 - tanh(z)²) · x = " in plain


def test_outer_may_use_input_variables_directly(deriv):
    # f = g + x, g = x^2: df/dx = df/dg dg/dx + df/dx|direct = 2x + 1
    data = chain_json(deriv, "g + x", "--inner", "g=x^2")
    assert [t["path"] for t in data["terms"]["x"]] == [["f", "g", "x"], ["f", "x"]]
    assert data["result"]["x"] == "2*x + 1"


# Automatic decomposition


@pytest.mark.parametrize(
    "typed, outer, inner, result",
    [
        ("sin(x^2)", "sin(u)", {"u": "x**2"}, "2*x*cos(x**2)"),
        ("(3x+1)^5", "u**5", {"u": "3*x + 1"}, "15*(3*x + 1)**4"),
        ("sin(cos(x^2))", "sin(u)", {"u": "cos(v)", "v": "x**2"}, "-2*x*sin(x**2)*cos(cos(x**2))"),
    ],
)
def test_automatic_decomposition(deriv, typed, outer, inner, result):
    data = chain_json(deriv, typed)
    assert (data["outer"], data["inner"], data["automatic"]) == (outer, inner, True)
    got = sp.sympify(data["result"]["x"], locals={"x": x})
    assert sp.simplify(got - sp.sympify(result, locals={"x": x})) == 0


def test_automatic_decomposition_of_two_variables(deriv):
    data = chain_json(deriv, "exp(-(x^2+y^2)/2)")
    assert data["outer"] == "exp(u)" and data["inner"] == {"u": "-x**2/2 - y**2/2"}
    assert data["terms"]["y"][0]["factors"] == ["exp(u)", "-y"]


def test_three_links_show_one_product_per_link(deriv):
    out = deriv("chain", "sin(cos(x^2))", "--format", "plain").out
    assert "df/dx = df/du · du/dv · dv/dx = cos(u) · (-sin(v)) · 2x = " in out


def test_automatic_names_avoid_clashes(deriv):
    data = chain_json(deriv, "sin(u^2) + v")
    assert list(data["inner"]) == ["w"]


@pytest.mark.parametrize("typed", ["6x^2", "3x+y"])
def test_no_composition_says_so(deriv, typed):
    ran = deriv("chain", typed)
    assert ran.code == 2 and "has no composition" in ran.err and "--inner" in ran.err


@pytest.mark.parametrize(
    "args, message",
    [
        (("a", "--inner", "a=b+x", "--inner", "b=a*x"), "form a cycle"),
        (("p", "--inner", "a=b+x", "--inner", "b=a*x"), "form a cycle: a -> b -> a"),
        (("g", "--inner", "g=x", "--inner", "g=y"), "--inner: g is defined twice"),
        (("3g", "--inner", "sin=x"), "--inner: 'sin' is a function, not a variable"),
        (("3g", "--inner", "g"), "--inner: expected name=value, as in g=2x^2"),
        (("p", "--inner", "q=x"), "f does not use any inner function (q)"),
        (
            ("g + h", "--inner", "g=x", "--inner", "h=x", "--inner", "k=x"),
            "does not use the inner function k",
        ),
        (("3g", "--inner", "g=x^2", "--wrt", "g"), "--wrt: g is an inner function"),
    ],
)
def test_chain_errors(deriv, args, message):
    ran = deriv("chain", *args)
    assert ran.code == 2 and message in ran.err and "Traceback" not in ran.err


def test_a_mismatch_is_shown_and_fails(deriv, monkeypatch):
    def wrong_direct(composed, variable):
        return sp.diff(composed, variable) + 1  # a broken "direct" route

    monkeypatch.setattr(chainrule, "direct_derivative", wrong_direct)
    ran = deriv("chain", "3*g", "--inner", "g=2x^2", "--format", "plain")
    assert ran.code == 1
    assert "✗ does not match the direct derivative" in ran.out
    assert "does not match the direct derivative" in ran.err


# Property: for generated compositions the chain-rule sum equals the direct derivative

OUTERS = [
    lambda u: sp.sin(u),
    lambda u: u**3,
    lambda u: sp.exp(u),
    lambda u: sp.log(1 + u**2),
    lambda u: sp.sqrt(u**2 + 1),
    lambda u: sp.tanh(u) * u,
]
INNERS = [x**2 + y, sp.sin(x) * y, x * y - 3, sp.exp(-x) + y**2, 2 * x + sp.Rational(1, 3) * y]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.sampled_from(range(len(OUTERS))), min_size=1, max_size=3),
    st.sampled_from(range(len(INNERS))),
)
def test_chain_rule_equals_direct_derivative(layers, base):
    names = [variable(f"o{k}") for k in range(len(layers))]
    inner = [(names[0], INNERS[base])]
    for k in range(1, len(layers)):
        inner.append((names[k], OUTERS[layers[k - 1]](names[k - 1])))
    outer = OUTERS[layers[-1]](names[-1])
    composed = outer
    for symbol, expr in reversed(inner):
        composed = composed.subs(symbol, expr)
    result = chainrule.chain_rule("p", outer, tuple(inner))
    for part in result.parts:
        direct = sp.diff(composed, part.variable)  # independent of the path products
        at = {x: sp.Rational(3, 7), y: sp.Rational(5, 11)}
        assert abs(complex((part.result - direct).subs(at).evalf(30))) < 1e-20
        assert part.matches
