"""The Section 11 form as an Adaptive Card: one sub-question per card, saved as it goes.

`/s11 form` answers with a step (commands/section11/form_steps.py, under `data["s11_form"]`);
it is drawn here with the score as a choice set, the evidence, the areas for improvement and
the agency's own action with its deadline (an Input.Date).
**Save** submits `/s11 score`'s typed request (`form: true`) as the other card forms do
(integrations/teams/forms.py: the request's command and known values in the submit data, each
input named by the request field it fills), so every check and the safeguarding guard apply;
the answer carries the next step, drawn as the next card. **Skip** asks `/s11 form` for the
next step and sends no inputs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from commands.types import Form, Reply
from integrations.teams.forms import FIELD_PREFIX, request_data

TEXT_MAX = 1000


Block = dict[str, Any]


def step_card_body(
    reply: Reply, step: dict[str, Any], _text: Callable[..., Block]
) -> tuple[list[Block], list[Block]]:
    """The card's body and actions for a step (`_text` draws a text block as every other card
    does); a saved score's reply shows what it recorded."""
    body: list[dict[str, Any]] = []
    if reply.title and reply.title.startswith("Recorded:"):
        body.append(_text(f"✓ {reply.title}", color="Good", spacing="Small"))
    body += [
        _text(
            f"{step['cycle']} form: {step['agency']} — {step['sub']} ({step['position']} of {step['total']})",
            size="Medium",
            weight="Bolder",
            style="heading",
        ),
        _text(step["standard"], weight="Bolder"),
        _text(f"{step['sub']} {step['text']}"),
    ]
    if step.get("carried_from"):
        body.append(
            _text(
                f"Carried from {step['carried_from']}: save it as it is to confirm it. "
                "A changed score needs new evidence.",
                isSubtle=True,
            )
        )
    score: dict[str, Any] = {
        "type": "Input.ChoiceSet",
        "id": FIELD_PREFIX + "score",
        "label": "Score",
        "isRequired": True,
        "errorMessage": "Choose a score, or Skip.",
        "choices": [{"title": shown, "value": value} for shown, value in step["options"]],
    }
    if step.get("score") is not None:
        score["value"] = str(step["score"])
    evidence = {
        "type": "Input.Text",
        "id": FIELD_PREFIX + "evidence",
        "label": "Evidence (a SharePoint or https link, or text)",
        "maxLength": TEXT_MAX,
        "value": step.get("evidence") or "",
    }
    note = {
        "type": "Input.Text",
        "id": FIELD_PREFIX + "note",
        "label": "Areas for improvement (no names or details that could identify a child or family)",
        "isMultiline": True,
        "maxLength": TEXT_MAX,
        "value": step.get("improvement") or "",
    }
    action = {
        "type": "Input.Text",
        "id": FIELD_PREFIX + "action",
        "label": "Agency action (what the agency will do about it)",
        "isMultiline": True,
        "maxLength": TEXT_MAX,
        "value": step.get("action") or "",
    }
    deadline = {
        "type": "Input.Date",
        "id": FIELD_PREFIX + "deadline",
        "label": "by (the action's deadline)",
        "value": step.get("deadline") or "",
    }
    body += [score, evidence, note, action, deadline]
    known = {"agency": step["agency"], "sub": step["sub"], "form": "true"}
    save = Form(group="s11", name="score", values=known, asks="score")
    actions: list[dict[str, Any]] = [
        {
            "type": "Action.Submit",
            "title": "Save and next" if step.get("next") else "Save",
            "style": "positive",
            "data": request_data(save),
        }
    ]
    if step.get("next"):
        skip = Form(
            group="s11", name="form", values={"agency": step["agency"], "sub": step["next"]}, asks="sub"
        )
        actions.append(
            {"type": "Action.Submit", "title": "Skip", "associatedInputs": "none", "data": request_data(skip)}
        )
    return body, actions
