"""deriv analyze: critical points, monotonicity, extrema, concavity and asymptotes, against
answers worked by hand in the comments (a Stewart-style set), each number also checked
numerically on f itself (mpmath's differences of f, never deriv's derivative)."""

import json
import math

import mpmath
import pytest
import sympy as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule_cli import api
from chainrule_cli.errors import InputError, MathError

x = sp.Symbol("x", real=True)
oo = sp.oo


def real_root(value, n):
    return mpmath.sign(value) * abs(value) ** (mpmath.mpf(1) / int(n))


def numeric(expr):
    """f as an mpmath function, for differences on f itself."""
    return sp.lambdify(x, expr, [{"RealRoot": real_root}, "mpmath"])


def read(text):
    return sp.sympify(text, locals={"x": x, "E": sp.E, "pi": sp.pi, "oo": sp.oo})


def analysis(deriv, *args):
    ran = deriv("analyze", *args, "--format", "json")
    assert ran.code == 0, ran.err
    return json.loads(ran.out)


def points(texts):
    return [read(t) for t in texts]


def intervals(pairs):
    return [tuple(read(end) for end in pair) for pair in pairs]


def extrema(record):
    return [(read(e["x"]), e["kind"], read(e["value"]), e["test"]) for e in record["extrema"]]


def same(got, want):
    assert len(got) == len(want), (got, want)
    for g, w in zip(got, want):
        if isinstance(g, tuple):
            same(list(g), list(w))
        elif isinstance(g, str):
            assert g == w
        else:
            assert sp.simplify(g - w) == 0 if g.is_finite else g == w, (got, want)


SECOND, FIRST = "second derivative", "first derivative"

