"""Pretty and plain layout of the n-th derivative for a symbolic order."""

from __future__ import annotations

from ...results import NthDerivative
from ..mathtext import as_math
from ..notation import nth_label
from ..settings import Settings
from .lines import Line, Segment, function_line, layout


def checked_text(result: NthDerivative) -> str:
    first, last = result.checked[0], result.checked[-1]
    n = result.order.name
    return f"(for every integer {n} ≥ 1; checked against {n} = {first}, …, {last})"


@layout.register
def _(result: NthDerivative, settings: Settings) -> list[Line]:
    label = nth_label(
        result.function.name,
        result.variable.name,
        result.order.name,
        settings.notation,
        settings.style,
    )
    remark = checked_text(result)
    if not settings.unicode:
        remark = remark.replace("≥", ">=").replace("…", "...")
    return [
        function_line(result.function, settings),
        (
            Segment(label, "label"),
            Segment(" = "),
            Segment(as_math(result.result, settings.unicode), "math"),
        ),
        (Segment(remark, "remark"),),
    ]
