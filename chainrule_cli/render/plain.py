"""Plain text: the pretty layout without colour, for files and pipes."""

from __future__ import annotations

from . import backprop_lines, chain_lines, toolbox_lines  # noqa: F401  (register layouts)
from .lines import layout, plain_text
from .settings import Settings


def render(result: object, settings: Settings) -> str:
    return plain_text(layout(result, settings)) + "\n"
