"""Meetings read from the board's calendar (Graph calendarView) during the SharePoint sync."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.settings import Settings
from commands.calendar import guess_kind
from commands.clock import FixedClock
from commands.types import Inbound
from integrations.sharepoint.client import GraphOptions, RetryPolicy
from integrations.sharepoint.sync import SyncReport
from store.models import AuditEvent, Meeting
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import document_sync, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

LONDON = ZoneInfo("Europe/London")
CAL = "groups/0b9f4b3a-3c0e-4a1b-9a44-0ad6e3f5c001"


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=LONDON)


def run(
    graph: FakeGraph, sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock, **env: str
) -> SyncReport:
    settings = make_settings(graph, sqlite_url, **{"SHAREPOINT_CALENDAR": CAL, **env})
    options = GraphOptions(retry=RetryPolicy(max_retries=1, sleep_factor=0.0))
    return document_sync(settings, sessions, clock, ("slack",), options).run()


def meetings(sessions: sessionmaker[Session]) -> dict[str, tuple[str, str | None, str, str]]:
    """title -> (kind, priority, source, London start)"""
    with sessions() as s:
        return {
            m.title: (m.kind, m.priority, m.source, f"{m.starts_at.astimezone(LONDON):%Y-%m-%d %H:%M}")
            for m in s.scalars(select(Meeting))
        }


@pytest.mark.parametrize(
    ("subject", "kind", "priority"),
    [
        ("Section 11 scrutiny panel", "s11_panel", None),
        ("S11 challenge event (statutory partners)", "s11_panel", None),
        ("Early Help scrutiny panel", "priority_panel", "Early Help"),
        ("Scrutiny panel: Child Sexual Exploitation", "priority_panel", "CSE"),
        ("Domestic abuse panel", "priority_panel", "Domestic Abuse"),
        ("Looked After Children scrutiny panel", "priority_panel", "Child Protection"),
        ("Neglect strategy challenge", "challenge", None),
        ("Challenge event", "challenge", None),
        ("SSCB QA&E sub-group", "subgroup", None),
        ("QA&E subgroup of the Board", "subgroup", None),
        ("SSCB Board meeting", "board", None),
        ("Boardroom refurbishment", "subgroup", None),
        ("Early Help training", "subgroup", None),
    ],
)
def test_kind_is_guessed_from_the_subject(subject: str, kind: str, priority: str | None) -> None:
    assert guess_kind(subject) == (kind, priority)


def test_calendar_events_become_meetings_without_duplicating_the_board_file(
    graph: FakeGraph,
    sp_sessions: sessionmaker[Session],
    sqlite_url: str,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("integrations.sharepoint.calendar.PAGE", 2)  # page through @odata.nextLink
    graph.add_event(CAL, "QA&E sub-group", at("2027-01-14T10:00"))  # also in the board file
    eh = graph.add_event(CAL, "Early Help scrutiny panel", at("2027-02-11T10:00"))
    graph.add_event(CAL, "SSCB Board", at("2027-03-04T14:00"))
    da = graph.add_event(CAL, "Domestic Abuse scrutiny panel", at("2027-04-08T13:30"))
    gone = graph.add_event(CAL, "Neglect challenge event", at("2027-06-10T09:30"))
    graph.add_event(CAL, "QA&E sub-group", at("2026-10-01T10:00"))  # past: outside the window
    graph.add_event(CAL, "QA&E sub-group", at("2028-01-13T10:00"))  # beyond 12 months
    graph.add_event(CAL, "Board away day", at("2027-05-05T09:00"), cancelled=True)

    report = run(graph, sp_sessions, sqlite_url, clock)
    assert report.ok, report.summary()
    assert "calendar: 4 new, 0 changed, 0 removed, 0 marked cancelled, 1 already known" in report.summary()
    assert graph.prefer and all(p == 'outlook.timezone="UTC"' for p in graph.prefer)
    assert graph.count("calendarView") == 3  # five events in the window plus one cancelled, two a page
    assert meetings(sp_sessions) == {
        "QA&E sub-group": ("subgroup", None, "file", "2027-01-14 10:00"),
        "Section 11 scrutiny panel": ("s11_panel", None, "file", "2027-05-20 10:00"),
        "Early Help scrutiny panel": ("priority_panel", "Early Help", "calendar", "2027-02-11 10:00"),
        "SSCB Board": ("board", None, "calendar", "2027-03-04 14:00"),
        "Domestic Abuse scrutiny panel": ("priority_panel", "Domestic Abuse", "calendar", "2027-04-08 13:30"),
        "Neglect challenge event": ("challenge", None, "calendar", "2027-06-10 09:30"),
    }
    with sp_sessions() as s:
        m = s.scalars(select(Meeting).where(Meeting.title == "Early Help scrutiny panel")).one()
        assert m.external_id == eh
        audit = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "meeting", AuditEvent.entity_id == m.id)
        ).one()
        assert audit.verb == "created" and audit.after is not None and audit.after["from"] == "calendar"

    # The panel gets an agenda item; then the calendar changes.
    core = BotCore(sessions=sp_sessions, clock=clock, platforms=("slack",))
    added = core.handle(
        Inbound(
            platform="console", user_id="qa", text="/qa agenda add Domestic abuse data meeting 08/04/2027"
        )
    )
    assert added.ok, added.text()
    graph.update_event(eh, start=at("2027-02-18T10:00"), subject="Early Help scrutiny panel (moved)")
    graph.update_event(da, cancelled=True)  # has an agenda item: kept, marked
    graph.remove_event(gone)  # deleted from the calendar, nothing refers to it: removed
    clock.advance(timedelta(minutes=20))
    report = run(graph, sp_sessions, sqlite_url, clock)
    assert "calendar: 0 new, 1 changed, 1 removed, 1 marked cancelled, 1 already known" in report.summary()
    now = meetings(sp_sessions)
    assert now["Early Help scrutiny panel (moved)"] == (
        "priority_panel",
        "Early Help",
        "calendar",
        "2027-02-18 10:00",
    )
    assert now["Cancelled: Domestic Abuse scrutiny panel"][2:] == ("calendar", "2027-04-08 13:30")
    assert "Neglect challenge event" not in now and "Early Help scrutiny panel" not in now
    assert len(now) == 5

    # Nothing changed: nothing written.
    clock.advance(timedelta(minutes=20))
    report = run(graph, sp_sessions, sqlite_url, clock)
    assert "calendar: 0 new, 0 changed, 0 removed, 0 marked cancelled, 1 already known" in report.summary()


def test_board_file_meetings_are_never_changed_by_the_calendar(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    ev = graph.add_event(CAL, "QA&E sub-group", at("2027-01-14T10:00"))
    assert run(graph, sp_sessions, sqlite_url, clock).ok
    graph.update_event(ev, cancelled=True)
    clock.advance(timedelta(minutes=20))
    report = run(graph, sp_sessions, sqlite_url, clock)
    assert "0 removed, 0 marked cancelled" in report.summary()
    assert meetings(sp_sessions)["QA&E sub-group"] == ("subgroup", None, "file", "2027-01-14 10:00")


def test_unknown_calendar_says_which_setting_and_keeps_the_documents(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    graph.add_file("Audits/One.txt", b"one")
    report = run(graph, sp_sessions, sqlite_url, clock, SHAREPOINT_CALENDAR="users/nobody@contoso.org")
    assert report.problem is not None and report.pages == 1
    assert "Microsoft Graph found no such calendar (404) (ErrorInvalidUser" in report.problem.message
    assert "check SHAREPOINT_CALENDAR (users/nobody@contoso.org)" in report.problem.message
    with sp_sessions() as s:
        from store import documents as doc_store

        assert doc_store.counts(s) == (1, 1)


def test_calendar_setting_is_checked(sqlite_url: str) -> None:
    with pytest.raises(
        ValidationError, match="SHAREPOINT_CALENDAR must be groups/<group id> or users/<mailbox>"
    ):
        Settings(_env_file=None, QABOT_DATABASE_URL=sqlite_url, SHAREPOINT_CALENDAR="board@contoso.org")  # type: ignore[call-arg]


def test_apply_events_on_sqlite_and_postgres(board: sessionmaker[Session], clock: FixedClock) -> None:
    """The rules without Graph, on both databases: create, match, cancel (kept while referenced)."""
    from commands.calendar import CalendarEvent, apply_events, window
    from commands.documents import SyncScope
    from store import meetings as meeting_store
    from store.db import transaction
    from store.models import Action, Board

    def apply(events: list[CalendarEvent]) -> str:
        with transaction(board) as s:
            b = s.get(Board, 1)
            assert b is not None
            scope = SyncScope(session=s, clock=clock, board=b, platforms=("slack",))
            return apply_events(scope, events, *window(clock.now())).summary()

    panel = CalendarEvent("e1", "Early Help scrutiny panel", at("2027-02-11T10:00"))
    same = CalendarEvent("e2", "QA&E sub-group", at("2027-01-14T10:00"))
    assert (
        apply([panel, same]) == "calendar: 1 new, 0 changed, 0 removed, 0 marked cancelled, 1 already known"
    )
    with transaction(board) as s:
        m = meeting_store.by_external_id(s, "e1")
        assert m is not None and meeting_store.references(s, m.id) == 0
        s.add(Action(text="Review the Early Help offer", meeting_id=m.id, created_at=clock.now()))
        s.flush()
        assert meeting_store.references(s, m.id) == 1
    panel.cancelled = True
    assert (
        apply([panel, same]) == "calendar: 0 new, 0 changed, 0 removed, 1 marked cancelled, 1 already known"
    )
    with board() as s:
        m = meeting_store.by_external_id(s, "e1")
        assert m is not None and m.title == "Cancelled: Early Help scrutiny panel"
    # a subject that could identify a child is never stored
    child = CalendarEvent("e3", "Strategy meeting re Jayden Smith (DOB 03/04/2015)", at("2027-03-01T10:00"))
    assert apply([same, child]).endswith("1 already known, 1 skipped")
    with board() as s:
        assert meeting_store.by_external_id(s, "e3") is None


def test_group_calendar_refused_says_to_use_a_shared_mailbox(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    from tests.fakes.graph import fixture

    graph.add_event(CAL, "SSCB Board", at("2027-03-04T14:00"))
    graph.fail_next(403, 1, path_contains="calendarView", body=fixture("error_403_access_denied.json"))
    report = run(graph, sp_sessions, sqlite_url, clock)
    assert report.problem is not None and report.problem.kind == "forbidden"
    assert "group calendars cannot be read with application permissions" in report.problem.message
    assert "SHAREPOINT_CALENDAR=users/<mailbox>" in report.problem.message
    assert "SSCB Board" not in meetings(sp_sessions)
