"""The matrix calculus engine (deriv matrix's core): each gradient against the identity as a
textbook writes it (The Matrix Cookbook, Petersen & Pedersen, edition of November 15, 2012, by
equation number: the numbers as the Lean formalisation github.com/eric-wieser/lean-matrix-cookbook
labels them, counted against the book's text; the backprop forms of a layer), and against SymPy's
scalar diff of every entry at random sizes and values.
Among them the cases where SymPy's MatrixSymbol.diff returns 0 (log det X, 2 det X, a loss
with a regulariser, a scalar function of a vector expression)."""

import random

import pytest
import sympy as sp
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix, DiagonalOf

from chainrule_cli.matrix_calculus import (
    TOLERANCE,
    _explicit,
    derivation,
    gradient,
    is_vector,
    jacobian,
    mismatch,
)

n, m = sp.symbols("n m", integer=True, positive=True)
a, x, z = (sp.MatrixSymbol(name, n, 1) for name in "axz")
b, y = (sp.MatrixSymbol(name, m, 1) for name in "by")
A, W = (sp.MatrixSymbol(name, m, n) for name in "AW")
B, C, X = (sp.MatrixSymbol(name, n, n) for name in "BCX")
t = sp.Dummy("t", real=True)


def elementwise(function, inner):
    return ElementwiseApplyFunction(sp.Lambda(t, function(t)), inner)


def agree(left, right, seed=1):
    """Two matrix expressions equal at random sizes and values (exact)."""
    rng = random.Random(seed)
    sizes = {n: rng.randint(2, 4), m: rng.randint(2, 4)}
    left, right = left.subs(sizes), right.subs(sizes)
    matrices = sorted(left.atoms(sp.MatrixSymbol) | right.atoms(sp.MatrixSymbol), key=str)
    explicit, values = {}, {}
    for matrix in matrices:
        name = matrix.name
        entries = sp.Matrix(*matrix.shape, lambda i, j, name=name: sp.Symbol(f"{name}{i}{j}"))
        explicit[matrix] = sp.ImmutableMatrix(entries)
        values.update({e: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5)) for e in entries})
    difference = (_explicit(left, explicit) - _explicit(right, explicit)).subs(values)
    return all(abs(sp.N(entry, 30)) < TOLERANCE for entry in difference)


tanh = sp.tanh
layer = elementwise(tanh, W * x + b)
slope = elementwise(lambda u: 1 - tanh(u) ** 2, W * x + b)
error = sp.HadamardProduct(slope, layer - y)  # the backpropagated error at the layer's input

