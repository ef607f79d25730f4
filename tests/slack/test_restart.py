"""Deliveries a stopped process stored and acknowledged but never answered, finished by the
next one (bot/intake.py through integrations/slack/intake.py): the command is stored once and
the person is answered, saying why it is late; a form can no longer be opened (its
trigger_id lasted 3 seconds), and the person is told to ask again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.intake import Intake
from commands.clock import FixedClock
from commands.types import Inbound
from integrations.slack.lateness import LATE_NOTE, TOO_LATE_FOR_FORM
from store import inbox
from store.models import Action, InboxItem
from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text


def left_by_a_stopped_process(slack: Slack, text: str) -> dict[str, object]:
    """A slash command the previous process stored (and so acknowledged), then was stopped."""
    body = fixture("slash_command", user_id="U0QAOFF1", command="/action", text=text, channel_id=QA_CHANNEL)
    body["trigger_id"] = slack.trigger()
    body["response_url"] = slack.fake.response_url("late")
    stopped = Intake(slack.rt.sessions, slack.rt.clock)
    assert stopped.accept("slack", "command", f"slack:command:{body['trigger_id']}", body) is not None
    return body


def test_a_command_left_unanswered_is_stored_once_and_answered_late_saying_so(slack: Slack) -> None:
    left_by_a_stopped_process(slack, "add Review the strategy meeting rota @pol due 12/03/2027")
    clock = slack.rt.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(minutes=31))  # the response_url has expired by now
    assert slack.rt.core.intake.recover() == 1
    assert slack.rt.core.intake.recover() == 0  # done: not worked twice
    with slack.rt.sessions() as s:
        assert [a.text for a in s.scalars(select(Action))] == ["Review the strategy meeting rota"]
        assert [r.status for r in s.scalars(select(InboxItem))] == ["done"]
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert "Logged A-1" in blocks_text(post) and LATE_NOTE in blocks_text(post)
    assert slack.fake.responses == []  # not to the expired response_url


def test_a_form_asked_for_before_a_restart_is_not_opened_late(slack: Slack) -> None:
    left_by_a_stopped_process(slack, "add")
    clock = slack.rt.clock
    assert isinstance(clock, FixedClock)
    clock.advance(timedelta(seconds=40))
    assert slack.rt.core.intake.recover() == 1
    assert slack.fake.views == []
    told = [str(e.get("text")) for e in slack.fake.ephemerals("U0QAOFF1")]
    assert len(told) == 1 and TOO_LATE_FOR_FORM in told[0], told


def test_an_action_line_whose_process_died_after_storing_it_is_confirmed_by_the_next(slack: Slack) -> None:
    """The process took the ACTION: line, stored the action, and was killed before it could
    confirm it: the next one confirms it (once stored, now shown) instead of staying silent."""
    ts = slack.fake.add_message(
        QA_CHANNEL, "ACTION: Chase the Police audit return due 12/03/2027", "U0QAOFF1"
    )
    event = {"user": "U0QAOFF1", "text": "ACTION: Chase the Police audit return due 12/03/2027"}
    body = fixture(
        "event_message",
        event={**event, "ts": ts, "event_ts": ts, "channel": QA_CHANNEL},
        event_id="EvDied0001",
    )
    died = Intake(slack.rt.sessions, slack.rt.clock)
    row_id = died.accept("slack", "message", "slack:message:EvDied0001", body)
    assert row_id is not None
    with slack.rt.sessions() as s, s.begin():
        assert inbox.claim(s, row_id, slack.rt.clock.now(), died.lease, platforms={"slack"}) is not None
    stored = slack.rt.core.handle(
        Inbound(
            platform="slack",
            user_id="U0QAOFF1",
            channel=QA_CHANNEL,
            text="action add Chase the Police audit return due 12/03/2027",
            delivery_key="slack:event:EvDied0001",
        )
    )
    assert stored.ok, stored.text()
    clock = slack.rt.clock
    assert isinstance(clock, FixedClock)
    clock.advance(died.lease + timedelta(seconds=1))
    assert slack.rt.core.intake.recover() == 1
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert "Logged A-1" in blocks_text(post) and post["thread_ts"] == ts
    with slack.rt.sessions() as s:
        assert len(list(s.scalars(select(Action)))) == 1
