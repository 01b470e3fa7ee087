"""deriv matrix as a user runs it: the gradient in matrix form, the kinds and sizes it read,
the check it passed, and errors that say what to write instead. The gradients themselves are
checked against the books in test_matrix_calculus.py; here, what the command shows."""

import json
import random

import pytest
import sympy as sp


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
    delta = "((tanh(W*x + b) - y) .* (ones - tanh(W*x + b).^2))"
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
        (["W x", "--wrt", "W"], "∂f/∂W of a vector f by a matrix is a third-order tensor"),
        (["W", "--wrt", "W"], "f must be a scalar (for a gradient) or a column vector"),
        (["norm(W x)^2", "--wrt", "W", "--at", "W=[[1,2],[3,4]]"], "--at gives no value for x"),
        (["norm(W x)^2", "--wrt", "W", "--at", "W=[[1,2]],x=[1,2,3]"], "x is a 3-vector, but f"),
        (["norm(W x)^2", "--wrt", "W", "--at", "W=[[1,2]],x=[1]"], "x is a 1-vector, but f"),
        (["norm(x)^2", "--wrt", "x", "--at", "x=[1,2],z=3"], "--at: z is not in f"),
        (["c*norm(x)^2", "--wrt", "x", "--at", "x=[1,2],c=[1]"], "c is a scalar, not a"),
        (["norm(x)^2", "--wrt", "x", "--at", "x=[[1,2],[3]]"], "rows of a matrix must have"),
        (["norm(x)^2", "--wrt", "x", "--at", "x=[1,y]"], "each entry must be a number"),
        (["logdet(x x')", "--wrt", "x"], "f has no value at any of five random points"),
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
        ("norm(x)", "x", "∂f/∂x = x/‖x‖"),
        ("exp(-x'x)", "x", "∂f/∂x = -2·e^(-‖x‖²)x"),
        ("tr(X^3)", "X", "∂f/∂X = 3(Xᵀ)²"),
        ("det(inv(X))", "X", "∂f/∂X = -X⁻ᵀ/det(X)"),
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


def test_a_jacobian_in_numerator_layout_by_default(deriv):
    """d tanh(Wx + b) = tanh′(Wx + b) ⊙ (W dx): J = diag(1 - tanh²(Wx + b))·W, len f × len x."""
    ran = deriv("matrix", "tanh(W x + b)", "--vector", "b", "--wrt", "x", "--format", "plain")
    assert ran.code == 0 and ran.out.splitlines()[2:4] == [
        "∂f/∂x = diag(1 - tanh(Wx + b)²)W",
        "  numerator layout: entry (i, j) is ∂f_i/∂x_j, a row for each entry of f",
    ]


def test_the_denominator_layout_is_the_transpose(deriv):
    ran = deriv("matrix", "W x", "--wrt", "x", "--layout", "denominator", "--format", "json")
    record = json.loads(ran.out)
    assert record["result"] == {"x": "W'"} and record["layout"] == "denominator"
    assert record["result_shapes"] == {"x": ["m", "n"]}


def test_a_gradient_has_its_variables_shape_in_either_layout(deriv):
    for layout in ("numerator", "denominator"):
        ran = deriv("matrix", "a'x", "--vector", "a", "--wrt", "x", "--layout", layout)
        assert "∂f/∂x = a" in ran.out


def test_values_at_numeric_matrices(deriv):
    """At W = [[1,2],[3,4]], x = [1,1], y = [0,1]: Wx - y = [3, 6], so f = 9 + 36 = 45,
    2(Wx - y)xᵀ = [[6,6],[12,12]] and 2Wᵀ(Wx - y) = 2·[1·3 + 3·6, 2·3 + 4·6] = [42, 60]."""
    at = ["--at", "W=[[1,2],[3,4]],x=[1,1],y=[0,1]"]
    ran = deriv("matrix", "norm(W x - y)^2", "--wrt", "W", "--wrt", "x", *at, "--format", "json")
    record = json.loads(ran.out)
    assert record["function_value"] == 45
    assert record["value"] == {"W": [[6, 6], [12, 12]], "x": [42, 60]}
    assert record["at"] == {"W": [["1", "2"], ["3", "4"]], "x": ["1", "1"], "y": ["0", "1"]}
    expr = deriv("matrix", "norm(W x - y)^2", "--wrt", "W", "--wrt", "x", *at, "--format", "expr")
    assert expr.out.splitlines() == ["[[6, 6], [12, 12]]", "[42, 60]"]


