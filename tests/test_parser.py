"""The parser: how people write maths, and errors that point at the column."""

import math

import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule_cli.errors import DerivError, InputError, LimitExceeded, ParseError
from chainrule_cli.parser import parse, parse_typed, parse_with_domain

x, y, w1, x_1, theta, xy = sp.symbols("x y w1 x_1 theta xy", real=True)
half = sp.Float("0.5")

ACCEPTED = [
    ("6x^2", 6 * x**2),
    ("3x + y", 3 * x + y),
    ("3*x+y", 3 * x + y),
    ("-0.5x + 0.25y^2", -x / 2 + y**2 / 4),  # exact; shown as decimals again (test_exact.py)
    ("x**2", x**2),
    ("2^3^2", sp.Integer(512)),  # right-associative: 2^9
    ("-x^2", -(x**2)),
    ("(-x)^2", x**2),
    ("2^-1", sp.Rational(1, 2)),
    ("x - -y", x + y),
    ("+x", x),
    ("0.25", sp.Float("0.25")),
    (".5", half),
    ("1e-3", sp.Float("0.001")),
    ("2E3", sp.Float("2000")),
    ("2 sin(x)", 2 * sp.sin(x)),
    ("2(x+1)", 2 * x + 2),
    ("(x+1)(x-1)", (x + 1) * (x - 1)),
    ("x y", x * y),
    ("xy", xy),
    ("2pi", 2 * sp.pi),
    ("w1 x_1", w1 * x_1),
    ("theta^2", theta**2),
    ("x(x+1)", x * (x + 1)),
    ("1/2x", x / 2),  # implicit multiplication binds like *
    ("x/y/2", x / y / 2),
    ("e", sp.E),
    ("e^x", sp.exp(x)),
    ("2e^x", 2 * sp.exp(x)),
    ("log(x)", sp.log(x)),
    ("ln(x)", sp.log(x)),
    ("log(x, 2)", sp.log(x) / sp.log(2)),
    ("sqrt(x)", sp.sqrt(x)),
    ("abs(x)", sp.Abs(x)),
    ("arcsin(x) + asin(y)", sp.asin(x) + sp.asin(y)),
    ("sec(x) csc(x) cot(x)", sp.sec(x) * sp.csc(x) * sp.cot(x)),
    ("sinh(x) cosh(x) tanh(x)", sp.sinh(x) * sp.cosh(x) * sp.tanh(x)),
    ("atan(x) + arccos(x) + arctan(x)", 2 * sp.atan(x) + sp.acos(x)),
    ("x²", x**2),
    ("x·y", x * y),
    ("x − y", x - y),  # U+2212 minus sign
    ("π", sp.pi),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_parses_how_people_write(text, expected):
    assert parse(text) == expected


def test_exact_reads_decimals_as_fractions():
    assert parse("0.25y^2 - 1e-3", exact=True) == sp.Rational(1, 4) * y**2 - sp.Rational(1, 1000)


def test_decimals_are_exact_and_remembered():
    expr, domain = parse_with_domain("0.25y^2 + exp(x - 0.3)")
    assert expr == y**2 / 4 + sp.exp(x - sp.Rational(3, 10)) and domain.decimals
    assert not parse_with_domain("0.25y^2", exact=True)[1].decimals


def test_a_typed_number_is_the_decimal_that_writes_it():
    assert parse("1 - 1e-20") == sp.Float("0.99999999999999999999", 20)
    assert sp.Rational(str(parse("1 - 1e-20"))) == 1 - sp.Rational(1, 10**20)


def test_variables_are_real():
    assert sp.diff(parse("abs(x)"), x) == sp.sign(x)


def test_huge_powers_stay_powers():
    nine = parse("9^9^9")
    assert nine.parts == (9, 9**9)
    assert sp.diff(parse("9^9^9 x^2"), x) == 2 * nine * x
    assert abs(float(sp.log(nine.evalf(30), 10)) - 9**9 * math.log10(9)) < 1e-6


def test_long_sums_parse_in_one_add():
    text = " + ".join(f"{k}x^{k}" for k in range(1, 2001))
    assert len(parse(text).args) == 2000


REJECTED = [
    # text, message fragment, column (1-based)
    ("6x^^2", "unexpected '^'", 4),
    ("sinn(x)", "did you mean sin?", 1),
    ("foo(x)", "unknown function 'foo'", 1),
    ("2 3", "missing operator", 3),
    ("max x", "max needs parentheses", 1),
    ("(x+1", "never closed", 5),
    ("x+1)", "unmatched ')'", 4),
    ("log(1, 2, 3)", "log takes 1 or 2 arguments, got 3", 1),
    ("sin(x, y)", "sin takes 1 argument, got 2", 1),
    ("x/0", "division by zero", 2),
    ("", "empty expression", 1),
    ("   ", "empty expression", 1),
    ("x $ y", "unexpected character '$'", 3),
    ("_a + 1", "cannot start with '_'", 1),
    ("lambda + 1", "reserved word", 1),
    ("x^", "unexpected end of input", 3),
    ("x +* y", "unexpected '*'", 4),
    ("2,3", "unexpected ','", 2),
    ("= x", "expected the function's name before '='", 1),
    ("sin^-2 x", "sin^-2 is ambiguous", 4),
    ("|x", "this '|' is never closed", 1),
    ("||x| - 1", "for nested or ambiguous bars, write abs", 1),
    ("x²ʸ", "a whole number or one letter", 2),
    ("\x1b[31m", "'\\x1b'", 1),
]


@pytest.mark.parametrize("text, message, column", REJECTED)
def test_errors_name_the_problem_and_the_column(text, message, column):
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.start + 1 == column


def test_undefined_constants_are_input_errors():
    with pytest.raises(InputError, match="undefined"):
        parse("log(0)")


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("2^10^10", "number too large"),
        ("1e999999999", "exponents are limited"),
        ("(" * 600 + "x" + ")" * 600, "nested too deeply"),
        ("x" * 100 + " + 1", "name too long"),
    ],
)
def test_static_limits(text, fragment):
    with pytest.raises(LimitExceeded, match=fragment):
        parse(text)


