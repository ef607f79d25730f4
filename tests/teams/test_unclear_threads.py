"""Replies in a Teams thread the bot does not know, through the real Agents SDK endpoint.

A post whose first attempt timed out is resent once, visibly; if Teams had kept the first
attempt, its thread's id was never returned. A reply in that thread is recorded against the
same Section 11 return when the evidence points there (the only post outstanding in that
channel with an unknown attempt, and the thread's root posted within that attempt's window),
and says so. Otherwise a person's reply in an unknown thread of a channel the bot posts into
is answered in the thread, and the QA officer is told once per thread, with the words only if
the guard passes them.

Payloads: channel_reply_no_mention.json (msteams-docs, a reply in a channel's reply chain:
conversation.id "19:…;messageid=<root id>", replyToId the root). The fake Bot Connector's
message ids are set to the creation time in Unix milliseconds (`ids_from`), as Teams' are
observed to be: Microsoft does not document it, so the bot uses it only beside the other
evidence above.
"""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import run_chat
from bot.runtime import Runtime
from commands import unclear_threads
from store.db import transaction
from store.models import OutboxMessage, ThreadReply
from tests.fakes.bot_connector import FakeBotConnector, Recorded
from tests.teams.conftest import Serve, Served, activity

HEALTH = "19:health@thread.tacv2"
QA_CHANNEL = "19:abc@thread.tacv2"
LAUNCH = "s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"


@pytest.fixture
def web(runtime: Runtime, serve: Serve, connector: FakeBotConnector) -> Served:
    """The bot installed in the team (its service URL comes from the install activity)."""
    served = serve(runtime)
    assert served.post(activity("install_team", connector.url)).status_code == 202
    connector.ids_from(runtime.clock.now)
    connector.requests.clear()
    return served


def _reply(connector: FakeBotConnector, root: str, text: str, message_id: str, **who: str) -> dict[str, Any]:
    body = activity("channel_reply_no_mention", connector.url, ROOT_MESSAGE_ID=root)
    body["id"], body["text"] = message_id, text
    body["from"].update(who)
    return body


def _root(created: Recorded) -> str:
    assert created.conversation_id is not None
    return created.conversation_id.split(";messageid=")[1]


def _health_status(runtime: Runtime) -> str:
    out = io.StringIO()
    run_chat(runtime, as_handle="qa", stdin=io.StringIO("s11 status 2027\n"), out=out)
    return next(line for line in out.getvalue().splitlines() if "Surrey Health" in line)


def _launch_with_the_health_post_timing_out(
    runtime: Runtime, web: Served, connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, str]:
    """The launch's post to Surrey Health's channel is kept by Teams, but its answer comes
    after the sender gave up; the next outbox run resends it once, saying so. Returns the root
    ids of the copy nobody told us about and of the resend."""
    import integrations.teams.sender as teams_sender

    monkeypatch.setattr(teams_sender, "TIMEOUT", 0.3)
    connector.answer_late(1.0, where=lambda r: r.path == "v3/conversations" and HEALTH in str(r.body))
    launch = activity("personal_message", connector.url)
    launch["text"] = LAUNCH
    assert web.post(launch).status_code == 202
    assert web.idle()
    with runtime.sessions() as s:
        [post] = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == HEALTH)).all()
        assert post.status == "sending" and post.unclear_from is not None  # maybe sent
    runtime.clock.advance(timedelta(minutes=1))  # type: ignore[attr-defined]
    assert runtime.dispatcher().dispatch().resent_visibly == 1
    first, resent = connector.channel_created(HEALTH)
    assert "(resent — the first attempt" in str(resent.body)
    return _root(first), _root(resent)


