"""`deriv matrix --at`: f and each derivative at given vectors and matrices, decided entry by
entry by the one point oracle.

At the values given, f is written out as a scalar function of the entries (x₁, x₂, W₁₂, ...),
with what it needs as typed (‖x‖ != 0 for xᵀx/‖x‖, det X != 0 for X⁻¹, each entry of x > 0 for
log(x)) and its kinks (relu and abs at 0 entry by entry, ‖x‖ at x = 0), and points.py decides
each partial derivative: defined, real, differentiable, from one-sided limits where a formula
cannot be trusted. So every value printed is a derivative that exists:

- where the oracle finds none (‖x‖ at 0, relu on its corner), deriv refuses and says why;
- where the matrix formula has no value but the derivative exists (det X·X⁻ᵀ at a singular X,
  whose derivative is the cofactor matrix), the oracle's values, with a note;
- elsewhere the oracle's values, which the formula's must equal (a difference is a bug, exit 1).

A matrix given with more than AT_CHECKED_ENTRIES entries is not written out symbolically (the
inverse of a written-out 5×5 takes minutes): f's requirements are checked in numbers entry by
entry, the formula's values are printed, and a point on a kink is left undecided.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sympy as sp
from sympy.matrices.exceptions import NonInvertibleMatrixError
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import domain as d
from . import matrix_calculus as mc
from .calculus import gradient_at
from .errors import InputError, InternalError, MathError
from .points import defined_at, is_special, requirement_failing
from .results import Failure, Function, MatrixGradients, Point, Value
from .values import decimal_form, value_of

AT_CHECKED_ENTRIES = 16  # a 4×4 matrix: larger values are evaluated, not written out
NO_VALUE, NOT_HERE = "has no value here", "does not hold at this kink"
SUBSCRIPTS = str.maketrans("0123456789,", "₀₁₂₃₄₅₆₇₈₉,")


@dataclass(frozen=True)
class WrittenOut:
    """f as a function of the entries: `f` its entries (one for a scalar f), `entries` each
    matrix's entry symbols, `domain` its requirements and kinks entry by entry, `shown` how a
    requirement reads in matrix notation (‖x‖ = 0, (Wx)₂ = 0)."""

    f: tuple[sp.Expr, ...]
    entries: dict[sp.MatrixSymbol, sp.ImmutableMatrix]
    variables: tuple[sp.Symbol, ...]
    domain: d.Domain
    shown: dict[d.Condition, d.Condition]

    def function(self, name: str, k: int = 0) -> Function:
        """f's entry k (f itself for a scalar f), a function of the entries named `name`."""
        return Function(self.f[k], name, self.variables, self.domain)


def matrix_at(
    result: MatrixGradients,
    given: dict[str, sp.Expr],
    decimals: bool = False,
    domain: d.Domain = d.EMPTY,
) -> MatrixGradients:
    """The result with f and each derivative at the given values, exact, each decided entry
    by entry (see the module's docstring); an error naming why where one has no value."""
    records = (*domain.conditions, *domain.kinks)
    typed = sp.Tuple(result.expr, *(r.arg for r in records))  # every name f was typed with
    sizes = _sizes(typed, given)
    keyed = mc.given_for(typed, given, sizes)
    point = tuple((n, _as_typed(given[n], decimals)) for n in sorted(given))
    where = _where(point)
    small = all(
        len(v) <= AT_CHECKED_ENTRIES for v in given.values() if isinstance(v, sp.MatrixBase)
    )
    if small:
        found, by_entries = _decided(result, typed, domain, keyed, sizes, where, decimals)
    else:
        found, by_entries = _evaluated(result, domain, keyed, sizes, where, decimals)
    return replace(
        result,
        given=point,
        function_values=_rows(mc.values_at(result.expr, keyed, sizes), decimals),
        values=found,
        checked_at_values=small,
        by_entries=by_entries,
    )


def _sizes(typed: sp.Expr, given: dict[str, sp.Expr]) -> dict[sp.Symbol, int]:
    """Each size, from the given values; an InputError for a value missing, extra or of the
    wrong shape."""
    names = {m.name for m in typed.atoms(sp.MatrixSymbol)}
    scalars = {s.name for s in mc.scalar_names(typed)}
    missing = sorted((names | scalars) - given.keys())
    if missing:
        raise InputError(f"--at gives no value for {', '.join(missing)}")
    extra = sorted(given.keys() - names - scalars)
    if extra:
        raise InputError(f"--at: {extra[0]} is not in f")
    for name in scalars:
        if isinstance(given[name], sp.MatrixBase):
            raise InputError(f"--at: {name} is a scalar, not a vector or matrix")
    try:
        return mc.sizes_at(typed, given)
    except ValueError as failure:
        raise InputError(f"--at: {failure}") from None


# Small values: f written out, and the oracle on each entry


