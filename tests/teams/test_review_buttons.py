"""A rapid review's agency reply corrected from its Teams card, through the real Agents SDK
endpoint: the answer to "submitted" carries the same correction actions as a Section 11
reply's (commands/thread_corrections.py), and an Action.Execute of "Undo" un-submits it."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from store.models import ReviewAgency, ThreadReply
from tests.fakes.bot_connector import FakeBotConnector, Recorded
from tests.teams.conftest import Serve, Served, activity

HEALTH = "19:health@thread.tacv2"
NURSE = {
    "id": "29:1nhsDesignatedNurseTeamsUserIdAbCdEf",
    "name": "Designated Nurse",
    "aadObjectId": "0c1a0000-0000-4000-8000-000000000010",
}


@pytest.fixture
def web(runtime: Runtime, serve: Serve, connector: FakeBotConnector) -> Served:
    served = serve(runtime)
    assert served.post(activity("install_team", connector.url)).status_code == 202
    connector.requests.clear()
    return served


def _actions(message: Recorded) -> list[dict[str, Any]]:
    cards = [a["content"] for a in message.body.get("attachments") or () if "content" in a]
    return [a for card in cards for a in card.get("actions") or ()]


def test_undo_on_the_card_unsubmits_the_summary(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    opening = activity("personal_message", connector.url)
    opening["text"] = "review open RR-2026-05 aware 25/11/2026 agencies Surrey Health"
    assert web.post(opening).status_code == 202
    assert web.idle()
    runtime.dispatcher().dispatch()
    [request] = connector.channel_created(HEALTH)
    assert "RR-2026-05" in str(request.body)
    assert request.conversation_id is not None
    root = request.conversation_id.split(";messageid=")[1]

    reply = activity("channel_reply_no_mention", connector.url, ROOT_MESSAGE_ID=root)
    reply["id"], reply["text"] = "1764170000001", "submitted https://surrey.sharepoint.com/rr/health.docx"
    reply["from"] = dict(NURSE)
    assert web.post(reply).status_code == 202
    assert web.idle()
    answer = connector.messages()[-1]
    assert answer.conversation_id == f"{HEALTH};messageid={root}"
    assert "summary submitted by @nhs" in str(answer.body)
    actions = _actions(answer)
    assert [a["title"] for a in actions] == ["That was a comment", "Undo"]
    undo = actions[1]["data"]["qabot_command"]
    assert undo == "review correct R-1 undo"

    click = activity("card_invoke", connector.url)
    click["conversation"]["id"] = f"{HEALTH};messageid={root}"
    click["value"]["action"].update(title="Undo", data={"qabot_command": undo})
    resp = web.post(click)
    assert resp.status_code == 200, resp.text
    assert "Corrected: R-1 is now undone" in str(resp.json()["value"]["body"])
    with runtime.sessions() as s:
        summary = s.scalars(select(ReviewAgency)).one()
        assert (summary.status, summary.submitted_at, summary.evidence_url) == ("requested", None, None)
        assert s.scalars(select(ThreadReply)).one().interpretation == "undone"
