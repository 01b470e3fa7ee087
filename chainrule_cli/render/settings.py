from __future__ import annotations

from dataclasses import dataclass

from .notation import ASCII, UNICODE, Notation


@dataclass(frozen=True)
class Settings:
    """What every text renderer needs to know: the notation and whether Unicode can be shown."""

    notation: Notation = Notation.leibniz
    unicode: bool = True
    digits: int | None = None  # --digits: values as decimals to this many significant digits

    @property
    def style(self) -> str:
        return UNICODE if self.unicode else ASCII
