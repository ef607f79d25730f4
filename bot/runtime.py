"""Build the running parts from Settings: engine, sessions, the core, the outbox senders.

Nothing is built at import time; a platform's SDK is imported only when that platform is
configured (the Agents SDK alone takes well over a second to import).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TextIO

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.settings import Settings
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
    console_stream: TextIO | None = None
    _senders: dict[str, Sender] | None = field(default=None, repr=False)

    @property
    def platforms(self) -> tuple[str, ...]:
        return self.settings.platforms

    def senders(self) -> dict[str, Sender]:
        if self._senders is None:
            from integrations.console.sender import ConsoleSender

            senders: dict[str, Sender] = {"console": ConsoleSender(self.console_stream)}
            if self.settings.slack_enabled:
                from integrations.slack.sender import make_sender as make_slack

                senders["slack"] = make_slack(self.settings.slack)
            if self.settings.teams_enabled:
                from integrations.teams.sender import make_sender as make_teams

                senders["teams"] = make_teams(self.settings, self.sessions, self.clock)
            self._senders = senders
        return self._senders

    def dispatcher(self) -> Dispatcher:
        return Dispatcher(self.sessions, self.senders(), self.clock)


def build_runtime(
    settings: Settings, clock: Clock | None = None, *, console_stream: TextIO | None = None
) -> Runtime:
    engine = make_engine(settings.database_url)
    migrate(engine)
    sessions = session_factory(engine)
    clock = clock or SystemClock()
    core = BotCore(sessions=sessions, clock=clock, platforms=settings.platforms)
    if settings.sharepoint_enabled:
        # The Board report is also saved to the meeting's SharePoint folder, after the reply's
        # transaction has committed (msgraph itself is imported only when a report is saved).
        from integrations.sharepoint.upload import ReportUploader

        core.after.append(ReportUploader(settings, sessions, clock))
    rt = Runtime(settings, engine, sessions, clock, core, console_stream)
    # What a command queued (e.g. a Section 11 launch) goes out at once, not at the next tick.
    core.send_due = lambda: rt.dispatcher().dispatch(limit=SEND_QUEUED_LIMIT)
    return rt
