"""Matrix calculus by differentials: the gradient of a scalar function of vectors and matrices,
in matrix form, checked entry by entry before anyone sees it. The engine of `deriv matrix`.

SymPy's matrix expressions represent and print (MatrixSymbol, MatMul, Transpose, Trace,
HadamardProduct, Inverse, Determinant, ElementwiseApplyFunction); the rules are deriv's own,
since SymPy's `MatrixSymbol.diff` silently returns 0 on log det X and on sums of losses:

1. `differential(expr, X)`: d of expr, linear in the placeholder dX, by the rules d(A + B) =
   dA + dB, d(AB) = dA·B + A·dB, d(Aᵀ) = (dA)ᵀ, d tr A = tr dA, dA⁻¹ = -A⁻¹·dA·A⁻¹,
   d det A = det A·tr(A⁻¹·dA), d(A ⊙ B) = dA ⊙ B + A ⊙ dB, d f(U) = f′(U) ⊙ dU (elementwise f),
   and for a scalar function of such scalars the ordinary chain rule.
2. `identified(dL, dX)`: G with dL = tr(Gᵀ·dX), so ∂L/∂X = G, the shape of X. Each term is
   brought to tr(M·Q) with Q holding dX, then dX is moved out: tr(M·Aᵀ) = tr(Mᵀ·A),
   tr(M·A·Q·B) = tr(B·M·A·Q), tr(M·(C ⊙ Q)) = tr((M ⊙ Cᵀ)·Q), until Q = dX and G = Mᵀ.
3. `mismatch(L, X, G)`: L and G at random sizes (2-4) and values, L differentiated entry by entry
   by SymPy's scalar `diff`; the largest difference, which must be 0 before G is printed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass

import sympy as sp
from sympy.matrices.exceptions import NonInvertibleMatrixError
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix, DiagonalOf
from sympy.matrices.expressions.matexpr import MatrixExpr


@dataclass(frozen=True)
class Gradient:
    """∂L/∂X for a scalar L: `result` has the shape of X."""

    expr: sp.Expr
    wrt: sp.MatrixSymbol
    result: MatrixExpr


def gradient(expr: sp.Expr, wrt: sp.MatrixSymbol) -> Gradient:
    """∂expr/∂wrt for a scalar expr (a 1×1 matrix expression is read as its one entry)."""
    dX = placeholder(wrt)
    found = identified(differential(as_scalar(expr), wrt, dX), dX)
    return Gradient(expr, wrt, collected(found))


def jacobian(expr: MatrixExpr, wrt: sp.MatrixSymbol, layout: str = "numerator") -> MatrixExpr:
    """∂f/∂x for a vector f of a vector x: df = J·dx gives J, len(f) × len(x), row i the
    gradient of f_i laid flat (numerator layout); Jᵀ in denominator layout."""
    if not (is_vector(expr) and is_vector(wrt)):
        raise ValueError("a Jacobian is of a vector by a vector")
    dx = placeholder(wrt)
    found = collected(linear_map(matrix_differential(expr, wrt, dx), dx))
    return found if layout == "numerator" else _transpose_of(found)


def is_vector(expr: MatrixExpr) -> bool:
    return isinstance(expr, MatrixExpr) and expr.shape[1] == 1 and expr.shape[0] != 1


def derivation(expr: sp.Expr, wrt: sp.MatrixSymbol, found: MatrixExpr) -> tuple[Rule, ...]:
    """--steps: d of each part of expr, outermost first, each by its rule, then the
    identification that reads off `found` (a gradient, or a Jacobian in numerator layout)."""
    dX = placeholder(wrt)
    rules: list[Rule] = []
    token = _RULES.set(rules)
    try:
        target = expr if is_vector(expr) else as_scalar(expr)
        differential(target, wrt, dX)
    finally:
        _RULES.reset(token)
    order = {node: i for i, node in reversed(list(enumerate(sp.preorder_traversal(target))))}
    ranked = sorted(rules, key=lambda r: order.get(r.of, len(order)))
    nested = [
        Rule(r.rule, r.of, r.result, sum(1 for o in rules if o.of != r.of and o.of.has(r.of)))
        for r in ranked
    ]
    if is_vector(expr):
        last = Rule("identification", None, sp.MatMul(found, dX))
    else:
        read = sp.Trace(sp.MatMul(sp.Transpose(found).doit(), dX))
        last = Rule("identification", None, read)
    return (*nested, last)


def placeholder(X: sp.MatrixSymbol) -> sp.MatrixSymbol:
    return sp.MatrixSymbol(f"d{X.name}", *X.shape)


def as_scalar(expr: sp.Expr) -> sp.Expr:
    """A 1×1 matrix expression (aᵀx, ‖x‖² as xᵀx) as the trace of itself, a scalar."""
    if isinstance(expr, MatrixExpr):
        if expr.shape != (1, 1):
            raise ValueError(f"the function must be a scalar; it has shape {shape_text(expr)}")
        return sp.Trace(expr)
    return expr


def shape_text(expr: MatrixExpr) -> str:
    rows, columns = expr.shape
    return f"{rows}x{columns}"


# 1. The differential


@dataclass(frozen=True)
class Rule:
    """One step of --steps: the rule applied, the expression (None: f itself, at the end) and
    its differential; `depth` is how many recorded steps it sits inside."""

    rule: str
    of: sp.Expr | None
    result: sp.Expr
    depth: int = 0


RULES = {  # each rule of --steps, as a book states it
    "sum": "d(A + B) = dA + dB",
    "product rule": "d(AB) = dA·B + A·dB",
    "transpose": "d(Aᵀ) = (dA)ᵀ",
    "inverse": "d(A⁻¹) = -A⁻¹·dA·A⁻¹",
    "diag": "d diag(v) = diag(dv)",
    "power": "d(A^k) by the product rule on A·A·…·A",
    "Hadamard product": "d(A ⊙ B) = dA ⊙ B + A ⊙ dB",
    "elementwise power": "d(A^∘k) = k·A^∘(k-1) ⊙ dA",
    "elementwise function": "d f(U) = f′(U) ⊙ dU",
    "trace": "d tr(A) = tr(dA)",
    "determinant": "d det A = det A·tr(A⁻¹·dA)",
    "chain rule": "d g(t) = g′(t)·dt for a scalar g of scalars t",
    "identification": "df = tr(Gᵀ·dX) gives ∂f/∂X = G; for a vector f, df = J·dx gives J",
}
_RULES: ContextVar[list[Rule] | None] = ContextVar("rules", default=None)


def _noted(rule: str, of: sp.Expr, result: sp.Expr) -> sp.Expr:
    """result, written down as a step when steps are being recorded."""
    rules = _RULES.get()
    if rules is not None and not any(r.of == of for r in rules):
        rules.append(Rule(rule, of, result))
    return result


def differential(expr: sp.Expr, X: sp.MatrixSymbol, dX: sp.MatrixSymbol) -> sp.Expr:
    """d(expr) as X moves by dX; a scalar for a scalar expr, a matrix for a matrix one."""
    if isinstance(expr, MatrixExpr):
        return matrix_differential(expr, X, dX)
    atoms = _matrix_scalars(expr)
    if not atoms:
        return sp.Integer(0)
    names = {atom: sp.Dummy() for atom in atoms}
    plain = expr.xreplace(names)
    found = sp.Add(
        *(
            sp.diff(plain, name).xreplace({n: a for a, n in names.items()})
            * scalar_differential(atom, X, dX)
            for atom, name in names.items()
            if atom.has(X)
        )
    )
    return found if expr in atoms else _noted(CHAIN, expr, found)


def _matrix_scalars(expr: sp.Expr) -> set[sp.Expr]:
    """The outermost scalars made of matrices: tr(...), det(...), a 1×1 product."""
    if isinstance(expr, (sp.Trace, sp.Determinant)) or isinstance(expr, MatrixExpr):
        return {expr}
    found: set[sp.Expr] = set()
    for arg in expr.args:
        found |= _matrix_scalars(arg)
    return found


CHAIN = "chain rule"


def scalar_differential(atom: sp.Expr, X: sp.MatrixSymbol, dX: sp.MatrixSymbol) -> sp.Expr:
    if isinstance(atom, sp.Trace):
        found = _trace(matrix_differential(atom.arg, X, dX))
        return _noted("trace", atom, found)
    if isinstance(atom, sp.Determinant):
        inner = atom.arg
        change = matrix_differential(inner, X, dX)
        found = atom * _trace(sp.Inverse(inner) * change)
        return _noted("determinant", atom, found)
    if isinstance(atom, MatrixExpr):  # a 1×1 product standing as a scalar
        return _trace(matrix_differential(atom, X, dX))
    raise TypeError(f"no differential for {atom}")


def _trace(expr: MatrixExpr) -> sp.Expr:
    return sp.Integer(0) if _is_zero(expr) else sp.Trace(expr)


def matrix_differential(expr: MatrixExpr, X: sp.MatrixSymbol, dX: sp.MatrixSymbol) -> MatrixExpr:
    zero = sp.ZeroMatrix(*expr.shape)
    if not expr.has(X):
        return zero
    if expr == X:
        return dX
    rule, found = _matrix_rule(expr, X, dX, zero)
    return _noted(rule, expr, found)


def _matrix_rule(
    expr: MatrixExpr, X: sp.MatrixSymbol, dX: sp.MatrixSymbol, zero: MatrixExpr
) -> tuple[str, MatrixExpr]:
    """The rule for expr's outermost operation, and d(expr) by it."""
    if isinstance(expr, sp.MatAdd):
        parts = [matrix_differential(a, X, dX) for a in expr.args]
        return "sum", _sum(parts, zero)
    if isinstance(expr, sp.MatMul):
        return "product rule", _product_rule(expr, X, dX, zero)
    if isinstance(expr, sp.Transpose):
        return "transpose", _transpose(matrix_differential(expr.arg, X, dX))
    if isinstance(expr, sp.Inverse):
        inner = expr.arg
        found = -expr * matrix_differential(inner, X, dX) * expr
        return "inverse", found
    if isinstance(expr, DiagMatrix):
        return "diag", DiagMatrix(matrix_differential(expr.args[0], X, dX))
    if isinstance(expr, sp.MatPow):  # A^k: the product of k factors A, or its inverse's
        base, power = expr.args
        if not (power.is_Integer and power != 0):
            raise ValueError(f"a matrix power needs a whole exponent: {expr}")
        factor = base if power > 0 else sp.Inverse(base)
        product = sp.MatMul(*[factor] * abs(int(power)))
        return "power", _product_rule(product, X, dX, zero)
    if isinstance(expr, sp.HadamardProduct):
        parts = []
        for i, factor in enumerate(expr.args):
            change = matrix_differential(factor, X, dX)
            if not _is_zero(change):
                parts.append(sp.HadamardProduct(*expr.args[:i], change, *expr.args[i + 1 :]))
        return "Hadamard product", _sum(parts, zero)
    if isinstance(expr, sp.HadamardPower):  # A∘A∘...: k·A^∘(k-1) ⊙ dA
        base, power = expr.args
        if power.has(X):
            raise ValueError(f"an elementwise power with {X} in its exponent: {expr}")
        lower = base if power == 2 else sp.HadamardPower(base, power - 1)
        found = power * sp.HadamardProduct(lower, matrix_differential(base, X, dX))
        return "elementwise power", found
    if isinstance(expr, ElementwiseApplyFunction):
        inner = expr.expr
        number, derivative = _derivative_of(expr.function)
        if derivative.expr == 0:  # a step's slope, 0 off its jump (corners() says where)
            return "elementwise function", zero
        slope = ElementwiseApplyFunction(derivative, inner)
        found = number * sp.HadamardProduct(slope, matrix_differential(inner, X, dX))
        return "elementwise function", found
    raise ValueError(f"no rule to differentiate {expr}")


