"""/qa meeting add and /qa meetings, as members type them (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from store.models import AuditEvent, Meeting
from tests.conftest import Say
from tests.meetings.conftest import london


def meeting_count(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Meeting)) or 0


def test_add_and_list(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/qa meeting add priority 11/02/2027 14:00 #cse")
    assert r.ok, r.text()
    assert r.title == "Added the priority scrutiny panel: CSE scrutiny panel"
    assert r.lines[0] == "Thu 11 Feb 2027 14:00 · CSE"
    assert "The agenda posts Mon 8 Feb 2027 09:00" in r.lines[1]
    r = say("ic", '/qa meeting add subgroup 10/12/2026 "Extra QA&E sub-group"')
    assert r.ok and r.title.endswith("Extra QA&E sub-group")
    with board() as s:
        m = s.scalar(select(Meeting).where(Meeting.kind == "priority_panel"))
        assert m is not None and m.priority == "CSE" and m.source == "chat"
        assert m.starts_at == london(2027, 2, 11, 14, 0)
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEvent)
                .where(
                    AuditEvent.entity == "meeting", AuditEvent.verb == "created", AuditEvent.entity_id == m.id
                )
            )
            == 1
        )

    listed = say("pol", "/qa meetings")
    assert listed.title == "Meetings" and listed.lines[0] == "Coming up (4):"
    assert listed.lines[1:5] == [
        "  Thu 10 Dec 2026 10:00 · Extra QA&E sub-group · agenda posts Mon 7 Dec 09:00",
        "  Thu 14 Jan 2027 10:00 · QA&E sub-group · agenda posts Mon 11 Jan 09:00",
        "  Thu 11 Feb 2027 14:00 · CSE scrutiny panel · agenda posts Mon 8 Feb 09:00",
        "  Thu 20 May 2027 10:00 · Section 11 scrutiny panel · agenda posts Mon 17 May 09:00",
    ]


BAD = [
    ("/qa meeting add", "Say the kind of meeting and when"),
    ("/qa meeting add fortnightly 11/02/2027 10:00", '"fortnightly" is not a kind of meeting'),
    ("/qa meeting add board someday", "Say when the meeting is"),
    ("/qa meeting add board 31/02/2027 10:00", "February 2027 has 28 days"),
    ("/qa meeting add board 01/01/2020 10:00", "is in the past"),
    ("/qa meeting add priority 11/02/2027 10:00", "needs its priority"),
    ("/qa meeting add priority 11/02/2027 10:00 #urgent", '"#urgent" is not a business-plan priority'),
    ("/qa meeting add subgroup 14/01/2027 10:00", "There is already a QA&E sub-group"),
    ("/qa meeting 14/01/2027", "To add a meeting say"),
    ("/qa meetings all", "is not something /qa meetings takes"),
]


@pytest.mark.parametrize(("line", "says"), BAD)
def test_malformed_meeting_lines_store_nothing(
    say: Say, board: sessionmaker[Session], line: str, says: str
) -> None:
    before = meeting_count(board)
    r = say("qa", line)
    assert not r.ok and r.data.get("error") == "usage"
    text = "\n".join(r.lines)
    assert says in text, text
    assert (
        "/qa meeting add <subgroup|s11|priority|challenge|board> <date time>" in text
        or "/qa meetings" in text
    )
    assert meeting_count(board) == before


def test_only_officers_add_meetings(say: Say, board: sessionmaker[Session]) -> None:
    before = meeting_count(board)
    r = say("bm", "/qa meeting add board 22/07/2027 14:00")
    assert not r.ok and r.title == "Not allowed" and "Only the chair or the QA officer" in r.lines[0]
    assert meeting_count(board) == before
