"""Shared helpers for the benchmark scripts: timing, medians, fitted exponents, JSON output."""

from __future__ import annotations

import json
import math
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
PYTHON = sys.executable
DERIV = [str(Path(PYTHON).with_name("deriv"))]


def run_seconds(command: list[str], stdin: str | None = None, env: dict | None = None) -> float:
    """Wall seconds of one run; `env`: variables set on top of this process's environment."""
    environment = {**os.environ, **env} if env else None
    start = time.perf_counter()
    subprocess.run(
        command, input=stdin, capture_output=True, text=True, check=False, env=environment
    )
    return time.perf_counter() - start


def paired_ratio(
    command: list[str], baseline: list[str], pairs: int = 15, env: dict | None = None
) -> dict:
    """Median of each, and the median of per-pair ratios, alternating the order of each pair.
    `env` is set for the command only (the baseline runs as it is)."""
    ours, theirs, ratios = [], [], []
    run_seconds(command, env=env), run_seconds(baseline)  # warm the file cache once
    for i in range(pairs):
        if i % 2:
            b, a = run_seconds(baseline), run_seconds(command, env=env)
        else:
            a, b = run_seconds(command, env=env), run_seconds(baseline)
        ours.append(a), theirs.append(b), ratios.append(a / b)
    return {
        "median_s": statistics.median(ours),
        "baseline_median_s": statistics.median(theirs),
        "ratio": statistics.median(ratios),
    }


def peak_rss_mib(command: list[str]) -> float:
    """The largest resident set of the command and its descendants, in MiB."""
    probe = (
        "import resource, subprocess, sys; "
        "subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    out = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True)
    return int(out.stdout) / 1024


def growth_exponent(sizes: list[float], seconds: list[float]) -> float:
    """The slope of log(time) against log(size): 1 is linear, 2 quadratic."""
    xs, ys = [math.log(s) for s in sizes], [math.log(t) for t in seconds]
    mx, my = statistics.mean(xs), statistics.mean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def machine() -> dict:
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def save(name: str, data: dict) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), **data}, indent=2) + "\n")
    return path


def table(rows: list[list[str]]) -> str:
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
