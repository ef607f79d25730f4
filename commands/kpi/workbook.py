"""Figures read from workbooks in the SharePoint library (a measure's `source: {workbook, sheet,
cell, period_cell?}`, docs/kpi.md): which cells the sync must read, and what their values do.

The sync (integrations/sharepoint) asks `cells_to_read` for the items it just stored, reads
those cells with openpyxl and hands back what it found (`apply`), through the DocumentLibrary
port (commands/document_library.py), never touching the store itself.

Which period a cell fills is explicit: the period written in `period_cell` (text such as
"Q3 2026-27" or "Dec 2026", or a date inside the period) when the measure names one, else the
latest period of the measure's frequency to have ended on the day the workbook was last
changed (a workbook saved on 9 January fills December, or Q3 for a quarterly measure).

A cell that cannot be read (no such sheet, empty, not a number, a period that is not one) is
told to the QA officer once per workbook version and shown by `qabot doctor` until a read of
it succeeds.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime

from commands import posting
from commands.context import Scope
from commands.dates import local_date
from commands.kpi import asks, breaches, periods
from commands.kpi.measures import Measure, all_measures
from commands.kpi.periods import Period, PeriodError
from commands.types import Reply
from store import kpi as kpi_store
from store import state
from store.models import KpiFigure
from store.visibility import BOARD

CellRef = tuple[str, str]  # (sheet, cell), as the board file names them


@dataclass(frozen=True)
class CellReading:
    """What one cell held (a number, text, a date), or why it could not be read."""

    value: object = None
    problem: str | None = None


@dataclass(frozen=True)
class WorkbookAsk:
    """A stored workbook some measure reads, and the cells to read in it."""

    item_id: str
    path: str
    modified_at: datetime | None
    cells: tuple[CellRef, ...]


class Unreadable(ValueError):
    """A measure's cell held nothing usable; the message says what, for the QA officer."""


def norm_path(path: str) -> str:
    return "/".join(p for p in path.strip().replace("\\", "/").split("/") if p).lower()


def _by_workbook(scope: Scope) -> dict[str, list[Measure]]:
    found: dict[str, list[Measure]] = {}
    for m in all_measures(scope.session, scope.board):
        if m.entry.source != "chat":
            found.setdefault(norm_path(m.entry.source.workbook), []).append(m)
    return found


def cells_to_read(scope: Scope, item_ids: list[str]) -> list[WorkbookAsk]:
    """The measures' workbooks among these stored items, with the cells each must be read for."""
    wanted = _by_workbook(scope)
    if not wanted:
        return []
    out: list[WorkbookAsk] = []
    for doc in kpi_store.documents(scope.session, item_ids):
        readers = wanted.get(norm_path(doc.path))
        if not readers or doc.deleted or doc.is_folder:
            continue
        cells: list[CellRef] = []
        for m in readers:
            src = m.entry.source
            assert src != "chat"
            cells += [(src.sheet, src.cell)] + ([(src.sheet, src.period_cell)] if src.period_cell else [])
        out.append(WorkbookAsk(doc.drive_item_id, doc.path, doc.modified_at, tuple(dict.fromkeys(cells))))
    return out


def problem_key(measure_id: str) -> str:
    return f"{kpi_store.WORKBOOK_PROBLEM}{measure_id}"


def _value(reading: CellReading | None, where: str) -> float:
    if reading is None or reading.problem:
        raise Unreadable(f"{where}: {reading.problem if reading else 'it was not read'}")
    v = reading.value
    if isinstance(v, bool) or v is None or (isinstance(v, str) and not v.strip()):
        raise Unreadable(f"{where} is empty" if v is None or isinstance(v, str) else f"{where} holds {v}")
    if isinstance(v, int | float):
        return float(v)
    text = str(v).strip().rstrip("%").replace(",", "").strip()
    try:
        return float(text)
    except ValueError:
        # What the cell says is not repeated: a workbook's text is nobody's to post unguarded.
        raise Unreadable(f"{where} holds text, not a number") from None


