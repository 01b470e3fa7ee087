"""What the calculus core returns: small frozen records holding SymPy objects, not text."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy as sp

from .domain import EMPTY, Condition, Domain

Point = tuple[tuple[sp.Symbol, sp.Expr], ...]

# Why a derivative has no value at a point (docs/points.md).
CORNER, VERTICAL, DISCONTINUOUS = "corner", "vertical", "discontinuous"
UNDEFINED, NOT_REAL, UNDECIDED = "undefined", "not real", "undecided"


class Shown:
    """What every result offers: its JSON record, its LaTeX, its plain text, and a display
    in a notebook. The renderers do the work, imported only when asked."""

    def to_dict(self) -> dict[str, Any]:
        """Exactly the record `deriv ... --format json` prints."""
        from .render.json import document

        return document(self)

    @property
    def latex(self) -> str:
        """One `align*` block, as `--format latex` prints it."""
        from .render.latex import render
        from .render.settings import Settings

        return render(self, Settings())

    def text(self, notation: str = "leibniz", unicode: bool = True) -> str:
        """The plain text `--format plain` prints, and why there is no value if there is none."""
        from .render.failures import message_for
        from .render.notation import Notation
        from .render.settings import Settings
        from .render.text.plain import render

        settings = Settings(Notation(notation), unicode)
        failure = message_for(self, settings)
        return render(self, settings) + (f"{failure}\n" if failure else "")

    @property
    def notes(self) -> tuple[str, ...]:
        """What the user may not have meant, and where a formula holds (the CLI's notes)."""
        from .render.notes import notes
        from .render.settings import Settings

        return tuple(n.removeprefix("note: ") for n in notes(self, Settings()))

    def __str__(self) -> str:
        return self.text().rstrip("\n")

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict[str, Any]:  # type: ignore[no-untyped-def]
        """Jupyter's display: typeset maths, with the text and the JSON record beside it."""
        return {
            "text/plain": str(self),
            "text/latex": self.latex,
            "application/json": self.to_dict(),
        }


@dataclass(frozen=True)
class Function:
    """The user's function as understood: its expression, its name and its variables in order,
    and what it needs to be defined as typed (`exp(ln(x))` is x, for x > 0)."""

    expr: sp.Expr
    name: str
    variables: tuple[sp.Symbol, ...]
    domain: Domain = EMPTY


@dataclass(frozen=True)
class Failure:
    """Why a derivative (`wrt`, in order; () for f itself) has no value at a point.

    `left`/`right` are the one-sided derivatives where they exist (oo allowed); `limits` the
    one-sided limits of what jumps. `condition` is the requirement that fails, with `argument`
    its argument's value; `side` is -1 or 1 when it fails on that side only. `direction` is
    set when f's slope along it disagrees with its partial derivatives.
    """

    reason: str
    wrt: tuple[sp.Symbol, ...] = ()
    left: sp.Expr | None = None
    right: sp.Expr | None = None
    condition: Condition | None = None
    argument: sp.Expr | None = None
    side: int = 0
    limits: tuple[sp.Expr | None, sp.Expr | None] | None = None
    direction: tuple[sp.Expr, ...] | None = None
    expected: sp.Expr | None = None  # with `direction`: what the partials predict


@dataclass(frozen=True)
class Value:
    """A result evaluated at a point: the exact value as shown and its decimal approximation.
    Where the input had decimals, `exact` is shown as a decimal (1.5, or cos(0.001) to 15
    digits) and `precise` keeps the exact number it was computed as; `number` is that number,
    for computing with further."""

    exact: sp.Expr
    approx: sp.Float
    precise: sp.Expr | None = None

    @property
    def number(self) -> sp.Expr:
        return self.exact if self.precise is None else self.precise

    @property
    def is_exact_decimal(self) -> bool:
        """True when the exact value needs no separate decimal (an integer or a decimal)."""
        return self.exact.is_Integer or isinstance(self.exact, sp.Float)


@dataclass(frozen=True)
class Derivative(Shown):
    """d^n f / d wrt[-1] ... d wrt[0]: `wrt` lists the variables in the order they apply."""

    function: Function
    wrt: tuple[sp.Symbol, ...]
    result: sp.Expr
    point: Point | None = None
    value: Value | None = None
    steps: tuple = ()  # with --steps: one Derivation per differentiation, in order
    failure: Failure | None = None  # with --at: why the derivative has no value there

    @property
    def order(self) -> int:
        return len(self.wrt)

    @property
    def absent(self) -> tuple[sp.Symbol, ...]:
        """Variables differentiated by that the function does not contain (a typo, perhaps)."""
        present = self.function.expr.free_symbols
        return tuple(v for v in dict.fromkeys(self.wrt) if v not in present)


@dataclass(frozen=True)
class Gradient(Shown):
    """The column vector of first partial derivatives, in the order of `variables`."""

    function: Function
    variables: tuple[sp.Symbol, ...]
    components: tuple[sp.Expr, ...]
    point: Point | None = None
    values: tuple[Value, ...] | None = None
    steps: tuple = ()  # with --steps: one Derivation per component
    magnitude: Value | None = None  # with --at: |∇f| there
    direction: tuple[Value, ...] | None = None  # with --at: ∇f/|∇f|, the steepest ascent
    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...] = ()  # with --cse: names the
    # components use, each defined in terms of the ones before it
    failure: Failure | None = None  # with --at: why the gradient has no value there
    numeric: bool = False  # with --at: values from the numeric backward pass, in doubles

    @property
    def is_constant(self) -> bool:
        named = {name for name, _ in self.definitions}
        return not self.definitions and not any(c.free_symbols - named for c in self.components)

    @property
    def is_zero(self) -> bool:
        return all(c == 0 for c in self.components)

    @property
    def left_out(self) -> tuple[sp.Symbol, ...]:
        """Variables of the function that an explicit `--vars` order leaves out."""
        chosen = set(self.variables)
        return tuple(v for v in self.function.variables if v not in chosen)

    @property
    def absent(self) -> tuple[sp.Symbol, ...]:
        present = self.function.expr.free_symbols  # once: a large function has many variables
        return tuple(v for v in self.variables if v not in present)