TEXTBOOK = [
    # f = x³ - 3x: f' = 3x² - 3 = 3(x - 1)(x + 1), zero at ±1; f'' = 6x: f''(-1) = -6 < 0
    # (max f(-1) = -1 + 3 = 2), f''(1) = 6 > 0 (min f(1) = -2); f' > 0 outside [-1, 1];
    # f'' changes sign at 0: inflection (0, 0).
    (
        "x^3 - 3x",
        dict(
            critical=[-1, 1],
            extrema=[(-1, "maximum", 2, SECOND), (1, "minimum", -2, SECOND)],
            increasing=[(-oo, -1), (1, oo)],
            decreasing=[(-1, 1)],
            up=[(0, oo)],
            down=[(-oo, 0)],
            inflections=[(0, 0)],
        ),
    ),
    # f = x⁴ - 4x³: f' = 4x²(x - 3): zero at 0 and 3; f' < 0 on both sides of 0 (no extremum:
    # f''(0) = 0, the first derivative test decides nothing changes), f''(3) = 108 - 72 = 36
    # > 0: min f(3) = 81 - 108 = -27. f'' = 12x(x - 2): inflections (0, 0), (2, 16 - 32).
    (
        "x^4 - 4x^3",
        dict(
            critical=[0, 3],
            extrema=[(3, "minimum", -27, SECOND)],
            increasing=[(3, oo)],
            decreasing=[(-oo, 3)],
            up=[(-oo, 0), (2, oo)],
            down=[(0, 2)],
            inflections=[(0, 0), (2, -16)],
        ),
    ),
    # f = x e^(-x): f' = (1 - x)e^(-x), zero at 1; f'' = (x - 2)e^(-x), f''(1) = -1/e < 0:
    # max f(1) = 1/e; inflection at 2, f(2) = 2/e²; f -> 0 as x -> oo (not as x -> -oo).
    (
        "x e^(-x)",
        dict(
            critical=[1],
            extrema=[(1, "maximum", sp.exp(-1), SECOND)],
            increasing=[(-oo, 1)],
            decreasing=[(1, oo)],
            up=[(2, oo)],
            down=[(-oo, 2)],
            inflections=[(2, 2 * sp.exp(-2))],
            horizontal=[("oo", 0)],
        ),
    ),
    # f = |x - 1|: f' = -1 left of 1, +1 right of it, and no f'(1) (a corner): the first
    # derivative test gives a min f(1) = 0. A line on each side: no concavity.
    (
        "abs(x - 1)",
        dict(
            critical=[1],
            undefined=[1],
            extrema=[(1, "minimum", 0, FIRST)],
            increasing=[(1, oo)],
            decreasing=[(-oo, 1)],
            up=[],
            down=[],
            inflections=[],
        ),
    ),
    # f = x³: f' = 3x² ≥ 0, zero at 0 only: increasing on the whole line, no extremum;
    # f'' = 6x changes sign at 0: inflection (0, 0).
    (
        "x^3",
        dict(
            critical=[0],
            extrema=[],
            increasing=[(-oo, oo)],
            decreasing=[],
            up=[(0, oo)],
            down=[(-oo, 0)],
            inflections=[(0, 0)],
        ),
    ),
    # f = 1/x: f' = -1/x² < 0 on each side of 0 (not merged: 0 is not in the domain);
    # f'' = 2/x³; vertical asymptote x = 0, horizontal y = 0 both ways.
    (
        "1/x",
        dict(
            critical=[],
            extrema=[],
            increasing=[],
            decreasing=[(-oo, 0), (0, oo)],
            up=[(0, oo)],
            down=[(-oo, 0)],
            inflections=[],
            vertical=[0],
            horizontal=[("-oo", 0), ("oo", 0)],
        ),
    ),
    # f = (x² - 1)/(x² - 4) = 1 + 3/(x² - 4): f' = -6x/(x² - 4)², zero at 0; f(0) = 1/4, a
    # max (f' > 0 left, < 0 right); f'' = (18x² + 24)/(x² - 4)³ > 0 outside [-2, 2]; vertical
    # asymptotes x = ±2, horizontal y = 1.
    (
        "(x^2 - 1)/(x^2 - 4)",
        dict(
            critical=[0],
            extrema=[(0, "maximum", sp.Rational(1, 4), SECOND)],
            increasing=[(-oo, -2), (-2, 0)],
            decreasing=[(0, 2), (2, oo)],
            up=[(-oo, -2), (2, oo)],
            down=[(-2, 2)],
            inflections=[],
            vertical=[-2, 2],
            horizontal=[("-oo", 1), ("oo", 1)],
        ),
    ),
    # f = ∛x: f' = 1/(3∛x²) > 0 off 0 and no f'(0) (a vertical tangent): critical, no
    # extremum; f'' = -2/(9 x∛x²) changes sign at 0: inflection (0, 0).
    (
        "cbrt(x)",
        dict(
            critical=[0],
            undefined=[0],
            extrema=[],
            increasing=[(-oo, oo)],
            decreasing=[],
            up=[(-oo, 0)],
            down=[(0, oo)],
            inflections=[(0, 0)],
        ),
    ),
    # f = sin x over one period [0, 2π]: f' = cos x, zero at π/2 (max 1) and 3π/2 (min -1);
    # f'' = -sin x, zero at 0 and π, changing sign at both.
    (
        "sin(x)",
        dict(
            scope="period",
            critical=[sp.pi / 2, 3 * sp.pi / 2],
            extrema=[(sp.pi / 2, "maximum", 1, SECOND), (3 * sp.pi / 2, "minimum", -1, SECOND)],
            increasing=[(0, sp.pi / 2), (3 * sp.pi / 2, 2 * sp.pi)],
            decreasing=[(sp.pi / 2, 3 * sp.pi / 2)],
            up=[(sp.pi, 2 * sp.pi)],
            down=[(0, sp.pi)],
            inflections=[(0, 0), (sp.pi, 0)],
        ),
    ),
    # f = ln x: domain (0, oo), f' = 1/x > 0, f'' = -1/x² < 0, x = 0 a vertical asymptote.
    (
        "ln(x)",
        dict(
            domain="Interval.open(0, oo)",
            critical=[],
            extrema=[],
            increasing=[(0, oo)],
            decreasing=[],
            up=[],
            down=[(0, oo)],
            inflections=[],
            vertical=[0],
        ),
    ),
]


