"""deriv matrix --at against one-sided difference quotients computed here, in mpmath, from f
written by hand for 2-vectors and 2×2 matrices: where both quotients of every entry meet, deriv
gives their value; where one side differs (a corner), is undefined or f has no value at the
point, deriv refuses (exit 1, never an internal error). The points are small integers, so they
land on kinks (‖x‖ at 0, relu and abs where an entry of their argument is 0) and on singular
matrices often.

For the functions below, f is differentiable at a point exactly where each partial derivative
exists (none has partials that exist along the axes only), so the quotients along the axes
decide both ways."""

from __future__ import annotations

import re

import mpmath as mp
import pytest
import sympy as sp
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from chainrule_cli import api
from chainrule_cli.errors import MathError

STEP = mp.mpf(10) ** -20
DIGITS = 50
TOLERANCE = 1e-9


def _norm(v):
    return mp.sqrt(sum(e**2 for e in v))


def _product(W, v):
    return [W[0][0] * v[0] + W[0][1] * v[1], W[1][0] * v[0] + W[1][1] * v[1]]


def _det(X):
    return X[0][0] * X[1][1] - X[0][1] * X[1][0]


def _inverse(X):
    det = _det(X)
    return [[X[1][1] / det, -X[0][1] / det], [-X[1][0] / det, X[0][0] / det]]


def _form(a, M, b):
    return sum(a[i] * M[i][j] * b[j] for i in (0, 1) for j in (0, 1))


def _minus(u, v):
    return [p - q for p, q in zip(u, v)]


def _relu(t):
    return max(mp.mpf(0), t)


# f as typed, its vectors (others by the convention), its variable, and f by hand in mpmath
# (a list: one entry for a scalar f)
CASES = [
    ("norm(x)", "x", lambda v: [_norm(v["x"])]),
    ("x'*x/norm(x)", "x", lambda v: [sum(e**2 for e in v["x"]) / _norm(v["x"])]),
    ("sum(relu(W*x))", "W", lambda v: [sum(_relu(e) for e in _product(v["W"], v["x"]))]),
    ("sum(relu(W*x))", "x", lambda v: [sum(_relu(e) for e in _product(v["W"], v["x"]))]),
    ("sum(abs(x - y))", "x", lambda v: [sum(abs(a - b) for a, b in zip(v["x"], v["y"]))]),
    ("sum(abs(x).^2)", "x", lambda v: [sum(abs(e) ** 2 for e in v["x"])]),
    ("sum(relu(x) .* x)", "x", lambda v: [sum(_relu(e) * e for e in v["x"])]),
    ("sum(sqrt(x))", "x", lambda v: [sum(mp.sqrt(e) for e in v["x"])]),
    ("det(X)", "X", lambda v: [_det(v["X"])]),
    ("logdet(X)", "X", lambda v: [mp.log(_det(v["X"]))]),
    ("a' inv(X) b", "X", lambda v: [_form(v["a"], _inverse(v["X"]), v["b"])]),
    ("norm(W x - y)^2", "W", lambda v: [_norm(_minus(_product(v["W"], v["x"]), v["y"])) ** 2]),
    ("relu(W x)", "x", lambda v: [_relu(e) for e in _product(v["W"], v["x"])]),
    ("tanh(W x)", "x", lambda v: [mp.tanh(e) for e in _product(v["W"], v["x"])]),
]  # fmt: skip


def _is_matrix(name: str) -> bool:
    return name[0].isupper()


def _names(f: str) -> list[str]:
    return sorted(set(re.findall(r"\b[WXxyab]\b", f)))


def _value(f_by_hand, values):  # type: ignore[no-untyped-def]
    """f at the values, or None where it has no real value."""
    try:
        found = f_by_hand(values)
    except ZeroDivisionError:
        return None
    if not all(isinstance(e, mp.mpf) and mp.isfinite(e) for e in found):
        return None
    return found


def _moved(values, name, index, step):  # type: ignore[no-untyped-def]
    moved = {n: [list(r) if isinstance(r, list) else r for r in v] for n, v in values.items()}
    if _is_matrix(name):
        i, j = index
        moved[name][i][j] += step
    else:
        moved[name][index] += step
    return moved


