"""Backpropagation: the chain rule node by node through the expression's computational graph.

The backward pass only orders the nodes and applies them in reverse: the adjoint of a node is
the sum, over the nodes that consume it, of the consumer's adjoint times the local derivative.
The graph and each operation's local derivatives come from graph.py.
"""

from __future__ import annotations

import sympy as sp

from .graph import KINKED, graph, local_derivatives, op_name
from .results import Backprop, Function, Node, Point
from .values import evaluate_at, sign_of


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
    at = dict(zip(exprs, values)) if values is not None else None  # each node's value
    for i in reversed(range(len(exprs))):  # the backward pass
        for k, j in enumerate(inputs[i]):
            if op_name(exprs[j]) == "const":
                continue  # constants get no gradient (d/d2 of y^2 would need log(y))
            local = locals_[i][k]
            if at is not None:
                local = local.xreplace(at)
            adjoints[j] = adjoints[j] + adjoints[i] * local
    nodes = tuple(
        _node(i, exprs, inputs, locals_, adjoints, at, function) for i in range(len(exprs))
    )
    gradient = tuple(
        (v, adjoints[index[v]] if v in index else sp.Integer(0)) for v in function.variables
    )
    if point is None:
        return Backprop(function, nodes, gradient)
    value = evaluate_at(values[-1], ())
    gradient_values = tuple(evaluate_at(g, ()) for _, g in gradient)
    kinks = tuple(
        node.id
        for node, e, args in zip(nodes, exprs, inputs)
        if type(e) in KINKED and sign_of(_decider(e, args, values)) == 0
    )
    return Backprop(function, nodes, gradient, point, value, gradient_values, kinks)


def _decider(expr: sp.Expr, args, values) -> sp.Expr:  # type: ignore[no-untyped-def]
    """What puts a node at its kink: its argument at 0, or for max and min a tie."""
    if isinstance(expr, (sp.Max, sp.Min)):
        return values[args[0]] - values[args[1]] if len(args) == 2 else sp.Integer(1)
    return values[args[0]]


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


def _node(i, exprs, inputs, locals_, adjoints, at, function) -> Node:  # type: ignore[no-untyped-def]
    expr = exprs[i]
    name = expr.name if expr.is_Symbol else ("f" if i == len(exprs) - 1 else f"n{i + 1}")
    if i == len(exprs) - 1:
        name = function.name
    if at is None:
        return Node(name, op_name(expr), expr, inputs[i], locals_[i], grad=adjoints[i])
    local_values = tuple(evaluate_at(d.xreplace(at), ()) for d in locals_[i])
    grad = None if op_name(expr) == "const" else evaluate_at(adjoints[i], ())
    return Node(
        name,
        op_name(expr),
        expr,
        inputs[i],
        locals_[i],
        evaluate_at(at[expr], ()),
        local_values,
        adjoints[i],
        grad,
    )
