"""deriv: derivatives, gradients and the chain rule, from the command line and from Python.

    >>> from chainrule_cli import diff
    >>> diff("6x^2").result
    12*x

The functions (diff, grad, chain, jacobian, hessian, directional, implicit, tangent, taylor,
parametric, analyze, definition, check, backprop, matrix) and the errors are imported when
first used: `import chainrule_cli` alone imports neither SymPy nor the command line's Typer
and rich.
"""

from __future__ import annotations

__version__ = "0.1.0"
MINIMUM_PYTHON = (3, 10)  # as pyproject.toml's requires-python and the README say


def python_too_old(version: tuple[int, ...]) -> str | None:
    """The error for a Python older than deriv supports, else None."""
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return None
    need = ".".join(map(str, MINIMUM_PYTHON))
    return f"error: deriv needs Python {need} or newer; this is Python {version[0]}.{version[1]}"


API = (
    "analyze",
    "backprop",
    "chain",
    "check",
    "definition",
    "diff",
    "directional",
    "grad",
    "hessian",
    "implicit",
    "jacobian",
    "matrix",
    "parametric",
    "tangent",
    "taylor",
)
ERRORS = ("DerivError", "InputError", "LimitExceeded", "MathError", "ParseError")
__all__ = [*API, *ERRORS]


def __getattr__(name: str) -> object:
    if name in API:
        from . import api

        return getattr(api, name)
    if name in ERRORS:
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'chainrule_cli' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
