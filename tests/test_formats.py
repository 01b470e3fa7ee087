"""Every command in every format it supports, one expression and a batch: JSON loads, LaTeX
is one balanced align* block, expr parses back through deriv's parser to the result, and a
format a command does not support is refused before anything is computed."""

import io
import json
import re
import sys
from contextlib import redirect_stderr, redirect_stdout

import pytest
import sympy as sp

from chainrule_cli.cli import main
from chainrule_cli.parser import parse

# command, its function argument, its options; each gives a value (exit 0)
COMMANDS = [
    ("diff", "x^2 sin(y)", ("--wrt", "x", "--at", "x=1,y=2")),
    ("diff", "6x^2", ()),
    ("grad", "-0.5x + 0.25y^2", ("--at", "x=1,y=2")),
    ("grad", "3x + y", ()),
    ("chain", "0.5*o", ("--inner", "o=-x+0.5y^2")),
    ("chain", "sin(x^2)", ("--at", "x=1")),
    ("jacobian", "r cos(t), r sin(t)", ()),
    ("jacobian", "x*y, x + y", ("--at", "x=1,y=2")),
    ("hessian", "x^2 - y^2", ("--at", "x=0,y=0")),
    ("dir", "3x + y", ("--direction", "1,1")),
    ("dir", "x*y", ("--direction", "3,4", "--at", "x=1,y=1")),
    ("implicit", "x^2 + y^2 = 1", ("--at", "x=0.6,y=0.8")),
    ("tangent", "x^2", ("--at", "x=1")),
    ("tangent", "x^2 + y^2", ("--at", "x=1,y=1")),
    ("check", "6x^2", ("--answer", "12x")),
    ("taylor", "e^x", ("--order", "3")),
    ("taylor", "x^2 y", ("--at", "x=1,y=2")),
    ("backprop", "0.5*(-x + 0.5y^2)", ("--at", "x=1,y=2")),
    ("backprop", "tanh(w*x + b)", ()),
]
FORMATS = ("pretty", "plain", "expr", "latex", "json", "dot")


def run(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = sys.stdin
    if stdin is not None:
        sys.stdin = io.TextIOWrapper(io.BytesIO(stdin.encode()), encoding="utf-8")
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        sys.stdin = old
    return code, out.getvalue(), err.getvalue()


def cases():
    for command, function, options in COMMANDS:
        for format in FORMATS:
            supported = format != "dot" or command == "backprop"
            yield pytest.param(
                command, function, options, format, supported, id=f"{command}-{format}"
            )


@pytest.mark.parametrize("command, function, options, format, supported", list(cases()))
def test_every_command_in_every_format(command, function, options, format, supported):
    code, out, err = run(command, function, *options, "--format", format)
    if not supported:
        assert (code, out) == (2, "") and "'dot' is not one of" in err
        return
    assert code == 0, err
    check_output(format, out, command, function, options)


@pytest.mark.parametrize("command, function, options", [c[:3] for c in COMMANDS])
@pytest.mark.parametrize("format", ["json", "expr", "latex", "plain"])
def test_every_command_in_batch(command, function, options, format):
    code, out, err = run(
        command, "-", *options, "--format", format, stdin=f"{function}\n{function}\n"
    )
    assert code == 0, err
    if format == "json":
        records = [json.loads(line) for line in out.splitlines()]
        assert [r["line"] for r in records] == [1, 2]
        assert records[0] | {"line": 2} == records[1]
    elif format == "expr":
        first, second = out.splitlines()
        assert first == second and parse_all(first.split(", "))
    else:
        one = run(command, function, *options, "--format", format)[1]
        assert out == one + "\n" + one  # records apart by a blank line


def check_output(format: str, out: str, command: str, function: str, options) -> None:
    assert out.endswith("\n") and out.strip()
    if format == "json":
        record = json.loads(out, parse_constant=pytest.fail)
        assert record["command"] == command
    elif format == "latex":
        assert out.startswith("\\begin{align*}\n") and out.endswith("\\end{align*}\n")
        assert balanced(out)
    elif format == "expr":
        shown = [part for line in out.splitlines() for part in line.split(", ")]
        record = json.loads(run(command, function, *options, "--format", "json")[1])
        assert_expr_is_the_result(shown, record)
    elif format == "dot":
        assert out.startswith("digraph backprop {") and out.rstrip().endswith("}")
    else:
        assert "\x1b[" not in out or format == "pretty"


def assert_expr_is_the_result(shown: list[str], record: dict) -> None:
    """What --format expr prints parses back through deriv's parser to the JSON's result."""
    if record["command"] == "check":
        assert shown == ["correct" if record["correct"] else "wrong"]
        return
    if record["command"] == "backprop":
        want = record["gradient"].values()
        if "at" in record:
            return  # numbers: the gradient's values, as JSON has them too
    elif "value_exact" in record and record["value_exact"] is not None:
        want = flat(record["value_exact"])
    elif record["command"] in ("tangent", "taylor"):
        want = [record["result"]]
    else:
        want = flat(record.get("value") if "at" in record else record["result"])
    got = parse_all(shown)
    expected = [parse(str(w)) if not isinstance(w, (int, float)) else sp.Float(w) for w in want]
    assert len(got) == len(expected)
    for a, b in zip(got, expected):
        assert sp.simplify(a - b) == 0 or abs(complex(sp.N(a - b))) < 1e-12, (a, b)


def flat(value) -> list:  # type: ignore[no-untyped-def]
    if isinstance(value, dict):
        return [v for vs in value.values() for v in flat(vs)]
    if isinstance(value, list):
        return [v for vs in value for v in flat(vs)]
    return [value]


def parse_all(texts: list[str]) -> list[sp.Expr]:
    return [parse(t) for t in texts]


def balanced(tex: str) -> bool:
    """Braces balance, and every \\begin{env} has its \\end{env} in order."""
    depth = 0
    for char in re.sub(r"\\[{}]", "", tex):
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    stack = []
    for kind, env in re.findall(r"\\(begin|end)\{(\w+\*?)\}", tex):
        if kind == "begin":
            stack.append(env)
        elif not stack or stack.pop() != env:
            return False
    return depth == 0 and not stack