@dataclass(frozen=True)
class Factor:
    """One local derivative on a path, ∂of/∂by, in the symbols of its own node."""

    of: str
    by: str
    expr: sp.Expr
    value: Value | None = None


@dataclass(frozen=True)
class Term:
    """One path from the outer function down to an input variable, and its product."""

    path: tuple[str, ...]
    factors: tuple[Factor, ...]
    product: sp.Expr  # in the input variables
    value: Value | None = None


@dataclass(frozen=True)
class ChainPart:
    """∂f/∂variable as the sum of its path products, and the check against the direct route."""

    variable: sp.Symbol
    terms: tuple[Term, ...]
    result: sp.Expr
    direct: sp.Expr
    matches: bool
    value: Value | None = None


@dataclass(frozen=True)
class Chain(Shown):
    """The general chain rule for f = outer(inner..., variables), one part per input variable.

    `function.expr` is the composed function, in the input variables alone.
    """

    function: Function
    outer: sp.Expr
    inner: tuple[tuple[sp.Symbol, sp.Expr], ...]
    parts: tuple[ChainPart, ...]
    automatic: bool = False
    point: Point | None = None
    failure: Failure | None = None  # with --at: why a partial derivative has no value there

    @property
    def matches_direct(self) -> bool:
        return all(part.matches for part in self.parts)

    @property
    def variables(self) -> tuple[sp.Symbol, ...]:
        return tuple(part.variable for part in self.parts)

    @property
    def absent(self) -> tuple[sp.Symbol, ...]:
        present = self.function.expr.free_symbols  # once: a large function has many variables
        return tuple(v for v in self.variables if v not in present)


@dataclass(frozen=True)
class Matrix(Shown):
    """A Jacobian (rows: functions, columns: variables) or a Hessian (symmetric)."""

    kind: str  # "jacobian" | "hessian"
    functions: tuple[Function, ...]
    variables: tuple[sp.Symbol, ...]
    rows: tuple[tuple[sp.Expr, ...], ...]
    point: Point | None = None
    values: tuple[tuple[Value, ...], ...] | None = None
    eigenvalues: tuple[Value, ...] | None = None
    classification: str | None = None  # minimum | maximum | saddle | inconclusive
    failure: Failure | None = None  # with --at: why an entry has no value there
    function_index: int = 0  # which function's entry failed (a Jacobian's row)

    @property
    def function(self) -> Function:
        return self.functions[0]

    @property
    def is_constant(self) -> bool:
        return not any(e.free_symbols for row in self.rows for e in row)


@dataclass(frozen=True)
class Directional(Shown):
    """∇f · u at a point or everywhere, with the direction as given and as used."""

    function: Function
    variables: tuple[sp.Symbol, ...]
    direction: tuple[sp.Expr, ...]
    unit: tuple[sp.Expr, ...]
    normalized: bool
    result: sp.Expr
    point: Point | None = None
    value: Value | None = None
    failure: Failure | None = None  # with --at: why there is no slope along u
    one_sided: Failure | None = None  # the value is f's slope from one side: the gradient fails


