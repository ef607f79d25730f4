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
