"""Pretty and plain layout of the toolbox results: matrices, directional and implicit
derivatives, tangents, answer checks, and --check reports."""

from __future__ import annotations

from functools import partial

import sympy as sp

from ...results import (
    Check,
    Checked,
    Directional,
    Implicit,
    Matrix,
    MatrixGradients,
    Parametric,
    Tangent,
    Taylor,
    Value,
)
from ...values import as_fractions, to_digits, value_of
from ..mathtext import as_math, format_float
from ..notation import LATEX, UNICODE, Notation, derivative_label, derivative_of
from ..settings import Settings
from .lines import Line, Segment, function_line, layout, short, vector


def matrix_label(result: Matrix, settings: Settings) -> str:
    return "J" if result.kind == "jacobian" else f"H_{result.function.name}"


def matrix_lines(label: str, entries: list[list[str]], role: str = "math") -> list[Line]:
    """[ a  b ] rows with aligned columns, the label on the first row."""
    widths = [max(len(row[j]) for row in entries) for j in range(len(entries[0]))]
    lines = []
    for i, row in enumerate(entries):
        cells = "  ".join(cell.ljust(width) for cell, width in zip(row, widths))
        lead = f"{label} = " if i == 0 else " " * (len(label) + 3)
        lines.append((Segment(lead, "label" if i == 0 else "text"), Segment(f"[ {cells} ]", role)))
    return lines


