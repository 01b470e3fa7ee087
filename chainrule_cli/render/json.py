"""One JSON object per result. Notation never changes it; result strings are SymPy syntax."""

from __future__ import annotations

import json
import math
from functools import singledispatch
from typing import Any

import sympy as sp

from ..results import (
    Analysis,
    Backprop,
    Chain,
    Check,
    Checked,
    Definition,
    Derivation,
    Derivative,
    Directional,
    Failure,
    Function,
    Gradient,
    Implicit,
    Matrix,
    MatrixGradients,
    NthDerivative,
    Parametric,
    Point,
    Step,
    Tangent,
    Taylor,
    Term,
    Value,
)
from .mathtext import as_expr, as_latex, format_float
from .settings import Settings


def render(result: object, settings: Settings) -> str:
    return json.dumps(document(result), ensure_ascii=False, allow_nan=False) + "\n"


def document(result: object) -> dict[str, Any]:
    """The result's record, with `conditions` where its formulas hold only off f's kinks."""
    from .notes import conditions

    data = record(result)
    where = conditions(result)
    if where:
        data["conditions"] = where
    return data


@singledispatch
def record(result: object) -> dict[str, Any]:
    raise TypeError(f"no JSON output for {type(result).__name__}")


@record.register
def _(result: Derivative) -> dict[str, Any]:
    data = {
        "command": "diff",
        **function_fields(result.function),
        "wrt": [v.name for v in result.wrt],
        "order": result.order,
        "result": as_expr(result.result),
        "latex": as_latex(result.result),
    }
    if result.point is not None:
        data.update(at_fields(result.point, result.value))
        data.update(differentiable(result))
    if result.steps:
        data["steps"] = [derivation_document(d) for d in result.steps]
    return data


@record.register
def _(result: NthDerivative) -> dict[str, Any]:
    return {
        "command": "diff",
        **function_fields(result.function),
        "wrt": [result.variable.name],
        "order": result.order.name,
        "result": as_expr(result.result),
        "latex": as_latex(result.result),
        "holds_for": f"{result.order.name} >= 1",
        "checked_orders": list(result.checked),
    }


def differentiable(result: object) -> dict[str, Any]:
    """`differentiable`, and where false the reason, the message and the one-sided values."""
    from .failures import message_for

    failure: Failure | None = getattr(result, "failure", None)
    if failure is None:
        return {"differentiable": True}
    data: dict[str, Any] = {
        "differentiable": False,
        "reason": failure.reason,
        "message": message_for(result, Settings()),
    }
    for side in ("left", "right"):
        value = getattr(failure, side)
        if value is not None:
            data[side] = as_expr(value)
    if failure.direction is not None:
        data["along"] = [as_expr(c) for c in failure.direction]
    return data


@record.register
def _(result: Gradient) -> dict[str, Any]:
    data = {
        "command": "grad",
        **function_fields(result.function),
        "variables": [v.name for v in result.variables],
        "result": [as_expr(c) for c in result.components],
        "latex": [as_latex(c) for c in result.components],
        "constant": result.is_constant,
    }
    if result.definitions:
        data["definitions"] = [[n.name, as_expr(e)] for n, e in result.definitions]
    if result.point is not None:
        data["at"] = point_fields(result.point)
        values = result.values
        data["value"] = [number(v) for v in values] if values else None
        data["value_exact"] = [as_expr(v.exact) for v in values] if values else None
        if values:
            data["magnitude"] = number(result.magnitude) if result.magnitude else 0.0
            data["direction"] = [number(v) for v in result.direction] if result.direction else None
            data["critical_point"] = result.direction is None
        if result.numeric:
            data["numeric"] = True
        data.update(differentiable(result))
    if result.steps:
        data["steps"] = [derivation_document(d) for d in result.steps]
    return data


def function_fields(function: Function) -> dict[str, Any]:
    return {
        "expression": as_expr(function.expr),
        "name": function.name,
        "variables": [v.name for v in function.variables],
    }


def point_fields(point: Point) -> dict[str, str]:
    return {symbol.name: as_expr(value) for symbol, value in point}


