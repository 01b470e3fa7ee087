"""An expression of one variable as a function of a number: a walk over SymPy's tree, each
operation looked up in a table (no generated code, as lambdify writes and runs). Two tables:
mpmath at whatever precision mpmath is set to (`compiled`), and Python floats (`compiled_fast`,
for thousands of samples a second where SymPy's evalf manages a few hundred).

Values are real or nothing: a step with no real value (√ of a negative, ln 0, 1/0, asin 2, a
negative base to a fractional power: SymPy's principal root) makes the whole value None. A value
too large to compute (a float overflow; in mpmath, e^u or sin u of u past 2^(2^16)) is NaN:
unknown, not undefined.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import mpmath
import sympy as sp
from mpmath.libmp import prec_to_dps

from .functions import RealRoot, Sigmoid, Softplus

Number = mpmath.mpf
Walk = Callable[[Any], Any]
LARGEST_ARGUMENT = 2**16  # bits: e^u, sin u... of u past 2^(2^16) would take minutes
# functions whose cost grows with their argument (range reduction, e^u); ln u, √u, atan u do not
GROWING = (sp.sin, sp.cos, sp.tan, sp.sec, sp.csc, sp.cot, sp.sinh, sp.cosh, sp.tanh, sp.coth)
GROWING += (sp.sech, sp.csch, sp.exp)


class NoValue(Exception):
    """The expression has no real value at this point."""


class TooLarge(Exception):
    """A function's argument too large to compute it: the value is unknown, not undefined."""


def _step(a: Any, *_: Any) -> Any:
    if a == 0:
        raise NoValue()  # the jump of H(u), and DiracDelta's point
    return 1 if a > 0 else 0


def _sign(a: Any) -> Any:
    return (a > 0) - (a < 0)


@dataclass(frozen=True)
class Kit:
    """How one number system computes each operation."""

    functions: dict[type, Callable[[Any], Any]]
    many: dict[type, Callable[..., Any]]
    number: Callable[[sp.Expr], Any]
    sqrt: Callable[[Any], Any]
    power: Callable[[Any, Any], Any]
    real: Callable[[Any], Any]  # a step's value as a real number, or NoValue / TooLarge
    precise: bool


def _mp_real(value: Any) -> Number:
    if isinstance(value, mpmath.mpc):
        if value.imag != 0:
            raise NoValue()
        value = value.real
    value = value if isinstance(value, mpmath.mpf) else mpmath.mpf(value)
    if not mpmath.isfinite(value):
        raise NoValue()
    return value


def _mp_moderate(value: Any) -> Any:
    """value, if e^value, sin value... can be computed in reasonable time."""
    if isinstance(value, mpmath.mpf):
        _, mantissa, exponent, bits = value._mpf_
        if mantissa and exponent + bits > LARGEST_ARGUMENT:
            raise TooLarge()
    return value


def _mp_exp(a: Any) -> Any:
    """e^a; for a far below -2^(2^16), a positive number below every other (e^(-e^x) far out)."""
    try:
        return mpmath.exp(_mp_moderate(a))
    except TooLarge:
        if a < 0:
            return mpmath.ldexp(1, -(2**62))
        raise


def _mp_number(value: sp.Expr) -> Number:
    """A real SymPy number (π/2, √6, 1/3) as an mpmath one at the working precision."""
    if value.is_Rational:
        return mpmath.mpf(value.p) / value.q
    approx = sp.N(value, prec_to_dps(mpmath.mp.prec) + 10)
    if not approx.is_real or not approx.is_finite:
        raise NoValue()
    return approx._to_mpmath(mpmath.mp.prec)


as_number = _mp_number


