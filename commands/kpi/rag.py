"""A figure's RAG and its trend, by the measure's polarity (docs/kpi.md).

RAG exactly as the issue states: when lower is better a value at or above `red` is red, at or
above `amber` amber; when higher is better a value at or below `red` is red, at or below
`amber` amber; anything else green. The trend compares a figure with the period before it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from commands.board_measures import MeasureEntry

Rag = Literal["red", "amber", "green"]
Trend = Literal["better", "worse", "same"]
ARROWS = {"up": "↑", "down": "↓", "same": "→"}


def rag(measure: MeasureEntry, value: float) -> Rag:
    if measure.polarity == "lower":
        if value >= measure.red:
            return "red"
        return "amber" if value >= measure.amber else "green"
    if value <= measure.red:
        return "red"
    return "amber" if value <= measure.amber else "green"


def trend(measure: MeasureEntry, before: float, now: float) -> Trend:
    if now == before:
        return "same"
    up = now > before
    return "better" if up == (measure.polarity == "higher") else "worse"


def arrow(measure: MeasureEntry, before: float | None, now: float) -> str:
    """ "↑ worse", "↓ better", "→ same", or "" without a figure before."""
    if before is None:
        return ""
    which = trend(measure, before, now)
    direction = "same" if which == "same" else ("up" if now > before else "down")
    return f"{ARROWS[direction]} {which}"


def worse_twice(measure: MeasureEntry, values: Sequence[float | None]) -> bool:
    """The last of three consecutive periods' values (oldest first; None: no figure) moved the
    wrong way twice in a row."""
    if len(values) < 3:
        return False
    a, b, c = values[-3:]
    if a is None or b is None or c is None:
        return False
    return trend(measure, a, b) == "worse" and trend(measure, b, c) == "worse"


def number(value: float) -> str:
    """A figure as people write it: 22.5, 23, 1,204."""
    return f"{value:,.2f}".rstrip("0").rstrip(".") if value != int(value) else f"{int(value):,}"


def with_unit(value: float, unit: str) -> str:
    if not unit:
        return number(value)
    return f"{number(value)}{unit}" if unit == "%" else f"{number(value)} {unit}"
