"""What every handler receives: one session (one transaction), the clock, and for a
command the member who typed it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from commands.clock import Clock
from commands.dates import local_date
from commands.services import Services
from commands.types import Inbound
from store import audit
from store.models import Board, Member


@dataclass(kw_only=True)
class Scope:
    """A unit of work without a person behind it (the clock's jobs use this directly)."""

    session: Session
    clock: Clock
    board: Board
    # Chat platforms the bot posts to (e.g. ("slack",)); ("console",) when none is configured.
    platforms: tuple[str, ...] = ("console",)
    queued: int = 0  # outbox posts queued in this unit of work (so adapters know to send them)
    services: Services = field(default_factory=Services)  # outside services given at wiring time
    _now: datetime | None = None

    @property
    def now(self) -> datetime:
        if self._now is None:
            self._now = self.clock.now()
        return self._now

    @property
    def tz(self) -> str:
        return self.board.timezone

    @property
    def today(self) -> date:
        return local_date(self.now, self.tz)

    @property
    def source(self) -> str:
        return "clock"

    @property
    def actor_or_none(self) -> Member | None:
        return None

    def audit(
        self,
        entity: str,
        entity_id: int | None,
        verb: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        audit.record(
            self.session,
            at=self.now,
            actor=self.actor_or_none,
            entity=entity,
            entity_id=entity_id,
            verb=verb,
            before=before,
            after=after,
            source=self.source,
        )


@dataclass(kw_only=True)
class Context(Scope):
    """A command or thread reply from a board member."""

    actor: Member
    inbound: Inbound
    extras: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        inb = self.inbound
        return ":".join(p for p in (inb.platform, inb.channel or "", inb.message_id or "") if p)

    @property
    def actor_or_none(self) -> Member | None:
        return self.actor
