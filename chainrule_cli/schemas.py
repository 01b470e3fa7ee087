"""JSON Schemas (draft 2020-12) of `--format json`, one per command, and of a batch line that
failed. They are the reference: the tests validate every command's real output against them,
docs/schemas/ holds them as files and docs/formats.md's tables are written from them.

Version 1. Fields may be added in a minor release; a field removed or changed in meaning or type
is a breaking change, made only in a major release of the package, with the version in `$id`
raised to match.
"""

from __future__ import annotations

from typing import Any

VERSION = 1
DRAFT = "https://json-schema.org/draft/2020-12/schema"
COMMANDS = (
    "diff",
    "grad",
    "chain",
    "jacobian",
    "hessian",
    "dir",
    "implicit",
    "tangent",
    "check",
    "taylor",
    "parametric",
    "analyze",
    "definition",
    "backprop",
    "matrix",
)
Schema = dict[str, Any]


def expr(description: str) -> Schema:
    return {"type": "string", "description": description}


def exprs(description: str) -> Schema:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def names(description: str) -> Schema:
    return {"type": "array", "items": {"type": "string"}, "description": description}


def nullable(schema: Schema) -> Schema:
    kind = schema["type"]
    return {**schema, "type": [*kind, "null"] if isinstance(kind, list) else [kind, "null"]}


NUMBER: Schema = {
    "type": ["number", "string"],
    "description": 'a JSON number; a string such as "8.56e+369693099" or "2.0e-400" where a '
    "double cannot hold the value (it would be infinite, or 0 though the value is not)",
}
POINT: Schema = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "{variable: value}, each value exact in SymPy syntax as deriv read it "
    '(x=2*3 is "6", x=0.5 is "0.5")',
}


INTERVALS: Schema = {
    "type": "array",
    "items": {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2},
    "description": 'open intervals [from, to], exact; "-oo" and "oo" where unbounded',
}


