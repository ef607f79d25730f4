"""Figures read from a workbook in SharePoint, through the sync as it runs (a fake Graph on
loopback): the measure's cell fills the latest period ended when the workbook changed, or the
period its `period_cell` names; a changed workbook is read again (a correction audited); a cell
that cannot be read is told to the QA officer and shown by `qabot doctor`."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli_doctor import OK, WARN, kpi_workbook_checks
from commands.clock import FixedClock
from integrations.sharepoint.client import GraphOptions, RetryPolicy
from integrations.sharepoint.sync import SyncReport
from store.db import transaction
from store.models import AuditEvent, Board, KpiFigure, KpiNarrative, OutboxMessage
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import SITE, document_sync, make_settings

PATH = "Performance/Scorecard 2027.xlsx"


def workbook(c4: object, *, c2: object = None, percent: bool = False, sheet: str = "Police") -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = sheet
    ws["B4"], ws["C4"], ws["C2"] = "Return interviews", c4, c2
    if percent:
        ws["C4"].number_format = "0%"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph(site_path=SITE, page_size=3) as g:
        yield g


@pytest.fixture
def sync(
    db_url: str, board: sessionmaker[Session], clock: FixedClock, graph: FakeGraph
) -> Callable[[], SyncReport]:
    settings = make_settings(graph, db_url)
    options = GraphOptions(retry=RetryPolicy(max_retries=1, sleep_factor=0.0))
    return lambda: document_sync(settings, board, clock, ("console",), options).run()


def _figures(board: sessionmaker[Session]) -> list[tuple[str, str, float, str]]:
    with board() as db:
        rows = db.scalars(select(KpiFigure).order_by(KpiFigure.period))
        return [(f.measure_id, f.period, f.value, f.source) for f in rows]


def _posts(board: sessionmaker[Session], kind: str) -> list[OutboxMessage]:
    with board() as db:
        return list(db.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


def _period_cell(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        row = s.get(Board, 1)
        assert row is not None
        measures = [dict(m) for m in row.config["measures"]]
        measures[1]["source"] = {**measures[1]["source"], "period_cell": "C2"}
        row.config = {**row.config, "measures": measures}


def test_the_cell_fills_the_latest_period_ended_when_the_workbook_changed(
    graph: FakeGraph, sync: Callable[[], SyncReport], board: sessionmaker[Session]
) -> None:
    item = graph.add_file(PATH, workbook(0.68, percent=True))  # 68% as Excel keeps it
    graph.items[item].modified = datetime(2027, 1, 9, 12, 0, tzinfo=UTC)
    assert sync().ok
    assert _figures(board) == [("return-interviews", "2026-27-Q3", 68.0, "workbook")]
    with board() as db:
        assert db.scalars(select(KpiNarrative)).one().reason == "red"  # 68% is at or below red (70%)
    (asked,) = _posts(board, "kpi_ask")
    assert asked.channel == "#Surrey Police" and "Q3 2026-27 is 68%: RED" in asked.payload["lines"][0]
    assert sync().ok and len(_figures(board)) == 1  # nothing new: nothing read again
    assert kpi_workbook_checks(board)[0].status == OK


def test_the_period_cell_names_the_period_and_a_change_is_read_again(
    graph: FakeGraph, sync: Callable[[], SyncReport], board: sessionmaker[Session]
) -> None:
    _period_cell(board)
    item = graph.add_file(PATH, workbook(84, c2="Q2 2026-27"))
    assert sync().ok
    assert _figures(board) == [("return-interviews", "2026-27-Q2", 84.0, "workbook")]
    graph.update_file(item, workbook(86.5, c2="Q2 2026-27"))
    assert sync().ok
    assert _figures(board) == [("return-interviews", "2026-27-Q2", 86.5, "workbook")]
    with board() as db:
        (event,) = db.scalars(select(AuditEvent).where(AuditEvent.verb == "corrected")).all()
        assert event.before == {"value": 84.0, "source": "workbook"}
        assert event.after == {"value": 86.5, "source": "workbook", "from": PATH}
    assert _posts(board, "kpi_ask") == []  # green, and better than before


def test_an_unreadable_cell_is_told_to_the_qa_officer_and_shown_by_doctor(
    graph: FakeGraph, sync: Callable[[], SyncReport], board: sessionmaker[Session]
) -> None:
    item = graph.add_file(PATH, workbook("n/a"))
    assert sync().ok
    assert _figures(board) == []
    (told,) = _posts(board, "kpi_workbook")
    assert told.channel == "#qa"
    assert (
        "Return interviews after a missing episode (Surrey Police) is read from Performance/Scorecard 2027.xlsx, "
        "sheet Police, cell C4 holds text, not a number." in told.payload["lines"]
    )
    (check,) = kpi_workbook_checks(board)
    assert (
        check.status == WARN
        and "return-interviews: Performance/Scorecard 2027.xlsx, sheet Police" in check.detail
    )
    graph.update_file(item, workbook(75, sheet="Health"))
    assert sync().ok
    assert "the workbook has no sheet “Police” (it has Health)" in kpi_workbook_checks(board)[0].detail
    graph.update_file(item, workbook(75))
    assert sync().ok
    assert _figures(board) == [("return-interviews", "2026-27-Q2", 75.0, "workbook")]
    assert kpi_workbook_checks(board)[0].status == OK
    assert len(_posts(board, "kpi_workbook")) == 2  # once per workbook version that failed


def test_doctor_names_a_workbook_the_library_has_not_got(board: sessionmaker[Session]) -> None:
    (check,) = kpi_workbook_checks(board)
    assert check.status == WARN
    assert check.detail == "Performance/Scorecard 2027.xlsx: not in the SharePoint library (yet)"
