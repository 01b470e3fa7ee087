"""Matrix expressions as a textbook writes them, for deriv matrix: 2(Wx - y)xᵀ, X⁻ᵀ, a ⊙ b,
tr(AXB), and an elementwise function as the function of its argument, tanh(Wx + b)."""

from __future__ import annotations

import re

import sympy as sp
from sympy.matrices.expressions.applyfunc import ElementwiseApplyFunction
from sympy.matrices.expressions.diagonal import DiagMatrix, DiagonalOf
from sympy.matrices.expressions.matexpr import MatrixExpr
from sympy.printing.latex import LatexPrinter

from .mathtext import as_math

SUPERSCRIPTS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def as_matrix_math(expr: sp.Expr, unicode: bool = True) -> str:
    return _Writer(unicode).write(expr)


class _Writer:
    def __init__(self, unicode: bool) -> None:
        self.unicode = unicode
        self.T = "ᵀ" if unicode else "'"
        self.inverse = "⁻¹" if unicode else "^-1"
        self.inverse_T = "⁻ᵀ" if unicode else "^-T"
        self.hadamard = " ⊙ " if unicode else " .* "
        self.ones = "𝟙" if unicode else "ones"
        self.minus = " - "

    def write(self, expr: sp.Expr) -> str:
        if isinstance(expr, sp.MatrixSymbol):
            return expr.name
        if isinstance(expr, sp.Identity):
            return "I"
        if isinstance(expr, sp.OneMatrix):
            return self.ones
        if isinstance(expr, sp.ZeroMatrix):
            return "0"
        if isinstance(expr, sp.Transpose):
            inner = expr.arg
            if isinstance(inner, sp.Inverse):
                return self.atomic(inner.arg) + self.inverse_T
            return self.atomic(inner) + self.T
        if isinstance(expr, sp.Inverse):
            if isinstance(expr.arg, sp.Transpose):
                return self.atomic(expr.arg.arg) + self.inverse_T
            return self.atomic(expr.arg) + self.inverse
        if isinstance(expr, sp.MatPow):
            base, power = expr.args
            if self.unicode and power.is_Integer:
                return self.atomic(base) + str(power).translate(SUPERSCRIPTS)
            return f"{self.atomic(base)}^{power}"
        if isinstance(expr, sp.MatAdd):
            return self.transposed_sum(expr) or self.sum(expr.args)
        if isinstance(expr, sp.MatMul):
            return self.transposed_sum(expr) or self.product(expr)
        if isinstance(expr, sp.HadamardProduct):
            return self.hadamard_product(_flat_hadamard(expr))
        if isinstance(expr, sp.HadamardPower) and expr.args[1] < 0:  # 𝟙 ⊘ x
            return self.hadamard_product([expr])
        if isinstance(expr, sp.HadamardPower):
            base, power = expr.args
            return (
                f"{self.atomic(base)}^(∘{power})"
                if self.unicode
                else f"{self.atomic(base)}.^{power}"
            )
        if isinstance(expr, ElementwiseApplyFunction):
            return self.elementwise(expr)
        if isinstance(expr, sp.Trace):
            number, rest = _number_out(expr)
            return self.trace(expr.arg) if number == 1 else self.write(number * rest)
        if isinstance(expr, sp.Determinant):
            return f"det({self.write(expr.arg)})"
        if isinstance(expr, (DiagMatrix, DiagonalOf)):  # a vector's matrix, a matrix's vector
            return f"diag({self.write(expr.args[0])})"
        if not expr.atoms(sp.MatrixSymbol, sp.Trace, sp.Determinant):
            return as_math(expr, self.unicode)
        return self.scalar(expr)

    def sum(self, terms: tuple) -> str:
        """Terms in order, positive ones first; a nested sum is flattened."""
        flat = [t for term in terms for t in sp.MatAdd.make_args(term)]
        text = ""
        for term in sorted(flat, key=_negative):
            negative = _negative(term)
            shown = self.write(-term if negative else term)
            if not text:
                text = ("-" if negative else "") + shown
            else:
                text += (self.minus if negative else " + ") + shown
        return text

    def hadamard_product(self, factors: list[MatrixExpr]) -> str:
        """a ⊙ b ⊙ c (associative, one level), and a ⊘ c for a ⊙ c^∘-1 (x ./ y in ASCII)."""
        above = [f for f in factors if not _reciprocal(f)]
        below = [_inverted(f) for f in factors if _reciprocal(f)]
        top = self.hadamard.join(self.operand(a) for a in above) if above else self.ones
        if not below:
            return top
        bottom = self.hadamard.join(self.operand(b) for b in below)
        divide = " ⊘ " if self.unicode else " ./ "
        return f"{top}{divide}{bottom if len(below) == 1 else f'({bottom})'}"

    def transposed_sum(self, expr: MatrixExpr) -> str | None:
        """xᵀWᵀ - yᵀ as (Wx - y)ᵀ, how it was typed, when that has fewer transposes; a
        product only when it holds a differential (xᵀ·dWᵀ as (dW·x)ᵀ, but AᵀBᵀ as it is)."""
        if isinstance(expr, sp.MatMul):
            factors = expr.as_coeff_matrices()[1]
            transposed = all(isinstance(f, sp.Transpose) for f in factors)
            if not (transposed and _has_differential(expr)):
                return None
        flipped = sp.Transpose(expr).doit()
        if not isinstance(flipped, (sp.MatAdd, sp.MatMul)) or _count_T(flipped) >= _count_T(expr):
            return None
        inner = self.sum(flipped.args) if isinstance(flipped, sp.MatAdd) else self.product(flipped)
        return f"({inner}){self.T}"

    def product(self, expr: sp.MatMul) -> str:
        coefficient, factors = expr.as_coeff_matrices()
        sign = "-" if coefficient.could_extract_minus_sign() else ""
        coefficient = -coefficient if sign else coefficient
        numerator, denominator = sp.fraction(coefficient, exact=True)
        if denominator.atoms(sp.Trace, sp.Determinant):  # eˣ/sum(eˣ), I/‖x - a‖
            coefficient = numerator
        else:
            denominator = sp.Integer(1)
        parts = [] if coefficient == 1 else [self.coefficient(coefficient)]
        parts += [self.operand(f) for f in factors]
        if not self.unicode:  # in ASCII, X^-T*a reads as it should; X^-Ta would not
            joined = "*".join(parts)
        else:
            joined = parts[0]
            for previous, part in zip(parts, parts[1:]):
                joined += ("·" if _needs_dot(previous, part) else "") + part
        if denominator != 1:
            below = self.write(denominator)
            compound = denominator.is_Add or denominator.is_Mul
            joined += f"/({below})" if compound else f"/{below}"
        return sign + joined

    def coefficient(self, value: sp.Expr) -> str:
        shown = self.write(value)
        wrapped = value.is_Add or "/" in shown or _one_by_one_product(value)
        return f"({shown})" if wrapped else shown

    def operand(self, expr: MatrixExpr) -> str:
        shown = self.write(expr)
        compound = isinstance(expr, (sp.MatAdd, sp.MatMul, sp.HadamardProduct)) or _reciprocal(expr)
        compound = (compound and not shown.endswith(f"){self.T}")) or shown.startswith("-")
        return f"({shown})" if compound or _compound_body(expr) else shown

    def atomic(self, expr: MatrixExpr) -> str:
        shown = self.write(expr)
        if isinstance(expr, sp.MatrixSymbol) or re.fullmatch(
            r"[a-z]+\([^()]*(\([^()]*\))*[^()]*\)", shown
        ):
            return shown  # X, or one call: tanh(W*x + b)
        return f"({shown})"

    def elementwise(self, expr: ElementwiseApplyFunction) -> str:
        """f(U) with U's text standing for f's variable: tanh(Wx + b), 1 - tanh(Wx + b)². In
        ASCII, what deriv matrix reads back: exp(x), and a compound f′ in elementwise
        operations, ones - tanh(W*x + b).^2."""
        function = expr.function
        (variable,) = function.variables
        if not self.unicode:
            name = _call_name(function.expr, variable)
            if name:
                return f"{name}({self.write(expr.expr)})"
            from ..matrix_shared import spelled

            spelled_out = spelled(expr)
            if spelled_out != expr:
                return self.write(spelled_out)
        stand_in = sp.Symbol(self.write(expr.expr))
        return as_math(function.expr.xreplace({variable: stand_in}), self.unicode)

    def trace(self, inner: MatrixExpr) -> str:
        """tr(AᵀA) as ‖A‖² (how a norm was typed), 𝟙ᵀ·v as sum(v), a 1×1 product as its one
        entry (aᵀx), else tr(...)."""
        form, part = trace_form(inner)
        shown = self.write(part)
        if form == "norm":
            return f"‖{shown}‖²" if self.unicode else f"norm({shown})^2"
        if form == "sum":
            return f"sum({shown})"
        return shown if form == "entry" else f"tr({shown})"

    def _stand_in(self, atom: sp.Expr, in_product: bool) -> str:
        """aᵀx in brackets when it stands beside other factors: 2(aᵀx)y, not 2aᵀxy."""
        shown = self.write(atom)
        return f"({shown})" if _one_by_one_product(atom) and in_product else shown

    def _norm(self, trace: sp.Trace) -> sp.Symbol:
        """‖x‖ for the square root of tr(xᵀx)."""
        shown = self.write(trace_form(trace.arg)[1])
        return sp.Symbol(f"‖{shown}‖" if self.unicode else f"norm({shown})")

    def scalar(self, expr: sp.Expr) -> str:
        """A scalar holding traces or determinants: each written, then the scalar around them."""
        norms = {
            p: self._norm(p.base) ** (2 * p.exp)
            for p in expr.atoms(sp.Pow)
            if p.exp.is_Rational
            and p.exp.q == 2
            and isinstance(p.base, sp.Trace)
            and trace_form(p.base.arg)[0] == "norm"
        }
        expr = expr.xreplace(norms)
        atoms = [a for a in expr.atoms(sp.Trace, sp.Determinant)]
        stand_ins = {a: sp.Symbol(self._stand_in(a, _in_product(expr, a))) for a in atoms}
        shown = as_math(expr.xreplace(stand_ins), self.unicode)
        times = "·" if self.unicode else "*"
        return re.sub(r"(\d)(tr|det|sum|‖|norm)", rf"\1{times}\2", shown)


