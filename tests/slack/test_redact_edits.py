"""`/qa redact` edits the bot's own Slack posts (chat.update through slack_sdk against the fake
Slack), through the outbox: what was edited, what could not be (with its permalink) and the
people's own messages to delete are in the reply; an edit that fails for good is told to the
QA channel; a rate-limited edit is retried."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.runtime import Runtime
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store import outbox as outbox_store
from store.db import transaction
from store.models import OutboxMessage, ThreadReply
from tests.fakes.slack_api import FakeSlack

POLICE = "C0POL001"
SCHOOLS = "C0SCHL01"
QA = "C0QAE01"
MISSED = "Chase the Okonkwo family about the housing case"  # the guard cannot know this surname


def redact(rt: Runtime, text: str) -> Reply:
    return rt.core.handle(Inbound(platform="slack", user_id="U0QAOFF1", text=text, channel=QA))


def post(rt: Runtime, key: str, channel: str, line: str) -> None:
    with transaction(rt.sessions) as s:
        outbox_store.enqueue(
            s,
            key=key,
            platform="slack",
            channel=channel,
            kind="action_posted",
            payload=Reply(title="A-1", lines=[line]).model_dump(mode="json"),
            now=rt.clock.now(),
        )


def sent(rt: Runtime, key: str) -> OutboxMessage:
    with rt.sessions() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.key == key))
        assert row is not None and row.status == "sent" and row.message_id
        return row


def shown(fake: FakeSlack, channel: str) -> str:
    return "\n".join(f"{m.get('text')} {m.get('blocks')}" for m in fake.messages(channel))


def test_redaction_edits_the_bots_posts_and_lists_what_it_cannot(
    slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    rt = slack_rt
    added = rt.core.handle(Inbound(platform="slack", user_id="U0QAOFF1", text=f"/action add {MISSED} @pol"))
    assert added.ok, added.lines
    post(rt, "p-police", POLICE, MISSED)
    post(rt, "p-schools", SCHOOLS, MISSED)
    assert rt.dispatcher().dispatch().sent >= 2
    police, schools = sent(rt, "p-police"), sent(rt, "p-schools")
    assert "Okonkwo" in shown(fake_slack, POLICE)
    # Someone deleted the schools post in Slack; the police lead answered in the police thread.
    assert police.message_id and schools.message_id
    fake_slack.conversations[SCHOOLS] = [m for m in fake_slack.messages(SCHOOLS) if m["ts"] != schools.message_id]
    person_ts = fake_slack.add_message(POLICE, f"On it: {MISSED}", "U0POL001", thread_ts=police.message_id)
    with transaction(rt.sessions) as s:
        s.add(
            ThreadReply(
                outbox_id=police.id,
                platform="slack",
                platform_user="U0POL001",
                text=f"On it: {MISSED}",
                interpretation="comment",
                message_id=person_ts,
                received_at=clock.now(),
            )
        )

    done = redact(rt, "/qa redact A-1 a family's surname")
    assert done.ok, done.lines
    text = done.text()
    assert f"Edited 1 of my posts:\n- post-{police.id} on Slack, channel {POLICE}, message {police.message_id}" in text
    assert f"post-{schools.id} on Slack, channel {SCHOOLS}" in text
    assert "Could not edit" in text and "message_not_found" in text
    assert f"permalink {fake_slack.permalink(SCHOOLS, schools.message_id)}" in text
    assert "A bot cannot edit those" in text
    assert f"a reply from U0POL001 on Slack, channel {POLICE}, message {person_ts}" in text

    (update, *_) = [c for c in fake_slack.calls_to("chat.update", ok_only=True)]
    assert update.params["channel"] == POLICE and update.params["ts"] == police.message_id
    bot_posts = [m for m in fake_slack.messages(POLICE) if m.get("user") == FakeSlack.BOT_USER]
    assert "Okonkwo" not in " ".join(f"{m.get('text')} {m.get('blocks')}" for m in bot_posts)
    assert "[redacted]" in str(bot_posts[-1]["text"]) or "[redacted]" in str(bot_posts[-1].get("blocks"))
    # The person's own message is untouched in Slack: only they or an admin can change it.
    assert any("Okonkwo" in str(m.get("text")) for m in fake_slack.messages(POLICE) if m["ts"] == person_ts)

    # The edit that failed for good is told to the QA channel, with where the post was.
    run_tick(rt.sessions, clock, rt.dispatcher(), ("slack",))
    notices = [p for p in fake_slack.posts(QA) if "could not edit" in str(p.get("text")).lower()]
    assert len(notices) == 1
    assert f"post-{schools.id}" in str(notices[0]["text"]) and "message_not_found" in str(notices[0]["text"])


def test_a_rate_limited_edit_is_retried_and_a_retried_delivery_queues_nothing_twice(
    slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    rt = slack_rt
    assert rt.core.handle(Inbound(platform="slack", user_id="U0QAOFF1", text=f"/action add {MISSED} @pol")).ok
    post(rt, "p-police", POLICE, MISSED)
    rt.dispatcher().dispatch()
    police = sent(rt, "p-police")
    fake_slack.fail("chat.update", status=429, retry_after=30)

    first = rt.core.handle(
        Inbound(platform="slack", user_id="U0QAOFF1", text="/qa redact A-1", channel=QA, delivery_key="r1")
    )
    assert "Still trying to edit" in first.text() and f"post-{police.id}" in first.text()
    again = rt.core.handle(
        Inbound(platform="slack", user_id="U0QAOFF1", text="/qa redact A-1", channel=QA, delivery_key="r1")
    )
    assert again.ok
    with rt.sessions() as s:
        edits = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "edit")))
    assert len(edits) == 1 and edits[0].status == "pending"

    clock.advance(timedelta(seconds=31))
    assert rt.dispatcher().dispatch().edited == 1
    assert len(fake_slack.calls_to("chat.update", ok_only=True)) == 1
    assert "Okonkwo" not in shown(fake_slack, POLICE)
