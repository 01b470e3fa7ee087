"""SymPy expressions as text: SymPy syntax for scripts, linear Unicode (or ASCII) maths for
people, LaTeX for papers. Decimals print as short as they were typed (0.5, not 0.500000000000000).
"""

from __future__ import annotations

import re
import unicodedata

import sympy as sp
from sympy.printing.latex import LatexPrinter
from sympy.printing.precedence import PRECEDENCE
from sympy.printing.str import StrPrinter

from ..values import shortest_decimal
from .notation import SUPERSCRIPT_LETTERS

SUPERSCRIPT_DIGITS = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


format_float = shortest_decimal  # 0.5, not 0.500000000000000


def _real_root(printer: StrPrinter, expr: sp.Expr) -> str:
    """cbrt(x) and root(x, 5): the real roots, in the names deriv reads."""
    x, n = expr.args
    if n == 3:
        return f"cbrt({printer._print(x)})"
    return f"root({printer._print(x)}, {printer._print(n)})"


def _max(printer: StrPrinter, expr: sp.Expr) -> str:
    """relu(x) for max(0, x), as ML texts write it; max(a, b) otherwise."""
    args = expr.args
    if len(args) == 2 and 0 in args:
        return f"relu({printer._print(args[1] if args[0] == 0 else args[0])})"
    return f"max({', '.join(printer._print(a) for a in args)})"


def _named(name: str):  # type: ignore[no-untyped-def]
    """A function printed under the name deriv reads it by: sigmoid(x), heaviside(x)."""

    def show(printer: StrPrinter, expr: sp.Expr) -> str:
        return f"{name}({printer._print(expr.args[0])})"

    return show


def _min(printer: StrPrinter, expr: sp.Expr) -> str:
    return f"min({', '.join(printer._print(a) for a in expr.args)})"


def unit_coefficient(coeff: sp.Expr, rest: sp.Expr) -> tuple[sp.Expr, sp.Expr]:
    """A decimal coefficient of exactly ±1 (0.5·2 in 0.5x² -> 1.0x) is written as no
    coefficient: x, -y; other decimals stay decimals (2.0x)."""
    if isinstance(coeff, sp.Float) and abs(float(coeff)) == 1.0 and rest != 1:
        return sp.Integer(1 if coeff > 0 else -1), rest
    return coeff, rest


class DerivNames:
    """The names deriv's parser reads, for the functions it adds or renames."""

    _print_RealRoot = _real_root
    _print_Max = _max
    _print_Min = _min
    _print_Sigmoid = _named("sigmoid")
    _print_Softplus = _named("softplus")
    _print_Heaviside = _named("heaviside")


class ExprPrinter(DerivNames, StrPrinter):
    """SymPy syntax that both deriv and SymPy parse back: `12*x`, `0.5*y`, `x**2`."""

    def _print_Mul(self, expr: sp.Mul) -> str:
        coeff, rest = unit_coefficient(*expr.as_coeff_Mul())
        if coeff is not expr.as_coeff_Mul()[0]:  # a decimal ±1: left out
            shown = self._print(rest)
            return "-" + self.parenthesize(rest, PRECEDENCE["Mul"]) if coeff < 0 else shown
        return super()._print_Mul(expr)

    def _print_Float(self, expr: sp.Float) -> str:
        return format_float(expr)

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "exp(1)"

    def _print_Abs(self, expr: sp.Abs) -> str:
        return f"abs({self._print(expr.args[0])})"

    def _print_HugePower(self, expr) -> str:  # type: ignore[no-untyped-def]
        base, exponent = (self.parenthesize(p, PRECEDENCE["Pow"]) for p in expr.parts)
        return f"({base}**{exponent})"


