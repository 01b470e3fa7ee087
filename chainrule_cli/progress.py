"""A progress line on stderr for a long batch: lines done, lines failed, the rate, and (for a
file, whose lines can be counted first) the time left. Shown when stderr is a terminal and the
batch has run a second, or always with DERIV_PROGRESS=1; never with DERIV_PROGRESS=0. rich
draws it (transient: it is gone when the batch ends) and is imported only then."""

from __future__ import annotations

import os
import sys
import time
from typing import Any

SHOWN_AFTER_SECONDS = 1.0


def for_batch(argument: str) -> BatchProgress | None:
    wanted = os.environ.get("DERIV_PROGRESS", "").strip()
    if wanted == "0" or (wanted != "1" and not sys.stderr.isatty()):
        return None
    total = _count_lines(argument[1:]) if argument.startswith("@") else None
    return BatchProgress(total, forced=wanted == "1")


def _count_lines(path: str) -> int | None:
    try:
        with open(path, "rb") as stream:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 20), b""))
    except OSError:
        return None  # the batch reports the file itself


class BatchProgress:
    def __init__(self, total: int | None, forced: bool = False) -> None:
        self.total, self.done, self.failed, self.forced = total, 0, 0, forced
        self.started = time.monotonic()
        self.bar: Any = None
        self.task: Any = None

    def line(self, failed: bool = False) -> None:
        self.done += 1
        self.failed += failed
        if self.bar is None and time.monotonic() - self.started >= SHOWN_AFTER_SECONDS:
            self._show()
        if self.bar is not None:
            self.bar.update(self.task, completed=self.done, failed=self.failed, rate=self._rate())

    def _rate(self) -> str:
        return f"{self.done / max(time.monotonic() - self.started, 1e-9):.0f}"

    def _show(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeRemainingColumn,
        )

        failed = TextColumn("{task.fields[failed]} failed, {task.fields[rate]} lines/s")
        if self.total:
            columns = [BarColumn(), MofNCompleteColumn(), failed, TimeRemainingColumn()]
        else:
            columns = [TextColumn("{task.completed} lines,"), failed]
        console = Console(stderr=True, force_terminal=self.forced or None)
        self.bar = Progress(*columns, console=console, transient=True, redirect_stdout=False)
        self.task = self.bar.add_task(
            "batch", total=self.total, failed=self.failed, rate=self._rate()
        )
        self.bar.start()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()
