"""From option text to result records: parse, then compute. No printing, no exit codes."""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass

import sympy as sp

from . import calculus
from .errors import InputError, LimitExceeded, MathError, ParseError, UndefinedAt
from .limits import MAX_DERIVATIVE_ORDER
from .options import naming, parse_names, parse_point, parse_ranges, parse_variable
from .parser import parse, parse_name, parse_with_domain, variable
from .render.notation import Notation, derivative_label
from .results import Chain, Derivative, Function, Gradient

CSE_VARIABLES = 20  # larger gradients go through reverse mode, shared parts named


@dataclass(frozen=True)
class Common:
    """Options every command shares."""

    name: str = "f"
    exact: bool = False
    at: str | None = None
    notation: Notation = Notation.leibniz
    simplify: bool = False
    steps: bool = False
    check: bool = False
    cse: bool | None = None  # None: on for gradients of more than CSE_VARIABLES variables


def read_function(expression: str, common: Common) -> Function:
    with naming("--name"):
        name = parse_name(common.name)
    return calculus.function_of(*parse_with_domain(expression, exact=common.exact), name=name)


def diff(expression: str, wrt: list[str], order: int, common: Common) -> Derivative:
    """deriv diff: parse EXPR and the options, then differentiate."""
    function = read_function(expression, common)
    variables = tuple(parse_variable(w, "--wrt") for w in wrt)
    if order < 1:
        raise InputError("--order must be at least 1")
    if order > MAX_DERIVATIVE_ORDER:
        raise LimitExceeded(f"--order is limited to {MAX_DERIVATIVE_ORDER}")
    if len(variables) > 1 and order > 1:
        raise InputError("use either --order or several --wrt, not both")
    if not variables:
        variables = (only_variable(function),)
    point = parse_point(common.at, exact=common.exact) if common.at else None
    with explained(function, common.notation):
        result = calculus.derivative(function, variables * order, point, common.simplify)
    return with_steps(result, as_typed(expression, common)) if common.steps else result


def as_typed(expression: str, common: Common) -> sp.Expr:
    """The function as written, products unmerged (2^x·3^x stays two exponentials): the
    expression `--steps` derives, so that its rules follow what was typed."""
    return parse(expression, exact=common.exact, literal=True)


def grad(expression: str, variables: str | None, common: Common) -> Gradient:
    function = read_function(expression, common)
    order = parse_names(variables, "--vars") if variables else function.variables
    if not order:
        raise InputError(
            f"{function.name} has no variables; name them with --vars, as in --vars x,y"
        )
    point = parse_point(common.at, exact=common.exact) if common.at else None
    with explained(function, common.notation):
        cse = common.cse if common.cse is not None else len(order) > CSE_VARIABLES
        if common.steps or common.check:
            cse = False  # steps and --check read each component whole
        result = calculus.gradient(function, order, point, common.simplify, cse)
    return with_steps(result, as_typed(expression, common)) if common.steps else result


def chain(
    outer_text: str, inner_texts: list[str], wrt: list[str], name: str | None, common: Common
) -> Chain:
    """deriv chain: explicit inner functions, or an automatic decomposition of OUTER."""
    from . import chain as chainrule

    inner, domain = parse_inner(inner_texts, common.exact)
    defined = frozenset(s.name for s, _ in inner)
    reading: dict = {}
    outer, outer_domain = parse_with_domain(
        outer_text, exact=common.exact, defined=defined, reading=reading
    )
    domain |= outer_domain
    if outer in dict(inner):  # deriv chain "L" --inner ... --inner "L=(a-t)^2": L is the outer
        top, name = outer, name or outer.name
        outer = dict(inner)[top]
        inner = tuple(pair for pair in inner if pair[0] != top)
    with naming("--name"):
        name = parse_name(name or common.name)
    automatic = not inner
    if automatic:
        taken = {s.name for s in outer.free_symbols} | {name}
        outer, inner = chainrule.decompose(outer, taken, reading)
        if not inner:
            raise InputError(
                f"{name} = {outer} has no composition to decompose; name the inner functions "
                'yourself, as in: deriv chain "3*g" --inner "g=2x^2"'
            )
    check_inner_use(name, outer, inner)
    users = [s.name for s, expr in inner if variable(name) in expr.free_symbols]
    if users:
        raise InputError(
            f"the inner functions form a cycle: {users[0]} uses {name}, the outer function "
            "(if that was meant as a variable, give the outer function another --name)"
        )
    variables = tuple(parse_variable(w, "--wrt") for w in wrt)
    twice = [v.name for i, v in enumerate(variables) if v in variables[:i]]
    if twice:
        raise InputError(
            f"--wrt: {twice[0]} is given twice; chain shows first partial derivatives "
            "(for a second derivative use deriv diff with --wrt twice)"
        )
    inner_names = {s for s, _ in inner}
    for v in variables:
        if v in inner_names:
            raise InputError(f"--wrt: {v.name} is an inner function; choose an input variable")
    point = parse_point(common.at, exact=common.exact) if common.at else None
    with explained(calculus.function_of(outer, name=name), common.notation):
        return chainrule.chain_rule(name, outer, inner, variables, point, automatic, domain)


