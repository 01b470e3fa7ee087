"""Plain text: the pretty layout without colour, for files and pipes."""

from __future__ import annotations

from ..settings import Settings
from . import analysis, backprop, chain, definition, nth, toolbox  # noqa: F401  (register layouts)
from .lines import layout, plain_text


def render(result: object, settings: Settings) -> str:
    return plain_text(layout(result, settings)) + "\n"