@pytest.mark.parametrize("expression, want", TEXTBOOK, ids=[t[0] for t in TEXTBOOK])
def test_textbook_answers(deriv, expression, want):
    record = analysis(deriv, expression)
    assert record["scope"] == want.get("scope", "line")
    same(points(record["critical_points"]), [sp.sympify(c) for c in want["critical"]])
    same(points(record["undefined_at"]), [sp.sympify(c) for c in want.get("undefined", [])])
    same(extrema(record), [(sp.sympify(a), k, sp.sympify(v), t) for a, k, v, t in want["extrema"]])
    for field, key in (("increasing", "increasing"), ("decreasing", "decreasing")):
        same(intervals(record[field]), [tuple(map(sp.sympify, p)) for p in want[key]])
    same(intervals(record["concave_up"]), [tuple(map(sp.sympify, p)) for p in want["up"]])
    same(intervals(record["concave_down"]), [tuple(map(sp.sympify, p)) for p in want["down"]])
    inflections = [(read(i["x"]), read(i["value"])) for i in record["inflection_points"]]
    same(inflections, [tuple(map(sp.sympify, p)) for p in want["inflections"]])
    same(points(record["vertical_asymptotes"]), [sp.sympify(p) for p in want.get("vertical", [])])
    horizontal = [(h["x"], read(h["y"])) for h in record["horizontal_asymptotes"]]
    same(horizontal, [(end, sp.sympify(y)) for end, y in want.get("horizontal", [])])
    if "domain" in want:
        assert record["domain"] == want["domain"]


@pytest.mark.parametrize("expression", [t[0] for t in TEXTBOOK])
def test_the_answers_hold_numerically_on_f_itself(expression):
    """Each zero critical point has a central difference of f near 0, each corner one-sided
    differences that disagree; f rises on each increasing interval and falls on each
    decreasing one; a local maximum is above f a little to either side."""
    result = api.analyze(expression)
    f = numeric(result.function.expr)
    with mpmath.workdps(30):
        for c in result.critical:
            at = mpmath.mpf(sp.N(c.x, 30))
            if c.kind == "zero":
                assert abs(mpmath.diff(f, at)) < 1e-15
            else:
                h = mpmath.mpf("1e-12")
                left, right = (f(at) - f(at - h)) / h, (f(at + h) - f(at)) / h
                assert abs(left - right) > 1e-3 or abs(right) > 1e6
        for pieces, sign in ((result.increasing, 1), (result.decreasing, -1)):
            for lo, hi in pieces:
                a = float(sp.N(lo)) if lo.is_finite else None
                b = float(sp.N(hi)) if hi.is_finite else None
                if a is None and b is None:
                    a, b = -5.0, 5.0
                a = b - 10 if a is None else a
                b = a + 10 if b is None else b
                samples = [a + (b - a) * k / 10 for k in range(1, 10)]
                heights = [f(mpmath.mpf(t)) for t in samples]
                assert all(sign * (q - p) > 0 for p, q in zip(heights, heights[1:]))
        for e in result.extrema:
            at, value = mpmath.mpf(sp.N(e.x, 30)), mpmath.mpf(sp.N(e.value.exact, 30))
            assert abs(f(at) - value) < 1e-20
            near = [f(at - mpmath.mpf("1e-4")), f(at + mpmath.mpf("1e-4"))]
            assert all((n < value) if e.kind == "maximum" else (n > value) for n in near)


