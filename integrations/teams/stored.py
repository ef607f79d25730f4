"""What the Teams bot stores in the inbox before it works an activity, and how a stored one
is read back: the person and delivery (`Inbound`) and the reply it gets.

Three kinds, told apart because each is answered differently in its own turn:
- MESSAGE: a message activity (text, or a plain card button sent by Action.Submit with its
  command): answered with a message in the conversation;
- FORM: a card form sent by Action.Submit (a message activity with a `value` carrying the
  form's typed request and no text): its request is built and run, answered as a message;
- CARD: an adaptiveCard/action invoke (Action.Execute, a button or a form): answered in the
  invoke's response, with a card.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from commands.ports import CorePort
from commands.types import Inbound, Reply
from integrations.teams import forms
from integrations.teams.inbound import to_inbound

MESSAGE = "message"
FORM = "form"
CARD = "card"

NO_COMMAND = Reply(title="That didn't work", lines=["This card action carries no command."], ok=False)


def message_kind(activity: Mapping[str, Any]) -> str:
    """MESSAGE or FORM, for a message activity."""
    return FORM if forms.card_inbound(activity) is not None else MESSAGE


def card_inbound(activity: Mapping[str, Any]) -> Inbound | None:
    """Who pressed a card's button, and the delivery (a form's or a plain button's)."""
    submitted = forms.card_inbound(activity)
    return submitted[0] if submitted is not None else to_inbound(activity)


def inbound_of(kind: str, activity: Mapping[str, Any], names: Mapping[str, str]) -> Inbound | None:
    """The person and delivery of a stored activity (None: nothing to act on)."""
    if kind == MESSAGE:
        return to_inbound(activity, names)
    return card_inbound(activity)


def reply_to(core: CorePort, kind: str, activity: Mapping[str, Any], inbound: Inbound) -> Reply:
    """Run a stored activity: a message's text as a command or thread reply, a form's typed
    request, or a card button's command. A redelivery gets the first reply again (the core's
    delivery key)."""
    if kind == MESSAGE:
        return core.handle(inbound)
    submitted = forms.card_inbound(activity)
    if submitted is not None:
        return forms.run_form(core, *submitted)
    return core.handle(inbound) if inbound.command else NO_COMMAND.model_copy(deep=True)
