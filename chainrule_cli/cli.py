"""The Typer layer: one short function per command, and main(argv) -> exit code.

Heavy modules (SymPy, rich) are imported inside the commands, so `deriv --help` stays fast.
"""

from __future__ import annotations

import os
import re
import sys
from contextlib import contextmanager
from enum import Enum
from functools import lru_cache, partial
from typing import Annotated, Optional

import typer
from typer.core import TyperCommand

from . import __version__
from .render.notation import Notation


class Format(str, Enum):
    auto = "auto"
    pretty = "pretty"
    plain = "plain"
    expr = "expr"
    latex = "latex"
    json = "json"


class GraphFormat(str, Enum):
    """backprop's formats: the others, and Graphviz's DOT for its graph."""

    auto = "auto"
    pretty = "pretty"
    plain = "plain"
    expr = "expr"
    latex = "latex"
    json = "json"
    dot = "dot"


class Layout(str, Enum):
    """How a Jacobian lies: rows follow f (numerator) or x (denominator)."""

    numerator = "numerator"
    denominator = "denominator"


class ExpressionCommand(TyperCommand):
    """A command whose argument may start with '-': deriv grad "-0.5x + 0.25y^2"."""

    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:
        return super().parse_args(ctx, expressions_as_arguments(args, self.get_params(ctx)))


def expressions_as_arguments(args: list[str], params: list) -> list[str]:
    """Move options first and everything else after `--`, so '-x^2' is never read as an option.

    An unknown `--word` stays an option, so that a typo gets Click's "No such option" message.
    """
    takes_value = {
        name: not (param.is_flag or param.count)
        for param in params
        if param.param_type_name == "option"
        for name in (*param.opts, *param.secondary_opts)
    }
    options, arguments = [], []
    rest = iter(args)
    for arg in rest:
        name = arg.split("=", 1)[0]
        if arg == "--":
            arguments.extend(rest)
        elif name in takes_value:
            options.append(arg)
            value = next(rest, None) if takes_value[name] and "=" not in arg else None
            if value is not None:
                options.append(value)
        elif re.fullmatch(r"--[A-Za-z][\w-]*", name):
            options.append(arg)
        else:
            arguments.append(arg)
    return [*options, "--", *arguments] if arguments else options