@dataclass(frozen=True)
class Implicit(Shown):
    """dy/dx (or d²y/dx²) of the curve F(x, y) = 0 given as lhs = rhs."""

    lhs: sp.Expr
    rhs: sp.Expr
    independent: sp.Symbol
    dependent: sp.Symbol
    order: int
    result: sp.Expr
    point: Point | None = None
    value: Value | None = None
    failure: Failure | None = None
    domain: Domain = EMPTY  # what the equation needs, as typed
    solved: Function | None = None  # y = g(x) where the equation reads so: g, named y


@dataclass(frozen=True)
class Normal:
    """The normal at the point of tangency. Of a line: the line `dependent = expr` ("y", or "x"
    where the tangent is horizontal). Of a plane: the vector (f_x, f_y, -1), and the normal
    line through `through` = (a, b, f(a, b)) along it."""

    dependent: str | None = None
    expr: sp.Expr | None = None
    vector: tuple[sp.Expr, ...] = ()
    through: tuple[sp.Expr, ...] = ()


@dataclass(frozen=True)
class Tangent(Shown):
    """The tangent line (one variable) or plane (two) of f at a point: `dependent = expr`."""

    function: Function
    point: Point
    expr: sp.Expr | None  # None when f has no tangent there
    dependent: str  # "y" for a line, "z" for a plane, "x" for a vertical line (x = expr)
    failure: Failure | None = None  # why f is not differentiable there (vertical: still a line)
    normal: Normal | None = None  # with --normal


@dataclass(frozen=True)
class Parametric(Shown):
    """The curve (x(t), y(t)), or with `radius` the polar curve r(θ) as x = r cos θ,
    y = r sin θ: dy/dx (`first`) and d²y/dx² (`second`) in the parameter. At a parameter
    value (`point`): the curve's `position`, dy/dx's `value` (and d²y/dx²'s), and the tangent
    line y = `tangent` (x = `tangent` where it is vertical, with a VERTICAL failure)."""

    x: Function
    y: Function
    parameter: sp.Symbol
    first: sp.Expr
    second: sp.Expr
    radius: Function | None = None
    point: Point | None = None
    position: tuple[sp.Expr, ...] | None = None
    value: Value | None = None
    second_value: Value | None = None
    tangent: sp.Expr | None = None
    failure: Failure | None = None
    broken: Function | None = None  # x or y, where its own derivative is what fails
    turns: Turns | None = None  # where the tangent is horizontal or vertical; None: not found
    stationary: bool = False  # dx/dt = dy/dt = 0 at the point: dy/dx is the limit of dy/dx
    unbounded: str | None = None  # "x" where dx/dt is infinite there: dy/dx, the limit again


@dataclass(frozen=True)
class Turns:
    """The parameter values, in one period (`period`, None when the curve has none), where the
    tangent is horizontal (dy/dt = 0, dx/dt != 0), vertical (dx/dt = 0, dy/dt != 0), or the
    curve is singular (both 0)."""

    horizontal: tuple[sp.Expr, ...]
    vertical: tuple[sp.Expr, ...]
    singular: tuple[sp.Expr, ...]
    period: sp.Expr | None


@dataclass(frozen=True)
class Taylor(Shown):
    """The Taylor polynomial of f of an order at a point: `terms[k]` is its part of degree k
    (f⁽ᵏ⁾(a)/k!·(x - a)ᵏ for one variable). Order 1 is the linear approximation."""

    function: Function
    point: Point
    order: int
    terms: tuple[sp.Expr, ...] = ()
    failure: Failure | None = None  # a derivative of f that has no value at the point
    table: tuple[tuple[int, sp.Expr, sp.Expr, sp.Expr], ...] = ()  # --steps: (k, f⁽ᵏ⁾, at a, /k!)

    @property
    def polynomial(self) -> sp.Expr:
        return sp.Add(*self.terms)


@dataclass(frozen=True)
class LimitStep:
    """One line of a derivation from the definition: lim (above[0] - above[1]) / below as h -> 0
    (one term above: no difference; no below: no quotient), and why it follows; the last line
    is the limit taken (`limit` False)."""

    above: tuple[sp.Expr, ...]
    below: sp.Expr | None
    reason: str
    limit: bool = True

    @property
    def body(self) -> sp.Expr:
        top = self.above[0] - self.above[1] if len(self.above) == 2 else self.above[0]
        return top / self.below if self.below is not None else top