def _product_rule(
    expr: sp.MatMul, X: sp.MatrixSymbol, dX: sp.MatrixSymbol, zero: MatrixExpr
) -> MatrixExpr:
    scalar, factors = expr.as_coeff_matrices()
    parts = []
    if scalar.has(X):
        rest = sp.MatMul(*factors)
        parts.append(differential(scalar, X, dX) * rest)
    for i, factor in enumerate(factors):
        change = matrix_differential(factor, X, dX)
        if not _is_zero(change):
            parts.append(scalar * sp.MatMul(*factors[:i], change, *factors[i + 1 :]))
    return _sum(parts, zero)


def _derivative_of(function: sp.Lambda) -> tuple[sp.Expr, sp.Lambda]:
    """f′ as a number times a function: -sin(U) as -1·sin(U), so that -Wᵀsin(Wx) reads as
    a textbook writes it, not Wᵀ(-sin(Wx))."""
    (variable,) = function.variables
    slope = sp.diff(function.expr, variable).replace(sp.DiracDelta, lambda *args: sp.Integer(0))
    number, rest = slope.as_coeff_Mul()
    if not number.is_Integer:  # 1/(2√U) stays whole; only its sign comes out
        number, rest = (
            (sp.Integer(-1), -number * rest) if number < 0 else (sp.Integer(1), number * rest)
        )
    return number, sp.Lambda(variable, rest)


