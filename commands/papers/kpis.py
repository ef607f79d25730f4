"""The performance measures section of the Board papers: each measure's figures in the period,
its latest RAG and trend, its movement over the period, and the narratives its owners gave
("what lies behind it"). The figures are few (measures × periods), read once through the viewer."""

from __future__ import annotations

from dataclasses import dataclass

from commands.context import Scope
from commands.kpi import measures as measure_mod
from commands.kpi import periods
from commands.kpi.measures import Measure
from commands.kpi.rag import arrow, rag, trend, with_unit
from commands.meetings import clip
from commands.papers.model import Bullets, Chart, Section, Table
from commands.papers.period import Period
from store import kpi as kpi_store
from store.models import KpiFigure
from store.visibility import Viewer

CHARTS_SHOWN = 4  # trend charts for the measures needing attention first; every one is in the table


@dataclass
class Series:
    measure: Measure
    figures: list[KpiFigure]  # in the period, oldest first

    @property
    def latest(self) -> KpiFigure | None:
        return self.figures[-1] if self.figures else None


def _series(scope: Scope, viewer: Viewer, period: Period) -> list[Series]:
    found = measure_mod.visible(scope.session, scope.board, viewer)
    by_measure: dict[str, list[KpiFigure]] = {}
    for f in kpi_store.figures(scope.session, viewer, [m.id for m in found]):
        by_measure.setdefault(f.measure_id, []).append(f)
    out = []
    for m in found:
        inside = []
        for f in by_measure.get(m.id, []):
            try:
                p = periods.from_key(f.period, m.entry.frequency)
            except ValueError:
                continue
            if period.first_day <= p.first_day <= period.last_day:
                inside.append(f)
        out.append(Series(m, inside))
    return out


def _label(m: Measure, f: KpiFigure) -> str:
    try:
        return periods.from_key(f.period, m.entry.frequency).label
    except ValueError:
        return f.period


def _movement(s: Series) -> str:
    if len(s.figures) < 2:
        return "—"
    first, last = s.figures[0], s.figures[-1]
    how = trend(s.measure.entry, first.value, last.value)
    unit = s.measure.entry.unit
    return f"{with_unit(first.value, unit)} → {with_unit(last.value, unit)} ({how})"


def _urgency(s: Series) -> tuple[int, str]:
    latest = s.latest
    if latest is None:
        return (3, s.measure.name)
    return ({"red": 0, "amber": 1, "green": 2}[rag(s.measure.entry, latest.value)], s.measure.name)


def section(scope: Scope, viewer: Viewer, period: Period, *, charts: bool) -> Section:
    """A table of every measure; with `charts`, a trend chart for each of the most pressing
    measures (red first) with the thresholds marked and the figures said in words."""
    sec = Section("Performance measures")
    found = sorted(_series(scope, viewer, period), key=_urgency)
    if not found:
        sec.blocks.append(
            "The board file names no performance measures (measures:), so there is nothing to show."
        )
        return sec
    rows = []
    for s in found:
        latest, m = s.latest, s.measure
        if latest is None:
            rows.append([m.name, m.agency.name, m.entry.priority, "—", "—", "—", "—", "—"])
            continue
        before = s.figures[-2].value if len(s.figures) > 1 else None
        story = latest.narrative.text if latest.narrative is not None else None
        rows.append(
            [
                m.name,
                m.agency.name,
                m.entry.priority,
                f"{with_unit(latest.value, m.entry.unit)} ({_label(m, latest)})",
                rag(m.entry, latest.value).upper(),
                arrow(m.entry, before, latest.value) or "—",
                _movement(s),
                "given" if story else ("asked" if latest.narrative is not None else "—"),
            ]
        )
    sec.blocks.append(
        f"{len(found)} measures; {sum(r[4] == 'RED' for r in rows)} red and "
        f"{sum(r[4] == 'AMBER' for r in rows)} amber at their latest figure "
        "(source: /kpi and /kpi <measure>)."
    )
    sec.blocks.append(
        Table(
            ["Measure", "Agency", "Priority", "Latest", "RAG", "Trend", "Over the period", "Narrative"],
            rows,
            caption="Performance measures, red first",
            source="source: /kpi",
        )
    )
    stories = [
        f"{s.measure.name}, {_label(s.measure, f)}: {with_unit(f.value, s.measure.entry.unit)} — "
        f"{clip(f.narrative.text or '', 400)}"
        for s in found
        for f in s.figures
        if f.narrative is not None and f.narrative.text
    ]
    sec.blocks.append("Narratives from the owning agencies (what lies behind the figure):")
    sec.blocks.append(Bullets(stories) if stories else "None was given in the period.")
    if charts:
        for s in [s for s in found if len(s.figures) > 1][:CHARTS_SHOWN]:
            sec.blocks.append(_chart(s))
    return sec


def _chart(s: Series) -> Chart:
    m, unit = s.measure, s.measure.entry.unit
    words = ", ".join(f"{_label(m, f)} {with_unit(f.value, unit)}" for f in s.figures)
    return Chart(
        kind="lines",
        title=f"{m.name} ({m.agency.name})",
        categories=[_label(m, f) for f in s.figures],
        series=[("Figure", [f.value for f in s.figures])],  # the title names the measure
        unit=unit,
        marks=[("Amber", m.entry.amber), ("Red", m.entry.red)],
        alt_text=f"Line chart of {m.name}, {m.entry.polarity} is better, amber at {m.entry.amber:g}, "
        f"red at {m.entry.red:g}: {words}.",
    )
