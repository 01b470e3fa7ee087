"""Batch throughput: 1000 generated expressions through one `deriv diff -`, against separate
`deriv diff` calls and a bare SymPy loop in one process; and the batch with the spawned worker
(DERIV_WORKER=spawn, the default on macOS and Windows) against the forked one.

Separate calls are timed on a sample (--sample, default 40) and scaled to 1000, since 1000 of
them take many minutes. Run: .venv/bin/python benchmarks/batch.py [--lines N] [--sample N]

`--long 5000,50000 [--memory 0,256]`: long batches (issue 23), each count at each memory budget
(0: the default): the peak RSS of the process tree, the seconds per 1000 lines over the first
and the last 1000 lines, and the failed lines. `--worker spawn` runs them with DERIV_WORKER=spawn.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time

from common import DERIV, PYTHON, run_seconds, save, table

FUNCTIONS = ["sin", "cos", "exp", "tanh", "log", "sqrt", "atan"]


def expressions(count: int, seed: int = 5) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        a, b, n = rng.randint(1, 9), rng.randint(1, 9), rng.randint(2, 6)
        f, g = rng.sample(FUNCTIONS, 2)
        lines.append(f"{a}x^{n} + {f}({b}x) * {g}(x^2 + {a})")
    return lines


SYMPY_LOOP = """
import sys, sympy
x = sympy.Symbol('x')
for line in sys.stdin:
    print(sympy.diff(sympy.sympify(line), x))
"""


def main() -> None:
    if "--long" in sys.argv:  # --long 5000,50000 [--memory 256,0]
        counts = [int(n) for n in sys.argv[sys.argv.index("--long") + 1].split(",")]
        memory = sys.argv[sys.argv.index("--memory") + 1] if "--memory" in sys.argv else "0"
        worker = sys.argv[sys.argv.index("--worker") + 1] if "--worker" in sys.argv else ""
        long_main(counts, [int(m) or None for m in memory.split(",")], worker)
        return
    count = int(sys.argv[sys.argv.index("--lines") + 1]) if "--lines" in sys.argv else 1000
    sample = int(sys.argv[sys.argv.index("--sample") + 1]) if "--sample" in sys.argv else 40
    ours_lines = expressions(count)
    theirs_lines = [
        t.replace("^", "**").replace("x**", "x**").replace("x^", "x**") for t in ours_lines
    ]
    theirs_lines = [_explicit(t) for t in theirs_lines]
    stdin = "\n".join(ours_lines) + "\n"

    batch = run_seconds([*DERIV, "diff", "-", "--format", "expr"], stdin)
    spawned = run_seconds(
        [*DERIV, "diff", "-", "--format", "expr"], stdin, {"DERIV_WORKER": "spawn"}
    )
    check = subprocess.run(
        [*DERIV, "diff", "-", "--format", "expr"], input=stdin, capture_output=True, text=True
    )
    assert check.returncode == 0 and len(check.stdout.splitlines()) == count, check.stderr[:300]
    loop = run_seconds([PYTHON, "-c", SYMPY_LOOP], "\n".join(theirs_lines) + "\n")
    singles = [
        run_seconds([*DERIV, "diff", line, "--format", "expr"]) for line in ours_lines[:sample]
    ]
    separate = statistics.median(singles) * count

    rows = [
        ["route", "seconds", "per expression ms", "vs batch"],
        [
            f"deriv diff - ({count} lines, one process)",
            f"{batch:.2f}",
            f"{batch / count * 1000:.1f}",
            "1.00x",
        ],
        [
            "the same, DERIV_WORKER=spawn (macOS, Windows)",
            f"{spawned:.2f}",
            f"{spawned / count * 1000:.1f}",
            f"{spawned / batch:.2f}x",
        ],
        [
            f"{count} separate deriv calls (median of {sample}, scaled)",
            f"{separate:.1f}",
            f"{separate / count * 1000:.0f}",
            f"{separate / batch:.1f}x",
        ],
        [
            "bare SymPy loop, one process (sympify+diff+print)",
            f"{loop:.2f}",
            f"{loop / count * 1000:.1f}",
            f"{loop / batch:.2f}x",
        ],
    ]
    print(table(rows))
    print(
        "wrote",
        save(
            "batch",
            {
                "lines": count,
                "batch_s": batch,
                "spawn_batch_s": spawned,
                "separate_s": separate,
                "separate_sample": sample,
                "sympy_loop_s": loop,
            },
        ),
    )


def _explicit(text: str) -> str:
    """SymPy's syntax for the same expression: 3x**2 -> 3*x**2, sin(2x) -> sin(2*x)."""
    out = []
    for i, char in enumerate(text):
        if char == "x" and i and text[i - 1].isdigit():
            out.append("*")
        out.append(char)
    return "".join(out)


