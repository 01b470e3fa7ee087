"""Answers in the form a textbook prints: deriv's derivatives against textbooks' answer keys.

The exercises and their answers come from two open textbooks, read at run time from git
checkouts; nothing of either book is kept in this repository (both are licensed NC):
- OpenStax Calculus Volume 1 (CC BY-NC-SA 4.0), chapter 3 (differentiation rules;
  trigonometric, inverse, exponential and logarithmic functions; the chain rule), from
  github.com/openstax/osbooks-calculus-bundle (MathML);
- APEX Calculus (CC BY-NC 4.0), chapter 2, from github.com/APEXCalculus/APEXCalculus_Source
  (LaTeX exercises with their answers).
Each exercise "f(x) = ..." whose answer key gives "f'(x) = ..." becomes a pair; the answer is
read by deriv's own parser and kept only where it equals SymPy's derivative. For each, the
length (SymPy's count_ops) of SymPy's raw `diff`, of deriv's default answer and of deriv's
`--simplify` answer is compared with the textbook's.

Run: .venv/bin/python benchmarks/textbook.py, with the checkouts where SOURCES says or named by
OPENSTAX_REPO and APEX_REPO (the git directory, bare or not).
"""

from __future__ import annotations

import os
import re
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import sympy as sp
from common import save, table

from chainrule_cli import api, calculus
from chainrule_cli.errors import DerivError

MODULES = {  # chapter 3 of Calculus Volume 1
    "m53573": "3.2 the derivative as a function",
    "m53575": "3.3 differentiation rules",
    "m53576": "3.4 derivatives as rates of change",
    "m53578": "3.5 trigonometric functions",
    "m53581": "3.6 the chain rule",
    "m53584": "3.7 inverse functions",
    "m53586": "3.9 exponential and logarithmic functions",
}
M = "{http://www.w3.org/1998/Math/MathML}"
C = "{http://cnx.rice.edu/cnxml}"
OPERATORS = {"−": "-", "·": "*", "×": "*", "⋅": "*", "(": "(", ")": ")", "+": "+", "-": "-"}
OPERATORS |= {"/": "/", "=": "=", ",": ",", "|": "|", "[": "(", "]": ")", "′": "'"}


def git(repo: Path, *args: str) -> str:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return run.stdout


def module_text(repo: Path, module: str) -> str:
    return git(repo, "show", f"HEAD:modules/{module}/index.cnxml")


def as_text(node: ET.Element) -> str:
    """MathML (the subset the book uses) as deriv's text, parenthesised where it nests."""
    tag = node.tag.removeprefix(M)
    children = list(node)
    if tag in ("math", "mrow", "mstyle", "semantics", "mpadded"):
        return " ".join(as_text(c) for c in children)
    if tag == "mi":
        return {"π": "pi"}.get((node.text or "").strip(), (node.text or "").strip())
    if tag == "mn":
        return (node.text or "").strip().replace("−", "-")
    if tag == "mo":
        text = (node.text or "").strip()
        return OPERATORS.get(text, text)
    if tag == "msup":
        base, power = (as_text(c) for c in children)
        return f"{base}^({power})" if base in FUNCTION_NAMES else f"({base})^({power})"
    if tag == "msub":
        base, index = (as_text(c) for c in children)
        return f"{base}_{index}"
    if tag == "mfrac":
        top, bottom = (as_text(c) for c in children)
        return f"(({top})/({bottom}))"
    if tag == "msqrt":
        return f"sqrt({' '.join(as_text(c) for c in children)})"
    if tag == "mroot":
        radicand, degree = (as_text(c) for c in children)
        return f"root({radicand}, {degree})"
    if tag == "mfenced":
        return "(" + ", ".join(as_text(c) for c in children) + ")"
    if tag in ("mspace", "none", "annotation"):
        return ""
    raise ValueError(f"no text for <{tag}>")


FUNCTION_NAMES = {"sin", "cos", "tan", "sec", "csc", "cot", "ln", "log", "sinh", "cosh", "tanh"}


DEFINITION = re.compile(r"\s*(?:[a-zA-Z]\s*\(\s*[a-z]\s*\)|y)\s*=([^=,]*?)[\s.,]*")


