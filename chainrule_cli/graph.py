"""The expression's computational graph: its nodes, each operation's local derivatives, and
reverse accumulation. The bottom of the calculus: backprop, the numeric tape and the gradient's
reverse mode all build on it, and it builds on nothing of theirs.

Each node knows its local derivatives, ∂node/∂input, with its inputs as independent symbols.
Shared sub-expressions are one node (SymPy's equal expressions are one key), so their adjoints
sum every path, as in `sin(x)*cos(x) + sin(x)`.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .construct import apply
from .functions import RealRoot, Sigmoid, Softplus


def op_name(expr: sp.Expr) -> str:
    """The node's operation; a sub-expression without variables (log 2) is one constant."""
    if expr.is_Symbol:
        return "input"
    if not expr.free_symbols:
        return "const"
    names = {
        sp.Add: "+",
        sp.Mul: "*",
        sp.Pow: "^",
        sp.Abs: "abs",
        RealRoot: "root",
        Sigmoid: "sigmoid",
        Softplus: "softplus",
        sp.Max: "max",
        sp.Min: "min",
        sp.Heaviside: "heaviside",
    }
    return names.get(type(expr), type(expr).__name__)


def graph(expr: sp.Expr) -> list[sp.Expr]:
    """The distinct sub-expressions of expr, each after its arguments (iterative post-order)."""
    order: list[sp.Expr] = []
    seen: set[sp.Expr] = set()
    stack: list[tuple[sp.Expr, bool]] = [(expr, False)]
    while stack:
        node, expanded = stack.pop()
        if node in seen:
            continue
        if expanded or not node.args or op_name(node) in ("const", "input"):
            seen.add(node)
            order.append(node)
            continue
        stack.append((node, True))
        stack.extend((arg, False) for arg in reversed(node.args) if arg not in seen)
    return order


def local_derivatives(
    expr: sp.Expr, names: tuple | None = None, node: sp.Expr | None = None
) -> tuple[sp.Expr, ...]:
    """∂expr/∂arg for each direct argument that is not a constant, the arguments independent.

    The result is written in the arguments, or in `names` for them (n12 for tanh(...)), and
    in `node` for expr itself where the derivative repeats it (1 - tanh(a)² for tanh(a)).
    Sums, products, powers and functions of one argument have closed forms; anything else
    goes through SymPy's diff with a stand-in symbol per argument.
    """
    if op_name(expr) in ("const", "input"):
        return ()
    args = names or expr.args
    constant = [op_name(a) == "const" for a in expr.args]
    if type(expr) in STEPS:  # sign and steps: 0, as the frameworks propagate them
        return tuple(sp.Integer(0) for _ in args)
    if isinstance(expr, (sp.Max, sp.Min)) and len(args) == 2:
        local = _extremum(expr, args)
    elif expr.is_Add:
        local = [sp.Integer(1)] * len(args)
    elif expr.is_Mul:  # ∂(a·b·c)/∂b = a·c
        local = [sp.Mul(*(a for m, a in enumerate(args) if m != k)) for k in range(len(args))]
    elif expr.is_Pow and constant[1]:  # ∂(b^e)/∂b = e·b^(e-1)
        local = [args[1] * args[0] ** (args[1] - 1), sp.Integer(0)]
    elif isinstance(expr, sp.Function) and len(args) == 1:  # ∂f(a)/∂a = f'(a)
        itself = {type(expr)(_ARGUMENT): type(expr)(*args) if node is None else node}
        local = [_derivative_of(type(expr)).xreplace(itself).xreplace({_ARGUMENT: args[0]})]
    else:
        stand_ins = [sp.Dummy(f"a{k}", real=True) for k in range(len(args))]
        generic = expr.func(*stand_ins)
        back = dict(zip(stand_ins, args))
        local = [
            sp.Integer(0) if c else sp.diff(generic, s).xreplace(back)
            for s, c in zip(stand_ins, constant)
        ]
    return tuple(sp.Integer(0) if c else d for c, d in zip(constant, local))


def _extremum(expr: sp.Expr, args) -> list[sp.Expr]:  # type: ignore[no-untyped-def]
    """max(a, b) passes its gradient to the larger argument; at a tie PyTorch splits it evenly,
    except for relu, max(0, x), whose derivative at 0 PyTorch takes as 0."""
    a, b = args
    gap = a - b if isinstance(expr, sp.Max) else b - a
    tie = sp.Integer(0) if 0 in expr.args else sp.Rational(1, 2)
    return [sp.Heaviside(gap, tie), sp.Heaviside(-gap, tie)]