def _sum(parts: list[MatrixExpr], zero: MatrixExpr) -> MatrixExpr:
    kept = [a for p in parts if not _is_zero(p) for a in sp.MatAdd.make_args(p)]
    return sp.MatAdd(*kept) if len(kept) > 1 else (kept[0] if kept else zero)


def _transpose(expr: MatrixExpr) -> MatrixExpr:
    return expr if _is_zero(expr) else sp.Transpose(expr)


def _is_zero(expr: sp.Expr) -> bool:
    return isinstance(expr, sp.ZeroMatrix) or expr == 0


# 2. The identification dL = tr(Gᵀ dX)


def identified(dL: sp.Expr, dX: sp.MatrixSymbol) -> MatrixExpr:
    """G with dL = tr(Gᵀ·dX): the gradient, with the shape of X."""
    found = sp.ZeroMatrix(*dX.shape)
    spread = sp.expand(_scalars_out(dL), deep=False)  # the sum of terms, each trace kept whole
    terms = [t for t in sp.Add.make_args(spread) if t.has(dX)]
    parts = [_term_gradient(term, dX) for term in terms]
    return _sum(parts, found)


def _scalars_out(expr: sp.Expr) -> sp.Expr:
    """tr(c·M) as c·tr(M) for a scalar c (which may hold dX itself: tr(tr(aᵀdx)·yᵀy))."""

    def scaled(trace: sp.Trace) -> bool:
        return isinstance(trace.arg, sp.MatMul) and trace.arg.as_coeff_matrices()[0] != 1

    def pulled(trace: sp.Trace) -> sp.Expr:
        coefficient, factors = trace.arg.as_coeff_matrices()
        return coefficient * sp.Trace(_product(list(factors)))

    for _ in range(8):  # nested traces: a few rounds reach the innermost
        changed = expr.replace(lambda e: isinstance(e, sp.Trace) and scaled(e), pulled)
        if changed == expr:
            return expr
        expr = changed
    return expr


