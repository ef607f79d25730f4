"""The Section 11 form in Slack, through the real slack-bolt app: `/s11 form` opens a modal on
the first sub-question still to answer; each submission is saved (as /s11 score's typed
request) and answered with the next step in the same modal; problems show under their field."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from store.models import S11Score
from tests.slack.conftest import QA_CHANNEL, Slack
from tests.slack.test_commands import blocks_text
from tests.slack.test_interactivity import submission, text_input

POLICE_LEAD = "U0POL001"


def launched(slack: Slack) -> None:
    slack.command("U0QAOFF1", "/s11", "launch 2027 deadline 04/05/2027 panel 20/05/2027")
    slack.idle()


def score(value: str | None) -> dict[str, Any]:
    return {"type": "static_select", "selected_option": {"value": value} if value else None}


def rows(slack: Slack) -> list[tuple[str, int | None, str | None, str | None, str]]:
    with slack.rt.sessions() as s:
        found = s.scalars(select(S11Score).order_by(S11Score.id))
        return [(r.sub, r.self_score, r.evidence, r.improvement, r.source) for r in found]


def block(view: dict[str, Any], block_id: str) -> dict[str, Any]:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def shown(view: dict[str, Any]) -> str:
    return " ".join(
        str(b.get("text", {}).get("text", ""))
        + " ".join(str(e.get("text", "")) for e in b.get("elements", []))
        for b in view["blocks"]
        if b["type"] in ("section", "context")
    )


def test_the_form_walks_a_lead_through_saving_each_step(slack: Slack) -> None:
    launched(slack)
    slack.command(POLICE_LEAD, "/s11", "form")
    slack.idle()
    (first,) = slack.fake.views
    assert first["callback_id"] == "qabot_s11_form" and first["submit"]["text"] == "Save and next"
    assert "*1.1* A named senior manager at board or executive level is accountable" in shown(first)
    assert "Surrey Police · step 1 of 25" in shown(first)
    options = [o["value"] for o in block(first, "score")["element"]["options"]]
    assert options == ["0", "1", "2", "3"]
    assert block(first, "score")["element"]["options"][2]["text"]["text"].startswith("2 Met — ")

    resp = submission(
        slack,
        first,
        {
            "score": score("2"),
            "evidence": text_input("https://sharepoint.example/s11/police-1-1.docx"),
            "note": text_input("Board minutes do not record safeguarding reports"),
        },
        user=POLICE_LEAD,
    )
    answer = resp.json()
    assert answer["response_action"] == "update"
    second = {**answer["view"], "id": first["id"]}
    assert "✓ Recorded: Surrey Police 1.1 — 2 Met" in shown(second)
    assert "*1.2* Safeguarding is part of the organisation's strategic plans" in shown(second)
    assert rows(slack) == [
        (
            "1.1",
            2,
            "https://sharepoint.example/s11/police-1-1.docx",
            "Board minutes do not record safeguarding reports",
            "form",
        )
    ]

    # Text with no score: asked for the score, nothing saved.
    resp = submission(
        slack, second, {"score": score(None), "evidence": text_input("the plan")}, user=POLICE_LEAD
    )
    assert resp.json() == {
        "response_action": "errors",
        "errors": {
            "score": "Choose a score to save this step (or clear the evidence, note and action to skip it)."
        },
    }
    # The guard reads the note before anything is stored.
    resp = submission(
        slack,
        second,
        {"score": score("1"), "note": text_input("Home visit Jayden Smith GU1 4LH missed")},
        user=POLICE_LEAD,
    )
    errors = resp.json()["errors"]
    assert "could identify a child or family" in errors["note"]
    assert len(rows(slack)) == 1
    # Nothing chosen: skipped to the next step.
    resp = submission(slack, second, {"score": score(None)}, user=POLICE_LEAD)
    third = resp.json()["view"]
    assert "*1.3* The board or senior leadership receives regular reports" in shown(third)
    assert "✓" not in shown(third)
    assert len(rows(slack)) == 1

    # Opened again: it starts at the first sub-question still to answer, with its answers.
    slack.command(POLICE_LEAD, "/s11", "form Surrey Police 1.1")
    slack.idle()
    again = slack.fake.views[-1]
    assert block(again, "score")["element"]["initial_option"]["value"] == "2"
    assert (
        block(again, "evidence")["element"]["initial_value"]
        == "https://sharepoint.example/s11/police-1-1.docx"
    )


def test_the_last_step_closes_the_form_and_says_what_was_recorded(slack: Slack) -> None:
    launched(slack)
    slack.command(POLICE_LEAD, "/s11", "form police 8.3", channel="C0POL001")
    slack.idle()
    last = slack.fake.views[-1]
    assert last["submit"]["text"] == "Save"
    resp = submission(slack, last, {"score": score("3")}, user=POLICE_LEAD)
    assert resp.status_code == 200 and resp.text == ""  # the modal closes
    slack.idle()
    texts = [blocks_text(p) for p in slack.fake.posts("C0POL001")] + [str(p) for p in slack.fake.ephemerals()]
    assert any("Recorded: Surrey Police 8.3 — 3 Exceeded/embedded" in t for t in texts), texts
    assert any("That was the last sub-question of the form." in t for t in texts)
    assert rows(slack) == [("8.3", 3, None, None, "form")]


def test_the_agencys_action_and_its_date_are_saved_with_the_step(slack: Slack) -> None:
    launched(slack)
    slack.command(POLICE_LEAD, "/s11", "form Surrey Police 1.1")
    slack.idle()
    first = slack.fake.views[-1]
    assert block(first, "action")["label"]["text"] == "Agency action"
    assert block(first, "deadline")["element"]["type"] == "datepicker"
    day = {"type": "datepicker", "selected_date": "2027-06-30"}
    # A date without an action: named under the date, nothing saved.
    resp = submission(slack, first, {"score": score("1"), "deadline": day}, user=POLICE_LEAD)
    assert "is for the agency's action" in resp.json()["errors"]["deadline"]
    past = {"type": "datepicker", "selected_date": "2026-01-05"}
    resp = submission(
        slack, first, {"score": score("1"), "action": text_input("Minute it"), "deadline": past}, user=POLICE_LEAD
    )
    assert resp.json()["errors"]["deadline"] == "The deadline 5 Jan 2026 is in the past."
    assert rows(slack) == []
    resp = submission(
        slack,
        first,
        {"score": score("1"), "action": text_input("Minute safeguarding reports"), "deadline": day},
        user=POLICE_LEAD,
    )
    assert resp.json()["response_action"] == "update"
    with slack.rt.sessions() as s:
        (row,) = s.scalars(select(S11Score))
        assert (row.sub, row.self_score, row.agency_action, str(row.action_deadline)) == (
            "1.1",
            1,
            "Minute safeguarding reports",
            "2027-06-30",
        )
    # Opened again: the action and its date are filled in.
    slack.command(POLICE_LEAD, "/s11", "form Surrey Police 1.1")
    slack.idle()
    again = slack.fake.views[-1]
    assert block(again, "action")["element"]["initial_value"] == "Minute safeguarding reports"
    assert block(again, "deadline")["element"]["initial_date"] == "2027-06-30"


def test_someone_else_cannot_open_an_agencys_form(slack: Slack) -> None:
    launched(slack)
    slack.command("U0CSLD01", "/s11", "form Surrey Police", channel=QA_CHANNEL)
    slack.idle()
    assert [v for v in slack.fake.views if v["callback_id"] == "qabot_s11_form"] == []
    shown_to_them = " ".join(blocks_text(e) for e in slack.fake.ephemerals("U0CSLD01"))
    assert "Only Surrey Police's own people, the QA officer or the chair" in shown_to_them
    assert rows(slack) == []
