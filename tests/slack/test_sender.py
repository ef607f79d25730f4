"""The outbox's Slack sender against the fake Slack: metadata, threads, outages, recovery."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from commands.clock import FixedClock
from commands.outbound import OutgoingPost, SendError
from commands.types import Reply
from integrations.slack.sender import make_sender
from store import outbox as outbox_store
from store.db import transaction
from store.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack

POLICE = "C0POL001"


def queue(
    rt: Runtime, key: str, *, channel: str = POLICE, thread_key: str | None = None, title: str = "Reminder"
) -> None:
    with transaction(rt.sessions) as s:
        outbox_store.enqueue(
            s,
            key=key,
            platform="slack",
            channel=channel,
            kind="s11_reminder",
            payload=Reply(title=title, lines=["Your Section 11 return is due on 12 Mar 2027."]).model_dump(
                mode="json"
            ),
            now=rt.clock.now(),
            thread_key=thread_key,
        )


def rows(rt: Runtime) -> list[OutboxMessage]:
    with rt.sessions() as s:
        return list(s.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def test_posts_carry_their_key_and_later_posts_go_into_the_first_ones_thread(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    queue(slack_rt, "s11:1:police:launch", thread_key="s11:1:2", title="Section 11 audit launched")
    queue(slack_rt, "s11:1:police:reminder1", thread_key="s11:1:2", title="First reminder")
    result = slack_rt.dispatcher().dispatch()
    assert result.sent == 2
    first, second = fake_slack.posts(POLICE)
    assert first["metadata"] == {
        "event_type": "qabot_outbox",
        "event_payload": {"key": "s11:1:police:launch"},
    }
    assert "thread_ts" not in first
    launched, reminded = rows(slack_rt)
    assert launched.message_id is not None and launched.sent_channel == POLICE
    assert second["thread_ts"] == launched.message_id == reminded.thread_message_id
    assert second["blocks"][0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "First reminder", "emoji": True},
    }
    assert "Section 11 return is due" in str(second["text"])


def test_a_rate_limit_keeps_the_post_for_later_and_it_is_not_lost(
    slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    queue(slack_rt, "k1")
    fake_slack.fail("chat.postMessage", status=429, retry_after=30)
    first = slack_rt.dispatcher().dispatch()
    assert first.retrying == 1 and first.sent == 0
    (row,) = rows(slack_rt)
    assert row.status == "pending" and "rate limited" in (row.last_error or "")
    assert row.next_attempt_at is not None
    assert row.next_attempt_at.replace(tzinfo=None) == (clock.now() + timedelta(seconds=30)).replace(
        tzinfo=None
    )
    assert slack_rt.dispatcher().dispatch().sent == 0  # not before Retry-After
    clock.advance(timedelta(seconds=31))
    assert slack_rt.dispatcher().dispatch().sent == 1
    assert len(fake_slack.posts(POLICE)) == 1
    assert rows(slack_rt)[0].status == "sent"


def test_an_outage_is_retried_and_a_missing_channel_fails_for_good(
    slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    queue(slack_rt, "outage")
    queue(slack_rt, "gone", channel="C0GONE001")
    fake_slack.fail(
        "chat.postMessage", status=503, times=2, channel=POLICE, body="<html>Service Unavailable</html>"
    )
    fake_slack.channel_errors["C0GONE001"] = "channel_not_found"
    result = slack_rt.dispatcher().dispatch()
    assert result.retrying == 1 and result.failed == 1
    outage, gone = rows(slack_rt)
    # A 503 may come after Slack took the post: it stays 'sending', to be looked for first.
    assert (
        outage.status == "sending"
        and gone.status == "failed"
        and "channel_not_found" in (gone.last_error or "")
    )
    # The SDK does not resend by itself: each pass is one chat.postMessage, after a look-up.
    clock.advance(timedelta(minutes=1))
    assert slack_rt.dispatcher().dispatch().retrying == 1
    clock.advance(timedelta(minutes=1))
    assert slack_rt.dispatcher().dispatch().sent == 1
    assert len(fake_slack.posts(POLICE)) == 1
    assert len(fake_slack.calls_to("conversations.history")) == 2


def test_find_sent_finds_a_post_after_a_crash_so_it_is_not_sent_twice(
    slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    queue(slack_rt, "crash:1")
    (row,) = rows(slack_rt)
    sender = make_sender(slack_rt.settings.slack)
    post = OutgoingPost(
        key=row.key, outbox_id=row.id, channel=POLICE, reply=Reply(title="Reminder"), kind=row.kind
    )
    assert sender.find_sent(post) is None
    ref = sender.send(post)  # Slack has it; then the process dies before recording it
    with transaction(slack_rt.sessions) as s:
        assert outbox_store.claim(s, row.id, clock.now(), timedelta(minutes=2)) == "pending"
    clock.advance(timedelta(minutes=3))  # the lease runs out
    result = slack_rt.dispatcher().dispatch()
    assert result.recovered == 1 and result.sent == 1
    assert len(fake_slack.posts(POLICE)) == 1  # found through conversations.history, not resent
    assert rows(slack_rt)[0].message_id == ref.message_id
    history = fake_slack.calls_to("conversations.history")[-1]
    assert history.params["include_all_metadata"] in ("1", "true", True)


def test_a_post_in_a_thread_and_a_direct_message_are_found_again(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    sender = make_sender(slack_rt.settings.slack)
    root = sender.send(
        OutgoingPost(key="r", outbox_id=1, channel=POLICE, reply=Reply(title="Root"), kind="agenda")
    )
    reply = OutgoingPost(
        key="r2",
        outbox_id=2,
        channel=POLICE,
        reply=Reply(title="In thread"),
        kind="agenda",
        thread_id=root.message_id,
    )
    sent = sender.send(reply)
    assert sender.find_sent(reply) == sent
    dm = OutgoingPost(
        key="dm", outbox_id=3, channel="U0POL001", reply=Reply(title="To you"), kind="s11_reminder"
    )
    sent_dm = sender.send(dm)
    assert sent_dm.channel == "D0POL001"
    assert sender.find_sent(dm) == sent_dm


def test_the_bot_joins_a_public_channel_it_was_not_invited_to(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    fake_slack.require_join("C0NEW0001")
    sender = make_sender(slack_rt.settings.slack)
    sender.send(OutgoingPost(key="j", outbox_id=1, channel="C0NEW0001", reply=Reply(title="Hello"), kind="x"))
    # It joins before the thread's first post (with chat:write.public the post alone would
    # succeed, but Slack would never send the bot the replies in its thread), once.
    sender.send(OutgoingPost(key="k", outbox_id=2, channel="C0NEW0001", reply=Reply(title="Again"), kind="x"))
    assert [c.method for c in fake_slack.calls][-3:] == [
        "conversations.join",
        "chat.postMessage",
        "chat.postMessage",
    ]
    assert len(fake_slack.posts("C0NEW0001")) == 2


def test_a_revoked_token_is_permanent_and_a_long_reply_still_fits(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    sender = make_sender(slack_rt.settings.slack)
    big = Reply(
        title="T" * 400,
        lines=[f"line {i} " + "x" * 400 for i in range(300)],
        fields=[(f"k{i}", "v") for i in range(25)],
    )
    sender.send(OutgoingPost(key="big", outbox_id=1, channel=POLICE, reply=big, kind="x"))
    (post,) = fake_slack.posts(POLICE)
    assert len(post["blocks"]) <= 50
    fake_slack.valid_tokens = {"xoxb-some-other-token"}
    with pytest.raises(SendError) as e:
        sender.send(OutgoingPost(key="k", outbox_id=2, channel=POLICE, reply=Reply(title="x"), kind="x"))
    assert e.value.permanent and "invalid_auth" in str(e.value)


def test_internal_error_is_maybe_sent_and_an_http_403_is_for_good(
    slack_rt: Runtime, fake_slack: FakeSlack
) -> None:
    sender = make_sender(slack_rt.settings.slack)
    post = OutgoingPost(key="ie", outbox_id=1, channel=POLICE, reply=Reply(title="x"), kind="x")
    # Slack documents internal_error as "some aspect of the operation may have succeeded".
    fake_slack.fail("chat.postMessage", error="internal_error")
    with pytest.raises(SendError) as e:
        sender.send(post)
    assert e.value.maybe_sent and not e.value.permanent
    fake_slack.fail("chat.postMessage", status=403, body="<html>Forbidden</html>")
    with pytest.raises(SendError) as e:
        sender.send(post)
    assert e.value.permanent and "HTTP 403" in str(e.value)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2  # no resend inside the SDK
