"""The warm server (issue 18): a call through a running server against the bare SymPy one-liner,
maxima and qalc (where installed), `python -S -c pass` and deriv without the server, as paired
ratios in one run; a shell loop of 200 different expressions with and without the server and as
one batch; 8 parallel clients x 50 calls; the idle server's memory.

Goals: <= 0.15x the SymPy one-liner, faster than maxima and qalc, <= 3x `python -S -c pass`.
Run: .venv/bin/python benchmarks/server.py [--pairs N]
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from common import DERIV, PYTHON, paired_ratio, run_seconds, save, table
from startup import SYMPY_DIFF

DIFF = [*DERIV, "diff", "6*x^2", "--format", "plain"]
NO_SERVER = {"DERIV_NO_SERVER": "1"}


def server_pid(env: dict) -> int:
    import json

    out = subprocess.run(
        [*DERIV, "server", "status", "--json"], capture_output=True, text=True, env=env
    ).stdout
    return json.loads(out)["pid"]


def rss_mib(pid: int) -> tuple[float, float]:
    """(now, peak) resident size of a process, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def loop_seconds(lines: list[str], env: dict) -> float:
    """One `deriv diff LINE` per line, one after the other, as a shell loop would."""
    start = time.perf_counter()
    for line in lines:
        subprocess.run(
            [*DERIV, "diff", line, "--format", "expr"],
            capture_output=True,
            env={**os.environ, **env},
        )
    return time.perf_counter() - start


def concurrent(env: dict, clients: int = 8, calls: int = 50) -> dict:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def client(k: int) -> None:
        for i in range(calls):
            coefficient = k * 1000 + i + 1
            start = time.perf_counter()
            ran = subprocess.run(
                [*DERIV, "diff", f"{coefficient}x^2", "--format", "expr"],
                capture_output=True,
                text=True,
                env={**os.environ, **env},
            )
            took = time.perf_counter() - start
            with lock:
                latencies.append(took)
                if ran.returncode != 0 or ran.stdout != f"{2 * coefficient}*x\n":
                    failures.append(ran.stdout + ran.stderr)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "clients": clients,
        "calls": calls,
        "failures": len(failures),
        "wall_s": wall,
        "median_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * len(latencies)) - 1] * 1000,
        "max_ms": latencies[-1] * 1000,
    }


def main() -> None:
    pairs = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 15
    runtime = tempfile.mkdtemp(prefix="deriv-bench-")
    os.chmod(runtime, 0o700)
    env = {"XDG_RUNTIME_DIR": runtime}
    environment = {**os.environ, **env}
    subprocess.run([*DERIV, "server", "start"], check=True, env=environment)
    os.environ.update(env)  # every run below goes through the server unless told otherwise
    try:
        pid = server_pid(environment)
        idle_rss = rss_mib(pid)
        cases = [
            ("the bare SymPy one-liner", [PYTHON, "-c", SYMPY_DIFF], 0.15),
            ("deriv without the server", DIFF, None),
            ("python -S -c pass", [PYTHON, "-S", "-c", "pass"], 3.0),
        ]
        if shutil.which("maxima"):
            batch_string = "--batch-string=diff(6*x^2,x);"
            cases.append(("maxima", ["maxima", "--very-quiet", batch_string], 1.0))
        if shutil.which("qalc"):
            cases.append(("qalc", ["qalc", "-t", "diff(6*x^2, x)"], 1.0))
        rows = [["through the server", "median s", "baseline", "baseline s", "ratio", "goal"]]
        results = []
        for name, baseline, goal in cases:
            no_server = name == "deriv without the server"
            if no_server:  # the baseline is deriv itself, bypassing the server
                baseline = ["env", "DERIV_NO_SERVER=1", *DIFF]
            measured = paired_ratio(DIFF, baseline, pairs)
            results.append({"baseline": name, "goal": goal, **measured})
            rows.append(
                [
                    'deriv diff "6*x^2"',
                    f"{measured['median_s']:.3f}",
                    name,
                    f"{measured['baseline_median_s']:.3f}",
                    f"{measured['ratio']:.2f}x",
                    f"<= {goal}x" if goal else "",
                ]
            )
        version = paired_ratio([*DERIV, "--version"], [PYTHON, "-S", "-c", "pass"], pairs)
        rows.append(
            [
                "deriv --version",
                f"{version['median_s']:.3f}",
                "python -S -c pass",
                f"{version['baseline_median_s']:.3f}",
                f"{version['ratio']:.2f}x",
                "",
            ]
        )
        print(table(rows))

        lines = [f"{k}x^{k % 5 + 2} + sin({k}x)" for k in range(1, 201)]
        through = loop_seconds(lines, {})
        without = loop_seconds(lines, NO_SERVER)
        batch = run_seconds(
            [*DERIV, "diff", "-", "--format", "expr"], "\n".join(lines) + "\n", NO_SERVER
        )
        print(
            table(
                [
                    ["200 expressions", "seconds", "per expression ms"],
                    ["a shell loop, through the server", f"{through:.2f}", f"{through * 5:.0f}"],
                    ["a shell loop, without it", f"{without:.2f}", f"{without * 5:.0f}"],
                    ["one batch call (deriv diff -)", f"{batch:.2f}", f"{batch * 5:.0f}"],
                ]
            )
        )
        parallel = concurrent({})
        print(
            f"8 clients x 50 calls: {parallel['failures']} failed, {parallel['wall_s']:.1f} s, "
            f"latency median {parallel['median_ms']:.0f} ms, p95 {parallel['p95_ms']:.0f} ms, "
            f"max {parallel['max_ms']:.0f} ms"
        )
        after = rss_mib(pid)
        print(
            f"server RSS: {idle_rss[0]:.1f} MiB idle after start, {after[0]:.1f} MiB after "
            f"{parallel['clients'] * parallel['calls'] + 400 + 2 * pairs * len(cases)} calls "
            f"(peak {after[1]:.1f} MiB)"
        )
        data = {
            "pairs": pairs,
            "single_call": results,
            "version_call": version,
            "loop_200": {"through_server_s": through, "without_s": without, "batch_s": batch},
            "concurrent": parallel,
            "server_rss_mib": {"idle": idle_rss[0], "after": after[0], "peak": after[1]},
        }
        print("wrote", save("server", data))
    finally:
        subprocess.run([*DERIV, "server", "stop"], env=environment, capture_output=True)
        shutil.rmtree(runtime, ignore_errors=True)


if __name__ == "__main__":
    main()