def test_values_are_exact(deriv):
    """log det X at X = [[2,1],[1,1]] (det 1): f = 0 and X⁻ᵀ = [[1,-1],[-1,2]]; a'X⁻¹b at
    X = [[2,0],[0,4]], a = b = [1,1]: 1/2 + 1/4, gradient -X⁻ᵀabᵀX⁻ᵀ = -[[1/4,1/8],[1/8,1/16]]."""
    ran = deriv("matrix", "logdet(X)", "--wrt", "X", "--at", "X=[[2,1],[1,1]]", "--format", "json")
    assert json.loads(ran.out)["value"] == {"X": [[1, -1], [-1, 2]]}
    at = ["--at", "X=[[2,0],[0,4]],a=[1,1],b=[1,1]"]
    ran = deriv("matrix", "a' inv(X) b", "--vector", "a,b", "--wrt", "X", *at, "--format", "json")
    record = json.loads(ran.out)
    assert record["function_value"] == 0.75
    assert record["value_exact"] == {"X": [["-1/4", "-1/8"], ["-1/8", "-1/16"]]}


def test_a_jacobian_at_a_point(deriv):
    """tanh(Wx) at W = I, x = 0: tanh′(0) = 1, so J = I."""
    at = ["--at", "W=[[1,0],[0,1]],x=[0,0]"]
    ran = deriv("matrix", "tanh(W x)", "--wrt", "x", *at, "--format", "json")
    record = json.loads(ran.out)
    assert record["function_value"] == [0, 0] and record["value"] == {"x": [[1, 0], [0, 1]]}


@pytest.mark.parametrize(
    "f, at, message",
    [
        ("logdet(X)", "X=[[1,2],[3,4]]", "f is not real at X = [[1, 2], [3, 4]]: log needs a "
         "positive argument, log(-2)"),
        ("a' inv(X) b", "X=[[1,2],[2,4]],a=[1,0],b=[0,1]",
         "f is not defined at X = [[1, 2], [2, 4]], a = [1, 0], b = [0, 1]: division by zero "
         "(det(X) = 0 there)"),
    ],
)  # fmt: skip
def test_no_value_where_f_is_undefined(deriv, f, at, message):
    """det [[1,2],[3,4]] = -2: log det is not real; [[1,2],[2,4]] is singular (det 4 - 4 = 0),
    and X⁻¹ = adj(X)/det X."""
    ran = deriv("matrix", f, "--vector", "a,b", "--wrt", "X", "--at", at)
    assert ran.code == 1 and message in ran.err and ran.out == ""  # as diff "log(x)" --at x=-1


def test_steps_show_the_differential_rule_by_rule(deriv):
    """Each line's differential is checked against the directional derivative of its part in
    test_matrix_calculus.py; here, how the derivation reads."""
    ran = deriv("matrix", "norm(W x - y)^2", "--wrt", "W", "--steps", "--format", "plain")
    assert ran.code == 0 and ran.out.splitlines()[2:11] == [
        "trace: d(‖Wx - y‖²) = xᵀ·dWᵀ·(Wx - y) + (Wx - y)ᵀ·dW·x",
        "  product rule: d((Wx - y)ᵀ(Wx - y)) = xᵀ·dWᵀ·(Wx - y) + (Wx - y)ᵀ·dW·x",
        "    sum: d((Wx - y)ᵀ) = (dW·x)ᵀ",
        "      product rule: d(xᵀWᵀ) = (dW·x)ᵀ",
        "        transpose: d(Wᵀ) = dWᵀ",
        "    sum: d(Wx - y) = dW·x",
        "      product rule: d(Wx) = dW·x",
        "identification: df = tr(2x(Wx - y)ᵀ·dW)",
        "∂f/∂W = 2(Wx - y)xᵀ",
    ]


def test_steps_in_json_name_each_rule_and_its_formula(deriv):
    ran = deriv("matrix", "logdet(X)", "--wrt", "X", "--steps", "--format", "json")
    steps = json.loads(ran.out)["steps"]["X"]
    assert [s["rule"] for s in steps] == ["chain rule", "determinant", "identification"]
    assert steps[1]["formula"] == "d det A = det A·tr(A⁻¹·dA)"
    assert steps[-1]["of"] is None and steps[-1]["differential"] == "tr(X^-1*dX)"