@dataclass(frozen=True)
class Definition(Shown):
    """f' from lim_{h -> 0} (f(x + h) - f(x))/h, step by step, for a `family` deriv derives so
    (polynomial, rational, root, sine, cosine); "rules" when it falls back to the rules, with
    no steps. `result` is f' either way."""

    function: Function
    variable: sp.Symbol
    family: str
    steps: tuple[LimitStep, ...]
    result: sp.Expr
    step: sp.Symbol = sp.Symbol("h", real=True)


@dataclass(frozen=True)
class NthDerivative(Shown):
    """d^n f/dx^n for a symbolic order n (an integer >= 1): `result` in x and n, checked against
    the derivatives of the orders in `checked`."""

    function: Function
    variable: sp.Symbol
    order: sp.Symbol
    result: sp.Expr
    checked: tuple[int, ...]


FIRST_TEST, SECOND_TEST = "first derivative", "second derivative"


@dataclass(frozen=True)
class Critical:
    """A critical point: f'(x) = 0 (`kind` "zero") or f' does not exist there ("undefined"),
    in the interior of f's domain; `x` is a 15-digit Float when it was found numerically."""

    x: sp.Expr
    kind: str
    value: Value  # f(x)


@dataclass(frozen=True)
class Extremum:
    """A local minimum or maximum at `x`, and the test that decided it: the second derivative
    test (`curvature` = f''(x), not 0) or the first (f' changes sign at x)."""

    x: sp.Expr
    kind: str  # "minimum" | "maximum"
    value: Value
    test: str  # FIRST_TEST | SECOND_TEST
    curvature: Value | None = None


@dataclass(frozen=True)
class Inflection:
    x: sp.Expr
    value: Value


@dataclass(frozen=True)
class Absolute:
    """The largest (`kind` "maximum") or least value of f on a closed interval, and where."""

    kind: str
    value: Value
    at: tuple[sp.Expr, ...]


Intervals = tuple[tuple[sp.Expr, sp.Expr], ...]


@dataclass(frozen=True)
class Analysis(Shown):
    """What f' and f'' tell about f of one variable over `region` (the line, one period, the
    closed interval of --on, or the window [-10, 10] when SymPy cannot solve f' = 0 or
    f'' = 0 in closed form: `solved_numerically` names those). Intervals are open
    pieces (from, to), ±oo allowed; `absolute` is None unless `scope` is "interval", and
    empty there when f is not continuous on it."""

    function: Function
    variable: sp.Symbol
    first: sp.Expr
    second: sp.Expr
    scope: str  # "line" | "period" | "interval" | "window"
    region: tuple[sp.Expr, sp.Expr]
    domain: sp.Set
    derivative_domain: sp.Set  # where f' exists, within the region
    critical: tuple[Critical, ...]
    increasing: Intervals
    decreasing: Intervals
    concave_up: Intervals
    concave_down: Intervals
    extrema: tuple[Extremum, ...]
    inflections: tuple[Inflection, ...]
    vertical: tuple[sp.Expr, ...]  # x = p
    horizontal: tuple[tuple[sp.Expr, sp.Expr], ...]  # (-oo or oo, L): y = L
    slant: tuple[tuple[sp.Expr, sp.Expr], ...]  # (-oo or oo, mx + b): y = mx + b
    absolute: tuple[Absolute, ...] | None = None
    solved_numerically: tuple[str, ...] = ()  # "first", "second": f' = 0, f'' = 0
    undecided: tuple[sp.Expr, ...] = ()  # kinks where f' could not be decided
    decimals: bool = False


