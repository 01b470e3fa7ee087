"""Backpropagation: the chain rule node by node through the expression's computational graph.

Each node knows its local derivatives, ∂node/∂input, with its inputs as independent symbols.
The backward pass only orders the nodes and applies them in reverse: the adjoint of a node is
the sum, over the nodes that consume it, of the consumer's adjoint times the local derivative.
Shared sub-expressions are one node (SymPy's equal expressions are one key), so their adjoints
sum every path, as in `sin(x)*cos(x) + sin(x)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .calculus import evaluate_at
from .results import Function, Point, Value


@dataclass(frozen=True)
class Node:
    id: str
    op: str
    expr: sp.Expr
    inputs: tuple[int, ...]  # indices into the graph's nodes
    local: tuple[sp.Expr, ...]  # ∂node/∂input, in the inputs' expressions
    value: Value | None = None
    local_values: tuple[Value, ...] | None = None
    grad: sp.Expr | None = None  # ∂f/∂node: symbolic, or exact at the point
    grad_value: Value | None = None


@dataclass(frozen=True)
class Backprop:
    function: Function
    nodes: tuple[Node, ...]  # topological: every node after its inputs; the output last
    gradient: tuple[tuple[sp.Symbol, sp.Expr], ...]
    point: Point | None = None
    value: Value | None = None
    gradient_values: tuple[Value, ...] | None = None


def op_name(expr: sp.Expr) -> str:
    if expr.is_Symbol:
        return "input"
    if expr.is_number and not expr.args:
        return "const"
    return {sp.Add: "+", sp.Mul: "*", sp.Pow: "^"}.get(type(expr), type(expr).__name__)


def graph(expr: sp.Expr) -> list[sp.Expr]:
    """The distinct sub-expressions of expr, each after its arguments (iterative post-order)."""
    order: list[sp.Expr] = []
    seen: set[sp.Expr] = set()
    stack: list[tuple[sp.Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if node in seen:
            continue
        if expanded or not node.args or op_name(node) in ("const", "input"):
            seen.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((arg, False) for arg in reversed(node.args) if arg not in seen)
    return order


def local_derivatives(expr: sp.Expr, names: tuple | None = None) -> tuple[sp.Expr, ...]:
    """∂expr/∂arg for each direct argument that is not a constant, the arguments independent.

    The result is written in the arguments, or in `names` for them (n12 for tanh(...)).
    """
    if op_name(expr) in ("const", "input"):
        return ()
    stand_ins = [sp.Dummy(f"a{k}") for k in range(len(expr.args))]
    generic = expr.func(*stand_ins)
    back = dict(zip(stand_ins, names or expr.args))
    return tuple(
        sp.Integer(0) if op_name(arg) == "const" else sp.diff(generic, s).xreplace(back)
        for s, arg in zip(stand_ins, expr.args)
    )


def backprop(function: Function, point: Point | None = None) -> Backprop:
    exprs = graph(function.expr)
    index = {e: i for i, e in enumerate(exprs)}
    inputs = [
        tuple(index[a] for a in e.args) if op_name(e) not in ("const", "input") else ()
        for e in exprs
    ]
    locals_ = [local_derivatives(e) for e in exprs]
    adjoints: list[sp.Expr] = [sp.Integer(0)] * len(exprs)
    adjoints[-1] = sp.Integer(1)
    values = _forward(exprs, inputs, point) if point is not None else None
    for i in reversed(range(len(exprs))):  # the backward pass
        for k, j in enumerate(inputs[i]):
            if op_name(exprs[j]) == "const":
                continue  # constants get no gradient (d/d2 of y^2 would need log(y))
            local = locals_[i][k]
            if values is not None:
                local = local.xreplace({e: values[n] for n, e in enumerate(exprs)})
            adjoints[j] = adjoints[j] + adjoints[i] * local
    nodes = tuple(
        _node(i, exprs, inputs, locals_, adjoints, values, function) for i in range(len(exprs))
    )
    gradient = tuple(
        (v, adjoints[index[v]] if v in index else sp.Integer(0)) for v in function.variables
    )
    if point is None:
        return Backprop(function, nodes, gradient)
    value = evaluate_at(values[-1], ())
    gradient_values = tuple(evaluate_at(g, ()) for _, g in gradient)
    return Backprop(function, nodes, gradient, point, value, gradient_values)


def _forward(exprs: list[sp.Expr], inputs: list[tuple[int, ...]], point: Point) -> list[sp.Expr]:
    """Each node's exact value at the point, computed from its inputs' values."""
    given = dict(point)
    values: list[sp.Expr] = []
    for expr, args in zip(exprs, inputs):
        if expr.is_Symbol:
            if expr not in given:
                from .errors import InputError

                raise InputError(f"--at gives no value for {expr.name}")
            values.append(given[expr])
        elif not args:
            values.append(expr)
        else:
            values.append(expr.func(*(values[j] for j in args)))
    return values


def _node(i, exprs, inputs, locals_, adjoints, values, function) -> Node:  # type: ignore[no-untyped-def]
    expr = exprs[i]
    name = expr.name if expr.is_Symbol else ("f" if i == len(exprs) - 1 else f"n{i + 1}")
    if i == len(exprs) - 1:
        name = function.name
    if values is None:
        return Node(name, op_name(expr), expr, inputs[i], locals_[i], grad=adjoints[i])
    at = {e: values[n] for n, e in enumerate(exprs)}
    local_values = tuple(evaluate_at(d.xreplace(at), ()) for d in locals_[i])
    grad = None if op_name(expr) == "const" else evaluate_at(adjoints[i], ())
    return Node(
        name,
        op_name(expr),
        expr,
        inputs[i],
        locals_[i],
        evaluate_at(values[i], ()),
        local_values,
        adjoints[i],
        grad,
    )
