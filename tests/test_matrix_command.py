"""deriv matrix as a user runs it: the gradient in matrix form, the kinds and sizes it read,
the check it passed, and errors that say what to write instead. The gradients themselves are
checked against the books in test_matrix_calculus.py; here, what the command shows."""

import json

import pytest


def test_the_least_squares_gradient(deriv):
    ran = deriv("matrix", "norm(W x - y)^2", "--wrt", "W", "--format", "plain")
    assert ran.code == 0 and ran.out.splitlines() == [
        "f = ‖Wx - y‖²",
        "  W: n×m matrix, x: m-vector, y: n-vector",
        "∂f/∂W = 2(Wx - y)xᵀ",
        "✓ checked entry by entry at m = 3, n = 3",
    ]


def test_a_layer_by_weights_bias_and_input(deriv):
    """∂f/∂W = δxᵀ, ∂f/∂b = δ, ∂f/∂x = Wᵀδ with δ = 2(tanh(Wx + b) - y) ⊙ tanh′(Wx + b)."""
    ran = deriv(
        "matrix", "norm(tanh(W x + b) - y)^2",
        "--wrt", "W", "--wrt", "b", "--wrt", "x", "--vector", "b", "--format", "expr",
    )  # fmt: skip
    delta = "((tanh(W*x + b) - y) .* (1 - tanh(W*x + b)^2))"
    assert ran.out.splitlines() == [f"2*{delta}*x'", f"2*{delta}", f"2*W'*{delta}"]


def test_ascii_output_where_unicode_cannot_be_written(deriv_process):
    ran = deriv_process(
        "matrix", "x' A x", "--wrt", "x", "--format", "plain", env={"PYTHONIOENCODING": "ascii"}
    )
    assert ran.out.splitlines()[2] == "df/dx = (A + A')*x"


def test_declared_shapes_and_the_json_record(deriv):
    options = ["--wrt", "x", "--vector", "a", "--shape", "x=3", "--format", "json"]
    ran = deriv("matrix", "a'x", *options)
    record = json.loads(ran.out)
    assert record["result"] == {"x": "a"} and record["shapes"] == {"a": ["3", "1"], "x": ["3", "1"]}
    assert record["kinds"] == {"a": "vector", "x": "vector"} and record["check"]["max_error"] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (["x + W", "--wrt", "W"], "'+' needs equal shapes: nx1 and nxm"),
        (["tanh(W x + b)", "--wrt", "W"], "the scalar b and a vector or matrix"),
        (["W x", "--wrt", "W"], "f must be a scalar to have a gradient; it is nx1"),
        (["x'Ax", "--wrt", "x"], "write x' A x with spaces"),
        (["norm(x)^2", "--wrt", "c"], "--wrt c: it is not in f"),
        (["c norm(x)^2", "--wrt", "c"], "--wrt c: it is a scalar"),
        (["norm(x)^2"], "say which vector or matrix to differentiate by"),
        (["norm(W x)^2", "--wrt", "W", "--shape", "W=3y"], "--shape: write W=3x2"),
    ],
)
def test_errors_say_what_to_write(deriv, args, message):
    ran = deriv("matrix", *args)
    assert ran.code == 2 and message in ran.err and "Traceback" not in ran.err


@pytest.mark.parametrize(
    "function, wrt, shown",
    [
        ("norm(x)", "x", "∂f/∂x = (1/‖x‖)x"),  # x/‖x‖
        ("exp(-x'x)", "x", "∂f/∂x = -2·e^(-‖x‖²)x"),
        ("tr(X^3)", "X", "∂f/∂X = 3(Xᵀ)²"),
        ("det(inv(X))", "X", "∂f/∂X = -(1/det(X))X⁻ᵀ"),
    ],
)
def test_norms_roots_and_powers_read_as_written(deriv, function, wrt, shown):
    ran = deriv("matrix", function, "--wrt", wrt, "--format", "plain")
    assert ran.code == 0 and ran.out.splitlines()[2] == shown


def test_batch_lines_each_get_their_gradient(deriv_process):
    ran = deriv_process("matrix", "-", "--wrt", "x", "--format", "expr", stdin="norm(x)^2\nx +\n")
    assert ran.out == "2*x\n\n" and "line 2" in ran.err and ran.code == 2


def test_the_layer_agrees_with_deriv_grad_entry_by_entry():
    """The tutorial's bridge: ‖tanh(Wx + b) - y‖² for a 2×3 W written out as a scalar, its
    gradient by deriv grad, against deriv matrix's δxᵀ and δ at random values."""
    import random

    import sympy as sp

    from chainrule_cli import api

    rows, cols = 2, 3
    scalar = " + ".join(
        f"(tanh({' + '.join(f'W{i}{j}*x{j}' for j in range(cols))} + b{i}) - y{i})^2"
        for i in range(rows)
    )
    weights = [f"W{i}{j}" for i in range(rows) for j in range(cols)]
    biases = [f"b{i}" for i in range(rows)]
    by_grad = api.grad(scalar, vars=",".join(weights + biases))
    layer = api.matrix(
        "norm(tanh(W x + b) - y)^2", wrt=["W", "b"], vectors="b", shapes=f"W={rows}x{cols}"
    )
    rng = random.Random(3)
    values = {v: sp.Rational(rng.randint(-9, 9), 7) for v in by_grad.function.variables}
    names = {v.name: value for v, value in values.items()}
    explicit = {}
    for symbol in sp.Tuple(layer.expr).atoms(sp.MatrixSymbol):
        r, c = symbol.shape
        entry = (
            (lambda i, j, s=symbol: names[f"{s.name}{i}{j}"])
            if c != 1
            else (lambda i, j, s=symbol: names[f"{s.name}{i}"])
        )
        explicit[symbol] = sp.ImmutableMatrix(int(r), int(c), entry)
    from chainrule_cli.matrix_calculus import _explicit

    formulas = [_explicit(g, explicit) for g in layer.gradients]
    matrix_entries = list(formulas[0]) + list(formulas[1])
    grad_entries = [c.subs(values) for c in by_grad.components]
    for ours, theirs in zip(matrix_entries, grad_entries):
        assert abs(sp.N(ours - theirs, 30)) < 1e-25
