"""Said to the bot in Teams: "@QA Bot action list" in the reply chain of a Section 11 post runs
the command (it is not kept as the agency's comment); a mention that is no command still answers
the post; a 1:1 chat is always said to the bot."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from store.models import S11Return, ThreadReply
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, Served, activity


def _health_thread(rt: Runtime, web: Served, connector: FakeBotConnector) -> str:
    """Launch a cycle from a 1:1 chat: the id of the post that starts Surrey Health's thread."""
    assert web.post(activity("install_team", connector.url)).status_code == 202
    launch = activity("personal_message", connector.url)
    launch["text"] = "s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"
    assert web.post(launch).status_code == 202
    assert web.idle()  # the launch posts go out after the turn
    (created,) = [
        r for r in connector.created() if r.body["channelData"]["channel"]["id"] == "19:health@thread.tacv2"
    ]
    assert created.conversation_id is not None
    connector.requests.clear()
    return created.conversation_id.split(";messageid=")[1]


def _thread_replies(rt: Runtime) -> list[ThreadReply]:
    with rt.sessions() as s:
        return list(s.scalars(select(ThreadReply)))


def test_a_command_mention_in_a_section11_reply_chain_runs_the_command(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    pytest.importorskip("commands.section11.replies")
    web = serve(runtime)
    root = _health_thread(runtime, web, connector)
    assert web.post(activity("channel_reply_mention", connector.url, ROOT_MESSAGE_ID=root)).status_code == 202
    [answer] = connector.messages()
    assert answer.conversation_id == f"19:health@thread.tacv2;messageid={root}"
    assert "Open actions" in answer.text and "Noted" not in answer.text
    assert _thread_replies(runtime) == []


def test_a_mention_that_is_no_command_answers_the_post(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    pytest.importorskip("commands.section11.replies")
    web = serve(runtime)
    root = _health_thread(runtime, web, connector)
    body = activity("channel_reply_mention", connector.url, ROOT_MESSAGE_ID=root)
    body["text"] = "<at>QA Bot</at> submitted https://sscb.sharepoint.com/s11/health.xlsx"
    assert web.post(body).status_code == 202
    [answer] = connector.messages()
    assert "submitted" in answer.text.lower()
    with runtime.sessions() as s:
        ret = next(r for r in s.scalars(select(S11Return)) if r.agency.name == "Surrey Health")
        assert ret.status == "submitted" and ret.evidence_url == "https://sscb.sharepoint.com/s11/health.xlsx"


def test_a_personal_chat_is_said_to_the_bot() -> None:
    from integrations.teams.inbound import to_inbound

    body = activity("personal_message", "https://smba.trafficmanager.net/emea/")
    inbound = to_inbound(body)
    assert inbound is not None and inbound.addressed and not inbound.chatter
    reply = activity("channel_reply_no_mention", "https://smba.trafficmanager.net/emea/", ROOT_MESSAGE_ID="1")
    chatter = to_inbound(reply)
    assert chatter is not None and chatter.chatter and not chatter.addressed
