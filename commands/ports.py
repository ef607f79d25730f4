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
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from pydantic import BaseModel

from commands.clock import Clock
from commands.intake import ReceivedWork
from commands.types import Inbound, Reply

if TYPE_CHECKING:
    from commands.calendar import CalendarEvent, CalendarResult
    from commands.document_permissions import SweepOutcome
    from commands.documents import ItemRecord, PageResult
    from commands.kpi.workbook import CellReading, CellRef, WorkbookAsk
    from commands.section11.workbook_data import ReadResult
    from commands.section11.workbook_import import WorkbookJob


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

    def handle_request(self, inbound: Inbound, request: BaseModel) -> Reply:
        """Run a typed request a form built (commands.registry.build_request) as the person in
        `inbound`; a field's problem comes back with `reply.data["field"]` naming it."""
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

    def s11_thread(self, inbound: Inbound) -> bool:
        """Whether the message answers the thread of a Section 11 return's post: only then is a
        spreadsheet on it downloaded (and read as the agency's workbook)."""
        ...

    def send_queued(self) -> None:
        """Send what the last command queued now (outside the request), not at the next tick."""
        ...

    def board_name(self) -> str | None:
        """The loaded board's name, for headings (e.g. Slack's App Home); None before one is
        imported."""
        ...

    def post_later(
        self, platform: str, address: str, reply: Reply, key: str, *, maybe_sent: bool = False
    ) -> None:
        """Queue a reply the platform would not take now in the outbox (sent and retried
        there, once per `key`), e.g. to a person's 1:1 chat. `maybe_sent`: a first attempt,
        carrying `key` as the outbox's own posts do, may have arrived; the outbox looks for it
        before sending (find_sent), so it is never shown twice."""
        ...

    def refusal(self, platform: str, user_id: str, group: str, name: str) -> str | None:
        """Why this person may not run `/group name` (checked before a form is opened), or
        None when they may."""
        ...

    def accept(self, platform: str, kind: str, key: str, payload: dict[str, Any]) -> int | None:
        """Store a delivery before it is acknowledged (raises when it cannot be stored: then do
        not acknowledge). Its inbox id, or None when this key was stored before (a retry)."""
        ...

    def on_received(self, platform: str, work: ReceivedWork) -> None:
        """Register the function that works this platform's stored deliveries."""
        ...

    def work(self, inbox_id: int) -> None:
        """Work one stored delivery now (after the acknowledgement); never raises."""
        ...


class ReportWriter(Protocol):
    """Writes a document (the Board report) from neutral data; returns the file's path."""

    def __call__(self, data: Any, out: Path) -> Path: ...


class ChartWriter(Protocol):
    """Draws a chart (commands.charts.Chart) as a PNG file at `out`; returns its text
    alternative, for the reply that carries the file."""

    def __call__(self, chart: Any, out: Path) -> str: ...


class TrendWriter(Protocol):
    """Draws a chart (a measure's trend, commands/kpi/trend.py) from neutral data as a PNG
    image; returns the file's path."""

    def __call__(self, data: Any, out: Path) -> Path: ...


class AfterCommit(Protocol):
    """Runs after a command's transaction committed (e.g. saving the Board report to
    SharePoint); returns the reply, possibly with a line added."""

    def __call__(self, reply: Reply) -> Reply: ...


# ---- Connector ports (wip-conn): what Teams and SharePoint ask of the store, via commands ----
#
# Handed to the connector at wiring time (bot/connectors.py), implemented in commands/ over
# store/ (commands/conversations.py, commands/document_library.py).


@dataclass(frozen=True)
class ConversationRecord:
    """Where the bot can post on its own: a saved conversation reference (Teams)."""

    conversation_id: str
    service_url: str | None
    tenant_id: str | None
    reference: dict[str, Any]
    user_id: str | None = None


class ConversationStore(Protocol):
    """Conversation references, saved when the bot is installed or spoken to and read when it
    posts proactively."""

    def save(
        self,
        platform: str,
        *,
        conversation_id: str,
        service_url: str | None,
        tenant_id: str | None,
        reference: dict[str, Any],
        user_id: str | None = None,
    ) -> None:
        """Insert or refresh one conversation (the newest service URL wins)."""
        ...

    def get(self, platform: str, conversation_id: str) -> ConversationRecord | None: ...

    def for_user(self, platform: str, user_id: str) -> ConversationRecord | None:
        """The newest 1:1 chat with this person."""
        ...

    def newest(self, platform: str, tenant_id: str | None = None) -> ConversationRecord | None:
        """The most recently refreshed reference with a service URL (it serves the tenant)."""
        ...


