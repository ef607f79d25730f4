"""At most once when the outcome is unclear, for the answer to a person's command too: the
listeners' Slack client does not resend a chat.postMessage after a 5xx or a lost connection
(slack_sdk's default retry handlers did), and the answer is neither silent nor doubled: a
channel post is handed to the outbox as "maybe sent", which looks for it (by the message
metadata key it carried) before sending it once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from store.models import OutboxMessage
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import QA_CHANNEL, Slack

ADD = "add Review MASH referral audit <@U0POL001|police.lead> due 12/03/2027 #cp"


def confirmations(fake: FakeSlack) -> list[dict[str, object]]:
    """The "Logged A-1" messages the channel holds (whatever the bot was told when posting)."""
    return [m for m in fake.messages(QA_CHANNEL) if "Logged A-1" in str(m.get("text"))]


def test_a_lost_answer_to_a_command_is_looked_for_not_posted_twice(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", lost=True)  # Slack takes the post; the answer never comes

    assert slack.command("U0QAOFF1", "/action", ADD).status_code == 200
    slack.idle()

    assert len(confirmations(fake_slack)) == 1, "the answer was posted twice"
    assert len(fake_slack.calls_to("chat.postMessage")) == 1, "the SDK sent it again"
    assert fake_slack.responses == [] and fake_slack.ephemerals() == []  # not shown again another way
    with slack.rt.sessions() as s:
        [row] = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_retry"))
    assert row.status == "sent" and row.channel == QA_CHANNEL  # found by its key: not resent


def test_a_5xx_answer_is_not_resent_by_the_sdk_and_reaches_the_channel_once(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postMessage", status=500)  # refused this time (Slack kept nothing)

    assert slack.command("U0QAOFF1", "/action", ADD).status_code == 200
    slack.idle()

    assert len(confirmations(fake_slack)) == 1
    methods = [c.method for c in fake_slack.calls if c.method.startswith(("chat.", "conversations.history"))]
    first_failed = methods.index("chat.postMessage")
    # After the 500 the answer was looked for before it was posted again: no blind resend.
    assert methods[first_failed + 1] == "conversations.history", methods
    assert methods.count("chat.postMessage") == 2


def test_an_unclear_private_answer_goes_to_the_person_saying_it_may_be_a_second_copy(
    slack: Slack, fake_slack: FakeSlack
) -> None:
    fake_slack.fail("chat.postEphemeral", status=503)

    slack.command("U0QAOFF1", "/action", "list")
    slack.idle()

    assert len(fake_slack.calls_to("chat.postEphemeral")) == 1  # no SDK resend
    dms = [p for p in fake_slack.posts() if p.get("channel") != QA_CHANNEL]
    assert len(dms) == 1
    assert "may or may not have arrived" in str(dms[0].get("blocks")) + str(dms[0].get("text"))


def test_an_unclear_answer_to_someone_not_on_the_board_is_listed_by_doctor(
    slack: Slack, fake_slack: FakeSlack, capsys: pytest.CaptureFixture[str]
) -> None:
    """Someone with no member row gets "not on the board" privately; when that answer's outcome
    is unclear it goes to their DMs through the outbox, and `qabot doctor` names it (nobody on
    the board would otherwise hear of them)."""
    from bot.cli import main

    fake_slack.fail("chat.postEphemeral", status=503)
    slack.command("U0STRANGR", "/action", "list")
    slack.idle()
    with slack.rt.sessions() as s:
        [row] = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_retry"))
    assert row.channel == "U0STRANGR" and row.status == "sent"
    assert any(p.get("channel") == "U0STRANGR" for p in fake_slack.posts())

    capsys.readouterr()
    main(["doctor", "--now", "2026-11-27T10:00"])
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "] Answers" in line]
    assert line.startswith("[warn]"), line
    assert "1 to someone not on the board (no member row" in line and "U0STRANGR on slack (sent)" in line

    # A fortnight on, it is no longer listed.
    main(["doctor", "--now", "2026-12-20T10:00"])
    out = capsys.readouterr().out
    [line] = [line for line in out.splitlines() if "] Answers" in line]
    assert line.startswith("[  ok]") and "no answer had to be sent again" in line