IDENTITIES = [
    # (what, L, wrt, the gradient as the book writes it)
    ("Cookbook (69): ∂aᵀx/∂x = a", a.T * x, x, a),
    ("Cookbook (70): ∂aᵀXb/∂X = abᵀ", a.T * X * z, X, a * z.T),
    ("Cookbook (81): ∂xᵀBx/∂x = (B + Bᵀ)x", x.T * B * x, x, (B + B.T) * x),
    (
        "Cookbook (84) with W = I: ∂‖Ax - b‖²/∂x = 2Aᵀ(Ax - b)",
        (A * x - b).T * (A * x - b),
        x,
        2 * A.T * (A * x - b),
    ),
    ("Cookbook (101): ∂tr(AXB)/∂X = AᵀBᵀ", sp.Trace(B * X * C), X, B.T * C.T),
    ("Cookbook (57): ∂log det X/∂X = X⁻ᵀ", sp.log(sp.Determinant(X)), X, sp.Inverse(X).T),
    (
        "Cookbook (49): ∂det X/∂X = det X·X⁻ᵀ (here 2 det X)",
        2 * sp.Determinant(X),
        X,
        2 * sp.Determinant(X) * sp.Inverse(X).T,
    ),
    (
        "Cookbook (61): ∂aᵀX⁻¹b/∂X = -X⁻ᵀabᵀX⁻ᵀ",
        a.T * sp.Inverse(X) * z,
        X,
        -sp.Inverse(X).T * a * z.T * sp.Inverse(X).T,
    ),
    (
        "Cookbook (88) with W = I: ∂‖Wx - y‖²/∂W = 2(Wx - y)xᵀ",
        (W * x - y).T * (W * x - y),
        W,
        2 * (W * x - y) * x.T,
    ),
    (
        "a regularised loss: ½‖Wx - y‖² + ½‖W‖²",
        sp.Rational(1, 2) * sp.Trace((W * x - y).T * (W * x - y))
        + sp.Rational(1, 2) * sp.Trace(W.T * W),
        W,
        (W * x - y) * x.T + W,
    ),
    ("Cookbook (106): ∂tr(X²)/∂X = 2Xᵀ", sp.Trace(X * X), X, 2 * X.T),
    ("Cookbook (108): ∂tr(XᵀBX)/∂X = BX + BᵀX", sp.Trace(X.T * B * X), X, B * X + B.T * X),
    (
        "Cookbook (119): ∂tr((AXB + C)(AXB + C)ᵀ)/∂X = 2Aᵀ(AXB + C)Bᵀ",
        sp.Trace((B * X * C + A.T * W) * (B * X * C + A.T * W).T),
        X,
        2 * B.T * (B * X * C + A.T * W) * C.T,
    ),
    (
        "Cookbook (129): ∂‖x - a‖/∂x = (x - a)/‖x - a‖",
        sp.sqrt(sp.Trace((x - a).T * (x - a))),
        x,
        (x - a) / sp.sqrt(sp.Trace((x - a).T * (x - a))),
    ),
    ("Cookbook (131): ∂‖x‖²/∂x = 2x", sp.Trace(x.T * x), x, 2 * x),
    ("Cookbook (132): ∂‖X‖²_F/∂X = 2X", sp.Trace(X * X.T), X, 2 * X),
    ("tr((I - X)²)", sp.Trace((sp.Identity(n) - X) ** 2), X, 2 * (X - sp.Identity(n)).T),
    ("a layer's loss ‖tanh(Wx + b) - y‖² by W", (layer - y).T * (layer - y), W, 2 * error * x.T),
    ("... by b", (layer - y).T * (layer - y), b, 2 * error),
    ("... by x: the error passed back", (layer - y).T * (layer - y), x, 2 * W.T * error),
    (
        "a scalar of a vector expression: log Σ exp(x)",
        sp.log(sp.Trace(sp.OneMatrix(1, n) * elementwise(sp.exp, x))),
        x,
        elementwise(sp.exp, x) / sp.Trace(sp.OneMatrix(1, n) * elementwise(sp.exp, x)),
    ),
]


@pytest.mark.parametrize("what, L, wrt, book", IDENTITIES, ids=[i[0] for i in IDENTITIES])
def test_the_gradient_is_the_books(what, L, wrt, book):
    found = gradient(L, wrt).result
    assert found.shape == wrt.shape
    assert mismatch(L, wrt, book) < TOLERANCE  # the book's formula, in this layout, is right
    assert agree(found, book)
    assert mismatch(L, wrt, found) < TOLERANCE


def test_a_scalar_function_must_be_a_scalar():
    with pytest.raises(ValueError, match="scalar"):
        gradient(W * x, x)


FUNCTIONS = [sp.tanh, sp.sin, sp.exp, lambda u: u**2]


@st.composite
def vectors(draw):
    """A vector of shape (m, 1) from the grammar: Wx + b, elementwise functions, Hadamard
    products, sums and multiples."""

    def vector(depth):
        if depth == 0 or draw(st.booleans()):
            return draw(st.sampled_from([W * x + b, W * x, b, y]))
        kind = draw(st.sampled_from(["f", "hadamard", "sum", "scaled"]))
        if kind == "f":
            return elementwise(draw(st.sampled_from(FUNCTIONS)), vector(depth - 1))
        if kind == "hadamard":
            return sp.HadamardProduct(vector(depth - 1), vector(depth - 1))
        if kind == "sum":
            return vector(depth - 1) + vector(depth - 1)
        return draw(st.sampled_from([2, -3, sp.Rational(1, 2)])) * vector(depth - 1)

    return vector(3)


