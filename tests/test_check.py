"""deriv check: an answer is right when it equals f' as a function on f's domain.

Every expected value is worked out by hand in the test (exact fractions, Python's integers):
the wrong answers' values at the point deriv names are recomputed here from their formulas,
and the property tests build f' with the power rule on integer coefficients, not with SymPy.
"""

import json
from fractions import Fraction
from math import comb

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule_cli import api


def heaviside(u: Fraction) -> Fraction:
    return Fraction(1) if u > 0 else Fraction(0) if u < 0 else Fraction(1, 2)  # SymPy's H(0)


# f = x², f' = 2x; each answer as a function of x, by hand.
WRONG_FOR_SQUARE = [
    ("2x + heaviside(x-100)", lambda x: 2 * x + heaviside(x - 100)),
    ("2x + relu(x-3)", lambda x: 2 * x + max(Fraction(0), x - 3)),
    ("min(2x, 30)", lambda x: min(2 * x, Fraction(30))),
    ("2x + 1e-10", lambda x: 2 * x + Fraction(1, 10**10)),
]


@pytest.mark.parametrize(("answer", "by_hand"), WRONG_FOR_SQUARE)
def test_wrong_answers_to_x_squared_are_rejected_with_a_point(deriv, answer, by_hand):
    ran = deriv("check", "x^2", "--answer", answer, "--format", "json")
    got = json.loads(ran.out)
    assert ran.code == 1 and got["correct"] is False
    x = Fraction(got["counterpoint"]["x"])
    assert by_hand(x) != 2 * x  # a real counterexample
    assert got["answer_value"] == [pytest.approx(float(by_hand(x)), rel=1e-12)]
    assert got["expected_value"] == [pytest.approx(float(2 * x), rel=1e-12, abs=0)]
    text = deriv("check", "x^2", "--answer", answer, "--format", "plain")
    assert text.code == 1 and "error: the answer is wrong" in text.err
    assert f"wrong: at x = {got['counterpoint']['x']} the answer is " in text.out


def test_a_tiny_difference_is_shown_as_it_is():
    # at x = 0: 2·0 + 10⁻¹⁰ against 2·0
    ran = api.check("x^2", answer="2x + 1e-10")
    assert ran.correct is False and ran.counterpoint[0][1] == 0
    assert "the answer is 1.0e-10, but df/dx = 2x is 0" in ran.text(unicode=True)


def test_a_difference_no_digits_show_is_shown_as_one():
    # past x = 5000, 2^x·ln 2 + 1 against 2^x·ln 2 (about 10^1505): they differ by 1
    ran = api.check("2^x", answer="2^x ln(2) + heaviside(x - 5000)")
    assert ran.correct is False and ran.counterpoint[0][1] > 5000
    line = ran.text(unicode=True).splitlines()[-1]
    assert " + 1, but df/dx = 2^x·ln(2) is " in line


RIGHT = [
    ("x^2", "2x"),
    ("x^2", "x + x"),
    ("sin(x) cos(x)", "cos(2x)"),  # cos²x - sin²x = cos 2x
    ("sin(x) cos(x)", "cos(x)^2 - sin(x)^2"),
    ("sqrt(x)", "1/(2 sqrt(x))"),
    ("sqrt(x)", "0.5/sqrt(x)"),
    ("abs(x)", "sign(x)"),  # the textbook answer: f'(0) does not exist, sign(0) = 0 is not held
    ("abs(x)", "x/abs(x)"),
    ("abs(x)", "2heaviside(x) - 1"),  # = sign(x) off 0
    ("relu(x)", "heaviside(x)"),
    ("x abs(x)", "2abs(x)"),  # (x|x|)' = 2|x|, also at 0
    ("ln(abs(x))", "1/x"),
    ("ln(x)", "1/x"),  # x < 0 is outside f's domain
    ("0.1x^2", "0.2x"),
    ("(x+1)^3", "3x^2 + 6x + 3"),
    ("tan(x)", "sec(x)^2"),
    ("max(x, 2x)", "1 + heaviside(x)"),  # 1 for x < 0, 2 for x > 0
    ("exp(exp(x))", "exp(x + exp(x))"),
]