app = typer.Typer(
    name="deriv",
    help="Derivatives, gradients and the chain rule, from the command line.",
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain Click help: no rich import for --help (2x faster)
    no_args_is_help=True,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def text_argument(metavar: str, help: str):  # type: ignore[no-untyped-def]
    """The command's one argument, text: EXPR, EQUATION, CURVE."""
    return Annotated[str, typer.Argument(metavar=metavar, show_default=False, help=help)]


def text_option(flag: str, metavar: str, help: str):  # type: ignore[no-untyped-def]
    """An option that takes a text value and has no default: `--at x=1,y=2`."""
    return Annotated[
        Optional[str], typer.Option(flag, metavar=metavar, show_default=False, help=help)
    ]


def list_option(flag: str, metavar: str, help: str):  # type: ignore[no-untyped-def]
    """An option that may be repeated: `--inner g=2x^2 --inner h=...`."""
    return Annotated[
        Optional[list[str]], typer.Option(flag, metavar=metavar, show_default=False, help=help)
    ]


Expression = text_argument(
    "EXPR", 'The function, as you would write it: "6x^2", "3x + y", "sin(x^2)".'
)
Wrt = list_option(
    "--wrt",
    "VAR",
    "Differentiate with respect to VAR; repeat for a mixed partial (--wrt x --wrt y).",
)
Order = Annotated[int, typer.Option("--order", metavar="N", help="The N-th derivative.")]


def vars_option(what: str):  # type: ignore[no-untyped-def]
    return text_option("--vars", "x,y,...", f"{what} (default: x, y, z, then alphabetical).")


Vars = vars_option("The gradient's variables, in this order")
At = text_option(
    "--at",
    "x=1,y=2",
    "Also evaluate the result at this point; values may be expressions like pi/2.",
)
Name = Annotated[str, typer.Option("--name", metavar="NAME", help="The function's name in labels.")]
Simplify = Annotated[
    bool,
    typer.Option("--simplify", help="Simplify the result (slower; within --timeout)."),
]
Steps = Annotated[
    bool, typer.Option("--steps", help="Show the derivation rule by rule, each step checked.")
]
CheckOption = Annotated[
    bool,
    typer.Option(
        "--check",
        help="Verify the result by numerical differentiation in 50 digits (exit 1 on FAIL).",
    ),
]
Exact = Annotated[
    bool,
    typer.Option(
        "--exact", help="Show decimals as the exact fractions they are read as (0.25 -> 1/4)."
    ),
]
NotationOption = Annotated[
    Notation,
    typer.Option(
        "--notation",
        case_sensitive=False,
        help="leibniz (df/dx), lagrange (f'(x)) or euler (D_x f).",
    ),
]
DEFAULT_TIMEOUT = 10.0  # limits.DEFAULT_TIMEOUT_SECONDS, without importing it at start-up
Timeout = Annotated[
    float,
    typer.Option(
        "--timeout",
        metavar="SECONDS",
        envvar="DERIV_TIMEOUT",
        min=0.01,
        help="Stop a computation that takes longer than this (exit 3).",
    ),
]
Digits = Annotated[
    Optional[int],
    typer.Option(
        "--digits",
        metavar="N",
        min=1,
        max=100,
        show_default=False,
        help="Values at --at as decimals to N significant digits: in expr output for scripts, "
        "and after ≈ (default: exact in expr, 10 digits after ≈).",
    ),
]
FormatOption = Annotated[
    Format,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="auto (pretty on a terminal, plain in a pipe), pretty, plain, expr, latex, json.",
    ),
]
GraphFormatOption = Annotated[
    GraphFormat,
    typer.Option(
        "--format",
        case_sensitive=False,
        help="auto (pretty on a terminal, plain in a pipe), pretty, plain, expr, latex, json, "
        "or dot: the graph for Graphviz.",
    ),
]


