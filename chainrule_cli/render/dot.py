"""Graphviz DOT for a computational graph: forward edges, each node labelled with its
operation, value and gradient, in the way micrograd's draw_dot draws one."""

from __future__ import annotations

from ..results import Backprop
from .mathtext import as_expr, format_float
from .settings import Settings


def render(result: object, settings: Settings) -> str:
    if not isinstance(result, Backprop):
        from ..errors import InputError

        raise InputError("--format dot draws the graph of deriv backprop; use another format")
    lines = ["digraph backprop {", "  rankdir=LR;", '  node [shape=record, fontname="monospace"];']
    ids = [_quoted(node.id) for node in result.nodes]  # the table's names: n3 is n3 in both
    for i, node in enumerate(result.nodes):
        parts = [node.id, node.op if node.op not in ("input", "const") else as_expr(node.expr)]
        if node.value is not None:
            parts.append(f"value {format_float(node.value.approx.evalf(6))}")
        if node.grad_value is not None:
            parts.append(f"grad {format_float(node.grad_value.approx.evalf(6))}")
        label = " | ".join(_escape(p) for p in parts)
        lines.append(f'  {ids[i]} [label="{{ {label} }}"];')
        lines += [f"  {ids[j]} -> {ids[i]};" for j in node.inputs]
    lines.append("}")
    return "\n".join(lines) + "\n"


def _quoted(name: str) -> str:
    return '"' + name.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _escape(text: str) -> str:
    for char in '\\{}|<>"':
        text = text.replace(char, "\\" + char)
    return text
