"""deriv matrix's input: the text people write for vectors and matrices, read by deriv's own
parser into the matrix expression it means (written here by hand), with sizes inferred, and
errors that show the shapes and point at the column."""

import pytest
import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction

from chainrule_cli.errors import ParseError
from chainrule_cli.matrix_calculus import TOLERANCE, gradient, mismatch
from chainrule_cli.matrix_parser import Kinds, parse_matrix, parse_matrix_typed

KINDS = Kinds(matrices=frozenset("WAXB"), vectors=frozenset("xyba"))
n, m, p = sp.symbols("n m p", integer=True, positive=True)


def shapes(expr):
    return {s.name: s.shape for s in expr.atoms(sp.MatrixSymbol)}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("a'x", {"a": (n, 1), "x": (n, 1)}),
        ("xᵀ B x", {"x": (n, 1), "B": (n, n)}),
        ("x^T B x", {"x": (n, 1), "B": (n, n)}),
        ("norm(W x - y)^2", {"W": (n, m), "x": (m, 1), "y": (n, 1)}),
        ("tr(A X B)", {"A": (n, m), "X": (m, p), "B": (p, n)}),  # only AXB is square
    ],
)
def test_sizes_are_inferred_from_the_operations(text, expected):
    assert shapes(parse_matrix(text, KINDS)) == expected


def test_a_declared_shape_is_kept():
    kinds = Kinds(matrices=frozenset("W"), vectors=frozenset("x"), shapes={"W": (3, 2)})
    assert shapes(parse_matrix("W x", kinds)) == {"W": (3, 2), "x": (2, 1)}


def test_what_it_reads():
    x = sp.MatrixSymbol("x", m, 1)
    W = sp.MatrixSymbol("W", n, m)
    b = sp.MatrixSymbol("b", n, 1)
    read = parse_matrix("tanh(W x + b) .* b", KINDS)
    assert isinstance(read, sp.HadamardProduct)
    (layer,) = [a for a in read.args if isinstance(a, ElementwiseApplyFunction)]
    assert layer.expr == W * x + b and layer.function(sp.Integer(0)) == 0
    assert parse_matrix("2 det(X) + logdet(X)", KINDS).has(sp.Determinant)


@pytest.mark.parametrize(
    "text, message, column",
    [
        ("x + W", "'+' needs equal shapes: nx1 and nxm", 3),
        ("W x + y'", "'+' needs equal shapes: nx1 and 1xp", 5),
        ("x .* W", "'.*' needs equal shapes", 3),
        ("inv(x)", "inv needs a square matrix", 1),
        ("W / x", "dividing by a vector or matrix", 3),
        ("foo(x)", "unknown function 'foo'", 1),
        ("(W x", "never closed", 5),
        ("tr(2)", "tr needs a vector or a matrix", 1),
    ],
)
def test_errors_show_the_shapes_and_the_column(text, message, column):
    with pytest.raises(ParseError) as failure:
        parse_matrix(text, KINDS)
    assert message in failure.value.message and failure.value.start + 1 == column


@pytest.mark.parametrize(
    "text, wrt",
    [
        ("a'x", "x"),
        ("x' B x", "x"),
        ("norm(A x - b)^2", "x"),
        ("tr(A X B)", "X"),
        ("logdet(X)", "X"),
        ("a' inv(X) a", "X"),
        ("0.5 norm(W x - y)^2 + 0.5 norm(W)^2", "W"),
        ("norm(tanh(W x + b) - y)^2", "W"),
        ("log(sum(exp(x)))", "x"),
        ("sum(sigmoid(W x) ./ (W x))", "W"),
        ("tr((I - X)^2)", "X"),
    ],
)
def test_typed_losses_have_gradients_that_check(text, wrt):
    expr = parse_matrix(text, KINDS)
    (symbol,) = [s for s in expr.atoms(sp.MatrixSymbol) if s.name == wrt]
    found = gradient(expr, symbol).result
    assert found.shape == symbol.shape and mismatch(expr, symbol, found) < TOLERANCE


@pytest.mark.parametrize(
    "text, conditions, kinks",
    [  # (name, argument, relation), written by hand with sizes n
        ("x'*x/norm(x)", [("/", "sqrt(Trace(x.T*x))", "!= 0")], [("norm", "Trace(x.T*x)", "> 0")]),
        ("logdet(X)", [("log", "Determinant(X)", "> 0")], []),
        ("a' inv(X) b", [("/", "Determinant(X)", "!= 0")], []),
        ("X^-T", [("/", "Determinant(X)", "!= 0")], []),
        ("sum(x ./ y)", [("/", "y", "!= 0")], []),
        ("sum(x.^-2)", [("/", "x", "!= 0")], []),
        ("sum(log(x))", [("log", "x", "> 0")], []),
        ("sum(sqrt(x))", [("sqrt", "x", ">= 0")], [("sqrt", "x", "> 0")]),
        ("sum(relu(W x + b))", [], [("relu", "W*x + b", "!= 0")]),
        ("sum(abs(x))", [], [("abs", "x", "!= 0")]),
        ("norm(X)^2", [], [("norm", "Trace(X.T*X)", "> 0")]),  # a cone point at X = 0
        ("exp(-x'x)", [], []),
    ],
)  # fmt: skip
def test_what_f_needs_as_typed_is_recorded(text, conditions, kinks):
    """SymPy reads xᵀx/‖x‖ as ‖x‖: the parser keeps ‖x‖ != 0 (and each other requirement, on a
    whole vector or matrix) for deriv matrix --at to check entry by entry."""
    _, typed = parse_matrix_typed(text, KINDS)
    assert [(c.name, str(c.arg), c.relation) for c in typed.conditions] == conditions
    assert [(k.name, str(k.arg), k.holds) for k in typed.kinks] == kinks