def _expected(f_by_hand, values, wrt):  # type: ignore[no-untyped-def]
    """Each ∂f_k/∂wrt entry from its two one-sided quotients; None where one has no value
    or they differ."""
    at = _value(f_by_hand, values)
    if at is None:
        return None
    indices = [(i, j) for i in (0, 1) for j in (0, 1)] if _is_matrix(wrt) else [0, 1]
    slopes = {}
    for index in indices:
        right = _value(f_by_hand, _moved(values, wrt, index, STEP))
        left = _value(f_by_hand, _moved(values, wrt, index, -STEP))
        if right is None or left is None:
            return None
        for k, (r, here, lo) in enumerate(zip(right, at, left)):
            from_right, from_left = (r - here) / STEP, (here - lo) / STEP
            if abs(from_right - from_left) > TOLERANCE * max(1, abs(from_right)):
                return None
            slopes[k, index] = from_right
    return slopes


def _found(result, wrt):  # type: ignore[no-untyped-def]
    """deriv's values as {(k, entry): value}: k the entry of f, as _expected keys them."""
    (rows,) = result.values
    numbers = [[float(sp.N(v.exact, 30)) for v in row] for row in rows]
    if result.is_jacobian:  # numerator layout: row k is f_k's gradient
        return {(k, j): numbers[k][j] for k in (0, 1) for j in (0, 1)}
    if _is_matrix(wrt):
        return {(0, (i, j)): numbers[i][j] for i in (0, 1) for j in (0, 1)}
    return {(0, i): numbers[i][0] for i in (0, 1)}


@st.composite
def points(draw):  # type: ignore[no-untyped-def]
    f, wrt, _ = draw(st.sampled_from(CASES))
    entry = st.integers(-2, 2)
    values = {}
    for name in _names(f):
        if _is_matrix(name):
            values[name] = [[draw(entry), draw(entry)], [draw(entry), draw(entry)]]
        else:
            values[name] = [draw(entry), draw(entry)]
    return f, wrt, values


@settings(
    max_examples=40,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow],
)
@given(points())
def test_values_at_points_are_the_one_sided_quotients_or_refused(case):
    judge(*case)


@pytest.mark.parametrize(
    "f, wrt, values",
    [
        ("norm(x)", "x", {"x": [0, 0]}),  # the cone's tip
        ("x'*x/norm(x)", "x", {"x": [0, 0]}),  # 0/0
        ("sum(relu(W*x))", "W", {"W": [[1, -1], [2, 3]], "x": [1, 1]}),  # Wx = [0, 5]
        ("sum(relu(W*x))", "W", {"W": [[1, -1], [2, 3]], "x": [0, 0]}),  # f = 0 for every W
        ("sum(abs(x - y))", "x", {"x": [1, 2], "y": [1, 0]}),
        ("det(X)", "X", {"X": [[1, 2], [2, 4]]}),  # singular, yet differentiable
        ("a' inv(X) b", "X", {"X": [[1, 2], [2, 4]], "a": [1, 0], "b": [0, 1]}),
        ("relu(W x)", "x", {"W": [[1, -1], [0, 0]], "x": [2, 2]}),  # f₁ on its corner
        ("relu(W x)", "x", {"W": [[1, -1], [0, 0]], "x": [2, 1]}),
    ],
)
def test_the_issues_points(f, wrt, values):
    """The points of issue 30, and a Jacobian's, as the property test judges them."""
    judge(f, wrt, values)


def judge(f: str, wrt: str, values: dict) -> None:
    """deriv's values are the quotients' where every entry's meet; otherwise deriv refuses."""
    by_hand = {(c[0], c[1]): c[2] for c in CASES}[f, wrt]
    with mp.workdps(DIGITS):
        expected = _expected(by_hand, {n: _mp(v) for n, v in values.items()}, wrt)
    at = ",".join(f"{n}={v}".replace(" ", "") for n, v in values.items())
    try:
        result = api.matrix(f, wrt=[wrt], vectors="a,b", at=at)
    except MathError:
        assert expected is None, f"{f} by {wrt} at {values}: refused, but the quotients meet"
        return
    assert expected is not None, f"{f} by {wrt} at {values}: a value where the quotients differ"
    found = _found(result, wrt)
    assert found.keys() == expected.keys()
    for key, slope in expected.items():
        assert abs(found[key] - float(slope)) <= 1e-8 * max(1.0, abs(float(slope))), (f, values)


def _mp(value):  # type: ignore[no-untyped-def]
    if isinstance(value[0], list):
        return [[mp.mpf(e) for e in row] for row in value]
    return [mp.mpf(e) for e in value]