def _decided(result, typed, domain, keyed, sizes, where, decimals):  # type: ignore[no-untyped-def]
    """Each derivative's rows, decided by the oracle; the names whose formula has no value
    here (or does not hold, at a kink), whose values are the oracle's alone."""
    written = written_out(result.expr, typed, domain, sizes)
    point = _point(written, keyed)
    for k in range(len(written.f)):  # f, each entry of a vector f, defined and real here
        failure = defined_at(written.function(result.name, k), point)
        if failure is not None:
            function = written.function(result.name, k)
            raise _refusal(failure, function, point, where, written.shown)
    found, by_entries = [], []
    for symbol, derivative in zip(result.wrt, result.gradients):
        oracle = _oracle(result, written, symbol.subs(sizes), point, where)
        formula = _formula_values(derivative, keyed, sizes)
        if formula is not None and _same(formula, oracle):
            found.append(_rows(formula, decimals))  # the same numbers, in the formula's form
            continue
        if formula is not None and not is_special(written.function(result.name), point):
            raise InternalError(f"∂{result.name}/∂{symbol.name} failed its check at --at")
        by_entries.append((symbol.name, NO_VALUE if formula is None else NOT_HERE))
        found.append(_rows(oracle, decimals))  # only at a kink may the formula not hold
    return tuple(found), tuple(by_entries)


def written_out(
    expr: sp.Expr, typed: sp.Expr, domain: d.Domain, sizes: dict[sp.Symbol, int]
) -> WrittenOut:
    """f as a scalar function of the entries of its vectors and matrices (and its scalars)."""
    matrices = sorted({m.subs(sizes) for m in typed.atoms(sp.MatrixSymbol)}, key=str)
    entries = {m: entry_symbols(m) for m in matrices}
    f = mc.values_at(expr, entries, sizes)
    scalars = sorted(mc.scalar_names(typed), key=str)
    variables = tuple(s for m in matrices for s in entries[m]) + tuple(scalars)
    written, shown = entrywise(domain, entries, sizes)
    return WrittenOut(tuple(f), entries, variables, written, shown)


def entry_symbols(matrix: sp.MatrixSymbol) -> sp.ImmutableMatrix:
    """x₁, x₂, ... for a vector; W₁₁, W₁₂, ... for a matrix (W₁,₁₂ past 9 rows or columns)."""
    rows, cols = (int(n) for n in matrix.shape)
    return sp.ImmutableMatrix(
        rows, cols, lambda i, j: sp.Symbol(matrix.name + _index(i, j, rows, cols), real=True)
    )


def _index(i: int, j: int, rows: int, cols: int) -> str:
    if cols == 1:
        return _subscript(i + 1)
    joint = "," if max(rows, cols) > 9 else ""
    return _subscript(i + 1) + joint + _subscript(j + 1)


def _subscript(n: int) -> str:
    return str(n).translate(SUBSCRIPTS)


def entrywise(
    domain: d.Domain, entries: dict, sizes: dict[sp.Symbol, int]
) -> tuple[d.Domain, dict[d.Condition, d.Condition]]:
    """The requirements and kinks of f as typed, each on a scalar: one for each entry of a
    vector or matrix argument (log(x) needs x₁ > 0, x₂ > 0); and how each condition reads."""
    conditions, shown = [], {}
    for condition in domain.conditions:
        for arg, label in _written_args(condition.arg, entries, sizes):
            written = d.Condition(condition.name, arg, condition.relation, condition.exponent)
            conditions.append(written)
            shown[written] = replace(written, arg=sp.Symbol(label))
    kinks = [
        d.kink(k.name, arg, k.holds)
        for k in domain.kinks
        for arg, _ in _written_args(k.arg, entries, sizes)
    ]
    return d.Domain(tuple(dict.fromkeys(conditions)), tuple(dict.fromkeys(kinks))), shown


def _written_args(arg: sp.Expr, entries: dict, sizes: dict) -> list[tuple[sp.Expr, str]]:
    """A record's argument written out, with its name: ‖x‖ for a scalar, (Wx)₂ for an entry."""
    from .render.matrixtext import as_matrix_math

    value = mc.values_at(arg, entries, sizes)
    name = as_matrix_math(arg)
    if not isinstance(arg, MatrixExpr) or arg.shape == (1, 1):
        return [(value[0, 0], name)]
    name = name if isinstance(arg, sp.MatrixSymbol) else f"({name})"
    rows, cols = value.shape
    return [
        (value[i, j], name + _index(i, j, rows, cols)) for i in range(rows) for j in range(cols)
    ]


def _point(written: WrittenOut, keyed: dict) -> Point:
    """Each entry symbol and each scalar, with its given value."""
    pairs = [
        (s, v)
        for m, symbols in written.entries.items()
        for s, v in zip(symbols, sp.ImmutableMatrix(keyed[m]))
    ]
    values = {s.name: v for s, v in keyed.items() if not isinstance(s, MatrixExpr)}
    pairs += [(s, values[s.name]) for s in written.variables if s.name in values]
    return tuple(pairs)