def _in_product(expr: sp.Expr, atom: sp.Expr) -> bool:
    return any(
        isinstance(node, sp.Mul) and atom in node.args for node in sp.preorder_traversal(expr)
    )


def trace_form(inner: MatrixExpr) -> tuple[str, MatrixExpr]:
    """How tr(inner) reads: ("norm", A) for tr(AᵀA), ("sum", v) for tr(𝟙ᵀv), ("entry", P) for a
    1×1 product P (aᵀx), ("trace", inner) otherwise."""
    factors = list(inner.args) if isinstance(inner, sp.MatMul) else [inner]
    if len(factors) == 2 and factors[0].doit() == sp.Transpose(factors[1]).doit():
        return "norm", factors[1]
    if isinstance(factors[0], sp.OneMatrix) and factors[0].shape[0] == 1:
        rest = factors[1:-1] if isinstance(factors[-1], sp.OneMatrix) else factors[1:]
        return "sum", sp.MatMul(*rest) if len(rest) > 1 else rest[0]
    return ("entry" if inner.shape == (1, 1) else "trace"), inner


def _one_by_one_product(atom: sp.Expr) -> bool:
    """aᵀx standing as a number, which needs brackets beside other factors (not ‖y‖², sum)."""
    return (
        isinstance(atom, sp.Trace)
        and isinstance(atom.arg, sp.MatMul)
        and trace_form(atom.arg)[0] == "entry"
    )