def test_absolute_extrema_on_a_closed_interval(deriv):
    # x³ - 3x on [0, 3]: candidates f(0) = 0, f(1) = -2 (critical), f(3) = 27 - 9 = 18.
    record = analysis(deriv, "x^3 - 3x", "--on", "0:3")
    assert record["scope"] == "interval"
    found = {a["kind"]: (read(a["value"]), points(a["at"])) for a in record["absolute"]}
    assert found == {"maximum": (18, [3]), "minimum": (-2, [1])}
    # x² e^(-x²) on [-3, 3]: f' = 2x(1 - x²)e^(-x²): f(±1) = 1/e (both), f(0) = 0, f(±3) =
    # 9e^(-9), smaller than 1/e and larger than 0.
    record = analysis(deriv, "x^2 e^(-x^2)", "--on", "-3:3")
    found = {a["kind"]: (read(a["value"]), points(a["at"])) for a in record["absolute"]}
    assert found == {"maximum": (sp.exp(-1), [-1, 1]), "minimum": (0, [0])}


def test_no_absolute_extrema_claimed_where_f_is_not_continuous(deriv):
    # 1/x on [-1, 1]: unbounded near 0, so neither exists; deriv says so rather than guess
    record = analysis(deriv, "1/x", "--on", "-1:1")
    assert record["absolute"] == [] and record["vertical_asymptotes"] == ["0"]
    out = deriv("analyze", "1/x", "--on", "-1:1").out
    assert "none claimed (f is not defined on all of [-1, 1]" in out
    # x + sign(x) is defined on [-1, 1] but jumps from -1 to 1 at 0
    record = analysis(deriv, "x + sign(x)", "--on", "-1:1")
    assert record["absolute"] == [] and record["extrema"] == []
    out = deriv("analyze", "x + sign(x)", "--on", "-1:1").out
    assert "none claimed (f is not continuous on all of [-1, 1]" in out


@pytest.mark.parametrize(
    "expression, equation",
    [
        # sin x - x²/2: f' = cos x - x = 0 has no closed form; its root is the Dottie number
        ("sin(x) - x^2/2", lambda c: math.cos(c) - c),
        # eˣ - 3x²: f' = eˣ - 6x = 0 at two points (Lambert W values), none in closed form
        ("e^x - 3x^2", lambda c: math.exp(c) - 6 * c),
    ],
)
def test_critical_points_without_closed_form_are_found_numerically(deriv, expression, equation):
    record = analysis(deriv, expression)
    assert record["scope"] == "window" and record["solved_numerically"] == ["first"]
    assert record["region"] == ["-10", "10"]
    found = [float(c) for c in record["critical_points"]]
    assert found and all(abs(equation(c)) < 1e-12 for c in found)
    out = deriv("analyze", expression).out
    assert "x ≈ " in out and "solved numerically on [-10, 10]" in out


def test_a_variable_exponent(deriv):
    # x^x = e^(x ln x), defined for x > 0: f' = x^x (ln x + 1) = 0 at x = 1/e, where
    # f'' = x^x ((ln x + 1)² + 1/x) = e^(-1/e)·e > 0: a minimum, f(1/e) = e^(-1/e)
    record = analysis(deriv, "x^x")
    assert points(record["critical_points"]) == [sp.exp(-1)]
    (minimum,) = extrema(record)
    assert minimum[:2] == (sp.exp(-1), "minimum")
    assert sp.simplify(minimum[2] - sp.exp(-sp.exp(-1))) == 0


def test_a_derivative_zero_on_a_whole_interval_is_refused(deriv):
    # max(x, 0) is constant on (-oo, 0): every point there is critical; deriv lists none
    ran = deriv("analyze", "max(x, 0)")
    assert ran.code == 1 and ran.out == ""
    assert ran.err.startswith("error: f' or f'' is 0 on a whole interval")


def test_dottie_number(deriv):
    record = analysis(deriv, "sin(x) - x^2/2")
    assert record["critical_points"] == ["0.739085133215161"]  # cos d = d, to 15 digits
    assert record["extrema"][0]["kind"] == "maximum"


