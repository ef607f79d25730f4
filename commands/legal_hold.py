"""Legal hold, shared by `/action hold`, `/finding hold` and `/review hold`: an item under hold is kept by
every retention purge. The same words (`[off] <reason>`), rules and audit for both."""

from __future__ import annotations

from commands.context import Context
from commands.errors import FieldError
from commands.types import Reply
from store.models import Action, Finding, Review

WHY = "Say why (e.g. the inquiry or request it is held for)."


def hold_and_reason(rest: str | None, usage: str) -> tuple[bool, str]:
    """`off <reason>` lifts a hold, `<reason>` sets one; a reason is always needed."""
    hold = True
    if rest and rest.split(maxsplit=1)[0].lower() == "off":
        hold, rest = False, [*rest.split(maxsplit=1), ""][1] or None
    if rest is None:
        raise FieldError(WHY, usage, field="reason")
    return hold, rest


def apply_hold(
    ctx: Context,
    item: Action | Finding | Review,
    entity: str,
    ref: str,
    hold: bool,
    reason: str | None,
    line: str,
) -> Reply:
    """Set or lift the hold (the reason already checked), audited; `line` shows the item."""
    if item.legal_hold == hold:
        state = "under legal hold" if item.legal_hold else "not under legal hold"
        return Reply(title=f"{ref} is already {state}")
    item.legal_hold = hold
    verb = "legal hold set" if hold else "legal hold lifted"
    ctx.audit(entity, item.id, verb, {"legal_hold": not hold}, {"legal_hold": hold, "reason": reason})
    said = "kept by every retention purge" if hold else "back under the normal retention rule"
    return Reply(
        title=f"{ref}: {verb}",
        lines=[line, f"It is {said}. Reason: {reason}"],
        visibility="channel",
        data={"ref": ref},
    )
