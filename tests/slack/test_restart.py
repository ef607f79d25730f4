"""Deliveries a stopped process stored and acknowledged but never answered, finished by the
next one (bot/intake.py through integrations/slack/intake.py): the command is stored once and
the person is answered, saying why it is late; a form can no longer be opened (its
trigger_id lasted 3 seconds), and the person is told to ask again."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.intake import Intake
from commands.clock import FixedClock
from integrations.slack.interactive import LATE_NOTE, TOO_LATE_FOR_FORM
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
