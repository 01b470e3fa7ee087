"""Text -> a SymPy matrix expression, for `deriv matrix`: deriv's own lexer and a small parser
(nothing typed is ever run as code), with kinds declared, never guessed, and shapes inferred.

    sum     := term (("+" | "-") term)*
    term    := unary (("*" | ".*" | "./" | "/") unary | unary)*   -- a juxtaposition is "*"
    unary   := ("-" | "+") unary | power
    power   := postfix ("^" ("T" | "-1" | integer))?
    postfix := atom ("'" | "ᵀ")*
    atom    := number | name | name "(" sum ("," sum)* ")" | "(" sum ")"

`*` is the matrix product (or a scalar's product); `.*` and `./` are elementwise; `'`, `ᵀ` and
`^T` transpose. Functions: tr, det, logdet, inv, sum, norm or norm2 (the 2-norm, Frobenius for a
matrix), diag (a vector's entries on a diagonal), and exp, log, tanh, sigmoid, sin, cos, sqrt,
relu, abs elementwise on a vector or matrix. `I` is an identity of whatever size fits, `ones` a
vector of ones.

Shapes: every matrix X is rows(X) × cols(X), every vector x is len(x) × 1, unknown sizes
unified by the operations (W*x makes cols(W) = len(x)) and named n, m, p, ... in order; a
declared size (--shape W=3x2) fixes one. A product or sum whose sizes cannot agree is an
InputError that shows both shapes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix
from sympy.matrices.expressions.matexpr import MatrixExpr

from . import domain as d
from .errors import ParseError
from .functions import Sigmoid, heaviside, relu
from .lexer import END, NAME, NUMBER, Token, tokenize

ELEMENTWISE = {
    "exp": sp.exp,
    "log": sp.log,
    "ln": sp.log,
    "tanh": sp.tanh,
    "sigmoid": Sigmoid,
    "sin": sp.sin,
    "cos": sp.cos,
    "sqrt": sp.sqrt,
    "relu": relu,
    "abs": sp.Abs,
    "heaviside": heaviside,
    "sign": sp.sign,
}
REDUCTIONS = ("tr", "det", "logdet", "sum", "norm", "norm2")
DIMENSION_NAMES = "nmpqrsklj"
RESERVED = ("I", "eye", "ones", "T")


@dataclass(frozen=True)
class Kinds:
    """What each name is: matrices and vectors are declared; every other name is a scalar."""

    matrices: frozenset[str] = frozenset()
    vectors: frozenset[str] = frozenset()
    shapes: dict[str, tuple[int, int]] = field(default_factory=dict)


# Sizes: a union-find over unknowns, each settled to a number or left a symbol.


class Sizes:
    """Unknown sizes of rows and columns. A declared vector's length and a matrix's sizes are
    never 1 unless declared so: x + W does not make W a column."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}
        self.value: dict[int, int] = {}
        self.may_be_one: dict[int, bool] = {}

    def new(self, known: int | None = None, may_be_one: bool = False) -> int:
        key = len(self.parent)
        self.parent[key] = key
        self.may_be_one[key] = may_be_one or known is not None
        if known is not None:
            self.value[key] = known
        return key

    def root(self, key: int) -> int:
        while self.parent[key] != key:
            self.parent[key] = self.parent[self.parent[key]]
            key = self.parent[key]
        return key

    def same(self, a: int, b: int) -> bool:
        """Make a and b one size; False when they cannot be: two different numbers, or 1 and
        a size that may not be 1."""
        a, b = self.root(a), self.root(b)
        if a == b:
            return True
        known = {self.value.get(a), self.value.get(b)} - {None}
        may_be_one = self.may_be_one[a] and self.may_be_one[b]
        if len(known) > 1 or (known == {1} and not may_be_one):
            return False
        self.parent[b] = a
        self.may_be_one[a] = may_be_one
        if known:
            self.value[a] = known.pop()
        return True

    def symbols(self) -> dict[int, sp.Expr]:
        names, shown = iter(DIMENSION_NAMES), {}
        for key in self.parent:
            root = self.root(key)
            if root not in shown:
                known = self.value.get(root)
                shown[root] = (
                    sp.Integer(known)
                    if known is not None
                    else sp.Symbol(next(names), integer=True, positive=True)
                )
            shown[key] = shown[root]
        return shown


SCALAR = None  # the shape of a scalar


@dataclass
class Node:
    kind: str
    token: Token
    args: tuple = ()
    shape: tuple[int, int] | None = SCALAR