@st.composite
def losses(draw):
    """A scalar from the grammar: yᵀv, vᵀv or Σ v of a vector v."""
    v = draw(vectors())
    return draw(st.sampled_from([y.T * v, v.T * v, sp.OneMatrix(1, m) * v]))


@settings(max_examples=10, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(losses(), st.sampled_from([W, x, b]), st.integers(0, 10**6))
def test_every_gradient_agrees_with_its_entries(L, wrt, seed):
    assert mismatch(L, wrt, gradient(L, wrt).result, seed=seed) < TOLERANCE


@pytest.mark.parametrize(
    "L, wrt, textbook",
    [
        ((W * x - y).T * (W * x - y), W, "2*(W*x - y)*x.T"),
        ((A * x - b).T * (A * x - b), x, "2*A.T*(A*x - b)"),
        (x.T * B * x, x, "(B + B.T)*x"),
    ],
)
def test_common_factors_are_taken_out_as_a_textbook_does(L, wrt, textbook):
    assert str(gradient(L, wrt).result) == textbook


norm = sp.sqrt(sp.Trace((x - a).T * (x - a)))
JACOBIANS = [
    # (what, f, wrt, the Jacobian in numerator layout, as the book writes it)
    ("∂(Wx)/∂x = W", W * x, x, W),
    ("∂(Wx + b)/∂b = I", W * x + b, b, sp.Identity(m)),
    (
        "Cookbook (130): ∂((x - a)/‖x - a‖)/∂x = I/‖x - a‖ - (x - a)(x - a)ᵀ/‖x - a‖³",
        (x - a) / norm,
        x,
        sp.Identity(n) / norm - (x - a) * (x - a).T / norm**3,
    ),
    (
        "∂((aᵀx)x)/∂x = xaᵀ + (aᵀx)I",
        sp.Trace(a.T * x) * x,
        x,
        x * a.T + sp.Trace(a.T * x) * sp.Identity(n),
    ),
    (
        "a layer: ∂tanh(Wx + b)/∂x = diag(tanh′(Wx + b))W",
        layer,
        x,
        DiagMatrix(slope) * W,
    ),
]


@pytest.mark.parametrize("what, f, wrt, book", JACOBIANS, ids=[j[0] for j in JACOBIANS])
def test_the_jacobian_is_the_books_in_either_layout(what, f, wrt, book):
    numerator = jacobian(f, wrt)
    assert numerator.shape == (f.shape[0], wrt.shape[0])
    assert mismatch(f, wrt, book) < TOLERANCE  # the book's formula is right, entry by entry
    assert agree(numerator, book)
    denominator = jacobian(f, wrt, "denominator")
    assert agree(denominator, book.T)
    assert mismatch(f, wrt, denominator, layout="denominator") < TOLERANCE


@settings(max_examples=5, deadline=None, phases=[Phase.explicit, Phase.generate])
@given(vectors(), st.sampled_from([x, b]), st.integers(0, 10**6))
def test_every_jacobian_agrees_with_its_entries(v, wrt, seed):
    assert mismatch(v, wrt, jacobian(v, wrt), seed=seed) < TOLERANCE


def directional(of, X, D, values, sizes):
    """d/dt of(X + t·D) at t = 0, entry by entry, by SymPy's scalar diff: the differential
    of `of` in the direction D, computed without deriv's rules."""
    t_ = sp.Symbol("t")
    moved = {**values, X.subs(sizes): values[X.subs(sizes)] + t_ * D}
    at = _explicit(of.subs(sizes), moved)
    at = at if isinstance(at, sp.MatrixBase) else sp.ImmutableMatrix([[at]])
    return at.diff(t_).subs(t_, 0)


@pytest.mark.parametrize(
    "L, X",
    [
        ((W * x - y).T * (W * x - y), W),
        (sp.log(sp.Determinant(X)) + sp.Trace(X.T * X) / 2, X),
        ((layer - y).T * (layer - y), x),
        (layer, x),
    ],
)
def test_each_step_is_the_differential_of_its_part(L, X):
    """Every line of --steps, d(part) = ..., against the directional derivative of that part."""
    found = jacobian(L, X) if is_vector(L) else gradient(L, X).result
    rules = derivation(L, X, found)
    assert len(rules) > 2 and [r.rule for r in rules][-1] == "identification"
    rng = random.Random(5)
    sizes = {n: 3, m: 2}
    matrices = L.atoms(sp.MatrixSymbol) | {X}
    values = {
        M.subs(sizes): sp.ImmutableMatrix(
            *M.subs(sizes).shape, lambda i, j: sp.Rational(rng.randint(-9, 9), rng.randint(1, 5))
        )
        for M in matrices
    }
    D = sp.ImmutableMatrix(*X.subs(sizes).shape, lambda i, j: rng.randint(-3, 3))
    dX = sp.MatrixSymbol(f"d{X.name}", *X.shape).subs(sizes)
    for rule in rules:
        of = L if rule.of is None else rule.of
        stated = _explicit(rule.result.subs(sizes), {**values, dX: D})
        stated = stated if isinstance(stated, sp.MatrixBase) else sp.ImmutableMatrix([[stated]])
        difference = stated - directional(of, X, D, values, sizes)
        assert all(abs(sp.N(e, 30)) < TOLERANCE for e in difference), rule


DIAGONALS_AND_CORNERS = [
    # (what, L, wrt, the gradient by hand)
    (
        "aᵀdiag(x)b = Σ aᵢxᵢbᵢ, so ∂/∂xᵢ = aᵢbᵢ",
        a.T * DiagMatrix(x) * z,
        x,
        sp.HadamardProduct(a, z),
    ),
    ("tr(diag(x)B) = Σ xᵢBᵢᵢ, so ∂/∂xᵢ = Bᵢᵢ", sp.Trace(DiagMatrix(x) * B), x, DiagonalOf(B)),
    (
        "Σ relu(Wx + b): ∂/∂W = step(Wx + b)xᵀ",
        sp.OneMatrix(1, m) * elementwise(lambda u: sp.Max(0, u), W * x + b),
        W,
        elementwise(sp.Heaviside, W * x + b) * x.T,
    ),
    (
        "Σ |x - a|: ∂/∂x = sign(x - a)",
        sp.OneMatrix(1, n) * elementwise(sp.Abs, x - a),
        x,
        elementwise(sp.sign, x - a),
    ),
]


@pytest.mark.parametrize(
    "what, L, wrt, by_hand", DIAGONALS_AND_CORNERS, ids=[d[0] for d in DIAGONALS_AND_CORNERS]
)
def test_diag_relu_and_abs(what, L, wrt, by_hand):
    found = gradient(L, wrt).result
    assert mismatch(L, wrt, by_hand) < TOLERANCE
    assert agree(found, by_hand)
    assert mismatch(L, wrt, found) < TOLERANCE


def test_a_derivative_spelled_out_is_the_same_matrix():
    """1 - tanh(U)² as 𝟙 - tanh(U)^∘2, (1 - σ(U))σ(U) as (𝟙 - σ(U)) ⊙ σ(U): equal entries."""
    from chainrule_cli.functions import Sigmoid
    from chainrule_cli.matrix_shared import spelled

    for body in (lambda u: 1 - tanh(u) ** 2, lambda u: (1 - Sigmoid(u)) * Sigmoid(u)):
        written = elementwise(body, W * x + b)
        assert spelled(written) != written and agree(spelled(written), written)
