"""Shared subexpressions of deriv matrix's results, named once (--cse): a layer's forward value
tanh(Wx + b) and its backpropagated error δ appear once each, the gradients in terms of them.

An elementwise derivative is one function of U, 1 - tanh(U)²; it is first spelled out in
elementwise operations, 𝟙 - tanh(U)^∘2, so that tanh(U), the forward value, is a part that can
be shared. Then the largest part met twice (in the results or the names already made) gets a
name, c0, c1, ..., until no part is met twice.
"""

from __future__ import annotations

from collections import Counter

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.matexpr import MatrixExpr

Definitions = tuple[tuple[sp.MatrixSymbol, MatrixExpr], ...]


def shared(results: tuple[sp.Expr, ...], taken: set[str]) -> tuple[Definitions, tuple]:
    """(name, part) for each part met twice, in the order they can be read, and the results in
    terms of those names. Names are c0, c1, ... skipping any in `taken`. With nothing shared,
    the results as they were (1 - tanh(U)², not spelled out)."""
    written = results
    results = tuple(spelled(r) for r in results)
    definitions: list[tuple[sp.MatrixSymbol, MatrixExpr]] = []
    names = (f"c{i}" for i in range(10**6) if f"c{i}" not in taken)
    while True:
        everything = (*results, *(part for _, part in definitions))
        counts = Counter(node for e in everything for node in _parts(e))
        twice = [node for node, count in counts.items() if count > 1]
        if not twice:
            break
        part = max(twice, key=lambda node: (sp.count_ops(node), str(node)))
        symbol = sp.MatrixSymbol(next(names), *part.shape)
        swap = {part: symbol}
        results = tuple(r.xreplace(swap) for r in results)
        definitions = [(s, p.xreplace(swap)) for s, p in definitions] + [(symbol, part)]
    if not definitions:
        return (), written
    ordered = _in_reading_order(definitions)
    renamed = {s: sp.MatrixSymbol(f"c{i}", *s.shape) for i, (s, _) in enumerate(ordered)}
    if any(n.name in taken for n in renamed.values()):
        return ordered, results
    return (
        tuple((renamed[s], p.xreplace(renamed)) for s, p in ordered),
        tuple(r.xreplace(renamed) for r in results),
    )


def _parts(expr: sp.Expr) -> list[MatrixExpr]:
    """The parts worth a name: matrix expressions with an operation in them, not X, Xᵀ, X⁻¹."""
    found = []
    for node in sp.preorder_traversal(expr):
        if not isinstance(node, MatrixExpr) or isinstance(node, sp.MatrixSymbol):
            continue
        if isinstance(node, (sp.Transpose, sp.Inverse)) and isinstance(node.arg, sp.MatrixSymbol):
            continue
        if isinstance(node, (sp.Identity, sp.OneMatrix, sp.ZeroMatrix)):
            continue
        if isinstance(node, sp.MatMul) and node.as_coeff_matrices()[0] != 1:
            continue  # 2·δ: the part δ is named, not its multiples
        found.append(node)
    return found


def _in_reading_order(definitions: list) -> Definitions:  # type: ignore[type-arg]
    """Each name after the names it is made of."""
    ordered: list = []
    pending = list(definitions)
    while pending:
        known = {s for s, _ in ordered}
        ready = [
            (s, p)
            for s, p in pending
            if not (p.atoms(sp.MatrixSymbol) & ({d for d, _ in pending} - known - {s}))
        ]
        ordered += ready or pending[:1]
        pending = [d for d in pending if d not in ordered]
    return tuple(ordered)


def spelled(expr: sp.Expr) -> sp.Expr:
    """f′(U) as elementwise operations on functions of U: 1 - tanh(U)² as 𝟙 - tanh(U)^∘2,
    (1 - σ(U))·σ(U) as (𝟙 - σ(U)) ⊙ σ(U); any other body stays one function."""
    return expr.replace(lambda e: isinstance(e, ElementwiseApplyFunction), _spelled_call)


def _spelled_call(call: ElementwiseApplyFunction) -> MatrixExpr:
    (variable,) = call.function.variables
    spelled_out = _spell(call.function.expr, variable, call.expr)
    return call if spelled_out is None else spelled_out


def _spell(body: sp.Expr, u: sp.Symbol, U: MatrixExpr) -> MatrixExpr | None:
    shape = U.shape
    if body == u:
        return U
    if body.is_Pow and body.base == u and abs(body.exp) == sp.S.Half:  # √U, 𝟙 ⊘ √U
        root = ElementwiseApplyFunction(sp.Lambda(u, sp.sqrt(u)), U)
        return root if body.exp > 0 else sp.HadamardPower(root, -1)
    if body.is_Number:
        return body * sp.OneMatrix(*shape)
    if isinstance(body, sp.Function) and body.args == (u,):
        return ElementwiseApplyFunction(sp.Lambda(u, body), U)
    if body.is_Add:
        parts = [_spell(a, u, U) for a in body.args]
        return None if None in parts else sp.MatAdd(*parts)
    if body.is_Mul:
        number, rest = body.as_coeff_Mul()
        factors = [_spell(f, u, U) for f in sp.Mul.make_args(rest)]
        if None in factors:
            return None
        product = factors[0] if len(factors) == 1 else sp.HadamardProduct(*factors)
        return product if number == 1 else number * product
    if body.is_Pow and body.exp.is_Integer and body.exp not in (0, 1):
        base = _spell(body.base, u, U)
        return None if base is None else sp.HadamardPower(base, body.exp)
    return None
