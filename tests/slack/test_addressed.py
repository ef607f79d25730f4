"""Said to the bot: "@QA Bot action list" in a Section 11 thread runs the command (once, though
Slack sends it as a message and as app_mention), a follow-up in a thread of the bot's DM is a
command; an edited or deleted ACTION: line is answered in its thread, the action unchanged."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from commands.clock import FixedClock
from store.models import Action, Finding, ProcessedDelivery, S11Return, ThreadReply
from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text
from tests.slack.test_reading import POLICE, bot_replies_in, in_thread, police_thread

BOT = "U0QABOT01"


def _thread_replies(slack: Slack) -> list[ThreadReply]:
    with slack.rt.sessions() as s:
        return list(s.scalars(select(ThreadReply)))


def _mention_twice(slack: Slack, root: str, text: str, event_id: str) -> None:
    """A mention in a channel as Slack delivers it: a message event and an app_mention."""
    ts = slack.fake.add_message(POLICE, text, "U0POL001", thread_ts=root)
    message = {
        "user": "U0POL001",
        "text": text,
        "ts": ts,
        "event_ts": ts,
        "channel": POLICE,
        "thread_ts": root,
    }
    slack.event(fixture("event_message", event=message, event_id=f"{event_id}M"))
    mention = in_thread("event_app_mention", root)
    mention["event"].update(text=text, ts=ts, event_ts=ts)
    mention["event_id"] = f"{event_id}A"
    slack.event(mention)
    slack.idle()


def test_a_command_mention_in_a_section11_thread_runs_the_command_once(
    slack: Slack, clock: FixedClock
) -> None:
    root = police_thread(slack, clock)
    _mention_twice(slack, root, f"<@{BOT}> action list", "Ev0MENT0001")
    (answer,) = slack.fake.ephemerals("U0POL001")  # a list: to the person, in the thread
    assert answer["thread_ts"] == root and "Open actions" in blocks_text(answer)
    assert _thread_replies(slack) == []  # not kept as the agency's comment
    assert not any("wrote in its Section 11 thread" in blocks_text(p) for p in slack.fake.posts(QA_CHANNEL))


def test_a_mention_that_is_no_command_still_answers_the_thread(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    _mention_twice(slack, root, f"<@{BOT}> submitted https://sscb.sharepoint.com/s11/p.xlsx", "Ev0MENT0002")
    with slack.rt.sessions() as s:
        ret = next(r for r in s.scalars(select(S11Return)) if r.agency.name == "Surrey Police")
        assert ret.status == "submitted" and ret.evidence_url == "https://sscb.sharepoint.com/s11/p.xlsx"
    assert len(_thread_replies(slack)) == 1
    assert len(bot_replies_in(slack, POLICE, root)) == 1  # one confirmation, not two


def test_a_mention_in_a_channel_runs_the_command(slack: Slack) -> None:
    payload = fixture("event_app_mention")
    del payload["event"]["thread_ts"]
    payload["event"].update(channel=QA_CHANNEL, user="U0QAOFF1", text=f"<@{BOT}> action add Check the rota")
    slack.event(payload)
    slack.idle()
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert "Logged A-1" in blocks_text(post) and post["thread_ts"] == payload["event"]["ts"]
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.text)).one() == "Check the rota"


def test_a_follow_up_in_a_thread_of_the_bots_dm_is_a_command(slack: Slack) -> None:
    payload = fixture("event_message_im_thread")
    payload["event"]["thread_ts"] = "1790000000.000100"  # one of the bot's earlier DMs
    slack.event(payload)
    slack.idle()
    (post,) = slack.fake.posts("D0QAOFF01")
    assert "Open actions (0)" in blocks_text(post) and post["thread_ts"] == "1790000000.000100"


def _logged_action(slack: Slack) -> str:
    ts = slack.message("U0QAOFF1", "ACTION: Chase the Police audit return")
    slack.idle()
    return ts


def _edited(ts: str, text: str, edited_at: str, event_id: str) -> dict[str, Any]:
    payload = fixture("event_message_changed", event_id=event_id)
    event = payload["event"]
    event["message"].update(ts=ts, text=text, edited={"user": "U0QAOFF1", "ts": edited_at})
    event["previous_message"]["ts"] = ts
    return payload


def test_an_edited_action_line_is_answered_in_its_thread_and_the_action_stays(slack: Slack) -> None:
    ts = _logged_action(slack)
    slack.event(_edited(ts, "ACTION: Chase the Health audit return", "1790000101.000000", "Ev0EDIT00001"))
    slack.event(_edited(ts, "ACTION: Chase the Health audit return", "1790000101.000000", "Ev0EDIT00002"))
    slack.idle()
    notes = [p for p in slack.fake.posts(QA_CHANNEL) if "edited" in blocks_text(p)]
    assert len(notes) == 1  # the same edit reported twice is answered once
    assert notes[0]["thread_ts"] == ts
    assert "A-1 still reads “Chase the Police audit return”" in blocks_text(notes[0])
    assert "/action update A-1 text" in blocks_text(notes[0])
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.text)).one() == "Chase the Police audit return"


def test_a_deleted_action_line_is_answered_and_the_action_stays_open(slack: Slack) -> None:
    ts = _logged_action(slack)
    payload = fixture("event_message_deleted")
    payload["event"]["deleted_ts"] = ts
    payload["event"]["previous_message"]["ts"] = ts
    slack.event(payload)
    slack.idle()
    (note,) = [p for p in slack.fake.posts(QA_CHANNEL) if "deleted" in blocks_text(p)]
    assert note["thread_ts"] == ts
    assert "A-1 stays open — close it with /action done A-1" in blocks_text(note)
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.status)).one() == "open"


def test_deleting_an_action_line_with_its_thread_is_answered_once(slack: Slack) -> None:
    """The line has the bot's confirmation in its thread, so Slack leaves a tombstone (a
    message_changed) and may then report the tombstone's deletion too."""
    ts = _logged_action(slack)
    tombstone = fixture("event_message_tombstone")
    for message in (tombstone["event"]["message"], tombstone["event"]["previous_message"]):
        message.update(ts=ts, thread_ts=ts)
    slack.event(tombstone)
    gone = fixture("event_message_deleted", event_id="Ev0DEL000002")
    gone["event"]["deleted_ts"] = ts
    gone["event"]["previous_message"] = dict(tombstone["event"]["message"])
    slack.event(gone)
    slack.idle()
    (note,) = [p for p in slack.fake.posts(QA_CHANNEL) if "deleted" in blocks_text(p)]
    assert note["thread_ts"] == ts and "A-1 stays open" in blocks_text(note)


