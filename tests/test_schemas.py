"""Every command's JSON output follows its published schema (docs/schemas/), in every mode:
with and without a point, at a kink, with --check, --steps and --cse, and in batch mode, where
a line that failed is a record too."""

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from chainrule_cli.schemas import COMMANDS, schema_for, schemas

DOCS = Path(__file__).resolve().parent.parent / "docs" / "schemas"

RUNS = [
    ("diff", "6x^2"),
    ("diff", "6x^2", "--at", "x=1"),
    ("diff", "x^2 y", "--wrt", "x", "--wrt", "y"),
    ("diff", "abs(x)", "--at", "x=0"),
    ("diff", "x^3", "--check"),
    ("diff", "sin(x^2)", "--steps"),
    ("diff", "1/x", "--steps", "--at", "x=2"),
    ("diff", "exp(x)", "--at", "x=1000000"),
    ("grad", "3x + y", "--at", "x=1,y=2"),
    ("grad", "x^2 + y^2", "--at", "x=0,y=0"),
    ("grad", "abs(x) + y"),
    ("grad", "x^2 y", "--steps", "--check"),
    ("grad", "tanh(a*x + b*y + c)^2 + tanh(a*x + b*y + c)", "--cse"),
    ("grad", "sqrt(x) + y", "--at", "x=0,y=1"),
    ("chain", "tanh(z)", "--inner", "z=w*x+b", "--wrt", "w"),
    ("chain", "sin(x^2)", "--at", "x=1", "--check"),
    ("jacobian", "x*y, x+y", "--at", "x=1,y=2"),
    ("jacobian", "abs(x), y", "--check"),
    ("hessian", "x^2 + y^2", "--at", "x=0,y=0"),
    ("hessian", "x^2 - y^2", "--at", "x=1,y=1"),
    ("dir", "x^2 + y^2", "--direction", "1,1", "--at", "x=1,y=1"),
    ("dir", "abs(x) + y", "--direction", "1,0", "--at", "x=0,y=0"),
    ("implicit", "x^2 + y^2 = 1", "--at", "x=0,y=1"),
    ("implicit", "x^2 + y^2 = 1", "--at", "x=1,y=0"),
    ("tangent", "x^2", "--at", "x=1"),
    ("tangent", "x^2 + y^2", "--at", "x=1,y=1"),
    ("tangent", "x^2", "--at", "x=1", "--normal"),
    ("parametric", "cos(t), sin(t)"),
    ("parametric", "cos(t), sin(t)", "--at", "t=pi/4"),
    ("parametric", "cos(t), sin(t)", "--at", "t=0"),
    ("parametric", "t - sin(t), 1 - cos(t)", "--at", "t=0"),
    ("parametric", "1 + cos(t)", "--polar", "--at", "t=pi/2"),
    ("tangent", "x^2 + y^2", "--at", "x=1,y=1", "--normal"),
    ("tangent", "abs(x)", "--at", "x=0"),
    ("check", "x^2", "--answer", "2x"),
    ("check", "x^2", "--answer", "3x"),
    ("taylor", "sin(x)", "--at", "x=0", "--order", "3"),
    ("taylor", "abs(x)", "--at", "x=0"),
    ("taylor", "ln(1 + x)", "--order", "3", "--steps"),
    ("analyze", "x^3 - 3x"),
    ("definition", "x^2 + 3x"),
    ("diff", "sin(x)", "--order", "n"),
    ("diff", "x^m", "--order", "n", "--wrt", "x"),
    ("definition", "sqrt(x)"),
    ("definition", "e^x"),
    ("analyze", "1/x", "--on", "-1:1"),
    ("analyze", "x^2 e^(-x^2)", "--on", "-3:3"),
    ("analyze", "sin(x) - x^2/2"),
    ("backprop", "x*y + sin(x)"),
    ("backprop", "abs(x)*y", "--at", "x=0,y=1"),
    ("matrix", "norm(W x - y)^2", "--wrt", "W", "--wrt", "x"),
    ("matrix", "logdet(X) + a'x", "--wrt", "X", "--vector", "a", "--shape", "X=3x3"),
    ("matrix", "tanh(W x + b)", "--vector", "b", "--wrt", "x", "--layout", "denominator"),
    (
        "matrix",
        "norm(W x - y)^2",
        "--wrt",
        "W",
        "--wrt",
        "x",
        "--at",
        "W=[[1,2],[3,4]],x=[1,1],y=[0,1]",
    ),
    ("matrix", "tanh(W x)", "--wrt", "x", "--at", "W=[[1,0],[0,1]],x=[0,0]"),
    ("matrix", "logdet(X) + norm(X)^2", "--wrt", "X", "--steps"),
    ("matrix", "sum(relu(W x + b)) + a' diag(x) a", "--vector", "a,b", "--wrt", "x"),
]


def records(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines() if line]


def valid(record: dict) -> list[str]:
    validator = Draft202012Validator(schema_for(record))
    return [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(record)]


@pytest.mark.parametrize("name", [*COMMANDS, "error"])
def test_each_schema_is_a_valid_2020_12_schema(name):
    Draft202012Validator.check_schema(schemas()[name])


@pytest.mark.parametrize("args", RUNS, ids=" ".join)
def test_every_command_follows_its_schema(deriv, args):
    ran = deriv(*args, "--format", "json")
    (record,) = records(ran.out)
    assert record["command"] == args[0] and valid(record) == []


@pytest.mark.parametrize("command", ["diff", "grad", "hessian", "tangent", "taylor", "backprop"])
def test_batch_records_and_failed_lines_follow_the_schemas(deriv_process, command):
    options = {"tangent": ["--at", "x=1"], "taylor": ["--at", "x=0"]}.get(command, [])
    lines = "x^2 + x\n\nx^^2\n# a comment\nsin(x)\nln(x)\n"
    ran = deriv_process(command, "-", *options, "--format", "json", stdin=lines)
    found = records(ran.out)
    assert [r["line"] for r in found] == [1, 3, 5, 6]
    assert "error" in found[1] and all(valid(r) == [] for r in found)


def test_a_field_the_schema_does_not_know_is_caught():
    """additionalProperties is false: output cannot grow a field the docs do not describe."""
    assert valid({**records(json.dumps({"command": "check"}))[0], "surprise": 1})


def test_the_published_schemas_are_the_packages():
    for name, schema in schemas().items():
        published = json.loads((DOCS / f"{name}.json").read_text(encoding="utf-8"))
        assert published == schema, f"stale docs/schemas/{name}.json: tests/docs_generated.py"