@pytest.mark.parametrize(("f", "answer"), RIGHT)
def test_right_answers_written_differently_are_accepted(deriv, f, answer):
    ran = deriv("check", f, "--answer", answer, "--format", "plain")
    assert ran.code == 0 and "correct: it equals" in ran.out, ran.out + ran.err


WRONG = [
    # (f, answer, why, by hand)
    ("abs(x)", "1", "-1 for x < 0", None),
    ("max(x, 2x)", "2", "1 for x < 0", None),
    ("x abs(x)", "2abs(x) + 1 - abs(sign(x))", "1 at 0, where f'(0) = 0", Fraction(0)),
    ("sqrt(x)", "1/(2 sqrt(x)) + heaviside(x - 10^6)", "past 10⁶", None),
    ("x^3", "3x^2 + 10^-40", "by 10⁻⁴⁰", Fraction(0)),
]


@pytest.mark.parametrize(("f", "answer", "why", "at"), WRONG)
def test_wrong_answers(f, answer, why, at):
    ran = api.check(f, answer=answer)
    assert ran.correct is False, why
    if at is not None:
        assert ran.counterpoint[0][1] == at


def test_at_f_s_own_kink_the_answer_is_not_held_to_a_value():
    # sign(x) + (1 - |sign(x)|) is sign(x) off 0 and 1 at 0, where |x| has no derivative
    assert api.check("abs(x)", answer="sign(x) + 1 - abs(sign(x))").correct is True


def test_an_answer_undefined_where_f_prime_is_defined_is_wrong(deriv):
    # 2x²/x is 2x except at 0, where it is undefined and (x²)' = 0
    ran = deriv("check", "x^2", "--answer", "2x^2/x", "--format", "json")
    got = json.loads(ran.out)
    assert ran.code == 1 and got["counterpoint"] == {"x": "0"}
    assert got["answer_value"] == [None] and got["expected_value"] == [0]
    plain = deriv("check", "x^2", "--answer", "2x^2/x", "--format", "plain")
    assert "at x = 0 the answer is undefined as typed, but df/dx = 2x is 0" in plain.out


def test_a_gradient_wrong_far_away_in_one_component():
    # ∇|x - y| = (sign(x - y), -sign(x - y)); the second answer adds 1 where x > 100
    got = api.check("abs(x - y)", answer="sign(x - y), -sign(x - y) + heaviside(x - 100)")
    assert got.correct is False
    point = dict((s.name, v) for s, v in got.counterpoint)
    assert point["x"] >= 100 and point["x"] != point["y"]
    assert api.check("abs(x - y)", answer="sign(x - y), sign(y - x)").correct is True


def test_undecided_is_said_and_exits_1(deriv):
    # atan(1/2) + atan(1/3) = π/4 (tan of the sum: (1/2 + 1/3)/(1 - 1/6) = 1), so the answer
    # is right, but SymPy neither simplifies the constant away nor certifies its sign
    answer = "2x + atan(1/2) + atan(1/3) - pi/4"
    ran = deriv("check", "x^2", "--answer", answer, "--format", "json")
    assert ran.code == 1 and json.loads(ran.out)["correct"] is None
    assert "error: cannot decide whether the answer is right" in ran.err
    assert deriv("check", "x^2", "--answer", answer, "--format", "expr").out == "undecided\n"


def test_past_what_can_be_evaluated_it_is_undecided_not_right():
    # x^1000 near 10^8 is an integer of 8000 digits, not computed: the step there is unseen
    assert api.check("x^1000", answer="1000x^999 + heaviside(x - 10^8)").correct is None
    # e^(x²) at 200 is about 10^17371, evaluated: the step there is seen
    wrong = api.check("exp(x^2)", answer="2x exp(x^2) + heaviside(x - 200)")
    assert wrong.correct is False and wrong.counterpoint[0][1] > 200