def test_relu_holds_off_its_corners_and_refuses_at_one(deriv):
    """Wx + b = [1·1 - 1·1 + b₁, 2·1 + b₂]: with b = [0, 1] its first entry is 0, a corner."""
    args = ["matrix", "sum(relu(W x + b))", "--vector", "b", "--wrt", "W"]
    ran = deriv(*args, "--format", "plain")
    assert "  holds where no entry of Wx + b is 0 (relu has a corner there)" in ran.out
    corner = deriv(*args, "--at", "W=[[1,-1],[2,0]],x=[1,1],b=[0,1]")
    assert corner.code == 1 and corner.out == ""
    assert corner.err == (  # relu(W₁₁ + W₁₂ + 0): slope 0 for W₁₁ < 1, 1 above
        "error: ∂f/∂W₁₁ does not exist at W = [[1, -1], [2, 0]], b = [0, 1], x = [1, 1]: "
        "slope 0 from the left, 1 from the right\n"
    )
    off = deriv(*args, "--at", "W=[[1,-1],[2,0]],x=[1,1],b=[1,1]", "--format", "json")
    assert json.loads(off.out)["value"] == {"W": [[1, 1], [1, 1]]}  # both neurons active: xᵀ


def test_diag_of_a_vector(deriv):
    ran = deriv("matrix", "a' diag(x) b", "--vector", "a,b", "--wrt", "x", "--format", "expr")
    assert ran.out == "a .* b\n"


def test_cse_names_the_forward_value_and_the_error_once(deriv):
    """The layer's forward value a = tanh(Wx + b) and error δ = (a - y) ⊙ (1 - a²), each
    named once; the names put back are checked entry by entry like any result."""
    ran = deriv(
        "matrix", "norm(tanh(W x + b) - y)^2",
        "--wrt", "W", "--wrt", "b", "--wrt", "x", "--vector", "b", "--cse", "--format", "expr",
    )  # fmt: skip
    assert ran.out.splitlines() == [
        "c0 = tanh(W*x + b)",
        "c1 = (c0 - y) .* (ones - c0.^2)",
        "2*c1*x'",
        "2*c1",
        "2*W'*c1",
    ]
    record = json.loads(deriv("matrix", "norm(sigmoid(W x) - y)^2", "--wrt", "W", "--cse",
                              "--format", "json").out)  # fmt: skip
    assert record["definitions"][0] == ["c0", "sigmoid(W*x)"]


READ_BACK = [
    ("logdet(X)", "X"),
    ("a' inv(X) b", "X"),
    ("norm(tanh(W x + b) - y)^2", "W"),
    ("norm(sigmoid(W x) - y)^2", "x"),
    ("log(sum(exp(x)))", "x"),
    ("sum(relu(W x + b))", "W"),
    ("sum(abs(x - y))", "x"),
    ("norm(x - y)", "x"),
    ("tr(X^3)", "X"),
    ("sum(x ./ y)", "y"),
    ("sum(log(x)) + sum(sqrt(y))", "y"),
    ("tanh(W x + b)", "x"),
]


@pytest.mark.parametrize("f, wrt", READ_BACK)
def test_expr_output_reads_back_as_the_same_matrix(f, wrt):
    """--format expr prints what deriv matrix reads: parsed again, every entry is the same."""
    from chainrule_cli import api
    from chainrule_cli.matrix_calculus import _explicit
    from chainrule_cli.matrix_parser import Kinds, parse_matrix
    from chainrule_cli.render import expr as expr_format
    from chainrule_cli.render.settings import Settings

    result = api.matrix(f, wrt=[wrt], vectors="a,b")
    (line,) = expr_format.render(result, Settings()).splitlines()
    kinds = dict(result.kinds)
    declared = Kinds(
        frozenset(n for n, k in kinds.items() if k == "matrix"),
        frozenset(n for n, k in kinds.items() if k == "vector"),
        {n: s for n, s in result.shapes.items() if all(isinstance(d, int) for d in s)},
    )
    read = parse_matrix(line, declared)
    (found,) = result.gradients
    rng, table = random.Random(7), {}

    def entries(e):  # every size 3, every matrix the same random values by name
        sizes = {d: 3 for M in e.atoms(sp.MatrixSymbol) for d in sp.Tuple(*M.shape).free_symbols}
        e = e.subs(sizes)
        for M in e.atoms(sp.MatrixSymbol):
            table.setdefault(
                M.name, sp.ImmutableMatrix(*M.shape, lambda i, j: sp.Rational(rng.randint(1, 9), 7))
            )
        values = {M: table[M.name] for M in e.atoms(sp.MatrixSymbol)}
        return sp.ImmutableMatrix(_explicit(e, values))

    both = [entries(found), entries(read)]
    assert all(abs(sp.N(d, 30)) < 1e-20 for d in both[0] - both[1])