@dataclass(frozen=True)
class MatrixGradients(Shown):
    """∂f/∂X for each X of --wrt (deriv matrix): the gradient of a scalar f, with X's shape, or
    the Jacobian of a vector f by a vector X, in `layout` ("numerator": len(f) × len(X),
    "denominator": its transpose). Each was checked entry by entry before it was kept:
    `max_error` is the largest difference found, at the sizes in `checked_at`."""

    expr: sp.Expr  # a scalar, a 1×1 matrix expression (aᵀx), or a vector
    name: str
    kinds: tuple[tuple[str, str], ...]  # (name, "matrix" | "vector" | "scalar"), as read
    wrt: tuple[sp.MatrixSymbol, ...]
    gradients: tuple[sp.Expr, ...]
    max_error: float
    checked_at: tuple[tuple[str, int], ...]
    layout: str = "numerator"
    given: tuple[tuple[str, sp.Expr], ...] | None = None  # --at: (name, number or matrix)
    function_values: tuple[tuple[Value, ...], ...] | None = None  # f's rows (1×1 for a scalar)
    values: tuple[tuple[tuple[Value, ...], ...], ...] | None = None  # each result's rows
    steps: tuple[tuple[Any, ...], ...] | None = None  # --steps: matrix_calculus.Rule per wrt
    definitions: tuple[tuple[sp.MatrixSymbol, sp.Expr], ...] = ()  # --cse: c0 = ..., in order
    show_check: bool = False  # --check: the check's figure printed
    checked_at_values: bool = False  # --at values small enough to check there too
    # --at: (name, why) where the values are f's derivatives entry by entry, not the formula's:
    # det(X)·X⁻ᵀ "has no value here" at a singular X
    by_entries: tuple[tuple[str, str], ...] = ()

    @property
    def shapes(self) -> dict[str, tuple[sp.Expr, sp.Expr]]:
        return {m.name: m.shape for m in sp.Tuple(self.expr).atoms(sp.MatrixSymbol)}

    @property
    def entries(self) -> int:
        """How many entries the check compared."""
        from .matrix_calculus import entries_checked

        matrices = sp.Tuple(self.expr, *self.wrt).atoms(sp.MatrixSymbol)
        dimensions = {d for m in matrices for d in sp.Tuple(*m.shape).free_symbols}
        checked = dict(self.checked_at)
        sizes = {d: checked[d.name] for d in dimensions if d.name in checked}
        return entries_checked(self.expr, self.wrt, sizes)

    @property
    def is_jacobian(self) -> bool:
        from .matrix_calculus import is_vector

        return is_vector(self.expr)


@dataclass(frozen=True)
class Check(Shown):
    """Is `answer` the derivative (or gradient) of the function? And how that was decided."""

    function: Function
    variables: tuple[sp.Symbol, ...]
    answer: tuple[sp.Expr, ...]
    expected: tuple[sp.Expr, ...]
    correct: bool | None  # None: could not be decided
    method: str  # "symbolic" | "numeric"
    counterpoint: Point | None = None
    answer_values: tuple[Value | None, ...] | None = None  # None where the answer is undefined
    expected_values: tuple[Value, ...] | None = None


@dataclass(frozen=True)
class Node:
    id: str
    op: str
    expr: sp.Expr
    inputs: tuple[int, ...]  # indices into the graph's nodes
    local: tuple[sp.Expr, ...]  # ∂node/∂input, in the inputs' expressions
    value: Value | None = None
    local_values: tuple[Value, ...] | None = None
    grad: sp.Expr | None = None  # ∂f/∂node: symbolic, or exact at the point
    grad_value: Value | None = None


@dataclass(frozen=True)
class Backprop(Shown):
    function: Function
    nodes: tuple[Node, ...]  # topological: every node after its inputs; the output last
    gradient: tuple[tuple[sp.Symbol, sp.Expr], ...]
    point: Point | None = None
    value: Value | None = None
    gradient_values: tuple[Value, ...] | None = None
    kinks: tuple[str, ...] = ()  # nodes at a kink (|u| at u = 0): the frameworks' convention
    no_gradient: Failure | None = None  # at a kink: why f has no gradient there, if it has none
    failure: Failure | None = None  # why there are no values at the point (f undefined there)
    true_gradient: tuple[Value, ...] | None = None  # at a kink: f's gradient, where it differs


@dataclass(frozen=True)
class Step:
    rule: str
    expr: sp.Expr
    variable: sp.Symbol
    result: sp.Expr
    substeps: tuple[Step, ...] = ()
    nonzero: sp.Expr | None = None  # the rule holds where this is not 0 (|u|: u)
    let: tuple[sp.Symbol, sp.Expr] | None = None  # the chain rule's inner function: u = x²
    parts: tuple[sp.Expr, ...] = ()  # the general power rule's f, g, f', g', for its formula


@dataclass(frozen=True)
class Derivation:
    """The steps of d/d variable of a function, and the simplified result `deriv diff` gives."""

    root: Step
    final: sp.Expr

    @property
    def simplified(self) -> bool:
        return self.final != self.root.result


@dataclass(frozen=True)
class Report:
    passed: bool
    max_relative_error: float
    points: tuple[Point, ...]
    kinks: tuple[Point, ...] = ()  # points where the one-sided quotients disagree


@dataclass(frozen=True)
class Checked(Shown):
    """A result and its --check report."""

    result: object
    report: Report
