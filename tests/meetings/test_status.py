"""/qa status: the chair's one screen, its numbers checked against the database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import Action, Agency, Finding, S11Cycle, S11Return
from tests.conftest import Say
from tests.meetings.conftest import london


def test_status_matches_the_database(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    lines = [
        "/action add Audit CSE screening @pol due 30/11/2026 #cse",
        "/action add Refresh neglect toolkit @cs due 01/12/2026 #neglect",
        "/action add Share learning brief @cs due 20/12/2026 #cp",
        "/action add Early help audit @nhs due 15/01/2027 #earlyhelp",
        "/action add Undated, no priority @school",
        "/action add Closed this month @pol due 10/12/2026 #cse",
        "/action add Closed last month @pol due 10/12/2026 #cse",
    ]
    for line in lines:
        assert say("qa", line).ok
    assert say("qa", "/action done A-7").ok  # closed 26 Nov: last month by the time we look
    clock.set(london(2026, 12, 3, 9, 0))
    assert say("qa", "/action done A-6").ok  # closed in December
    assert say("ic", "/finding add Drift in CSE plans agency Surrey Police rag red #cse escalate").ok
    with board() as s, s.begin():
        a = s.get(Action, 3)
        assert a is not None
        a.escalated_at = london(2026, 12, 2, 12, 0)
        cycle = S11Cycle(
            year=2027,
            cohort="statutory",
            deadline=date(2027, 3, 31),
            status="open",
            launched_at=london(2026, 11, 1, 9, 0),
        )
        s.add(cycle)
        s.flush()
        s.add_all(
            [
                S11Return(cycle_id=cycle.id, agency_id=1, status="submitted"),
                S11Return(cycle_id=cycle.id, agency_id=2, status="extension_requested"),
                S11Return(
                    cycle_id=cycle.id,
                    agency_id=3,
                    status="not_started",
                    extension_granted_to=date(2027, 4, 30),
                ),
            ]
        )

    r = say("ic", "/qa status")
    assert r.ok and r.title == "QA&E status"
    today = date(2026, 12, 3)
    month = london(2026, 12, 1, 0, 0)
    with board() as s:
        open_ = s.scalar(select(func.count()).select_from(Action).where(Action.status == "open"))
        overdue = s.scalar(
            select(func.count()).select_from(Action).where(Action.status == "open", Action.due_date < today)
        )
        closed = s.scalar(
            select(func.count()).select_from(Action).where(Action.status == "done", Action.closed_at >= month)
        )
        police = s.scalar(select(Agency.id).where(Agency.name == "Surrey Police"))
        police_open = s.scalar(
            select(func.count())
            .select_from(Action)
            .where(Action.status == "open", Action.agency_id == police)
        )
    assert (open_, overdue, closed) == (5, 2, 1)
    assert r.fields == [("Open", "5"), ("Overdue", "2"), ("Closed since 1 Dec", "1")]
    text = "\n".join(r.lines)
    assert (
        "  CSE: 1 / 1 / 1" in r.lines
        and "  Neglect: 1 / 1 / 0" in r.lines
        and "  (none): 1 / 0 / 0" in r.lines
    )
    assert f"  Surrey Police: {police_open} / 1 / 1" in r.lines
    assert "  Surrey Children's Services: 2 / 1 / 0" in r.lines
    # Most overdue agencies first.
    agency_rows = r.lines[
        r.lines.index("By agency (open / overdue / closed this month), most overdue first:") + 1 :
    ]
    assert agency_rows[:3] == [
        "  Surrey Children's Services: 2 / 1 / 0",
        "  Surrey Police: 1 / 1 / 1",
        "  Surrey Health: 1 / 0 / 0",
    ]
    oldest = r.lines.index("Oldest overdue:")
    assert (
        r.lines[oldest + 1].startswith("  A-1 · Audit CSE screening · @pol")
        and "OVERDUE 3 days" in r.lines[oldest + 1]
    )
    assert r.lines[oldest + 2].startswith("  A-2 · Refresh neglect toolkit")
    assert (
        "Section 11 2027 (statutory): 1 of 3 returns in, 2 outstanding; extensions 1 granted, 1 requested; "
        "deadline 31 Mar 2027 (/s11 status)"
    ) in r.lines
    assert "Next meetings:" in r.lines
    assert (
        "  Thu 14 Jan 2027 10:00 · QA&E sub-group · agenda posts Mon 11 Jan 09:00 (/qa agenda 14/01/2027)"
        in r.lines
    )
    esc = r.lines.index("Escalated to the Board in the last 30 days:")
    assert r.lines[esc + 1] == "  F-1 · Drift in CSE plans · Surrey Police · RED"
    assert r.lines[esc + 2] == "  A-3 · Share learning brief · escalated 2 Dec 2026 12:00"
    assert "A-7" not in text  # closed last month: counted nowhere this period
    with board() as s:
        assert (
            s.scalar(select(func.count()).select_from(Finding).where(Finding.escalate_to_board.is_(True)))
            == 1
        )


def test_status_refused_to_agency_leads_with_why(say: Say, board: sessionmaker[Session]) -> None:
    r = say("pol", "/qa status")
    assert not r.ok and r.title == "Not allowed"
    assert "Agency leads cannot see the board-wide status: it covers every agency" in r.lines[0]


def test_status_with_nothing_yet(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=clock.now().tzinfo))
    r = say("ic", "/qa status")
    assert r.fields == [("Open", "0"), ("Overdue", "0"), ("Closed since 1 Jun", "0")]
    assert "Section 11: no cycle open." in r.lines
    assert "Escalated to the Board in the last 30 days: nothing." in r.lines