def conventional_kinds(source: str, declared: Kinds) -> Kinds:
    """Names not declared follow matrixcalculus.org's convention: a capital letter starts a
    matrix (W, A, W1), a single letter from h to z is a vector (x, y, w), anything else is a
    scalar (a, b, c, lam)."""
    tokens = tokenize(source)
    names = {
        token.text
        for token, following in zip(tokens, tokens[1:])
        if token.kind == NAME
        and following.text != "("
        and token.text not in ("I", "eye", "ones", "T")
    }
    undeclared = names - declared.matrices - declared.vectors
    matrices = {n for n in undeclared if n[0].isupper()}
    vectors = {n for n in undeclared if len(n) == 1 and "h" <= n <= "z"}
    return Kinds(declared.matrices | matrices, declared.vectors | vectors, dict(declared.shapes))


def parse_matrix(source: str, kinds: Kinds) -> sp.Expr:
    """The expression with symbolic sizes (n, m, ...), a scalar or a matrix expression."""
    return parse_matrix_typed(source, kinds)[0]


def parse_matrix_typed(source: str, kinds: Kinds) -> tuple[sp.Expr, d.Domain]:
    """The expression, and where f is defined as typed: SymPy reads xᵀx/‖x‖ as ‖x‖, which
    loses ‖x‖ != 0. Each record's argument is a matrix expression (a condition on each entry:
    log(x) needs every entry of x > 0) or a scalar; `matrix_points` writes them out."""
    parser = _MatrixParser(source, tokenize(source), kinds)
    tree = parser.sum()
    if parser.token.kind != END:
        raise parser.fail(f"unexpected {parser.token.text!r}")
    builder = _Builder(parser.sizes.symbols())
    expr = builder.build(tree)
    return expr, builder.domain


