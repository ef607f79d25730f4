"""Message events: ACTION:/FINDING: lines in the QA channel, threads, retries, noise."""

from __future__ import annotations

from sqlalchemy import select

from store.models import Action, Finding
from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text, count_actions


def test_an_action_line_in_the_qa_channel_is_logged_and_confirmed_in_its_thread(slack: Slack) -> None:
    ts = slack.message("U0QAOFF1", "ACTION: Chase the Police audit return <@U0POL001> due 12/03/2027")
    slack.idle()
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert post["thread_ts"] == ts
    assert "Logged A-1" in blocks_text(post)
    with slack.rt.sessions() as s:
        a = s.scalars(select(Action)).one()
        assert a.text == "Chase the Police audit return"
        assert a.owner is not None and a.owner.handle == "pol"
        assert a.source == "slack"
        assert a.source_url == slack.fake.permalink(QA_CHANNEL, ts)


def test_a_finding_line_is_logged_with_its_reference(slack: Slack) -> None:
    ts = slack.message(
        "U0QAOFF1", "FINDING: Strategy meetings not always multi-agency agency Surrey Police rag amber"
    )
    slack.idle()
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert post["thread_ts"] == ts and "Logged F-1" in blocks_text(post)
    with slack.rt.sessions() as s:
        f = s.scalars(select(Finding)).one()
        assert f.rag == "amber" and f.agency is not None and f.agency.name == "Surrey Police"


def test_typed_markup_is_stored_as_typed_and_shown_never_executed(slack: Slack) -> None:
    # The person typed: ACTION: Check <!channel> & <b>rota</b>  (Slack escapes &, <, >)
    slack.message("U0QAOFF1", "ACTION: Check &lt;!channel&gt; &amp; &lt;b&gt;rota&lt;/b&gt;")
    slack.idle()
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.text)).one() == "Check <!channel> & <b>rota</b>"
    (post,) = slack.fake.posts(QA_CHANNEL)
    shown = blocks_text(post)
    assert "Check &lt;!channel&gt; &amp; &lt;b&gt;rota&lt;/b&gt;" in shown
    assert "<!channel>" not in shown and "<!channel>" not in str(post["text"])


def test_ordinary_talk_other_channels_edits_and_bots_are_ignored(slack: Slack) -> None:
    slack.message("U0QAOFF1", "Morning all, the agenda is in the drive")
    slack.message("U0QAOFF1", "ACTION: this channel is not the QA channel", channel="C0POL001")
    slack.event(fixture("event_message_changed"))
    slack.event(fixture("event_bot_message"))
    root = slack.message("U0BMEM01", "Has anyone seen the audit?")
    slack.message("U0QAOFF1", "yes, it is in the drive", thread_ts=root)  # not a bot thread
    slack.idle()
    assert count_actions(slack) == 0
    assert slack.fake.posts() == [] and slack.fake.ephemerals() == []


def test_a_retried_event_logs_once_even_after_a_restart(slack: Slack) -> None:
    payload = fixture("event_message", event={"text": "ACTION: Send the audit template to schools"})
    assert slack.event(payload).status_code == 200
    assert slack.event(payload, retry_num=1).status_code == 200
    slack.idle()
    slack.adapter.events.recent = type(
        slack.adapter.events.recent
    )()  # a new process: only the database remembers
    assert slack.event(payload, retry_num=2).status_code == 200
    slack.idle()
    assert count_actions(slack) == 1
    assert len(slack.fake.posts(QA_CHANNEL)) == 1


def test_a_non_member_line_is_refused_to_them_alone(slack: Slack) -> None:
    ts = slack.message("U0STRANGR", "ACTION: Something I want done")
    slack.idle()
    assert count_actions(slack) == 0
    assert slack.fake.posts() == []
    (eph,) = slack.fake.ephemerals("U0STRANGR")
    assert eph["thread_ts"] == ts and "not on this board" in blocks_text(eph)


def test_a_direct_message_is_a_command(slack: Slack) -> None:
    payload = fixture(
        "event_message",
        event={"channel": "D0QAOFF01", "channel_type": "im", "text": "action list"},
        event_id="Ev0DM0000001",
    )
    slack.event(payload)
    slack.idle()
    (post,) = slack.fake.posts("D0QAOFF01")
    assert "Open actions (0)" in blocks_text(post)


def _meeting_id(slack: Slack) -> int:
    from store.models import Meeting

    with slack.rt.sessions() as s:
        return int(s.scalars(select(Meeting.id).where(Meeting.title == "QA&E sub-group")).one())


def _agenda_items(slack: Slack) -> list[str]:
    from store.models import AgendaItem

    with slack.rt.sessions() as s:
        return list(s.scalars(select(AgendaItem.text)))


def test_a_reply_in_the_thread_of_the_bots_agenda_post_reaches_the_agenda(slack: Slack) -> None:
    from commands.types import Reply
    from store import outbox as outbox_store
    from store.db import transaction

    with transaction(slack.rt.sessions) as s:
        outbox_store.enqueue(
            s,
            key="agenda:1:slack",
            platform="slack",
            channel=QA_CHANNEL,
            kind="agenda",
            payload=Reply(
                title="Agenda: QA&E sub-group", lines=["Reply in this thread to add an item."]
            ).model_dump(mode="json"),
            now=slack.rt.clock.now(),
            subject_type="meeting",
            subject_id=_meeting_id(slack),
        )
    assert slack.rt.dispatcher().dispatch().sent == 1
    (agenda_post,) = slack.fake.messages(QA_CHANNEL)
    slack.message("U0CHAIR1", "Update on the neglect strategy", thread_ts=agenda_post["ts"])
    slack.idle()
    assert _agenda_items(slack) == ["Update on the neglect strategy"]
    (answer,) = slack.fake.ephemerals("U0CHAIR1")  # the handler's reply, in the thread, to the person
    assert answer["thread_ts"] == agenda_post["ts"] and answer["channel"] == QA_CHANNEL

    slack.message("U0STRANGR", "Can I add something?", thread_ts=agenda_post["ts"])
    slack.idle()
    assert _agenda_items(slack) == ["Update on the neglect strategy"]  # recorded, nothing changed


def test_a_memo_reaction_puts_the_message_on_the_next_agenda(slack: Slack) -> None:
    ts = slack.fake.add_message(QA_CHANNEL, "Discuss the CSE audit findings", "U0BMEM01")
    event = {
        "type": "reaction_added",
        "user": "U0QAOFF1",
        "reaction": "memo",
        "item_user": "U0BMEM01",
        "item": {"type": "message", "channel": QA_CHANNEL, "ts": ts},
        "event_ts": "1790000200.000100",
    }
    payload = fixture("event_message", event=event, event_id="Ev0MEMO00001")
    payload["event"] = event
    slack.event(payload)
    slack.event(dict(payload, event=dict(event, reaction="thumbsup"), event_id="Ev0THUMB0001"))
    slack.idle()
    assert _agenda_items(slack) == ["Discuss the CSE audit findings"]
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert post["thread_ts"] == ts and "Added to the agenda" in blocks_text(post)