def _term_gradient(term: sp.Expr, dX: sp.MatrixSymbol) -> MatrixExpr:
    """A term c·tr(P), P linear in dX, c free of it."""
    traces = [f for f in sp.Mul.make_args(term) if isinstance(f, sp.Trace) and f.has(dX)]
    if len(traces) != 1:
        raise ValueError(f"not linear in {dX}: {term}")
    (trace,) = traces
    coefficient = term / trace
    rows = trace.arg.shape[0]
    return coefficient * _moved_out(sp.Identity(rows), trace.arg, dX)


def _moved_out(M: MatrixExpr, Q: MatrixExpr, dX: sp.MatrixSymbol) -> MatrixExpr:
    """G with tr(M·Q) = tr(Gᵀ·dX), for Q linear in dX."""
    if Q == dX:
        return sp.Transpose(M).doit() if not isinstance(M, sp.Identity) else M
    if isinstance(Q, sp.Transpose):  # tr(M·Aᵀ) = tr(A·Mᵀ) = tr(Mᵀ·A)
        return _moved_out(_transpose_of(M), Q.arg, dX)
    if isinstance(Q, sp.MatAdd):
        zero = sp.ZeroMatrix(*dX.shape)
        return _sum([_moved_out(M, a, dX) for a in Q.args if a.has(dX)], zero)
    if isinstance(Q, sp.MatMul):
        scalar, factors = Q.as_coeff_matrices()
        if scalar.has(dX):  # tr(M·s·R) = s·tr(M·R), s = tr(Kᵀ·dX) a number linear in dX
            rest = _product(list(factors))
            if rest.has(dX):
                raise ValueError(f"not linear in {dX}: {Q}")
            return sp.Trace(_simplest(M * rest)) * identified(scalar, dX)
        (i,) = [k for k, f in enumerate(factors) if f.has(dX)]
        before, inner, after = factors[:i], factors[i], factors[i + 1 :]
        moved = sp.MatMul(*after, M, *before) if (after or before) else M
        return scalar * _moved_out(_simplest(moved), inner, dX)
    if isinstance(Q, DiagMatrix):  # tr(M·diag(q)) = Σ M_ii q_i = tr(diag(M)ᵀ·q)
        return _moved_out(_transpose_of(diagonal_of(M)), Q.args[0], dX)
    if isinstance(Q, sp.HadamardProduct):  # tr(M·(C ⊙ A)) = tr((M ⊙ Cᵀ)·A)
        (i,) = [k for k, f in enumerate(Q.args) if f.has(dX)]
        others = [f for k, f in enumerate(Q.args) if k != i]
        mask = _transpose_of(sp.HadamardProduct(*others) if len(others) > 1 else others[0])
        return _moved_out(_hadamard(M, mask), Q.args[i], dX)
    raise ValueError(f"cannot identify the gradient in tr({M}·{Q})")


def linear_map(E: MatrixExpr, u: sp.MatrixSymbol) -> MatrixExpr:
    """M with E = M·u, for a column E linear in the column u: c ⊙ (A·u) = diag(c)·A·u,
    b·(aᵀu) = b·aᵀ·u, (uᵀa)·b likewise."""
    if E == u:
        return sp.Identity(u.shape[0])
    if not E.has(u):  # f does not depend on u
        return sp.ZeroMatrix(E.shape[0], u.shape[0])
    if isinstance(E, sp.MatAdd):
        zero = sp.ZeroMatrix(E.shape[0], u.shape[0])
        return _sum([linear_map(t, u) for t in E.args if t.has(u)], zero)
    if isinstance(E, sp.Transpose):
        pushed = sp.Transpose(E.arg).doit()
        if pushed == E:
            raise ValueError(f"cannot read the Jacobian in {E}")
        return linear_map(pushed, u)
    if isinstance(E, sp.HadamardProduct):  # c ⊙ v = diag(c)·v for columns
        (i,) = [k for k, f in enumerate(E.args) if f.has(u)]
        others = [f for k, f in enumerate(E.args) if k != i]
        mask = sp.HadamardProduct(*others) if len(others) > 1 else others[0]
        return _simplest(DiagMatrix(mask) * linear_map(E.args[i], u))
    if isinstance(E, sp.MatMul):
        return _product_map(E, u)
    raise ValueError(f"cannot read the Jacobian in {E}")


