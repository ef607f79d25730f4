"""Proactive posts: the outbox sends through the Teams sender (the SDK's connector client) to a
fake Bot Connector; a thread is started in the agency's channel and later posts join it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.console import run_chat
from bot.outbox import Dispatcher
from bot.runtime import Runtime
from commands import catalog, posting
from commands.context import Scope
from commands.conversations import StoredConversations
from commands.types import Reply
from integrations.teams.sender import make_sender
from store import conversations, members
from store.db import transaction
from store.models import Board, ConversationRef, OutboxMessage
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams import probe
from tests.teams.conftest import Serve, activity


def _queue(rt: Runtime, key: str, text: str, thread_key: str = "probe:1") -> None:
    with transaction(rt.sessions) as s:
        board = s.get(Board, 1)
        assert board is not None
        scope = Scope(session=s, clock=rt.clock, board=board, platforms=("teams",))
        agency = members.agency_by_name(s, "Surrey Health")
        assert agency is not None
        rows = posting.to_agency(
            scope, agency, key=key, kind="probe_reminder", reply=Reply(title=text), thread_key=thread_key
        )
        assert [r.channel for r in rows] == ["19:health@thread.tacv2"]


def _dispatcher(rt: Runtime) -> Dispatcher:
    sender = make_sender(rt.settings.teams, StoredConversations(rt.sessions, rt.clock))
    return Dispatcher(rt.sessions, {"teams": sender}, rt.clock)


@pytest.fixture
def installed(runtime: Runtime, serve: Serve, connector: FakeBotConnector) -> Runtime:
    """The bot installed in the team (its service URL comes from the install activity)."""
    web = serve(runtime)
    assert web.post(activity("install_team", connector.url)).status_code == 202
    connector.requests.clear()
    return runtime


@pytest.fixture
def probe_handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[dict[str, object]]]:
    registry = catalog.load()
    registry.add_thread_reply("probe", probe.handle_reply)
    probe.RECEIVED.clear()
    try:
        yield probe.RECEIVED
    finally:
        registry.remove_thread_reply("probe")
        probe.RECEIVED.clear()


def test_posts_start_a_thread_in_the_agency_channel_and_follow_ups_join_it(
    installed: Runtime, connector: FakeBotConnector
) -> None:
    rt = installed
    _queue(rt, "probe:first", "Section 11 return due soon")
    result = _dispatcher(rt).dispatch()
    assert result.sent == 1 and result.failed == 0

    [created] = connector.created()
    assert created.body["isGroup"] is True
    assert created.body["channelData"]["channel"]["id"] == "19:health@thread.tacv2"
    assert created.body["channelData"]["tenant"]["id"] == "5e1f0000-0000-4000-8000-00000000aaaa"
    assert "Section 11 return due soon" in created.text
    assert "Authorization" not in created.headers  # anonymous mode sends no token
    root_id = created.conversation_id.split(";messageid=")[1] if created.conversation_id else ""

    with rt.sessions() as s:
        first = s.scalar(select(OutboxMessage).where(OutboxMessage.key == "probe:first:teams"))
        assert first is not None
        assert first.status == "sent"
        assert first.message_id == root_id
        assert first.sent_channel == "19:health@thread.tacv2"

    _queue(rt, "probe:second", "Reminder: still waiting for your return")
    assert _dispatcher(rt).dispatch().sent == 1
    [follow_up] = connector.messages()
    assert follow_up.conversation_id == f"19:health@thread.tacv2;messageid={root_id}"
    assert follow_up.reply_to_id is None
    assert "still waiting" in follow_up.text
    with rt.sessions() as s:
        second = s.scalar(select(OutboxMessage).where(OutboxMessage.key == "probe:second:teams"))
        assert second is not None and second.thread_message_id == root_id


def test_a_reply_in_the_bots_thread_reaches_the_core_as_a_thread_reply(
    installed: Runtime, serve: Serve, connector: FakeBotConnector, probe_handler: list[dict[str, object]]
) -> None:
    rt = installed
    _queue(rt, "probe:first", "Section 11 return due soon")
    _dispatcher(rt).dispatch()
    [created] = connector.created()
    assert created.conversation_id is not None
    root_id = created.conversation_id.split(";messageid=")[1]
    connector.requests.clear()

    web = serve(rt)
    reply = activity("channel_reply_no_mention", connector.url, ROOT_MESSAGE_ID=root_id)
    assert web.post(reply).status_code == 202

    with rt.sessions() as s:
        root = s.scalar(select(OutboxMessage).where(OutboxMessage.key == "probe:first:teams"))
        assert root is not None
    assert probe_handler == [
        {
            "root_id": root.id,
            "text": "submitted, the return is on SharePoint",
            "actor": "nhs",
            "thread_id": root_id,
            "channel": "19:health@thread.tacv2",
        }
    ]
    [answer] = connector.messages()
    assert answer.conversation_id == f"19:health@thread.tacv2;messageid={root_id}"
    assert f"Noted your reply to post {root.id}" in answer.text


def test_a_member_is_written_to_in_a_one_to_one_chat(installed: Runtime, connector: FakeBotConnector) -> None:
    rt = installed
    with transaction(rt.sessions) as s:
        board = s.get(Board, 1)
        assert board is not None
        nurse = members.by_handle(s, "nhs")
        assert nurse is not None
        scope = Scope(session=s, clock=rt.clock, board=board, platforms=("teams",))
        posting.to_member(
            scope, nurse, key="probe:dm1", kind="probe_dm", reply=Reply(title="Your action is due")
        )
        posting.to_member(scope, nurse, key="probe:dm2", kind="probe_dm", reply=Reply(title="Second note"))
    assert _dispatcher(rt).dispatch().sent == 2

    [created] = connector.created()  # the chat is created once, then reused
    assert created.body["isGroup"] is False
    assert created.body["members"][0]["id"] == "0c1a0000-0000-4000-8000-000000000010"
    first, second = connector.messages()
    assert first.conversation_id == created.conversation_id == second.conversation_id
    assert "Your action is due" in first.text and "Second note" in second.text
    with rt.sessions() as s:
        ref = conversations.for_user(s, "teams", "0c1a0000-0000-4000-8000-000000000010")
        assert ref is not None and ref.conversation_id == created.conversation_id


def test_rate_limits_are_retried_and_missing_channels_fail_for_good(
    installed: Runtime, connector: FakeBotConnector
) -> None:
    rt = installed
    _queue(rt, "probe:first", "Section 11 return due soon")
    connector.fail_next(429, retry_after=30)
    result = _dispatcher(rt).dispatch()
    assert result.retrying == 1 and result.sent == 0
    with rt.sessions() as s:
        row = s.scalar(select(OutboxMessage))
        assert row is not None and row.status == "pending"
        assert row.next_attempt_at is not None
        assert (row.next_attempt_at - rt.clock.now()).total_seconds() == pytest.approx(30)
        assert "429" in (row.last_error or "")

    rt.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    connector.fail_next(404)
    result = _dispatcher(rt).dispatch()
    assert result.failed == 1
    with rt.sessions() as s:
        row = s.scalar(select(OutboxMessage))
        assert row is not None and row.status == "failed"


def test_without_credentials_nothing_is_sent_beyond_loopback(
    runtime: Runtime, connector: FakeBotConnector
) -> None:
    with transaction(runtime.sessions) as s:
        conversations.save(
            s,
            platform="teams",
            conversation_id="19:health@thread.tacv2",
            service_url="https://smba.trafficmanager.net/emea/",
            tenant_id=None,
            reference={},
            now=runtime.clock.now(),
        )
    _queue(runtime, "probe:first", "Section 11 return due soon")
    result = _dispatcher(runtime).dispatch()
    assert result.failed == 1
    assert connector.requests == []
    with runtime.sessions() as s:
        assert s.scalar(select(ConversationRef.service_url)) == "https://smba.trafficmanager.net/emea/"


def test_section11_launch_reminder_and_submitted_reply_through_teams(
    installed: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """The whole loop with the real Section 11 module: launched from a Teams chat, the agency's
    post starts a thread in its channel, and "submitted" in that thread closes the return."""
    pytest.importorskip("commands.section11.replies")
    rt = installed
    web = serve(rt)
    launch = activity("personal_message", connector.url)
    launch["text"] = "s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"
    assert web.post(launch).status_code == 202
    assert web.idle(), "the launch posts go out after the turn"
    threads_started = [
        r for r in connector.created() if r.body["channelData"]["channel"]["id"] == "19:health@thread.tacv2"
    ]
    assert len(threads_started) == 1, "the launch post starts the agency's thread"
    created = threads_started[0]
    assert created.conversation_id is not None
    root_id = created.conversation_id.split(";messageid=")[1]
    connector.requests.clear()

    reply = activity("channel_reply_no_mention", connector.url, ROOT_MESSAGE_ID=root_id)
    reply["text"] = "submitted"
    assert web.post(reply).status_code == 202
    [answer] = connector.messages()
    assert answer.conversation_id == f"19:health@thread.tacv2;messageid={root_id}"
    assert "submitted" in answer.text.lower()

    out = io.StringIO()
    run_chat(rt, as_handle="qa", stdin=io.StringIO("s11 status 2027\n"), out=out)
    health = [line for line in out.getvalue().splitlines() if "Surrey Health" in line]
    assert health and "submitted" in health[0]


def test_a_timeout_is_maybe_sent_and_resent_once_saying_so(
    installed: Runtime, connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Teams kept the post but answered after the sender gave up. Teams cannot look a post up
    by our key, so it is not resent blindly: once, with a note, and never a third time."""
    import integrations.teams.sender as teams_sender

    monkeypatch.setattr(teams_sender, "TIMEOUT", 0.3)
    rt = installed
    _queue(rt, "probe:late", "Section 11 return due soon")
    connector.answer_late(1.0)
    result = _dispatcher(rt).dispatch()
    assert result.retrying == 1 and result.sent == 0
    with rt.sessions() as s:
        row = s.scalar(select(OutboxMessage))
        assert row is not None and row.status == "sending"  # maybe sent
    rt.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    result = _dispatcher(rt).dispatch()
    assert result.resent_visibly == 1 and result.sent == 1
    texts = [str(m.body) for m in connector.messages()] + [
        str(r.body) for r in connector.requests if r.path == "v3/conversations"
    ]
    assert sum("Section 11 return due soon" in t for t in texts) == 2
    assert sum("(resent — the first attempt" in t for t in texts) == 1
