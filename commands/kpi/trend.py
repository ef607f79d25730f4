"""A measure's trend as neutral data: the figures of its recent periods with their RAG, its
thresholds, and the same facts as sentences (the chart's text alternative, which is also the
reply people and screen readers read). Drawn by the chart writer the wiring hands the core
(`scope.services.chart_writer`: integrations/reports/kpi_chart.py, matplotlib Agg)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from commands import scratch
from commands.kpi import rag
from commands.kpi.asks import thresholds
from commands.kpi.measures import Measure
from store.models import KpiFigure

SHOWN = {"monthly": 13, "quarterly": 8}  # a year and a month; two years of quarters


@dataclass(frozen=True)
class TrendPoint:
    period: str  # "Dec 2026"
    value: float
    rag: str  # red | amber | green


@dataclass(frozen=True)
class TrendChart:
    title: str
    unit: str
    polarity: str  # higher | lower: which way is better
    amber: float
    red: float
    points: list[TrendPoint] = field(default_factory=list)
    alt_text: str = ""


def recent(m: Measure, history: list[KpiFigure]) -> list[KpiFigure]:
    """The measure's last periods' figures (a year and a month, or two years of quarters)."""
    return history[-SHOWN[m.entry.frequency] :]


def lines(m: Measure, figures: list[KpiFigure]) -> list[str]:
    """Each period's figure, RAG in words, the move from the period before and its narrative."""
    out: list[str] = []
    before: float | None = None
    for f in figures:
        label = m.period_of(f.period).label
        move = rag.arrow(m.entry, before, f.value)
        line = f"{label}: {rag.with_unit(f.value, m.entry.unit)} — {rag.rag(m.entry, f.value).upper()}"
        out.append(line + (f", {move}" if move else ""))
        if f.narrative is not None and f.narrative.text:
            out.append(f"    narrative: “{f.narrative.text}”")
        if f.note:
            out.append(f"    note: {f.note}")
        before = f.value
    return out


def chart(m: Measure, figures: list[KpiFigure]) -> TrendChart:
    e = m.entry
    points = [TrendPoint(m.period_of(f.period).label, f.value, rag.rag(e, f.value)) for f in figures]
    span = f"{points[0].period} to {points[-1].period}" if points else "no periods"
    alt = (
        f"Line chart of {e.name} ({m.agency.name}), {span}: "
        + "; ".join(f"{p.period} {rag.with_unit(p.value, e.unit)} {p.rag}" for p in points)
        + f". Thresholds: {thresholds(m)}."
    )
    return TrendChart(
        title=f"{e.name} ({m.agency.name})",
        unit=e.unit,
        polarity=e.polarity,
        amber=e.amber,
        red=e.red,
        points=points,
        alt_text=alt,
    )


def chart_path(m: Measure) -> Path:
    d = scratch.private_dir("charts")
    scratch.sweep(d)
    return d / f"kpi-{m.id}-{uuid.uuid4().hex[:6]}.png"