def _product_map(E: sp.MatMul, u: sp.MatrixSymbol) -> MatrixExpr:
    scalar, factors = E.as_coeff_matrices()
    rest = _product(list(factors))
    if scalar.has(u):  # (aᵀu)·R: a number linear in u times a column free of it
        return _simplest(rest * _transpose_of(identified(scalar, u)))
    (i,) = [k for k, f in enumerate(factors) if f.has(u)]
    before, inner, after = factors[:i], factors[i], factors[i + 1 :]
    if inner.shape[1] == 1:  # P·v·(1×1 factors): the 1×1 product is a number
        number = sp.Trace(_product(list(after))) if after else sp.Integer(1)
        left = _product(list(before)) if before else None
        inner_map = linear_map(inner, u)
        mapped = inner_map if left is None else _simplest(left * inner_map)
        return scalar * number * mapped
    if isinstance(inner, DiagMatrix) and after:  # P·diag(q)·v = P·diag(v)·q
        left = [*before, DiagMatrix(_product(list(after)))]
        return scalar * _simplest(_product(left) * linear_map(inner.args[0], u))
    if inner.shape[0] == 1:  # P·(row linear in u)·Q, the last two a number
        number = sp.Trace(_product([inner, *after]))
        left = _product(list(before))
        return scalar * _simplest(left * _transpose_of(identified(number, u)))
    raise ValueError(f"cannot read the Jacobian in {E}")


def diagonal_of(M: MatrixExpr) -> MatrixExpr:
    """The diagonal of a square M as a vector: 𝟙 for I, u ⊙ v for u·vᵀ, x ⊙ diag(R) for
    diag(x)·R or R·diag(x)."""
    if isinstance(M, sp.Identity):
        return sp.OneMatrix(M.shape[0], 1)
    if isinstance(M, DiagMatrix):
        return M.args[0]
    if isinstance(M, sp.MatAdd):
        return sp.MatAdd(*(diagonal_of(t) for t in M.args))
    if not isinstance(M, sp.MatMul):
        return DiagonalOf(M)
    number, factors = M.as_coeff_matrices()
    for end in (0, -1):
        if isinstance(factors[end], DiagMatrix) and len(factors) > 1:
            rest = _product(list(factors[1:] if end == 0 else factors[:-1]))
            return number * sp.HadamardProduct(factors[end].args[0], diagonal_of(rest))
    for k in range(1, len(factors)):
        if factors[k - 1].shape[1] == 1:  # u·vᵀ, u = the factors up to k
            u = _product(list(factors[:k]))
            v = _transpose_of(_product(list(factors[k:])))
            return number * sp.HadamardProduct(u, v)
    return number * DiagonalOf(_product(list(factors)))


def _transpose_of(M: MatrixExpr) -> MatrixExpr:
    return M if isinstance(M, sp.Identity) else sp.Transpose(M).doit()


def _hadamard(M: MatrixExpr, mask: MatrixExpr) -> MatrixExpr:
    """M ⊙ mask, where an identity M (from tr(Q) itself) stands for a square of ones on the
    diagonal: only the diagonal of the mask would count, so the mask must be a vector's."""
    if isinstance(M, sp.Identity):
        if M.shape != (1, 1):
            raise ValueError("a Hadamard product under a trace of a square matrix")
        return mask
    return sp.HadamardProduct(M, mask)


def _simplest(M: MatrixExpr) -> MatrixExpr:
    factors = [f for f in sp.MatMul.make_args(M) if not isinstance(f, sp.Identity)]
    if not factors:
        return M
    return sp.MatMul(*factors).doit() if len(factors) > 1 else factors[0]


def checked_gradients(  # type: ignore[no-untyped-def]
    expr: sp.Expr, wrt: tuple[sp.MatrixSymbol, ...], layout: str = "numerator"
):
    """Each gradient (or Jacobian, for a vector expr), and the check every one passed: the
    largest entry-by-entry difference at random sizes, with those sizes. A result that fails it
    is a bug in deriv, never printed."""
    from .errors import InternalError

    found, worst = [], 0.0
    sizes = random_sizes(expr, wrt, random.Random(0))
    for symbol in wrt:
        if is_vector(expr):
            result = jacobian(expr, symbol, layout)
        else:
            result = gradient(expr, symbol).result
        error = float(random_mismatch(expr, symbol, result, sizes, layout))
        if not error < TOLERANCE:
            raise InternalError(f"the gradient by {symbol.name} failed its check ({error:.1e})")
        found.append(result)
        worst = max(worst, error)
    return tuple(found), worst, tuple((str(d), n) for d, n in sorted(sizes.items(), key=str))


class Singular(ArithmeticError):
    """The random values of a check met a singular point of f (a matrix with det 0)."""


def random_mismatch(expr, symbol, result, sizes=None, layout: str = "numerator") -> sp.Expr:  # type: ignore[no-untyped-def]
    """mismatch at random values; other values where these meet a singular point of f."""
    for seed in range(5):
        try:
            return mismatch(expr, symbol, result, sizes, seed=seed, layout=layout)
        except (Singular, ZeroDivisionError, NonInvertibleMatrixError):
            continue
    raise Singular(f"f has no value at five random points (by {symbol.name})")


