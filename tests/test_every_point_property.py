"""Generated kinks, decimal ones inside exp, sin and tanh among them: at each, diff and grad
(and implicit) agree with the one-sided difference quotients that mpmath computes at 50 digits from
the same function, written here a second time in mpmath: where both sides meet, deriv gives
their value; where they differ, jump or blow up, deriv refuses."""

import mpmath as mp
from hypothesis import given, settings
from hypothesis import strategies as st

from chainrule_cli import api
from chainrule_cli.errors import DerivError

mp.mp.dps = 50
STEP = mp.mpf("1e-20")

# Inner functions that vanish at x = c: (text, mpmath), c a decimal typed into the text.
INNER = [
    ("exp(x - {c}) - 1", lambda x, c: mp.exp(x - c) - 1),
    ("sin(x) - sin({c})", lambda x, c: mp.sin(x) - mp.sin(c)),
    ("tanh(x - {c})", lambda x, c: mp.tanh(x - c)),
    ("x^3 - ({c})^3", lambda x, c: x**3 - c**3),
]
# Outer functions with a kink at 0: a corner, a jump, a vertical tangent, and a kink that is
# not one (u·|u| is differentiable).
OUTER = [
    ("abs({u})", lambda u: abs(u)),
    ("relu({u})", lambda u: max(u, 0)),
    ("sign({u})", lambda u: mp.sign(u)),
    ("cbrt({u})", lambda u: mp.cbrt(u) if u >= 0 else -mp.cbrt(-u)),
    ("({u})*abs({u})", lambda u: u * abs(u)),
    ("2({u}) + x^2", None),  # smooth: no kink at all
]
DECIMALS = ["0.3", "1.25", "-0.7", "2.05", "0.001", "-1.5"]


def built(inner, outer, c):  # type: ignore[no-untyped-def]
    text = outer[0].format(u=inner[0].format(c=c))
    if outer[1] is None:
        return text, lambda x: 2 * inner[1](x, mp.mpf(c)) + x**2
    return text, lambda x: outer[1](inner[1](x, mp.mpf(c)))


def quotients(f, a):  # type: ignore[no-untyped-def]
    return [(f(a + s * STEP) - f(a)) / (s * STEP) for s in (-1, 1)]


def expected(f, a):  # type: ignore[no-untyped-def]
    """The derivative where the one-sided quotients meet and stay finite, else None."""
    left, right = quotients(f, a)
    if abs(left) > 1e10 or abs(right) > 1e10:
        return None
    if abs(left - right) > mp.mpf("1e-12") * max(1, abs(left)):
        return None
    return (left + right) / 2


def agrees(value, want) -> bool:  # type: ignore[no-untyped-def]
    return abs(mp.mpf(str(value.approx)) - want) <= mp.mpf("1e-9") * max(1, abs(want))


@settings(max_examples=12)
@given(st.sampled_from(INNER), st.sampled_from(OUTER), st.sampled_from(DECIMALS))
def test_diff_and_grad_at_a_decimal_kink(inner, outer, c):
    text, f = built(inner, outer, c)
    for at in (c, f"{c} + 0.25"):
        a = mp.mpf(eval_decimal(at))
        want = expected(f, a)
        derivative = api.diff(text, at=f"x={at}")
        gradient = api.grad(f"{text} + y", at=f"x={at},y=1")
        if want is None:
            assert derivative.failure is not None, (text, at)
            assert gradient.failure is not None, (text, at)
        else:
            assert derivative.failure is None and agrees(derivative.value, want), (text, at)
            assert gradient.failure is None and agrees(gradient.values[0], want), (text, at)


def eval_decimal(text: str) -> str:
    """ "c + 0.25" in mpmath's own reading, never deriv's."""
    parts = [mp.mpf(p) for p in text.split(" + ")]
    return str(sum(parts))


@settings(max_examples=5)
@given(st.sampled_from(INNER), st.sampled_from(DECIMALS))
def test_implicit_at_a_decimal_kink_is_the_explicit_derivative(inner, c):
    # y = |g(x)| with g(c) = 0: dy/dx there is a corner unless g'(c) = 0
    text = "y = abs(" + inner[0].format(c=c) + ")"
    f = lambda x: abs(inner[1](x, mp.mpf(c)))  # noqa: E731
    want = expected(f, mp.mpf(c))
    try:
        result = api.implicit(text, at=f"x={c},y=0")
    except DerivError:
        assert want is None
        return
    assert (result.failure is not None) == (want is None), text
    if want is not None:
        assert agrees(result.value, want)
