"""Backpropagation: the chain rule node by node through the expression's computational graph.

The backward pass only orders the nodes and applies them in reverse: the adjoint of a node is
the sum, over the nodes that consume it, of the consumer's adjoint times the local derivative.
The graph and each operation's local derivatives come from graph.py.

At a point, f must be defined there (the point oracle, points.py); where a local derivative has
no value (√x at 0), the oracle's verdict on the gradient says why. At a kink (|u| at u = 0, a
tie of max) backprop passes back what PyTorch does, and the oracle says whether f has a gradient
there at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import partial

import sympy as sp

from .calculus import gradient_at
from .errors import UndefinedAt
from .graph import KINKED, graph, local_derivatives, op_name
from .points import defined_at
from .results import UNDEFINED, Backprop, Failure, Function, Node, Point
from .values import as_fractions, evaluate_at, sign_of


@dataclass(frozen=True)
class Graph:
    """The nodes in topological order (the output last), each one's inputs by index, and
    each one's local derivatives by its inputs."""

    exprs: list[sp.Expr]
    inputs: list[tuple[int, ...]]
    locals: list[tuple[sp.Expr, ...]]

    @classmethod
    def of(cls, expr: sp.Expr) -> Graph:
        exprs = graph(expr)
        index = {e: i for i, e in enumerate(exprs)}
        inputs = [
            tuple(index[a] for a in e.args) if op_name(e) not in ("const", "input") else ()
            for e in exprs
        ]
        return cls(exprs, inputs, [local_derivatives(e) for e in exprs])

    def adjoint_of(self, adjoints: list[sp.Expr], variable: sp.Symbol) -> sp.Expr:
        return adjoints[self.exprs.index(variable)] if variable in self.exprs else sp.Integer(0)


def backprop(function: Function, point: Point | None = None) -> Backprop:
    g = Graph.of(function.expr)
    if point is None:
        return _symbolic(function, g)
    evaluated = replace(function, expr=function.expr.doit())  # 2·2 as typed is 4 to the oracle
    failure = defined_at(evaluated, point)
    if failure is not None:
        return _symbolic(function, g, point, failure)
    values = _forward(g, point)
    locals_at = _locals_at(g, values)
    adjoints = _backward(g, locals_at)
    gradient = tuple((v, g.adjoint_of(adjoints, v)) for v in function.variables)
    shown = partial(evaluate_at, point=point, domain=function.domain)
    try:
        nodes = tuple(
            _node(i, g, adjoints, function, shown, values, locals_at) for i in range(len(g.exprs))
        )
        gradient_values = tuple(shown(d) for _, d in gradient)
    except UndefinedAt:  # a local derivative has no value: the gradient's own verdict says why
        verdict = gradient_at(evaluated, function.variables, point, [d for _, d in gradient])
        if isinstance(verdict, Failure):
            return _symbolic(function, g, point, verdict)
        # the gradient exists though a node's slope is infinite (x·∛x at 0: ∞·0, nan in PyTorch)
        return replace(_symbolic(function, g, point, Failure(UNDEFINED)), true_gradient=verdict)
    kinks = tuple(
        node.id
        for node, e, args in zip(nodes, g.exprs, g.inputs)
        if type(e) in KINKED and _at_kink(e, args, values)
    )
    value = shown(values[-1])
    if not kinks:
        return Backprop(function, nodes, gradient, point, value, gradient_values)
    verdict = gradient_at(evaluated, function.variables, point, [d for _, d in gradient])
    no_gradient, true_gradient = _compared(verdict, gradient_values)
    return Backprop(
        function,
        nodes,
        gradient,
        point,
        value,
        gradient_values,
        kinks,
        no_gradient,
        true_gradient=true_gradient,
    )


def _symbolic(
    function: Function, g: Graph, point: Point | None = None, failure: Failure | None = None
) -> Backprop:
    """The backward pass in symbols; with a point, why there are no values there."""
    adjoints = _backward(g, g.locals)
    nodes = tuple(_node(i, g, adjoints, function) for i in range(len(g.exprs)))
    gradient = tuple((v, g.adjoint_of(adjoints, v)) for v in function.variables)
    return Backprop(function, nodes, gradient, point, failure=failure)