def entries_checked(expr: sp.Expr, wrt: tuple[sp.MatrixSymbol, ...], sizes: dict) -> int:
    """How many entries the check compares: each entry of each gradient, of each Jacobian."""
    rows = int(sp.Tuple(expr.shape[0]).subs(sizes)[0]) if is_vector(expr) else 1
    return sum(rows * int(sp.Mul(*X.shape).subs(sizes)) for X in wrt)


def random_sizes(
    expr: sp.Expr, wrt: Iterable[sp.MatrixSymbol], rng: random.Random
) -> dict[sp.Symbol, int]:
    """A size from 2 to 4 for each dimension symbol (n, m, ...) of expr's matrices and wrt's."""
    matrices = _matrices(expr) | set(wrt)
    dimensions = {s for m in matrices for s in sp.Tuple(*m.shape).free_symbols}
    return {d: rng.randint(2, 4) for d in sorted(dimensions, key=str)}


# The form a textbook prints: common factors taken out of a sum


def collected(expr: MatrixExpr) -> MatrixExpr:
    """2·W·x·xᵀ - 2·y·xᵀ as 2·(W·x - y)·xᵀ, f′(U) ⊙ a - f′(U) ⊙ b as f′(U) ⊙ (a - b): the
    common number, the common factor on the right or the left, the common Hadamard factor."""
    if isinstance(expr, sp.MatMul):  # the numbers of collected factors joined to its own
        coefficient, factors = expr.as_coeff_matrices()
        flat = []
        for factor in (collected(f) for f in factors):
            number, inner = _coefficient_and_factors(factor)
            coefficient, flat = coefficient * number, flat + inner
        return sp.MatMul(coefficient, *flat) if coefficient != 1 else _product(flat)
    if not isinstance(expr, sp.MatAdd):
        return expr
    terms = [_coefficient_and_factors(term) for term in expr.args]
    common = _common_number([c for c, _ in terms])
    terms = [(c / common, f) for c, f in terms]
    for side in (-1, 0):
        shared = {f[side] for _, f in terms if len(f) > 1}
        if len(shared) == 1 and all(len(f) > 1 for _, f in terms):
            (factor,) = shared
            rest = [c * _product(f[:-1] if side == -1 else f[1:]) for c, f in terms]
            inner = collected(sp.MatAdd(*rest))
            parts = (inner, factor) if side == -1 else (factor, inner)
            return common * sp.MatMul(*parts)
    hadamards = [f[0] for _, f in terms if len(f) == 1 and isinstance(f[0], sp.HadamardProduct)]
    if len(hadamards) == len(terms):
        shared = set(hadamards[0].args).intersection(*(h.args for h in hadamards[1:]))
        if shared:
            factor = sorted(shared, key=str)[0]
            rest = [c * _without(h, factor) for (c, _), h in zip(terms, hadamards)]
            return common * sp.HadamardProduct(factor, collected(sp.MatAdd(*rest)))
    if common != 1:  # 2x - 2a as 2(x - a)
        return sp.MatMul(common, sp.MatAdd(*(c * _product(f) for c, f in terms)))
    return expr


def _coefficient_and_factors(term: MatrixExpr) -> tuple[sp.Expr, list[MatrixExpr]]:
    if isinstance(term, sp.MatMul):
        coefficient, factors = term.as_coeff_matrices()
        return coefficient, list(factors)
    return sp.Integer(1), [term]


def _common_number(coefficients: list[sp.Expr]) -> sp.Expr:
    numbers = [sp.Mul.make_args(c)[0] for c in coefficients]
    if not all(n.is_Rational for n in numbers):
        return sp.Integer(1)
    return sp.gcd(numbers) if len(numbers) > 1 else sp.Integer(1)


def _product(factors: list[MatrixExpr]) -> MatrixExpr:
    return sp.MatMul(*factors) if len(factors) > 1 else factors[0]


def _without(product: sp.HadamardProduct, factor: MatrixExpr) -> MatrixExpr:
    rest = list(product.args)
    rest.remove(factor)
    return sp.HadamardProduct(*rest) if len(rest) > 1 else rest[0]


# 3. The check: entry by entry, at random sizes and values

TOLERANCE = 1e-20


