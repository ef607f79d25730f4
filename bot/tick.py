"""One tick of the clock: compute what is due from the database, queue it, send it.

Nothing is scheduled as a job per reminder. Producers (Section 11 reminders, agendas,
escalations; `@producer` in commands/registry.py, imported by commands/catalog.py; document
syncs come in as extra producers) look at the database and the instant, and queue outbox rows
with unique keys; the dispatcher then sends whatever is pending. Two ticks at once, a second
tick at the same instant, or a restart can therefore never send anything twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher, DispatchResult
from commands import catalog
from commands.clock import Clock
from commands.context import Scope
from commands.registry import Produce
from commands.services import Services
from store.models import Board

log = logging.getLogger("qabot.tick")

@dataclass
class TickResult:
    at: datetime
    queued: dict[str, int] = field(default_factory=dict)
    dispatch: DispatchResult = field(default_factory=DispatchResult)


def run_tick(
    sessions: sessionmaker[Session],
    clock: Clock,
    dispatcher: Dispatcher,
    platforms: tuple[str, ...],
    *,
    extra_producers: list[Produce] | None = None,
    services: Services | None = None,
) -> TickResult:
    result = TickResult(at=clock.now())
    producers = catalog.load().producers()
    producers += [(getattr(p, "__name__", "extra"), p) for p in extra_producers or []]
    for name, produce in producers:
        try:
            with sessions() as s, s.begin():
                board = s.get(Board, 1)
                if board is None:
                    return result
                scope = Scope(
                    session=s, clock=clock, board=board, platforms=platforms, services=services or Services()
                )
                result.queued[name] = produce(scope)
        except Exception:
            # One broken producer must not stop reminders or the outbox.
            log.exception("producer %s failed; its work stays due for the next tick", name)
    result.dispatch = dispatcher.dispatch()
    return result
