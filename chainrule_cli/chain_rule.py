"""The general chain rule, path by path: ∂p/∂x_i = Σ_j ∂p/∂o_j · ∂o_j/∂x_i.

Inner functions may use one another, so they form a graph; a term of ∂f/∂x is one path from f
down to x, and its product multiplies the local derivatives along that path.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace

import sympy as sp

from .differentiation import differentiate
from .domain import EMPTY, Domain, of_expr
from .errors import InputError, LimitExceeded
from .forms import textbook_form
from .points import derivative_at
from .results import Chain, ChainPart, Factor, Failure, Function, Point, Term, Value
from .values import evaluate_at, given_values, substitute
from .variables import natural_order, variable

MAX_PATHS = 10_000
Inner = tuple[tuple[sp.Symbol, sp.Expr], ...]


def chain_rule(
    name: str,
    outer: sp.Expr,
    inner: Inner,
    wrt: tuple[sp.Symbol, ...] = (),
    point: Point | None = None,
    automatic: bool = False,
    domain: Domain = EMPTY,
) -> Chain:
    """`domain` is what the typed pieces need, in the inner functions' names or the variables."""
    definitions = dict(inner)
    full = composed_inner(definitions)
    composed = outer.xreplace(full)
    needs = domain.xreplace(full) | of_expr(composed)
    function = Function(composed, name, natural_order(composed.free_symbols), needs)
    graph = _Graph(name, outer, definitions, function.variables)
    variables = wrt or function.variables
    parts = tuple(_part(graph, v, full, composed) for v in variables)
    if point is None:
        return Chain(function, outer, inner, parts, automatic)
    given_values(composed, point)
    at_point = []
    for part in parts:
        outcome = derivative_at(function, (part.variable,), point, part.result)
        if isinstance(outcome, Failure):
            return Chain(function, outer, inner, parts, automatic, point, outcome)
        terms = tuple(_term_at(graph, term, full, point) for term in part.terms)
        at_point.append(replace(part, terms=terms, value=outcome))
    return Chain(function, outer, inner, tuple(at_point), automatic, point)


def composed_inner(definitions: dict[sp.Symbol, sp.Expr]) -> dict[sp.Symbol, sp.Expr]:
    """Each inner function written in the input variables alone."""
    full: dict[sp.Symbol, sp.Expr] = {}
    for symbol in topological_order(definitions):
        full[symbol] = definitions[symbol].xreplace(full)
    return full


def topological_order(definitions: dict[sp.Symbol, sp.Expr]) -> list[sp.Symbol]:
    """Inner functions, each after the ones it uses; a cycle is an InputError naming it."""
    done: list[sp.Symbol] = []
    visiting: list[sp.Symbol] = []

    def visit(symbol: sp.Symbol) -> None:
        if symbol in done:
            return
        if symbol in visiting:
            cycle = [*visiting[visiting.index(symbol) :], symbol]
            raise InputError(
                "the inner functions form a cycle: " + " -> ".join(s.name for s in cycle)
            )
        visiting.append(symbol)
        for used in natural_order(definitions[symbol].free_symbols & definitions.keys()):
            visit(used)
        visiting.pop()
        done.append(symbol)

    for symbol in definitions:
        visit(symbol)
    return done


def check_inner_use(name: str, outer: sp.Expr, inner: Inner) -> None:
    """Every inner function is used, none uses the outer function, and none forms a cycle."""
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
    users = [s.name for s, expr in inner if variable(name) in expr.free_symbols]
    if users:
        raise InputError(
            f"the inner functions form a cycle: {users[0]} uses {name}, the outer function "
            "(if that was meant as a variable, give the outer function another --name)"
        )


class _Graph:
    """Who uses whom: the outer function, the inner functions and the input variables."""

    def __init__(self, name, outer, definitions, variables) -> None:
        self.top = variable(name)
        self.exprs = {self.top: outer, **definitions}
        self.variables = set(variables)

    def uses(self, node: sp.Symbol) -> list[sp.Symbol]:
        symbols = self.exprs[node].free_symbols
        inner = [s for s in self.exprs if s in symbols and s != self.top]
        return inner + list(natural_order(symbols - set(inner)))

    def paths(self, target: sp.Symbol) -> Iterator[tuple[sp.Symbol, ...]]:
        count = 0
        stack = [(self.top,)]
        while stack:
            path = stack.pop()
            if path[-1] == target:
                count += 1
                if count > MAX_PATHS:
                    raise LimitExceeded(f"more than {MAX_PATHS} chain-rule paths to {target.name}")
                yield path
            elif path[-1] in self.exprs:
                stack.extend(path + (used,) for used in reversed(self.uses(path[-1])))

    def factor(self, of: sp.Symbol, by: sp.Symbol) -> sp.Expr:
        return differentiate(self.exprs[of], by)


def _part(graph: _Graph, x: sp.Symbol, full: dict, composed: sp.Expr) -> ChainPart:
    terms = tuple(_term(graph, path, full) for path in graph.paths(x))
    total = sp.Add(*(term.product for term in terms))
    direct = direct_derivative(composed, x)
    matches = same(total, direct)
    # shown in the form `deriv diff` prints for the composed function, once the routes agree
    result = textbook_form(direct if matches else total)
    return ChainPart(x, terms, result, direct, matches)