# Properties: f = c(x - a)^n, f' = c·n·(x - a)^(n-1) by the power rule, expanded with binomials.


def term(coefficient: int, power: int) -> str:
    return f"({coefficient})*x^{power}" if power else f"({coefficient})"


def expanded(c: int, a: int, m: int) -> str:
    """c(x - a)^m with the binomial theorem: Σ c·C(m, k)·(-a)^(m-k)·x^k."""
    return " + ".join(term(c * comb(m, k) * (-a) ** (m - k), k) for k in range(m + 1))


def horner(c: int, a: int, m: int) -> str:
    coefficients = [c * comb(m, k) * (-a) ** (m - k) for k in range(m, -1, -1)]
    text = f"({coefficients[0]})"
    for coefficient in coefficients[1:]:
        text = f"({text})*x + ({coefficient})"
    return text


powers = st.fixed_dictionaries(
    {
        "c": st.integers(-5, 5).filter(bool),
        "a": st.integers(-20, 20),
        "n": st.integers(2, 6),
    }
)


@settings(max_examples=25, deadline=None)
@given(powers, st.sampled_from(["factored", "expanded", "horner"]))
def test_the_derivative_rewritten_is_accepted(p, form):
    c, a, n = p["c"], p["a"], p["n"]
    written = {
        "factored": f"{c * n}(x - ({a}))^{n - 1}",
        "expanded": expanded(c * n, a, n - 1),
        "horner": horner(c * n, a, n - 1),
    }[form]
    assert api.check(f"{c}(x - ({a}))^{n}", answer=written).correct is True, written


@settings(max_examples=30, deadline=None)
@given(
    powers,
    st.one_of(
        st.integers(10, 10**12).map(lambda k: f" + heaviside(x - {k})"),  # only far from 0
        st.integers(-(10**6), 10**6).map(lambda k: f" + relu(x - ({k}))"),  # one side of a kink
        st.integers(-(10**6), 10**6).map(lambda k: f" - 3relu({k} - x)"),
        st.integers(3, 60).map(lambda k: f" + 10^-{k}"),  # by a tiny amount
        st.integers(3, 60).map(lambda k: f" - 7*10^-{k}"),
    ),
)
def test_an_answer_off_anywhere_is_rejected(p, off):
    c, a, n = p["c"], p["a"], p["n"]
    derivative = expanded(c * n, a, n - 1)
    assert api.check(f"{c}(x - ({a}))^{n}", answer=derivative + off).correct is False, off


@settings(max_examples=8, deadline=None)
@given(st.integers(-1000, 1000), st.integers(1, 10**9))
def test_one_side_of_f_s_kink(a, bound):
    # |x - a|' = sign(x - a) on both sides; an answer right on one side only is wrong
    f = f"abs(x - ({a}))"
    assert api.check(f, answer=f"sign(x - ({a}))").correct is True
    assert api.check(f, answer="1").correct is False  # -1 left of a
    assert api.check(f, answer=f"min(sign(x - ({a})), {bound})").correct is True
    assert api.check(f, answer=f"max(sign(x - ({a})), 0)").correct is False  # 0 left of a


@pytest.mark.parametrize(
    ("f", "answer"),
    [
        ("cos(3pi x)", "-sin(3pi x)"),  # the chain rule's factor 3π forgotten
        ("x^3 + cos(6 pi x)", "3x^2"),  # a term left out
        ("x^2", "2x + sin(3*pi*x)"),  # a term zero at every multiple of 1/3
    ],
)
def test_a_wrong_answer_zero_at_every_simple_fraction_is_still_wrong(f, answer):
    # each wrong part is sin(kπx), 0 at x = 0, ±1/3, ±1, ±2, ±10, ...: only a point that is
    # no such fraction (√2/4) shows the difference
    import mpmath as mp

    result = api.check(f, answer=answer)
    assert result.correct is False
    ((_, x),) = result.counterpoint
    point = mp.mpf(str(x.evalf(30)))
    assert mp.sin(3 * mp.pi * point) != 0
