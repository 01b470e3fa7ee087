"""deriv plot against the same figure drawn by a bare matplotlib script, paired, in one run.

The baseline samples f and f' with numpy (the derivative typed in by hand) and saves the same
kind of figure with matplotlib's object API: what any plot of f and f' costs. The ratio is what
deriv adds: start-up, parsing, the symbolic derivative, the sampling walk and the worker.
Run: .venv/bin/python benchmarks/plot.py [--pairs N]
"""

from __future__ import annotations

import os
import sys
import tempfile

from common import DERIV, PYTHON, paired_ratio, peak_rss_mib, save, table

OUT = os.path.join(tempfile.gettempdir(), "deriv-bench-plot")
BARE_1D = f"""
import numpy as np
from matplotlib.figure import Figure
x = np.linspace(-2, 4, 801)
fig = Figure(figsize=(8, 5), dpi=100, layout="constrained")
ax = fig.add_subplot()
ax.plot(x, 6 * x**2); ax.plot(x, 12 * x); ax.plot(x, 6 + 12 * (x - 1), "--")
ax.plot([1], [6], "o"); ax.legend(["f", "f'", "tangent"]); fig.suptitle("$f(x) = 6x^2$")
fig.savefig("{OUT}-bare.png", dpi=100)
"""
BARE_2D = f"""
import numpy as np
from matplotlib.figure import Figure
g = np.linspace(-3, 3, 81); X, Y = np.meshgrid(g, g); Z = -0.5 * X + 0.25 * Y**2
a = np.linspace(-3, 3, 15); AX, AY = np.meshgrid(a, a)
fig = Figure(figsize=(12, 9), dpi=100, layout="constrained")
fig.add_subplot(2, 2, 1, projection="3d").plot_surface(X, Y, Z, cmap="viridis")
c = fig.add_subplot(2, 2, 2); fill = c.contourf(X, Y, Z, levels=20); fig.colorbar(fill, ax=c)
c.quiver(AX, AY, -0.5 + 0 * AX, 0.5 * AY)
t = np.linspace(-3, 3, 801)
s = fig.add_subplot(2, 2, 3); s.plot(t, -0.5 * t + 1); s.plot(t, -0.5 + 0 * t)
s = fig.add_subplot(2, 2, 4); s.plot(t, -0.5 + 0.25 * t**2); s.plot(t, 0.5 * t)
fig.suptitle("$f(x, y) = -0.5x + 0.25y^2$")
fig.savefig("{OUT}-bare2.png", dpi=100)
"""
CASES = [
    (
        'deriv plot "6x^2" --at x=1',
        [*DERIV, "plot", "6x^2", "--at", "x=1", "--out", f"{OUT}-1.png"],
        [PYTHON, "-c", BARE_1D],
    ),
    (
        'deriv plot "-0.5x + 0.25y^2"',
        [*DERIV, "plot", "-0.5x + 0.25y^2", "--out", f"{OUT}-2.png"],
        [PYTHON, "-c", BARE_2D],
    ),
]


def main() -> None:
    pairs = int(sys.argv[sys.argv.index("--pairs") + 1]) if "--pairs" in sys.argv else 7
    rows = [["command", "median s", "bare matplotlib s", "ratio", "peak RSS MiB"]]
    results = []
    for name, command, baseline in CASES:
        measured = paired_ratio(command, baseline, pairs)
        rss = peak_rss_mib(command)
        results.append({"command": name, "peak_rss_mib": rss, **measured})
        rows.append(
            [
                name,
                f"{measured['median_s']:.2f}",
                f"{measured['baseline_median_s']:.2f}",
                f"{measured['ratio']:.2f}x",
                f"{rss:.0f}",
            ]
        )
    print(table(rows))
    print("wrote", save("plot", {"results": results}))


if __name__ == "__main__":
    main()
