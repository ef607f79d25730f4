"""Which figures need their owning agency's narrative ("what lies behind it"): a figure that is
red or amber, or that moved the wrong way for two periods in a row (docs/kpi.md).

`breaches_without_narrative` is what the chair's digest lists: each measure's latest figure
that needs a narrative and has none yet, in the viewer's sight only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from commands.kpi import rag
from commands.kpi.measures import Measure, visible
from store import kpi as kpi_store
from store.models import Board, KpiFigure
from store.visibility import Viewer

WORSE_TWICE = "worse twice"


def reason(measure: Measure, figure: KpiFigure, history: Sequence[KpiFigure]) -> str | None:
    """Why this figure needs a narrative ("red", "amber", "worse twice"), or None. `history`
    is the measure's figures (any order); the two periods before this one must both be there
    for "worse twice"."""
    colour = rag.rag(measure.entry, figure.value)
    if colour != "green":
        return colour
    by_period = {f.period: f.value for f in history}
    p = measure.period_of(figure.period)
    before = p.previous()
    values = [by_period.get(before.previous().key), by_period.get(before.key), figure.value]
    return WORSE_TWICE if rag.worse_twice(measure.entry, values) else None


@dataclass(frozen=True)
class Breach:
    """A measure's latest figure that needs a narrative and has none."""

    measure_id: str
    measure: str  # its name
    priority: str
    agency: str
    agency_id: int
    figure_id: int
    period: str  # as people write it: "Dec 2026", "Q3 2026-27"
    value: float
    unit: str
    rag: rag.Rag
    reason: str  # red | amber | worse twice
    asked_at: datetime | None  # when its lead was asked (None: not yet)

    @property
    def shown(self) -> str:
        """ "Re-referrals within 12 months (Surrey Police), Dec 2026: 26% — RED, no narrative"."""
        why = (
            self.rag.upper()
            if self.reason != WORSE_TWICE
            else f"{self.rag.upper()}, worse two periods running"
        )
        return (
            f"{self.measure} ({self.agency}), {self.period}: {rag.with_unit(self.value, self.unit)} — "
            f"{why}, no narrative"
        )


def breaches_without_narrative(session: Session, board: Board, viewer: Viewer) -> list[Breach]:
    """Each visible measure's latest figure that is red, amber or worse twice running and has
    no narrative yet, in the board file's order of measures."""
    found = visible(session, board, viewer)
    by_measure: dict[str, list[KpiFigure]] = {}
    for f in kpi_store.figures(session, viewer, [m.id for m in found]):
        by_measure.setdefault(f.measure_id, []).append(f)
    out: list[Breach] = []
    for m in found:
        history = by_measure.get(m.id)
        if not history:
            continue
        latest = history[-1]  # ordered by period
        why = reason(m, latest, history)
        if why is None or (latest.narrative is not None and latest.narrative.text):
            continue
        out.append(
            Breach(
                measure_id=m.id,
                measure=m.name,
                priority=m.entry.priority,
                agency=m.agency.name,
                agency_id=m.agency.id,
                figure_id=latest.id,
                period=m.period_of(latest.period).label,
                value=latest.value,
                unit=m.entry.unit,
                rag=rag.rag(m.entry, latest.value),
                reason=why,
                asked_at=latest.narrative.asked_at if latest.narrative else None,
            )
        )
    return out
