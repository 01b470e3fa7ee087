"""What part of a sampled curve to show, shared by the image and the terminal renderers."""

from __future__ import annotations

import numpy as np

POLE_SPREAD = 10  # the full range this many times the bulk's: a pole, so fit the bulk


def limits(values: np.ndarray) -> tuple[float, float]:
    """Axis limits: the curve's range with a margin (see shown_range)."""
    low, high, _ = shown_range(values)
    margin = (high - low) * 0.08 or 1.0
    return low - margin, high + margin


def shown_range(values: np.ndarray) -> tuple[float, float, bool]:
    """The range to show: all of it, unless a pole (1/x, tan x) would flatten the rest; then
    the bulk of the values. The flag says whether values were left outside."""
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return -1.0, 1.0, False
    low, high = float(finite.min()), float(finite.max())
    bulk_low, bulk_high = (float(v) for v in np.percentile(finite, [2, 98]))
    if high - low <= POLE_SPREAD * (bulk_high - bulk_low):
        return low, high, False
    q1, q3 = (float(v) for v in np.percentile(finite, [25, 75]))
    return max(low, q1 - 3 * (q3 - q1)), min(high, q3 + 3 * (q3 - q1)), True


def broken(values: np.ndarray) -> np.ndarray:
    """NaN where the curve jumps across a pole, so no vertical line joins the two sides."""
    jumps = np.abs(np.diff(values))
    finite = values[np.isfinite(values)]
    if finite.size < 2:
        return values
    scale = np.percentile(np.abs(finite), 98) + 1e-12
    broken = values.copy()
    steep = np.where(jumps > 10 * scale)[0]
    broken[steep] = np.nan
    return broken
