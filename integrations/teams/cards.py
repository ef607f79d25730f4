"""The neutral Reply -> an Adaptive Card (version 1.5) for Teams.

Title as a heading, fields as a FactSet, lines as text blocks, buttons as Action.Submit whose
data carries the button's command (clicking runs it as the clicker). A button with a form
(Reassign) opens a small card asking for its one value (the new owner: a choice of board
members, or a text box) whose submission is the command's typed request
(integrations/teams/forms.py).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

from commands.section11.form_steps import DATA_KEY as S11_STEP
from commands.types import Button, Form, Reply
from integrations.teams import images, s11_card
from integrations.teams.forms import input_id, request_data
from integrations.teams.inbound import COMMAND_KEY, OWNER_KEY

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
VERSION = "1.5"
# Teams refuses messages over about 28 KB; stay well below it.
MAX_CARD_BYTES = 24_000
MAX_CHOICES = 100

People = Sequence[tuple[str, str]]  # (handle, display name)


# A Markdown link is `[label](address)` with nothing between `]` and `(`. Teams clients
# disagree on backslash escapes (some show the backslash), so a zero-width space is put
# between the two: the text reads the same and no link is made under the bot's name.
_LINK_JOIN = re.compile(r"\](\s*)\(")
_ZERO_WIDTH_SPACE = "\u200b"


def inert(text: str) -> str:
    """`text` with any Markdown link in it shown as typed rather than made live."""
    return _LINK_JOIN.sub(lambda m: "]" + m.group(1) + _ZERO_WIDTH_SPACE + "(", text)


def _text(text: str, **kw: Any) -> dict[str, Any]:
    return {"type": "TextBlock", "text": inert(text), "wrap": True, **kw}


def _style(button: Button) -> dict[str, str]:
    if button.style == "primary":
        return {"style": "positive"}
    if button.style == "danger":
        return {"style": "destructive"}
    return {}


def _owner_input(input_id: str, people: People | None) -> dict[str, Any]:
    if people and len(people) <= MAX_CHOICES:
        return {
            "type": "Input.ChoiceSet",
            "id": input_id,
            "label": "New owner",
            "isRequired": True,
            "errorMessage": "Choose the new owner.",
            "style": "filtered",
            "choices": [{"title": f"{name} (@{handle})", "value": handle} for handle, name in people],
        }
    return {
        "type": "Input.Text",
        "id": input_id,
        "label": "New owner (@handle)",
        "placeholder": "@handle",
        "isRequired": True,
        "errorMessage": "Say who should own it, e.g. @pol.",
    }


def _form_input(form: Form, people: People | None) -> dict[str, Any]:
    if form.asks == "owner":
        return _owner_input(input_id(form), people)
    return {"type": "Input.Text", "id": input_id(form), "label": form.asks.capitalize(), "isRequired": True}


def _show_card(button: Button, field: dict[str, Any], data: dict[str, Any]) -> dict[str, Any]:
    """The button opens a small card with the one input and a submit."""
    return {
        "type": "Action.ShowCard",
        "title": button.label,
        "card": {
            "type": "AdaptiveCard",
            "body": [field],
            "actions": [{"type": "Action.Submit", "title": button.label, "data": data, **_style(button)}],
        },
    }


def _action(button: Button, people: People | None) -> dict[str, Any]:
    if button.form is not None:  # submits the command's typed request
        return _show_card(button, _form_input(button.form, people), request_data(button.form))
    if button.action == "action_reassign":  # a reply stored before buttons had forms
        return _show_card(button, _owner_input(OWNER_KEY, people), {COMMAND_KEY: button.command})
    return {
        "type": "Action.Submit",
        "title": button.label,
        "data": {COMMAND_KEY: button.command},
        **_style(button),
    }


def render(reply: Reply, people: People | None = None) -> dict[str, Any]:
    """The Adaptive Card for a reply (a step of the Section 11 form: integrations/teams/s11_card.py)."""
    step = reply.data.get(S11_STEP)
    if isinstance(step, dict):
        form_body, form_actions = s11_card.step_card_body(reply, step, _text)
        return _fit(
            {
                "type": "AdaptiveCard",
                "$schema": SCHEMA,
                "version": VERSION,
                "body": form_body,
                "actions": form_actions,
                "msteams": {"width": "Full"},
            }
        )
    body: list[dict[str, Any]] = []
    if reply.title:
        body.append(
            _text(
                reply.title,
                size="Medium",
                weight="Bolder",
                style="heading",
                **({} if reply.ok else {"color": "Attention"}),
            )
        )
    if reply.fields:
        facts = [{"title": inert(k), "value": inert(v)} for k, v in reply.fields]
        body.append({"type": "FactSet", "facts": facts})
    lines = list(reply.lines)
    for path in reply.files:
        if not images.is_png(path):  # a Word or Excel file: named, not attached
            lines.append(f"File prepared on the server: {os.path.basename(path)}")
    body.extend(_text(line, spacing="Small") for line in lines if line.strip())
    if not body:
        body.append(_text("Done."))
    card: dict[str, Any] = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": VERSION,
        "body": body,
        "msteams": {"width": "Full"},
    }
    if reply.buttons:
        card["actions"] = [_action(b, people) for b in reply.buttons]
    card = _fit(card)
    images.place(card, reply, _text)  # after the fit: the text first, the charts in the room left
    return card


def _fit(card: dict[str, Any]) -> dict[str, Any]:
    """Drop trailing text blocks until the card fits in a Teams message."""
    dropped = 0
    while len(json.dumps(card).encode()) > MAX_CARD_BYTES and len(card["body"]) > 1:
        card["body"].pop()
        dropped += 1
    if dropped:
        card["body"].append(_text(f"… {dropped} more line(s) not shown; narrow the request.", isSubtle=True))
    return card


def attachment(card: dict[str, Any]) -> dict[str, Any]:
    return {"contentType": CARD_CONTENT_TYPE, "content": card}


def summary(reply: Reply) -> str:
    """A short plain-text line for notifications and screen readers."""
    text = reply.title or next((line for line in reply.lines if line.strip()), "") or "QA Bot"
    return text[:200]
