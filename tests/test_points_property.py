"""deriv's verdict at a point agrees with the definition of the derivative.

Functions are generated as small trees of |u|, sign(u), cbrt(u), sin(u), u², u + v and u·v over
x and shifts x - c; points include every c, where the kinks are. The oracle evaluates the tree
with mpmath at 60 digits (nothing of SymPy or deriv) and takes one-sided difference quotients at
h = 1e-12, 1e-18, 1e-24: where they settle on one number, deriv must print it; where they settle
apart or grow without bound, deriv must say there is no derivative.
"""

import mpmath
import sympy as sp
from hypothesis import assume, given
from hypothesis import strategies as st

from chainrule_cli.calculus import derivative, function_of
from chainrule_cli.parser import parse_with_domain

SHIFTS = (-1, 0, 1, 2)
STEPS = (mpmath.mpf("1e-12"), mpmath.mpf("1e-18"), mpmath.mpf("1e-24"))


def leaves():
    return st.one_of(
        st.just(("x",)),
        st.sampled_from(SHIFTS).map(lambda c: ("shift", c)),
        st.integers(-3, 3).map(lambda c: ("const", c)),
    )


def grow(children):
    one = st.sampled_from(["abs", "sign", "cbrt", "sin", "square"])
    two = st.sampled_from(["add", "mul"])
    return st.one_of(
        st.tuples(one, children),
        st.tuples(two, children, children),
    )


TREES = st.recursive(leaves(), grow, max_leaves=5)


def text(tree) -> str:
    kind, *args = tree
    if kind == "x":
        return "x"
    if kind == "shift":
        return f"(x - {args[0]})"
    if kind == "const":
        return f"({args[0]})"
    if kind == "square":
        return f"({text(args[0])})^2"
    if kind == "add":
        return f"({text(args[0])} + {text(args[1])})"
    if kind == "mul":
        return f"({text(args[0])})*({text(args[1])})"
    return f"{kind}({text(args[0])})"


def value(tree, x):
    kind, *args = tree
    if kind == "x":
        return x
    if kind == "shift":
        return x - args[0]
    if kind == "const":
        return mpmath.mpf(args[0])
    inner = [value(a, x) for a in args]
    if kind == "abs":
        return abs(inner[0])
    if kind == "sign":
        return mpmath.sign(inner[0])
    if kind == "cbrt":
        u = inner[0]
        return mpmath.sign(u) * abs(u) ** (mpmath.mpf(1) / 3)
    if kind == "sin":
        return mpmath.sin(inner[0])
    if kind == "square":
        return inner[0] ** 2
    return inner[0] + inner[1] if kind == "add" else inner[0] * inner[1]


def one_sided(tree, a, side):
    """The quotients (f(a + s·h) - f(a)) / (s·h) at shrinking h."""
    with mpmath.workdps(60):
        fa = value(tree, a)
        return [(value(tree, a + side * h) - fa) / (side * h) for h in STEPS]


def settles(quotients) -> bool:
    return abs(quotients[-1] - quotients[-2]) <= mpmath.mpf("1e-6") * max(1, abs(quotients[-1]))


def grows(quotients) -> bool:
    return abs(quotients[-1]) > 1e6 and abs(quotients[-1]) > 100 * abs(quotients[-2])


@given(TREES, st.sampled_from([*SHIFTS, sp.Rational(1, 3)]))
def test_verdict_agrees_with_the_difference_quotients(tree, at):
    typed = text(tree)
    expr, domain = parse_with_domain(typed)
    assume(expr.free_symbols)
    function = function_of(expr, domain)
    (x,) = function.variables
    result = derivative(function, (x,), ((x, sp.Integer(at) if isinstance(at, int) else at),))
    a = mpmath.mpf(at.p) / at.q if isinstance(at, sp.Rational) else mpmath.mpf(at)
    left, right = one_sided(tree, a, -1), one_sided(tree, a, 1)
    if settles(left) and settles(right):
        gap = abs(left[-1] - right[-1])
        if gap <= mpmath.mpf("1e-6") * max(1, abs(right[-1])):
            assert result.failure is None, (typed, at, result.failure)
            assert abs(float(result.value.approx) - float(right[-1])) <= 1e-6 * max(
                1, abs(float(right[-1]))
            ), (typed, at)
            return
        assume(gap > mpmath.mpf("1e-3"))
        assert result.value is None and result.failure is not None, (typed, at)
        return
    assume(grows(left) or grows(right))
    assert result.value is None and result.failure is not None, (typed, at)
