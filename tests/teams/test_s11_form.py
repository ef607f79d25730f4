"""The Section 11 form as Adaptive Cards through the real Agents SDK endpoint: `s11 form`
answers with a card for the first sub-question; Save submits /s11 score's typed request (the
card's submit data with each input beside it, as Teams sends an Action.Submit) and is answered
with the next step's card; Skip sends no inputs and moves on; a problem is named."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.runtime import Runtime
from store.models import S11Score
from tests.fakes.bot_connector import FakeBotConnector
from tests.teams.conftest import Serve, Served, activity

NURSE = {
    "id": "29:1nhsDesignatedNurseTeamsUserIdAbCdEf",
    "name": "Designated Nurse",
    "aadObjectId": "0c1a0000-0000-4000-8000-000000000010",
}
_ids = iter(range(1764152000000, 1764153000000))


def say(web: Served, connector: FakeBotConnector, text: str, *, nurse: bool = True) -> None:
    body = activity("personal_message", connector.url)
    body.update(id=str(next(_ids)), text=text)
    if nurse:
        body["from"] = NURSE
        body["conversation"] = {**body["conversation"], "id": "a:1personalChatWithTheNurse"}
    assert web.post(body).status_code == 202


def submit(web: Served, connector: FakeBotConnector, value: dict[str, Any]) -> None:
    body = activity("card_submit", connector.url)
    body.update(id=str(next(_ids)), value=value)
    assert web.post(body).status_code == 202


def last_card(connector: FakeBotConnector) -> dict[str, Any]:
    card = connector.messages()[-1].card
    assert card is not None
    return card


def action(card: dict[str, Any], title: str) -> dict[str, Any]:
    return next(a for a in card["actions"] if a["title"] == title)


def texts(card: dict[str, Any]) -> list[str]:
    return [b["text"] for b in card["body"] if b["type"] == "TextBlock"]


def rows(runtime: Runtime) -> list[tuple[str, int | None, str | None, str]]:
    with runtime.sessions() as s:
        return [
            (r.sub, r.self_score, r.evidence, r.source)
            for r in s.scalars(select(S11Score).order_by(S11Score.id))
        ]


def test_the_form_card_saves_each_step_and_shows_the_next(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    say(web, connector, "s11 launch 2027 deadline 04/05/2027", nurse=False)
    say(web, connector, "s11 form")
    first = last_card(connector)
    assert texts(first)[0] == "Section 11 2027 (statutory) form: Surrey Health — 1.1 (1 of 25)"
    inputs = {b["id"]: b for b in first["body"] if b["type"].startswith("Input.")}
    assert set(inputs) == {
        "qabot_field_score",
        "qabot_field_evidence",
        "qabot_field_note",
        "qabot_field_action",
        "qabot_field_deadline",
    }
    assert inputs["qabot_field_deadline"]["type"] == "Input.Date"
    assert [c["value"] for c in inputs["qabot_field_score"]["choices"]] == ["0", "1", "2", "3"]
    save = action(first, "Save and next")["data"]
    assert "qabot_command" not in save  # a typed request, nothing re-parsed

    submit(
        web,
        connector,
        {
            **save,
            "qabot_field_score": "2",
            "qabot_field_evidence": "https://sp.example/health-1-1.docx",
            "qabot_field_note": "",
        },
    )
    second = last_card(connector)
    assert texts(second)[:2] == [
        "✓ Recorded: Surrey Health 1.1 — 2 Met",
        "Section 11 2027 (statutory) form: Surrey Health — 1.2 (2 of 25)",
    ]
    assert rows(runtime) == [("1.1", 2, "https://sp.example/health-1-1.docx", "form")]

    skip = action(second, "Skip")
    assert skip["associatedInputs"] == "none"
    submit(web, connector, skip["data"])
    third = last_card(connector)
    assert texts(third)[0] == "Section 11 2027 (statutory) form: Surrey Health — 1.3 (3 of 25)"
    assert len(rows(runtime)) == 1

    # No score: named, nothing saved.
    submit(web, connector, {**action(third, "Save and next")["data"], "qabot_field_evidence": "the report"})
    assert "Fill in the score before submitting." in connector.messages()[-1].text
    assert len(rows(runtime)) == 1


def test_the_form_card_saves_the_agencys_action_and_its_date(
    runtime: Runtime, serve: Serve, connector: FakeBotConnector
) -> None:
    web = serve(runtime)
    say(web, connector, "s11 launch 2027 deadline 04/05/2027", nurse=False)
    say(web, connector, "s11 form")
    save = action(last_card(connector), "Save and next")["data"]
    # A date without an action: named, nothing saved.
    submit(web, connector, {**save, "qabot_field_score": "1", "qabot_field_deadline": "2027-06-30"})
    assert "is for the agency's action" in connector.messages()[-1].text
    assert rows(runtime) == []
    submit(
        web,
        connector,
        {
            **save,
            "qabot_field_score": "1",
            "qabot_field_action": "Add safeguarding to the annual plan",
            "qabot_field_deadline": "2027-06-30",
        },
    )
    assert texts(last_card(connector))[0] == "✓ Recorded: Surrey Health 1.1 — 1 Partially met"
    with runtime.sessions() as s:
        (row,) = s.scalars(select(S11Score))
        assert (row.agency_action, str(row.action_deadline)) == ("Add safeguarding to the annual plan", "2027-06-30")
    say(web, connector, "s11 form Surrey Health 1.1")
    inputs = {b["id"]: b for b in last_card(connector)["body"] if b["type"].startswith("Input.")}
    assert inputs["qabot_field_action"]["value"] == "Add safeguarding to the annual plan"
    assert inputs["qabot_field_deadline"]["value"] == "2027-06-30"
