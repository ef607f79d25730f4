"""Refuse kindly, offer the fix: what `commands.common.safeguard` raises when the guard trips.

The refusal names what was found and offers the anonymised version ("Visit Child J.S. at
[postcode]"). When the refused text came in a typed command line, the offer is also a button
whose command is that same line with the anonymised text in place of the refused one: one
click runs it, through the guard again. Only the anonymised version is ever kept (in the
button, in the reply); the refused text is never an attribute of the error, so nothing
downstream can store, post or log it.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands import guard
from commands.context import Context
from commands.errors import SafeguardingBlock
from commands.grammar import clean
from commands.registry import REGISTRY
from commands.types import Button, Inbound
from store import state

ACCEPT = "guard_accept"  # the Button.action of the offer
# Slack's limit on a button's value (Block Kit button element: "value", max 2000 characters).
BUTTON_COMMAND_MAX = 2000


def command_line(inbound: Inbound | None) -> str | None:
    """The whole command the person typed ("action add …"), or None for a thread reply, a
    form or anything else that is not a command line the bot can run again."""
    if inbound is None:
        return None
    line = clean(f"{inbound.command} {inbound.text}" if inbound.command else inbound.text).lstrip("/")
    first = line.split(maxsplit=1)[0].lower() if line.split() else ""
    return line if first and REGISTRY.group(first) is not None else None


def refusal(
    text: str,
    hits: list[guard.GuardHit],
    vocabulary: guard.BoardVocabulary,
    usage: str | None,
    inbound: Inbound | None,
    *,
    case_code: str | None = None,
) -> SafeguardingBlock:
    """The error to raise: the refusal wording, the signals, the anonymised offer."""
    suggestion = guard.anonymise(text, vocabulary, case_code=case_code)
    if suggestion == text or guard.check(suggestion, vocabulary):
        suggestion = ""  # nothing safe to offer: the person rewords it themselves
    line = command_line(inbound)
    retry = line.replace(text, suggestion, 1) if suggestion and line and text in line else None
    problem = guard.refusal_message(hits, vocabulary)
    if suggestion:
        how = "Click the button or reply yes to use it." if retry else "You could send that instead."
        problem += f'\nAn anonymised version: "{suggestion}". {how}'
    return SafeguardingBlock(
        problem,
        usage,
        signals=tuple(dict.fromkeys(h.signal for h in hits)),
        suggestion=suggestion or None,
        retry=retry,
    )


def offer_button(error: SafeguardingBlock) -> list[Button]:
    """The one-click offer under the refusal (none when there is no command to run again)."""
    if not error.retry or len(error.retry) > BUTTON_COMMAND_MAX:
        return []  # too long to carry in a button: replying yes still runs it
    return [Button(action=ACCEPT, label="Use the anonymised version", command=error.retry, style="primary")]


# ---- accepting the offer by replying "yes" -------------------------------------------------

YES = {"yes", "y", "yes please", "ok", "okay"}
OFFER_TTL = timedelta(minutes=30)


def offer_key(platform: str, user_id: str) -> str:
    return f"guard:offer:{platform}:{user_id}"[:200]


def remember(session: Session, inbound: Inbound, error: SafeguardingBlock, now: datetime) -> None:
    """Keep the offer (the anonymised command line only) so a `yes` can run it."""
    if error.retry:
        value = json.dumps({"command": error.retry, "at": now.isoformat()})
        state.put(session, offer_key(inbound.platform, inbound.user_id), value, now)


def accepted(ctx: Context) -> str | None:
    """The offered command line, when the person answers `yes` to it (within half an hour);
    the offer is used up either way."""
    inbound = ctx.inbound
    if inbound.command or inbound.text.strip().lower().rstrip(".!") not in YES:
        return None
    key = offer_key(inbound.platform, inbound.user_id)
    raw = state.get(ctx.session, key)
    if not raw:
        return None
    state.put(ctx.session, key, None, ctx.now)
    offer = json.loads(raw)
    if ctx.now - datetime.fromisoformat(offer["at"]) > OFFER_TTL:
        return None
    return str(offer["command"])
