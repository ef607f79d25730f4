"""The walls between the rooms, as small protocols.

`CorePort` is everything an integration (Slack, Teams, the console, SharePoint) may ask of
the core: integrations never import `bot.*` and never read `store` themselves. The wiring
(`bot/`) hands each connector an object that satisfies it (today `bot.core.BotCore`).

The service protocols go the other way: outside services a command needs (the Word writer,
the SharePoint uploader) are handed to the core at wiring time, so no command ever loads an
integration by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from commands.clock import Clock
from commands.types import Inbound, Reply


@dataclass(frozen=True)
class MemberView:
    """A board member as an integration may see them (never the ORM row)."""

    handle: str
    name: str
    role: str
    agency: str | None = None
    active: bool = True


class CorePort(Protocol):
    """What an integration may ask of the core."""

    @property
    def clock(self) -> Clock: ...

    def handle(self, inbound: Inbound) -> Reply:
        """Run one command or thread reply; the reply to show the person."""
        ...

    def member(self, platform: str, user_id: str) -> MemberView | None:
        """The active board member behind a platform user id, if any."""
        ...

    def members(self) -> list[MemberView]:
        """Every active member (for pickers and mention lookups)."""
        ...

    def agency_names(self) -> list[str]: ...

    def channel_of(self, platform: str, purpose: str) -> str | None:
        """The board's address for a purpose on a platform (e.g. ("slack", "qa"))."""
        ...

    def send_queued(self) -> None:
        """Send what the last command queued now (outside the request), not at the next tick."""
        ...

    def board_name(self) -> str | None:
        """The loaded board's name, for headings (e.g. Slack's App Home); None before one is
        imported."""
        ...


class ReportWriter(Protocol):
    """Writes a document (the Board report) from neutral data; returns the file's path."""

    def __call__(self, data: Any, out: Path) -> Path: ...


class AfterCommit(Protocol):
    """Runs after a command's transaction committed (e.g. saving the Board report to
    SharePoint); returns the reply, possibly with a line added."""

    def __call__(self, reply: Reply) -> Reply: ...
