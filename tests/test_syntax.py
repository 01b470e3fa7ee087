"""Input as people write it: every form of docs/syntax.md, each against the function it means
(written here by hand), and the round trip: what deriv echoes parses back to the same function."""

import json
import math

import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from chainrule_cli.errors import DerivError, ParseError
from chainrule_cli.parser import parse
from chainrule_cli.render.mathtext import as_expr, as_math

x, y, t = sp.symbols("x y t", real=True)

WRITTEN = [
    ("sin^2(x)", sp.sin(x) ** 2),
    ("cos^2(x)", sp.cos(x) ** 2),
    ("sin^2 x", sp.sin(x) ** 2),
    ("sin^-1(x)", sp.asin(x)),
    ("tan^-1 x", sp.atan(x)),
    ("ln x", sp.log(x)),
    ("sqrt x", sp.sqrt(x)),
    ("sin x^2", sp.sin(x**2)),
    ("sin 2x", sp.sin(2 * x)),
    ("sin x cos x", sp.sin(x) * sp.cos(x)),
    ("|x|", sp.Abs(x)),
    ("|x - 1|", sp.Abs(x - 1)),
    ("|x| + |y|", sp.Abs(x) + sp.Abs(y)),
    ("||x| - 1|", sp.Abs(sp.Abs(x) - 1)),
    ("√x", sp.sqrt(x)),
    ("√(x+1)", sp.sqrt(x + 1)),
    ("log2(x)", sp.log(x) / sp.log(2)),
    ("log10(x)", sp.log(x) / sp.log(10)),
    ("log_2(x)", sp.log(x) / sp.log(2)),
    ("log_3 x", sp.log(x) / sp.log(3)),
    ("log_x(8)", sp.log(8) / sp.log(x)),
    ("lg(x)", sp.log(x) / sp.log(10)),
    ("lb x", sp.log(x) / sp.log(2)),
    ("relu(x)", sp.Max(0, x)),
    ("max(0, x)", sp.Max(0, x)),
    ("min(x, y)", sp.Min(x, y)),
    ("heaviside(x)", sp.Heaviside(x)),
    ("root(x, 4)", x ** sp.Rational(1, 4)),
    ("e^x", sp.exp(x)),
    ("exp(x)", sp.exp(x)),
    ("eˣ", sp.exp(x)),
    ("e⁻ˣ", sp.exp(-x)),
    ("x²", x**2),
    ("x·y", x * y),
]


@pytest.mark.parametrize("text, meant", WRITTEN)
def test_written_forms_mean_what_a_textbook_means(text, meant):
    assert parse(text) == meant


# Functions SymPy has no name for, checked by their values against their definitions.
DEFINED = [
    ("sigmoid(x)", lambda v: 1 / (1 + math.exp(-v))),
    ("softplus(x)", lambda v: math.log(1 + math.exp(v))),
    ("cbrt(x)", lambda v: math.copysign(abs(v) ** (1 / 3), v)),
    ("∛x", lambda v: math.copysign(abs(v) ** (1 / 3), v)),
    ("root(x, 5)", lambda v: math.copysign(abs(v) ** (1 / 5), v)),
]


@pytest.mark.parametrize("text, definition", DEFINED)
@pytest.mark.parametrize("at", [-8.0, -0.7, 0.3, 2.0])
def test_named_functions_take_the_values_of_their_definitions(text, definition, at):
    value = float(parse(text).subs(x, sp.Float(at)).evalf(30))
    assert value == pytest.approx(definition(at), rel=1e-12)


def test_the_real_cube_root_of_a_negative_number(deriv):
    assert deriv("diff", "cbrt(x)", "--at", "x=-8", "--format", "expr").out == "1/12\n"