class MathPrinter(DerivNames, StrPrinter):
    """Linear maths for people: `12x`, `0.5y²`, `x·y`, `(x + 1)²`, `|x|`, `π`.

    With `unicode=False` the same shapes in ASCII: `12x`, `0.5y^2`, `x*y`, `pi`.
    """

    def __init__(self, unicode: bool = True) -> None:
        super().__init__()
        self.unicode = unicode
        self.times = "·" if unicode else "*"

    def _print_Float(self, expr: sp.Float) -> str:
        return format_float(expr)

    def _print_Exp1(self, expr: sp.Expr) -> str:
        return "e"

    def _print_exp(self, expr: sp.Expr) -> str:
        """eˣ, e⁻ˣ, e^(x²): the exponential as a power of e, as textbooks write it."""
        exponent = expr.args[0]
        sign, symbol = ("⁻", -exponent) if exponent.could_extract_minus_sign() else ("", exponent)
        if self.unicode and symbol.is_Symbol and symbol.name in SUPERSCRIPT_LETTERS:
            return f"e{sign}{SUPERSCRIPT_LETTERS[symbol.name]}"
        single = exponent.is_Number or (exponent.is_Symbol and len(exponent.name) == 1)
        if single and not exponent.is_negative:
            return self._print_Pow(sp.Pow(sp.E, exponent, evaluate=False))
        return f"e^({self._print(exponent)})"

    def _print_log(self, expr: sp.Expr) -> str:
        return f"ln({self._print(expr.args[0])})"  # the natural logarithm, as calculus writes it

    def _print_Pi(self, expr: sp.Expr) -> str:
        return "π" if self.unicode else "pi"

    def _print_Abs(self, expr: sp.Abs) -> str:
        inner = self._print(expr.args[0])
        return f"|{inner}|" if self.unicode else f"abs({inner})"

    def _print_Symbol(self, expr: sp.Symbol) -> str:
        return expr.name

    def _print_factorial(self, expr: sp.Expr) -> str:
        inner = expr.args[0]
        text = self._print(inner)
        return f"{text}!" if inner.is_Atom else f"({text})!"

    def _print_Piecewise(self, expr: sp.Piecewise) -> str:
        """(x^(3 - n)/(3 - n)! if n ≤ 3, else 0): the cases as a sentence says them."""
        cases = []
        for value, condition in expr.args:
            shown = self._print(value)
            if condition == sp.true:
                cases.append(f"else {shown}")
            else:
                cases.append(f"{shown} if {self._print(condition)}")
        return "(" + ", ".join(cases) + ")"

    def _print_Relational(self, expr: sp.Expr) -> str:
        ascii_ops = {"<=": "<=", ">=": ">=", "<": "<", ">": ">", "==": "=", "!=": "!="}
        unicode_ops = {"<=": "≤", ">=": "≥", "!=": "≠"}
        op = (unicode_ops if self.unicode else {}).get(expr.rel_op, ascii_ops[expr.rel_op])
        return f"{self._print(expr.lhs)} {op} {self._print(expr.rhs)}"

    def _print_FallingFactorial(self, expr: sp.Expr) -> str:
        """m(m - 1)...(m - n + 1), as textbooks write the n-th derivative of x^m."""
        m, n = (self._print(a) for a in expr.args)
        first = (
            m
            if expr.args[0].is_Atom and not expr.args[0].is_Rational or expr.args[0].is_Integer
            else f"({m})"
        )
        dots = "⋯" if self.unicode else "..."
        return f"{first}({m} - 1){dots}({m} - {n} + 1)"

    def _print_HugePower(self, expr) -> str:  # type: ignore[no-untyped-def]
        base, exponent = (self.parenthesize(p, PRECEDENCE["Pow"]) for p in expr.parts)
        return f"({base}^{exponent})"

    def _print_Pow(self, expr: sp.Pow, rational: bool = False) -> str:
        base, exponent = expr.as_base_exp()
        if self.unicode and exponent == sp.S.Half:  # √2, √x, √(x² + 1): read back as typed
            inner = self._print(base)
            return f"√{inner}" if _is_plain_atom(base) else f"√({inner})"
        if exponent.is_Rational and exponent < 0 and exponent is not sp.S.NegativeOne:
            return f"1/{self._print_Pow(sp.Pow(base, -exponent, evaluate=False))}"
        if exponent.is_Integer and exponent > 0:
            power = str(exponent)
            shown = power.translate(SUPERSCRIPT_DIGITS) if self.unicode else f"^{power}"
            return self.parenthesize(base, PRECEDENCE["Pow"], strict=True) + shown
        text = super()._print_Pow(expr, rational)
        return text.replace("**", "^")

    def _print_Mul(self, expr: sp.Mul) -> str:
        coeff, rest = unit_coefficient(*expr.as_coeff_Mul())
        sign = "-" if coeff.is_negative else ""
        coeff = abs(coeff)
        numer, denom = _split_fraction(rest)
        if isinstance(coeff, sp.Rational):
            top = [] if coeff.p == 1 else [sp.Integer(coeff.p)]
            bottom = [] if coeff.q == 1 else [sp.Integer(coeff.q)]
        else:
            top, bottom = [coeff], []
        top_text = self._join([*top, *numer]) or "1"
        bottom_factors = [*bottom, *denom]
        if not bottom_factors:
            return sign + top_text
        bottom_text = self._join(bottom_factors)
        if len(bottom_factors) > 1 or isinstance(bottom_factors[0], sp.Mul):
            bottom_text = f"({bottom_text})"
        if len(top) + len(numer) > 1 and not top_text[0].isdigit():
            top_text = f"({top_text})"
        return f"{sign}{top_text}/{bottom_text}"

    def _join(self, factors: list[sp.Expr]) -> str:
        text = ""
        previous: sp.Expr | None = None
        for factor in factors:
            shown = self.parenthesize(factor, PRECEDENCE["Mul"], strict=False)
            if previous is None:
                text = shown
            elif previous.is_Number and "e" not in text and _starts_with_symbol(factor):
                text += shown  # 12x, 0.5y²
            elif previous.is_Number and "e" not in text and shown.startswith("√"):
                text += shown  # 2√2
            else:
                text += self.times + shown
            previous = factor
        return text


