"""`/qa redact` edits the bot's own Teams posts: updateActivity through the Agents SDK's connector
client (PUT v3/conversations/{reply chain}/activities/{id}) to the fake Bot Connector; a post
Teams no longer has (404) is reported, never silently left showing the text."""

from __future__ import annotations

from sqlalchemy import select

from bot.outbox import Dispatcher
from bot.runtime import Runtime
from commands import posting
from commands.context import Scope
from commands.conversations import StoredConversations
from commands.types import Inbound, Reply
from integrations.teams.sender import make_sender
from store import members
from store.db import transaction
from store.models import Board, OutboxMessage
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, activity

HEALTH = "19:health@thread.tacv2"
MISSED = "Chase the Okonkwo family about the housing case"  # the guard cannot know this surname


def _dispatcher(rt: Runtime) -> Dispatcher:
    sender = make_sender(rt.settings.teams, StoredConversations(rt.sessions, rt.clock))
    return Dispatcher(rt.sessions, {"teams": sender}, rt.clock)


def _post_to_health(rt: Runtime, key: str) -> OutboxMessage:
    with transaction(rt.sessions) as s:
        board = s.get(Board, 1)
        assert board is not None
        scope = Scope(session=s, clock=rt.clock, board=board, platforms=("teams",))
        agency = members.agency_by_name(s, "Surrey Health")
        assert agency is not None
        posting.to_agency(scope, agency, key=key, kind="action_posted", reply=Reply(title="A-1", lines=[MISSED]))
    assert _dispatcher(rt).dispatch().sent == 1
    with rt.sessions() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.key.startswith(key)))
        assert row is not None and row.status == "sent" and row.message_id
        return row


def _redact(rt: Runtime) -> Reply:
    reply = rt.core.handle(Inbound(platform="console", user_id="qa", text="/qa redact A-1 a surname"))
    assert reply.ok, reply.lines
    _dispatcher(rt).dispatch()  # the edits queued (the console runtime sends only console posts)
    return reply


def test_redaction_updates_the_bots_teams_post_in_its_reply_chain(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = runtime
    web = serve(rt)
    assert web.post(activity("install_team", connector.url)).status_code == 202
    assert rt.core.handle(Inbound(platform="console", user_id="qa", text=f"/action add {MISSED} @nhs")).ok
    root = _post_to_health(rt, "p-health")
    connector.requests.clear()

    reply = _redact(rt)
    assert f"post-{root.id} on Teams, channel {HEALTH}, message {root.message_id}" in reply.text()
    [put] = [r for r in connector.requests if r.method == "PUT"]
    assert put.path == f"v3/conversations/{HEALTH};messageid={root.message_id}/activities/{root.message_id}"
    assert put.body["id"] == root.message_id and put.body["type"] == "message"
    assert "Okonkwo" not in put.text and "[redacted]" in put.text
    with rt.sessions() as s:
        edit = s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "edit"))
        assert edit is not None and edit.status == "sent"


def test_a_post_teams_no_longer_has_is_reported_not_left_silently(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = runtime
    web = serve(rt)
    assert web.post(activity("install_team", connector.url)).status_code == 202
    assert rt.core.handle(Inbound(platform="console", user_id="qa", text=f"/action add {MISSED} @nhs")).ok
    root = _post_to_health(rt, "p-health")
    connector.fail_next(404)

    _redact(rt)
    with rt.sessions() as s:
        edit = s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "edit"))
        assert edit is not None and edit.status == "failed"
        assert f"{HEALTH};messageid={root.message_id}" in (edit.last_error or "")
        assert "404" in (edit.last_error or "")
