"""deriv definition: the derivative from lim_{h→0} (f(x + h) - f(x))/h. Each line of the
derivation must equal the difference quotient of f itself (at numbers, for h ≠ 0), and the last
the derivative worked by hand here."""

import json
import random

import pytest
import sympy as sp

x, h, k = sp.symbols("x h k", real=True)


def derivation(deriv, *args):
    ran = deriv("definition", *args, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def read(text, step=h):
    return sp.sympify(text, locals={"x": x, step.name: step})


CASES = [
    # (x + h)² + 3(x + h) - x² - 3x = 2xh + h² + 3h; / h = 2x + h + 3 -> 2x + 3
    ("x^2 + 3x", "polynomial", 2 * x + 3),
    # (x + h)³ - x³ = 3x²h + 3xh² + h³ -> 3x²
    ("x^3", "polynomial", 3 * x**2),
    # 1/(x + h) - 1/x = -h/(x(x + h)) -> -1/x²
    ("1/x", "rational", -1 / x**2),
    # ((x + h + 1)(x² + 1) - (x + 1)((x + h)² + 1)) / h at h = 0: (1 - 2x - x²)/(x² + 1)²
    ("(x + 1)/(x^2 + 1)", "rational", (1 - 2 * x - x**2) / (x**2 + 1) ** 2),
    # (√(3x + 3h + 1) - √(3x + 1))/h = 3/(√(3x + 3h + 1) + √(3x + 1)) -> 3/(2√(3x + 1))
    ("sqrt(3x + 1)", "root", 3 / (2 * sp.sqrt(3 * x + 1))),
    ("sqrt(x)", "root", 1 / (2 * sp.sqrt(x))),
    # sin x (cos h - 1)/h + cos x (sin h)/h -> cos x
    ("sin(x)", "sine", sp.cos(x)),
    # cos x (cos h - 1)/h - sin x (sin h)/h -> -sin x
    ("cos(x)", "cosine", -sp.sin(x)),
    # a constant multiple rides along: (c·g(x + h) - c·g(x))/h = c·(g(x + h) - g(x))/h
    ("2 sin(x)", "sine", 2 * sp.cos(x)),
    ("-3cos(x)", "cosine", 3 * sp.sin(x)),
    ("5 sqrt(x)", "root", 5 / (2 * sp.sqrt(x))),
]


@pytest.mark.parametrize("expression, family, want", CASES, ids=[c[0] for c in CASES])
def test_textbook_derivatives_from_the_definition(deriv, expression, family, want):
    record = derivation(deriv, expression)
    assert record["method"] == "definition" and record["family"] == family
    assert sp.simplify(read(record["result"]) - want) == 0
    assert sp.simplify(read(record["steps"][-1]["expression"]) - want) == 0


@pytest.mark.parametrize("expression", [c[0] for c in CASES])
def test_every_line_is_the_difference_quotient(deriv, expression):
    """At random x (in the domain) and h ≠ 0 each line under the limit equals (f(x+h) - f(x))/h,
    computed here from f; the last equals the hand derivative's value there."""
    record = derivation(deriv, expression)
    f = read(record["expression"])
    quotient = (f.subs(x, x + h) - f) / h
    rng = random.Random(19)
    for _ in range(5):
        at = {
            x: sp.Rational(rng.randint(1, 40), 7),
            h: sp.Rational(rng.choice([-1, 1]), rng.randint(3, 50)),
        }
        want = quotient.subs(at).evalf(30)
        for step in record["steps"][:-1]:
            assert abs(read(step["expression"]).subs(at).evalf(30) - want) < 1e-25, step


def test_the_layout_a_teacher_writes(deriv):
    assert deriv("definition", "x^2").out == (
        "f(x) = x²\n"
        "df/dx = lim_{h→0} (f(x + h) - f(x))/h\n"
        "      = lim_{h→0} ((h + x)² - x²)/h\n"
        "      = lim_{h→0} (h² + 2h·x)/h         expand: the terms without h cancel\n"
        "      = lim_{h→0} (h + 2x)              divide by h (h ≠ 0)\n"
        "      = 2x                              let h → 0\n"
    )


def test_sine_uses_the_standard_limits(deriv):
    out = deriv("definition", "sin(x)").out
    assert "sin(x + h) = sin x·cos h + cos x·sin h" in out
    assert "(cos h - 1)/h → 0 and sin h/h → 1" in out


def test_other_functions_fall_back_to_the_rules_and_say_so(deriv):
    ran = deriv("definition", "e^x")
    assert ran.code == 0
    assert "from the definition: not shown for this f" in ran.out and "by the rules:" in ran.out
    assert ran.out.endswith("df/dx = eˣ\n")
    record = derivation(deriv, "e^x")
    assert record["method"] == "rules" and record["steps"] == [] and record["result"] == "exp(x)"


def test_a_variable_named_h_moves_the_step_to_k(deriv):
    record = derivation(deriv, "h^2")
    assert record["step"] == "k"
    first = sp.sympify(record["steps"][0]["expression"], locals={"h": h, "k": k})
    assert sp.simplify(first - ((h + k) ** 2 - h**2) / k) == 0


def test_latex_and_expr(deriv):
    latex = deriv("definition", "sqrt(x)", "--format", "latex").out
    assert r"\lim_{h \to 0} \frac{f(x + h) - f(x)}{h}" in latex
    assert deriv("definition", "x^3", "--format", "expr").out == "3*x**2\n"


def test_one_variable_only(deriv):
    ran = deriv("definition", "x*y")
    assert ran.code == 2
    assert ran.err == "error: deriv definition takes a function of one variable (variables: x, y)\n"