def where(point, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    return ", ".join(f"{s.name} = {as_math(v, settings.unicode)}" for s, v in point)


def shown(value, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    return short(value, settings)


@layout.register
def _(result: Matrix, settings: Settings) -> list[Line]:
    lines = [function_line(f, settings) for f in result.functions]
    label = matrix_label(result, settings)
    lines += matrix_lines(
        label, [[as_math(e, settings.unicode) for e in row] for row in result.rows]
    )
    if result.kind == "hessian" and result.is_constant:
        lines.append((Segment("the Hessian is constant", "remark"),))
    if result.point is not None and result.values is not None:
        lines.append((Segment(f"at {where(result.point, settings)}:"),))
        values = [[shown(v, settings) for v in row] for row in result.values]
        lines += matrix_lines(label, values, "value")
    if result.eigenvalues is not None:
        eigen = ", ".join(shown(v, settings) for v in result.eigenvalues)
        lines.append((Segment("eigenvalues: ", "label"), Segment(eigen, "value")))
        if result.classification:
            lines.append(
                (
                    Segment(
                        f"the gradient vanishes there: a critical point, "
                        f"{_classification(result.classification)}",
                        "remark",
                    ),
                )
            )
        else:
            lines.append(
                (Segment("the gradient does not vanish there: not a critical point", "remark"),)
            )
    return lines


def _classification(kind: str) -> str:
    return {
        "minimum": "a local minimum",
        "maximum": "a local maximum",
        "saddle": "a saddle point",
        "inconclusive": "inconclusive (a zero eigenvalue)",
    }[kind]


@layout.register
def _(result: Directional, settings: Settings) -> list[Line]:
    given = vector([as_math(c, settings.unicode) for c in result.direction], settings)
    unit = vector([as_math(c, settings.unicode) for c in result.unit], settings)
    how = "the unit vector along " + given if result.normalized else "as given, not normalised"
    nabla = "∇" if settings.unicode else "grad "
    dot = "·" if settings.unicode else "*"
    lines = [
        function_line(result.function, settings),
        (Segment("u = ", "label"), Segment(unit, "math"), Segment(f"   ({how})", "remark")),
        (
            Segment(f"D_u {result.function.name}", "label"),
            Segment(f" = {nabla}{result.function.name} {dot} u = "),
            Segment(as_math(result.result, settings.unicode), "math"),
        ),
    ]
    if result.point is not None and result.value is not None:
        lines.append(
            (
                Segment(f"at {where(result.point, settings)}: "),
                Segment(f"D_u {result.function.name}", "label"),
                Segment(" = "),
                Segment(shown(result.value, settings), "value"),
            )
        )
    return lines


def implicit_label(result: Implicit, settings: Settings, style: str | None = None) -> str:
    y, x = result.dependent.name, result.independent.name
    if settings.notation is Notation.lagrange:
        return y + "'" * result.order
    return derivative_label(
        y,
        (x,) * result.order,
        False,
        Notation.leibniz if settings.notation is Notation.leibniz else settings.notation,
        style or settings.style,
    )


@layout.register
def _(result: Implicit, settings: Settings) -> list[Line]:
    equation = f"{as_math(result.lhs, settings.unicode)} = {as_math(result.rhs, settings.unicode)}"
    label = implicit_label(result, settings)
    lines = [
        (Segment(equation, "function"),),
        (
            Segment(label, "label"),
            Segment(" = "),
            Segment(as_math(result.result, settings.unicode), "math"),
        ),
    ]
    if result.point is not None and result.value is not None:
        lines.append(
            (
                Segment(f"at {where(result.point, settings)}: "),
                Segment(label, "label"),
                Segment(" = "),
                Segment(shown(result.value, settings), "value"),
            )
        )
    return lines


@layout.register
def _(result: Tangent, settings: Settings) -> list[Line]:
    kind = "tangent plane" if result.dependent == "z" else "tangent line"
    if result.expr is None:
        return [function_line(result.function, settings)]
    lines = [
        function_line(result.function, settings),
        (
            Segment(f"{kind} at {where(result.point, settings)}: "),
            Segment(f"{result.dependent} = {as_math(result.expr, settings.unicode)}", "math"),
        ),
    ]
    return lines + normal_lines(result.normal, result.function, settings)


def normal_lines(normal, function, settings: Settings) -> list[Line]:  # type: ignore[no-untyped-def]
    """normal line: y = ...; of a plane, the normal vector and the line along it."""
    if normal is None:
        return []
    math = partial(as_math, unicode=settings.unicode)
    if normal.dependent is not None:
        return [
            (Segment("normal line: "), Segment(f"{normal.dependent} = {math(normal.expr)}", "math"))
        ]
    names = ", ".join(v.name for v in function.variables)
    vector = f"({', '.join(math(c) for c in normal.vector)})"
    through = f"({', '.join(math(c) for c in normal.through)})"
    dot = "·" if settings.unicode else "*"
    return [
        (Segment("normal vector: "), Segment(f"n = {vector}", "math")),
        (
            Segment("normal line: "),
            Segment(f"({names}, z) = {through} + t{dot}{vector}", "math"),
        ),
    ]


def curve_head(result: Parametric, unicode: bool) -> str:
    t = result.parameter.name
    if result.radius is not None:
        dot = "·" if unicode else "*"
        radius = as_math(result.radius.expr, unicode)
        return f"r({t}) = {radius}: x = r{dot}cos({t}), y = r{dot}sin({t})"
    return f"x({t}) = {as_math(result.x.expr, unicode)}, y({t}) = {as_math(result.y.expr, unicode)}"


def second_label(unicode: bool) -> str:
    return "d²y/dx²" if unicode else "d^2y/dx^2"


def turn_lines(result: Parametric, settings: Settings) -> list[Line]:
    """horizontal tangents: t = ...; vertical tangents: t = ...; singular points, if any."""
    turns, t = result.turns, result.parameter.name
    if turns is None:
        said = "not listed (infinitely many and no period, or not found in closed form)"
        return [(Segment(f"horizontal and vertical tangents: {said}", "remark"),)]
    math = partial(as_math, unicode=settings.unicode)

    def listed(values) -> str:  # type: ignore[no-untyped-def]
        return f"{t} = {', '.join(map(math, values))}" if values else "none"

    lines = [
        (Segment("horizontal tangents: "), Segment(listed(turns.horizontal), "math")),
        (Segment("vertical tangents: "), Segment(listed(turns.vertical), "math")),
    ]
    if turns.singular:
        lines.append((Segment("singular points: "), Segment(listed(turns.singular), "math")))
    if turns.period is not None:
        period = f"{t} in [0, {math(turns.period)}), one period"
        lines.append((Segment(f"({period})", "remark"),))
    return lines


@layout.register
def _(result: Parametric, settings: Settings) -> list[Line]:
    math = partial(as_math, unicode=settings.unicode)
    lines = [
        (Segment(curve_head(result, settings.unicode), "function"),),
        (Segment("dy/dx", "label"), Segment(" = "), Segment(math(result.first), "math")),
        (
            Segment(second_label(settings.unicode), "label"),
            Segment(" = "),
            Segment(math(result.second), "math"),
        ),
    ]
    lines += turn_lines(result, settings)
    if result.point is None or result.position is None:
        return lines
    at = f"at {where(result.point, settings)}: (x, y) = ({', '.join(map(math, result.position))})"
    if result.value is not None:
        lines.append(
            (
                Segment(f"{at}, "),
                Segment("dy/dx", "label"),
                Segment(" = "),
                Segment(shown(result.value, settings), "value"),
            )
        )
        lines.append((Segment("tangent line: "), Segment(f"y = {math(result.tangent)}", "math")))
    elif result.tangent is not None:  # vertical
        lines.append((Segment(at),))
        lines.append((Segment("tangent line: "), Segment(f"x = {math(result.tangent)}", "math")))
    return lines


@layout.register
def _(result: Check, settings: Settings) -> list[Line]:
    labels = [derivative_of(result.function, (v,), settings) for v in result.variables]
    answer = ", ".join(as_math(a, settings.unicode) for a in result.answer)
    expected = ", ".join(
        f"{label} = {as_math(e, settings.unicode)}" for label, e in zip(labels, result.expected)
    )
    lines = [
        function_line(result.function, settings),
        (Segment("answer: ", "label"), Segment(answer, "math")),
    ]
    if result.correct:
        mark = "✓ correct" if settings.unicode else "correct"
        lines.append((Segment(f"{mark}: it equals {expected} ({result.method} check)", "check"),))
        return lines
    if result.correct is None:
        mark = "? undecided" if settings.unicode else "undecided"
        reason = f"could not show it equal to {expected}, nor find a point where they differ"
        lines.append((Segment(f"{mark}: {reason}", "error"),))
        return lines
    mark = "✗ wrong" if settings.unicode else "wrong"
    at = where(result.counterpoint or (), settings)
    pairs = [distinct(a, e, settings) for a, e in zip_values(result)]
    got = ", ".join(a for a, _ in pairs)
    want = ", ".join(e for _, e in pairs)
    lines.append(
        (Segment(f"{mark}: at {at} the answer is {got}, but {expected} is {want}", "error"),)
    )
    return lines


def zip_values(result: Check):  # type: ignore[no-untyped-def]
    return zip(result.answer_values or (), result.expected_values or ())


def distinct(answer, expected, settings: Settings) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    """The two values, with digits enough to tell them apart, or the answer as f' plus the
    difference when no number of digits would (2^5000 + 1 and 2^5000)."""
    if answer is None:
        return "undefined as typed", short(expected, settings)
    pair = short(answer, settings), short(expected, settings)
    if pair[0] != pair[1] or answer.exact == expected.exact:
        return pair
    pair = tuple(format_float(to_digits(v.exact, v.approx, 20)) for v in (answer, expected))
    if pair[0] != pair[1]:
        return pair
    gap = value_of(as_fractions(answer.exact) - as_fractions(expected.exact))
    if gap is None:
        return pair
    sign = "-" if gap.approx < 0 else "+"
    magnitude = Value(abs(gap.exact), abs(gap.approx))
    return f"{pair[1]} {sign} {short(magnitude, settings)}", pair[1]


@layout.register
def _(checked: Checked, settings: Settings) -> list[Line]:
    lines = layout(checked.result, settings)
    report = checked.report
    return [
        *lines,
        (Segment(report_text(report, settings), "check" if report.passed else "error"),),
    ]


def report_text(report, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    """The --check line: the verdict, and the numbers and points it rests on."""
    if report.kinks and not report.passed:
        at = "; ".join(where(p, settings) for p in report.kinks)
        return f"check: FAIL: the difference quotients from the left and the right disagree at {at}"
    if not report.points:
        return "check: FAIL: found no point in the domain to compare at"
    verdict = "PASS" if report.passed else "FAIL"
    points = "; ".join(where(p, settings) for p in report.points)
    return (
        f"check: {verdict}: largest relative error {report.max_relative_error:.1e} against "
        f"numerical differentiation at {points}"
    )


@layout.register
def _(result: Taylor, settings: Settings) -> list[Line]:
    lines = [function_line(result.function, settings)]
    if result.failure is not None:
        return lines
    what = (
        "the linear approximation"
        if result.order == 1
        else (f"the Taylor polynomial of order {result.order}")
    )
    lines.append((Segment(f"at {where(result.point, settings)}, {what}:"),))
    lines += table_lines(result, settings)
    label = taylor_label(result, settings.unicode)
    math = lambda e: as_math(e, settings.unicode)  # noqa: E731
    polynomial = ascending([math(t) for t in result.terms if t != 0] or ["0"])
    text = f"{polynomial} + O({remainder_of(result, settings.style)})"
    return [*lines, (Segment(label, "label"), Segment(" = "), Segment(text, "math"))]


def table_lines(result: Taylor, settings: Settings) -> list[Line]:
    """k | f⁽ᵏ⁾(x) | f⁽ᵏ⁾(a) | f⁽ᵏ⁾(a)/k!, columns aligned: the coefficients, worked out."""
    if not result.table:
        return []
    u = settings.unicode
    (x, a), f = result.point[0], result.function.name
    derivative = f"{f}⁽ᵏ⁾({x.name})" if u else f"{f}^(k)({x.name})"
    at = f"{f}⁽ᵏ⁾({as_math(a, u)})" if u else f"{f}^(k)({as_math(a, u)})"
    rows = [("k", derivative, at, f"{at}/k!")]
    rows += [(str(k), as_math(d, u), as_math(v, u), as_math(c, u)) for k, d, v, c in result.table]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = []
    for i, row in enumerate(rows):
        text = "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip()
        lines.append((Segment(text, "label" if i == 0 else "math"),))
    return lines


def taylor_label(result: Taylor, unicode: bool) -> str:
    """L(x) for the linear approximation, P₃(x) for the polynomial of order 3."""
    names = ", ".join(v.name for v in result.function.variables)
    if result.order == 1:
        return f"L({names})"
    order = str(result.order).translate(SUBSCRIPTS) if unicode else f"_{result.order}"
    return f"P{order}({names})"


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def ascending(terms: list[str]) -> str:
    """Terms in the order given, a term's own minus sign as the operator: 1 - x + x²/2."""
    text = terms[0]
    for term in terms[1:]:
        text += f" - {term[1:]}" if term.startswith("-") else f" + {term}"
    return text


def remainder_of(result: Taylor, style: str) -> str:
    """What the remainder is of the order of: (x - a)ⁿ⁺¹, or for several variables the
    distance to the point, ‖(x - a, y - b)‖ⁿ⁺¹."""
    from ..mathtext import as_expr, as_latex

    shifts = [v - a for v, a in result.point]
    power = result.order + 1
    if len(shifts) == 1:
        show = {LATEX: as_latex, "expr": as_expr}.get(style, lambda e: as_math(e, style == UNICODE))
        return show(shifts[0] ** power)
    if style == LATEX:
        return rf"\left\|({', '.join(as_latex(s) for s in shifts)})\right\|^{{{power}}}"
    if style == "expr":
        return f"norm(({', '.join(as_expr(s) for s in shifts)}))**{power}"
    inner = ", ".join(as_math(s, style == UNICODE) for s in shifts)
    if style == UNICODE:
        return f"‖({inner})‖{str(power).translate(SUPERSCRIPTS)}"
    return f"|({inner})|^{power}"


@layout.register
def _(result: MatrixGradients, settings: Settings) -> list[Line]:
    """f = ‖Wx - y‖², what each name is, then ∂f/∂W = 2(Wx - y)xᵀ and the check it passed."""
    from ..matrixtext import as_matrix_math

    unicode = settings.unicode
    shown = lambda e: as_matrix_math(e, unicode)  # noqa: E731
    lines: list[Line] = [
        (Segment(result.name, "function"), Segment(" = "), Segment(shown(result.expr), "math")),
        (Segment("  " + kinds_text(result, unicode), "remark"),),
    ]
    lines += [
        (Segment(f"  {symbol.name}", "label"), Segment(" = "), Segment(shown(part), "math"))
        for symbol, part in result.definitions
    ]
    style = settings.style
    steps = result.steps or [()] * len(result.wrt)
    for symbol, gradient, rules in zip(result.wrt, result.gradients, steps):
        lines += [_rule_line(rule, result.name, shown) for rule in rules]
        label = derivative_label(result.name, (symbol.name,), True, settings.notation, style)
        lines.append((Segment(label, "label"), Segment(" = "), Segment(shown(gradient), "math")))
    if result.is_jacobian:
        lines.append((Segment("  " + layout_text(result, unicode), "remark"),))
    lines += [(Segment("  " + text, "remark"),) for text in corner_texts(result, unicode)]
    if result.given is not None and result.values is not None:
        lines += _matrix_values(result, settings)
    sizes = ", ".join(f"{n} = {k}" for n, k in result.checked_at) or "the sizes declared"
    mark = "✓" if unicode else "ok:"
    where = " and at the values given" if result.checked_at_values else ""
    shown = {str(d) for shape in result.shapes.values() for d in shape}
    if any(name not in shown for name, _ in result.checked_at):  # sizes declared set aside
        where += " (one formula for every size: small sizes stand for the declared ones)"
    lines.append((Segment(f"{mark} checked entry by entry at {sizes}{where}", "remark"),))
    if result.show_check:
        lines.append((Segment("  " + check_text(result), "remark"),))
    return lines


def _rule_line(rule, name: str, shown) -> Line:  # type: ignore[no-untyped-def]
    """product rule: d(Wx) = dW·x, indented by how deep the part sits; the last, df = ..."""
    of = f"d{name}" if rule.of is None else f"d({shown(rule.of)})"
    return (
        Segment("  " * rule.depth + rule.rule + ": ", "rule"),
        Segment(f"{of} = {shown(rule.result)}", "math"),
    )


def _matrix_values(result: MatrixGradients, settings: Settings) -> list[Line]:
    """at W = [[1, 2], [3, 4]], x = [1, 1]: f's value, then each derivative's entries."""
    given = ", ".join(f"{n} = {nested_text(v, settings)}" for n, v in result.given or ())
    lines: list[Line] = [(Segment(f"at {given}:"),)]
    f_rows = [[shown(v, settings) for v in row] for row in result.function_values or ()]
    if len(f_rows) == 1 and len(f_rows[0]) == 1:
        lines.append(
            (
                Segment(f"  {result.name}", "function"),
                Segment(" = "),
                Segment(f_rows[0][0], "value"),
            )
        )
    else:
        lines += matrix_lines(f"  {result.name}", f_rows, "value")
    style = settings.style
    for symbol, rows in zip(result.wrt, result.values or ()):
        label = "  " + derivative_label(result.name, (symbol.name,), True, settings.notation, style)
        lines += matrix_lines(label, [[shown(v, settings) for v in row] for row in rows], "value")
    from ..matrixtext import as_matrix_math

    formulas = {s.name: g for s, g in zip(result.wrt, result.gradients)}
    for name, why in result.by_entries:  # det(X)·X⁻ᵀ at a singular X
        formula = as_matrix_math(formulas[name], settings.unicode)
        note = f"  {formula} {why}: these are f's partial derivatives, entry by entry"
        lines.append((Segment(note, "remark"),))
    return lines


def nested_text(value: sp.Expr, settings: Settings) -> str:
    """A number, a vector as [1, 2], a matrix as [[1, 2], [3, 4]]: how --at takes them."""
    from ..matrixtext import bracketed

    if not isinstance(value, sp.MatrixBase):
        return as_math(value, settings.unicode)
    return bracketed(
        [[as_math(e, settings.unicode) for e in value.row(i)] for i in range(value.rows)]
    )


def check_text(result: MatrixGradients) -> str:
    """--check: what the check compared, and the figure."""
    from ...matrix_calculus import TOLERANCE

    figure = "0" if result.max_error == 0 else f"{result.max_error:.1e}"
    return (
        f"{result.entries} entries against SymPy's derivatives of f written out, at random "
        f"fractions: largest difference {figure} (above {TOLERANCE:.0e} deriv stops, exit 1)"
    )


def corner_texts(result: MatrixGradients, unicode: bool) -> list[str]:
    """holds where no entry of Wx + b is 0 (relu has a corner there)."""
    from ...matrix_calculus import HOW, corners
    from ..matrixtext import as_matrix_math

    return [
        f"holds where no entry of {as_matrix_math(a, unicode)} is 0 ({kind} {HOW[kind]} there)"
        for kind, a in corners(result.expr)
    ]


def layout_text(result: MatrixGradients, unicode: bool) -> str:
    """Which way a Jacobian lies: numerator layout, row i is ∂f_i/∂x."""
    d = "∂" if unicode else "d"
    f = result.name
    v = result.wrt[0].name if len(result.wrt) == 1 else "v"
    if result.layout == "numerator":
        return f"numerator layout: entry (i, j) is {d}{f}_i/{d}{v}_j, a row for each entry of {f}"
    return f"denominator layout: entry (i, j) is {d}{f}_j/{d}{v}_i, a column for each entry of {f}"


def kinds_text(result: MatrixGradients, unicode: bool) -> str:
    """W: n×m matrix, x: m-vector, y: n-vector, a: scalar."""
    times = "×" if unicode else "x"
    shapes = result.shapes
    parts = []
    for name, kind in result.kinds:
        if kind == "matrix":
            rows, cols = shapes[name]
            parts.append(f"{name}: {rows}{times}{cols} matrix")
        elif kind == "vector":
            parts.append(f"{name}: {shapes[name][0]}-vector")
        else:
            parts.append(f"{name}: scalar")
    return ", ".join(parts)
