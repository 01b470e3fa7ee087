"""The calculus core: pure functions from SymPy expressions to result records."""

from __future__ import annotations

import sympy as sp

from .differentiation import differentiate
from .domain import EMPTY, Domain
from .errors import LimitExceeded
from .forms import textbook_form
from .limits import MAX_VARIABLES
from .points import (
    defined_at,
    derivative_at,
    is_special,
    requirement_failing,
    slopes_disagree,
    value_at,
)
from .results import Derivative, Failure, Function, Gradient, Point, Value
from .values import (
    DIGITS,
    as_fractions,
    given_values,
    has_decimals,
    substitute,
    value_of,
)
from .variables import natural_order

__all__ = ["differentiate", "derivative", "gradient", "function_of"]


def function_of(expr: sp.Expr, domain: Domain = EMPTY, name: str = "f") -> Function:
    """f's variables are those of what was typed: x/x is 1 as SymPy reads it, but a function of
    x, undefined at 0."""
    variables = expr.free_symbols | domain.symbols
    if len(variables) > MAX_VARIABLES:
        raise LimitExceeded(f"too many variables: over {MAX_VARIABLES}")
    return Function(expr, name, natural_order(variables), domain)


def derivative(
    function: Function,
    wrt: tuple[sp.Symbol, ...],
    point: Point | None = None,
    simplify: bool = False,
) -> Derivative:
    result = function.expr
    for variable in wrt:  # tidied after each order, as --steps derives them
        result = tidy(differentiate(result, variable), simplify)
    if point is None:
        return Derivative(function, wrt, result)
    given_values(function.expr, point)
    outcome = derivative_at(function, wrt, point, result)
    if isinstance(outcome, Failure):
        return Derivative(function, wrt, result, point, failure=outcome)
    return Derivative(function, wrt, result, point, outcome)


NUMERIC_VARIABLES = 100  # larger gradients at a point go through the numeric backward pass


def gradient(
    function: Function,
    variables: tuple[sp.Symbol, ...] | None = None,
    point: Point | None = None,
    simplify: bool = False,
    cse: bool = False,
    numeric: bool | None = None,
) -> Gradient:
    """The gradient; at a point its value, exact, or for more than NUMERIC_VARIABLES variables
    (or `numeric=True`) from the numeric backward pass in double precision."""
    variables = variables or function.variables
    definitions: tuple = ()
    if cse:
        from .graph import reverse_gradient

        program = reverse_gradient(function.expr, variables)
        definitions, components = program.definitions, program.components
    else:
        components = tuple(tidy(differentiate(function.expr, v), simplify) for v in variables)
    if point is None:
        return Gradient(function, variables, components, definitions=definitions)
    given_values(function.expr, point)
    outcome, numbers = values_at(function, variables, point, components, definitions, numeric)
    if isinstance(outcome, Failure):
        return Gradient(
            function, variables, components, point, definitions=definitions, failure=outcome
        )
    magnitude, direction = ascent(outcome, has_decimals(function.domain, point))
    return Gradient(
        function,
        variables,
        components,
        point,
        outcome,
        magnitude=magnitude,
        direction=direction,
        definitions=definitions,
        numeric=numbers,
    )


def values_at(function, variables, point, components, definitions=(), numeric=None):  # type: ignore[no-untyped-def]
    """The partial derivatives at the point, and whether they are numeric: exact, or for more
    than NUMERIC_VARIABLES variables (or numeric=True) from the numeric backward pass."""
    if numeric or (numeric is None and len(variables) > NUMERIC_VARIABLES):
        numbers = numeric_values(function, variables, point)
        if numbers is not None:
            return numbers, True
    named = expand_names(components, definitions, point)
    return gradient_at(function, variables, point, named), False


