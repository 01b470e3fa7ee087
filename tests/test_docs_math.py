"""The docs' formulas are typeset: $...$ and $$...$$ become MathML when the site is built
(docs/hooks/mathml.py), every formula in the docs converts, the LaTeX shown rendered in
formats.md is what deriv prints, and a browser, where one is installed, draws a fraction
stacked."""

import importlib.util
import re
import shutil
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("latex2mathml")
from latex2mathml.converter import convert  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
spec = importlib.util.spec_from_file_location("mathml", DOCS / "hooks" / "mathml.py")
mathml = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mathml)

BLOCK = re.compile(r"^\$\$\n?(.*?)\n?\$\$$", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)\$")
CODE = re.compile(r"```.*?```|`[^`\n]*`", re.DOTALL)


def formulas() -> list[tuple[str, str]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        prose = CODE.sub("", page.read_text(encoding="utf-8"))
        found += [(page.name, tex) for tex in BLOCK.findall(prose)]
        found += [(page.name, tex) for tex in INLINE.findall(BLOCK.sub("", prose))]
    return found


def test_the_hook_turns_marked_formulas_into_mathml():
    page = (
        '<p>slope <span class="arithmatex">\\(x^2 &lt; 1\\)</span></p>'
        '<div class="arithmatex">\\[\\frac{df}{dx}\\]</div>'
    )
    typeset = mathml.typeset(page)
    assert typeset.count("<math") == 2 and 'display="block"' in typeset
    assert "arithmatex" not in typeset and "&#x0003C;" in typeset


def test_the_tutorial_has_typeset_formulas():
    assert any(page == "tutorial.md" and "\\frac" in tex for page, tex in formulas())


@pytest.mark.parametrize("page, tex", formulas())
def test_every_formula_in_the_docs_converts(page, tex):
    out = convert(tex.strip(), display="block")
    assert "<mi>&amp;</mi>" not in out and "<mi>\\" not in out, (page, tex)


def test_formats_shows_deriv_s_own_latex_rendered(deriv):
    text = (DOCS / "formats.md").read_text(encoding="utf-8")
    printed = deriv("grad", "x^2 y", "--format", "latex").out.strip()
    assert f"$$\n{printed}\n$$" in text


@pytest.mark.skipif(not shutil.which("chromium"), reason="needs Debian's chromium package")
def test_a_browser_draws_the_fraction_stacked(tmp_path):
    """A typeset df/dx is taller than a line of text; as plain text it would be one line."""
    formula = mathml.typeset('<div class="arithmatex">\\[\\frac{df}{dx} = 12x\\]</div>')
    page = tmp_path / "page.html"
    page.write_text(
        "<!doctype html><html><head><title>-</title></head><body>"
        f"<p id=line>a line of text</p>{formula}<script>"
        "const m = document.querySelector('math').getBoundingClientRect().height;"
        "const t = document.getElementById('line').getBoundingClientRect().height;"
        "document.title = m + ' ' + t;</script></body></html>",
        encoding="utf-8",
    )
    dom = subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    heights = re.search(r"<title>([\d.]+) ([\d.]+)</title>", dom)
    assert heights, dom[:300]
    assert float(heights[1]) > 1.5 * float(heights[2])
