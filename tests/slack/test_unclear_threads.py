"""Slack: a person's reply in a thread the bot started but cannot match (Slack's
`parent_user_id` names the bot; the outbox has no such post) is answered in the thread, and
the QA officer is told once per thread. A reply in a person's own thread is their business.

Payload: event_file_share.json (Slack Events API, a reply in a thread: thread_ts and
parent_user_id as @slack/types' GenericMessageEvent declares them), text replaced.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from commands import unclear_threads
from store.models import OutboxMessage, ThreadReply
from tests.slack.conftest import QA_CHANNEL, Slack, fixture

POLICE = "C0POL001"
BOT = "U0QABOT01"


def _reply(root: str, text: str, event_id: str, parent: str = BOT) -> dict[str, Any]:
    payload = fixture("event_file_share", event_id=event_id)
    event = payload["event"]
    event.pop("files", None)
    event.pop("upload", None)
    event.pop("subtype", None)
    event.update(thread_ts=root, parent_user_id=parent, text=text, channel=POLICE)
    return payload


def _notices(slack: Slack) -> list[OutboxMessage]:
    with slack.rt.sessions() as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "unmatched_thread")))


def test_a_reply_in_a_bot_thread_it_cannot_match_is_answered_and_told_once(slack: Slack) -> None:
    root = slack.fake.add_message(POLICE, "Section 11 return due soon", BOT)
    assert slack.event(_reply(root, "submitted, see the portal", "Ev0UNMATCH01")).status_code == 200
    slack.idle()
    [answer] = [e for e in slack.fake.ephemerals("U0POL001") if e.get("thread_ts") == root]
    assert unclear_threads.CANNOT_MATCH in str(answer.get("text")) + str(answer.get("blocks"))
    [notice] = _notices(slack)
    assert notice.channel == QA_CHANNEL
    said = " ".join(notice.payload["lines"])
    assert "Surrey Police's channel" in said and "“submitted, see the portal”" in said
    assert any("could not match" in str(p) for p in slack.fake.posts(QA_CHANNEL))
    with slack.rt.sessions() as s:
        assert s.scalars(select(ThreadReply)).all() == []

    # A second reply there is answered too; the QA officer is told of the thread once.
    assert slack.event(_reply(root, "hello?", "Ev0UNMATCH02")).status_code == 200
    slack.idle()
    assert len([e for e in slack.fake.ephemerals("U0POL001") if e.get("thread_ts") == root]) == 2
    assert len(_notices(slack)) == 1


def test_a_reply_in_a_persons_own_thread_is_left_alone(slack: Slack) -> None:
    root = slack.fake.add_message(POLICE, "Anyone at the MASH meeting?", "U0POL001")
    assert slack.event(_reply(root, "yes, me", "Ev0UNMATCH03", parent="U0POL001")).status_code == 200
    slack.idle()
    assert _notices(slack) == []
    assert [e for e in slack.fake.ephemerals() if e.get("thread_ts") == root] == []