def gradient_at(
    function: Function, variables: tuple[sp.Symbol, ...], point: Point, components
) -> tuple[Value, ...] | Failure:
    """Each partial derivative at the point; a Failure where one has no value, or where f is
    not differentiable although they all exist (its slope along a diagonal disagrees)."""
    failure = defined_at(function, point)
    if failure is not None:
        return failure
    special = is_special(function, point)
    values = []
    for variable, component in zip(variables, components):
        outcome = value_at(function, (variable,), point, component, special)
        if isinstance(outcome, Failure):
            return outcome
        values.append(outcome)
    if len(variables) > 1:
        exact = tuple(substitute(v.number, ()) for v in values)
        failure = slopes_disagree(function, point, exact, variables)
        if failure is not None:
            return failure
    return tuple(values)


def ascent(values: tuple[Value, ...], decimals: bool) -> tuple[Value, tuple[Value, ...] | None]:
    """|∇f| and the unit direction of steepest ascent (None where the gradient is zero).
    Shown as decimals, they are computed from the components' 30-digit values (a sum of
    squares cannot cancel), not from exact forms that may be huge (a network's loss)."""
    if all(v.number == 0 for v in values):  # values are settled: a zero is 0
        return value_of(sp.Integer(0), decimals), None  # type: ignore[return-value]
    exact = [_component(v, decimals) for v in values]
    size = sp.sqrt(sp.Add(*(e**2 for e in exact)))
    magnitude = value_of(size, decimals)
    return magnitude, tuple(value_of(e / size, decimals) for e in exact)  # type: ignore[return-value]


def _component(value: Value, decimals: bool) -> sp.Expr:
    if not decimals or value.number.is_Rational:
        return substitute(value.number, ())
    return value.number.evalf(30)


def numeric_values(function: Function, variables, point: Point):  # type: ignore[no-untyped-def]
    """The gradient at a point by the numeric backward pass, in doubles; None where the exact
    route must decide: at a kink, where a requirement of f needs checking, where the tape has
    no operation for a node, or where a number is not finite."""
    import numpy as np

    from .tape import TapeUnsupported, compile_tape

    if requirement_failing(function, point) or is_special(function, point):
        return None
    given = dict(point)
    try:
        tape = compile_tape(function.expr, variables)
        at = np.array([float(given[v]) if v in given else 0.0 for v in variables])
        with np.errstate(all="ignore"):
            value, gradient = tape.gradient(at)
            _, rough = tape.gradient(at.astype(np.float32), np.float32)
    except (TapeUnsupported, TypeError, ValueError, OverflowError):
        return None
    if not (np.isfinite(value) and np.all(np.isfinite(gradient))):
        return None
    if not well_conditioned(gradient, rough):
        return None  # round-off the doubles cannot be trusted with: the exact route
    return tuple(Value(sp.Float(float(g), DIGITS), sp.Float(float(g), DIGITS)) for g in gradient)


ROUGH_AGREEMENT = 1e-3  # float32 within this of the doubles: their error is below ~1e-12


def well_conditioned(gradient, rough) -> bool:  # type: ignore[no-untyped-def]
    """The doubles' gradient is sound where a single-precision pass agrees with it to 1e-3 of
    the gradient's size: round-off grows alike in both, and single precision starts 9 digits
    worse, so the doubles are then good to about 1e-12. (e^x - 1 - x)/x² at 1e-8 cancels all
    of a double's digits: the two passes disagree, and the exact route decides."""
    import numpy as np

    scale = float(np.max(np.abs(gradient))) if len(gradient) else 0.0
    gap = np.abs(gradient - rough.astype(np.float64))
    return bool(np.all(np.isfinite(rough)) and np.all(gap <= ROUGH_AGREEMENT * max(scale, 1e-300)))


def expand_names(components, definitions, point: Point):  # type: ignore[no-untyped-def]
    """The components at the point, each shared name replaced by its exact value there."""
    if not definitions:
        return components
    values = {s: as_fractions(v) for s, v in point}
    for name, expr in definitions:
        values[name] = expr.xreplace(values)
    return tuple(c.xreplace(values) for c in components)


def tidy(expr: sp.Expr, simplify: bool) -> sp.Expr:
    """The textbook's form; SymPy's simplify joins the candidates only when asked: it rarely
    shortens a derivative further and can take minutes."""
    return textbook_form(expr, thorough=simplify)