def final_answer(math: ET.Element) -> str:
    """A solution's last right-hand side: a worked table's final row, after its last '='."""
    rows = list(math.iter(f"{M}mtr"))
    if rows:
        cells = [c for c in rows[-1] if c.find(f".//{M}mtext") is None and list(c)]
        math = cells[-1] if cells else math
    return as_text(math).split("=")[-1].strip(" .,")


def pairs(repo: Path) -> list[tuple[str, str, str]]:
    """(section, function, textbook derivative) for each answered exercise 'f(x) = ...'."""
    found = []
    for module, section in MODULES.items():
        root = ET.fromstring(module_text(repo, module))
        for exercise in root.iter(f"{C}exercise"):
            problem, solution = exercise.find(f"{C}problem"), exercise.find(f"{C}solution")
            if problem is None or solution is None:
                continue
            try:
                questions = [DEFINITION.fullmatch(as_text(m)) for m in problem.iter(f"{M}math")]
                answers = list(solution.iter(f"{M}math"))
                definitions = [q.group(1) for q in questions if q]
                if len(definitions) != 1 or not answers:
                    continue
                found.append((section, definitions[0], final_answer(answers[-1])))
            except ValueError:
                continue
    return found


APEX_SECTIONS = {  # chapter 2 of APEX Calculus
    "02_01": "2.1 the derivative",
    "02_03": "2.3 basic differentiation rules",
    "02_04": "2.4 the product and quotient rules",
    "02_05": "2.5 the chain rule",
    "02_07": "2.7 derivatives of inverse functions",
}
LATEX_WORDS = {r"\\cdot": "*", r"\\times": "*", r"\\pi": " pi ", r"\\theta": " theta "}
LATEX_WORDS |= {r"\\fp": "f'"}
LATEX_DROPPED = re.compile(
    r"\\(ds|displaystyle|left|right|big|Big|bigg|Bigg|,|;|!|quad)(?![a-zA-Z])"
)
VARIABLE = r"\s*\(\s*([a-z]|theta)\s*\)\s*"
APEX_QUESTION = re.compile(
    r"\{\s*\$\s*[a-zA-Z]" + VARIABLE + r"=([^$]*)\$\s*\}\s*\{(.*)\}\s*", re.S
)
FIRST_DERIVATIVE = re.compile(
    r"\s*(?:[a-zA-Z]\s*'" + VARIABLE + r"|y\s*'|\(\(d ?y\)/\(d ?[a-z]\)\))\s*="
)


def braced(text: str, i: int) -> tuple[str, int]:
    """The group at text[i]: {...} with nested braces, or one character."""
    while text[i] == " ":
        i += 1
    if text[i] != "{":
        return text[i], i + 1
    depth = 0
    for j in range(i, len(text)):
        depth += {"{": 1, "}": -1}.get(text[j], 0)
        if depth == 0:
            return text[i + 1 : j], j + 1
    raise ValueError("unbalanced braces")


def from_latex(text: str) -> str:
    """The LaTeX of an answer key (the subset APEX uses) as deriv's text."""
    text = LATEX_DROPPED.sub(" ", text)
    for word, plain in LATEX_WORDS.items():
        text = re.sub(word + r"(?![a-zA-Z])", plain, text)
    out, i = [], 0
    while i < len(text):
        if text.startswith("\\frac", i) or text.startswith("\\dfrac", i):
            top, i = braced(text, text.index("frac", i) + 4)
            bottom, i = braced(text, i)
            out.append(f"(({from_latex(top)})/({from_latex(bottom)}))")
        elif text.startswith("\\sqrt", i):
            i += 5
            degree = None
            if text[i] == "[":
                degree, i = text[i + 1 : text.index("]", i)], text.index("]", i) + 1
            radicand, i = braced(text, i)
            inner = from_latex(radicand)
            out.append(f"root({inner}, {degree})" if degree else f"sqrt({inner})")
        elif text[i] in "^_":
            mark = text[i]
            group, i = braced(text, i + 1)
            out.append(f"{mark}({from_latex(group)})")
        elif text[i] == "\\":
            name = re.match(r"\\([a-zA-Z]+)", text[i:])
            if not name:
                raise ValueError("unknown LaTeX")
            out.append(" " + name.group(1) + " ")
            i += len(name.group(0))
        elif text[i] in "{}":
            out.append("(" if text[i] == "{" else ")")
            i += 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def apex_pairs(repo: Path) -> list[tuple[str, str, str]]:
    found = []
    names = git(repo, "ls-tree", "--name-only", "HEAD", "exercises/").split()
    for name in names:
        section = APEX_SECTIONS.get(name.removeprefix("exercises/")[:5])
        if not section or "_ex_" not in name:
            continue
        exercise = APEX_QUESTION.fullmatch(git(repo, "show", f"HEAD:{name}"))
        if not exercise:
            continue
        try:
            answers = [from_latex(m) for m in re.findall(r"\$([^$]*)\$", exercise.group(3))]
            derivatives = [a for a in answers if FIRST_DERIVATIVE.match(a)]
            if derivatives:
                answer = derivatives[-1].split("=")[-1]
                found.append((section, from_latex(exercise.group(2)), answer))
        except (ValueError, IndexError):
            continue
    return found