def parse_inner(texts: list[str], exact: bool):  # type: ignore[no-untyped-def]
    """`--inner g=2x^2` options, each NAME=EXPR, and what they need; a name defined twice is
    an error."""
    from .domain import EMPTY
    from .options import parse_definition

    names = [parse_definition(t, exact, frozenset())[0] for t in texts]
    defined = frozenset(n.name for n in names)
    parsed = [parse_definition(t, exact, defined) for t in texts]
    seen: set[sp.Symbol] = set()
    domain = EMPTY
    for symbol, _, needs in parsed:
        if symbol in seen:
            raise InputError(f"--inner: {symbol.name} is defined twice")
        seen.add(symbol)
        domain |= needs
    return tuple((symbol, expr) for symbol, expr, _ in parsed), domain


def check_inner_use(name: str, outer: sp.Expr, inner) -> None:
    from .chain import topological_order

    definitions = dict(inner)
    reached = set(outer.free_symbols)
    for symbol in reversed(topological_order(definitions)):  # a cycle is an error here
        if symbol in reached:
            reached |= definitions[symbol].free_symbols
    unused = [s.name for s, _ in inner if s not in reached]
    if len(unused) == len(inner):
        raise InputError(f"{name} does not use any inner function ({', '.join(unused)})")
    if unused:
        raise InputError(f"{name} does not use the inner function {unused[0]}")


def with_steps(result, typed: sp.Expr):  # type: ignore[no-untyped-def]
    """The rule-by-rule derivation of each differentiation (diff) or component (grad)."""
    from dataclasses import replace

    from .steps import derivation

    if isinstance(result, Derivative):
        expr, derivations = typed, []
        for variable in result.wrt:
            derivations.append(derivation(expr, variable))
            expr = derivations[-1].final
        return replace(result, steps=tuple(derivations), result=expr)
    steps = tuple(derivation(typed, v) for v in result.variables)
    return replace(result, steps=steps, components=tuple(d.final for d in steps))


def only_variable(function: Function) -> sp.Symbol:
    names = [v.name for v in function.variables]
    if len(names) == 1:
        return function.variables[0]
    if not names:
        raise InputError(
            f"{function.name} has no variables; say which one with --wrt, as in --wrt x"
        )
    raise InputError(
        f"{function.name} has several variables ({', '.join(names)}); choose one with --wrt "
        f"(e.g. --wrt {names[0]}), or use 'deriv grad' for all partial derivatives"
    )


class explained:
    """Turns UndefinedAt into a message naming the derivative in the user's notation."""

    def __init__(self, function: Function, notation: Notation) -> None:
        self.function, self.notation = function, notation

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type | None, error: BaseException | None, trace: object) -> None:
        if isinstance(error, UndefinedAt):
            partial = len({v.name for v in self.function.variables} | set(error.wrt)) > 1
            label = derivative_label(self.function.name, error.wrt, partial, self.notation)
            where = ", ".join(f"{name}={value}" for name, value in error.point)
            raise MathError(f"{label} is {error.reason} at {where}") from None


def read_functions(text: str, common: Common) -> tuple[Function, ...]:
    """`f1, f2, ...`: the components of a vector function, named f1, f2, ... in labels."""
    from .options import split_top_level

    parts = split_top_level(text)
    parsed = []
    for start, end in parts:
        try:
            parsed.append(parse_with_domain(text[start:end], exact=common.exact))
        except ParseError as error:
            raise ParseError(error.message, text, error.start + start, error.end + start) from None
    if len(parts) == 1:
        return (calculus.function_of(*parsed[0], name=common.name),)
    return tuple(
        calculus.function_of(e, name=f"{common.name}{i}", domain=domain)
        for i, (e, domain) in enumerate(parsed, 1)
    )


def variables_of(functions, variables: str | None):  # type: ignore[no-untyped-def]
    if variables:
        return parse_names(variables, "--vars")
    found = calculus.natural_order(set().union(*(f.expr.free_symbols for f in functions)))
    if not found:
        raise InputError("the function has no variables; name them with --vars, as in --vars x,y")
    return found