CALLS = {sp.exp: "exp", sp.log: "log", sp.tanh: "tanh", sp.sin: "sin", sp.cos: "cos"}
CALLS.update({sp.Abs: "abs", sp.Heaviside: "heaviside", sp.sign: "sign"})


def _call_name(body: sp.Expr, variable: sp.Symbol) -> str | None:
    """The name deriv matrix reads for a body that is one call of the variable: exp, relu."""
    from ..functions import Sigmoid

    if body == sp.Max(0, variable):
        return "relu"
    if body == sp.sqrt(variable):
        return "sqrt"
    if isinstance(body, Sigmoid) and body.args == (variable,):
        return "sigmoid"
    if isinstance(body, sp.Heaviside) and body.args[0] == variable:
        return "heaviside"
    if isinstance(body, sp.Function) and body.args == (variable,):
        return CALLS.get(body.func)
    return None


def _reciprocal(expr: sp.Expr) -> bool:
    return isinstance(expr, sp.HadamardPower) and bool(expr.args[1] < 0)


def _inverted(power: sp.HadamardPower) -> MatrixExpr:
    base, exponent = power.args
    return base if exponent == -1 else sp.HadamardPower(base, -exponent)


def _flat_hadamard(expr: sp.HadamardProduct) -> list[MatrixExpr]:
    flat = []
    for a in expr.args:
        flat += _flat_hadamard(a) if isinstance(a, sp.HadamardProduct) else [a]
    return flat


def _count_T(expr: sp.Expr) -> int:
    return sum(isinstance(node, sp.Transpose) for node in sp.preorder_traversal(expr))


def _has_differential(expr: sp.Expr) -> bool:
    """Holds dW, the placeholder of --steps (a lower-case name is never a user's matrix)."""
    names = {m.name for m in expr.atoms(sp.MatrixSymbol)}
    return any(n[:1] == "d" and len(n) > 1 for n in names)


def _number_out(trace: sp.Trace) -> tuple[sp.Expr, sp.Expr]:
    """tr(2·𝟙ᵀ·v) as 2 and tr(𝟙ᵀ·v): the number written before sum(v), ‖x‖², tr(...)."""
    if not isinstance(trace.arg, sp.MatMul):
        return sp.Integer(1), trace
    number, factors = trace.arg.as_coeff_matrices()
    rest = sp.MatMul(*factors) if len(factors) > 1 else factors[0]
    return number, (sp.Trace(rest) if number != 1 else trace)