def mismatch(
    expr: sp.Expr,
    wrt: sp.MatrixSymbol,
    found: MatrixExpr,
    sizes: dict[sp.Symbol, int] | None = None,
    seed: int = 0,
    layout: str = "numerator",
    given: dict | None = None,
) -> sp.Expr:
    """The largest |∂expr/∂wrt_ij - found_ij| (for a vector expr, |∂expr_k/∂wrt_i - J_ki|, J
    in `layout`) with every matrix made explicit: each dimension
    symbol a random size from 2 to 4, each entry a random fraction. Each entry of wrt in turn is
    left a symbol, the others numbers, and SymPy's scalar diff takes the derivative exactly; the
    difference is evaluated to 30 digits (a zero that SymPy does not reduce, tanh(3) -
    tanh(3)·1, leaves about 1e-130: `TOLERANCE` separates it from a wrong formula)."""
    rng = random.Random(seed)
    sizes = {**random_sizes(expr, (wrt,), rng), **(sizes or {})}
    expr, wrt, found = (e.subs(sizes) for e in (expr, wrt, found))
    numbers = {  # never 0: x ./ y and log(x) stay defined
        matrix: sp.ImmutableMatrix(
            *matrix.shape,
            lambda i, j: sp.Rational(rng.choice([-1, 1]) * rng.randint(1, 9), rng.randint(1, 5)),
        )
        for matrix in sorted(_matrices(expr) | {wrt}, key=str)
    }
    scalars = {  # positive, so that log c is defined
        s: sp.Rational(rng.randint(1, 9), rng.randint(1, 5))
        for s in sorted(scalar_names(expr), key=str)
    }
    numbers.update(given or {})
    scalars = {s: numbers.pop(s, v) for s, v in scalars.items()}
    expr, found = expr.xreplace(scalars), found.xreplace(scalars)
    formula = _explicit(found, numbers)
    formula = formula if isinstance(formula, sp.MatrixBase) else sp.ImmutableMatrix([[formula]])
    jacobian = is_vector(expr)
    if jacobian and layout == "denominator":
        formula = formula.T
    target = expr if jacobian else as_scalar(expr)
    entry = sp.Symbol("entry", real=True)
    worst = sp.Integer(0)
    for i in range(wrt.rows):
        for j in range(wrt.cols):
            moving = sp.Matrix(numbers[wrt])
            moving[i, j] = entry
            value = _explicit(target, {**numbers, wrt: sp.ImmutableMatrix(moving)})
            exact = sp.diff(value, entry).subs(entry, numbers[wrt][i, j])
            if jacobian:  # column i of J: each f_k by x_i
                differences = [exact[k] - formula[k, i] for k in range(formula.rows)]
            else:
                differences = [exact - formula[i, j]]
            gaps = [abs(sp.N(d, 30)) for d in differences]
            if any(not gap.is_finite for gap in gaps):
                raise Singular(f"no value at the random point of the check for {wrt}")
            worst = max([worst, *gaps])
    return worst


def scalar_names(expr: sp.Expr) -> set[sp.Symbol]:
    """The scalars of expr (c in c·‖x‖²), not the sizes of its matrices (n, m)."""
    sizes = {d for m in _matrices(expr) for d in sp.Tuple(*m.shape).free_symbols}
    found = sp.Tuple(expr).free_symbols - sizes
    return {s for s in found if isinstance(s, sp.Symbol) and not isinstance(s, sp.Dummy)}


def _matrices(expr: sp.Expr) -> set[sp.MatrixSymbol]:
    return set(expr.atoms(sp.MatrixSymbol))


def _explicit(expr: sp.Expr, explicit: dict) -> sp.Expr:
    """expr with its matrices as explicit ones: a scalar, or an explicit matrix."""
    if isinstance(expr, MatrixExpr):
        entries = _entries(expr, explicit)
        return entries[0, 0] if entries.shape == (1, 1) else entries
    scalars = {atom: _explicit_scalar(atom, explicit) for atom in _matrix_scalars(expr)}
    return expr.xreplace(scalars)


def _entries(expr: MatrixExpr, explicit: dict) -> sp.ImmutableMatrix:
    """An explicit matrix, operation by operation (SymPy's as_explicit is many times slower
    on elementwise functions and cannot take DiagonalOf)."""
    if expr in explicit:
        return sp.ImmutableMatrix(explicit[expr])
    if isinstance(expr, (sp.Identity, sp.OneMatrix, sp.ZeroMatrix)):
        return sp.ImmutableMatrix(expr.as_explicit())
    args = expr.args
    if isinstance(expr, sp.MatAdd):
        total = _entries(args[0], explicit)
        for arg in args[1:]:
            total = total + _entries(arg, explicit)
        return total
    if isinstance(expr, sp.MatMul):
        number, factors = expr.as_coeff_matrices()
        product = _entries(factors[0], explicit)
        for factor in factors[1:]:
            product = product * _entries(factor, explicit)
        return product * _explicit(number, explicit) if number != 1 else product
    if isinstance(expr, sp.Transpose):
        return _entries(expr.arg, explicit).T
    if isinstance(expr, sp.Inverse):
        return _entries(expr.arg, explicit).inv()
    if isinstance(expr, sp.MatPow):
        return _entries(args[0], explicit) ** int(args[1])
    if isinstance(expr, sp.HadamardProduct):
        product = _entries(args[0], explicit)
        for arg in args[1:]:
            product = product.multiply_elementwise(_entries(arg, explicit))
        return product
    if isinstance(expr, sp.HadamardPower):
        return _entries(args[0], explicit).applyfunc(lambda e: e ** args[1])
    if isinstance(expr, ElementwiseApplyFunction):
        return _entries(expr.expr, explicit).applyfunc(expr.function)
    if isinstance(expr, DiagMatrix):
        return sp.ImmutableMatrix(sp.diag(*_entries(args[0], explicit)))
    if isinstance(expr, DiagonalOf):
        return sp.ImmutableMatrix(_entries(args[0], explicit).diagonal()).T
    return sp.ImmutableMatrix(expr.xreplace(explicit).as_explicit()).doit()