def _split_fraction(expr: sp.Expr) -> tuple[list[sp.Expr], list[sp.Expr]]:
    numer, denom = [], []
    for factor in sp.Mul.make_args(expr) if expr is not sp.S.One else []:
        base, exponent = factor.as_base_exp()
        if exponent.is_Rational and exponent.is_negative:
            denom.append(sp.Pow(base, -exponent, evaluate=False) if exponent != -1 else base)
        else:
            numer.append(factor)
    return _ordered(numer), _ordered(denom)


def _ordered(factors: list[sp.Expr]) -> list[sp.Expr]:
    return list(sp.Mul(*factors, evaluate=False).as_ordered_factors()) if factors else []


def _is_plain_atom(expr: sp.Expr) -> bool:
    """A symbol, a whole number or |...|, which √ takes without parentheses."""
    return expr.is_Symbol or (expr.is_Integer and expr.is_positive) or isinstance(expr, sp.Abs)


def _starts_with_symbol(factor: sp.Expr) -> bool:
    return isinstance(factor, sp.Symbol) or (
        isinstance(factor, sp.Pow)
        and isinstance(factor.base, sp.Symbol)
        and factor.exp.is_Integer
        and factor.exp > 0
    )


class TexPrinter(LatexPrinter):
    """LaTeX that pdflatex compiles in a plain amsmath document: \\arcsin, \\ln, \\theta for θ."""

    def __init__(self) -> None:
        super().__init__({"inv_trig_style": "full", "ln_notation": True})

    def _print_Symbol(self, expr: sp.Symbol, style: str = "plain") -> str:
        if expr.name.isascii():
            return super()._print_Symbol(expr, style)
        return tex_name(expr.name)

    def _print_Mul(self, expr: sp.Mul) -> str:
        coeff, rest = unit_coefficient(*expr.as_coeff_Mul())
        if coeff is not expr.as_coeff_Mul()[0]:  # a decimal ±1: left out
            return ("- " if coeff < 0 else "") + self._print(rest)
        return super()._print_Mul(expr)

    def _print_Heaviside(self, expr: sp.Expr, exp=None) -> str:  # type: ignore[no-untyped-def]
        tex = rf"H\left({self._print(expr.args[0])}\right)"
        return rf"{tex}^{{{exp}}}" if exp else tex

    def _print_FallingFactorial(self, expr: sp.Expr, exp=None) -> str:  # type: ignore[no-untyped-def]
        m, n = (self._print(a) for a in expr.args)
        first = m if expr.args[0].is_Symbol or expr.args[0].is_Integer else rf"\left({m}\right)"
        tex = rf"{first}\left({m} - 1\right)\cdots\left({m} - {n} + 1\right)"
        return rf"\left({tex}\right)^{{{exp}}}" if exp else tex

    def _print_Float(self, expr: sp.Float) -> str:
        text = format_float(expr)
        if "e" in text:
            mantissa, exponent = text.split("e")
            return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"
        return text


def tex_name(name: str) -> str:
    """A variable's name in LaTeX: θ -> \\theta, θ1 -> \\theta_{1}, w1 -> w_{1}."""
    if name.isascii():
        return TexPrinter()._print_Symbol(sp.Symbol(name))
    base, digits = re.fullmatch(r"(.*?)(\d*)", name).groups()  # type: ignore[union-attr]
    letters = [_tex_letter(c) for c in base]
    tex = letters[0] if len(letters) == 1 else "".join(f"{{{t}}}" for t in letters)
    return f"{tex}_{{{digits}}}" if digits else tex


def _tex_letter(char: str) -> str:
    """A Greek letter as its LaTeX command; capitals LaTeX writes as Latin letters stay as they
    are in meaning (Α is A); any other letter as a \\text."""
    if char.isascii():
        return char
    words = unicodedata.name(char, "").split()
    if words[:1] == ["GREEK"] and "LETTER" in words:
        letter = {"lamda": "lambda"}.get(words[-1].lower(), words[-1].lower())
        if "CAPITAL" not in words:
            return "\\" + letter
        if letter.capitalize() in GREEK_CAPITALS:
            return "\\" + letter.capitalize()
        return char.translate(LATIN_LOOKALIKES)
    return rf"\text{{{char}}}"


GREEK_CAPITALS = {"Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Upsilon", "Phi"}
GREEK_CAPITALS |= {"Psi", "Omega"}
LATIN_LOOKALIKES = str.maketrans("ΑΒΕΖΗΙΚΜΝΟΡΤΧ", "ABEZHIKMNOPTX")


def as_expr(expr: sp.Expr) -> str:
    return ExprPrinter().doprint(expr)


def as_math(expr: sp.Expr, unicode: bool = True) -> str:
    return MathPrinter(unicode).doprint(expr)


def as_latex(expr: sp.Expr) -> str:
    return TexPrinter().doprint(expr)