def _oracle(result, written, symbol, point, where) -> sp.ImmutableMatrix:  # type: ignore[no-untyped-def]
    """∂f/∂symbol at the point, each entry by gradient_at: the gradient, with symbol's shape,
    or the Jacobian in the result's layout. A Failure is an error naming why."""
    variables = tuple(written.entries[symbol])
    rows = []
    for k in range(len(written.f)):
        name = f"{result.name}{_subscript(k + 1)}" if result.is_jacobian else result.name
        function = written.function(name, k)
        slopes = tuple(sp.diff(function.expr, v) for v in variables)
        outcome = gradient_at(function, variables, point, slopes)
        if isinstance(outcome, Failure):
            raise _refusal(outcome, function, point, where, written.shown)
        rows.append([v.number for v in outcome])
    if not result.is_jacobian:
        return sp.ImmutableMatrix(*symbol.shape, list(rows[0]))
    jacobian = sp.ImmutableMatrix(rows)  # numerator layout: a row for each entry of f
    return jacobian if result.layout == "numerator" else jacobian.T


def _same(formula: sp.ImmutableMatrix, oracle: sp.ImmutableMatrix) -> bool:
    return all(abs(sp.N(m - v, 30)) < mc.TOLERANCE for m, v in zip(formula, oracle))


def _refusal(
    failure: Failure, function: Function, point: Point, where: str, shown: dict
) -> MathError:
    """The error for a Failure, as deriv grad words it, at the values as typed; a requirement
    in matrix notation (division by zero (‖x‖ = 0 there))."""
    from .render.failures import failure_message
    from .render.settings import Settings

    if failure.condition is not None:
        failure = replace(failure, condition=shown.get(failure.condition, failure.condition))
    return MathError(failure_message(failure, function, point, Settings(), where=where))


# Large values: the formula's values, f's requirements checked in numbers


def _evaluated(result, domain, keyed, sizes, where, decimals):  # type: ignore[no-untyped-def]
    """Each derivative's rows from its formula, where f meets its requirements and no kink:
    there f is smooth and the formula (checked at random sizes) is its derivative."""
    numeric, shown = entrywise(domain, keyed, sizes)
    function = Function(sp.Integer(0), result.name, (), numeric)
    failure = requirement_failing(function, ())
    if failure is not None:
        raise _refusal(failure, function, (), where, shown)
    for value in mc.values_at(result.expr, keyed, sizes):
        failure = defined_at(replace(function, expr=value), ())
        if failure is not None:
            raise _refusal(failure, function, (), where, shown)
    met = [k for k in numeric.kinks if is_special(replace(function, domain=d.Domain((), (k,))), ())]
    if met:
        raise MathError(
            f"deriv cannot decide whether {result.name} is differentiable at {where}: "
            f"{met[0].name} is at a kink there (its argument is {_edge(met[0])}); {TOO_LARGE}"
        )
    found = []
    for symbol, derivative in zip(result.wrt, result.gradients):
        formula = _formula_values(derivative, keyed, sizes)
        if formula is None:
            raise MathError(
                f"deriv cannot decide ∂{result.name}/∂{symbol.name} at {where}: its formula "
                f"has no value there; {TOO_LARGE}"
            )
        found.append(_rows(formula, decimals))
    return tuple(found), ()


TOO_LARGE = (
    f"such a point is decided entry by entry, for vectors and matrices of at most "
    f"{AT_CHECKED_ENTRIES} entries"
)


def _edge(kink: d.Kink) -> str:
    edges = d.EDGES[kink.holds]
    return str(edges[0]) if len(edges) == 1 else " or ".join(map(str, edges))


# Values


def _formula_values(derivative: sp.Expr, keyed: dict, sizes: dict) -> sp.ImmutableMatrix | None:
    """The matrix formula at the values, exact; None where it has no value there."""
    try:
        entries = mc.values_at(derivative, keyed, sizes)
    except (NonInvertibleMatrixError, ZeroDivisionError):
        return None
    if any(value_of(e) is None for e in entries):
        return None
    return entries


def _rows(entries: sp.ImmutableMatrix, decimals: bool) -> tuple[tuple[Value, ...], ...]:
    """The entries as Values, row by row (0.1 shown as typed where decimals were)."""
    values = [value_of(sp.simplify(e), decimals) for e in entries]
    if any(v is None for v in values):
        raise InternalError("a value passed by the oracle has no value")
    cols = entries.cols
    return tuple(tuple(values[i : i + cols]) for i in range(0, len(values), cols))  # type: ignore[misc]


def _as_typed(value: sp.Expr, decimals: bool) -> sp.Expr:
    shown = lambda v: v if v.is_Integer else decimal_form(v, decimals)  # noqa: E731
    return value.applyfunc(shown) if isinstance(value, sp.MatrixBase) else shown(value)


def _where(point: tuple[tuple[str, sp.Expr], ...]) -> str:
    """x = [0, 0], W = [[1, 2], [3, 4]]: the values as --at takes them."""
    from .render.settings import Settings
    from .render.text.toolbox import nested_text

    return ", ".join(f"{n} = {nested_text(v, Settings())}" for n, v in point)
