"""Pretty output for a person at a terminal: the plain layout with restrained colour."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from rich.tree import Tree

from ..settings import Settings
from . import analysis, backprop, chain, definition, nth, toolbox  # noqa: F401  (register layouts)
from .lines import Line, layout

STYLES = {
    "function": "bold",
    "label": "cyan",
    "math": "",
    "value": "bold green",
    "remark": "italic",
}


def render(result: object, settings: Settings) -> str:
    """The styled text, as the terminal shows it."""
    import sys

    from rich.console import Console

    console = Console(file=sys.stdout, highlight=False, emoji=False, markup=False)
    with console.capture() as captured:
        for part in renderables(result, settings).renderables:
            # lines run on (the terminal wraps them, copying keeps them whole); a steps tree
            # wraps its long lines at spaces, inside its own indentation, never mid-token
            console.print(part, soft_wrap=not isinstance(part, Tree))
    return captured.get()


def renderables(result: object, settings: Settings) -> Group:
    """The layout's lines, styled; derivation steps (indented lines) become a rich Tree."""
    parts: list = []
    tree_lines: list[Line] = []
    for line in [*layout(result, settings), ()]:
        if line and line[0].role == "indent":
            tree_lines.append(line)
            continue
        if tree_lines:
            parts.append(as_tree(tree_lines))
            tree_lines = []
        if line:
            parts.append(styled(line))
    return Group(*parts)


def styled(line: Line) -> Text:
    text = Text()
    for segment in line:
        text.append(segment.text, style=STYLES.get(segment.role, ""))
    return text


def as_tree(lines: list[Line]) -> Tree:
    root = Tree("steps", style="dim", guide_style="dim")
    parents: list[Tree] = [root]
    for line in lines:
        depth = len(line[0].text) // 2
        del parents[depth + 1 :]
        node = parents[-1].add(styled(line[1:]))
        parents.append(node)
    return root
