"""Modals: log an action or a finding, reassign an action.

A submitted add modal becomes the command's typed request (commands/registry.py
`build_request`; the block ids are the request's field names) and runs through the command
core (`CorePort.handle_request`), so every check and the safeguarding guard apply as for a
typed line; the reassign modal is the `action update` request of the clicked action's ref with
the chosen owner. A problem comes back under the block of the field it names.
"""

from __future__ import annotations

import json
from typing import Any

from commands.types import mention_token
from integrations.slack.render import cut

TITLE_MAX = 24
ADD_ACTION = "qabot_add_action"
ADD_FINDING = "qabot_add_finding"
REASSIGN = "qabot_reassign"

PRIORITIES = [
    ("Early Help", "earlyhelp"),
    ("Child Protection", "cp"),
    ("Neglect", "neglect"),
    ("CSE", "cse"),
    ("Domestic Abuse", "da"),
]
RAGS = [("Red", "red"), ("Amber", "amber"), ("Green", "green")]
TEXT_MAX = 1000  # the command core's limit for an item's text

View = dict[str, Any]


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": _plain(label), "value": value[:150]}


def _input(
    block_id: str, label: str, element: dict[str, Any], *, optional: bool, hint: str | None = None
) -> View:
    block: View = {
        "type": "input",
        "block_id": block_id,
        "label": _plain(label, 2000),
        "element": {**element, "action_id": "value"},
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def _select(options: list[tuple[str, str]], placeholder: str) -> dict[str, Any]:
    return {
        "type": "static_select",
        "placeholder": _plain(placeholder, 150),
        "options": [_option(label, value) for label, value in options[:100]],
    }


def _modal(callback_id: str, title: str, submit: str, blocks: list[View], meta: dict[str, Any]) -> View:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _plain(title, TITLE_MAX),
        "submit": _plain(submit, 24),
        "close": _plain("Cancel", 24),
        "private_metadata": json.dumps(meta)[:3000],
        "blocks": blocks,
    }


def _text_block(label: str, initial: str) -> View:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": True, "max_length": TEXT_MAX}
    if initial:
        element["initial_value"] = initial[:TEXT_MAX]
    return _input(
        "text",
        label,
        element,
        optional=False,
        hint="No names or details that could identify a child or family.",
    )


def _agency_block(agencies: list[str]) -> list[View]:
    if not agencies:
        return []
    return [
        _input("agency", "Agency", _select([(a, a) for a in agencies], "Choose an agency"), optional=True)
    ]


def action_modal(*, agencies: list[str], text: str = "", meta: dict[str, Any]) -> View:
    blocks = [
        _text_block("What needs doing", text),
        _input(
            "owner",
            "Owner",
            {"type": "users_select", "placeholder": _plain("Choose a person", 150)},
            optional=True,
        ),
        _input(
            "due", "Due", {"type": "datepicker", "placeholder": _plain("Choose a date", 150)}, optional=True
        ),
        _input("priority", "Business-plan priority", _select(PRIORITIES, "Choose a priority"), optional=True),
        *_agency_block(agencies),
    ]
    return _modal(ADD_ACTION, "Log an action", "Log it", blocks, meta)


def finding_modal(*, agencies: list[str], text: str = "", meta: dict[str, Any]) -> View:
    blocks = [
        _text_block("What was found", text),
        *_agency_block(agencies),
        _input("rag", "RAG rating", _select(RAGS, "Red, amber or green"), optional=True),
        _input("priority", "Business-plan priority", _select(PRIORITIES, "Choose a priority"), optional=True),
    ]
    return _modal(ADD_FINDING, "Log a finding", "Log it", blocks, meta)


def reassign_modal(*, ref: str, meta: dict[str, Any]) -> View:
    blocks = [
        _input(
            "owner",
            f"Give {ref} to",
            {"type": "users_select", "placeholder": _plain("Choose a person", 150)},
            optional=False,
        )
    ]
    return _modal(REASSIGN, f"Reassign {ref}", "Reassign", blocks, meta)


# ----- submissions -------------------------------------------------------------------------


def values(view: dict[str, Any]) -> dict[str, Any]:
    """{block_id: the chosen value} from a submitted view's state."""
    out: dict[str, Any] = {}
    for block_id, actions in ((view.get("state") or {}).get("values") or {}).items():
        v = (actions or {}).get("value") or {}
        kind = v.get("type")
        if kind == "plain_text_input":
            out[block_id] = v.get("value")
        elif kind in ("users_select",):
            out[block_id] = v.get("selected_user")
        elif kind == "datepicker":
            out[block_id] = v.get("selected_date")
        elif kind == "static_select":
            opt = v.get("selected_option")
            out[block_id] = opt.get("value") if opt else None
    return out


def meta_of(view: dict[str, Any]) -> dict[str, Any]:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return {}
    return meta if isinstance(meta, dict) else {}


def form_request(callback_id: str, v: dict[str, Any]) -> tuple[str, dict[str, object]]:
    """The command a submitted add modal is (its group) and the typed request's values: the
    block ids are the request's field names, so nothing is re-typed as a command line and a
    field error comes back naming its block."""
    text = " ".join(str(v.get("text") or "").split())
    if callback_id == ADD_FINDING:
        fields = {"text": text, "agency": v.get("agency"), "rag": v.get("rag"), "priority": v.get("priority")}
        group = "finding"
    else:
        owner = mention_token("slack", v["owner"]) if v.get("owner") else None
        fields = {
            "text": text,
            "owner": owner,
            "due": v.get("due"),
            "priority": v.get("priority"),
            "agency": v.get("agency"),
        }
        group = "action"
    return group, {k: value for k, value in fields.items() if value not in (None, "")} | {"text": text}


def block_for(field: object, present: set[str]) -> str:
    """The block a problem belongs under: the field it names, else the text."""
    if isinstance(field, str) and field in present:
        return field
    return "text" if "text" in present else next(iter(sorted(present)), "text")