def _compound_body(expr: MatrixExpr) -> bool:
    """f'(U) written as a sum or a product, (1 - σ(U))·σ(U), needs brackets beside ⊙."""
    if not isinstance(expr, ElementwiseApplyFunction):
        return False
    body = expr.function.expr
    return bool(body.is_Add or body.is_Mul)


def _negative(term: sp.Expr) -> bool:
    coefficient = term.as_coeff_matrices()[0] if isinstance(term, sp.MatMul) else sp.Integer(1)
    return bool(coefficient.is_negative)


def _needs_dot(previous: str, part: str) -> bool:
    """Juxtapose (2Aᵀ(Ax - b), aaᵀ) unless a name of several letters, or two numbers, meet."""
    left = re.search(r"[A-Za-z_][A-Za-z0-9_]*$", previous.rstrip("ᵀ'⁻¹"))
    right = re.match(r"[A-Za-z_][A-Za-z0-9_]*", part)
    if previous[-1:].isdigit() and part[:1].isdigit():
        return True
    return bool(
        (left and len(left[0]) > 1) or (right and len(right[0]) > 1 and previous[-1:].isalnum())
    )


def listed(rows: list[list]) -> list:  # type: ignore[type-arg]
    """Rows as --at takes them: a column as one list, anything else as a list of rows."""
    return [row[0] for row in rows] if all(len(row) == 1 for row in rows) else rows


def bracketed(rows: list[list[str]]) -> str:
    """[42, 60] for a column, [[6, 6], [12, 12]] for a matrix: text that --at reads back."""
    items = [i if isinstance(i, str) else "[" + ", ".join(i) + "]" for i in listed(rows)]
    return "[" + ", ".join(items) + "]"


def as_matrix_latex(expr: sp.Expr) -> str:
    """LaTeX: W^{\\top}, \\odot, \\operatorname{tr}, an elementwise tanh as \\tanh(Wx + b)."""
    return _MatrixLatex().doprint(expr)


class _MatrixLatex(LatexPrinter):
    def _print_Transpose(self, expr: sp.Transpose) -> str:
        inner = self._print(expr.arg)
        if not isinstance(expr.arg, sp.MatrixSymbol):
            inner = rf"\left({inner}\right)"
        return rf"{inner}^{{\top}}"

    def _print_HadamardProduct(self, expr: sp.HadamardProduct) -> str:
        return r" \odot ".join(self._operand(a) for a in _flat_hadamard(expr))

    def _operand(self, expr: sp.Expr) -> str:
        shown = self._print(expr)
        compound = isinstance(expr, (sp.MatAdd, sp.MatMul)) or _compound_body(expr)
        return rf"\left({shown}\right)" if compound else shown

    def _print_OneMatrix(self, expr: sp.OneMatrix) -> str:
        return r"\mathbb{1}"

    def _print_ElementwiseApplyFunction(self, expr: ElementwiseApplyFunction) -> str:
        """f(U) as f of U's LaTeX: \tanh(Wx + b); 1 - \tanh^2(Wx + b); (Wx)^2 in brackets."""
        function = expr.function
        (variable,) = function.variables
        body = function.expr
        calls = [f for f in body.atoms(sp.Function) if f.args == (variable,)]
        bare = not body.xreplace({f: sp.Dummy() for f in calls}).has(variable)
        inner = self._print(expr.expr)
        shown = (
            inner if bare or isinstance(expr.expr, sp.MatrixSymbol) else rf"\left({inner}\right)"
        )
        stand_in = sp.Symbol("ARGUMENT")
        return self._print(body.xreplace({variable: stand_in})).replace("ARGUMENT", shown)

    def _print_Trace(self, expr: sp.Trace) -> str:
        number, rest = _number_out(expr)
        if number != 1:
            return self._print(number * rest)
        form, part = trace_form(expr.arg)
        shown = self._print(part)
        if form == "norm":
            return rf"\left\| {shown} \right\|^{{2}}"
        if form == "sum":
            return rf"\operatorname{{sum}}\left({shown}\right)"
        if form == "entry":
            return rf"\left({shown}\right)"
        return rf"\operatorname{{tr}}\left({shown}\right)"

    def _print_DiagMatrix(self, expr: DiagMatrix) -> str:  # DiagonalOf too: diag of a matrix
        return rf"\operatorname{{diag}}\left({self._print(expr.args[0])}\right)"

    _print_DiagonalOf = _print_DiagMatrix

    def _print_Determinant(self, expr: sp.Determinant) -> str:
        return rf"\det\left({self._print(expr.arg)}\right)"
