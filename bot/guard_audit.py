"""The audit log's record of a refusal by the safeguarding guard: who, when, which signals,
where (the command, or "thread reply") — never the refused text. Written in a transaction of
its own, because the command's own transaction is rolled back with everything it wrote."""

from __future__ import annotations

import logging

from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from commands import guard_offer
from commands.clock import Clock
from commands.errors import SafeguardingBlock
from commands.types import Inbound
from store import audit, members

log = logging.getLogger("qabot.guard")


def where(inbound: Inbound, request: BaseModel | None = None) -> str:
    """The command's two words ("action add"), the form's request, or what kind of message."""
    if request is not None:
        return f"form {type(request).__name__}"
    line = guard_offer.command_line(inbound)
    if line is not None:
        return " ".join(line.split()[:2]).lower()
    return "thread reply" if inbound.thread_id else "message"


def record_refusal(
    sessions: sessionmaker[Session],
    clock: Clock,
    inbound: Inbound,
    error: SafeguardingBlock,
    request: BaseModel | None = None,
) -> None:
    try:
        with sessions() as s, s.begin():
            actor = members.by_platform_id(s, inbound.platform, inbound.user_id)
            audit.record(
                s,
                at=clock.now(),
                actor=actor,
                actor_label=None if actor else f"{inbound.platform} user {inbound.user_id}",
                entity="guard",
                entity_id=None,
                verb="refused",
                before=None,
                after={
                    "signals": list(error.signals),
                    "where": where(inbound, request),
                    "offered": bool(error.suggestion),
                },
                source=f"{inbound.platform}:{inbound.channel or ''}",
            )
            guard_offer.remember(s, inbound, error, clock.now())
    except Exception:
        # The person has their refusal either way; the log line carries no text.
        log.exception("could not record a safeguarding refusal in the audit log")
