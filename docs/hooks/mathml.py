"""MkDocs hook: the docs' formulas ($...$ and $$...$$, marked by pymdownx.arithmatex) become
MathML when the site is built, with latex2mathml. Browsers typeset MathML themselves: no
script, no web font and no CDN, so the site reads the same offline."""

from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

FORMULA = re.compile(
    r'<(?P<tag>span|div) class="arithmatex">(?:\\\(|\\\[)(?P<tex>.*?)(?:\\\)|\\\])</(?P=tag)>',
    re.DOTALL,
)


def typeset(page_html: str) -> str:
    """Every arithmatex formula of a page as MathML, inline or as a block."""

    def mathml(found: re.Match) -> str:
        display = "block" if found["tag"] == "div" else "inline"
        return convert(html.unescape(found["tex"]).strip(), display=display)

    return FORMULA.sub(mathml, page_html)


def on_page_content(html: str, **_: object) -> str:
    return typeset(html)
