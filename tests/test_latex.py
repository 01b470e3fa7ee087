"""LaTeX a teacher can paste: every command's LaTeX compiles with pdflatex in a plain amsmath
document, as it is. Runs where pdflatex is installed (.ci/run installs Debian's
texlive-latex-base); elsewhere it is skipped."""

import shutil
import subprocess

import pytest

SAMPLES = [
    ("diff", "6x^2"),
    ("diff", "6x^2", "--notation", "lagrange"),
    ("diff", "x^4", "--order", "4", "--notation", "euler"),
    ("diff", "x^2 y", "--wrt", "x", "--wrt", "y", "--at", "x=1,y=2"),
    ("diff", "θ^2 + sin(φ)", "--wrt", "θ"),
    ("diff", "asin(x) + ln(x) + acosh(x) + atan(x)^2"),
    ("diff", "sin(x^2)", "--steps"),
    ("diff", "abs(x) + sqrt(x) + cbrt(x)", "--steps"),
    ("diff", "x^x", "--steps", "--notation", "lagrange"),
    ("diff", "1e-20*x^3", "--at", "x=2"),
    ("diff", "abs(x)", "--at", "x=0"),
    ("diff", "6x^2", "--check"),
    ("grad", "3x + y"),
    ("grad", "-0.5x + 0.25y^2", "--at", "x=1,y=2"),
    ("grad", "(tanh(w1*x1 + w2*x2 + b) - t)^2", "--cse"),
    ("grad", "α x + β y", "--steps"),
    ("chain", "0.5*o", "--inner", "o=-x+0.5y^2", "--at", "x=1,y=2"),
    ("chain", "x*sin(x^2)"),
    ("chain", "o1*o2", "--inner", "o1=x+y", "--inner", "o2=x*y"),
    ("chain", "L", "--inner", "z=w*x+b", "--inner", "a=tanh(z)", "--inner", "L=(a-t)^2"),
    ("jacobian", "r cos(θ), r sin(θ)", "--at", "r=1,θ=pi/2"),
    ("hessian", "x^2 - y^2", "--at", "x=0,y=0"),
    ("dir", "3x + y", "--direction", "1,1", "--at", "x=1,y=1"),
    ("implicit", "x^2 + y^2 = 1", "--at", "x=0.6,y=0.8"),
    ("implicit", "x^2 + y^2 = 1", "--order", "2", "--notation", "lagrange"),
    ("tangent", "x^2", "--at", "x=1"),
    ("tangent", "x^2 + y^2", "--at", "x=1,y=1"),
    ("tangent", "x^2", "--at", "x=1", "--normal"),
    ("parametric", "cos(t), sin(t)", "--at", "t=pi/4"),
    ("parametric", "1 + cos(θ)", "--polar"),
    ("analyze", "x e^(-x)"),
    ("definition", "(x + 1)/(x^2 + 1)"),
    ("definition", "sqrt(3x + 1)"),
    ("definition", "cos(x)"),
    ("definition", "e^x"),
    ("diff", "sqrt(x)", "--order", "n"),
    ("diff", "1/(x + 2)", "--order", "k", "--notation", "lagrange"),
    ("diff", "ln(2x + 1)", "--order", "n", "--notation", "euler"),
    ("analyze", "1/x", "--on", "-1:1"),
    ("analyze", "x^2 e^(-x^2)", "--on", "-3:3"),
    ("analyze", "abs(x - 1)", "--notation", "lagrange"),
    ("tangent", "x^2 + y^2", "--at", "x=1,y=1", "--normal"),
    ("check", "6x^2", "--answer", "12x"),
    ("check", "x^3", "--answer", "2x"),
    ("taylor", "sin(x)", "--order", "5"),
    ("taylor", "ln(x)", "--at", "x=1", "--order", "3", "--steps"),
    ("taylor", "x^2 y + y", "--at", "x=1,y=2"),
    ("backprop", "0.5*(-x + 0.5y^2)", "--at", "x=1,y=2"),
    ("backprop", "(tanh(w1*x1 + b) - t)^2"),
    ("matrix", "norm(tanh(W x + b) - y)^2", "--wrt", "W", "--wrt", "x", "--vector", "b"),
    ("matrix", "logdet(X) + sum(exp(x) .* x)", "--wrt", "X", "--wrt", "x"),
    (
        "matrix",
        "norm(W x - y)^2",
        "--wrt",
        "W",
        "--steps",
        "--at",
        "W=[[1,2],[3,4]],x=[1,1],y=[0,1]",
    ),
    (
        "matrix",
        "tanh(W x + b)",
        "--wrt",
        "x",
        "--vector",
        "b",
        "--steps",
        "--layout",
        "denominator",
    ),
]


def latex_of(deriv, args) -> str:
    ran = deriv(*args, "--format", "latex")
    assert ran.out.startswith("\\begin{align*}\n") and ran.out.endswith("\\end{align*}\n")
    return ran.out


def test_every_record_is_one_align_block(deriv):
    for args in SAMPLES:
        block = latex_of(deriv, args)
        assert block.count("\\begin{align*}") == 1, args
        assert "&" in block.splitlines()[1], args  # the function's line, aligned at its =


@pytest.mark.skipif(shutil.which("pdflatex") is None, reason="pdflatex is not installed")
def test_every_command_compiles_with_pdflatex(deriv, tmp_path):
    blocks = [latex_of(deriv, args) for args in SAMPLES]
    failures = [args for args, block in zip(SAMPLES, blocks) if not _compiles(block, tmp_path)]
    assert failures == []


def _compiles(block: str, folder) -> bool:
    document = (
        "\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n"
        f"{block}\\end{{document}}\n"
    )
    (folder / "sample.tex").write_text(document, encoding="utf-8")
    proc = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "sample.tex"],
        cwd=folder,
        capture_output=True,
        timeout=60,
    )
    return proc.returncode == 0