def test_a_reply_in_the_copy_teams_kept_is_recorded_against_the_return(
    runtime: Runtime, web: Served, connector: FakeBotConnector, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy, resent = _launch_with_the_health_post_timing_out(runtime, web, connector, monkeypatch)
    connector.requests.clear()
    assert web.post(_reply(connector, copy, "submitted", "1764170000001")).status_code == 202
    [answer] = connector.messages()
    assert answer.conversation_id == f"{HEALTH};messageid={copy}"  # answered where they replied
    assert "submitted" in answer.text.lower()
    assert unclear_threads.DUPLICATE_NOTE in answer.text
    assert "submitted" in _health_status(runtime)
    with runtime.sessions() as s:
        [post] = s.scalars(select(OutboxMessage).where(OutboxMessage.channel == HEALTH)).all()
        assert post.message_id == resent and post.duplicate_message_id == copy
        [kept] = s.scalars(select(ThreadReply)).all()
        assert kept.outbox_id == post.id and kept.interpretation == "submitted"
        assert not s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "unmatched_thread")).all()

    # A later reply in the same copy is matched directly (its root is now known).
    runtime.clock.advance(timedelta(days=3))  # type: ignore[attr-defined]
    assert (
        web.post(_reply(connector, copy, "thanks, any questions let me know", "1764170000002")).status_code
        == 202
    )
    assert unclear_threads.DUPLICATE_NOTE in connector.messages()[-1].text
    # The resend's own thread is the post's thread as ever.
    assert web.post(_reply(connector, resent, "thanks again", "1764170000003")).status_code == 202
    assert unclear_threads.DUPLICATE_NOTE not in connector.messages()[-1].text
    with runtime.sessions() as s:
        assert len(s.scalars(select(ThreadReply)).all()) == 3


def _maybe_sent(runtime: Runtime, key: str, message_id: str) -> None:
    """A thread-starting post in Surrey Health's channel that was resent after an unknown
    outcome (as the dispatcher leaves it), with the attempt window at the clock's now."""
    now = runtime.clock.now()
    with transaction(runtime.sessions) as s:
        s.add(
            OutboxMessage(
                key=key,
                platform="teams",
                channel=HEALTH,
                kind="s11_reminder",
                payload={"title": key},
                status="sent",
                attempts=2,
                resent_unclear=True,
                created_at=now,
                sent_at=now,
                message_id=message_id,
                sent_channel=HEALTH,
                unclear_from=now,
                unclear_until=now,
            )
        )


def _notices(runtime: Runtime) -> list[OutboxMessage]:
    with runtime.sessions() as s:
        return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "unmatched_thread")))