def test_check_prints_the_figure(deriv):
    """W is 3×3 and x a 3-vector at the check's sizes: 9 + 3 = 12 entries compared."""
    ran = deriv(
        "matrix", "norm(W x - y)^2", "--wrt", "W", "--wrt", "x", "--check", "--format", "plain"
    )
    assert "  12 entries against SymPy's derivatives of f written out" in ran.out
    assert "largest difference 0 (above 1e-20 deriv stops, exit 1)" in ran.out
    record = json.loads(deriv("matrix", "tanh(W x)", "--wrt", "x", "--format", "json").out)
    assert record["check"]["entries"] == 9  # the 3×3 Jacobian


def test_the_other_notations(deriv):
    for notation, label in (("lagrange", "f_W"), ("euler", "D_W f")):
        ran = deriv("matrix", "norm(W x - y)^2", "--wrt", "W", "--notation", notation)
        assert f"{label} = 2(Wx - y)xᵀ" in ran.out


def test_large_declared_sizes_are_checked_at_small_ones(deriv):
    """A layer of 784×128 is derived and checked with symbolic sizes at 3×3, then printed with
    its own: the check at 784×128 would take hours."""
    ran = deriv(
        "matrix", "norm(W x - y)^2", "--wrt", "W", "--shape", "W=784x128", "--format", "plain"
    )
    assert ran.code == 0 and ran.out.splitlines()[1:3] == [
        "  W: 784×128 matrix, x: 128-vector, y: 784-vector",
        "∂f/∂W = 2(Wx - y)xᵀ",
    ]
    assert "small sizes stand for the declared ones" in ran.out


def test_decimals_at_a_point_are_read_exactly_and_shown_as_decimals(deriv):
    """The tutorial's neuron as a layer of one: Wx + b = 0.5 - 0.6 + 0.1 = 0 exactly, so
    tanh = 0, δ = 2(0 - 1)(1 - 0) = -2, ∂f/∂W = δxᵀ = (-2, -4), ∂f/∂x = Wᵀδ = (-1, 0.6)."""
    at = ["--at", "W=[[0.5,-0.3]],x=[1,2],b=[0.1],y=[1]"]
    args = ["matrix", "norm(tanh(W x + b) - y)^2", "--wrt", "W", "--wrt", "x", "--vector", "b"]
    record = json.loads(deriv(*args, *at, "--format", "json").out)
    assert record["value"] == {"W": [[-2.0, -4.0]], "x": [-1.0, 0.6]}
    assert record["at"]["W"] == [["0.5", "-0.3"]] and record["function_value"] == 1.0


# At a point: each entry decided by the one point oracle (issue 30)


def test_the_norm_has_no_gradient_at_the_cones_tip(deriv):
    """‖x‖ at x = 0: along x₁, f(h, 0) = |h|, slope -1 from the left and 1 from the right."""
    ran = deriv("matrix", "norm(x)", "--wrt", "x", "--at", "x=[0,0]")
    assert ran.code == 1 and ran.out == ""
    assert ran.err == (
        "error: ∂f/∂x₁ does not exist at x = [0, 0]: slope -1 from the left, 1 from the right\n"
    )


def test_x_x_over_the_norm_is_undefined_at_0_as_typed(deriv):
    """xᵀx/‖x‖ is ‖x‖ where it is defined, but 0/0 at x = 0: f has no value there. At
    x = [3, 4]: f = 25/5 = 5, and its gradient x/‖x‖ = [3/5, 4/5]."""
    ran = deriv("matrix", "x'*x/norm(x)", "--wrt", "x", "--at", "x=[0,0]")
    assert ran.code == 1 and ran.out == ""
    assert ran.err == "error: f is not defined at x = [0, 0]: division by zero (‖x‖ = 0 there)\n"
    at = deriv("matrix", "x'*x/norm(x)", "--wrt", "x", "--at", "x=[3,4]", "--format", "json")
    record = json.loads(at.out)
    assert record["function_value"] == 5 and record["value_exact"] == {"x": ["3/5", "4/5"]}


@pytest.mark.parametrize(
    "X, cofactors",
    [
        ("[[1,2],[2,4]]", [["4", "-2"], ["-2", "1"]]),
        # C_ij = (-1)^(i+j) × the minor without row i and column j: C₁₁ = 5·9 - 6·8 = -3,
        # C₁₂ = -(4·9 - 6·7) = 6, C₂₂ = 1·9 - 3·7 = -12, and so on
        ("[[1,2,3],[4,5,6],[7,8,9]]", [["-3", "6", "-3"], ["6", "-12", "6"], ["-3", "6", "-3"]]),
    ],
)
def test_det_at_a_singular_matrix_has_its_cofactors_as_gradient(deriv, X, cofactors):
    """det X = Σ_j X_ij C_ij along row i, so ∂det/∂X_ij = C_ij: the cofactor matrix, adj(X)ᵀ,
    which exists where the rule's det(X)·X⁻ᵀ does not (det X = 0)."""
    ran = deriv("matrix", "det(X)", "--wrt", "X", "--at", f"X={X}", "--format", "json")
    record = json.loads(ran.out)
    assert ran.code == 0 and record["function_value"] == 0
    assert record["value_exact"] == {"X": cofactors}
    assert record["value_by_entries"] == {"X": "has no value here"}
    text = deriv("matrix", "det(X)", "--wrt", "X", "--at", f"X={X}", "--format", "plain")
    assert "  det(X)X⁻ᵀ has no value here: these are f's partial derivatives, entry by entry" in (
        text.out.splitlines()
    )