def at_the_ends(line: str) -> Schema:
    """[{"x": "-oo" or "oo", "y": the asymptote's right-hand side}]."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {"x": {"enum": ["-oo", "oo"]}, "y": expr(line)},
            "required": ["x", "y"],
            "additionalProperties": False,
        },
    }


def numbers(description: str) -> Schema:
    return {"type": "array", "items": {"$ref": "#/$defs/number"}, "description": description}


def rows(items: Schema, description: str) -> Schema:
    return {"type": "array", "items": {"type": "array", "items": items}, "description": description}


FUNCTION: dict[str, Schema] = {
    "expression": expr("the function as deriv read it, SymPy syntax"),
    "name": {"type": "string", "description": "the function's name (--name, or f(x) = ... typed)"},
    "variables": names("the function's variables, in their order"),
}
AT_A_POINT: dict[str, Schema] = {
    "at": {"$ref": "#/$defs/point"},
    "value": {
        "anyOf": [{"$ref": "#/$defs/number"}, {"type": "null"}],
        "description": "with --at: the value; null where it does not exist",
    },
    "value_exact": nullable(
        expr("with --at: the exact value, SymPy syntax; null where it does not exist")
    ),
}
DIFFERENTIABLE: dict[str, Schema] = {
    "differentiable": {
        "type": "boolean",
        "description": "with --at: true when the result has a value there",
    },
    "reason": {
        "enum": ["corner", "vertical", "discontinuous", "undefined", "not real", "undecided"],
        "description": "when differentiable is false: why",
    },
    "message": {
        "type": "string",
        "description": "when differentiable is false: the error line of stderr, without `error: `",
    },
    "left": expr("when differentiable is false and it exists: the derivative from the left"),
    "right": expr("when differentiable is false and it exists: the derivative from the right"),
    "along": exprs(
        "when f has no slope along a direction: that direction (its partial derivatives "
        "predict another slope, or f jumps or leaves its domain along it)"
    ),
}
EVERY_RECORD: dict[str, Schema] = {
    "line": {
        "type": "integer",
        "minimum": 1,
        "description": "in batch mode (- or @file): the input's line number",
    },
    "conditions": exprs('where the formulas hold, when f has kinks: ["x != 0"]'),
}
CHECK: Schema = {
    "type": "object",
    "description": "with --check: the result against central difference quotients",
    "properties": {
        "passed": {"type": "boolean"},
        "max_relative_error": {"type": "number"},
        "points": {"type": "array", "items": {"$ref": "#/$defs/point"}},
        "kinks": {
            "type": "array",
            "items": {"$ref": "#/$defs/point"},
            "description": "points where the one-sided quotients disagree",
        },
    },
    "required": ["passed", "max_relative_error", "points", "kinks"],
    "additionalProperties": False,
}
STEP: Schema = {
    "type": "object",
    "properties": {
        "rule": {"type": "string"},
        "expression": {"type": "string"},
        "variable": {"type": "string"},
        "result": {"type": "string"},
        "substeps": {"type": "array", "items": {"$ref": "#/$defs/step"}},
        "holds_where": {"type": "string"},
        "let": {"type": "object", "additionalProperties": {"type": "string"}},
    },
    "required": ["rule", "expression", "variable", "result", "substeps"],
    "additionalProperties": False,
}
STEPS: Schema = {
    "type": "array",
    "description": "with --steps: one derivation per derivative, a tree of named rules",
    "items": {
        "type": "object",
        "properties": {"tree": {"$ref": "#/$defs/step"}, "simplified": {"type": "string"}},
        "required": ["tree", "simplified"],
        "additionalProperties": False,
    },
}
TERM: Schema = {
    "type": "object",
    "properties": {
        "path": names("the path through the inner functions, outer first"),
        "factors": exprs("the term's factors, one per link"),
        "product": expr("the term"),
        "factor_values": numbers("with --at: the factors' values"),
        "product_value": {"$ref": "#/$defs/number"},
    },
    "required": ["path", "factors", "product"],
    "additionalProperties": False,
}
NODE: Schema = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "op": {"type": "string", "description": "input, const, +, *, ^, or the function"},
        "inputs": names("the ids of the node's inputs"),
        "expression": expr("the node's subexpression"),
        "local": exprs("the local derivatives by each input"),
        "value": {"$ref": "#/$defs/number"},
        "grad": {
            "anyOf": [{"type": "string"}, {"$ref": "#/$defs/number"}, {"type": "null"}],
            "description": "the adjoint ∂f/∂node: SymPy syntax, or a number with --at",
        },
    },
    "required": ["id", "op", "inputs", "expression", "local", "grad"],
    "additionalProperties": False,
}


def shapes(description: str) -> Schema:
    """{name: [rows, columns]}, each size a number or a symbol as text."""
    pair = {"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 2}
    return {"type": "object", "additionalProperties": pair, "description": description}


def nested(item: Schema, description: str) -> Schema:
    """A number, a vector as a list, a matrix as a list of rows (deriv matrix --at)."""
    return {
        "oneOf": [
            item,
            {"type": "array", "items": item},
            {"type": "array", "items": {"type": "array", "items": item}},
        ],
        "description": description,
    }


DEFS: dict[str, Schema] = {
    "number": NUMBER,
    "point": POINT,
    "check": CHECK,
    "step": STEP,
    "term": TERM,
    "node": NODE,
}


def command_schema(
    command: str, title: str, properties: dict[str, Schema], required: list[str]
) -> Schema:
    return {
        "$schema": DRAFT,
        "$id": f"urn:chainrule-cli:schema:{VERSION}:{command}",
        "title": title,
        "type": "object",
        "properties": {"command": {"const": command}, **properties, **EVERY_RECORD},
        "required": ["command", *required],
        "additionalProperties": False,
        "$defs": DEFS,
    }


def schemas() -> dict[str, Schema]:
    """Every command's schema by name, and "error" for a batch line that failed."""
    derivative = {"at": AT_A_POINT, "differentiable": DIFFERENTIABLE}
    point_fields = {**derivative["at"], **derivative["differentiable"]}
    return {
        "diff": command_schema(
            "diff",
            "deriv diff --format json",
            {
                **FUNCTION,
                "wrt": names("the variables differentiated by, one per order"),
                "order": {
                    "type": ["integer", "string"],
                    "description": "the total order; a name (n) for the n-th derivative's formula",
                },
                "result": expr("the derivative; with a symbolic order, in x and the order's name"),
                "latex": {"type": "string", "description": "the derivative in LaTeX"},
                "holds_for": expr("with a symbolic order: where the formula holds, n >= 1"),
                "checked_orders": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "description": "with a symbolic order: the orders it was checked against",
                },
                **point_fields,
                "steps": STEPS,
                "check": {"$ref": "#/$defs/check"},
            },
            ["expression", "name", "variables", "wrt", "order", "result", "latex"],
        ),
        "grad": command_schema(
            "grad",
            "deriv grad --format json",
            {
                **FUNCTION,
                "variables": names("the gradient's variables, in its order"),
                "result": exprs("the components"),
                "latex": {
                    "type": "array",
                    "items": {"type": "string"},
                    "description": "the components in LaTeX",
                },
                "constant": {
                    "type": "boolean",
                    "description": "true when no component depends on a variable",
                },
                "definitions": {
                    "type": "array",
                    "items": {
                        "type": "array",
                        "prefixItems": [{"type": "string"}, {"type": "string"}],
                    },
                    "description": "with --cse: [name, expression] of shared parts",
                },
                **AT_A_POINT,
                "value": nullable(numbers("with --at: the components' values")),
                "value_exact": nullable(exprs("with --at: the exact values")),
                "magnitude": {"$ref": "#/$defs/number"},
                "direction": nullable(
                    numbers(
                        "with --at: the unit vector of steepest ascent; null at a critical point"
                    )
                ),
                "critical_point": {"type": "boolean"},
                "numeric": {
                    "const": True,
                    "description": "with --at: the values come from the "
                    "numeric backward pass (more than 100 variables)",
                },
                **DIFFERENTIABLE,
                "steps": STEPS,
                "check": {"$ref": "#/$defs/check"},
            },
            ["expression", "name", "variables", "result", "latex", "constant"],
        ),
        "chain": command_schema(
            "chain",
            "deriv chain --format json",
            {
                **FUNCTION,
                "variables": names("the variables differentiated by"),
                "outer": expr("the outer function"),
                "inner": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{name: inner function}",
                },
                "automatic": {
                    "type": "boolean",
                    "description": "true when deriv chose the inner functions",
                },
                "terms": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"$ref": "#/$defs/term"}},
                    "description": "{variable: the chain rule's terms}",
                },
                "result": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{variable: the derivative}",
                },
                "direct": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{variable: the derivative taken directly}",
                },
                "matches_direct": {"type": "boolean"},
                "at": {"$ref": "#/$defs/point"},
                "value": {"type": "object", "additionalProperties": {"$ref": "#/$defs/number"}},
                "value_exact": {"type": "object", "additionalProperties": {"type": "string"}},
                **DIFFERENTIABLE,
                "check": {"$ref": "#/$defs/check"},
            },
            [
                "expression",
                "name",
                "variables",
                "outer",
                "inner",
                "automatic",
                "terms",
                "result",
                "direct",
                "matches_direct",
            ],
        ),
        "jacobian": command_schema(
            "jacobian",
            "deriv jacobian --format json",
            {
                "functions": exprs("the functions, one per row"),
                "variables": names("the variables, one per column"),
                "result": rows({"type": "string"}, "the matrix, row by row"),
                "constant": {"type": "boolean"},
                "at": {"$ref": "#/$defs/point"},
                "value": nullable(rows({"$ref": "#/$defs/number"}, "with --at: its values")),
                **DIFFERENTIABLE,
                "check": {"$ref": "#/$defs/check"},
            },
            ["functions", "variables", "result", "constant"],
        ),
        "hessian": command_schema(
            "hessian",
            "deriv hessian --format json",
            {
                **FUNCTION,
                "variables": names("the rows' and columns' variables"),
                "result": rows({"type": "string"}, "the matrix, row by row"),
                "constant": {"type": "boolean"},
                "at": {"$ref": "#/$defs/point"},
                "value": nullable(rows({"$ref": "#/$defs/number"}, "with --at: its values")),
                **DIFFERENTIABLE,
                "eigenvalues": numbers("with --at: the eigenvalues"),
                "critical_point": {"type": "boolean"},
                "classification": {
                    "enum": ["minimum", "maximum", "saddle", "inconclusive", None],
                    "description": "with --at at a critical point: the second-derivative test",
                },
                "check": {"$ref": "#/$defs/check"},
            },
            ["expression", "name", "variables", "result", "constant"],
        ),
        "dir": command_schema(
            "dir",
            "deriv dir --format json",
            {
                **FUNCTION,
                "direction": exprs("the direction as given"),
                "unit": exprs("the unit vector used"),
                "normalized": {"type": "boolean"},
                "result": expr("the directional derivative"),
                **point_fields,
                "one_sided": {
                    "type": "boolean",
                    "description": "with --at: the slope is taken "
                    "from one side, where the partial derivatives do not exist",
                },
            },
            ["expression", "name", "variables", "direction", "unit", "normalized", "result"],
        ),
        "implicit": command_schema(
            "implicit",
            "deriv implicit --format json",
            {
                "equation": expr("the equation, lhs = rhs"),
                "independent": {"type": "string"},
                "dependent": {"type": "string"},
                "order": {"type": "integer"},
                "result": expr("dy/dx (or d²y/dx²)"),
                **point_fields,
            },
            ["equation", "independent", "dependent", "order", "result"],
        ),
        "tangent": command_schema(
            "tangent",
            "deriv tangent --format json",
            {
                **FUNCTION,
                "at": {"$ref": "#/$defs/point"},
                "kind": {"enum": ["line", "plane"]},
                "dependent": nullable(
                    {"type": "string", "description": "y or z; null where there is no tangent"}
                ),
                "result": nullable(expr("the tangent's right-hand side")),
                **DIFFERENTIABLE,
                "normal": {
                    "type": "object",
                    "description": "with --normal: of a line, the normal line `dependent = "
                    "result` (x where the tangent is horizontal); of a plane, the normal vector "
                    "(f_x, f_y, -1) and the point (a, b, f(a, b)) it passes through",
                    "properties": {
                        "dependent": {"enum": ["x", "y"]},
                        "result": expr("the normal line's right-hand side"),
                        "vector": exprs("the normal vector (f_x, f_y, -1)"),
                        "through": exprs("the point of tangency (a, b, f(a, b))"),
                    },
                    "additionalProperties": False,
                },
            },
            [
                "expression",
                "name",
                "variables",
                "at",
                "kind",
                "dependent",
                "result",
                "differentiable",
            ],
        ),
        "check": command_schema(
            "check",
            "deriv check --format json",
            {
                **FUNCTION,
                "wrt": names("the variables differentiated by"),
                "answer": exprs("the answer given, one per derivative"),
                "expected": exprs("the derivative deriv computes"),
                "correct": {
                    "type": ["boolean", "null"],
                    "description": "null: could not be decided",
                },
                "method": {"enum": ["symbolic", "numeric"]},
                "counterpoint": {"$ref": "#/$defs/point"},
                "answer_value": {
                    "type": "array",
                    "items": {"anyOf": [{"$ref": "#/$defs/number"}, {"type": "null"}]},
                    "description": "null where the answer is undefined",
                },
                "expected_value": numbers("the derivative's values at the counterpoint"),
            },
            ["expression", "name", "variables", "wrt", "answer", "expected", "correct", "method"],
        ),
        "taylor": command_schema(
            "taylor",
            "deriv taylor --format json",
            {
                **FUNCTION,
                "at": {"$ref": "#/$defs/point"},
                "order": {"type": "integer"},
                "result": nullable(expr("the Taylor polynomial")),
                "terms": nullable(exprs("its terms by degree, from 0")),
                "remainder": expr("the remainder's order, O(...)"),
                "table": {
                    "type": "array",
                    "description": "with --steps: f's k-th derivative, its value at the point and "
                    "that value over k!, the coefficient, for k = 0 ... order",
                    "items": {
                        "type": "object",
                        "properties": {
                            "k": {"type": "integer"},
                            "derivative": expr("the k-th derivative"),
                            "value": expr("its value at the point"),
                            "coefficient": expr("the value over k!"),
                        },
                        "required": ["k", "derivative", "value", "coefficient"],
                        "additionalProperties": False,
                    },
                },
                **DIFFERENTIABLE,
            },
            [
                "expression",
                "name",
                "variables",
                "at",
                "order",
                "result",
                "terms",
                "remainder",
                "differentiable",
            ],
        ),
        "parametric": command_schema(
            "parametric",
            "deriv parametric --format json",
            {
                "x": expr("x(t); for a polar curve r(θ)·cos(θ)"),
                "y": expr("y(t); for a polar curve r(θ)·sin(θ)"),
                "parameter": {"type": "string", "description": "the parameter's name"},
                "polar": {"type": "boolean", "description": "given as r(θ), with --polar"},
                "r": expr("with --polar: r(θ) as given"),
                "result": expr("dy/dx in the parameter"),
                "second": expr("d²y/dx² in the parameter"),
                "horizontal": nullable(
                    exprs(
                        "parameter values of horizontal tangents (in one period, if any); "
                        "null when not listed (infinitely many and no period, or not found "
                        "in closed form)"
                    )
                ),
                "vertical": nullable(exprs("parameter values of vertical tangents")),
                "singular": nullable(exprs("parameter values where dx/dt = dy/dt = 0")),
                "period": nullable(expr("the curve's period in the parameter, if it has one")),
                **point_fields,
                "second_value": nullable(
                    {**NUMBER, "description": "with --at: d²y/dx² there, where it has a value"}
                ),
                "position": nullable(exprs("with --at: the point (x, y) of the curve")),
                "tangent": nullable(
                    {
                        "type": "object",
                        "description": "with --at: the tangent line `dependent = result` "
                        "(x where it is vertical)",
                        "properties": {
                            "dependent": {"enum": ["x", "y"]},
                            "result": expr("the tangent line's right-hand side"),
                        },
                        "required": ["dependent", "result"],
                        "additionalProperties": False,
                    }
                ),
            },
            ["x", "y", "parameter", "polar", "result", "second", "horizontal", "vertical"],
        ),
        "analyze": command_schema(
            "analyze",
            "deriv analyze --format json",
            {
                **FUNCTION,
                "scope": {
                    "enum": ["line", "period", "interval", "window"],
                    "description": "what was studied: the whole line, one period of a periodic "
                    "f, the interval of --on, or the window [-10, 10] where SymPy does not "
                    "give the points as finitely many on the whole line",
                },
                "region": exprs("the ends of what was studied, -oo and oo for the line"),
                "domain": expr("f's domain within the region, a SymPy set"),
                "derivative": expr("f'"),
                "derivative_domain": expr(
                    "where f' exists within the region, a SymPy set: the domain's interior less "
                    "the points where f' does not exist"
                ),
                "second_derivative": expr("f''"),
                "critical_points": exprs(
                    "interior points of the domain where f' = 0 or f' does not exist, exact "
                    "(a 15-digit decimal when solved numerically)"
                ),
                "undefined_at": exprs("the critical points where f' does not exist"),
                "increasing": INTERVALS,
                "decreasing": INTERVALS,
                "extrema": {
                    "type": "array",
                    "description": "local extrema, and the test that decided each",
                    "items": {
                        "type": "object",
                        "properties": {
                            "x": expr("where"),
                            "kind": {"enum": ["minimum", "maximum"]},
                            "value": expr("f(x)"),
                            "approx": {"$ref": "#/$defs/number"},
                            "test": {"enum": ["first derivative", "second derivative"]},
                        },
                        "required": ["x", "kind", "value", "approx", "test"],
                        "additionalProperties": False,
                    },
                },
                "concave_up": INTERVALS,
                "concave_down": INTERVALS,
                "inflection_points": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {"x": expr("where"), "value": expr("f(x)")},
                        "required": ["x", "value"],
                        "additionalProperties": False,
                    },
                },
                "vertical_asymptotes": exprs("x = p where f tends to ±oo beside p"),
                "horizontal_asymptotes": at_the_ends("the limit of f as x tends to that end"),
                "slant_asymptotes": at_the_ends(
                    "the line mx + b f approaches at that end (m != 0)"
                ),
                "absolute": {
                    "type": ["array", "null"],
                    "description": "with --on: the absolute maximum and minimum on [a, b]; "
                    "empty when f is not continuous there; null without --on",
                    "items": {
                        "type": "object",
                        "properties": {
                            "kind": {"enum": ["minimum", "maximum"]},
                            "value": expr("the extreme value"),
                            "approx": {"$ref": "#/$defs/number"},
                            "at": exprs("every x where f takes it"),
                        },
                        "required": ["kind", "value", "approx", "at"],
                        "additionalProperties": False,
                    },
                },
                "solved_numerically": {
                    "type": "array",
                    "items": {"enum": ["first", "second"]},
                    "description": "f' = 0 (first) or f'' = 0 (second), solved numerically",
                },
                "undecided": exprs("kinks where f' could not be decided, left out"),
            },
            [
                "expression",
                "name",
                "variables",
                "scope",
                "region",
                "domain",
                "derivative",
                "derivative_domain",
                "second_derivative",
                "critical_points",
                "increasing",
                "decreasing",
                "extrema",
                "concave_up",
                "concave_down",
                "inflection_points",
                "absolute",
            ],
        ),
        "definition": command_schema(
            "definition",
            "deriv definition --format json",
            {
                **FUNCTION,
                "method": {
                    "enum": ["definition", "rules"],
                    "description": "from the definition, or (no steps) by the rules",
                },
                "family": {
                    "enum": ["polynomial", "rational", "root", "sine", "cosine", "rules"],
                    "description": "the kind of f the derivation is for",
                },
                "step": {"type": "string", "description": "the step's name, h unless f uses h"},
                "steps": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "limit": {
                                "type": "boolean",
                                "description": "the expression is under lim as the step -> 0; "
                                "false for the last, the limit taken",
                            },
                            "expression": expr("the expression, SymPy syntax"),
                            "reason": {"type": "string", "description": "why it follows"},
                        },
                        "required": ["limit", "expression", "reason"],
                        "additionalProperties": False,
                    },
                },
                "result": expr("f'"),
            },
            ["expression", "name", "variables", "method", "family", "step", "steps", "result"],
        ),
        "backprop": command_schema(
            "backprop",
            "deriv backprop --format json",
            {
                **FUNCTION,
                "at": {"$ref": "#/$defs/point"},
                "value": {"$ref": "#/$defs/number"},
                "gradient": {
                    "type": "object",
                    "additionalProperties": {
                        "anyOf": [{"type": "string"}, {"$ref": "#/$defs/number"}]
                    },
                    "description": "{variable: ∂f/∂variable}, SymPy syntax, or numbers with --at",
                },
                "nodes": {
                    "type": "array",
                    "items": {"$ref": "#/$defs/node"},
                    "description": "the graph in evaluation order, f last",
                },
                "kinks": names("the ids of nodes at a kink, where deriv followed PyTorch"),
                "gradient_exists": {
                    "type": "boolean",
                    "description": "with kinks: whether f has a gradient at the point, "
                    "decided from the definition",
                },
                "true_gradient": {
                    "type": "object",
                    "additionalProperties": {"$ref": "#/$defs/number"},
                    "description": "with kinks, where f has a gradient and backprop's values "
                    "differ from it: {variable: ∂f/∂variable}",
                },
                **DIFFERENTIABLE,
            },
            ["expression", "name", "variables", "gradient", "nodes"],
        ),
        "matrix": command_schema(
            "matrix",
            "deriv matrix --format json",
            {
                "expression": expr("f as deriv read it, in deriv matrix's syntax"),
                "name": {"type": "string", "description": "f's name (--name)"},
                "kinds": {
                    "type": "object",
                    "additionalProperties": {"enum": ["matrix", "vector", "scalar"]},
                    "description": "{name: matrix, vector or scalar}, as declared or by the "
                    "convention",
                },
                "shapes": shapes('{name: [rows, columns]}, sizes as numbers or symbols ("n")'),
                "wrt": names("the vectors and matrices differentiated by"),
                "result": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{name: ∂f/∂name}, with the shape of name, in ASCII matrix "
                    "notation (' transposes, .* is elementwise)",
                },
                "result_shapes": shapes(
                    "{name: [rows, columns] of ∂f/∂name}: name's own shape for a gradient; "
                    "len(f) x len(name) for a Jacobian in numerator layout"
                ),
                "layout": {
                    "enum": ["numerator", "denominator"],
                    "description": "how a Jacobian lies (--layout); a gradient has its "
                    "variable's shape in both",
                },
                "latex": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{name: ∂f/∂name in LaTeX}",
                },
                "corners": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "properties": {
                            "function": {"enum": ["relu", "abs", "heaviside", "sign"]},
                            "argument": {"type": "string"},
                        },
                        "required": ["function", "argument"],
                        "additionalProperties": False,
                    },
                    "description": "relu, abs, heaviside and sign of vectors and matrices: the "
                    "result holds where no entry of their argument is 0",
                },
                "steps": {
                    "type": "object",
                    "additionalProperties": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "rule": {"type": "string"},
                                "formula": {"type": "string"},
                                "of": {"type": ["string", "null"]},
                                "differential": {"type": "string"},
                                "depth": {"type": "integer", "minimum": 0},
                            },
                            "required": ["rule", "formula", "of", "differential", "depth"],
                            "additionalProperties": False,
                        },
                    },
                    "description": "--steps: {name: the differential of each part, outermost "
                    "first, by its rule; of is null on the last, the identification of df}",
                },
                "at": {
                    "type": "object",
                    "additionalProperties": nested({"type": "string"}, "exact"),
                    "description": "--at: {name: value}, exact, a vector as a list, a matrix as "
                    "a list of rows",
                },
                "function_value": nested(
                    {"$ref": "#/$defs/number"}, "f at --at: a number, or a list for a vector f"
                ),
                "value": {
                    "type": "object",
                    "additionalProperties": nested({"$ref": "#/$defs/number"}, "a value"),
                    "description": "{name: ∂f/∂name at --at}: a list for a vector, a list of "
                    "rows for a matrix",
                },
                "value_exact": {
                    "type": "object",
                    "additionalProperties": nested({"type": "string"}, "exact"),
                    "description": "the same values, exact, in SymPy syntax",
                },
                "value_by_entries": {
                    "type": "object",
                    "additionalProperties": {"type": "string"},
                    "description": "{name: why}: where the formula has no value at --at (or "
                    "does not hold, at a kink), the value is f's partial derivatives entry by "
                    "entry",
                },
                "check": {
                    "type": "object",
                    "properties": {
                        "max_error": {"type": "number"},
                        "sizes": {"type": "object", "additionalProperties": {"type": "integer"}},
                        "entries": {"type": "integer", "minimum": 0},
                    },
                    "required": ["max_error", "sizes", "entries"],
                    "additionalProperties": False,
                    "description": "every gradient against each entry's derivative at these "
                    "sizes and random values: the largest difference",
                },
            },
            [
                "expression",
                "name",
                "kinds",
                "shapes",
                "wrt",
                "result",
                "result_shapes",
                "layout",
                "latex",
                "check",
            ],
        ),
        "error": {
            "$schema": DRAFT,
            "$id": f"urn:chainrule-cli:schema:{VERSION}:error",
            "title": "a batch line that failed (deriv COMMAND - or @file --format json)",
            "type": "object",
            "properties": {
                "line": {"type": "integer", "minimum": 1},
                "input": {
                    "type": ["string", "null"],
                    "description": "the line; null when it was not valid UTF-8",
                },
                "error": {
                    "type": "object",
                    "properties": {
                        "message": {"type": "string"},
                        "exit": {"type": "integer", "description": "the line's exit code"},
                        "column": {
                            "type": "integer",
                            "minimum": 1,
                            "description": "for a syntax error: its column",
                        },
                    },
                    "required": ["message", "exit"],
                    "additionalProperties": False,
                },
            },
            "required": ["line", "input", "error"],
            "additionalProperties": False,
        },
    }


def schema_for(record: dict[str, Any]) -> Schema:
    """The schema a record of deriv's JSON output follows."""
    return schemas()["error" if "error" in record else record["command"]]
