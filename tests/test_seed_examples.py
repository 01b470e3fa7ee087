"""The lecture's examples 1, 3 and 4 (../shared/SEED_EXAMPLES.md), in every format and notation.

Expected values are the lecture's hand-derived ones, not the tool's own output.
"""

import json

import pytest
import sympy as sp

x, y = sp.symbols("x y", real=True)


def same(text: str, expected: sp.Expr) -> bool:
    return sp.simplify(sp.sympify(text, locals={"x": x, "y": y}) - expected) == 0


# Example 1: f(x) = 6x^2, f'(x) = 12x


@pytest.mark.parametrize(
    "notation, text",
    [
        ("leibniz", "f(x) = 6x²\ndf/dx = 12x\n"),
        ("lagrange", "f(x) = 6x²\nf'(x) = 12x\n"),
        ("euler", "f(x) = 6x²\nD_x f = 12x\n"),
    ],
)
def test_example_1_plain(deriv, notation, text):
    ran = deriv("diff", "6x^2", "--notation", notation, "--format", "plain")
    assert (ran.code, ran.out, ran.err) == (0, text, "")


def test_example_1_json(deriv):
    data = json.loads(deriv("diff", "6x^2", "--format", "json").out)
    assert data["command"] == "diff" and data["wrt"] == ["x"] and data["order"] == 1
    assert same(data["result"], 12 * x) and data["result"] == "12*x"
    assert data["expression"] == "6*x**2" and data["variables"] == ["x"]
    assert data["latex"] == "12 x"


def test_example_1_json_ignores_notation(deriv):
    outputs = {
        deriv("diff", "6x^2", "--format", "json", "--notation", n).out
        for n in ("leibniz", "lagrange", "euler")
    }
    assert len(outputs) == 1


@pytest.mark.parametrize(
    "notation, text",
    [
        ("leibniz", "\\frac{d f}{d x} &= 12 x\n"),
        ("lagrange", "f'(x) &= 12 x\n"),
        ("euler", "D_{x} f &= 12 x\n"),
    ],
)
def test_example_1_latex(deriv, notation, text):
    out = deriv("diff", "6x^2", "--notation", notation, "--format", "latex").out
    assert out == "\\begin{align*}\nf(x) &= 6 x^{2} \\\\\n" + text + "\\end{align*}\n"


def test_example_1_expr(deriv):
    assert deriv("diff", "6x^2", "--format", "expr").out == "12*x\n"


def test_example_1_at_a_point(deriv):
    ran = deriv("diff", "6x^2", "--at", "x=1", "--format", "plain")
    assert ran.out.splitlines()[-1] == "at x = 1: df/dx = 12"
    data = json.loads(deriv("diff", "6x^2", "--at", "x=1", "--format", "json").out)
    assert data["value"] == 12.0 and data["value_exact"] == "12" and data["at"] == {"x": "1"}


# Example 3: f(x, y) = 3x + y, partials 3 and 1, a constant gradient


@pytest.mark.parametrize(
    "notation, labels",
    [
        ("leibniz", ("∂f/∂x", "∂f/∂y")),
        ("lagrange", ("f_x", "f_y")),
        ("euler", ("D_x f", "D_y f")),
    ],
)
def test_example_3_plain(deriv, notation, labels):
    ran = deriv("grad", "3x + y", "--notation", notation, "--format", "plain")
    assert ran.out == (
        "f(x, y) = 3x + y\n"
        f"{labels[0]} = 3\n"
        f"{labels[1]} = 1\n"
        "∇f = (3, 1)ᵀ\n"
        "the gradient is constant: f is linear (a plane)\n"
    )


@pytest.mark.parametrize("wrt, expected, label", [("x", 3, "∂f/∂x = 3"), ("y", 1, "∂f/∂y = 1")])
def test_example_3_partials(deriv, wrt, expected, label):
    data = json.loads(deriv("diff", "3x+y", "--wrt", wrt, "--format", "json").out)
    assert same(data["result"], sp.Integer(expected))
    assert label in deriv("diff", "3x+y", "--wrt", wrt, "--format", "plain").out


