"""Numeric backpropagation over the expression's graph, level by level with numpy.

`compile_tape` turns the graph into arrays once; `Tape.gradient(values)` then runs the forward
and backward passes in floating point, each level's operations of one kind as one numpy call.
Operations it does not know make `compile_tape` raise TapeUnsupported, and callers use SymPy.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

import numpy as np
import sympy as sp

from .graph import graph, op_name

UNARY = {  # f, f' in terms of (x, f(x))
    "sin": (np.sin, lambda x, y: np.cos(x)),
    "cos": (np.cos, lambda x, y: -np.sin(x)),
    "tan": (np.tan, lambda x, y: 1 + y * y),
    "exp": (np.exp, lambda x, y: y),
    "log": (np.log, lambda x, y: 1 / x),
    "tanh": (np.tanh, lambda x, y: 1 - y * y),
    "sinh": (np.sinh, lambda x, y: np.cosh(x)),
    "cosh": (np.cosh, lambda x, y: np.sinh(x)),
    "atan": (np.arctan, lambda x, y: 1 / (1 + x * x)),
    "abs": (np.abs, lambda x, y: np.sign(x)),  # 0 at 0, as in PyTorch
    "sigmoid": (lambda x: 1 / (1 + np.exp(-x)), lambda x, y: y * (1 - y)),
    "softplus": (lambda x: np.logaddexp(0, x), lambda x, y: 1 / (1 + np.exp(-x))),
}


class TapeUnsupported(Exception):
    """The expression has an operation the numeric tape does not handle."""


@dataclass
class Group:
    op: str
    nodes: np.ndarray  # the nodes of this kind at this level
    args: np.ndarray  # their inputs, flattened
    starts: np.ndarray  # where each node's inputs begin in args
    owner: np.ndarray  # for each entry of args, the position of its node in `nodes`
    exponents: np.ndarray | None = None


@dataclass
class Tape:
    size: int
    inputs: np.ndarray  # node index of each variable (-1 when absent)
    constants: tuple[np.ndarray, np.ndarray]  # node indices, values
    levels: list[list[Group]]

    def gradient(self, point: np.ndarray, dtype: type = np.float64) -> tuple[float, np.ndarray]:
        """f and ∇f at the point (one value per variable, in the tape's variable order), in
        doubles, or in `dtype` (float32: to see how much round-off the doubles carry)."""
        values = np.zeros(self.size, dtype=dtype)
        present = self.inputs >= 0
        values[self.inputs[present]] = point[present]
        values[self.constants[0]] = self.constants[1]
        for level in self.levels:  # forward
            for group in level:
                _forward(group, values)
        adjoint = np.zeros(self.size, dtype=dtype)
        adjoint[-1] = 1.0
        for level in reversed(self.levels):  # backward
            for group in level:
                _backward(group, values, adjoint)
        grad = np.where(present, adjoint[np.maximum(self.inputs, 0)], 0.0)
        return float(values[-1]), grad


def compile_tape(expr: sp.Expr, variables: tuple[sp.Symbol, ...]) -> Tape:
    exprs = graph(expr)
    index = {e: i for i, e in enumerate(exprs)}
    level = [0] * len(exprs)
    grouped: dict[tuple[int, str], list[int]] = defaultdict(list)
    constants, constant_values = [], []
    for i, e in enumerate(exprs):
        op = op_name(e)
        if op == "input":
            continue
        if op == "const":
            value = complex(e.evalf(17))
            if value.imag:
                raise TapeUnsupported("a complex constant")
            constants.append(i)
            constant_values.append(value.real)
            continue
        kind = _kind(e)
        level[i] = 1 + max(level[index[a]] for a in e.args)
        grouped[(level[i], kind)].append(i)
    levels: list[list[Group]] = [[] for _ in range(max(level) if level else 0)]
    for (lvl, kind), nodes in sorted(grouped.items()):
        levels[lvl - 1].append(_group(kind, nodes, exprs, index))
    inputs = np.array([index.get(v, -1) for v in variables], dtype=np.int64)
    return Tape(
        len(exprs), inputs, (np.array(constants, dtype=np.int64), np.array(constant_values)), levels
    )


def _kind(e: sp.Expr) -> str:
    op = op_name(e)
    if op in ("+", "*"):
        return op
    if op == "^":
        if e.exp.free_symbols or not e.exp.is_real:
            raise TapeUnsupported("a power with a variable exponent")
        return "^"
    if op in UNARY and len(e.args) == 1:
        return op
    raise TapeUnsupported(f"the operation {op}")


def _group(kind: str, nodes: list[int], exprs, index) -> Group:  # type: ignore[no-untyped-def]
    if kind == "^":
        bases = [index[exprs[i].base] for i in nodes]
        exponents = np.array([float(exprs[i].exp) for i in nodes])
        position = np.arange(len(nodes))
        return Group(kind, np.array(nodes), np.array(bases), position, position, exponents)
    args, starts, owner = [], [], []
    for position, i in enumerate(nodes):
        starts.append(len(args))
        for a in exprs[i].args:
            args.append(index[a])
            owner.append(position)
    return Group(kind, np.array(nodes), np.array(args), np.array(starts), np.array(owner))


def _forward(group: Group, values: np.ndarray) -> None:
    x = values[group.args]
    if group.op == "+":
        values[group.nodes] = np.add.reduceat(x, group.starts)
    elif group.op == "*":
        values[group.nodes] = np.multiply.reduceat(x, group.starts)
    elif group.op == "^":
        values[group.nodes] = np.power(x, group.exponents.astype(x.dtype))
    else:
        values[group.nodes] = UNARY[group.op][0](x)


def _backward(group: Group, values: np.ndarray, adjoint: np.ndarray) -> None:
    upstream = adjoint[group.nodes]
    x = values[group.args]
    if group.op == "+":
        local = np.ones_like(x)
    elif group.op == "*":
        local = _others_product(group, x)
    elif group.op == "^":
        exponents = group.exponents.astype(x.dtype)
        local = exponents * np.power(x, exponents - 1)
    else:
        local = UNARY[group.op][1](x, values[group.nodes][group.owner])
    np.add.at(adjoint, group.args, upstream[group.owner] * local)


def _others_product(group: Group, x: np.ndarray) -> np.ndarray:
    """For each argument of each product, the product of the other arguments."""
    with np.errstate(divide="ignore", invalid="ignore"):
        whole = np.multiply.reduceat(x, group.starts)[group.owner]
        local = whole / x
    zero = x == 0
    if zero.any():  # a zero factor: multiply the others out exactly
        for k in np.flatnonzero(zero):
            mask = group.owner == group.owner[k]
            mask[k] = False
            local[k] = np.prod(x[mask])
    return local
