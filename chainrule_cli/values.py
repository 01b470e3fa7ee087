"""Exact values at a point: every variable at once, decimals as the fractions they are, and
zero decided rather than printed as round-off.

A decimal the user typed is an exact decimal: 0.3·6 − 1.8 is 0, not 2⁻⁵². Values are computed
with decimals read as rationals; where the input had decimals, a rational result is shown as a
decimal again. A value SymPy does not reduce (2·ln 2 + 2·ln 3 − 2·ln 6) is certified non-zero by
evalf at guaranteed precision, or shown to be zero by simplification; never a float leftover.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import sympy as sp
from mpmath.libmp import prec_to_dps, to_str
from sympy.core.evalf import PrecisionExhausted

from .domain import EMPTY, Domain
from .errors import InputError, MathError, UndefinedAt
from .results import Point, Value
from .variables import natural_order

DIGITS = 15  # the decimal approximation's significant digits
MOST_DIGITS = 30  # a typed decimal is shown exactly up to this many digits (1 + 1e-17)
DEEP_PRECISION = 2_000  # bits evalf may use to separate a tiny value from zero
ROOTS = (sp.S.Half, -sp.S.Half)  # exponents a decimal display keeps: √x, not x^0.5


def shortest_decimal(value: sp.Float) -> str:
    """The shortest decimal that shows the value at the precision it carries."""
    if not isinstance(value, sp.Float):
        value = sp.Float(value)  # evalf of 0.0 gives the integer 0
    text = to_str(value._mpf_, max(prec_to_dps(value._prec), 1), strip_zeros=True)
    if text.startswith(("-.", ".")):
        text = text.replace(".", "0.", 1)
    return text.removeprefix("+")


def as_fractions(expr: sp.Expr) -> sp.Expr:
    """expr with every decimal replaced by the fraction it was typed as: 0.3 -> 3/10."""
    floats = expr.atoms(sp.Float)
    if not floats:
        return expr
    return expr.xreplace({f: sp.Rational(shortest_decimal(f)) for f in floats})


def has_decimals(domain: Domain, point: Point = ()) -> bool:
    """A function typed with decimals, or a point whose values are: its values are shown as
    decimals."""
    return domain.decimals or any(v.has(sp.Float) for _, v in point)


def substitute(expr: sp.Expr, point: Point) -> sp.Expr:
    """expr at the point, every variable at once: x/sqrt(x² + y²) at (0, 0) is undefined,
    not 0 (substituting x first would cancel the quotient before y is known)."""
    exact, mapping = as_fractions(expr), {s: as_fractions(v) for s, v in point}
    try:
        return exact.xreplace(mapping)
    except ValueError:  # max or min of numbers SymPy cannot compare: decided here
        return _with_extremes_decided(exact, mapping)


def _with_extremes_decided(expr: sp.Expr, mapping: dict) -> sp.Expr:
    """expr at the point, each max and min decided by the sign of its arguments' differences
    (max(0, atan(1/2) + atan(1/4) - π/4) is 0); a MathError where that cannot be decided."""
    if expr in mapping:
        return mapping[expr]
    if not expr.args:
        return expr
    args = [_with_extremes_decided(a, mapping) for a in expr.args]
    if not isinstance(expr, (sp.Max, sp.Min)):
        return expr.func(*args)
    larger = 1 if isinstance(expr, sp.Max) else -1
    best = args[0]
    for a in args[1:]:
        sign = sign_of(a - best)
        if sign is None:
            name = "max" if larger == 1 else "min"
            raise MathError(
                f"cannot decide which argument of {name} is the larger at this point: their "
                "difference is too close to 0 to tell, and SymPy cannot show that it is 0"
            )
        if sign == larger:
            best = a
    return best


def sign_of(number: sp.Expr) -> int | None:
    """-1, 0 or 1 for a real number; None when it cannot be decided."""
    if number.is_Rational:
        return int(sp.sign(number))
    try:
        approx = number.evalf(DIGITS, strict=True)
    except PrecisionExhausted:
        return 0 if is_zero(number) else _deep_sign(number)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    if not approx.is_Number:
        return None
    return int(sp.sign(approx))


def is_zero(number: sp.Expr) -> bool:
    """Shown to be zero: by SymPy's assumptions, by simplification, or by `equals`."""
    try:
        if number.is_zero or sp.simplify(number) == 0:
            return True
        return bool(number.equals(0))
    except (TypeError, ValueError):  # max(0, u) of a u SymPy cannot compare with 0
        return False


def _deep_sign(number: sp.Expr) -> int | None:
    """The sign of a value too small for 15 digits, at up to DEEP_PRECISION bits."""
    try:
        approx = number.evalf(DIGITS, strict=True, maxn=DEEP_PRECISION)
    except (PrecisionExhausted, TypeError, ValueError, ZeroDivisionError):
        return None
    return int(sp.sign(approx)) if approx.is_Number else None


def settled(exact: sp.Expr) -> sp.Expr:
    """exact, with a value that is zero written as 0."""
    if exact.is_Rational or exact.free_symbols or not exact.is_number:
        return exact
    return sp.Integer(0) if sign_of(exact) == 0 else exact