# Derivatives a calculus or ML course writes, at points away from any kink.
DERIVATIVES = [
    ("relu(x)", "x=2", "1"),
    ("relu(x)", "x=-2", "0"),
    ("max(0, x)", "x=3", "1"),
    ("min(x, 1)", "x=3", "0"),
    ("heaviside(x)", "x=1", "0"),
    ("sigmoid(x)", "x=0", "1/4"),  # σ(0)(1 - σ(0)) = 1/2 · 1/2
    ("softplus(x)", "x=0", "1/2"),  # σ(0)
    ("root(x, 5)", "x=32", "1/80"),  # 1/(5 · 32^(4/5)) = 1/(5 · 16)
    ("log2(x)", "x=1", "1/log(2)"),
    ("lg x", "x=10", "1/(10*log(10))"),
    ("sin^2 x", "x=pi/4", "1"),  # 2 sin cos = sin(2x)
    ("sin^-1 x", "x=0", "1"),
    ("sin 2x", "x=0", "2"),
    ("|x - 1|", "x=0", "-1"),
    ("√(x+1)", "x=3", "1/4"),
    ("e⁻ˣ", "x=0", "-1"),
]


@pytest.mark.parametrize("text, at, expected", DERIVATIVES)
def test_derivatives_of_the_written_forms(deriv, text, at, expected):
    ran = deriv("diff", text, "--at", at, "--format", "expr")
    assert (ran.code, ran.out) == (0, expected + "\n")


def test_a_kink_is_no_value(deriv):
    ran = deriv("diff", "relu(x)", "--at", "x=0", "--format", "expr")
    assert ran.code == 1 and "slope 0 from the left, 1 from the right" in ran.err


def test_sigmoid_derivative_against_finite_differences(deriv):
    h, v = 1e-6, 0.7
    sigma = lambda u: 1 / (1 + math.exp(-u))  # noqa: E731
    ran = deriv("diff", "sigmoid(3x)", "--at", f"x={v}", "--format", "expr", "--digits", "12")
    assert float(ran.out) == pytest.approx((sigma(3 * (v + h)) - sigma(3 * (v - h))) / (2 * h))


def test_the_function_is_named_as_written(deriv):
    assert deriv("diff", "f(x) = x^2", "--format", "plain").out == "f(x) = x²\ndf/dx = 2x\n"
    assert deriv("diff", "y = x^2", "--format", "plain").out == "y(x) = x²\ndy/dx = 2x\n"
    assert deriv("diff", "g(t) = t^3", "--format", "plain").out == "g(t) = t³\ndg/dt = 3t²\n"


def test_the_variable_order_of_f_x_y_is_the_gradients_order(deriv):
    assert deriv("grad", "f(y, x) = x y^2", "--format", "expr").out == "2*x*y\ny**2\n"


def test_d_dx_before_the_function(deriv):
    assert deriv("diff", "d/dx x^2", "--format", "expr").out == "2*x\n"
    assert deriv("diff", "d/dx (x^2 y)", "--format", "expr").out == "2*x*y\n"
    assert deriv("diff", "d/dy (x^2 y)", "--format", "expr").out == "x**2\n"
    assert deriv("diff", "d^2/dx^2 sin x", "--format", "expr").out == "-sin(x)\n"


def test_backprop_runs_through_the_ml_functions(deriv):
    """sigmoid(w x + b) at w=0.5, x=2, b=-1: the sum is 0, σ'(0) = 1/4, so ∂/∂w = x/4."""
    ran = deriv("backprop", "sigmoid(w*x+b)", "--at", "w=0.5,x=2,b=-1", "--format", "json")
    gradient = json.loads(ran.out)["gradient"]
    assert gradient == {"w": 0.5, "x": 0.125, "b": 0.25}


def test_backprop_of_relu_and_softplus(deriv):
    """relu(x) + softplus(y) at x=2, y=0: 1 and σ(0) = 1/2."""
    ran = deriv("backprop", "relu(x) + softplus(y)", "--at", "x=2,y=0", "--format", "json")
    assert json.loads(ran.out)["gradient"] == {"x": 1.0, "y": 0.5}


@pytest.mark.parametrize(
    "text, column",
    [("sin^2", 6), ("log_(x)", 1), ("root(x, 2.5)", None), ("|x|y|", 5), ("x = ", 5)],
)
def test_new_forms_fail_with_a_column(text, column):
    with pytest.raises(DerivError) as failure:
        parse(text)
    if column is not None:
        assert isinstance(failure.value, ParseError) and failure.value.start + 1 == column


# The round trip: every form above, combined, echoed in Unicode and in ASCII, parses back.
FORMS = [text for text, _ in WRITTEN] + [text for text, _ in DEFINED]


