"""One tick of the clock: compute what is due from the database, queue it, send it.

Nothing is scheduled as a job per reminder. Producers (Section 11 reminders, agendas,
escalations, document syncs) look at the database and the instant, and queue outbox rows
with unique keys; the dispatcher then sends whatever is pending. Two ticks at once, a second
tick at the same instant, or a restart can therefore never send anything twice.
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher, DispatchResult
from commands.clock import Clock
from commands.context import Scope
from store.models import Board

log = logging.getLogger("qabot.tick")

# "module:function" taking a Scope and returning how many posts it queued.
PRODUCERS: list[str] = [
    "commands.section11.clock:produce",
    "commands.meetings.clock:produce",
]

Producer = Callable[[Scope], int]


def _load(spec: str) -> Producer | None:
    module, _, func = spec.partition(":")
    try:
        if importlib.util.find_spec(module) is None:
            return None
    except ModuleNotFoundError:
        return None
    fn: Producer = getattr(importlib.import_module(module), func)
    return fn


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
    extra_producers: list[Producer] | None = None,
) -> TickResult:
    result = TickResult(at=clock.now())
    producers: list[tuple[str, Producer]] = [(s, p) for s in PRODUCERS if (p := _load(s)) is not None]
    producers += [(getattr(p, "__name__", "extra"), p) for p in extra_producers or []]
    for name, produce in producers:
        try:
            with sessions() as s, s.begin():
                board = s.get(Board, 1)
                if board is None:
                    return result
                scope = Scope(session=s, clock=clock, board=board, platforms=platforms)
                result.queued[name] = produce(scope)
        except Exception:
            # One broken producer must not stop reminders or the outbox.
            log.exception("producer %s failed; its work stays due for the next tick", name)
    result.dispatch = dispatcher.dispatch()
    return result