def at_fields(point: Point, value: Value | None) -> dict[str, Any]:
    return {
        "at": point_fields(point),
        "value": number(value) if value is not None else None,
        "value_exact": as_expr(value.exact) if value is not None else None,
    }


def number(value: Value) -> float | str:
    """A JSON number, or the decimal as a string where a double cannot hold it (1e400, and
    2e-400, which a double would round to 0)."""
    approx = nearest_double(value)
    if math.isfinite(approx) and (approx != 0 or value.approx.is_zero):
        return approx
    return format_float(value.approx)


def nearest_double(value: Value) -> float:
    """The double nearest the exact value: 1/3 to 17 digits, a typed 1e-17 as 1e-17 (the
    15-digit approximation would be 9.999999999999999e-18)."""
    exact = value.exact
    try:
        if exact.is_Rational:
            return float(exact)
        if exact.is_Float:
            return float(format_float(exact))
        return float(exact.evalf(20))
    except OverflowError:
        return math.inf  # 10^400: written as a string
    except (TypeError, ValueError):
        return float(value.approx)


@record.register
def _(result: Chain) -> dict[str, Any]:
    data = {
        "command": "chain",
        **function_fields(result.function),
        "outer": as_expr(result.outer),
        "inner": {symbol.name: as_expr(expr) for symbol, expr in result.inner},
        "automatic": result.automatic,
        "variables": [v.name for v in result.variables],
        "terms": {p.variable.name: [term_fields(t) for t in p.terms] for p in result.parts},
        "result": {p.variable.name: as_expr(p.result) for p in result.parts},
        "direct": {p.variable.name: as_expr(p.direct) for p in result.parts},
        "matches_direct": result.matches_direct,
    }
    if result.point is not None:
        data["at"] = point_fields(result.point)
        data["value"] = {p.variable.name: number(p.value) for p in result.parts if p.value}
        data["value_exact"] = {
            p.variable.name: as_expr(p.value.exact) for p in result.parts if p.value
        }
        data.update(differentiable(result))
    return data


def term_fields(term: Term) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": list(term.path),
        "factors": [as_expr(f.expr) for f in term.factors],
        "product": as_expr(term.product),
    }
    if term.value is not None:
        data["factor_values"] = [number(f.value) for f in term.factors if f.value]
        data["product_value"] = number(term.value)
    return data


@record.register
def _(result: Matrix) -> dict[str, Any]:
    data: dict[str, Any] = {"command": result.kind}
    if result.kind == "jacobian":
        data["functions"] = [as_expr(f.expr) for f in result.functions]
    else:
        data.update(function_fields(result.function))
    data["variables"] = [v.name for v in result.variables]
    data["result"] = [[as_expr(e) for e in row] for row in result.rows]
    data["constant"] = result.is_constant
    if result.point is not None:
        data["at"] = point_fields(result.point)
        values = result.values
        data["value"] = [[number(v) for v in row] for row in values] if values else None
        data.update(differentiable(result))
    if result.eigenvalues is not None:
        data["eigenvalues"] = [number(v) for v in result.eigenvalues]
        data["critical_point"] = result.classification is not None
        data["classification"] = result.classification
    return data


@record.register
def _(result: Directional) -> dict[str, Any]:
    data = {
        "command": "dir",
        **function_fields(result.function),
        "variables": [v.name for v in result.variables],
        "direction": [as_expr(c) for c in result.direction],
        "unit": [as_expr(c) for c in result.unit],
        "normalized": result.normalized,
        "result": as_expr(result.result),
    }
    if result.point is not None:
        data.update(at_fields(result.point, result.value))
        data.update(differentiable(result))
        data["one_sided"] = result.one_sided is not None
    return data


@record.register
def _(result: Implicit) -> dict[str, Any]:
    data = {
        "command": "implicit",
        "equation": f"{as_expr(result.lhs)} = {as_expr(result.rhs)}",
        "independent": result.independent.name,
        "dependent": result.dependent.name,
        "order": result.order,
        "result": as_expr(result.result),
    }
    if result.point is not None:
        data.update(at_fields(result.point, result.value))
        data.update(differentiable(result))
    return data