class _MatrixParser:
    def __init__(self, source: str, tokens: list[Token], kinds: Kinds) -> None:
        self.source, self.tokens, self.kinds, self.i = source, tokens, kinds, 0
        self.sizes = Sizes()
        self.names: dict[str, tuple[int, int]] = {}

    @property
    def token(self) -> Token:
        return self.tokens[self.i]

    def at(self, *texts: str) -> bool:
        return self.token.kind not in (NAME, NUMBER, END) and self.token.text in texts

    def advance(self) -> Token:
        token = self.token
        self.i += 1
        return token

    def fail(self, message: str, token: Token | None = None) -> ParseError:
        token = token or self.token
        return ParseError(message, self.source, token.start, token.end)

    # the grammar

    def sum(self) -> Node:
        node = self.term()
        while self.at("+", "-"):
            operator = self.advance()
            right = self.term()
            node = self.combine("+" if operator.text == "+" else "-", node, right, operator)
        return node

    def term(self) -> Node:
        node = self.unary()
        while True:
            if self.at("*", ".*", "./", "/"):
                operator = self.advance()
                node = self.combine(operator.text, node, self.unary(), operator)
            elif self.token.kind in (NAME, NUMBER) or self.at("("):
                node = self.combine("*", node, self.unary(), self.token)
            else:
                return node

    def unary(self) -> Node:
        if self.at("-", "+"):
            operator = self.advance()
            inner = self.unary()
            return Node("neg", operator, (inner,), inner.shape) if operator.text == "-" else inner
        return self.power()

    def power(self) -> Node:
        base = self.postfix()
        if self.at(".^"):  # elementwise: x.^2, y.^-1
            caret = self.advance()
            exponent = self.whole_number("an elementwise power is .^ and a whole number")
            kind = "pow" if base.shape is SCALAR else "hpow"
            return Node(kind, caret, (base, exponent), base.shape)
        if not self.at("^"):
            return base
        caret = self.advance()
        if self.token.kind == NAME and self.token.text == "T":
            self.advance()
            return self.transposed(base, caret)
        if self.at("-") and self.tokens[self.i + 1].text == "T":  # X^-T
            self.advance()
            self.advance()
            self.square(base, caret, "inv")
            return self.transposed(Node("inv", caret, (base,), base.shape), caret)
        exponent = self.whole_number(
            "a power of a vector or matrix is ^T, ^-1, ^-T or a whole number"
        )
        if base.shape is SCALAR:
            return Node("pow", caret, (base, exponent), SCALAR)
        self.square(base, caret, "a power")
        return Node("pow", caret, (base, exponent), base.shape)

    def whole_number(self, message: str) -> int:
        negative = self.at("-")
        if negative:
            self.advance()
        if self.token.kind != NUMBER or not self.token.text.isdigit():
            raise self.fail(message)
        return int(self.advance().text) * (-1 if negative else 1)

    def postfix(self) -> Node:
        node = self.atom()
        while self.at("'"):
            node = self.transposed(node, self.advance())
        return node

    def transposed(self, node: Node, token: Token) -> Node:
        shape = None if node.shape is SCALAR else (node.shape[1], node.shape[0])
        return Node("T", token, (node,), shape)

    def atom(self) -> Node:
        token = self.token
        if token.kind == NUMBER:
            self.advance()
            return Node("number", token, (sp.Rational(token.text),))
        if self.at("("):
            self.advance()
            inner = self.sum()
            if not self.at(")"):
                raise self.fail(f"'(' at column {token.start + 1} is never closed")
            self.advance()
            return inner
        if token.kind == NAME:
            self.advance()
            if self.at("("):
                return self.call(token)
            return self.name(token)
        if token.kind == END:
            raise self.fail("unexpected end of input")
        raise self.fail(f"unexpected {token.text!r}")

    def name(self, token: Token) -> Node:
        name = token.text
        if name in ("I", "eye"):
            size = self.sizes.new(may_be_one=True)
            return Node("identity", token, (), (size, size))
        if name == "ones":
            return Node("ones", token, (), (self.sizes.new(may_be_one=True), self.sizes.new(1)))
        if name not in self.names:
            self.names[name] = self.declared_shape(name)
        return Node("name", token, (name,), self.names[name])

    def declared_shape(self, name: str) -> tuple[int, int] | None:
        known = self.kinds.shapes.get(name)
        if name in self.kinds.matrices:
            rows, cols = known or (None, None)
            return (self.sizes.new(rows), self.sizes.new(cols))
        if name in self.kinds.vectors:
            return (self.sizes.new(known[0] if known else None), self.sizes.new(1))
        return SCALAR

    def call(self, token: Token) -> Node:
        self.advance()  # (
        args = [self.sum()]
        while self.at(","):
            self.advance()
            args.append(self.sum())
        if not self.at(")"):
            raise self.fail(f"'(' at column {token.end + 1} is never closed")
        self.advance()
        name = token.text
        if len(args) != 1:
            raise self.fail(f"{name} takes one argument", token)
        (arg,) = args
        if name in ELEMENTWISE:
            arg = self.as_scalar(arg)  # exp(-xᵀx) is the exponential of a number
            return Node("elementwise", token, (name, arg), arg.shape)
        if name == "inv":
            self.square(arg, token, "inv")
            return Node("inv", token, (arg,), arg.shape)
        if name == "diag":  # a vector's entries on a diagonal
            if arg.shape is SCALAR or not self.sizes.same(arg.shape[1], self.sizes.new(1)):
                raise self.fail("diag needs a vector (its entries go on the diagonal)", token)
            return Node("diag", token, (arg,), (arg.shape[0], arg.shape[0]))
        if name in REDUCTIONS:
            if arg.shape is SCALAR:
                raise self.fail(f"{name} needs a vector or a matrix", token)
            if name in ("tr", "det", "logdet"):
                self.square(arg, token, name)
            return Node(name, token, (arg,), SCALAR)
        raise self.fail(f"unknown function {name!r} for deriv matrix", token)

    # shapes

    def square(self, node: Node, token: Token, what: str) -> None:
        if node.shape is SCALAR or not self.sizes.same(*node.shape):
            raise self.fail(f"{what} needs a square matrix", token)

    def combine(self, operator: str, left: Node, right: Node, token: Token) -> Node:
        kind = {"+": "add", "-": "sub", "*": "mul", ".*": "hadamard", "./": "hdiv", "/": "div"}
        left, right = self.as_scalar(left), self.as_scalar(right)
        if left.shape is SCALAR and right.shape is SCALAR:
            return Node(kind[operator], token, (left, right), SCALAR)
        if operator == "*" and SCALAR in (left.shape, right.shape):
            return Node("mul", token, (left, right), left.shape or right.shape)
        if operator == "/":
            if right.shape is not SCALAR:
                raise self.fail("dividing by a vector or matrix: use inv(...) or ./", token)
            return Node("div", token, (left, right), left.shape)
        if SCALAR in (left.shape, right.shape):
            scalar = left if left.shape is SCALAR else right
            if scalar.kind == "name":
                name = scalar.args[0]
                raise self.fail(
                    f"'{operator}' of the scalar {name} and a vector or matrix (if {name} is a "
                    f"vector, say so: --vector {name})",
                    token,
                )
            raise self.fail(f"'{operator}' of a scalar and a vector or matrix", token)
        if operator == "*":
            if not self.sizes.same(left.shape[1], right.shape[0]):
                raise self.mismatch("cannot multiply", left, right, token)
            return Node("mul", token, (left, right), (left.shape[0], right.shape[1]))
        rows, cols = (self.sizes.same(left.shape[k], right.shape[k]) for k in (0, 1))
        if not (rows and cols):
            raise self.mismatch(f"'{operator}' needs equal shapes:", left, right, token)
        return Node(kind[operator], token, (left, right), left.shape)

    def as_scalar(self, node: Node) -> Node:
        """A product known to be 1×1 (aᵀx) is the number it holds: aᵀx + c, (aᵀx)·y."""
        if node.shape is SCALAR:
            return node
        values = [self.sizes.value.get(self.sizes.root(k)) for k in node.shape]
        return Node("one_by_one", node.token, (node,), SCALAR) if values == [1, 1] else node

    def mismatch(self, what: str, left: Node, right: Node, token: Token) -> ParseError:
        shown = self.sizes.symbols()
        text = [f"{shown[r]}x{shown[c]}" for r, c in (left.shape, right.shape)]
        return self.fail(f"{what} {text[0]} and {text[1]}", token)


