"""A rapid review through the Slack fake end to end: /review open asks each agency in its own
channel's thread, a chaser lands in that thread, the police lead answers "submitted" in it
(Slack's own event payload, tests/slack/conftest.py) and its chasers stop while the others'
carry on; the late summary reaches the chair the day it is late."""

from __future__ import annotations

from datetime import datetime

from bot.runtime import Runtime
from bot.tick import run_tick
from commands.clock import FixedClock
from tests.conftest import LONDON
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import Slack, fake_slack, slack, slack_env, slack_rt

__all__ = ["fake_slack", "slack", "slack_env", "slack_rt"]
POLICE, CHILDRENS, QA = "C0POL001", "C0CSERV1", "C0QAE01"


def _tick(rt: Runtime, clock: FixedClock, when: str) -> None:
    clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
    run_tick(rt.sessions, clock, rt.dispatcher(), rt.platforms)


def _bot(fake: FakeSlack, channel: str) -> list[dict[str, object]]:
    return [m for m in fake.messages(channel) if m.get("bot_id")]


def test_a_review_through_slack(slack: Slack, slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock) -> None:
    clock.set(datetime(2027, 3, 25, 10, 0, tzinfo=LONDON))
    slack.command(
        "U0QAOFF1", "/review", "open RR-2027-03 aware 25/03/2027 agencies Surrey Police, Surrey Children's Services"
    )
    slack.idle()
    _tick(slack_rt, clock, "2027-03-25T10:05")
    police = _bot(fake_slack, POLICE)
    assert len(police) == 1 and "RR-2027-03" in str(police[0]["text"]) and "thread_ts" not in police[0]
    root = str(police[0]["ts"])

    _tick(slack_rt, clock, "2027-03-31T09:30")  # WD2: chased in the thread
    police = _bot(fake_slack, POLICE)
    assert len(police) == 2 and police[1]["thread_ts"] == root

    slack.message("U0POL001", "submitted https://sscb.sharepoint.com/rr/police.docx", channel=POLICE, thread_ts=root)
    slack.idle()
    confirmation = _bot(fake_slack, POLICE)[-1]
    assert confirmation.get("thread_ts") == root and "summary submitted by @pol" in str(confirmation)

    _tick(slack_rt, clock, "2027-04-05T09:30")  # WD5: only the agency still owing is chased
    assert len(_bot(fake_slack, POLICE)) == 3
    childrens = _bot(fake_slack, CHILDRENS)
    assert len(childrens) == 3 and all(m.get("thread_ts") == childrens[0]["ts"] for m in childrens[1:])

    _tick(slack_rt, clock, "2027-04-13T09:30")  # WD11: late
    late = [p for p in fake_slack.posts() if "Surrey Children's Services summary is late by 1 working day" in str(p)]
    assert sorted(str(p.get("channel")) for p in late) == sorted([QA, "U0CHAIR1"]), late


def test_a_review_reply_is_corrected_with_its_button(
    slack: Slack, slack_rt: Runtime, fake_slack: FakeSlack, clock: FixedClock
) -> None:
    """The same buttons as under a Section 11 reply, through the real slack-bolt app: "Undo"
    under "Recorded: … summary submitted" un-submits it, and the chasers resume."""
    from tests.slack.test_buttons import labels
    from tests.slack.test_commands import blocks_text
    from tests.slack.test_interactivity import click

    clock.set(datetime(2027, 3, 25, 10, 0, tzinfo=LONDON))
    slack.command("U0QAOFF1", "/review", "open RR-2027-03 aware 25/03/2027 agencies Surrey Police")
    slack.idle()
    _tick(slack_rt, clock, "2027-03-25T10:05")
    root = str(_bot(fake_slack, POLICE)[0]["ts"])
    slack.message(
        "U0POL001", "Our summary is submitted https://sscb.sharepoint.com/rr/police.docx", channel=POLICE, thread_ts=root
    )
    slack.idle()
    answer = _bot(fake_slack, POLICE)[-1]
    assert "Recorded: Surrey Police — summary submitted by @pol" in blocks_text(answer)
    assert labels(answer["blocks"]) == ["That was a comment", "Undo"]

    click(slack, "U0POL001", answer, "Undo")
    slack.idle()
    slack.command("U0QAOFF1", "/review", "status RR-2027-03")
    slack.idle()
    status = str(fake_slack.ephemerals("U0QAOFF1")[-1])
    assert "Surrey Police summary: WD10 12 Apr 2027 (from awareness) — due in" in status
    _tick(slack_rt, clock, "2027-03-31T09:30")  # WD2: chased again, in the same thread
    chased = _bot(fake_slack, POLICE)[-1]
    assert chased.get("thread_ts") == root and "reminder" in str(chased["text"]).lower()
    told = [p for p in fake_slack.posts(QA) if "was corrected" in str(p)]
    assert len(told) == 1 and "R-1" in str(told[0])
