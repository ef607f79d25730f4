"""Build the running parts from Settings: engine, sessions, the core, the connectors.

Nothing is built at import time; a platform's SDK is imported only when that platform sends,
mounts or starts (the Agents SDK alone takes well over a second to import).
"""

from __future__ import annotations

import gc
import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.connectors import Connectors, build_connectors
from bot.core import BotCore
from bot.edit_followup import edit_followup
from bot.letter_links import letter_links
from bot.outbox import Dispatcher
from bot.services import board_services
from bot.settings import Settings
from commands import guard
from commands.clock import Clock, SystemClock
from commands.outbound import Sender
from store.db import make_engine, migrate, session_factory

log = logging.getLogger("qabot")

# Posts sent from the request path after a command queued some; the clock sends the rest.
SEND_QUEUED_LIMIT = 50


@dataclass
class Runtime:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    core: BotCore
    connectors: Connectors
    _senders: dict[str, Sender] | None = field(default=None, repr=False)

    @property
    def platforms(self) -> tuple[str, ...]:
        return self.settings.platforms

    def senders(self) -> dict[str, Sender]:
        if self._senders is None:
            self._senders = {c.name: c.sender() for c in self.connectors.chat if c.enabled}
        return self._senders

    def dispatcher(self) -> Dispatcher:
        return Dispatcher(self.sessions, self.senders(), self.clock)


def _warm_guard() -> None:
    try:
        guard.warm_up()
    except Exception:  # the first command then reads the lists itself (and says why if it cannot)
        log.exception("could not read the guard's word lists ahead of the first command")
    # What start-up built (the guard's lists, the imported modules, the apps) lives as long as
    # the process: taken out of the collector's reach, so its full collections no longer walk
    # it. Such a collection stops every thread; with it all it took ~75 ms mid-burst
    # (benchmarks/RESULTS.md, intake).
    gc.collect()
    gc.freeze()


def build_runtime(
    settings: Settings,
    clock: Clock | None = None,
    *,
    console_stream: TextIO | None = None,
    warm_guard: bool = False,
) -> Runtime:
    """warm_guard: a long-running process (the web app, the console) reads the guard's lists in
    the background now; a one-shot command (`qabot tick` every minute) does not pay for it."""
    engine = make_engine(settings.database_url)
    migrate(engine)
    sessions = session_factory(engine)
    clock = clock or SystemClock()
    core = BotCore(sessions=sessions, clock=clock, platforms=settings.platforms, services=board_services())
    core.intake.lease = timedelta(seconds=settings.inbox_lease_seconds)
    core.intake.recover_every = settings.inbox_recover_seconds
    connectors = build_connectors(settings, sessions, clock, console_stream=console_stream)
    rt = Runtime(settings, engine, sessions, clock, core, connectors)
    if warm_guard:  # the guard's name and place lists, read once per process, off the request path
        threading.Thread(target=_warm_guard, name="guard-warm-up", daemon=True).start()
    # What a command queued (e.g. a Section 11 launch) goes out at once, not at the next tick.
    core.send_due = lambda: rt.dispatcher().dispatch(limit=SEND_QUEUED_LIMIT)
    # `/qa redact` edits the bot's own posts at once and says in its reply how that went.
    core.after.append(edit_followup(core))
    for source in connectors.documents:
        if source.enabled:
            # e.g. the Board report is also saved to the meeting's SharePoint folder, after the
            # reply's transaction has committed (msgraph is imported only when one is saved).
            core.after.append(source.report_saver())
    if any(source.enabled for source in connectors.documents):
        # A Section 11 letter saved to SharePoint: its link in the agency's thread (after the save).
        core.after.append(letter_links(core))
        core.services = replace(core.services, files_to_library=True)
    return rt
