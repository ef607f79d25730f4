"""Card forms: a button with a form (Reassign) submits its command's typed request.

The card carries the request's command and the values it already knows under REQUEST_KEY;
each input's id is FIELD_PREFIX + the request field it fills. Teams sends the button's data
with every input beside it under the input's id (Action.Submit: the message's `value`;
Action.Execute: `value.action.data`), so the request is built with
`commands.registry.build_request` and run through `CorePort.handle_request` — nothing is
re-typed as a command line, and a problem comes back naming its field, as in Slack's modals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from commands import registry
from commands.errors import FieldError
from commands.ports import CorePort
from commands.registry import RegistryError
from commands.types import Form, Inbound, Reply
from integrations.teams.inbound import card_data, inbound_fields

REQUEST_KEY = "qabot_request"
FIELD_PREFIX = "qabot_field_"


def request_data(form: Form) -> dict[str, Any]:
    """The submit action's data for a form (the inputs are added by Teams)."""
    return {REQUEST_KEY: form.model_dump(mode="json")}


def input_id(form: Form) -> str:
    return FIELD_PREFIX + form.asks


@dataclass(frozen=True)
class CardForm:
    """A submitted form: which command, the values it carried and the ones filled in."""

    form: Form
    values: dict[str, object] = field(default_factory=dict)


def card_form(activity: Mapping[str, Any]) -> CardForm | None:
    """The form a card submission carries, or None (a plain button, or not a card at all)."""
    data = card_data(activity)
    carried = data.get(REQUEST_KEY) if data is not None else None
    if data is None or not isinstance(carried, Mapping):
        return None
    try:
        form = Form.model_validate(carried)
    except ValueError:
        return None
    values: dict[str, object] = dict(form.values)
    for key, value in data.items():
        if isinstance(key, str) and key.startswith(FIELD_PREFIX) and str(value or "").strip():
            values[key.removeprefix(FIELD_PREFIX)] = str(value).strip()
    return CardForm(form, values)


def card_inbound(activity: Mapping[str, Any]) -> tuple[Inbound, CardForm] | None:
    """The person and delivery of a form's submission, and the form."""
    submitted = card_form(activity)
    common = inbound_fields(activity)
    if submitted is None or common is None:
        return None
    form = submitted.form
    return Inbound(text=f"{form.group} {form.name} (card)", **common), submitted


def run_form(core: CorePort, inbound: Inbound, submitted: CardForm) -> Reply:
    """Build the form's typed request and run it as the person who submitted it."""
    form = submitted.form
    if form.asks not in submitted.values:
        return _problem(f"Fill in the {form.asks} before submitting.", None, form.asks)
    try:
        request = registry.build_request(form.group, form.name, submitted.values)
    except FieldError as e:
        return _problem(e.problem, e.usage, e.field)
    except RegistryError:
        return _problem("This card's form is out of date: type the command instead.", None, None)
    return core.handle_request(inbound, request)


def _problem(problem: str, usage: str | None, field_name: str | None) -> Reply:
    """A form that could not be read, answered as the core answers a usage error."""
    lines = [problem, *(["Usage:", *usage.splitlines()] if usage else [])]
    data: dict[str, object] = {"error": "usage"}
    if field_name:
        data["field"] = field_name
    return Reply(title="That didn't work", lines=lines, ok=False, data=data)