@record.register
def _(result: Tangent) -> dict[str, Any]:
    return {
        "command": "tangent",
        **function_fields(result.function),
        "at": point_fields(result.point),
        "kind": "plane" if result.dependent == "z" else "line",
        "dependent": result.dependent if result.expr is not None else None,
        "result": as_expr(result.expr) if result.expr is not None else None,
        **differentiable(result),
        **({"normal": normal_record(result.normal)} if result.normal is not None else {}),
    }


@record.register
def _(result: Parametric) -> dict[str, Any]:
    data: dict[str, Any] = {
        "command": "parametric",
        "x": as_expr(result.x.expr),
        "y": as_expr(result.y.expr),
        "parameter": result.parameter.name,
        "polar": result.radius is not None,
        **({"r": as_expr(result.radius.expr)} if result.radius is not None else {}),
        "result": as_expr(result.first),
        "second": as_expr(result.second),
        **turn_fields(result.turns),
    }
    if result.point is None:
        return data
    data.update(at_fields(result.point, result.value))
    data.update(differentiable(result))
    second = result.second_value
    data["second_value"] = number(second) if second is not None else None
    data["position"] = [as_expr(c) for c in result.position] if result.position else None
    tangent = None
    if result.tangent is not None:
        dependent = "y" if result.value is not None else "x"
        tangent = {"dependent": dependent, "result": as_expr(result.tangent)}
    data["tangent"] = tangent
    return data


def turn_fields(turns) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    if turns is None:
        return {"horizontal": None, "vertical": None, "singular": None, "period": None}
    return {
        "horizontal": [as_expr(v) for v in turns.horizontal],
        "vertical": [as_expr(v) for v in turns.vertical],
        "singular": [as_expr(v) for v in turns.singular],
        "period": as_expr(turns.period) if turns.period is not None else None,
    }


def normal_record(normal) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    if normal.dependent is not None:
        return {"dependent": normal.dependent, "result": as_expr(normal.expr)}
    return {
        "vector": [as_expr(c) for c in normal.vector],
        "through": [as_expr(c) for c in normal.through],
    }


@record.register
def _(result: Taylor) -> dict[str, Any]:
    from .text.toolbox import remainder_of

    data = {
        "command": "taylor",
        **function_fields(result.function),
        "at": point_fields(result.point),
        "order": result.order,
        "result": as_expr(result.polynomial) if result.failure is None else None,
        "terms": [as_expr(t) for t in result.terms] if result.failure is None else None,
        "remainder": f"O({remainder_of(result, 'expr')})",
    }
    if result.table:
        data["table"] = [
            {"k": k, "derivative": as_expr(d), "value": as_expr(v), "coefficient": as_expr(c)}
            for k, d, v, c in result.table
        ]
    data.update(differentiable(result))
    return data


@record.register
def _(result: Analysis) -> dict[str, Any]:
    """Every point as an exact expression string (a 15-digit decimal when found numerically,
    with `solved_numerically` naming the equation); intervals as [from, to], "-oo" and "oo"
    unbounded. Points are decimals where f was typed with decimals."""
    from .text.analysis import place as placed

    def place(c: sp.Expr) -> str:
        return as_expr(placed(c, result.decimals))

    return {
        "command": "analyze",
        **function_fields(result.function),
        "scope": result.scope,
        "region": [as_expr(e) for e in result.region],
        "domain": as_expr(result.domain),
        "derivative": as_expr(result.first),
        "derivative_domain": as_expr(result.derivative_domain),
        "second_derivative": as_expr(result.second),
        "critical_points": [place(c.x) for c in result.critical],
        "undefined_at": [place(c.x) for c in result.critical if c.kind == "undefined"],
        "increasing": pairs(result.increasing, place),
        "decreasing": pairs(result.decreasing, place),
        "extrema": [extremum_record(e, place) for e in result.extrema],
        "concave_up": pairs(result.concave_up, place),
        "concave_down": pairs(result.concave_down, place),
        "inflection_points": [
            {"x": place(i.x), "value": as_expr(i.value.exact)} for i in result.inflections
        ],
        "vertical_asymptotes": [place(p) for p in result.vertical],
        "horizontal_asymptotes": [
            {"x": as_expr(end), "y": as_expr(value)} for end, value in result.horizontal
        ],
        "slant_asymptotes": [{"x": as_expr(end), "y": as_expr(line)} for end, line in result.slant],
        "absolute": None
        if result.absolute is None
        else [
            {
                "kind": a.kind,
                "value": as_expr(a.value.exact),
                "approx": number(a.value),
                "at": [place(x) for x in a.at],
            }
            for a in result.absolute
        ],
        "solved_numerically": list(result.solved_numerically),
        "undecided": [as_expr(c) for c in result.undecided],
    }


