"""--steps: every rule by name, the lecture's examples, and every step checked against SymPy."""

import json

import pytest
import sympy as sp
from hypothesis import assume, given
from strategies import expressions

from chainrule_cli.errors import DerivError
from chainrule_cli.parser import parse
from chainrule_cli.render.text.steps import walk
from chainrule_cli.steps import derivation, diff_steps
from chainrule_cli.variables import variable

x, y = variable("x"), variable("y")

RULES = [
    # expression, the rule of the top step, the rules somewhere below it
    ("5", "constant rule", []),
    ("x", "variable rule", []),
    ("y", "variable rule", []),  # ∂/∂x y = 0
    ("6x^2", "constant multiple rule", ["power rule"]),
    ("x^2 + x", "sum rule", ["power rule", "variable rule"]),
    ("x^2 - x", "sum rule", ["constant multiple rule"]),
    ("x^4", "power rule", []),
    ("x^(1/3)", "power rule", []),
    ("x^-2", "power rule", []),
    ("x sin(x)", "product rule", ["sine", "variable rule"]),
    ("x sin(x) e^x", "product rule", ["exponential"]),
    ("(x^2+1)/(x-1)", "quotient rule", ["sum rule"]),
    ("sin(x^2)", "chain rule", ["sine", "power rule"]),
    ("e^x", "exponential", []),
    ("2^x", "exponential (base a)", []),
    ("ln(x)", "natural logarithm", []),
    ("log(x, 2)", "constant multiple rule", ["natural logarithm"]),
    ("sqrt(x)", "square root rule", []),
    ("tan(x)", "tangent", []),
    (
        "cos(x) + sec(x) + csc(x) + cot(x)",
        "sum rule",
        ["cosine", "secant", "cosecant", "cotangent"],
    ),
    (
        "asin(x) + acos(x) + atan(x)",
        "sum rule",
        ["inverse sine", "inverse cosine", "inverse tangent"],
    ),
    (
        "sinh(x) + cosh(x) + tanh(x)",
        "sum rule",
        ["hyperbolic sine", "hyperbolic cosine", "hyperbolic tangent"],
    ),
    ("abs(x)", "absolute value", []),
    ("x^x", "general power rule (logarithmic differentiation)", ["variable rule"]),
    ("sign(x) + x", "sum rule", ["differentiated directly"]),
]


@pytest.mark.parametrize("typed, top, below", RULES)
def test_each_rule_by_name(typed, top, below):
    root = diff_steps(parse(typed), x)
    rules = [step.rule for step, _ in walk(root)]
    assert rules[0] == top
    assert set(below) <= set(rules[1:])


def test_abs_notes_where_it_holds():
    assert diff_steps(parse("abs(x)"), x).nonzero == x
    inner = diff_steps(parse("abs(x - 1)"), x).substeps[0]  # |u| with u = x - 1
    assert inner.nonzero == sp.Symbol("u", real=True)


def test_each_inner_function_gets_its_own_name():
    # sin(cos(x²)): u = cos(x²) at the top, v = x² below it, never u twice
    root = diff_steps(parse("sin(cos(x^2))"), x)
    u, v = sp.symbols("u v", real=True)
    assert root.let == (u, sp.cos(x**2))
    assert root.substeps[1].let == (v, x**2)
    assert root.substeps[1].substeps[0].variable == v


def test_general_power_rule_shows_its_formula(deriv):
    # d/dx x^x = x^x·(g'·ln f + g·f'/f) with f = g = x: x^x·(1·ln(x) + x·1/x) = x^x·(ln(x) + 1)
    out = deriv("diff", "x^x", "--steps", "--format", "plain").out
    assert "d/dx (x^x) = x^x·(1·ln(x) + x·1/x) = x^x·(ln(x) + 1)" in out


def test_steps_follow_what_was_typed(deriv):
    # 2^x·3^x·x: three factors of the product rule, two exponentials, as typed
    out = deriv("diff", "2^x*3^x*x", "--steps", "--format", "plain").out
    assert "exponential (base a): d/dx (2^x) = 2^x·ln(2)" in out
    assert "exponential (base a): d/dx (3^x) = 3^x·ln(3)" in out


def test_simplify_never_lengthens_or_changes_the_functions(deriv):
    # the logistic derivative stays in exponentials: e^x/(e^x + 1)², never 1/(4·cosh²(x/2))
    # (e^-x/(1 + e^-x)², times e^2x over e^2x)
    out = deriv("diff", "1/(1+e^(-x))", "--steps", "--format", "expr").out
    assert out == "exp(x)/(exp(x) + 1)**2\n"


def test_a_long_step_wraps_at_spaces_inside_the_tree(deriv, monkeypatch):
    monkeypatch.setenv("COLUMNS", "40")
    monkeypatch.setenv("NO_COLOR", "1")
    out = deriv("diff", "exp(sin(x))*cos(x^2)", "--steps", "--format", "pretty").out
    lines = out.splitlines()
    start = next(i for i, t in enumerate(lines) if "product rule" in t)
    step = [lines[start]]
    for line in lines[start + 1 :]:
        if "── " in line:  # the next step
            break
        step.append(line.lstrip("│ "))
    assert all(len(line) <= 40 for line in lines if "── " in line or line.startswith("│"))
    assert " ".join(part.rstrip() for part in step).endswith(
        "= -2x·e^(sin(x))·sin(x²) + e^(sin(x))·cos(x)·cos(x²)"
    )


def step_is_true(step) -> bool:
    """The step's result equals SymPy's own derivative of the step's expression."""
    difference = step.result - sp.diff(step.expr, step.variable)
    if difference == 0 or sp.simplify(difference) == 0:
        return True
    point = {s: sp.Rational(3, 7) + k for k, s in enumerate(difference.free_symbols)}
    return abs(complex(difference.evalf(30, subs=point))) < 1e-20


