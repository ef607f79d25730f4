"""The one lifecycle every platform shares, as protocols `bot/` loops over.

Two roles, not one protocol with optional parts:

- `Connector`: a chat platform (Slack, Teams, the console). It posts (`sender`), it receives
  (`mount` on the web app, or `start` for a connection it opens itself, e.g. Slack's Socket
  Mode), and it says what is wrong with its setup (`doctor`).
- `DocumentSource`: a document library (SharePoint). It neither posts nor receives messages:
  it is pulled on the clock (`sync_if_due`) and it keeps the files the bot writes
  (`report_saver`, run after a command's transaction has committed).

Keeping them apart means every loop in `bot/` is total: the senders loop never meets a
platform without a sender, the sync job never meets one without a library, and no method
answers "not supported". What the two share (`Lifecycle`) is what `qabot doctor` and start-up
need from everything that is configured.

A connector is cheap to build: its SDK is imported only when it sends, mounts or starts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from fastapi import FastAPI

    from commands.outbound import Sender
    from commands.ports import AfterCommit, CorePort

OK, WARN, FAIL, OFF = "ok", "warn", "FAIL", "off"


class Lifecycle(Protocol):
    """What every configured part of the bot has: a name, an on/off switch, a start and a
    stop, and a check of its setup."""

    name: str

    @property
    def enabled(self) -> bool:
        """Configured in the settings (a disabled one is only asked for `doctor`)."""
        ...

    def start(self, core: CorePort) -> None:
        """Begin serving, without blocking (e.g. open a Socket Mode connection)."""
        ...

    def stop(self) -> None:
        """Undo `start`: close connections and wait for the work it started."""
        ...

    def doctor(self) -> list[str]:
        """What is wrong with the setup, in words that name the setting; empty when fine."""
        ...


class Connector(Lifecycle, Protocol):
    """A chat platform."""

    def sender(self) -> Sender:
        """The outbox's way to post on this platform."""
        ...

    def mount(self, app: FastAPI, core: CorePort) -> None:
        """Add this platform's routes to the web app. Called for every connector, enabled or
        not: a disabled one adds nothing, or a route that refuses (Teams answers 401)."""
        ...


class DocumentSource(Lifecycle, Protocol):
    """A document library the bot reads on the clock and saves reports into."""

    def sync_if_due(self) -> str | None:
        """One sync when it is due; its summary, or None when it was skipped."""
        ...

    def report_saver(self) -> AfterCommit:
        """Saves a Board report a command produced into the library (runs after commit)."""
        ...


@dataclass(frozen=True)
class Health:
    """One line of `qabot doctor`: ok | warn | FAIL | off, and what was found."""

    status: str
    detail: str


@runtime_checkable
class ReportsHealth(Protocol):
    """Optional: a connector that can say more than `doctor()` (what is fine, a warning, or
    that it is off), for `qabot doctor`'s table. Without it the table says ok/FAIL/off."""

    def health(self) -> Health: ...


def health_of(part: Lifecycle) -> Health:
    """The doctor line for any connector or document source."""
    if isinstance(part, ReportsHealth):
        return part.health()
    if not part.enabled:
        return Health(OFF, "not configured.")
    problems = part.doctor()
    return Health(FAIL, "; ".join(problems)) if problems else Health(OK, "configured.")
