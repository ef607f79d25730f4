"""Every person-message is read: a reply "also sent to the channel" (thread_broadcast) and a
reply with a file (file_share) reach the Section 11 thread like any reply, an attached file is
the return's evidence; notices (channel_join) and bots' messages are left, with a trace."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.tick import run_tick
from commands.clock import FixedClock
from store.models import S11Return, ThreadReply
from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text

LONDON = ZoneInfo("Europe/London")
POLICE = "C0POL001"


def police_thread(slack: Slack, clock: FixedClock) -> str:
    """Launch a Section 11 cycle and send it: the ts of the bot's post in the police channel."""
    slack.command("U0QAOFF1", "/s11", "launch 2027 statutory deadline 01/03/2027")
    slack.idle()
    clock.set(datetime(2026, 11, 26, 10, 5, tzinfo=LONDON))
    run_tick(slack.rt.sessions, clock, slack.rt.dispatcher(), slack.rt.platforms)
    (root,) = [m for m in slack.fake.messages(POLICE) if m.get("bot_id")]
    return str(root["ts"])


def in_thread(name: str, root: str) -> dict[str, Any]:
    payload = fixture(name)
    event = payload["event"]
    event["thread_ts"] = root
    if "root" in event:
        event["root"].update(ts=root, thread_ts=root)
    return payload


def police_return(slack: Slack) -> S11Return:
    with slack.rt.sessions() as s:
        rows = [r for r in s.scalars(select(S11Return)) if r.agency.name == "Surrey Police"]
        s.expunge_all()
        return rows[0]


def bot_replies_in(slack: Slack, channel: str, root: str) -> list[str]:
    return [
        str(m["text"]) for m in slack.fake.messages(channel) if m.get("bot_id") and m.get("thread_ts") == root
    ]


def test_a_reply_also_sent_to_the_channel_submits_the_return(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    slack.event(in_thread("event_thread_broadcast", root))
    slack.idle()
    ret = police_return(slack)
    assert ret.status == "submitted"
    assert ret.evidence_url == "https://sscb.sharepoint.com/s11/police-2027.xlsx"
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert "submitted" in answer.lower()


def test_a_file_attached_to_submitted_is_the_evidence(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    slack.event(in_thread("event_file_share", root))
    slack.idle()
    ret = police_return(slack)
    assert ret.status == "submitted"
    assert ret.evidence_url == "https://sscb.slack.com/files/U0POL001/F0S11POL1/surrey-police-s11-2027.xlsx"
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert "surrey-police-s11-2027.xlsx" in answer  # "evidence <the file's link>"

    slack.command("U0CHAIR1", "/s11", "status 2027")
    slack.idle()
    status = slack.fake.ephemerals("U0CHAIR1")[-1]
    assert "surrey-police-s11-2027.xlsx" in str(status.get("text")) + str(status.get("blocks"))


def test_a_typed_link_is_the_evidence_before_an_attached_file(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    payload = in_thread("event_file_share", root)
    payload["event"]["text"] = "submitted https://sscb.sharepoint.com/s11/police-final.xlsx (draft attached)"
    slack.event(payload)
    slack.idle()
    assert police_return(slack).evidence_url == "https://sscb.sharepoint.com/s11/police-final.xlsx"


def test_a_file_with_no_words_is_kept_as_a_comment_with_its_link(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    payload = in_thread("event_file_share", root)
    payload["event"]["text"] = ""
    slack.event(payload)
    slack.idle()
    assert police_return(slack).status != "submitted"
    with slack.rt.sessions() as s:
        (reply,) = s.scalars(select(ThreadReply))
        assert reply.interpretation == "comment"
        assert reply.text.endswith("/F0S11POL1/surrey-police-s11-2027.xlsx")
    told = [blocks_text(p) for p in slack.fake.posts(QA_CHANNEL)]
    assert any("Surrey Police wrote in its Section 11 thread" in t and "F0S11POL1" in t for t in told)


def test_notices_and_bots_messages_are_left_with_the_reason_logged(
    slack: Slack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="qabot.slack")
    slack.event(fixture("event_channel_join"))
    slack.event(fixture("event_bot_message"))
    slack.idle()
    assert slack.fake.posts() == [] and slack.fake.ephemerals() == []
    reasons = [r.getMessage() for r in caplog.records if "not read" in r.getMessage()]
    assert any("channel_join" in r for r in reasons)
    assert any("a bot's message" in r for r in reasons)


def test_the_bots_own_messages_are_never_read(slack: Slack, slack_rt: Runtime) -> None:
    payload = fixture("event_message", event={"user": slack.fake.BOT_USER, "text": "ACTION: loop"})
    slack.event(payload)
    slack.idle()
    with slack_rt.sessions() as s:
        assert s.scalars(select(ThreadReply)).first() is None
    assert slack.fake.posts() == []