def test_example_3_partials_lagrange(deriv):
    assert (
        "f_x = 3"
        in deriv("diff", "3x+y", "--wrt", "x", "--notation", "lagrange", "--format", "plain").out
    )


def test_example_3_json(deriv):
    for typed in ("3*x+y", "3x + y"):
        data = json.loads(deriv("grad", typed, "--format", "json").out)
        assert data["command"] == "grad" and data["variables"] == ["x", "y"]
        assert data["result"] == ["3", "1"] and data["constant"] is True


def test_example_3_latex(deriv):
    assert deriv("grad", "3x + y", "--format", "latex").out == (
        "\\begin{align*}\n"
        "f(x, y) &= 3 x + y \\\\\n"
        "\\frac{\\partial f}{\\partial x} &= 3 \\\\\n"
        "\\frac{\\partial f}{\\partial y} &= 1 \\\\\n"
        "\\nabla f &= \\begin{pmatrix} 3 \\\\ 1 \\end{pmatrix}\n"
        "\\end{align*}\n"
    )
    lagrange = deriv("grad", "3x + y", "--format", "latex", "--notation", "lagrange").out
    assert "f_{x} &= 3 \\\\\nf_{y} &= 1 \\\\\n" in lagrange


def test_example_3_expr(deriv):
    assert deriv("grad", "3x + y", "--format", "expr").out == "3\n1\n"


# Example 4: f(x, y) = -0.5x + 0.25y^2, gradient (-0.5, 0.5y): decimals stay decimals


def test_example_4_plain(deriv):
    ran = deriv("grad", "-0.5x + 0.25y^2", "--format", "plain")
    assert ran.out == ("f(x, y) = -0.5x + 0.25y²\n∂f/∂x = -0.5\n∂f/∂y = 0.5y\n∇f = (-0.5, 0.5y)ᵀ\n")


def test_example_4_lagrange(deriv):
    out = deriv("grad", "-0.5x + 0.25y^2", "--format", "plain", "--notation", "lagrange").out
    assert "f_x = -0.5\nf_y = 0.5y\n∇f = (-0.5, 0.5y)ᵀ\n" in out


def test_example_4_json(deriv):
    data = json.loads(deriv("grad", "-0.5x + 0.25y^2", "--format", "json").out)
    assert data["result"] == ["-0.5", "0.5*y"] and data["constant"] is False
    assert same(data["result"][1], y / 2)


def test_example_4_at_a_point(deriv):
    data = json.loads(deriv("grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2", "--format", "json").out)
    assert data["value"] == [-0.5, 1.0]
    plain = deriv("grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2", "--format", "plain").out
    assert plain.splitlines()[-3] == "at x = 1, y = 2: ∇f = (-0.5, 1.0)ᵀ"


def test_example_4_exact(deriv):
    data = json.loads(deriv("grad", "-0.5x + 0.25y^2", "--exact", "--format", "json").out)
    assert data["result"] == ["-1/2", "y/2"]


def test_example_4_latex_and_expr(deriv):
    assert deriv("grad", "-0.5x + 0.25y^2", "--format", "expr").out == "-0.5\n0.5*y\n"
    latex = deriv("grad", "-0.5x + 0.25y^2", "--format", "latex").out
    assert "\\nabla f &= \\begin{pmatrix} -0.5 \\\\ 0.5 y \\end{pmatrix}" in latex


def test_example_4_pretty_has_colour_and_the_same_text(deriv, monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    ran = deriv("grad", "-0.5x + 0.25y^2", "--format", "pretty")
    assert "\x1b[" in ran.out
    assert "∇f = (-0.5, 0.5y)ᵀ" in _strip_ansi(ran.out)


def _strip_ansi(text: str) -> str:
    import re

    return re.sub(r"\x1b\[[0-9;]*m", "", text)
