"""Python as on Windows, for deriv's tests (PYTHONPATH=tests/no_posix): the POSIX process
control that Windows lacks is hidden, so that deriv must run without it. Blocked imports:
resource, fcntl, termios; removed: os.fork, os.killpg, os.setsid, signal.alarm."""

import os
import signal
import sys

for name in ("resource", "fcntl", "termios"):
    sys.modules[name] = None  # type: ignore[assignment]  # import raises ImportError
for module, names in ((os, ("fork", "forkpty", "killpg", "setsid")), (signal, ("alarm",))):
    for name in names:
        if hasattr(module, name):
            delattr(module, name)