# Long batches (issue 23): memory and speed over tens of thousands of lines.

LONG_FUNCTIONS = ["sin", "cos", "exp", "tanh", "log", "sqrt", "atan"]


def long_lines(count: int, seed: int = 23) -> list[str]:
    rng = random.Random(seed)
    lines = []
    for _ in range(count):
        a, b, n, i = rng.randint(1, 9), rng.randint(1, 9), rng.randint(2, 6), rng.randint(1, 9)
        f, g = rng.sample(LONG_FUNCTIONS, 2)
        lines.append(f"{a}x^{n} + {f}({b}x) * {g}(x^2 + {a}) - {i}x")
    return lines


def _tree(pid: int) -> list[int]:
    found = [pid]
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            for child in children.read().split():
                found += _tree(int(child))
    except OSError:
        pass
    return found


def _rss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def long_batch(count: int, memory_mb: int | None, path: str, worker: str = "") -> dict:
    """One `deriv diff @file` of `count` lines: the peak RSS of its process tree (sampled every
    0.2 s), the seconds per 1000 lines over the first and the last 1000, the failed lines."""
    import os
    import threading

    with open(path, "w") as out:
        out.write("\n".join(long_lines(count)) + "\n")
    env = {**os.environ, **({"DERIV_MEMORY_MB": str(memory_mb)} if memory_mb else {})}
    env.pop("DERIV_PROGRESS", None)
    if worker:
        env["DERIV_WORKER"] = worker
    start = time.perf_counter()
    proc = subprocess.Popen(
        [*DERIV, "diff", f"@{path}", "--format", "expr"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    stamps: list[float] = []
    errors: list[bytes] = []
    readers = [
        threading.Thread(target=lambda: [stamps.append(time.perf_counter()) for _ in proc.stdout]),
        threading.Thread(target=lambda: errors.extend(proc.stderr)),
    ]
    for reader in readers:
        reader.start()
    peak = 0
    while proc.poll() is None:
        peak = max(peak, sum(_rss_kib(p) for p in _tree(proc.pid)))
        time.sleep(0.2)
    for reader in readers:
        reader.join()
    total = time.perf_counter() - start
    window = min(1000, len(stamps) // 2)
    first = stamps[window - 1] - start if window else float("nan")
    last = stamps[-1] - stamps[-window - 1] if window else float("nan")
    failed = sum(1 for e in errors if e.startswith(b"error: line"))
    return {
        "lines": count,
        "memory_mb": memory_mb,
        "exit": proc.returncode,
        "seconds": total,
        "first_per_1000_s": first * 1000 / window if window else None,
        "last_per_1000_s": last * 1000 / window if window else None,
        "peak_tree_rss_mib": peak / 1024,
        "failed_lines": failed,
        "output_lines": len(stamps),
    }


def long_main(counts: list[int], memories: list[int | None], worker: str = "") -> None:
    import tempfile

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for memory in memories:
            for count in counts:
                results.append(long_batch(count, memory, f"{folder}/lines.txt", worker))
                print(results[-1], flush=True)
    rows = [["lines", "budget", "s per 1000, first", "last", "last/first", "peak RSS", "failed"]]
    for r in results:
        rows.append(
            [
                f"{r['lines']}",
                f"{r['memory_mb'] or 2048} MiB",
                f"{r['first_per_1000_s']:.1f} s",
                f"{r['last_per_1000_s']:.1f} s",
                f"{r['last_per_1000_s'] / r['first_per_1000_s']:.2f}x",
                f"{r['peak_tree_rss_mib']:.0f} MiB",
                f"{r['failed_lines']}",
            ]
        )
    print(table(rows))
    name = "long_batch_" + "_".join(f"{c}at{m or 2048}" for m in memories for c in counts)
    name += f"_{worker}" if worker else ""
    print("wrote", save(name, {"worker": worker or "default", "results": results}))


if __name__ == "__main__":
    t0 = time.time()
    main()
