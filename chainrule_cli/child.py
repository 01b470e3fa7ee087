"""A spawned worker (processes.Spawned): imports SymPy and deriv's core at once (the parent may
still be parsing its arguments), reads its handler and budget, says it is ready, then answers
requests on stdout until stdin ends. Nothing else may write to stdout: print() goes to stderr,
which the parent discards."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from functools import partial


def main() -> None:
    requests, replies = sys.stdin.buffer, sys.stdout.buffer
    sys.stdout = sys.stderr
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    sys.unraisablehook = lambda _: None  # no "Exception ignored" noise after a MemoryError
    from .processes import read_frame, write_frame
    from .worker import apply_limits, as_deriv_error, in_big_stack, memory, serve

    try:
        from . import api, output  # noqa: F401 - SymPy and the core, before the limits

        handler, budget = read_frame(requests)
        handle = pickle.loads(handler)
    except EOFError:
        os._exit(0)
    except BaseException as error:  # noqa: BLE001 - said to the parent, which reports it
        write_frame(replies, ("error", as_deriv_error(error), (0, 0)))
        os._exit(0)
    try:
        apply_limits(budget)
        write_frame(replies, ("ready", None, memory()))
        receive, reply = partial(read_frame, requests), partial(write_frame, replies)
        in_big_stack(lambda: serve(handle, budget, receive, reply), budget)
    except BaseException:  # noqa: BLE001 - the parent sees the pipe close
        pass
    os._exit(0)  # no teardown of SymPy's modules