def _period(m: Measure, reading: CellReading | None, where: str, changed: date) -> Period:
    if reading is None:  # no period cell: the latest period to have ended when it changed
        return periods.latest_ended(changed, m.entry.frequency)
    if reading.problem:
        raise Unreadable(f"{where}: {reading.problem}")
    v = reading.value
    if isinstance(v, datetime):
        return periods.containing(v.date(), m.entry.frequency)
    if isinstance(v, date):
        return periods.containing(v, m.entry.frequency)
    if isinstance(v, str) and v.strip():
        with suppress(PeriodError):  # what it says instead is not repeated (see _value)
            return m.period(v)
    frequency = m.entry.frequency
    raise Unreadable(f"{where} holds no {frequency} period (write e.g. {periods.EXAMPLES[frequency]})")


def apply(scope: Scope, ask: WorkbookAsk, readings: Mapping[CellRef, CellReading]) -> int:
    """Each measure's figure from what the workbook's cells held; how many posts were queued."""
    before = scope.queued
    for m in _by_workbook(scope).get(norm_path(ask.path), []):
        src = m.entry.source
        assert src != "chat"
        changed = local_date(ask.modified_at or scope.now, scope.tz)
        try:
            value = _value(readings.get((src.sheet, src.cell)), f"sheet {src.sheet}, cell {src.cell}")
            where = f"sheet {src.sheet}, cell {src.period_cell}"
            period = _period(
                m, readings.get((src.sheet, src.period_cell)) if src.period_cell else None, where, changed
            )
        except Unreadable as e:
            _unreadable(scope, m, ask, str(e))
            continue
        state.put(scope.session, problem_key(m.id), None, scope.now)
        _store(scope, m, period, value, ask.path)
    return scope.queued - before


def _store(scope: Scope, m: Measure, period: Period, value: float, path: str) -> None:
    figure = kpi_store.figure(scope.session, m.id, period.key, BOARD)
    if figure is not None and figure.value == value:
        return  # the workbook changed elsewhere: this figure is as it was
    if figure is not None:
        before = {"value": figure.value, "source": figure.source}
        figure.value, figure.source, figure.entered_by_id, figure.entered_at = (
            value,
            "workbook",
            None,
            scope.now,
        )
        scope.audit(
            "kpi_figure", figure.id, "corrected", before, {"value": value, "source": "workbook", "from": path}
        )
    else:
        figure = KpiFigure(
            measure_id=m.id,
            period=period.key,
            agency_id=m.agency.id,
            value=value,
            source="workbook",
            entered_at=scope.now,
        )
        scope.session.add(figure)
        scope.session.flush()
        scope.audit(
            "kpi_figure", figure.id, "entered", None, {"value": value, "period": period.key, "from": path}
        )
    why = breaches.reason(m, figure, kpi_store.history(scope.session, m.id, BOARD))
    if why is not None:
        asks.ask(scope, m, figure, why)


def _unreadable(scope: Scope, m: Measure, ask: WorkbookAsk, problem: str) -> None:
    state.put(scope.session, problem_key(m.id), f"{ask.path}, {problem}", scope.now)
    version = ask.modified_at.isoformat() if ask.modified_at else "unknown"
    reply = Reply(
        title=f"A figure could not be read from a workbook: {m.name}",
        lines=[
            f"{m.name} ({m.agency.name}) is read from {ask.path}, {problem}.",
            "Nothing was recorded. Correct the workbook (it is read again when it changes in SharePoint), "
            f"or enter the figure with /kpi set {m.id} <period> <value>.",
        ],
        visibility="channel",
        data={"measure": m.id, "problem": problem},
    )
    key = f"kpi:workbook:{m.id}:{ask.item_id}:{version}"
    posting.to_channel(scope, "qa", key=key, kind="kpi_workbook", reply=reply)
