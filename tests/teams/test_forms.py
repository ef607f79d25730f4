"""Card forms through the real Agents SDK endpoint: the Reassign card submits the typed request
(commands.registry.build_request, then CorePort.handle_request) instead of a command line with
the chosen handle appended, and a problem comes back naming what was wrong.

Each submission is built as Teams builds it from the card the bot really sent: the submit
action's data with every input beside it under the input's id (Bot Framework, "Using Adaptive
Cards with the Microsoft Bot Framework": an object submit action fills the activity's `value`
with a property per input, named by its id, plus the properties already in its `data`). Action.
Submit arrives as the message of card_submit.json; Action.Execute as the adaptiveCard/action
invoke of card_invoke.json, the same under value.action.data.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from store.models import Action
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, activity


def _reassign_form(card: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The Reassign button's submit data and its one input, from a card the bot sent."""
    [reassign] = [a for a in card["actions"] if a["title"] == "Reassign"]
    assert reassign["type"] == "Action.ShowCard"
    [field] = reassign["card"]["body"]
    [submit] = reassign["card"]["actions"]
    assert submit["type"] == "Action.Submit"
    return submit["data"], field


def _owner(runtime: Runtime) -> str | None:
    with runtime.sessions() as s:
        action = s.scalar(select(Action))
        assert action is not None
        return action.owner.handle if action.owner else None


def test_the_reassign_card_submits_the_typed_request(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    [logged] = connector.messages()
    assert logged.card is not None
    data, field = _reassign_form(logged.card)
    assert "qabot_command" not in data  # nothing for the bot to re-parse
    assert field["type"] == "Input.ChoiceSet" and "pol" in [c["value"] for c in field["choices"]]

    submit = activity("card_submit", connector.url)
    submit["id"] = "1764151900000"
    submit["value"] = {**data, field["id"]: "pol"}
    assert web.post(submit).status_code == 202
    assert _owner(runtime) == "pol"
    confirmed = connector.messages()[-1]
    assert "Updated A-1" in confirmed.text and "@pol" in confirmed.text
    # A retried delivery of the same submission answers again and changes nothing more.
    assert web.post(submit).status_code == 202
    assert "Updated A-1" in connector.messages()[-1].text


def test_an_action_execute_form_is_answered_in_the_invoke_response(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    web.post(activity("channel_mention", connector.url))
    [logged] = connector.messages()
    assert logged.card is not None
    data, field = _reassign_form(logged.card)
    invoke = activity("card_invoke", connector.url)
    invoke["value"]["action"]["data"] = {**data, field["id"]: "nhs"}
    resp = web.post(invoke)
    assert resp.status_code == 200, resp.text
    assert "Updated A-1" in str(resp.json()["value"]["body"])
    assert _owner(runtime) == "nhs"


def test_a_form_value_that_cannot_be_used_is_answered_and_changes_nothing(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    web.post(activity("channel_mention", connector.url))
    [logged] = connector.messages()
    assert logged.card is not None
    data, field = _reassign_form(logged.card)
    before = _owner(runtime)

    def submit(value: dict[str, Any], message_id: str) -> str:
        body = activity("card_submit", connector.url)
        body["id"], body["value"] = message_id, value
        assert web.post(body).status_code == 202
        answer = connector.messages()[-1]
        assert answer.card is not None and answer.card["body"][0].get("color") == "Attention"
        return answer.text

    # Someone typed (or a stale card offered) a person who is not on the board.
    assert "There is no board member @nobody" in submit({**data, field["id"]: "nobody"}, "1764152000001")
    # A form whose carried values were tampered with: the reference is refused by its field.
    tampered = {**data["qabot_request"], "values": {"ref": "A-one"}}
    said = submit({"qabot_request": tampered, field["id"]: "pol"}, "1764152000002")
    assert "is not a reference like A-12" in said
    # Submitted without the input (a client that skipped isRequired).
    assert "Fill in the owner" in submit(dict(data), "1764152000003")
    assert _owner(runtime) == before


def _reassign_submit(runtime: Runtime, web: Any, connector: FakeBotConnector, owner: str) -> dict[str, Any]:
    """A Reassign form sent by Action.Submit, built from the card the bot really sent."""
    assert web.post(activity("channel_mention", connector.url)).status_code == 202
    [logged] = connector.messages()
    assert logged.card is not None
    data, field = _reassign_form(logged.card)
    submit = activity("card_submit", connector.url)
    submit["id"] = "1764151900000"
    submit["value"] = {**data, field["id"]: owner}
    return submit


def test_an_action_submit_form_is_stored_before_it_is_worked_and_runs_once(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector, monkeypatch: Any
) -> None:
    from store.models import AuditEvent, InboxItem

    web = serve(runtime)
    submit = _reassign_submit(runtime, web, connector, "pol")
    seen: list[tuple[str, str]] = []
    handle_request = runtime.core.handle_request

    def watched(inbound: Any, request: Any) -> Any:
        # What the inbox holds at the moment the form's request runs.
        with runtime.sessions() as s:
            seen.extend((row.kind, row.status) for row in s.scalars(select(InboxItem)))
        return handle_request(inbound, request)

    monkeypatch.setattr(runtime.core, "handle_request", watched)
    assert web.post(submit).status_code == 202
    assert ("form", "working") in seen
    assert _owner(runtime) == "pol"
    assert "Updated A-1" in connector.messages()[-1].text
    # Teams delivers the same activity again: the first answer, nothing stored or run twice.
    assert web.post(submit).status_code == 202
    assert "Updated A-1" in connector.messages()[-1].text
    with runtime.sessions() as s:
        forms = list(s.scalars(select(InboxItem).where(InboxItem.kind == "form")))
        changes = [e for e in s.scalars(select(AuditEvent)) if "pol" in str(e.after)]
    assert [f.status for f in forms] == ["done"]
    assert len(changes) == 1


def test_a_form_a_stopped_process_left_is_answered_in_the_persons_chat(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    """Stored, then the process was stopped before the turn answered: the next one runs the
    form once and answers in the person's 1:1 chat, saying it is late."""
    from datetime import timedelta

    from bot.intake import Intake
    from store.models import OutboxMessage

    web = serve(runtime)
    submit = _reassign_submit(runtime, web, connector, "pol")
    stopped = Intake(runtime.sessions, runtime.clock)
    key = f"teams:19:health@thread.tacv2:{submit['id']}"
    assert stopped.accept("teams", "form", key, submit) is not None
    runtime.clock.advance(timedelta(seconds=10))  # type: ignore[attr-defined]
    assert runtime.core.intake.recover() == 1
    assert web.idle()
    answer = connector.messages()[-1]
    assert "Updated A-1" in answer.text and "I was restarting" in answer.text
    assert _owner(runtime) == "pol"
    with runtime.sessions() as s:
        [retry] = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "reply_retry")))
    assert retry.channel == "0c1a0000-0000-4000-8000-000000000010" and retry.status == "sent"
    # A late redelivery of the same activity: stored once, answered with the first reply.
    assert web.post(submit).status_code == 202
    assert "Updated A-1" in connector.messages()[-1].text
    assert runtime.core.intake.recover() == 0
