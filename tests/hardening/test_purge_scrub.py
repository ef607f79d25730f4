"""`qabot purge` leaves none of a removed item's words anywhere in the database: not in its own
audit snapshots, nor another row's snapshot, thread replies, outbox payloads, the delivery log,
the inbox or agenda items — every text and JSON column of every table is searched (SQLite and
PostgreSQL). What stays keeps its own words whole, and the audit log keeps the cut-off and the
counts only."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, String, Text, select
from sqlalchemy.orm import Session, sessionmaker

from commands import retention
from commands.clock import FixedClock
from commands.context import Scope
from store.db import transaction
from store.models import (
    AgendaItem,
    AuditEvent,
    Base,
    Board,
    InboxItem,
    Meeting,
    OutboxMessage,
    ProcessedDelivery,
    ThreadReply,
)
from tests.conftest import LONDON, Say

FIRST = "Visit the Okonkwo household about the housing case"
SECOND = "Visit the Okonkwo household (housing) with the health visitor"
KEPT = f"{FIRST} again next year"  # a kept action whose words hold the purged ones


def _at(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 10, 0, tzinfo=LONDON)


def every_text(sessions: sessionmaker[Session]) -> list[str]:
    """Every value of every text-like column of every table, as text."""
    out: list[str] = []
    with sessions() as s:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, (String, Text, JSON)) or "json" in str(c.type).lower()]
            if not cols:
                continue
            for row in s.execute(select(*cols)):
                out += [str(v) for v in row if v is not None]
    return out


def test_purge_erases_every_copy_of_the_removed_text(
    board: sessionmaker[Session], clock: FixedClock, say: Say
) -> None:
    clock.set(_at(2025, 1, 6))
    assert say("qa", f"/action add {FIRST} @pol").ok
    assert say("qa", f"/action update A-1 text {SECOND}").ok
    assert say("qa", f"/action add {KEPT} @pol").ok
    clock.set(_at(2025, 2, 1))
    assert say("qa", "/action done A-1 finished").ok
    with transaction(board) as s:
        meeting = s.scalars(select(Meeting)).first()
        assert meeting is not None
        post = OutboxMessage(
            key="p1",
            platform="slack",
            channel="C0POL001",
            kind="action_posted",
            payload={"title": "A-1", "lines": [FIRST, f"Now: {SECOND}"]},
            status="sent",
            created_at=_at(2025, 1, 6),
            message_id="1700000000.000100",
        )
        s.add(post)
        s.flush()
        s.add(
            ThreadReply(
                outbox_id=post.id,
                platform="slack",
                text=f"Re: {FIRST}",
                interpretation="comment",
                received_at=_at(2025, 1, 6),
            )
        )
        s.add(AgendaItem(meeting_id=meeting.id, text=f"Update on {SECOND}", created_at=_at(2025, 1, 6)))
        s.add(ProcessedDelivery(key="slack:recent", received_at=_at(2026, 11, 20), reply={"lines": [SECOND]}))
        s.add(
            InboxItem(
                key="slack:inbox",
                platform="slack",
                kind="command",
                payload={},
                status="done",
                received_at=_at(2026, 11, 20),
                accepted_by="web-1",
                reply={"lines": [FIRST]},
            )
        )
        s.add(
            AuditEvent(
                at=_at(2025, 1, 7),
                actor_label="@qa",
                entity="meeting",
                entity_id=meeting.id,
                verb="agenda_item",
                before=None,
                after={"text": f"Update on {SECOND}"},
                source="test",
            )
        )
    assert sum("Okonkwo" in t for t in every_text(board)) > 8

    clock.set(_at(2032, 11, 26))
    with transaction(board) as s:
        report = retention.purge(Scope(session=s, clock=clock, board=s.get_one(Board, 1)), date(2026, 1, 1), dry_run=False)
    assert report.action_ids == [1]
    assert report.copies >= 6
    assert any("[purged]" in line for line in report.lines())

    texts = every_text(board)
    left = [t for t in texts if FIRST in t.replace(KEPT, "") or SECOND in t]
    assert left == []
    assert any(KEPT in t for t in texts)  # the kept action and its history keep their words
    with board() as s:
        [summary] = s.scalars(select(AuditEvent).where(AuditEvent.entity == "retention"))
        assert summary.after is not None and summary.after["copies_scrubbed"] == report.copies
        assert "Okonkwo" not in str(summary.after)
        reply = s.scalars(select(ThreadReply)).one()
        assert reply.text == "Re: [purged]"


def test_purge_removes_old_thread_records_of_peoples_own_threads(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    """`person_threads` (ids of people's top-level posts, commands/unclear_threads.py) go with
    the other delivery records of their age; newer ones stay."""
    from store.models import PersonThread

    with transaction(board) as s:
        s.add(PersonThread(platform="teams", channel="19:health@thread.tacv2", message_id="1", seen_at=_at(2025, 3, 1)))
        s.add(PersonThread(platform="slack", channel="C0POL001", message_id="2.0", seen_at=_at(2026, 11, 20)))
    clock.set(_at(2032, 11, 26))
    with transaction(board) as s:
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        preview = retention.purge(scope, date(2026, 1, 1))
    assert "Would remove 0 document link(s), 0 delivery record(s) and 1 thread record(s) of people's own threads." in (
        preview.lines()
    )
    with board() as s:
        assert len(s.scalars(select(PersonThread)).all()) == 2  # a preview changes nothing
    with transaction(board) as s:
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        done = retention.purge(scope, date(2026, 1, 1), dry_run=False)
    assert done.person_threads == 1
    with board() as s:
        assert [t.message_id for t in s.scalars(select(PersonThread))] == ["2.0"]
        [summary] = s.scalars(select(AuditEvent).where(AuditEvent.entity == "retention"))
        assert summary.after is not None and summary.after["person_threads"] == 1
