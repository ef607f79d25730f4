"""The real Agents SDK endpoint in the web app, fed Activity JSON in the shapes Teams sends;
replies go to a fake Bot Connector on loopback."""

from __future__ import annotations

import io
from datetime import timedelta

from sqlalchemy import select

from bot.console import run_chat
from bot.runtime import Runtime
from store.models import Action, ConversationRef, OutboxMessage
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, activity


def test_channel_mention_adds_an_action_and_replies_in_the_thread(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    resp = web.post(activity("channel_mention", connector.url))
    assert resp.status_code == 202, resp.text

    [reply] = connector.messages()
    # A reply to the message, in its reply chain.
    assert reply.conversation_id == "19:health@thread.tacv2;messageid=1764150000000"
    assert reply.reply_to_id == "1764151200123"
    assert "Logged A-1" in reply.text
    assert "Audit the MASH referral backlog" in reply.text
    card = reply.card
    assert card is not None and card["version"] == "1.5"
    titles = [a["title"] for a in card["actions"]]
    assert titles == ["Done", "Snooze a week", "Reassign"]
    assert card["actions"][0]["data"] == {"qabot_command": "action done A-1"}

    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None
        assert action.source == "teams"
        assert action.agency is not None and action.agency.name == "Surrey Health"
        assert action.created_by_id is not None

    # The same store, seen through `qabot chat`.
    out = io.StringIO()
    run_chat(runtime, as_handle="qa", stdin=io.StringIO("action list\n"), out=out)
    assert "A-1" in out.getvalue() and "Audit the MASH referral backlog" in out.getvalue()


def test_retried_delivery_changes_nothing(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    body = activity("channel_mention", connector.url)
    assert web.post(body).status_code == 202
    assert web.post(body).status_code == 202
    with runtime.sessions() as s:
        assert len(list(s.scalars(select(Action)))) == 1
    first, second = connector.messages()
    assert "Logged A-1" in first.text and "Logged A-1" in second.text


def test_install_stores_a_conversation_reference(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    assert web.post(activity("install_team", connector.url)).status_code == 202
    with runtime.sessions() as s:
        [ref] = s.scalars(select(ConversationRef)).all()
    assert ref.platform == "teams"
    assert ref.conversation_id == "19:team-general@thread.tacv2"
    assert ref.service_url == connector.url
    assert ref.tenant_id == "5e1f0000-0000-4000-8000-00000000aaaa"
    assert ref.reference["teamId"] == "19:team-general@thread.tacv2"
    assert ref.reference["bot"]["id"] == "28:00000000-0000-4000-8000-0000000b0700"
    [welcome] = connector.messages()
    assert welcome.conversation_id == "19:team-general@thread.tacv2"
    assert "QA Bot is here" in welcome.text


def test_card_buttons_run_their_command_as_the_clicker(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None and action.due_date is not None
        due_before = action.due_date

    # Action.Execute (an adaptiveCard/action invoke): answered in the HTTP response with a card.
    resp = web.post(activity("card_invoke", connector.url))
    assert resp.status_code == 200, resp.text
    body = resp.json()
    assert body["statusCode"] == 200
    assert body["type"] == "application/vnd.microsoft.card.adaptive"
    assert "A-1" in str(body["value"]["body"])
    with runtime.sessions() as s:
        snoozed = s.scalar(select(Action))
        assert snoozed is not None and snoozed.due_date is not None
        assert (snoozed.due_date - due_before).days == 7

    # Action.Submit (a message activity carrying the button's data): Done closes it.
    assert web.post(activity("card_submit", connector.url)).status_code == 202
    with runtime.sessions() as s:
        done = s.scalar(select(Action))
        assert done is not None
        assert done.status == "done"
        assert done.closed_by_id is not None
        closer = done.closed_by_id
        from store.models import Member

        member = s.get(Member, closer)
        assert member is not None and member.handle == "nhs"
    reply = connector.messages()[-1]
    assert reply.conversation_id == "19:health@thread.tacv2;messageid=1764150000000"
    assert "A-1" in reply.text


def test_reassign_form_appends_the_chosen_owner(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    web.post(activity("channel_mention", connector.url))
    submit = activity("card_submit", connector.url)
    submit["id"] = "1764151900000"
    submit["value"] = {"qabot_command": "action update A-1 owner", "qabot_owner": "pol"}
    assert web.post(submit).status_code == 202
    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None and action.owner is not None
        assert action.owner.handle == "pol"


def test_personal_chat_needs_no_mention_and_remembers_the_chat(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    assert web.post(activity("personal_message", connector.url)).status_code == 202
    [reply] = connector.messages()
    assert reply.conversation_id == "a:1personalChatWithTheChairQwErTy"
    assert reply.card is not None and reply.text.strip()
    assert "not on this board" not in reply.text
    with runtime.sessions() as s:
        ref = s.scalar(select(ConversationRef).where(ConversationRef.conversation_id.startswith("a:")))
    assert ref is not None and ref.user_id == "0c1a0000-0000-4000-8000-000000000001"
    assert ref.service_url == connector.url


def test_someone_not_on_the_board_is_told_so(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    body = activity("personal_message", connector.url)
    body["from"]["aadObjectId"] = "99999999-0000-4000-8000-000000000099"
    body["text"] = "action add Something"
    assert web.post(body).status_code == 202
    [reply] = connector.messages()
    assert "not on this board" in reply.text
    with runtime.sessions() as s:
        assert s.scalar(select(Action)) is None


def test_channel_chatter_outside_bot_threads_is_ignored(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """In a channel the bot does not post into; in one it does, tests/teams/test_unclear_threads.py."""
    web = serve(runtime)
    body = activity("channel_reply_no_mention", connector.url, ROOT_MESSAGE_ID="1764150000000")
    body["conversation"]["id"] = "19:staff-room@thread.tacv2;messageid=1764150000000"
    body["channelData"]["channel"]["id"] = "19:staff-room@thread.tacv2"
    assert web.post(body).status_code == 202
    assert connector.messages() == []


def test_a_reply_teams_will_not_take_is_sent_again_not_called_a_failure(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """The command committed, then the Bot Connector refused the reply: the person is not
    told "nothing was changed"; the reply goes to their 1:1 chat through the outbox."""
    web = serve(runtime)
    connector.fail_next(500)
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    assert web.idle()
    with runtime.sessions() as s:
        assert s.scalar(select(Action)) is not None
        [retry] = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_retry")))
    assert retry.channel == "0c1a0000-0000-4000-8000-000000000010"  # the person who asked
    shown = " ".join(m.text for m in connector.messages())
    assert "nothing was changed" not in shown.lower()
    runtime.dispatcher().dispatch()
    assert any("Logged A-1" in m.text for m in connector.messages())
    with runtime.sessions() as s:
        assert s.get(OutboxMessage, retry.id).status == "sent"  # type: ignore[union-attr]


def test_the_same_activity_id_in_another_conversation_is_a_new_delivery(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    first = activity("personal_message", connector.url)
    first["text"] = "action add Review the CSE audit due 12/03/2027"
    other = activity("channel_mention", connector.url)
    other["id"] = first["id"]  # ids are unique only within one conversation
    assert web.post(first).status_code == 202
    assert web.post(other).status_code == 202
    with runtime.sessions() as s:
        assert len(list(s.scalars(select(Action)))) == 2


def test_an_activity_a_stopped_process_left_is_answered_in_the_persons_chat(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """Stored in the inbox, then the process was stopped before its turn answered: the next
    one runs it once and answers in the person's 1:1 chat, saying it is late."""
    from bot.intake import Intake

    web = serve(runtime)  # this process serves Teams: its worker is registered
    body = activity("channel_mention", connector.url)
    stopped = Intake(runtime.sessions, runtime.clock)
    assert stopped.accept("teams", "message", f"teams:19:health@thread.tacv2:{body['id']}", body) is not None
    runtime.clock.advance(timedelta(seconds=10))  # type: ignore[attr-defined]
    assert runtime.core.intake.recover() == 1
    assert web.idle()  # the reply is sent from the outbox at once
    [answer] = connector.messages()
    assert "Logged A-1" in answer.text and "I was restarting" in answer.text
    with runtime.sessions() as s:
        assert len(list(s.scalars(select(Action)))) == 1
        [retry] = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_retry")))
    assert retry.channel == "0c1a0000-0000-4000-8000-000000000010" and retry.status == "sent"


def test_a_card_action_is_stored_before_it_is_answered(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """Action.Execute goes through the inbox like a message: a stored row, worked in its turn."""
    from store.models import InboxItem

    web = serve(runtime)
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    resp = web.post(activity("card_invoke", connector.url))
    assert resp.status_code == 200 and "A-1" in str(resp.json()["value"]["body"])
    with runtime.sessions() as s:
        [row] = list(s.scalars(select(InboxItem).where(InboxItem.kind == "card")))
    assert row.platform == "teams" and row.status == "done"
    # Teams sends the same invoke again: the first answer, nothing done twice.
    again = web.post(activity("card_invoke", connector.url))
    assert again.status_code == 200 and "A-1" in str(again.json()["value"]["body"])
    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None and action.due_date is not None
        assert len(list(s.scalars(select(InboxItem).where(InboxItem.kind == "card")))) == 1


def test_a_card_action_a_stopped_process_left_is_answered_in_the_persons_chat(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    from bot.intake import Intake
    from integrations.teams.stored import card_inbound as _card_inbound

    web = serve(runtime)
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None and action.due_date is not None
        due_before = action.due_date
    body = activity("card_invoke", connector.url)
    inbound = _card_inbound(body)
    assert inbound is not None and inbound.delivery_key is not None
    stopped = Intake(runtime.sessions, runtime.clock)
    assert stopped.accept("teams", "card", inbound.delivery_key, body) is not None
    runtime.clock.advance(timedelta(seconds=10))  # type: ignore[attr-defined]
    assert runtime.core.intake.recover() == 1
    assert web.idle()
    answer = connector.messages()[-1]
    assert "A-1" in answer.text and "I was restarting" in answer.text
    with runtime.sessions() as s:
        snoozed = s.scalar(select(Action))
        assert snoozed is not None and snoozed.due_date is not None
        assert (snoozed.due_date - due_before).days == 7
