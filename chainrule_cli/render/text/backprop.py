"""Pretty and plain layout of a backward pass: one table row per node, in topological order."""

from __future__ import annotations

from ...results import Backprop, Node
from ..mathtext import as_math
from ..notation import derivative_of
from ..settings import Settings
from .lines import Line, Segment, function_line, layout, short, vector


def input_names(node: Node, backprop: Backprop) -> tuple:
    """The node's inputs by name: an operation's id (n13), an input or a constant as itself."""
    import sympy as sp

    return tuple(
        other.expr if other.op in ("input", "const") else sp.Symbol(other.id)
        for other in (backprop.nodes[j] for j in node.inputs)
    )


def in_node_names(node: Node, backprop: Backprop) -> tuple:
    """The local derivatives written in the input nodes' names: 2·n13, not 2·(tanh(...) - t)."""
    from ...graph import local_derivatives

    return local_derivatives(node.expr, input_names(node, backprop))


def local_text(node: Node, backprop: Backprop, settings: Settings) -> str:
    d = "∂" if settings.unicode else "d"
    parts = []
    named = in_node_names(node, backprop)
    for k, j in enumerate(node.inputs):
        other = backprop.nodes[j]
        if other.op == "const":
            continue
        local = named[k]
        text = f"{d}{node.id}/{d}{other.id} = {as_math(local, settings.unicode)}"
        if node.local_values is not None and not local.is_number:  # -1 is its own value
            text += f" = {short(node.local_values[k], settings)}"
        parts.append(text)
    return "; ".join(parts)


def rows(backprop: Backprop, settings: Settings) -> list[list[str]]:
    d = "∂" if settings.unicode else "d"
    name = backprop.function.name
    at_point = backprop.gradient_values is not None
    header = [
        "node",
        "op",
        "inputs",
        "value" if at_point else "expression",
        "local derivatives",
        f"{d}{name}/{d}node",
    ]
    table = [header]
    for node in backprop.nodes:
        inputs = ", ".join(backprop.nodes[j].id for j in node.inputs)
        if at_point:
            shown = short(node.value, settings) if node.value else ""
            grad = short(node.grad_value, settings) if node.grad_value else ""
        else:
            shown = as_math(node.expr, settings.unicode)
            grad = "" if node.op == "const" else as_math(node.grad, settings.unicode)
        table.append([node.id, node.op, inputs, shown, local_text(node, backprop, settings), grad])
    return table


@layout.register
def _(backprop: Backprop, settings: Settings) -> list[Line]:
    lines: list[Line] = [function_line(backprop.function, settings)]
    if backprop.gradient_values is not None:
        where = ", ".join(f"{s.name} = {as_math(v, settings.unicode)}" for s, v in backprop.point)
        lines.append((Segment(f"forward and backward pass at {where}:"),))
    else:
        lines.append((Segment("symbolic backward pass:"),))
    table = rows(backprop, settings)
    widths = [max(len(row[c]) for row in table) for c in range(len(table[0]))]
    for i, row in enumerate(table):
        text = "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
        lines.append((Segment("  " + text, "label" if i == 0 else "math"),))
    for (variable, gradient), value in zip(
        backprop.gradient, backprop.gradient_values or [None] * len(backprop.gradient)
    ):
        label = derivative_of(backprop.function, (variable,), settings)
        shown_value = (
            short(value, settings) if value is not None else as_math(gradient, settings.unicode)
        )
        lines.append((Segment(label, "label"), Segment(" = "), Segment(shown_value, "value")))
    nabla = "∇" if settings.unicode else "grad "
    if backprop.gradient_values is not None:
        shown = vector([short(v, settings) for v in backprop.gradient_values], settings)
        role = "value"
    else:
        shown = vector([as_math(g, settings.unicode) for _, g in backprop.gradient], settings)
        role = "math"
    lines.append(
        (Segment(f"{nabla}{backprop.function.name}", "label"), Segment(" = "), Segment(shown, role))
    )
    return lines
