"""Every command that takes --at goes through the one point oracle (chainrule_cli/points.py)
before it prints a number there: the table below lists them, a new command with --at fails the
first test until it has a probe, and each probe, at a corner of |x|, must call the oracle and
refuse (or, for backprop, say that its numbers are not a gradient)."""

import sys

import pytest
import typer

from chainrule_cli import api, points
from chainrule_cli.cli import app
from chainrule_cli.errors import DerivError

# A corner at the point for every command: |x| at 0 has slopes -1 and 1 and no derivative.
PROBES = {
    "diff": lambda: api.diff("abs(x)", at="x=0"),
    "grad": lambda: api.grad("abs(x) + y", at="x=0,y=1"),
    "chain": lambda: api.chain("abs(u)", inner=["u=x-1"], at="x=1"),
    "jacobian": lambda: api.jacobian("abs(x), y", at="x=0,y=1"),
    "hessian": lambda: api.hessian("x*abs(x) + y^2", at="x=0,y=0"),
    "dir": lambda: api.directional("abs(x) + abs(y)", direction="1,1", at="x=0,y=0"),
    "implicit": lambda: api.implicit("y = abs(x)", at="x=0,y=0"),
    "tangent": lambda: api.tangent("abs(x)", at="x=0"),
    "taylor": lambda: api.taylor("abs(x)", at="x=0"),
    "parametric": lambda: api.parametric("t, abs(t)", at="t=0"),
    "backprop": lambda: api.backprop("abs(x)", at="x=0"),
    "matrix": lambda: api.matrix("norm(x)", wrt="x", at="x=[0,0]"),
    "plot": lambda: plotted("abs(x)", at="x=0"),
}


def plotted(f, at):  # type: ignore[no-untyped-def]
    from chainrule_cli.plot import Screen, plot

    return plot(f, target=Screen(80, 24, False), at=at).plot


def commands_with_at() -> set[str]:
    group = typer.main.get_command(app)
    return {
        name
        for name, command in group.commands.items()
        if any("--at" in getattr(p, "opts", ()) for p in command.params)
    }


def test_every_command_with_at_has_a_probe():
    assert commands_with_at() == set(PROBES), "add a probe for each command that takes --at"


def oracle_calls(run):  # type: ignore[no-untyped-def]
    """What run() returns or raises, and whether it called points.defined_at on the way."""
    gate = points.defined_at.__code__
    called = []

    def watch(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "call" and frame.f_code is gate:
            called.append(True)

    sys.setprofile(watch)
    try:
        outcome = run()
    except DerivError as error:
        outcome = error
    finally:
        sys.setprofile(None)
    return outcome, bool(called)


def refused(outcome) -> bool:  # type: ignore[no-untyped-def]
    """No number printed as the derivative: an error, a failure in the record, a note that the
    values are not a gradient (backprop) or a slope from one side only (dir), or no tangent
    drawn (plot)."""
    if isinstance(outcome, DerivError):
        return True
    for said in ("failure", "no_gradient", "one_sided"):
        if getattr(outcome, said, None) is not None:
            return True
    curves = getattr(outcome, "curves", None)
    return curves is not None and all(c.tangent is None for c in curves)


@pytest.mark.parametrize("command", sorted(PROBES))
def test_every_command_asks_the_oracle_and_refuses_a_corner(command):
    outcome, asked = oracle_calls(PROBES[command])
    assert asked, f"deriv {command} --at printed without the point oracle"
    assert refused(outcome), f"deriv {command} gave a number at the corner of |x|: {outcome}"