class DocumentLibrary(Protocol):
    """What the document sync asks of the store: the sync's lease and health, the versions it
    already holds, one page stored with its delta link, the calendar's meetings, and the facts
    it remembers between runs."""

    def begin_sync(self, *, only_if_due: bool) -> str | None:
        """Take the sync's lease and record the attempt. None when the sync may run, else why
        not ("no board is loaded yet", "not due yet", "another sync is running")."""
        ...

    def end_sync(self) -> None:
        """Release the lease taken by `begin_sync` (or `begin_sweep`)."""
        ...

    def begin_sweep(self, *, only_if_due: bool) -> str | None:
        """Take the sync's lease for the permission sweep and record it; None when it may run,
        else why not."""
        ...

    def unique_flags(self, item_ids: list[str]) -> dict[str, bool]:
        """item id -> stored as having its own permissions in SharePoint."""
        ...

    def store_permissions(self, found: dict[str, bool]) -> int:
        """item id -> has its own permissions now; renews the lease; how many changed."""
        ...

    def finish_sweep(self, changed: int) -> SweepOutcome:
        """Re-decide who sees what after a sweep, and tell the QA officer of new restrictions."""
        ...

    def record_outcome(self, problem: tuple[str, str] | None) -> int:
        """After a sync: (kind, message) of what stopped it, or None when it worked. Tells the
        QA officer once when it starts failing; returns how many posts that queued."""
        ...

    def delta_link(self, drive_id: str) -> str | None: ...

    def root_id(self, drive_id: str) -> str | None: ...

    def versions(self, item_ids: list[str]) -> dict[str, tuple[datetime | None, int | None, bool]]:
        """item id -> (modified at, size, has text) of the items already stored."""
        ...

    def store_page(
        self,
        records: list[ItemRecord],
        *,
        drive_id: str,
        root_id: str | None,
        next_link: str,
        generation: int | None = None,
    ) -> PageResult:
        """One delta page, its conventions and the link to the next page, in one transaction;
        renews the sync's lease (raises if another process holds it now). `generation`: the
        full re-enumeration under way, whose items are marked seen."""
        ...

    def resync_generation(self, drive_id: str) -> int | None:
        """The generation of the full re-enumeration (after a 410) under way, if any."""
        ...

    def start_resync(self, drive_id: str) -> int:
        """Forget the delta link and start a new generation; returns it."""
        ...

    def finish_resync(self, drive_id: str, generation: int) -> list[str]:
        """Delete what the finished re-enumeration did not see; returns their paths."""
        ...

    def settle(self) -> int:
        """Re-decide who may see every stored document; returns the posts it queued."""
        ...

    def unreadable(self) -> list[tuple[str, str]]:
        """(item id, name) of files kept without text because they could not be read."""
        ...

    def store_text(self, item_id: str, text: str) -> None:
        """The text of a file that could not be read before."""
        ...

    def report_unreadable(self, files: list[tuple[str, str]]) -> int:
        """(item id, name) of files that could not be read: told to the QA officer once each."""
        ...

    def apply_events(
        self, events: list[CalendarEvent], start: datetime, end: datetime, *, complete: bool
    ) -> CalendarResult:
        """The calendar's events in [start, end) as meetings (one transaction)."""
        ...

    def known_drive(self) -> dict[str, str] | None:
        """The library's drive as last looked up (site, library, site_id, drive_id)."""
        ...

    def remember_drive(self, facts: dict[str, str]) -> None: ...

    def workbooks_to_read(self, item_ids: list[str]) -> list[WorkbookAsk]:
        """Performance measures' workbooks among these stored items, and which cells to read
        in each (commands/kpi/workbook.py)."""
        ...

    def store_workbook_cells(self, ask: WorkbookAsk, readings: dict[CellRef, CellReading]) -> int:
        """What those cells held, as the measures' figures (one transaction); posts queued."""
        ...

    def meetings_folder(self) -> list[str]:
        """The board's meetings folder in the library, as path parts (e.g. ["Meetings"])."""
        ...

    def s11_workbooks_due(self) -> list[WorkbookJob]:
        """Spreadsheets in agencies' Section 11 folders whose current version has not been
        read, each with what its reading is checked against."""
        ...

    def store_s11_workbook(self, job: WorkbookJob, result: ReadResult) -> int:
        """What reading one version gave: its answers stored and the return marked submitted,
        or its errors kept; the agency's thread told (one transaction); the posts queued."""
        ...

    def s11_template_saved(
        self, return_id: int, item_id: str, name: str, modified_at: datetime | None, size: int | None
    ) -> None:
        """The bot saved an agency's blank template as this version: never read back, and not
        "document received"."""
        ...