def _forward(g: Graph, point: Point) -> list[sp.Expr]:
    """Each node's exact value at the point, computed from its inputs' values."""
    given = {s: as_fractions(v) for s, v in point}
    values: list[sp.Expr] = []
    for expr, args in zip(g.exprs, g.inputs):
        if expr.is_Symbol:
            if expr not in given:
                from .errors import InputError

                raise InputError(f"--at gives no value for {expr.name}")
            values.append(given[expr])
        elif not args:
            values.append(expr.doit())  # a constant as typed, 2·2 unmultiplied: its value
        else:
            values.append(expr.func(*(values[j] for j in args)))
    return values


def _backward(g: Graph, locals_: list[tuple[sp.Expr, ...]]) -> list[sp.Expr]:
    """Each node's adjoint ∂f/∂node: the output's 1 passed back through the local derivatives
    (g's own, or taken at the point)."""
    adjoints: list[sp.Expr] = [sp.Integer(0)] * len(g.exprs)
    adjoints[-1] = sp.Integer(1)
    for i in reversed(range(len(g.exprs))):
        for k, j in enumerate(g.inputs[i]):
            if op_name(g.exprs[j]) == "const":
                continue  # constants get no gradient (d/d2 of y^2 would need log(y))
            adjoints[j] = adjoints[j] + adjoints[i] * locals_[i][k]
    return adjoints


def _locals_at(g: Graph, values: list[sp.Expr]) -> list[tuple[sp.Expr, ...]]:
    """Each node's local derivatives at the point; max and min of three or more split a tie
    evenly among the arguments that attain it, as PyTorch's amax and amin do."""
    at = dict(zip(g.exprs, values))  # every node's value: 2(a - t) may be written 2a - 2t
    found = []
    for expr, args, locals_ in zip(g.exprs, g.inputs, g.locals):
        if isinstance(expr, (sp.Max, sp.Min)) and len(args) > 2:
            shares = [tie_share(expr, [values[j] for j in args], k) for k in range(len(args))]
            found.append(tuple(shares))
        else:
            found.append(tuple(local.xreplace(at) for local in locals_))
    return found


def tie_share(expr: sp.Expr, arguments: list[sp.Expr], k: int) -> sp.Expr:
    """∂max/∂a_k: 1/m where a_k is one of the m arguments that attain the maximum, else 0."""
    best, better = arguments[0], 1 if isinstance(expr, sp.Max) else -1
    for a in arguments[1:]:
        if sign_of(a - best) == better:
            best = a
    attaining = [sign_of(a - best) == 0 for a in arguments]
    return sp.Rational(1, sum(attaining)) if attaining[k] else sp.Integer(0)


def _at_kink(expr: sp.Expr, args: tuple[int, ...], values: list[sp.Expr]) -> bool:
    """Whether a node is at its kink: its argument 0, or for max and min a tie."""
    if isinstance(expr, (sp.Max, sp.Min)):
        arguments = [values[j] for j in args]
        return any(sign_of(a - b) == 0 for i, a in enumerate(arguments) for b in arguments[i + 1 :])
    return sign_of(values[args[0]]) == 0


def _compared(verdict, gradient_values):  # type: ignore[no-untyped-def]
    """At a kink, what the point oracle says of f's gradient there, beside backprop's values:
    (why there is none, None), or (None, the gradient) where it exists and they differ from
    it (relu(x) - relu(-x) is x, with gradient 1, where PyTorch passes back 0)."""
    if isinstance(verdict, Failure):
        return verdict, None
    same = all(sign_of(v.number - g.number) == 0 for v, g in zip(verdict, gradient_values))
    return None, None if same else verdict


def _node(i, g, adjoints, function, shown=None, values=None, locals_at=None) -> Node:  # type: ignore[no-untyped-def]
    expr = g.exprs[i]
    name = expr.name if expr.is_Symbol else f"n{i + 1}"
    if i == len(g.exprs) - 1:
        name = function.name
    if shown is None:
        return Node(name, op_name(expr), expr, g.inputs[i], g.locals[i], grad=adjoints[i])
    local_values = tuple(shown(local) for local in locals_at[i])
    grad = None if op_name(expr) == "const" else shown(adjoints[i])
    return Node(
        name,
        op_name(expr),
        expr,
        g.inputs[i],
        g.locals[i],
        shown(values[i]),
        local_values,
        adjoints[i],
        grad,
    )