def test_an_edited_finding_line_is_answered_and_the_finding_kept(slack: Slack) -> None:
    ts = slack.message("U0QAOFF1", "FINDING: Strategy meetings not always multi-agency")
    slack.idle()
    payload = _edited(
        ts, "FINDING: Strategy meetings rarely multi-agency", "1790000102.000000", "Ev0EDIT00005"
    )
    payload["event"]["previous_message"]["text"] = "FINDING: Strategy meetings not always multi-agency"
    slack.event(payload)
    slack.idle()
    (note,) = [p for p in slack.fake.posts(QA_CHANNEL) if "edited" in blocks_text(p)]
    assert "F-1 is kept as recorded: “Strategy meetings not always multi-agency”" in blocks_text(note)
    with slack.rt.sessions() as s:
        assert s.scalars(select(Finding.text)).one() == "Strategy meetings not always multi-agency"


def test_edits_of_messages_that_logged_nothing_say_nothing(slack: Slack) -> None:
    ts = slack.message("U0QAOFF1", "Morning all")
    chatter = _edited(ts, "Morning all!", "1790000101.000000", "Ev0EDIT00003")
    chatter["event"]["previous_message"]["text"] = "Morning all"
    slack.event(chatter)
    preview = fixture("event_message_changed", event_id="Ev0EDIT00004")
    del preview["event"]["message"]["edited"]  # Slack adding a link preview: no edit
    slack.event(preview)
    slack.idle()
    assert slack.fake.posts() == [] and slack.fake.ephemerals() == []
    with slack.rt.sessions() as s:  # never an ACTION:/FINDING: line: the database is not asked
        keys = list(s.scalars(select(ProcessedDelivery.key)))
        assert not any(k.startswith("slack:edited") for k in keys)