def test_a_5000_term_polynomial_parses():
    text = " + ".join(f"{k}x^{k}" for k in range(1, 5001))
    assert len(parse(text).args) == 5000


def test_500_deep_nesting_parses():
    assert parse("(" * 500 + "x" + ")" * 500) == x
    assert parse("sin(" * 499 + "x" + ")" * 499).count(sp.sin) == 499


# A function's name glued to its argument (docs/syntax.md): the word reads as the function of
# the rest of it, as if the rest stood in parentheses. Expected values written by hand.
x2, x3, t, theta_ = sp.symbols("x2 x3 t θ", real=True)
GLUED = [
    ("sinx", sp.sin(x)),
    ("cosx", sp.cos(x)),
    ("lnx", sp.log(x)),
    ("sin2x", sp.sin(2 * x)),
    ("tanx^2", sp.tan(x) ** 2),  # the power is the value's, as for sin(x)^2
    ("sinx^2", sp.sin(x) ** 2),
    ("sin2x^2", sp.sin(2 * x) ** 2),
    ("x sinx", x * sp.sin(x)),
    ("sinx cosx", sp.sin(x) * sp.cos(x)),
    ("sin x cosx", sp.sin(x) * sp.cos(x)),  # a glued word ends a juxtaposed argument
    ("sinx/2", sp.sin(x) / 2),
    ("e^sinx", sp.exp(sp.sin(x))),
    ("sinhx", sp.sinh(x)),  # the longest name first: not sin(hx)
    ("asinx", sp.asin(x)),
    ("arctanx", sp.atan(x)),
    ("expx", sp.exp(x)),
    ("sqrtx", sp.sqrt(x)),
    ("lnx2", sp.log(x2)),  # x2 is one name, as w1 is
    ("2sinx3", 2 * sp.sin(x3)),
    ("sinxy", sp.sin(xy)),  # xy is one name, as everywhere
    ("sinsinx", sp.sin(sp.sin(x))),
    ("lnsinx", sp.log(sp.sin(x))),
    ("log2x", sp.log(x) / sp.log(2)),  # log2 is a function: log2(x)
    ("log10x", sp.log(x) / sp.log(10)),
    ("sinθ", sp.sin(theta_)),
    ("sinx_1", sp.sin(x_1)),
    ("cost", sp.cos(t)),  # as Wolfram Alpha reads it; declare cost to keep the name
    ("sin2", sp.sin(2)),
    ("sinpi", sp.Integer(0)),
    ("|sinx|", sp.Abs(sp.sin(x))),
    ("sinx^-1", 1 / sp.sin(x)),
]


@pytest.mark.parametrize("text, expected", GLUED)
def test_a_function_glued_to_its_argument(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text", ["cosine", "signal", "logit", "tangent", "sine", "coth", "sech", "sinc", "expm1"]
)
def test_other_words_stay_names(text):
    assert parse(text) == sp.Symbol(text, real=True)


def test_declared_names_stay_names():
    sinx, cost = sp.symbols("sinx cost", real=True)
    assert parse("sinx^2", declared=frozenset({"sinx"})) == sinx**2
    assert parse("2 sinx", defined=frozenset({"sinx"})) == 2 * sinx  # an inner function's name
    assert parse("f(cost) = cost^2") == cost**2
    assert parse_typed("d/dcost cost^2").expr == cost**2


def test_each_glued_word_is_read_once():
    readings = parse_with_domain("sinx + sinx^2 + sinsinx + 2")[1].readings
    assert [(r.word, r.read_as) for r in readings] == [
        ("sinx", "sin(x)"),
        ("sinsinx", "sin(sin(x))"),
    ]


@pytest.mark.parametrize(
    "text, message, column",
    [
        ("sinx(x)", "unknown function 'sinx'; did you mean sin?", 1),
        ("x sinx(x+1)", "unknown function 'sinx'", 3),
        ("sinx^", "unexpected end of input", 6),
        ("x + sinx)", "unmatched ')'", 9),
        ("sin", "unexpected end of input", 4),
        ("sin2x^^2", "unexpected '^'", 7),
    ],
)
def test_glued_words_keep_errors_at_their_column(text, message, column):
    with pytest.raises(ParseError) as caught:
        parse(text)
    assert message in caught.value.message
    assert caught.value.start + 1 == column


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            ["sin", "sinh", "ln", "log", "log2", "exp", "max", "x", "e", "2", "_", "y"]
        ),
        min_size=1,
        max_size=5,
    ).map("".join),
    st.sampled_from(["{}", "{}(x)", "{}^2", "2{}", "{} x", "{}(", "x {}"]),
)
def test_odd_glued_words_parse_or_fail_cleanly(word, pattern):
    try:
        parse(pattern.format(word))
    except DerivError:
        pass