def pairs(intervals, place) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[place(lo), place(hi)] for lo, hi in intervals]


def extremum_record(extremum, place) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    return {
        "x": place(extremum.x),
        "kind": extremum.kind,
        "value": as_expr(extremum.value.exact),
        "approx": number(extremum.value),
        "test": extremum.test,
    }


@record.register
def _(result: Definition) -> dict[str, Any]:
    """Each step as SymPy syntax: the expression under the limit (or, last, its value)."""
    return {
        "command": "definition",
        **function_fields(result.function),
        "method": "rules" if not result.steps else "definition",
        "family": result.family,
        "step": result.step.name,
        "steps": [
            {"limit": s.limit, "expression": step_expr(s), "reason": s.reason} for s in result.steps
        ],
        "result": as_expr(result.result),
    }


def step_expr(step) -> str:  # type: ignore[no-untyped-def]
    top = " - ".join(f"({as_expr(e)})" for e in step.above) if len(step.above) == 2 else None
    top = top or as_expr(step.above[0])
    return f"({top})/({as_expr(step.below)})" if step.below is not None else top


@record.register
def _(result: Check) -> dict[str, Any]:
    data = {
        "command": "check",
        **function_fields(result.function),
        "wrt": [v.name for v in result.variables],
        "answer": [as_expr(a) for a in result.answer],
        "expected": [as_expr(e) for e in result.expected],
        "correct": result.correct,
        "method": result.method,
    }
    if result.counterpoint is not None:
        data["counterpoint"] = point_fields(result.counterpoint)
        answer = result.answer_values or ()
        data["answer_value"] = [number(v) if v is not None else None for v in answer]
        data["expected_value"] = [number(v) for v in result.expected_values or ()]
    return data


@record.register
def _(checked: Checked) -> dict[str, Any]:
    report = checked.report
    return {
        **record(checked.result),
        "check": {
            "passed": report.passed,
            "max_relative_error": report.max_relative_error,
            "points": [point_fields(p) for p in report.points],
            "kinks": [point_fields(p) for p in report.kinks],
        },
    }


@record.register
def _(result: Backprop) -> dict[str, Any]:
    at_point = result.gradient_values is not None

    def node_fields(node) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        fields: dict[str, Any] = {
            "id": node.id,
            "op": node.op,
            "inputs": [result.nodes[j].id for j in node.inputs],
            "expression": as_expr(node.expr),
            "local": [as_expr(d) for d in node.local],
        }
        if at_point:
            fields["value"] = number(node.value)
            fields["grad"] = number(node.grad_value) if node.grad_value else None
        else:
            fields["grad"] = None if node.op == "const" else as_expr(node.grad)
        return fields

    data: dict[str, Any] = {"command": "backprop", **function_fields(result.function)}
    if at_point:
        data["at"] = point_fields(result.point)
        data["value"] = number(result.value)
        data["gradient"] = {
            s.name: number(v) for (s, _), v in zip(result.gradient, result.gradient_values)
        }
    else:
        data["gradient"] = {s.name: as_expr(g) for s, g in result.gradient}
    data["nodes"] = [node_fields(n) for n in result.nodes]
    if result.kinks:
        data["kinks"] = list(result.kinks)
        data["gradient_exists"] = result.no_gradient is None
        if result.true_gradient is not None:
            data["true_gradient"] = {
                s.name: number(v) for (s, _), v in zip(result.gradient, result.true_gradient)
            }
    if result.failure is not None:
        data["at"] = point_fields(result.point)
        data |= differentiable(result)
    return data


