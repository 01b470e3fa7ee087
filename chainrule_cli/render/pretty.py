"""Pretty output for a person at a terminal: the plain layout with restrained colour."""

from __future__ import annotations

from rich.text import Text

from . import chain_lines  # noqa: F401  (registers the chain layout)
from .lines import layout
from .settings import Settings

STYLES = {
    "function": "bold",
    "label": "cyan",
    "math": "",
    "value": "bold green",
    "remark": "italic",
}


def render(result: object, settings: Settings) -> Text:
    text = Text()
    for line in layout(result, settings):
        for segment in line:
            text.append(segment.text, style=STYLES.get(segment.role, ""))
        text.append("\n")
    return text