def _mp(function: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda a: function(_mp_moderate(a))


MP = Kit(
    functions={
        **{f: _mp(getattr(mpmath, f.__name__)) for f in GROWING},
        sp.exp: _mp_exp,
        **{
            f: getattr(mpmath, f.__name__)
            for f in (sp.asin, sp.acos, sp.atan, sp.acot, sp.asec, sp.acsc, sp.asinh, sp.acosh)
            + (sp.atanh, sp.acoth, sp.log)
        },
        sp.Abs: abs,
        sp.sign: lambda a: mpmath.mpf(_sign(a)),
        sp.DiracDelta: lambda a: _step(a) * 0,  # from differentiating sign or a step
        Sigmoid: _mp(lambda a: 1 / (1 + mpmath.exp(-a))),
        Softplus: _mp(lambda a: mpmath.log1p(mpmath.exp(a))),
    },
    many={
        sp.Max: max,
        sp.Min: min,
        RealRoot: lambda a, n: mpmath.sign(a) * mpmath.root(abs(a), int(n)),
        sp.Heaviside: lambda a, *_: mpmath.mpf(_step(a)),
    },
    number=_mp_number,
    sqrt=mpmath.sqrt,
    power=lambda a, b: mpmath.power(_mp_moderate(a), _mp_moderate(b)),
    real=_mp_real,
    precise=True,
)


def _float_real(value: Any) -> float:
    if isinstance(value, complex):
        if value.imag != 0:
            raise NoValue()
        value = value.real
    value = float(value)
    if math.isinf(value):
        raise TooLarge()
    if math.isnan(value):
        raise NoValue()
    return value


def _float_number(value: sp.Expr) -> float:
    approx = complex(value.evalf(17))
    if approx.imag != 0:
        raise NoValue()
    return approx.real


def _reciprocal(function: Callable[[float], float]) -> Callable[[float], float]:
    return lambda a: 1 / function(a)


def _of_reciprocal(function: Callable[[float], float]) -> Callable[[float], float]:
    return lambda a: function(1 / a)


FLOAT = Kit(
    functions={
        sp.sin: math.sin,
        sp.cos: math.cos,
        sp.tan: math.tan,
        sp.sec: _reciprocal(math.cos),
        sp.csc: _reciprocal(math.sin),
        sp.cot: _reciprocal(math.tan),
        sp.asin: math.asin,
        sp.acos: math.acos,
        sp.atan: math.atan,
        sp.acot: lambda a: math.pi / 2 if a == 0 else math.atan(1 / a),  # SymPy's branch
        sp.asec: _of_reciprocal(math.acos),
        sp.acsc: _of_reciprocal(math.asin),
        sp.sinh: math.sinh,
        sp.cosh: math.cosh,
        sp.tanh: math.tanh,
        sp.coth: _reciprocal(math.tanh),
        sp.sech: _reciprocal(math.cosh),
        sp.csch: _reciprocal(math.sinh),
        sp.asinh: math.asinh,
        sp.acosh: math.acosh,
        sp.atanh: math.atanh,
        sp.acoth: _of_reciprocal(math.atanh),
        sp.exp: math.exp,
        sp.log: math.log,
        sp.Abs: abs,
        sp.sign: lambda a: float(_sign(a)),
        sp.DiracDelta: lambda a: _step(a) * 0.0,
        Sigmoid: lambda a: 1 / (1 + math.exp(-a)),
        Softplus: lambda a: math.log1p(math.exp(a)),
    },
    many={
        sp.Max: max,
        sp.Min: min,
        RealRoot: lambda a, n: math.copysign(abs(a) ** (1 / int(n)), a),
        sp.Heaviside: lambda a, *_: float(_step(a)),
    },
    number=_float_number,
    sqrt=math.sqrt,
    power=math.pow,
    real=_float_real,
    precise=False,
)


def compiled(expr: sp.Expr, x: sp.Symbol) -> Callable[[Any], Any]:
    """expr as a function of x in mpmath: its real value at a number, None, or NaN."""
    return _compile(expr, x, MP)


def compiled_fast(expr: sp.Expr, x: sp.Symbol) -> Callable[[float], Any]:
    """expr as a function of x in floats: its real value, None, or NaN."""
    return _compile(expr, x, FLOAT)


def _compile(expr: sp.Expr, x: sp.Symbol, kit: Kit) -> Callable[[Any], Any]:
    walk = _walk(expr, x, kit, {})
    unknown = mpmath.nan if kit.precise else math.nan

    def at(t: Any) -> Any:
        try:
            return kit.real(walk(t))
        except (NoValue, ZeroDivisionError, ValueError, TypeError):
            return None
        except (TooLarge, OverflowError):
            return unknown

    return at


def _walk(expr: sp.Expr, x: sp.Symbol, kit: Kit, seen: dict[sp.Expr, Walk]) -> Walk:
    if expr not in seen:
        seen[expr] = _node(expr, x, kit, seen)
    return seen[expr]


def _node(expr: sp.Expr, x: sp.Symbol, kit: Kit, seen: dict[sp.Expr, Walk]) -> Walk:
    if expr == x:
        return lambda t: t
    if expr.is_number:
        return _constant(expr, kit)
    parts = [_walk(a, x, kit, seen) for a in expr.args]
    if expr.is_Add:
        return _sum(parts)
    if expr.is_Mul:
        return _product(parts)
    if expr.is_Pow:
        return _real(kit, _power(kit, expr.exp, *parts))
    if type(expr) in kit.functions and len(parts) == 1:
        function, (inner,) = kit.functions[type(expr)], parts
        return _real(kit, lambda t: function(inner(t)))
    if type(expr) in kit.many:
        many = kit.many[type(expr)]
        return _real(kit, lambda t: many(*(p(t) for p in parts)))
    return _real(kit, _by_sympy(expr, parts, kit))


def _sum(parts: list[Walk]) -> Walk:
    if len(parts) == 2:
        first, second = parts
        return lambda t: first(t) + second(t)
    return lambda t: sum(p(t) for p in parts)


def _product(parts: list[Walk]) -> Walk:
    if len(parts) == 2:
        first, second = parts
        return lambda t: first(t) * second(t)

    def at(t: Any) -> Any:
        product = 1
        for p in parts:
            product = product * p(t)
        return product

    return at


def _constant(value: sp.Expr, kit: Kit) -> Walk:
    """A number, converted once (in mpmath, once for each precision it is asked at)."""
    if not kit.precise:
        number = kit.number(value)
        return lambda _t: number
    cache: dict[int, Number] = {}

    def at(_t: Any) -> Number:
        if mpmath.mp.prec not in cache:
            cache[mpmath.mp.prec] = kit.number(value)
        return cache[mpmath.mp.prec]

    return at


def _power(kit: Kit, exponent: sp.Expr, base: Walk, power: Walk) -> Walk:
    if exponent.is_Integer:
        n = int(exponent)
        return lambda t: base(t) ** n
    if exponent == sp.S.Half:
        return lambda t: kit.sqrt(base(t))
    return lambda t: kit.power(base(t), power(t))


def _by_sympy(expr: sp.Expr, parts: list[Walk], kit: Kit) -> Walk:
    """An operation outside the tables: SymPy's evalf of it at the arguments' values."""

    def at(t: Any) -> Any:
        digits = prec_to_dps(mpmath.mp.prec) if kit.precise else 17
        args = [sp.Float(p(t), digits) for p in parts]
        return kit.number(expr.func(*args))

    return at


def _real(kit: Kit, walk: Walk) -> Walk:
    """A function's or power's value, checked real (sums and products of reals are real; in
    floats, math's functions and powers raise rather than go complex: the end checks)."""
    if not kit.precise:
        return walk
    return lambda t: kit.real(walk(t))