_ARGUMENT = sp.Dummy("a", real=True)  # real: d|a|/da is sign(a)
_DERIVATIVES: dict[type, sp.Expr] = {}
# Functions whose derivative is 0 wherever it exists (a Dirac delta at the jump): backprop
# follows PyTorch and passes 0 back through them, at the jump too.
STEPS = (sp.sign, sp.Heaviside)
# Functions with a kink at 0 of their argument, where backprop passes the frameworks'
# subgradient (PyTorch: d|x|/dx at 0 is 0) while `deriv diff` says there is no derivative.
KINKED = {
    sp.Abs: "|u|",
    sp.sign: "sign(u)",
    sp.Heaviside: "heaviside(u)",
    sp.Max: "max(a, b)",
    sp.Min: "min(a, b)",
}


def _derivative_of(function: type) -> sp.Expr:
    """f'(a) for a function class, computed once."""
    if function not in _DERIVATIVES:
        _DERIVATIVES[function] = sp.diff(function(_ARGUMENT), _ARGUMENT)
    return _DERIVATIVES[function]


@dataclass(frozen=True)
class GradientProgram:
    """All partial derivatives from one backward pass, with shared sub-expressions named:
    each definition uses only names defined before it; the components use any of them."""

    definitions: tuple[tuple[sp.Symbol, sp.Expr], ...]
    components: tuple[sp.Expr, ...]

    def expanded(self) -> tuple[sp.Expr, ...]:
        """The components with every name replaced by what it stands for."""
        values: dict[sp.Symbol, sp.Expr] = {}
        for name, expr in self.definitions:
            values[name] = expr.xreplace(values)
        return tuple(c.xreplace(values) for c in self.components)


def reverse_gradient(
    expr: sp.Expr, variables: tuple[sp.Symbol, ...], prefix: str = "c"
) -> GradientProgram:
    """Reverse mode over the DAG: one forward sweep naming shared nodes, one backward sweep.

    A node used by two or more others is named (its expression is written once); so is the
    adjoint of a node with two or more inputs, since each input's derivative uses it.
    """
    exprs = graph(expr)
    index = {e: i for i, e in enumerate(exprs)}
    leaf = [op_name(e) in ("const", "input") for e in exprs]
    inputs = [() if leaf[i] else tuple(index[a] for a in e.args) for i, e in enumerate(exprs)]
    uses = [0] * len(exprs)
    for args in inputs:
        for j in args:
            uses[j] += 1
    definitions: list[tuple[sp.Symbol, sp.Expr]] = []
    names = _names(prefix, variables)
    ref: list[sp.Expr] = []
    for i, e in enumerate(exprs):  # forward: each node in terms of its inputs' references
        if leaf[i]:
            ref.append(e)
            continue
        written = _rebuilt(e, [ref[j] for j in inputs[i]])
        if uses[i] >= 2:
            name = next(names)
            definitions.append((name, written))
            written = name
        ref.append(written)
    contributions: list[list[sp.Expr]] = [[] for _ in exprs]
    contributions[-1].append(sp.Integer(1))
    adjoint: dict[int, sp.Expr] = {}
    for i in reversed(range(len(exprs))):  # backward: adjoints, consumers before inputs
        total = sp.Add(*contributions[i])
        live = [k for k, j in enumerate(inputs[i]) if op_name(exprs[j]) != "const"]
        if len(live) >= 2 and not (total.is_Atom):
            name = next(names)
            definitions.append((name, total))
            total = name
        adjoint[i] = total
        if not live:
            continue
        local = local_derivatives(exprs[i], tuple(ref[j] for j in inputs[i]), ref[i])
        for k in live:
            contributions[inputs[i][k]].append(total * local[k])
    components = tuple(adjoint[index[v]] if v in index else sp.Integer(0) for v in variables)
    return GradientProgram(tuple(definitions), components)


def _rebuilt(expr: sp.Expr, args: list[sp.Expr]) -> sp.Expr:
    if isinstance(expr, sp.Function):
        return apply(expr.func, *args)
    return expr.func(*args)


def _names(prefix: str, taken: tuple[sp.Symbol, ...]):  # type: ignore[no-untyped-def]
    used = {s.name for s in taken}
    n = 0
    while True:
        name = f"{prefix}{n}"
        n += 1
        if name not in used:
            yield sp.Symbol(name, real=True)
