"""The Section 11 form's Slack modal: one sub-question per view (the submissions are in
integrations/slack/s11_form.py).

How the form goes: `/s11 form` answers with a step (commands/section11/form_steps.py,
under `data["s11_form"]`); it is drawn here as a modal. Submitting it is `/s11 score`'s typed
request (with `form: true`) built with `commands.registry.build_request` and run through the
core, so every check and the safeguarding guard apply; its answer carries the next step, which
replaces the view (`response_action: update`). A problem comes back under the block it names.
Submitting with no score and nothing typed skips the step. After the last step the modal
closes and what was recorded is shown in the channel, as for the other forms.
"""

from __future__ import annotations

import json
from typing import Any

from commands.errors import FieldError
from integrations.slack import modals
from integrations.slack.render import cut

CALLBACK = "qabot_s11_form"
TEXT_MAX = 1000
BLOCKS = ("score", "evidence", "note", "action", "deadline")

View = dict[str, Any]


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": cut(text, 3000)}


def _text_input(block_id: str, label: str, initial: str | None, *, multiline: bool, hint: str) -> View:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": "value",
        "multiline": multiline,
        "max_length": TEXT_MAX,
    }
    if initial:
        element["initial_value"] = initial[:TEXT_MAX]
    return {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": element,
        "optional": True,
        "hint": _plain(hint, 2000),
    }


def _date_input(block_id: str, label: str, initial: str | None) -> View:
    element: dict[str, Any] = {
        "type": "datepicker",
        "action_id": "value",
        "placeholder": _plain("Choose a date", 150),
    }
    if initial:
        element["initial_date"] = initial  # the step's ISO date
    block: View = {"type": "input", "block_id": block_id, "label": _plain(label), "element": element}
    return block | {"optional": True}


def step_modal(step: dict[str, Any], meta: dict[str, Any], saved: str | None = None) -> View:
    """The modal for one step; `saved` says what the previous step recorded."""
    options = [{"text": _plain(shown), "value": value} for shown, value in step["options"]]
    select: dict[str, Any] = {
        "type": "static_select",
        "action_id": "value",
        "placeholder": _plain("Choose a score", 150),
        "options": options,
    }
    chosen = [o for o in options if step.get("score") is not None and o["value"] == str(step["score"])]
    if chosen:
        select["initial_option"] = chosen[0]
    blocks: list[View] = []
    if saved:
        blocks.append({"type": "context", "elements": [_mrkdwn(f"✓ {saved}")]})
    blocks += [
        {
            "type": "context",
            "elements": [
                _mrkdwn(f"{step['cycle']} · {step['agency']} · step {step['position']} of {step['total']}")
            ],
        },
        {"type": "section", "text": _mrkdwn(f"*{step['standard']}*\n*{step['sub']}* {step['text']}")},
    ]
    if step.get("carried_from"):
        blocks.append(
            {
                "type": "context",
                "elements": [
                    _mrkdwn(
                        f"Carried from {step['carried_from']}: save it as it is to confirm it. "
                        "A changed score needs new evidence."
                    )
                ],
            }
        )
    blocks += [
        {"type": "input", "block_id": "score", "label": _plain("Score"), "element": select, "optional": True},
        _text_input(
            "evidence",
            "Evidence",
            step.get("evidence"),
            multiline=False,
            hint="A SharePoint or https link, or text.",
        ),
        _text_input(
            "note",
            "Areas for improvement",
            step.get("improvement"),
            multiline=True,
            hint="No names or details that could identify a child or family.",
        ),
        _text_input(
            "action",
            "Agency action",
            step.get("action"),
            multiline=True,
            hint="What the agency will do about it. No names or details that could identify a child.",
        ),
        _date_input("deadline", "by", step.get("deadline")),
    ]
    meta = {**meta, "agency": step["agency"], "sub": step["sub"], "next": step.get("next")}
    return {
        "type": "modal",
        "callback_id": CALLBACK,
        "title": _plain("Section 11 form", modals.TITLE_MAX),
        "submit": _plain("Save and next" if step.get("next") else "Save", 24),
        "close": _plain("Close", 24),
        "private_metadata": json.dumps(meta)[:3000],
        "blocks": blocks,
    }


def step_values(meta: dict[str, Any], values: dict[str, Any]) -> dict[str, object] | None:
    """The score request's values from a submitted step; None: nothing chosen, so skipped.
    Raises FieldError (naming the score) for text typed without a score."""
    score = values.get("score")
    evidence = " ".join(str(values.get("evidence") or "").split())
    note = " ".join(str(values.get("note") or "").split())
    action = " ".join(str(values.get("action") or "").split())
    deadline = values.get("deadline")
    if not score:
        if evidence or note or action or deadline:
            raise FieldError(
                "Choose a score to save this step (or clear the evidence, note and action to skip it).",
                field="score",
            )
        return None
    fields: dict[str, object] = {
        "agency": meta.get("agency"),
        "sub": meta.get("sub"),
        "score": score,
        "form": True,
    }
    typed = {"evidence": evidence, "note": note, "action": action, "deadline": deadline}
    return fields | {k: v for k, v in typed.items() if v}
