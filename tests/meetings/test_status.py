"""/qa status: the chair's one screen, its numbers checked against the database."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import Action, Agency, Finding, Member, S11Cycle, S11Return
from tests.conftest import Say
from tests.meetings.conftest import london


def record_status(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    """Seven actions of five agencies (two closed), an escalated finding and action, and an
    open Section 11 cycle with three returns; the clock at Thu 3 Dec 2026 09:00."""
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


def test_status_matches_the_database(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    record_status(say, board, clock)
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


def test_an_agency_lead_sees_the_headline_and_only_their_agencies(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    """The police lead: the police actions and finding, counted and listed, the police return,
    the next meetings; nothing of another agency, and no board-wide total."""
    record_status(say, board, clock)
    r = say("pol", "/qa status")
    assert r.ok and r.title == "QA&E status"
    assert r.lines[0].startswith("Shown for Surrey Police: their actions and findings")
    # A-1 open and overdue, A-6 closed in December (A-7 last month); the board has 5 / 2 / 1.
    assert r.fields == [("Open", "1"), ("Overdue", "1"), ("Closed since 1 Dec", "1")]
    agencies = r.lines.index("By agency (open / overdue / closed this month), most overdue first:")
    assert r.lines[agencies + 1] == "  Surrey Police: 1 / 1 / 1"
    assert r.lines[agencies + 2] == "Oldest overdue:"
    assert r.lines[agencies + 3].startswith("  A-1 · Audit CSE screening · @pol")
    assert r.lines[agencies + 4] == "  All overdue: /action list overdue"
    assert (
        "Section 11 2027 (statutory): your agencies' returns: 1 of 1 in, 0 outstanding; "
        "extensions 0 granted, 0 requested; deadline 31 Mar 2027 (/s11 status)"
    ) in r.lines
    assert (
        "  Thu 14 Jan 2027 10:00 · QA&E sub-group · agenda posts Mon 11 Jan 09:00 (/qa agenda 14/01/2027)"
        in r.lines
    )
    esc = r.lines.index("Escalated to the Board in the last 30 days:")
    assert r.lines[esc + 1 :] == ["  F-1 · Drift in CSE plans · Surrey Police · RED"]  # not A-3 (Children's)
    text = r.text()
    for other in ("Children's", "Health", "Schools", "A-2", "A-3", "Refresh neglect", "3 returns"):
        assert other not in text, other


def test_a_lead_of_two_agencies_sees_both(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    """@faith leads Surrey Faith Forum and deputises for Surrey Children's Services."""
    record_status(say, board, clock)
    with board() as s, s.begin():
        children = s.scalar(select(Agency).where(Agency.name == "Surrey Children's Services"))
        faith = s.scalar(select(Member).where(Member.handle == "faith"))
        assert children is not None and faith is not None
        children.substitute_id = faith.id
    r = say("faith", "/qa status")
    assert r.lines[0].startswith("Shown for Surrey Children's Services and Surrey Faith Forum:")
    assert r.fields == [("Open", "2"), ("Overdue", "1"), ("Closed since 1 Dec", "0")]
    assert "  Surrey Children's Services: 2 / 1 / 0" in r.lines
    assert (
        "Section 11 2027 (statutory): your agencies' returns: 0 of 1 in, 1 outstanding "
        "(Surrey Children's Services); extensions 0 granted, 1 requested; deadline 31 Mar 2027 (/s11 status)"
    ) in r.lines
    esc = r.lines.index("Escalated to the Board in the last 30 days:")
    assert r.lines[esc + 1 :] == ["  A-3 · Share learning brief · escalated 2 Dec 2026 12:00"]
    assert "Surrey Police" not in r.text() and "A-1" not in r.text()
    # A lead of an agency with no return in the cycle is told so.
    school = say("school", "/qa status")
    assert (
        "Section 11 2027 (statutory): none of your agencies has a return in it; deadline 31 Mar 2027 "
        "(/s11 status)"
    ) in school.lines


def test_status_with_nothing_yet(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    clock.set(datetime(2027, 6, 1, 9, 0, tzinfo=clock.now().tzinfo))
    r = say("ic", "/qa status")
    assert r.fields == [("Open", "0"), ("Overdue", "0"), ("Closed since 1 Jun", "0")]
    assert "Section 11: no cycle open." in r.lines
    assert "Escalated to the Board in the last 30 days: nothing." in r.lines