@pytest.mark.parametrize("typed", [typed for typed, _, _ in RULES])
def test_every_step_of_the_rule_cases_is_true(typed):
    result = derivation(parse(typed), x)
    assert all(step_is_true(step) for step, _ in walk(result.root))
    # the answer holds off the kinks, where DiracDelta (from sign and H) is 0
    off_the_kinks = result.root.result.replace(sp.DiracDelta, lambda *args: 0)
    assert sp.simplify(result.final - off_the_kinks) == 0


@given(expressions())
def test_every_step_of_generated_expressions_is_true(text):
    try:
        expr = parse(text)
    except DerivError:
        assume(False)
    result = derivation(expr, x)
    for step, _ in walk(result.root):
        assert step_is_true(step), (step.rule, step.expr, step.result)
    assert result.final == sp.diff(expr, x) or sp.simplify(result.final - sp.diff(expr, x)) == 0


# The lecture's examples, as a student reads them


@pytest.mark.parametrize(
    "notation, lines",
    [
        (
            "leibniz",
            [
                "constant multiple rule: d/dx (6x²) = 12x",
                "  power rule: d/dx x² = 2x",
                "df/dx = 12x",
            ],
        ),
        (
            "lagrange",
            ["constant multiple rule: (6x²)' = 12x", "  power rule: (x²)' = 2x", "f'(x) = 12x"],
        ),
    ],
)
def test_lecture_6x2(deriv, notation, lines):
    out = deriv("diff", "6x^2", "--steps", "--notation", notation, "--format", "plain").out
    assert out.splitlines() == ["f(x) = 6x²", *lines]


@pytest.mark.parametrize(
    "notation, lines",
    [
        (
            "leibniz",
            [
                "chain rule, u = x²: d/dx sin(x²) = 2x·cos(x²)",
                "  sine: d/du sin(u) = cos(u)",
                "  power rule: d/dx x² = 2x",
                "df/dx = 2x·cos(x²)",
            ],
        ),
        (
            "lagrange",
            [
                "chain rule, u = x²: (sin(x²))' = 2x·cos(x²)",
                "  sine: (sin(u))' = cos(u)",
                "  power rule: (x²)' = 2x",
                "f'(x) = 2x·cos(x²)",
            ],
        ),
    ],
)
def test_lecture_sin_x2(deriv, notation, lines):
    out = deriv("diff", "sin(x^2)", "--steps", "--notation", notation, "--format", "plain").out
    assert out.splitlines() == ["f(x) = sin(x²)", *lines]


def test_a_final_simplify_step_is_shown_as_such(deriv):
    out = deriv("diff", "(x^2+1)/(x-1)", "--steps", "--format", "plain").out.splitlines()
    assert out[1].startswith("quotient rule: d/dx ((x² + 1)/(x - 1)) = ")
    assert out[-2].startswith("simplify: ") and out[-1].startswith("df/dx = ")


def test_grad_steps_per_component(deriv):
    out = deriv("grad", "x^2 sin(y)", "--steps", "--format", "plain").out
    assert "  power rule: ∂/∂x x² = 2x\n∂f/∂x = 2x·sin(y)\n" in out
    assert "  sine: ∂/∂y sin(y) = cos(y)\n∂f/∂y = x²·cos(y)\n" in out


def test_steps_in_json(deriv):
    data = json.loads(deriv("diff", "6x^2", "--steps", "--format", "json").out)
    tree = data["steps"][0]["tree"]
    assert (tree["rule"], tree["expression"], tree["result"]) == (
        "constant multiple rule",
        "6*x**2",
        "12*x",
    )
    assert tree["substeps"][0]["rule"] == "power rule"
    assert data["steps"][0]["simplified"] == data["result"]


def test_steps_in_latex(deriv):
    out = deriv("diff", "6x^2", "--steps", "--format", "latex").out
    assert out == (
        "\\begin{align*}\n"
        "f(x) &= 6 x^{2} \\\\\n"
        "\\frac{d}{d x} \\left(6 x^{2}\\right) &= 12 x && \\text{constant multiple rule} \\\\\n"
        "\\quad \\frac{d}{d x} \\left(x^{2}\\right) &= 2 x && \\text{power rule} \\\\\n"
        "\\frac{d f}{d x} &= 12 x\n"
        "\\end{align*}\n"
    )


def test_steps_pretty_is_a_tree(deriv, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = deriv("diff", "sin(x^2)", "--steps", "--format", "pretty").out
    assert "└── chain rule, u = x²: d/dx sin(x²) = 2x·cos(x²)" in out
    assert "    ├── sine: d/du sin(u) = cos(u)" in out


def test_higher_order_steps_follow_each_differentiation(deriv):
    data = json.loads(deriv("diff", "x^3", "--order", "2", "--steps", "--format", "json").out)
    assert [d["simplified"] for d in data["steps"]] == ["3*x**2", "6*x"]


@pytest.mark.parametrize("typed", ["(x^2+1)/(x-1)", "x^x", "sin(x^2) cos(x)", "abs(x - 1)"])
def test_the_last_step_equals_deriv_diffs_result(deriv, typed):
    with_steps = json.loads(deriv("diff", typed, "--steps", "--format", "json").out)
    plain = json.loads(deriv("diff", typed, "--format", "json").out)
    a = sp.sympify(with_steps["result"], locals={"x": x})
    b = sp.sympify(plain["result"], locals={"x": x})
    assert sp.simplify(a - b) == 0
    assert with_steps["steps"][-1]["simplified"] == with_steps["result"]