def decimal_form(exact: sp.Expr, decimals: bool, approx: sp.Float | None = None) -> sp.Expr:
    """With decimals in the input, numbers are shown as decimals: -1/2 -> -0.5, sqrt(5)/2 ->
    1.11803398874989, and in a formula each number apart from the variables (the tangent
    cos(0.001)·x + sin(0.001) - 0.001·cos(0.001) -> 0.9999995x + 3.33333300000001e-10). Each
    is computed exactly first and then to 15 certified digits, so that 0.3·6 - 1.8 is 0 and
    sin(10⁻⁸) - 10⁻⁸ is -1.67e-25, never the round-off of 15-digit parts. `approx`, where the
    caller has it, is the number's certified value."""
    if not decimals or exact == 0:
        return exact  # a zero is 0, however it was computed
    if exact.is_number:
        return _decimal(exact, whole=True, approx=approx)  # a value: 2.0, as its decimals
    with sp.evaluate(False):  # exp(x - 0.3) stays as typed
        return _numbers_as_decimals(exact)


def _decimal(number: sp.Expr, whole: bool = False, approx: sp.Float | None = None) -> sp.Expr:
    """A number as a decimal; a whole number in a formula stays whole (2x + 1)."""
    if number.is_Rational:
        return number if number.is_Integer and not whole else decimal_number(number)
    if approx is None:
        with sp.evaluate(True):  # inside a formula rebuilt unevaluated: the number is computed
            approx = approximate(settled(number))
    return approx if approx is not None else number


def _numbers_as_decimals(expr: sp.Expr) -> sp.Expr:
    """Each number of a formula as one decimal: a sum's numbers together, a product's."""
    if expr.is_number:
        return _decimal(expr)
    if not expr.args:
        return expr
    if expr.is_Add or expr.is_Mul:
        number, rest = expr.as_independent(*expr.free_symbols, as_Add=expr.is_Add)
        parts = [_numbers_as_decimals(a) for a in expr.func.make_args(rest)]
        return expr.func(_decimal(number), *parts)
    if expr.is_Pow:
        exponent = expr.exp
        kept = exponent.is_Integer or exponent in ROOTS
        return sp.Pow(_numbers_as_decimals(expr.base), exponent if kept else _decimal(exponent))
    try:
        return expr.func(*(_numbers_as_decimals(a) for a in expr.args))
    except (TypeError, ValueError):
        return expr


def decimal_number(number: sp.Rational) -> sp.Float:
    """A fraction as the decimal that writes it exactly (3/10 -> 0.3, 1 + 10⁻¹⁷ to 18 digits);
    one whose decimal does not end, or is longer than MOST_DIGITS digits, to DIGITS digits."""
    digits = exact_digits(number)
    return sp.Float(number, DIGITS if digits is None else max(digits, DIGITS))


def exact_digits(number: sp.Rational) -> int | None:
    """The significant digits of number's decimal, when it ends within MOST_DIGITS digits."""
    q = number.q
    for prime in (2, 5):
        while q % prime == 0:
            q //= prime
    if q != 1:
        return None
    with localcontext() as context:
        context.prec = 4 * MOST_DIGITS + len(str(number.q))
        decimal = (Decimal(number.p) / Decimal(number.q)).normalize()
    digits = len(decimal.as_tuple().digits)
    return digits if digits <= MOST_DIGITS else None


def approximate(exact: sp.Expr) -> sp.Float | None:
    """The value to DIGITS significant digits, certified; None when it is not a real number."""
    if exact.is_zero:
        return sp.Float(0, DIGITS)
    try:
        approx = exact.evalf(DIGITS, strict=True)
    except PrecisionExhausted:
        try:
            approx = exact.evalf(DIGITS, strict=True, maxn=DEEP_PRECISION)
        except PrecisionExhausted:
            return None
    if not approx.is_number:
        return None
    if not approx.is_real:
        real, imag = approx.as_real_imag()
        if imag != 0 and sign_of(sp.im(exact)) != 0:
            return None
        approx = real
    return sp.Float(approx, DIGITS) if approx.is_Number else None


def value_of(exact: sp.Expr, decimals: bool = False) -> Value | None:
    """A Value for an exact number; None when it is not a finite real number. With decimals,
    shown as a decimal, the exact number kept beside it."""
    if exact.has(sp.nan, sp.zoo, sp.oo, -sp.oo) or exact.is_finite is False:
        return None
    exact = settled(exact)
    approx = approximate(exact)
    if approx is None or not approx.is_finite:
        return None
    shown = decimal_form(exact, decimals, approx)
    return Value(shown, approx, None if shown == exact else exact)


def given_values(expr: sp.Expr, point: Point) -> None:
    """--at must give a value for every variable of f."""
    missing = natural_order(expr.free_symbols - {s for s, _ in point})
    if missing:
        raise InputError(f"--at gives no value for {', '.join(s.name for s in missing)}")


def evaluate_at(
    expr: sp.Expr, point: Point, wrt: tuple[sp.Symbol, ...] = (), domain: Domain = EMPTY
) -> Value:
    """The exact value of expr at the point and its decimal; UndefinedAt where it has none."""
    given_values(expr, point)
    value = value_of(substitute(expr, point), has_decimals(domain, point))
    if value is None:
        exact = substitute(expr, point)
        finite = not exact.has(sp.nan, sp.zoo, sp.oo, -sp.oo)
        where = tuple((s.name, str(v)) for s, v in point)
        reason = "not real" if finite and exact.is_extended_real is not True else "undefined"
        raise UndefinedAt(tuple(s.name for s in wrt), where, reason)
    return value


def to_digits(exact: sp.Expr, approx: sp.Float, digits: int) -> sp.Float:
    """The value to `digits` significant digits, from the exact value; a value with decimals in
    it carries only the DIGITS they were read to, and no more are shown."""
    if digits <= DIGITS or exact.has(sp.Float):
        return sp.Float(approx, min(digits, DIGITS))
    try:
        more = exact.evalf(digits, strict=True)
    except PrecisionExhausted:
        return sp.Float(approx, DIGITS)
    return more if more.is_Float else sp.Float(approx, DIGITS)
