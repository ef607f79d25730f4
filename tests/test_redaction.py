"""`/qa redact`: identifying text is replaced in the item and in every copy the bot made of it;
the audit keeps who, when, why and that it happened; the bot's own posts that carried it are
queued for editing (tests/slack/test_redact_edits.py, tests/teams/test_redact_edits.py send
them), people's own messages are listed for deletion."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher
from commands.clock import FixedClock
from commands.types import Reply
from integrations.console.sender import ConsoleSender
from store.db import transaction
from store.models import (
    Action,
    AgendaItem,
    AuditEvent,
    Meeting,
    OutboxMessage,
    ProcessedDelivery,
    ThreadReply,
)

Say = Callable[..., Reply]
NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)
MISSED = "Chase the Okonkwo family about the housing case"  # the guard cannot know this surname


def everything(sessions: sessionmaker[Session]) -> str:
    with sessions() as s:
        parts = [f"{a.text} {a.closing_note}" for a in s.scalars(select(Action))]
        parts += [f"{e.before} {e.after}" for e in s.scalars(select(AuditEvent))]
        parts += [r.text for r in s.scalars(select(ThreadReply))]
        parts += [str(o.payload) for o in s.scalars(select(OutboxMessage))]
        parts += [str(d.reply) for d in s.scalars(select(ProcessedDelivery))]
        parts += [i.text for i in s.scalars(select(AgendaItem))]
    return "\n".join(parts)


def test_redact_replaces_every_copy_queues_edits_and_names_peoples_messages(
    say: Say, board: sessionmaker[Session]
) -> None:
    r = say("qa", f"/action add {MISSED} @pol", delivery_key="d1")
    assert r.ok
    assert say("qa", "/action update A-1 text Chase the Okonkwo family (housing)", delivery_key="d2").ok
    with transaction(board) as s:
        meeting = s.scalars(select(Meeting)).first()
        assert meeting is not None
        post = OutboxMessage(
            key="p1",
            platform="slack",
            channel="C0POL001",
            kind="action_posted",
            payload={"title": "A-1", "lines": [MISSED]},
            status="sent",
            created_at=NOW,
            message_id="1700000000.000100",
        )
        s.add(post)
        s.flush()
        s.add(
            ThreadReply(
                outbox_id=post.id,
                platform="slack",
                text=f"Re: {MISSED}",
                interpretation="comment",
                received_at=NOW,
            )
        )
        s.add(AgendaItem(meeting_id=meeting.id, text=MISSED, created_at=NOW))
    assert "Okonkwo" in everything(board)

    denied = say("pol", "/qa redact A-1")
    assert not denied.ok and "Only the chair or the QA officer" in denied.text()

    done = say("qa", "/qa redact A-1 surname of a family")
    assert done.ok, done.lines
    assert "Okonkwo" not in everything(board)
    assert done.lines[0] == "A-1 now reads: [redacted]"
    assert "Editing 1 of my posts to the redacted text:" in done.lines
    assert "- post-1 on Slack, channel C0POL001, message 1700000000.000100" in done.lines
    assert "- a reply on Slack, channel C0POL001, message (id unknown)" in done.lines
    with board() as s:
        edit = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "edit")).one()
        assert (edit.subject_type, edit.subject_id, edit.status) == ("outbox", 1, "pending")
        assert edit.payload["lines"] == ["[redacted]"] and edit.channel == "C0POL001"
    with board() as s:
        action = s.get(Action, 1)
        assert action is not None and action.text == "[redacted]"
        event = s.scalars(select(AuditEvent).where(AuditEvent.verb == "redacted")).one()
        assert (event.entity, event.entity_id, event.actor_label) == ("action", 1, "@qa")
        assert event.after == {"reason": "surname of a family"}


def test_identifying_text_the_guard_finds_becomes_its_anonymised_version(
    say: Say, board: sessionmaker[Session]
) -> None:
    with transaction(board) as s:  # written before the guard knew this shape
        s.add(Action(text="Visit Jayden Smith at GU21 6AB", status="open", created_at=NOW))
    done = say("ic", "/qa redact A-1")
    assert done.ok, done.lines
    assert done.lines[0] == "A-1 now reads: Visit Child J.S. at [postcode]"
    assert "None of it had been posted." in done.lines


def test_console_posts_are_edited_and_a_post_of_unknown_outcome_is_named_for_a_person(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    assert say("qa", f"/action add {MISSED} @pol").ok
    with transaction(board) as s:
        for key, status, message_id in (("c1", "sent", "post-1"), ("c2", "parked", None)):
            s.add(
                OutboxMessage(
                    key=key,
                    platform="console",
                    channel="#police",
                    kind="action_posted",
                    payload={"title": "A-1", "lines": [MISSED]},
                    status=status,
                    created_at=NOW,
                    message_id=message_id,
                )
            )
    done = say("qa", "/qa redact A-1")
    assert "- post-1 on the console, channel #police, message post-1" in done.lines
    assert any(line.startswith("- post-2 on the console") and "whether it was shown is unknown" in line
               for line in done.lines)
    printed = io.StringIO()
    result = Dispatcher(board, {"console": ConsoleSender(printed)}, clock).dispatch()
    assert result.edited == 1
    assert "post-1 edited (it now reads)" in printed.getvalue() and "[redacted]" in printed.getvalue()
    assert "Okonkwo" not in printed.getvalue()
