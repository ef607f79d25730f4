"""The digest's reads on both databases: overdue actions counted per agency with the oldest few
of the agencies shown, and what was escalated since a moment (store/digest.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from store import digest as store
from store import members
from store.db import transaction
from store.models import Action, Finding
from store.visibility import BOARD, Viewer

TODAY = date(2026, 11, 30)
NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _action(s: Session, text: str, agency: str | None, due: date, **kw: object) -> Action:
    found = members.agency_by_name(s, agency) if agency else None
    row = Action(text=text, agency_id=found.id if found else None, due_date=due, created_at=NOW, **kw)
    s.add(row)
    s.flush()
    return row


def test_overdue_counts_every_agency_and_the_oldest_of_those_shown(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        for n in range(5):  # Police: five overdue, the oldest due 1 Nov
            _action(s, f"Police {n}", "Surrey Police", date(2026, 11, 1 + n))
        _action(s, "Health old", "Surrey Health", date(2026, 10, 1))
        _action(s, "Nobody's", None, date(2026, 11, 20))
        _action(s, "Police done", "Surrey Police", date(2026, 9, 1), status="done")
        _action(s, "Police not yet due", "Surrey Police", TODAY)
    with board() as s:
        found = store.overdue_by_agency(s, BOARD, TODAY, oldest=3, agencies_shown=2)
    assert [(g.agency, g.count, [a.text for a in g.oldest]) for g in found] == [
        ("Surrey Police", 5, ["Police 0", "Police 1", "Police 2"]),
        ("Surrey Health", 1, ["Health old"]),  # as many as the next, by name; no agency last
        ("(no agency)", 1, []),  # counted, not among the two agencies shown
    ]


def test_a_lead_sees_their_agencies_overdue_only(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        _action(s, "Police", "Surrey Police", date(2026, 11, 1))
        _action(s, "Health", "Surrey Health", date(2026, 11, 1))
        police = members.agency_by_name(s, "Surrey Police")
        assert police is not None
        lead = Viewer(agencies=frozenset({police.id}))
    with board() as s:
        assert [g.agency for g in store.overdue_by_agency(s, lead, TODAY)] == ["Surrey Police"]


def test_escalations_since_newest_first_with_the_total(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        for n in range(3):
            _action(s, f"Escalated {n}", "Surrey Police", TODAY, escalated_at=NOW - timedelta(days=n + 1))
        _action(s, "Long ago", "Surrey Police", TODAY, escalated_at=NOW - timedelta(days=30))
        s.add(Finding(text="Flagged", escalate_to_board=True, created_at=NOW - timedelta(hours=1)))
        s.add(Finding(text="Not flagged", escalate_to_board=False, created_at=NOW - timedelta(hours=1)))
    with board() as s:
        shown, total = store.escalations_since(s, BOARD, NOW - timedelta(days=7), limit=3)
    assert total == 4
    assert [(e.kind, e.text) for e in shown] == [
        ("finding", "Flagged"),
        ("action", "Escalated 0"),
        ("action", "Escalated 1"),
    ]
