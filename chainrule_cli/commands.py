"""From option text to result records: parse, then compute. No printing, no exit codes."""

from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from . import calculus
from .errors import InputError, MathError, UndefinedAt
from .limits import MAX_DERIVATIVE_ORDER
from .options import naming, parse_names, parse_point, parse_variable
from .parser import parse, parse_name
from .render.notation import Notation, derivative_label
from .results import Derivative, Function, Gradient


@dataclass(frozen=True)
class Common:
    """Options every command shares."""

    name: str = "f"
    exact: bool = False
    at: str | None = None
    notation: Notation = Notation.leibniz


def read_function(expression: str, common: Common) -> Function:
    with naming("--name"):
        name = parse_name(common.name)
    return calculus.function_of(parse(expression, exact=common.exact), name)


def diff(expression: str, wrt: list[str], order: int, common: Common) -> Derivative:
    function = read_function(expression, common)
    variables = tuple(parse_variable(w, "--wrt") for w in wrt)
    if order < 1 or order > MAX_DERIVATIVE_ORDER:
        raise InputError(f"--order must be between 1 and {MAX_DERIVATIVE_ORDER}")
    if len(variables) > 1 and order > 1:
        raise InputError("use either --order or several --wrt, not both")
    if not variables:
        variables = (only_variable(function),)
    point = parse_point(common.at, exact=common.exact) if common.at else None
    with explained(function, common.notation):
        return calculus.derivative(function, variables * order, point)


def grad(expression: str, variables: str | None, common: Common) -> Gradient:
    function = read_function(expression, common)
    order = parse_names(variables, "--vars") if variables else function.variables
    if not order:
        raise InputError(
            f"{function.name} has no variables; name them with --vars, as in --vars x,y"
        )
    point = parse_point(common.at, exact=common.exact) if common.at else None
    with explained(function, common.notation):
        return calculus.gradient(function, order, point)


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