def step_document(step: Step) -> dict[str, Any]:
    data = {
        "rule": step.rule,
        "expression": as_expr(step.expr),
        "variable": step.variable.name,
        "result": as_expr(step.result),
        "substeps": [step_document(s) for s in step.substeps],
    }
    if step.nonzero is not None:
        data["holds_where"] = f"{as_expr(step.nonzero)} != 0"
    if step.let is not None:
        data["let"] = {step.let[0].name: as_expr(step.let[1])}
    return data


def derivation_document(derivation: Derivation) -> dict[str, Any]:
    return {"tree": step_document(derivation.root), "simplified": as_expr(derivation.final)}


@record.register
def _(result: MatrixGradients) -> dict[str, Any]:
    from .matrixtext import as_matrix_latex, as_matrix_math

    text = lambda e: as_matrix_math(e, unicode=False)  # noqa: E731
    data = {
        "command": "matrix",
        "expression": text(result.expr),
        "name": result.name,
        "kinds": dict(result.kinds),
        "shapes": {n: [str(r), str(c)] for n, (r, c) in sorted(result.shapes.items())},
        "wrt": [s.name for s in result.wrt],
        "result": {s.name: text(g) for s, g in zip(result.wrt, result.gradients)},
        "result_shapes": {
            s.name: [str(g.shape[0]), str(g.shape[1])] if hasattr(g, "shape") else ["1", "1"]
            for s, g in zip(result.wrt, result.gradients)
        },
        "layout": result.layout,
        "latex": {s.name: as_matrix_latex(g) for s, g in zip(result.wrt, result.gradients)},
        "check": {
            "max_error": result.max_error,
            "sizes": dict(result.checked_at),
            "entries": result.entries,
        },
    }
    from ..matrix_calculus import corners

    if result.definitions:
        data["definitions"] = [[s.name, text(p)] for s, p in result.definitions]
    found = corners(result.expr)
    if found:
        data["corners"] = [{"function": k, "argument": text(a)} for k, a in found]
    if result.steps is not None:
        data["steps"] = {
            s.name: [rule_fields(r, text) for r in rules]
            for s, rules in zip(result.wrt, result.steps)
        }
    if result.given is not None and result.values is not None:
        data["at"] = {n: nested(v, as_expr) for n, v in result.given}
        data["function_value"] = nested_values(result.function_values or (), number)
        data["value"] = {
            s.name: nested_values(rows, number) for s, rows in zip(result.wrt, result.values)
        }
        data["value_exact"] = {
            s.name: nested_values(rows, lambda v: as_expr(v.exact))
            for s, rows in zip(result.wrt, result.values)
        }
        if result.by_entries:
            data["value_by_entries"] = dict(result.by_entries)
    return data


def rule_fields(rule: Any, text: Any) -> dict[str, Any]:
    from ..matrix_calculus import RULES

    return {
        "rule": rule.rule,
        "formula": RULES[rule.rule],
        "of": text(rule.of) if rule.of is not None else None,
        "differential": text(rule.result),
        "depth": rule.depth,
    }


def nested(value: Any, write: Any) -> Any:
    """A number as itself, a vector as a list, a matrix as a list of rows."""
    from .matrixtext import listed

    if not isinstance(value, sp.MatrixBase):
        return write(value)
    return listed([[write(e) for e in value.row(i)] for i in range(value.rows)])


def nested_values(rows: tuple[tuple[Value, ...], ...], write: Any) -> Any:
    """Rows of Values as nested: one entry as a number, a column as a list, else rows."""
    from .matrixtext import listed

    written = [[write(v) for v in row] for row in rows]
    if len(written) == 1 and len(written[0]) == 1:
        return written[0][0]
    return listed(written)