def test_textbook_layout(deriv):
    assert deriv("analyze", "x^3 - 3x").out == (
        "f(x) = x³ - 3x\n"
        "domain: (-∞, ∞)\n"
        "df/dx = 3x² - 3\n"
        "df/dx exists on (-∞, ∞)\n"
        "critical points: x = -1, x = 1\n"
        "increasing on (-∞, -1), (1, ∞)\n"
        "decreasing on (-1, 1)\n"
        "local maximum: f(-1) = 2 (second derivative test: d²f/dx² = -6 < 0)\n"
        "local minimum: f(1) = -2 (second derivative test: d²f/dx² = 6 > 0)\n"
        "d²f/dx² = 6x\n"
        "concave up on (0, ∞)\n"
        "concave down on (-∞, 0)\n"
        "inflection points: (0, 0)\n"
        "asymptotes: none\n"
    )


def test_a_corner_is_decided_by_the_first_derivative_test(deriv):
    out = deriv("analyze", "abs(x - 1)").out
    assert "critical points: x = 1 (df/dx does not exist)" in out
    assert "local minimum: f(1) = 0 (first derivative test: df/dx changes from - to +)" in out


def test_a_periodic_function_is_studied_over_one_period(deriv):
    out = deriv("analyze", "tan(x)").out
    assert "studied over one period, x in [0, π]" in out
    assert "vertical asymptotes: x = π/2" in out
    assert "inflection points: (0, 0)" in out  # tan'' = 2 tan x sec² x changes sign at 0


def test_other_formats(deriv):
    assert deriv("analyze", "x^3 - 3x", "--format", "expr").out == "-1\n1\n"
    latex = deriv("analyze", "x^3 - 3x", "--format", "latex").out
    assert r"\text{local maximum} &: f\left(-1\right) = 2" in latex


@pytest.mark.parametrize(
    "args, message",
    [
        (("x*y",), "error: deriv analyze takes a function of one variable (variables: x, y)"),
        (("x^2", "--on", "3:1"), "error: --on a:b needs a < b, not 3:1"),
        (("x^2", "--on", "0"), "error: --on takes an interval a:b, as 0:2*pi, not '0'"),
        (("5",), "error: deriv analyze takes a function of one variable (variables: none)"),
        (("sign(x)",), "error: f' is 0 wherever it exists (f is constant on each piece)"),
    ],
)
def test_bad_input(deriv, args, message):
    ran = deriv("analyze", *args)
    assert ran.code in (1, 2) and ran.err.startswith(message) and ran.out == ""


# Property: every critical point found is a zero of f' or a point where f' does not exist,
# and every sign change of f' (sampled on f itself) has a critical point or an edge of the
# domain inside it.

coefficients = st.integers(-4, 4)


@st.composite
def functions(draw):
    degree = draw(st.integers(2, 4))
    terms = [f"({draw(coefficients)})*x^{k}" for k in range(degree + 1)]
    poly = " + ".join(terms)
    shape = draw(st.sampled_from(["poly", "exp", "abs", "rational"]))
    if shape == "exp":
        return f"({poly}) * e^(-x^2/4)"
    if shape == "abs":
        return f"{poly} + {draw(st.integers(1, 5))}*abs(x - {draw(st.integers(-3, 3))})"
    if shape == "rational":
        return f"({poly}) / (x^2 + {draw(st.integers(1, 4))})"
    return poly