def test_two_posts_it_could_be_is_not_guessed_it_is_answered_and_told(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    _maybe_sent(runtime, "one", "1764160000001")
    _maybe_sent(runtime, "two", "1764160000002")
    root = str(int(runtime.clock.now().timestamp() * 1000))
    assert web.post(_reply(connector, root, "submitted", "1764170000001")).status_code == 202
    assert web.idle()
    [answer] = connector.messages()
    assert answer.conversation_id == f"{HEALTH};messageid={root}"
    assert answer.text == unclear_threads.CANNOT_MATCH
    [told] = connector.channel_created(QA_CHANNEL)  # the QA officer's notice, in the QA channel
    assert "Designated Nurse" in told.text or "Designated Nurse" in str(told.body)
    with runtime.sessions() as s:
        assert s.scalars(select(ThreadReply)).all() == []
    [notice] = _notices(runtime)
    assert notice.channel == QA_CHANNEL and notice.status == "sent"
    said = " ".join(notice.payload["lines"])
    assert "Designated Nurse" in said and "Surrey Health's channel" in said and "“submitted”" in said

    # A second reply there is answered too; the QA officer is told of the thread once.
    assert web.post(_reply(connector, root, "hello?", "1764170000002")).status_code == 202
    assert web.idle()
    assert [m.text for m in connector.messages()] == [unclear_threads.CANNOT_MATCH] * 2
    assert len(_notices(runtime)) == 1 and len(connector.channel_created(QA_CHANNEL)) == 1


def test_a_thread_outside_the_attempts_window_is_not_matched(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    _maybe_sent(runtime, "one", "1764160000001")
    earlier = str(int((runtime.clock.now() - timedelta(hours=1)).timestamp() * 1000))
    assert web.post(_reply(connector, earlier, "submitted", "1764170000001")).status_code == 202
    assert connector.messages()[0].text == unclear_threads.CANNOT_MATCH
    assert len(_notices(runtime)) == 1
    with runtime.sessions() as s:
        assert s.scalars(select(ThreadReply)).all() == []


def test_words_the_guard_refuses_are_not_repeated_to_the_qa_officer(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    text = "Jayden Smith DOB 04.05.2015 NHS 943 476 5919"
    assert web.post(_reply(connector, "1764150000000", text, "1764170000001")).status_code == 202
    assert connector.messages()[0].text == unclear_threads.CANNOT_MATCH
    [notice] = _notices(runtime)
    said = " ".join(notice.payload["lines"])
    assert "Jayden" not in said and "943" not in said and unclear_threads.WITHHELD in said


def test_someone_not_on_the_board_is_answered_and_told_too(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    visitor = {"aadObjectId": "99999999-0000-4000-8000-000000000099", "name": "Visitor"}
    assert (
        web.post(
            _reply(connector, "1764150000000", "is this the right place?", "1764170000001", **visitor)
        ).status_code
        == 202
    )
    assert connector.messages()[0].text == unclear_threads.CANNOT_MATCH
    [notice] = _notices(runtime)
    assert "someone not on the board (99999999-0000-4000-8000-000000000099)" in " ".join(
        notice.payload["lines"]
    )


def test_a_channel_the_bot_does_not_post_into_is_left_alone(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    body = _reply(connector, "1764150000000", "lunch at one?", "1764170000001")
    body["conversation"]["id"] = "19:staff-room@thread.tacv2;messageid=1764150000000"
    body["channelData"]["channel"]["id"] = "19:staff-room@thread.tacv2"
    assert web.post(body).status_code == 202
    assert connector.messages() == [] and _notices(runtime) == []


def test_replies_under_a_persons_own_post_are_their_conversation(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    """Teams does not say who posted a thread's root: the bot keeps the ids of people's
    top-level posts in its channels (never their text), and leaves replies under them alone."""
    top = _reply(connector, "1764150000000", "Anyone going to the MASH review?", "1764150000000")
    assert top["conversation"]["id"].endswith(";messageid=1764150000000")  # a new reply chain
    assert web.post(top).status_code == 202
    assert web.post(_reply(connector, "1764150000000", "yes, me", "1764150000001")).status_code == 202
    # A thread under a message that @mentioned the bot is the person's too.
    mention = activity("channel_mention", connector.url)
    mention["conversation"]["id"] = f"{HEALTH};messageid={mention['id']}"
    assert web.post(mention).status_code == 202
    assert web.post(_reply(connector, mention["id"], "thanks", "1764151200999")).status_code == 202
    assert [m.text for m in connector.messages() if unclear_threads.CANNOT_MATCH in m.text] == []
    assert _notices(runtime) == []
    from store.models import PersonThread

    with runtime.sessions() as s:
        kept = {(p.channel, p.message_id) for p in s.scalars(select(PersonThread))}
    assert kept == {(HEALTH, "1764150000000"), (HEALTH, mention["id"])}


def test_a_post_a_stopped_process_was_sending_counts_its_lease_as_the_window(
    runtime: Runtime, web: Served, connector: FakeBotConnector
) -> None:
    """The process died after claiming a post (Teams may have kept it): the next run resends
    it visibly, and a reply in a thread started within that claim's lease is matched."""
    from bot.outbox import LEASE
    from commands import posting
    from commands.context import Scope
    from commands.types import Reply
    from store import members
    from store import outbox as outbox_store
    from store.models import Board

    with transaction(runtime.sessions) as s:
        board = s.get(Board, 1)
        agency = members.agency_by_name(s, "Surrey Health")
        assert board is not None and agency is not None
        scope = Scope(session=s, clock=runtime.clock, board=board, platforms=("teams",))
        [row] = posting.to_agency(
            scope, agency, key="probe:crash", kind="s11_reminder", reply=Reply(title="Due soon")
        )
        s.flush()
        claimed_at = runtime.clock.now()
        assert outbox_store.claim(s, row.id, claimed_at, LEASE) == "pending"  # …and then it died
    runtime.clock.advance(LEASE + timedelta(seconds=1))  # type: ignore[attr-defined]
    assert runtime.dispatcher().dispatch().resent_visibly == 1
    with runtime.sessions() as s:
        post = s.scalars(select(OutboxMessage).where(OutboxMessage.key.startswith("probe:crash"))).one()
        assert (post.unclear_from, post.unclear_until) == (claimed_at, claimed_at + LEASE)
    copy = str(int((claimed_at + timedelta(seconds=20)).timestamp() * 1000))
    assert web.post(_reply(connector, copy, "noted, thanks", "1764170000001")).status_code == 202
    with runtime.sessions() as s:
        matched = s.get(OutboxMessage, post.id)
        assert matched is not None and matched.duplicate_message_id == copy  # the probe post's copy
    assert _notices(runtime) == []