def test_relu_on_its_corner_is_refused_entry_by_entry(deriv):
    """W = [[1,-1],[2,3]], x = [1,1]: Wx = [0, 5]. By W₁₁, relu(W₁₁ - 1): slope 0 from the
    left, 1 from the right. By x₁, relu(x₁ - x₂) + relu(2x₁ + 3x₂): 0 + 2 from the left,
    1 + 2 from the right."""
    at = ["--at", "W=[[1,-1],[2,3]],x=[1,1]"]
    by_w = deriv("matrix", "sum(relu(W*x))", "--wrt", "W", *at)
    assert by_w.code == 1 and by_w.err == (
        "error: ∂f/∂W₁₁ does not exist at W = [[1, -1], [2, 3]], x = [1, 1]: "
        "slope 0 from the left, 1 from the right\n"
    )
    by_x = deriv("matrix", "sum(relu(W*x))", "--wrt", "x", *at)
    assert by_x.code == 1 and by_x.err == (
        "error: ∂f/∂x₁ does not exist at W = [[1, -1], [2, 3]], x = [1, 1]: "
        "slope 2 from the left, 3 from the right\n"
    )


def test_on_a_kink_where_f_is_smooth_the_derivative_is_given(deriv):
    """At x = 0, Wx = 0 for every W: f = sum(relu(W·0)) = 0, so ∂f/∂W = 0. |x|² = x²: at
    x = [0, 1] its gradient is 2x = [0, 2]."""
    at = ["--at", "W=[[1,-1],[2,3]],x=[0,0]", "--format", "json"]
    ran = deriv("matrix", "sum(relu(W*x))", "--wrt", "W", *at)
    assert ran.code == 0 and json.loads(ran.out)["value"] == {"W": [[0, 0], [0, 0]]}
    ran = deriv("matrix", "sum(abs(x).^2)", "--wrt", "x", "--at", "x=[0,1]", "--format", "json")
    assert ran.code == 0 and json.loads(ran.out)["value"] == {"x": [0, 2]}


def test_abs_on_its_corner_and_sqrt_at_0_are_refused(deriv):
    """sum(|x|) at x = [0, 1]: slope -1 and 1 along x₁. sum(√x) at x₁ = 0: not real to the
    left, slope 1/(2√h) -> ∞ from the right."""
    ran = deriv("matrix", "sum(abs(x))", "--wrt", "x", "--at", "x=[0,1]")
    assert ran.code == 1 and "∂f/∂x₁ does not exist at x = [0, 1]: slope -1 from the left, " in (
        ran.err
    )
    ran = deriv("matrix", "sum(sqrt(x))", "--wrt", "x", "--at", "x=[0,1]")
    assert ran.code == 1 and ran.err == (
        "error: ∂f/∂x₁ does not exist at x = [0, 1]: f is not real for x₁ < 0; its slope from "
        "the right is ∞ (a vertical tangent)\n"
    )


def test_larger_values_are_not_decided_on_a_kink(deriv):
    """Past 16 entries a matrix f is not written out: its requirements are still checked
    (‖x‖ = 0 divides by zero), its formula's values printed off its kinks (x = 𝟙 in 17
    entries: x/‖x‖ = 𝟙/√17), and on a kink deriv says it cannot decide."""
    zero, ones = "x=[" + ",".join(["0"] * 17) + "]", "x=[" + ",".join(["1"] * 17) + "]"
    ran = deriv("matrix", "x'*x/norm(x)", "--wrt", "x", "--at", zero)
    assert ran.code == 1 and "division by zero (‖x‖ = 0 there)" in ran.err
    ran = deriv("matrix", "norm(x)", "--wrt", "x", "--at", zero)
    assert ran.code == 1 and "cannot decide whether f is differentiable" in ran.err
    ran = deriv("matrix", "norm(x)", "--wrt", "x", "--at", ones, "--format", "json")
    assert json.loads(ran.out)["value_exact"] == {"x": ["sqrt(17)/17"] * 17}