def ops(expr: sp.Expr) -> int:
    return int(sp.count_ops(expr))


def measure(found: list[tuple[str, str, str, str]]) -> dict:
    rows, results = [], []
    skipped = 0
    for source, section, function, answer in found:
        try:
            f = api.read_function(function)
            book = api.read_function(answer).expr
            (x,) = f.variables
        except (DerivError, ValueError):
            skipped += 1
            continue
        raw = sp.diff(f.expr, x)
        if sp.simplify(raw - book) != 0:  # a misread answer, or not a derivative of f
            skipped += 1
            continue
        default = api.diff(function).result
        simplified = api.diff(function, simplify=True).result
        results.append(
            {
                "source": source,
                "section": section,
                "function": function,
                "textbook": ops(book),
                "sympy": ops(raw),
                "deriv": ops(default),
                "simplify": ops(simplified),
            }
        )
    for name in ("sympy", "deriv", "simplify"):
        share = sum(r[name] <= r["textbook"] for r in results) / len(results)
        rows.append([name, f"{100 * share:.0f}%"])
    return {"pairs": len(results), "skipped": skipped, "results": results, "rows": rows}


def tidy_cost(functions: list[str], rounds: int = 5) -> dict:
    """Seconds for api.diff over every exercise, with the tidy step and with it replaced by the
    identity (the baseline, measured in the same run); best of `rounds` each, alternating."""
    ours, theirs = [], []
    for _ in range(rounds):
        for times, patched in ((ours, False), (theirs, True)):
            original = calculus.tidy
            if patched:
                calculus.tidy = lambda expr, simplify: expr
            start = time.perf_counter()
            for function in functions:
                api.diff(function)
            times.append(time.perf_counter() - start)
            calculus.tidy = original
    return {"tidied_s": min(ours), "untidied_s": min(theirs), "ratio": min(ours) / min(theirs)}


def main() -> None:
    found = []
    for name, (path, read) in SOURCES.items():
        repo = Path(path)
        if subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True).returncode:
            raise SystemExit(f"no checkout of {name} at {repo}: fetch it, or edit SOURCES")
        found += [(name, *pair) for pair in read(repo)]
    measured = measure(found)
    pairs, skipped = measured["pairs"], measured["skipped"]
    print(f"{pairs} exercises with their textbook answers ({skipped} skipped)")
    for name in SOURCES:
        print(f"  {name}: {sum(r['source'] == name for r in measured['results'])}")
    print(table([["route", "answers no longer than the textbook's"], *measured["rows"]]))
    cost = tidy_cost([r["function"] for r in measured["results"]])
    measured["cost"] = cost
    print(
        f"time for all {pairs}: {cost['tidied_s']:.3f} s tidied, {cost['untidied_s']:.3f} s as "
        f"SymPy returns them: {cost['ratio']:.2f}x"
    )
    longer = [r for r in measured["results"] if r["deriv"] > r["textbook"]]
    for r in longer:
        print(f"  longer: {r['function']}  (deriv {r['deriv']} ops, textbook {r['textbook']})")
    print("wrote", save("textbook", {k: v for k, v in measured.items() if k != "rows"}))


MIRROR = "/work/.mirror"  # where this project's tooling keeps fetched repositories
SOURCES = {
    "OpenStax Calculus Volume 1": (
        os.environ.get("OPENSTAX_REPO", f"{MIRROR}/openstax+osbooks-calculus-bundle/repo"),
        pairs,
    ),
    "APEX Calculus": (
        os.environ.get("APEX_REPO", f"{MIRROR}/APEXCalculus+APEXCalculus_Source/repo"),
        apex_pairs,
    ),
}


if __name__ == "__main__":
    main()
