"""The console script and `python -m chainrule_cli`: where a warm server of this user runs
(`deriv server start`), the command goes to it before Typer, rich or SymPy are imported here;
otherwise, or if anything about the server is amiss, deriv runs in this process as always."""

from __future__ import annotations

import os
import sys

# Completion's set-up finds the user's shell among this process's parents: not in a server.
IN_THIS_PROCESS = ("--install-completion", "--show-completion")


def entry() -> None:
    argv = sys.argv[1:]
    if argv[:1] != ["server"] and not any(a.startswith(IN_THIS_PROCESS) for a in argv):
        from .client import run

        try:
            code = run(argv)
        except KeyboardInterrupt:  # before the command began: nothing of it runs on
            print("error: interrupted", file=sys.stderr)
            code = 130
        if code is not None:
            sys.stderr.flush()
            os._exit(code)  # the output was written by the server's child, on our descriptors
    from .cli import entry as in_this_process

    in_this_process()