def combinations():
    form = st.sampled_from(FORMS)
    pattern = st.sampled_from(["{} + {}", "{} - ({})", "{}·{}", "({}) / (2 + {})", "({})^({})"])
    return st.builds(lambda p, a, b: p.format(a, b), pattern, form, form)


@given(combinations())
def test_what_deriv_echoes_parses_back_to_the_same_function(text):
    expr = parse(text)
    for shown in (as_math(expr, True), as_math(expr, False), as_expr(expr)):
        assert parse(shown) == expr, shown


@pytest.mark.parametrize(
    "expr, shown",
    [
        (2 * sp.sqrt(2), "2√2"),
        (sp.sqrt(2) / 2, "√2/2"),
        (x / sp.sqrt(x**2 + 1), "x/√(x² + 1)"),
        (sp.sqrt(sp.Abs(x * y)), "√|x·y|"),
        (y / (2 * sp.sqrt(x)), "y/(2√x)"),
        (sp.sqrt(x) * y, "√x·y"),
    ],
)
def test_roots_are_typographic_and_read_back(expr, shown):
    assert as_math(expr, True) == shown and parse(shown) == expr
    assert "sqrt(" in as_math(expr, False)


# Glued function names (docs/syntax.md): `deriv diff "sinx"` is the derivative of sin(x), with
# a note on stderr, never on stdout. Each derivative below is worked out by hand.
def _read(text: str, names: str) -> sp.Expr:
    """deriv's expr output, read by SymPy with the variables real (deriv's own output only)."""
    symbols = {n: sp.Symbol(n, real=True) for n in names.split()}
    return sp.parse_expr(text, local_dict={**symbols, "E": sp.E})


X2, XY, X3 = sp.symbols("x2 xy x3", real=True)
GLUED_DERIVATIVES = [
    # typed, variable, d/dvariable by hand, the note
    ("sinx", "x", sp.cos(x), 'read "sinx" as sin(x)'),
    ("cosx", "x", -sp.sin(x), 'read "cosx" as cos(x)'),
    ("lnx", "x", 1 / x, 'read "lnx" as ln(x)'),
    ("sin2x", "x", 2 * sp.cos(2 * x), 'read "sin2x" as sin(2x)'),
    # tan(x)²: 2 tan(x) · sec(x)² = 2 tan(x) (1 + tan(x)²)
    ("tanx^2", "x", 2 * sp.tan(x) * (1 + sp.tan(x) ** 2), 'read "tanx" as tan(x)'),
    ("x sinx", "x", sp.sin(x) + x * sp.cos(x), 'read "sinx" as sin(x)'),
    ("sinhx", "x", sp.cosh(x), 'read "sinhx" as sinh(x)'),
    ("asinx", "x", 1 / sp.sqrt(1 - x**2), 'read "asinx" as asin(x)'),
    ("expx", "x", sp.exp(x), 'read "expx" as exp(x)'),
    ("sqrtx", "x", 1 / (2 * sp.sqrt(x)), 'read "sqrtx" as sqrt(x)'),
    ("lnx2", "x2", 1 / X2, 'read "lnx2" as ln(x2)'),
    ("sinxy", "xy", sp.cos(XY), 'read "sinxy" as sin(xy)'),
    ("2sinx3", "x3", 2 * sp.cos(X3), 'read "sinx3" as sin(x3)'),
    ("sinsinx", "x", sp.cos(sp.sin(x)) * sp.cos(x), 'read "sinsinx" as sin(sin(x))'),
    ("cost", "t", -sp.sin(t), 'read "cost" as cos(t)'),
]


@pytest.mark.parametrize("text, name, derivative, note", GLUED_DERIVATIVES)
def test_a_glued_function_name_is_the_function(deriv, text, name, derivative, note):
    ran = deriv("diff", text, "--format", "expr")
    assert ran.code == 0 and ran.err.splitlines()[0] == f"note: {note}"  # then where it holds
    assert sp.simplify(_read(ran.out, f"x t {name}") - derivative) == 0


def test_deriv_diff_sinx_as_the_user_sees_it(deriv):
    ran = deriv("diff", "sinx", "--format", "plain")
    assert (ran.out, ran.err) == (
        "f(x) = sin(x)\ndf/dx = cos(x)\n",
        'note: read "sinx" as sin(x)\n',
    )