def _term(graph: _Graph, path: tuple[sp.Symbol, ...], full: dict) -> Term:
    factors = tuple(
        Factor(of.name, by.name, graph.factor(of, by)) for of, by in zip(path, path[1:])
    )
    product = sp.Mul(*(f.expr for f in factors)).xreplace(full)
    return Term(tuple(s.name for s in path), factors, product)


def _term_at(graph: _Graph, term: Term, full: dict, point: Point) -> Term:
    """Each factor's value at the point, where the chain rule applies: a factor at a kink of
    its own node (d|u|/du at u = 0) has none, and then neither has the product."""
    factors = [replace(f, value=_factor_at(graph, f, full, point)) for f in term.factors]
    if any(f.value is None for f in factors):
        return replace(term, factors=tuple(factors))
    return replace(term, factors=tuple(factors), value=evaluate_at(term.product, point))


def _factor_at(graph: _Graph, factor: Factor, full: dict, point: Point) -> Value | None:
    expr = graph.exprs[variable(factor.of)]
    node = Function(expr, factor.of, natural_order(expr.free_symbols), of_expr(expr))
    node_point = tuple((s, substitute(full.get(s, s), point)) for s in node.variables)
    outcome = derivative_at(node, (variable(factor.by),), node_point, factor.expr)
    return None if isinstance(outcome, Failure) else outcome


def direct_derivative(composed: sp.Expr, x: sp.Symbol) -> sp.Expr:
    """The lecture's check ("as computed before!"): differentiate the composed function."""
    return sp.diff(composed, x)


def same(a: sp.Expr, b: sp.Expr, trials: int = 5) -> bool:
    """Equal symbolically, or, when SymPy cannot decide, at several random points."""
    difference = a - b
    if difference == 0 or sp.expand(difference) == 0 or sp.simplify(difference) == 0:
        return True
    symbols = sorted(a.free_symbols | b.free_symbols, key=lambda s: s.name)
    rng = random.Random(20261128)
    checked = 0
    for _ in range(trials):
        at = {s: sp.Float(rng.uniform(0.1, 0.9)) for s in symbols}
        try:
            gap = abs(complex(difference.xreplace(at).evalf(30)))
            scale = max(1.0, abs(complex(a.xreplace(at).evalf(30))))
        except (TypeError, ValueError):
            continue  # outside the domain there: try another point
        if gap > 1e-12 * scale:
            return False
        checked += 1
    return checked > 0


def decompose(
    expr: sp.Expr, taken: set[str], reading: dict[sp.Expr, int] | None = None
) -> tuple[sp.Expr, Inner]:
    """Name the inner functions of expr: sin(x^2) -> outer sin(u) with u = x^2.

    Names go in reading order (`reading` maps a sub-expression to where it starts in the typed
    text): in sin(x*y) + cos(x + y), u = x·y and v = x + y, whatever order SymPy keeps.
    """
    placeholders = iter(sp.Dummy() for _ in range(MAX_PATHS))
    named: dict[sp.Expr, sp.Symbol] = {}
    queue: list[tuple[sp.Symbol, sp.Expr]] = []

    def name_for(sub: sp.Expr) -> sp.Symbol:
        if sub not in named:
            named[sub] = next(placeholders)
            queue.append((named[sub], sub))
        return named[sub]

    outer = _name_composites(expr, name_for)
    inner = []
    for symbol, sub in queue:  # grows while it is walked: deeper links are named in turn
        inner.append((symbol, _name_composites(sub, name_for)))
    order = sorted(range(len(queue)), key=lambda i: ((reading or {}).get(queue[i][1], 10**9), i))
    names = _fresh_names(taken)
    renamed = {queue[i][0]: variable(next(names)) for i in order}
    inner = [(renamed[inner[i][0]], inner[i][1].xreplace(renamed)) for i in order]
    return outer.xreplace(renamed), tuple(inner)


def _name_composites(node: sp.Expr, name_for) -> sp.Expr:
    if not node.free_symbols or node.is_Symbol:
        return node
    if isinstance(node, sp.Function):
        return node.func(*(arg if _simple(arg) else name_for(arg) for arg in node.args))
    if isinstance(node, sp.Pow):  # a power of more than a variable is a composition
        base, exponent = node.args
        if not (_simple(base) and _simple(exponent)):
            return sp.Pow(*(part if _simple(part) else name_for(part) for part in (base, exponent)))
    if isinstance(node, (sp.Add, sp.Mul, sp.Pow)):
        return node.func(*(_name_composites(arg, name_for) for arg in node.args))
    return node


def _simple(arg: sp.Expr) -> bool:
    return arg.is_Symbol or not arg.free_symbols


def _fresh_names(taken: set[str]) -> Iterator[str]:
    candidates = ["u", "v", "w", "s", "q"] + [f"u{n}" for n in range(1, 10_000)]
    return (name for name in candidates if name not in taken)