def _explicit_scalar(atom: sp.Expr, explicit: dict) -> sp.Expr:
    if isinstance(atom, sp.Trace):
        return (
            _explicit(atom.arg, explicit).trace()
            if atom.arg.shape != (1, 1)
            else (_explicit(atom.arg, explicit))
        )
    if isinstance(atom, sp.Determinant):
        return _explicit(atom.arg, explicit).det()
    return _explicit(atom, explicit)


# 4. Values at a point


KINKS = {sp.Max: "relu", sp.Abs: "abs", sp.Heaviside: "heaviside", sp.sign: "sign"}
HOW = {"relu": "has a corner", "abs": "has a corner", "heaviside": "jumps", "sign": "jumps"}


def corners(expr: sp.Expr) -> tuple[tuple[str, sp.Expr], ...]:
    """Where f is not differentiable: ("relu", Wx + b) for each relu, abs, heaviside or sign of
    a vector or matrix (or of a scalar made of them). The derivative holds where no entry of
    these is 0; HOW says what the function does there."""
    found = []
    for node in sp.preorder_traversal(expr):
        if isinstance(node, ElementwiseApplyFunction):
            kinds = [k for f, k in KINKS.items() if node.function.expr.has(f)]
            inner = node.expr  # a row, |x|ᵀ, read as its column
            if inner.shape[0] == 1 and inner.shape[1] != 1:
                inner = sp.Transpose(inner).doit()
            found += [(kind, inner) for kind in kinds[:1]]
        elif type(node) in KINKS and _matrix_scalars(node):
            found.append((KINKS[type(node)], node.args[-1]))
    return tuple(dict.fromkeys(found))


def sizes_at(expr: sp.Expr, given: dict[str, sp.Expr]) -> dict[sp.Symbol, int]:
    """The size each dimension symbol takes from the given values (W=[[1,2],[3,4]] makes W's
    n and m 2); a value whose shape cannot be W's is a ValueError naming both."""
    sizes: dict[sp.Symbol, int] = {}
    for matrix in sorted(_matrices(expr), key=str):
        value = given.get(matrix.name)
        if value is None:
            continue
        if not isinstance(value, sp.MatrixBase):
            raise ValueError(f"{matrix.name} is a {_kind(matrix)}: give it as {_example(matrix)}")
        for size, actual in zip(matrix.shape, value.shape):
            wanted = sizes.get(size, size) if isinstance(size, sp.Symbol) else size
            if isinstance(wanted, sp.Symbol):
                sizes[size] = actual
            elif wanted != actual:
                shape = (
                    f"a {value.rows}-vector" if value.cols == 1 else f"{value.rows}x{value.cols}"
                )
                raise ValueError(
                    f"{matrix.name} is {shape}, but f needs {_shape_at(matrix, sizes)} there"
                )
    return sizes


def _kind(matrix: sp.MatrixSymbol) -> str:
    return "vector" if matrix.shape[1] == 1 else "matrix"


def _example(matrix: sp.MatrixSymbol) -> str:
    return f"{matrix.name}=[1,2]" if matrix.shape[1] == 1 else f"{matrix.name}=[[1,2],[3,4]]"


def _shape_at(matrix: sp.MatrixSymbol, sizes: dict[sp.Symbol, int]) -> str:
    rows, cols = (sizes.get(s, s) for s in matrix.shape)
    return f"a {rows}-vector" if cols == 1 else f"{rows}x{cols}"


def values_at(found: sp.Expr, keyed: dict, sizes: dict[sp.Symbol, int]) -> sp.Expr:
    """found (a part of f, or a result) with every name given its value (`keyed`, as
    given_for makes it): an explicit matrix, a number as a 1×1 one, exact."""
    scalars = {k: v for k, v in keyed.items() if not isinstance(k, MatrixExpr)}
    value = _explicit(found.subs(sizes).xreplace(scalars), keyed)
    return value if isinstance(value, sp.MatrixBase) else sp.ImmutableMatrix([[value]])


def given_for(expr: sp.Expr, given: dict[str, sp.Expr], sizes: dict[sp.Symbol, int]) -> dict:
    """The given values keyed as mismatch takes them: sized matrices, and scalar symbols."""
    keyed: dict = {m.subs(sizes): given[m.name] for m in _matrices(expr)}
    keyed.update({s: given[s.name] for s in scalar_names(expr)})
    return keyed