@settings(max_examples=20, deadline=None)
@given(functions())
def test_critical_points_are_zeros_or_undefined_points_of_f_prime(text):
    try:
        result = api.analyze(text)
    except (InputError, MathError):
        return  # a constant function (no variable, or f' = 0): refused, not analysed
    f = numeric(result.function.expr)
    criticals = [float(sp.N(c.x)) for c in result.critical]
    with mpmath.workdps(30):
        for c in result.critical:
            at = mpmath.mpf(sp.N(c.x, 30))
            if c.kind == "zero":
                scale = 1 + abs(mpmath.diff(f, at, 2))
                assert abs(mpmath.diff(f, at)) < 1e-12 * scale, text
            else:
                h = mpmath.mpf("1e-15")
                left, right = (f(at) - f(at - h)) / h, (f(at + h) - f(at)) / h
                assert abs(left - right) > 1e-6, text
        lo, hi = float(result.region[0]), float(result.region[1]) if result.scope != "line" else 8
        lo = lo if result.scope != "line" else -8
        grid = [lo + (hi - lo) * k / 400 for k in range(401)]
        slopes = [mpmath.diff(f, mpmath.mpf(t)) for t in grid]
        for (a, sa), (b, sb) in zip(zip(grid, slopes), zip(grid[1:], slopes[1:])):
            if sa * sb < 0 and min(abs(sa), abs(sb)) > 1e-9:
                assert any(a <= c <= b for c in criticals), (text, a, b)


def test_a_cube_root_with_a_vertical_tangent(deriv):
    # Stewart's f = x^(1/3)(x - 4) = x^(4/3) - 4x^(1/3): f' = 4(x - 1)/(3x^(2/3)), zero at 1
    # (f(1) = -3, a minimum) and undefined at 0 (a vertical tangent; f' < 0 on both sides, so
    # no extremum); f'' = 4(x + 2)/(9x^(5/3)): inflections at -2 and 0, f(-2) = 6·2^(1/3).
    record = analysis(deriv, "cbrt(x)*(x - 4)")
    assert points(record["critical_points"]) == [0, 1]
    assert points(record["undefined_at"]) == [0]
    assert extrema(record) == [(1, "minimum", -3, SECOND)]
    inflections = {read(i["x"]): read(i["value"]) for i in record["inflection_points"]}
    assert set(inflections) == {-2, 0}
    assert sp.simplify(inflections[-2] - 6 * sp.cbrt(2)) == 0


@pytest.mark.parametrize(
    "expression, where",
    [
        # √x: f' = 1/(2√x) exists for x > 0 only (at 0 only from the right, a vertical tangent)
        ("sqrt(x)", sp.Interval.open(0, oo)),
        # |x - 1|: f' = ±1 off the corner at 1
        ("abs(x - 1)", sp.Union(sp.Interval.open(-oo, 1), sp.Interval.open(1, oo))),
        # ∛x: f' = 1/(3∛x²) off 0, where the tangent is vertical
        ("cbrt(x)", sp.Union(sp.Interval.open(-oo, 0), sp.Interval.open(0, oo))),
        ("x^2", sp.S.Reals),
    ],
)
def test_where_the_derivative_exists(deriv, expression, where):
    record = analysis(deriv, expression)
    found = sp.sympify(record["derivative_domain"])
    assert found == where


@pytest.mark.parametrize(
    "expression, want",
    [
        # x²/(x - 1) = x + 1 + 1/(x - 1): y = x + 1 both ways
        ("x^2/(x - 1)", [("-oo", x + 1), ("oo", x + 1)]),
        # √(x² + 1) = |x|·√(1 + 1/x²) = |x| + O(1/|x|): y = -x and y = x
        ("sqrt(x^2 + 1)", [("-oo", -x), ("oo", x)]),
    ],
)
def test_slant_asymptotes(deriv, expression, want):
    record = analysis(deriv, expression)
    got = [(a["x"], read(a["y"])) for a in record["slant_asymptotes"]]
    same(got, want)
    assert record["horizontal_asymptotes"] == []


def test_a_syntax_error_in_on_points_into_its_text(deriv):
    ran = deriv("analyze", "x^2", "--on", "0:pi/")
    assert ran.code == 2
    assert ran.err == "error: --on: unexpected end of input (column 6)\n  0:pi/\n       ^\n"