@pytest.mark.parametrize("format", ["plain", "json", "expr", "latex"])
@pytest.mark.parametrize("glued, written", [("tanx^2", "tan(x)^2"), ("x sinx", "x*sin(x)")])
def test_stdout_is_that_of_the_written_function(deriv, format, glued, written):
    ran = deriv("diff", glued, "--format", format)
    assert ran.out == deriv("diff", written, "--format", format).out
    assert ran.err.startswith('note: read "') and ran.err.count("\n") == 1


def test_one_note_per_glued_word(deriv):
    ran = deriv("diff", "sinx + sinx^2 + cosx", "--format", "expr")
    assert ran.err == 'note: read "sinx" as sin(x)\nnote: read "cosx" as cos(x)\n'


@pytest.mark.parametrize(
    "args, out",
    [
        (["diff", "sinx", "--wrt", "sinx"], "f(sinx) = sinx\ndf/dsinx = 1\n"),
        (
            ["diff", "cost^2", "--at", "cost=1"],
            "f(cost) = cost²\ndf/dcost = 2cost\nat cost = 1: df/dcost = 2\n",
        ),
        (["diff", "f(cost) = cost^2"], "f(cost) = cost²\ndf/dcost = 2cost\n"),
        (
            ["grad", "cost*w", "--vars", "cost,w"],
            "f(cost, w) = cost·w\n∂f/∂cost = w\n∂f/∂w = cost\n∇f = (w, cost)ᵀ\n",
        ),
    ],
)
def test_a_declared_name_stays_a_name(deriv, args, out):
    ran = deriv(*args, "--format", "plain")
    assert (ran.code, ran.out, ran.err) == (0, out, "")


def test_an_inner_functions_name_stays_a_name(deriv):
    """f = 2·sinx with sinx = 3t: df/dt = 2 · 3 = 6."""
    ran = deriv("chain", "sinx*2", "--inner", "sinx=3t", "--format", "plain")
    assert ran.err == "" and "df/dt = df/dsinx · dsinx/dt = 2 · 3 = 6\n" in ran.out


def test_glued_words_in_an_inner_function_and_an_equation(deriv):
    ran = deriv("chain", "g^2", "--inner", "g=sinx", "--format", "plain")
    assert ran.err == 'note: read "sinx" as sin(x)\n' and "g(x) = sin(x)\n" in ran.out
    # sin(y) + x = 1: cos(y) y' + 1 = 0, so y' = -1/cos(y)
    ran = deriv("implicit", "siny + x = 1", "--format", "expr")
    assert ran.err == 'note: read "siny" as sin(y)\n'
    assert sp.simplify(_read(ran.out, "x y") + 1 / sp.cos(y)) == 0


def test_batch_notes_carry_their_line(deriv, tmp_path):
    lines = tmp_path / "glued.txt"
    lines.write_text("sinx\nx^2\nlnx\n")
    ran = deriv("diff", f"@{lines}", "--format", "expr")
    assert ran.out == "cos(x)\n2*x\n1/x\n"
    assert ran.err == 'note: line 1: read "sinx" as sin(x)\nnote: line 3: read "lnx" as ln(x)\n'


def test_plot_reads_sinx_as_sin_x():
    pytest.importorskip("numpy")
    from chainrule_cli.plot import Screen, plot
    from chainrule_cli.render.notes import notes
    from chainrule_cli.render.settings import Settings

    drawn = plot("sinx", target=Screen(60, 20, False))
    assert drawn.plot.function.expr == sp.sin(x)
    assert notes(drawn, Settings()) == ('note: read "sinx" as sin(x)',)


def test_the_library_declares_and_notes_as_the_command_line_does():
    from chainrule_cli import diff, grad

    assert diff("sinx").notes == ('read "sinx" as sin(x)',)
    sinx, cost, w = sp.symbols("sinx cost w", real=True)
    assert diff("sinx^2", wrt=sinx).result == 2 * sinx  # d/du u^2 = 2u
    assert grad("cost*w", at={cost: 1, "w": 2}).components == (w, cost)
