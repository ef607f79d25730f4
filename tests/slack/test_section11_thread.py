"""Section 11 through Slack end to end: the launch starts each agency's thread, reminders
land in it, the agency answers "submitted" in that thread (Slack's own event payload), and
its reminders stop while the others carry on."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.runtime import Runtime
from bot.tick import run_tick
from commands.clock import FixedClock
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import Slack

LONDON = ZoneInfo("Europe/London")
POLICE, CHILDRENS = "C0POL001", "C0CSERV1"


def tick(rt: Runtime, clock: FixedClock, when: str) -> None:
    clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
    run_tick(rt.sessions, clock, rt.dispatcher(), rt.platforms)


def test_submitted_in_the_thread_stops_that_agencys_reminders(
    slack: Slack, slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    slack.command("U0QAOFF1", "/s11", "launch 2027 statutory deadline 01/03/2027")
    slack.idle()
    tick(slack_rt, clock, "2026-11-26T10:05")
    assert len(fake_slack.posts(POLICE)) == 1  # the launch, and only it
    police_msgs = [m for m in fake_slack.messages(POLICE) if m.get("bot_id")]
    root = police_msgs[0]["ts"]
    assert "Section 11" in police_msgs[0]["text"] and "thread_ts" not in police_msgs[0]

    tick(slack_rt, clock, "2027-02-01T09:30")  # the 28-day reminder
    police_msgs = [m for m in fake_slack.messages(POLICE) if m.get("bot_id")]
    assert len(police_msgs) == 2 and police_msgs[1]["thread_ts"] == root

    # The police lead answers in the thread, as Slack delivers it.
    slack.message(
        "U0POL001", "submitted https://sscb.sharepoint.com/s11/police.xlsx", channel=POLICE, thread_ts=root
    )
    slack.idle()
    confirmation = [m for m in fake_slack.messages(POLICE) if m.get("bot_id")][-1]
    assert confirmation.get("thread_ts") == root and "submitted" in confirmation["text"].lower()

    tick(slack_rt, clock, "2027-02-15T09:30")  # the 14-day reminder
    assert len([m for m in fake_slack.messages(POLICE) if m.get("bot_id")]) == 3  # nothing new
    childrens = [m for m in fake_slack.messages(CHILDRENS) if m.get("bot_id")]
    assert len(childrens) == 3 and all(m.get("thread_ts") == childrens[0]["ts"] for m in childrens[1:])

    slack.command("U0CHAIR1", "/s11", "status 2027")
    slack.idle()
    status = fake_slack.ephemerals("U0CHAIR1")[-1]
    body = str(status.get("text")) + str(status.get("blocks"))
    assert "Surrey Police" in body and "police.xlsx" in body


def test_a_reply_read_as_submitted_is_undone_with_its_button(
    slack: Slack, slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    from tests.slack.test_buttons import labels
    from tests.slack.test_commands import blocks_text
    from tests.slack.test_interactivity import click

    slack.command("U0QAOFF1", "/s11", "launch 2027 statutory deadline 01/03/2027")
    slack.idle()
    tick(slack_rt, clock, "2026-11-26T10:05")
    root = next(m for m in fake_slack.messages(POLICE) if m.get("bot_id"))["ts"]
    slack.message(
        "U0POL001",
        "Submitted <https://sscb.sharepoint.com/s11/police.xlsx|police.xlsx>. Can you confirm you received it?",
        channel=POLICE,
        thread_ts=root,
    )
    slack.idle()
    answer = [m for m in fake_slack.messages(POLICE) if m.get("bot_id")][-1]
    assert "Recorded: Surrey Police — submitted by @pol, evidence link kept" in blocks_text(answer)
    assert labels(answer["blocks"]) == ["That was a comment", "Undo"]

    click(slack, "U0POL001", answer, "Undo")
    slack.idle()
    slack.command("U0CHAIR1", "/s11", "status 2027")
    slack.idle()
    status = fake_slack.ephemerals("U0CHAIR1")[-1]
    body = str(status.get("text")) + str(status.get("blocks"))
    assert "Surrey Police — not started" in body and "police.xlsx" not in body.split("Surrey Police")[1][:60]