def point_of(common: Common):  # type: ignore[no-untyped-def]
    return parse_point(common.at, exact=common.exact) if common.at else None


def jacobian(expression: str, variables: str | None, common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox

    functions = read_functions(expression, common)
    return toolbox.jacobian(functions, variables_of(functions, variables), point_of(common))


def hessian(expression: str, variables: str | None, common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox

    function = read_function(expression, common)
    return toolbox.hessian(function, variables_of((function,), variables), point_of(common))


def direction(expression: str, vector: str, normalize: bool, variables: str | None, common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox
    from .options import parse_vector

    function = read_function(expression, common)
    return toolbox.directional(
        function,
        variables_of((function,), variables),
        parse_vector(vector, "--direction", common.exact),
        normalize,
        point_of(common),
    )


def implicit(equation: str, wrt: str | None, dependent: str | None, order: int, common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox
    from .options import parse_equation

    lhs, rhs, domain = parse_equation(equation, common.exact)
    names = {s.name for s in (lhs - rhs).free_symbols}
    y = parse_variable(dependent, "--dep") if dependent else variable("y")
    if wrt:
        x = parse_variable(wrt, "--wrt")
    elif "x" in names:
        x = variable("x")
    else:
        others = sorted(names - {y.name})
        if len(others) != 1:
            raise InputError("say which variable is independent with --wrt")
        x = variable(others[0])
    return toolbox.implicit(lhs, rhs, x, y, order, point_of(common), domain)


def tangent(expression: str, common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox

    if not common.at:
        raise InputError("a tangent needs a point: --at x=1 (or x=1,y=2 for a plane)")
    return toolbox.tangent(read_function(expression, common), point_of(common))


def check(expression: str, answer: str, wrt: list[str], common: Common):  # type: ignore[no-untyped-def]
    from . import toolbox
    from .options import parse_vector

    function = read_function(expression, common)
    answers = parse_vector(answer, "--answer", common.exact, numbers_only=False)
    if wrt:
        variables = tuple(parse_variable(w, "--wrt") for w in wrt)
    elif len(answers) == 1 and len(function.variables) == 1:
        variables = function.variables
    elif len(answers) == len(function.variables):
        variables = function.variables
    else:
        raise InputError("say which derivative the answer is with --wrt, or give every component")
    return toolbox.check(function, variables, answers)


def backprop(expression: str, common: Common):  # type: ignore[no-untyped-def]
    """deriv backprop: the graph as written (0.5(-x + y) stays a product), then both passes."""
    from . import backprop as engine

    with naming("--name"):
        name = parse_name(common.name)
    expr, domain = parse_with_domain(expression, exact=common.exact, literal=True)
    function = calculus.function_of(expr, domain, name)
    return engine.backprop(function, point_of(common))


PLOT_SUFFIXES = (".png", ".svg", ".pdf")
PLOT_EXTRA = "pip install 'chainrule-cli[plot]'"


def plot(expression: str, out: str | None, ranges: str | None, terminal: bool, common: Common):  # type: ignore[no-untyped-def]
    """deriv plot: sample f and its derivatives, for a file or the terminal."""
    from .plotting import PlotFile, TextPlot, plot_data

    if out is not None and terminal:
        raise InputError("use either --out or --terminal, not both")
    if out is not None and not out.lower().endswith(PLOT_SUFFIXES):
        raise InputError(f"--out: the file name must end in .png, .svg or .pdf (got {out})")
    require_module("plotext" if terminal else "matplotlib")
    function = read_function(expression, common)
    spans = parse_ranges(ranges) if ranges else {}
    point = parse_point(common.at, exact=common.exact) if common.at else None
    data = plot_data(function, spans, point)
    if terminal:
        colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
        return TextPlot(data, *text_plot_size(), colour=colour)
    return PlotFile(data, out or temporary_png())


def text_plot_size() -> tuple[int, int]:
    """Fit a terminal; a fixed 100 x 24 into pipes and files, so the text is reproducible."""
    if not sys.stdout.isatty():
        return 100, 24
    width, height = shutil.get_terminal_size()
    return min(width, 120), max(12, min(height - 4, 30))


def require_module(name: str) -> None:
    import importlib.util

    if importlib.util.find_spec(name) is None:
        raise InputError(f"deriv plot needs {name}; install it with: {PLOT_EXTRA}")


def temporary_png() -> str:
    import tempfile

    handle, path = tempfile.mkstemp(prefix="deriv-plot-", suffix=".png")
    os.close(handle)
    return path
