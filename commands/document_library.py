"""The DocumentLibrary port over store/: everything the SharePoint sync and uploader keep in
the database, each call its own transaction (the sync never holds one open across Graph)."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from commands import calendar as calendar_rules
from commands import document_health as health
from commands import document_permissions as perm_rules
from commands import documents as doc_rules
from commands.calendar import CalendarEvent, CalendarResult
from commands.clock import Clock
from commands.documents import ItemRecord, PageResult, SyncScope
from commands.kpi import workbook as kpi_workbook
from commands.kpi.workbook import CellReading, CellRef, WorkbookAsk
from commands.section11 import workbook_import
from commands.section11.workbook_data import ReadResult
from commands.section11.workbook_import import WorkbookJob
from store import document_access as access_store
from store import document_sync as doc_sync
from store import documents as doc_store
from store import state
from store.db import transaction
from store.models import Board

LEASE = "sharepoint:lock"
LEASE_TTL = timedelta(minutes=30)
DRIVE = "sharepoint:drive"


class LeaseLost(RuntimeError):
    """The sync's lease expired and another process holds it now."""


@dataclass
class StoredLibrary:
    sessions: sessionmaker[Session]
    clock: Clock
    platforms: tuple[str, ...] = ("console",)
    holder: str = field(default_factory=lambda: uuid.uuid4().hex)  # whose lease this is

    def _scope(self, session: Session) -> SyncScope:
        board = session.get(Board, 1)
        assert board is not None, "the sync runs only once a board is loaded"
        return SyncScope(session=session, clock=self.clock, board=board, platforms=self.platforms)

    def begin_sync(self, *, only_if_due: bool) -> str | None:
        with transaction(self.sessions) as s:
            if s.get(Board, 1) is None:
                return "no board is loaded yet"
            scope = self._scope(s)
            if only_if_due and not health.sync_due(scope):
                return "not due yet"
            if not doc_store.take_lease(s, LEASE, scope.now, LEASE_TTL, self.holder):
                return "another sync is running"
            health.record_attempt(scope)
        return None

    def begin_sweep(self, *, only_if_due: bool) -> str | None:
        """The permission sweep takes the sync's lease (never both at once) and records itself."""
        with transaction(self.sessions) as s:
            if s.get(Board, 1) is None:
                return "no board is loaded yet"
            scope = self._scope(s)
            if only_if_due and not perm_rules.sweep_due(scope):
                return "not due yet"
            if not doc_store.take_lease(s, LEASE, scope.now, LEASE_TTL, self.holder):
                return "another sync is running"
            perm_rules.record_sweep(scope)
        return None

    def unique_flags(self, item_ids: list[str]) -> dict[str, bool]:
        with self.sessions() as s:
            return access_store.unique_flags(s, item_ids)

    def store_permissions(self, found: dict[str, bool]) -> int:
        """One page of the sweep: each item's own-permissions flag as SharePoint says now (the
        lease renewed, as for a sync's page); how many changed."""
        with transaction(self.sessions) as s:
            if not doc_sync.renew_lease(s, LEASE, self.clock.now(), LEASE_TTL, self.holder):
                raise LeaseLost("another sync took over the library; this one stops")
            return access_store.set_unique_flags(s, found)

    def finish_sweep(self, changed: int) -> perm_rules.SweepOutcome:
        """Who may see what, re-decided for every document after the sweep; the QA officer told."""
        with transaction(self.sessions) as s:
            return perm_rules.settle_after_sweep(self._scope(s), changed)

    def end_sync(self) -> None:
        with transaction(self.sessions) as s:
            doc_store.release_lease(s, LEASE, self.clock.now(), self.holder)

    def record_outcome(self, problem: tuple[str, str] | None) -> int:
        with transaction(self.sessions) as s:
            scope = self._scope(s)
            if problem is None:
                health.report_ok(scope)
                return 0
            return health.report_problem(scope, *problem)

    def delta_link(self, drive_id: str) -> str | None:
        with self.sessions() as s:
            return state.get(s, doc_rules.delta_key(drive_id))

    def root_id(self, drive_id: str) -> str | None:
        with self.sessions() as s:
            return state.get(s, doc_rules.root_key(drive_id))

    def versions(self, item_ids: list[str]) -> dict[str, tuple[datetime | None, int | None, bool]]:
        with self.sessions() as s:
            return doc_store.versions(s, item_ids)

    def store_page(
        self,
        records: list[ItemRecord],
        *,
        drive_id: str,
        root_id: str | None,
        next_link: str,
        generation: int | None = None,
    ) -> PageResult:
        with transaction(self.sessions) as s:
            # The lease is renewed with each page, so a long first sync is never joined by a
            # second process; if it was lost meanwhile, this page is not written.
            if not doc_sync.renew_lease(s, LEASE, self.clock.now(), LEASE_TTL, self.holder):
                raise LeaseLost("another sync took over the library; this one stops")
            read = [r.item_id for r in records if r.content_text is not None]
            doc_sync.readable_again(s, read, self.clock.now())
            return doc_rules.apply_page(
                self._scope(s),
                records,
                drive_id=drive_id,
                root_id=root_id,
                next_link=next_link,
                generation=generation,
            )

    def resync_generation(self, drive_id: str) -> int | None:
        """The generation of the full re-enumeration under way, if one is."""
        with self.sessions() as s:
            found = state.get(s, doc_rules.resync_key(drive_id))
        return int(found) if found else None

    def start_resync(self, drive_id: str) -> int:
        """Graph asked for a resync (410): a new generation; the delta link is forgotten."""
        with transaction(self.sessions) as s:
            last = max(int(state.get(s, doc_rules.generation_key(drive_id)) or 0), 0)
            now = self.clock.now()
            state.put(s, doc_rules.generation_key(drive_id), str(last + 1), now)
            state.put(s, doc_rules.resync_key(drive_id), str(last + 1), now)
            state.put(s, doc_rules.delta_key(drive_id), None, now)
        return last + 1

    def finish_resync(self, drive_id: str, generation: int) -> list[str]:
        """The re-enumeration reached its deltaLink: what it did not see is deleted."""
        with transaction(self.sessions) as s:
            gone = doc_sync.delete_unseen(s, generation, self.clock.now())
            state.put(s, doc_rules.resync_key(drive_id), None, self.clock.now())
        return gone

    def settle(self) -> int:
        """Who may see what, re-decided for every stored document (after each sync)."""
        with transaction(self.sessions) as s:
            return doc_rules.settle_library(self._scope(s)).posts

    def unreadable(self) -> list[tuple[str, str]]:
        """(item id, name) of files kept without text because they could not be read."""
        with self.sessions() as s:
            return doc_sync.unreadable(s)

    def store_text(self, item_id: str, text: str) -> None:
        """A file that could not be read before has been: its text, and it is no longer owed."""
        with transaction(self.sessions) as s:
            doc_sync.store_text(s, item_id, text, doc_store.MAX_TEXT)
            doc_sync.readable_again(s, [item_id], self.clock.now())

    def report_unreadable(self, files: list[tuple[str, str]]) -> int:
        """(item id, name) of files that could not be read: the QA officer is told once each."""
        if not files:
            return 0
        with transaction(self.sessions) as s:
            return health.report_unreadable(self._scope(s), files)

    def workbooks_to_read(self, item_ids: list[str]) -> list[WorkbookAsk]:
        """Performance measures' workbooks among these stored items, with their cells."""
        with self.sessions() as s:
            if s.get(Board, 1) is None:
                return []
            return kpi_workbook.cells_to_read(self._scope(s), item_ids)

    def store_workbook_cells(self, ask: WorkbookAsk, readings: dict[CellRef, CellReading]) -> int:
        """The figures those cells held (one transaction); the posts it queued."""
        with transaction(self.sessions) as s:
            return kpi_workbook.apply(self._scope(s), ask, readings)

    def apply_events(
        self, events: list[CalendarEvent], start: datetime, end: datetime, *, complete: bool
    ) -> CalendarResult:
        with transaction(self.sessions) as s:
            return calendar_rules.apply_events(self._scope(s), events, start, end, complete=complete)

    def known_drive(self) -> dict[str, str] | None:
        with self.sessions() as s:
            cached = state.get(s, DRIVE)
        if not cached:
            return None
        found = json.loads(cached)
        return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None

    def remember_drive(self, facts: dict[str, str]) -> None:
        with transaction(self.sessions) as s:
            state.put(s, DRIVE, json.dumps(facts), self.clock.now())

    def meetings_folder(self) -> list[str]:
        with self.sessions() as s:
            board = s.get(Board, 1)
            folder = doc_rules.conventions(board).meetings_folder if board is not None else "Meetings"
        return [p for p in folder.split("/") if p]

    # ---- Section 11 workbooks (commands/section11/workbook_import.py) ---------------------

    def s11_workbooks_due(self) -> list[WorkbookJob]:
        with self.sessions() as s:
            if s.get(Board, 1) is None:
                return []
            return workbook_import.due(self._scope(s))

    def store_s11_workbook(self, job: WorkbookJob, result: ReadResult) -> int:
        with transaction(self.sessions) as s:
            return workbook_import.apply(self._scope(s), job, result)

    def s11_template_saved(
        self, return_id: int, item_id: str, name: str, modified_at: datetime | None, size: int | None
    ) -> None:
        with transaction(self.sessions) as s:
            workbook_import.template_saved(self._scope(s), return_id, item_id, name, modified_at, size)