class _Builder:
    """The tree, shapes settled, as SymPy objects."""

    def __init__(self, sizes: dict[int, sp.Expr]) -> None:
        self.sizes = sizes
        self.domain = d.EMPTY

    def shape(self, node: Node) -> tuple[sp.Expr, sp.Expr]:
        return (self.sizes[node.shape[0]], self.sizes[node.shape[1]])

    def build(self, node: Node) -> sp.Expr:
        args = node.args
        kind = node.kind
        if kind == "number":
            return args[0]
        if kind == "name":
            if node.shape is SCALAR:
                return sp.Symbol(args[0], real=True)
            return sp.MatrixSymbol(args[0], *self.shape(node))
        if kind == "identity":
            return sp.Identity(self.shape(node)[0])
        if kind == "ones":
            return sp.OneMatrix(*self.shape(node))
        built = [self.build(a) if isinstance(a, Node) else a for a in args]
        self.domain = self.domain | _requirements(kind, built)
        if kind == "neg":
            return -built[0]
        if kind == "add":
            return built[0] + built[1]
        if kind == "sub":
            return built[0] - built[1]
        if kind == "mul":
            return built[0] * built[1]
        if kind == "div":
            return built[0] / built[1]
        if kind == "hadamard":
            return sp.HadamardProduct(*built)
        if kind == "hdiv":
            return sp.HadamardProduct(built[0], sp.HadamardPower(built[1], -1))
        if kind == "hpow":
            return sp.HadamardPower(built[0], built[1])
        if kind == "T":
            return built[0].T if isinstance(built[0], MatrixExpr) else built[0]
        if kind == "pow":
            base, exponent = built
            if isinstance(base, MatrixExpr):
                return sp.Inverse(base) if exponent == -1 else sp.MatPow(base, exponent)
            return base**exponent
        if kind == "inv":
            return sp.Inverse(built[0])
        if kind == "diag":
            return DiagMatrix(built[0])
        if kind == "one_by_one":
            return sp.Trace(built[0])
        if kind == "elementwise":
            name, inner = built
            function = ELEMENTWISE[name]
            if not isinstance(inner, MatrixExpr):
                return function(inner)
            variable = sp.Dummy("u", real=True)
            return ElementwiseApplyFunction(sp.Lambda(variable, function(variable)), inner)
        return self.reduction(kind, built[0])

    def reduction(self, kind: str, inner: MatrixExpr) -> sp.Expr:
        if kind == "logdet":
            self.domain = self.domain | d.of_call("log", [sp.Determinant(inner)])
        if kind in ("norm", "norm2"):  # √(sum of squares): a cone point where it is 0
            squares = sp.Trace(inner.T * inner)
            self.domain = self.domain | d.Domain((), (d.Kink("norm", squares, d.ABOVE_ZERO),))
        if kind == "tr":
            return sp.Trace(inner)
        if kind == "det":
            return sp.Determinant(inner)
        if kind == "logdet":
            return sp.log(sp.Determinant(inner))
        ones_left = sp.OneMatrix(1, inner.shape[0])
        if kind == "sum":
            return sp.Trace(ones_left * inner * sp.OneMatrix(inner.shape[1], 1))
        return sp.sqrt(sp.Trace(inner.T * inner))  # norm: 2-norm of a vector, Frobenius


def _requirements(kind: str, built: list) -> d.Domain:  # type: ignore[type-arg]
    """What an operation needs of its arguments, as typed: a divisor != 0, an inverted matrix
    det != 0, log's argument > 0 (each entry of a vector or matrix), relu's corner at 0."""
    if kind in ("div", "hdiv"):
        return d.of_quotient(built[1])
    if kind in ("pow", "hpow"):
        base, exponent = built
        if isinstance(base, MatrixExpr) and kind == "pow":
            return _inverted(base) if exponent < 0 else d.EMPTY
        return d.of_power(base, sp.Integer(exponent))
    if kind == "inv":
        return _inverted(built[0])
    if kind == "elementwise":
        name, inner = built
        return d.of_call(name, [inner])
    return d.EMPTY


def _inverted(matrix: MatrixExpr) -> d.Domain:
    """A⁻¹ needs det A != 0 (A⁻¹ = adj(A)/det A)."""
    return d.Domain((d.Condition("/", sp.Determinant(matrix), d.NONZERO),))