def show_version(value: bool) -> None:
    if value:
        typer.echo(f"deriv {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Derivatives, gradients and the chain rule, from the command line.

    Try: deriv diff "6x^2"    deriv grad "3x + y"    deriv grad "-0.5x + 0.25y^2" --at x=1,y=2
    """


@app.command(cls=ExpressionCommand)
def diff(
    expression: Expression,
    wrt: Wrt = None,
    order: Annotated[
        str,
        typer.Option(
            "--order",
            metavar="N",
            help="The N-th derivative; a name such as n gives the n-th derivative's formula.",
        ),
    ] = "1",
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    simplify: Simplify = False,
    steps: Steps = False,
    check: CheckOption = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The derivative of EXPR: ordinary, partial, higher or mixed.

    Example: deriv diff "6x^2"  ->  df/dx = 12x

    Example: deriv diff "x^2 y" --wrt x --wrt y  ->  ∂²f/∂y∂x = 2x

    Example: deriv diff "sin(x)" --order n  ->  dⁿf/dxⁿ = sin(x + π·n/2)
    """
    from . import api

    options = dict(order=order, at=at, name=name, exact=exact, simplify=simplify, steps=steps)
    call = partial(api.diff, wrt=wrt, check=check, **options)
    return run(call, expression, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def grad(
    expression: Expression,
    vars: Vars = None,
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    simplify: Simplify = False,
    steps: Steps = False,
    check: CheckOption = False,
    cse: Annotated[
        Optional[bool],
        typer.Option(
            "--cse/--no-cse",
            show_default=False,
            help="One backward pass, shared parts named c0, c1, ... "
            "(default: on above 20 variables).",
        ),
    ] = None,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The gradient of EXPR: every first partial derivative, as a column vector.

    Example: deriv grad "3x + y"  ->  ∇f = (3, 1)ᵀ

    Example: deriv grad "-0.5x + 0.25y^2" --at x=1,y=2
    """
    from . import api

    options = dict(at=at, name=name, exact=exact, simplify=simplify, steps=steps, cse=cse)
    call = partial(api.grad, vars=vars, check=check, **options)
    return run(call, expression, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def chain(
    outer: Annotated[
        str,
        typer.Argument(
            metavar="OUTER",
            show_default=False,
            help="The outer function, in the inner names (or a whole expression to split).",
        ),
    ],
    inner: list_option(
        "--inner",
        "NAME=EXPR",
        "An inner function; repeat for several. Inner functions may use each other.",
    ) = None,
    wrt: list_option(
        "--wrt",
        "VAR",
        "The partial derivative by this input variable; repeat to choose several (default: "
        "every variable).",
    ) = None,
    at: At = None,
    name: text_option("--name", "NAME", "The outer function's name in labels (default f).") = None,
    exact: Exact = False,
    check: CheckOption = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The general chain rule, term by term, checked against the direct derivative.

    Example: deriv chain "3*g" --inner "g=2x^2"  ->  df/dx = df/dg · dg/dx = 3 · 4x = 12x

    Example: deriv chain "0.5*o" --inner "o=-x+0.5y^2"

    Example: deriv chain "sin(x^2)"   (finds the inner function u = x² itself)
    """
    from . import api

    call = partial(
        api.chain, inner=inner or (), wrt=wrt, at=at, name=name, exact=exact, check=check
    )
    return run(call, outer, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def jacobian(
    expression: Annotated[
        str,
        typer.Argument(
            metavar="EXPRS",
            show_default=False,
            help='The component functions, separated by commas: "r cos(t), r sin(t)".',
        ),
    ],
    vars: vars_option("The Jacobian's columns, one variable each, in this order") = None,
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    check: CheckOption = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The Jacobian matrix: one row per function, one column per variable.

    Example: deriv jacobian "r cos(t), r sin(t)"
    """
    from . import api

    call = partial(api.jacobian, vars=vars, at=at, name=name, exact=exact, check=check)
    return run(call, expression, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def hessian(
    expression: Expression,
    vars: vars_option("The Hessian's rows and columns, in this order") = None,
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    check: CheckOption = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The Hessian: every second partial derivative; with --at, its eigenvalues and the
    kind of critical point.

    Example: deriv hessian "x^2 - y^2" --at x=0,y=0  ->  a saddle point
    """
    from . import api

    call = partial(api.hessian, vars=vars, at=at, name=name, exact=exact, check=check)
    return run(call, expression, format, notation, timeout, digits)


@app.command(name="dir", cls=ExpressionCommand)
def directional(
    expression: Expression,
    direction: Annotated[
        str,
        typer.Option(
            "--direction",
            metavar="1,1",
            show_default=False,
            help="The direction, one number per variable.",
        ),
    ],
    normalize: Annotated[
        bool,
        typer.Option("--normalize/--no-normalize", help="Use the unit vector along the direction."),
    ] = True,
    vars: vars_option("The variables, in the order of the direction's components") = None,
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The directional derivative ∇f · u along a direction.

    Example: deriv dir "3x + y" --direction 1,1  ->  D_u f = 2·sqrt(2)
    """
    from . import api

    options = dict(vars=vars, at=at, name=name, exact=exact)
    call = partial(api.directional, direction=direction, normalize=normalize, **options)
    return run(call, expression, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def implicit(
    equation: text_argument("EQUATION", 'An equation with one "=": "x^2 + y^2 = 1".'),
    wrt: text_option("--wrt", "VAR", "The independent variable (default x).") = None,
    dep: text_option("--dep", "VAR", "The dependent variable (default y).") = None,
    order: Order = 1,
    at: At = None,
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """dy/dx of a curve defined implicitly by an equation.

    Example: deriv implicit "x^2 + y^2 = 1"  ->  dy/dx = -x/y
    """
    from . import api

    call = partial(api.implicit, wrt=wrt, dep=dep, order=order, at=at, exact=exact)
    return run(call, equation, format, notation, timeout, digits)


@app.command(cls=ExpressionCommand)
def tangent(
    expression: Expression,
    at: Annotated[
        str, typer.Option("--at", metavar="x=1", show_default=False, help="The point of tangency.")
    ],
    normal: Annotated[
        bool,
        typer.Option(
            "--normal", help="Also the normal line (of a plane: the normal vector and line)."
        ),
    ] = False,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The tangent line (one variable) or tangent plane (two) at a point; with --normal, the
    normal too.

    Example: deriv tangent "x^2" --at x=1 --normal  ->  y = 2x - 1, normal y = 3/2 - x/2
    """
    from . import api

    call = partial(api.tangent, at=at, name=name, exact=exact, normal=normal)
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def taylor(
    expression: Expression,
    at: text_option(
        "--at", "x=1", "The point (default: every variable 0, the Maclaurin polynomial)."
    ) = None,
    order: Annotated[
        int,
        typer.Option(
            "--order", metavar="N", help="The polynomial's degree; 1 is the linear approximation."
        ),
    ] = 2,
    name: Name = "f",
    exact: Exact = False,
    steps: Annotated[
        bool, typer.Option("--steps", help="The table of the derivatives at the point first.")
    ] = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The Taylor polynomial of EXPR at a point, and the order of its remainder (one
    variable any order; several variables order 1 or 2, through the gradient and Hessian).

    Example: deriv taylor "e^x" --order 3  ->  P₃(x) = 1 + x + x²/2 + x³/6 + O(x⁴)
    """
    from . import api

    call = partial(api.taylor, at=at, order=order, name=name, exact=exact, steps=steps)
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def parametric(
    expression: text_argument("CURVE", 'The curve as "x(t), y(t)", or with --polar r(θ).'),
    param: text_option("--param", "t", "The parameter (default: the curve's one variable).") = None,
    at: text_option(
        "--at", "t=1", "A value of the parameter: the point, dy/dx there and the tangent line."
    ) = None,
    polar: Annotated[
        bool,
        typer.Option("--polar", help="CURVE is r(θ), a polar curve: x = r·cos θ, y = r·sin θ."),
    ] = False,
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """dy/dx = (dy/dt)/(dx/dt) and d²y/dx² of a parametric curve, or of a polar curve r(θ).

    Example: deriv parametric "cos(t), sin(t)" --at t=pi/4  ->  dy/dx = -1
    """
    from . import api

    call = partial(api.parametric, param=param, at=at, polar=polar, exact=exact)
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def analyze(
    expression: Expression,
    on: text_option(
        "--on", "A:B", "A closed interval, as 0:2*pi: study f there, with its absolute extrema."
    ) = None,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """Critical points, where EXPR increases and decreases, its extrema, concavity, inflection
    points and asymptotes (one variable).

    Example: deriv analyze "x^3 - 3x"  ->  local maximum: f(-1) = 2
    """
    from . import api

    call = partial(api.analyze, on=on, name=name, exact=exact)
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def definition(
    expression: Expression,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The derivative from its definition, lim (f(x + h) - f(x))/h as h -> 0, step by step.

    Example: deriv definition "x^2"  ->  = lim_{h→0} (h + 2x) = 2x
    """
    from . import api

    call = partial(api.definition, name=name, exact=exact)
    return run(call, expression, format, notation, timeout)


@app.command(name="check", cls=ExpressionCommand)
def check_answer(
    expression: Expression,
    answer: Annotated[
        str,
        typer.Option(
            "--answer",
            metavar="EXPR",
            show_default=False,
            help='The derivative to check; a gradient as "3, 1".',
        ),
    ],
    wrt: list_option(
        "--wrt",
        "VAR",
        "The variable the answer differentiates by; repeated, the variables of the "
        "gradient's components in the answer's order (--wrt y --wrt x --answer \"∂f/∂y, ∂f/∂x\").",
    ) = None,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """Is this derivative right? Exit 0 when it is, 1 with a counter-example when not.

    Example: deriv check "6x^2" --answer "12x"
    """
    from . import api

    call = partial(api.check, answer=answer, wrt=wrt, name=name, exact=exact)
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def backprop(
    expression: Expression,
    at: At = None,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    format: GraphFormatOption = GraphFormat.auto,
    digits: Digits = None,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """Backpropagation through EXPR's computational graph: each node's value, local
    derivatives and gradient (--format dot draws the graph for Graphviz).

    Example: deriv backprop "0.5*(-x + 0.5y^2)" --at x=1,y=2
    """
    from . import api

    call = partial(api.backprop, at=at, name=name, exact=exact)
    return run(call, expression, format, notation, timeout, digits)


@app.command(name="matrix", cls=ExpressionCommand)
def matrix_gradient(
    expression: Expression,
    wrt: list_option(
        "--wrt",
        "X",
        "The vector or matrix to differentiate by; repeat for several (--wrt W --wrt b).",
    ) = None,
    matrices: text_option(
        "--matrix", "A,W", "The names that are matrices (default: those that start with a capital)."
    ) = None,
    vectors: text_option(
        "--vector", "x,b", "The names that are vectors (default: single letters h to z)."
    ) = None,
    shape: text_option(
        "--shape", "W=3x2,x=2", "Sizes to fix (default: sizes n, m, ... that the operations imply)."
    ) = None,
    layout: Annotated[
        Layout,
        typer.Option(
            "--layout",
            help="A Jacobian's rows follow f (numerator, as matrixcalculus.org) or x "
            "(denominator); a gradient has the shape of its variable either way.",
        ),
    ] = Layout.numerator,
    at: text_option(
        "--at",
        "W=[[1,2],[3,4]],x=[1,1]",
        "Also evaluate at these values: a matrix as a list of rows, a vector as a list.",
    ) = None,
    steps: Annotated[
        bool,
        typer.Option(
            "--steps", help="Show the differential rule by rule, then how the result is read off."
        ),
    ] = False,
    cse: Annotated[
        bool,
        typer.Option("--cse", help="Name the parts the results share: c0 = tanh(Wx + b), ..."),
    ] = False,
    check: Annotated[
        bool,
        typer.Option(
            "--check", help="Print the check's figure: entries compared, largest difference."
        ),
    ] = False,
    name: Name = "f",
    notation: NotationOption = Notation.leibniz,
    format: FormatOption = Format.auto,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """The gradient of a scalar function of vectors and matrices, or the Jacobian of a vector
    by a vector, in matrix form, each entry checked before it is printed.

    Example: deriv matrix "norm(W x - y)^2" --wrt W  ->  ∂f/∂W = 2(Wx - y)xᵀ
    """
    from . import api

    call = partial(
        api.matrix,
        wrt=wrt,
        matrices=matrices,
        vectors=vectors,
        shapes=shape,
        name=name,
        layout=layout.value,
        at=at,
        steps=steps,
        cse=cse,
        check=check,
    )
    return run(call, expression, format, notation, timeout)


@app.command(cls=ExpressionCommand)
def plot(
    expression: Expression,
    out: text_option(
        "--out", "FILE", "Write the figure here: .png, .svg or .pdf (default: a temporary PNG)."
    ) = None,
    range: text_option(
        "--range",
        "x=-3:3,y=-3:3",
        "The plotted range of each variable (default -3:3, or 3 either side of --at).",
    ) = None,
    at: text_option(
        "--at",
        "x=1,y=2",
        "Draw the tangent lines at this point (two variables: default the origin).",
    ) = None,
    terminal: Annotated[
        bool, typer.Option("--terminal", help="Draw a text plot in the terminal instead.")
    ] = False,
    taylor: Annotated[
        Optional[int],
        typer.Option(
            "--taylor",
            metavar="N",
            help="Draw f with its Taylor polynomials of orders 1 to N (at most 6) at --at "
            "(default 0), instead of f'.",
        ),
    ] = None,
    name: Name = "f",
    exact: Exact = False,
    notation: NotationOption = Notation.leibniz,
    timeout: Timeout = DEFAULT_TIMEOUT,
) -> int:
    """Plot EXPR with its derivative: f and f' for one variable; for two, the surface, the
    contours with gradient arrows, and the slices along x and y with their tangent lines.
    Prints the image file's path. Needs matplotlib, the plot extra (from a checkout:
    pip install '.[plot]').

    Example: deriv plot "6x^2" --at x=1 --out parabola.png

    Example: deriv plot "-0.5x + 0.25y^2" --at x=1,y=2 --out surface.svg

    Example: deriv plot "sin(x)" --taylor 5 --out taylor.png
    """
    from .batch import is_batch
    from .errors import InputError
    from .plot import SUFFIXES, plot

    if is_batch(expression):
        raise InputError("plot draws one expression; - and @file are for the other commands")
    if out is not None and terminal:
        raise InputError("use either --out or --terminal, not both")
    if out is not None and not out.lower().endswith(SUFFIXES):
        raise InputError(f"--out: the file name must end in .png, .svg or .pdf (got {out})")
    require_module("plotext" if terminal else "matplotlib")
    target = screen() if terminal else out or temporary_png()
    call = partial(plot, target=target, ranges=range, at=at, name=name, exact=exact, taylor=taylor)
    return run(call, expression, Format.plain, notation, timeout)


server_app = typer.Typer(
    help="An opt-in warm server: while it runs, every deriv call of this user answers in tens "
    "of milliseconds (docs/server.md). Set DERIV_NO_SERVER=1 to bypass it.\n\n"
    "Example: deriv server start --idle-timeout 3600",
    no_args_is_help=True,
)
app.add_typer(server_app, name="server")


@server_app.command("start")
def server_start(
    idle_timeout: Annotated[
        float,
        typer.Option(
            "--idle-timeout", min=1, metavar="SECONDS", help="Exit after this long with no command."
        ),
    ] = 900.0,
) -> int:
    """Start the server and return when it is ready (if one of this version runs, keep it)."""
    from . import server

    with server_errors():
        info, started = server.start(idle_timeout)
    said = "started" if started else "already running"
    typer.echo(f"deriv server {said}: pid {info['pid']}, socket {info['socket']}")
    return 0


@server_app.command("stop")
def server_stop() -> int:
    """Stop the server; the commands it is running finish first."""
    from . import server

    with server_errors():
        stopped = server.stop()
    typer.echo(f"deriv server stopped: pid {stopped['pid']}" if stopped else "no deriv server runs")
    return 0


@server_app.command("status")
def server_status(
    json_format: Annotated[
        bool, typer.Option("--json", help="The status as a JSON object.")
    ] = False,
) -> int:
    """Whether the server runs: pid, socket, version, uptime, commands served, idle time.
    Exit 0 when it runs, 1 when it does not."""
    import json

    from . import server

    with server_errors():
        info = server.query()
    if json_format:
        typer.echo(json.dumps({"running": info is not None, **(info or {})}))
    elif info is None:
        typer.echo("deriv server: not running")
    else:
        typer.echo(server.describe(info))
    return 0 if info else 1


@contextmanager
def server_errors():  # type: ignore[no-untyped-def]
    """Where there are no Unix sockets the server is unsupported; its OS errors are one line."""
    from .client import supported
    from .errors import InputError

    if not supported():
        raise InputError("deriv server needs Unix domain sockets, which this system lacks")
    try:
        yield
    except OSError as error:
        raise InputError(f"deriv server: {error}") from None


def screen():  # type: ignore[no-untyped-def]
    """A text plot fits the terminal; into pipes and files it is 100 x 24 with no colour, so
    that the text is reproducible."""
    import shutil

    from .plot import Screen

    if not sys.stdout.isatty():
        return Screen(100, 24, colour=False)
    width, height = shutil.get_terminal_size()
    colour = "NO_COLOR" not in os.environ
    return Screen(min(width, 120), max(12, min(height - 4, 30)), colour)


def require_module(name: str) -> None:
    import importlib.util

    from .errors import InputError
    from .plot import install_advice

    if importlib.util.find_spec(name) is None:
        raise InputError(f"deriv plot needs {name}; install it with: {install_advice(name)}")


def temporary_png() -> str:
    import tempfile

    handle, path = tempfile.mkstemp(prefix="deriv-plot-", suffix=".png")
    os.close(handle)
    return path


def run(
    call: partial,
    argument: str,
    format: Format,
    notation: Notation,
    timeout: float,
    digits: int | None = None,
) -> int:
    """Compute `call(text)` and render it in the worker process (under the time and memory
    budget); write it here. The argument is the expression, or `-` / `@file` for one
    expression per line."""
    from .batch import is_batch, numbered_lines
    from .limits import RECYCLE_GROWTH_MB
    from .output import emit, emit_batch, view_of
    from .worker import Budget

    view = view_of(format.value, notation, call.func, digits)
    budget = Budget(timeout, memory_budget(), megabytes("DERIV_RECYCLE_MB", RECYCLE_GROWTH_MB, 1))
    if is_batch(argument):
        from .progress import for_batch

        progress = for_batch(argument)
        return emit_batch(numbered_lines(argument), call, view, budget, progress)
    return emit(call, argument, view, budget)


def memory_budget() -> int:
    from .limits import DEFAULT_MEMORY_MB

    return megabytes("DERIV_MEMORY_MB", DEFAULT_MEMORY_MB, 64)


def megabytes(variable: str, default: int, least: int) -> int:
    """A whole number of MiB from the environment, from `least` to 1000000."""
    from .errors import InputError

    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    if not text.isdigit() or not least <= int(text) <= 1_000_000:
        raise InputError(f"{variable} must be a whole number of MiB, at least {least}")
    return int(text)


def entry() -> None:
    """The console script (and `python -m chainrule_cli`): main(), then an exit that skips the
    interpreter's teardown of SymPy's modules, about 0.15 s of every call. Output is flushed
    first; every file and child process is closed by then."""
    code = main()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a reader that went away: nothing more to say
        pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    """Run deriv; every failure becomes one `error:` line on stderr and an exit code."""
    # SymPy's cache holds 1000 entries by default: too few for a 1000-term sum (5x slower).
    os.environ.setdefault("SYMPY_CACHE_SIZE", "100000")
    from .report import run

    args = sys.argv[1:] if argv is None else argv
    shell = completion_for(args)
    if shell is not None:
        return run(lambda: show_completion(shell))
    spawned = spawn_early(args)
    try:
        return run(
            lambda: click_command().main(args=args, prog_name="deriv", standalone_mode=False)
        )
    finally:
        if spawned:
            from .processes import drop_spare

            drop_spare()


@lru_cache(maxsize=1)
def click_command():  # type: ignore[no-untyped-def]
    """The Click command Typer builds from `app` (about 25 ms): built once per process, so that
    the warm server's commands, forked from it, find it built."""
    return typer.main.get_command(app)


def spawn_early(args: list[str]) -> bool:
    """Where the worker is spawned (macOS, Windows), start it before anything else: it imports
    SymPy while this process parses the command line. Not for help, which computes nothing.
    Whether one was started (and must go if the command does not take it)."""
    commands = {c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    if not args or args[0] not in commands or "--help" in args:
        return False
    from .errors import DerivError
    from .worker import chosen_backend

    try:
        if chosen_backend() != "spawn":
            return False
    except DerivError:
        return False  # a bad DERIV_WORKER: said when the command asks for its worker
    from .processes import start_spare

    start_spare()
    return True


def completion_for(args: list[str]) -> str | None:
    """The shell named in `deriv --show-completion zsh` (Typer's flag detects the shell and
    would ignore a name given to it)."""
    if len(args) == 2 and args[0] == "--show-completion":
        return args[1]
    if len(args) == 1 and args[0].startswith("--show-completion="):
        return args[0].split("=", 1)[1]
    return None


def show_completion(shell: str) -> int:
    from typer._completion_shared import Shells, get_completion_script

    from .errors import InputError

    shells = [s.value for s in Shells]
    if shell not in shells:
        raise InputError(f"no completion for {shell}; deriv has it for {', '.join(shells)}")
    from .output import Rendered, write

    script = get_completion_script(prog_name="deriv", complete_var="_DERIV_COMPLETE", shell=shell)
    return write(Rendered(script + "\n"))  # a reader that stops early (| head) ends it quietly
