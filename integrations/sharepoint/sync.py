"""Pull the document library with Graph's delta query.

The first run pages through `@odata.nextLink` from `drives/{id}/items/root/delta`; later
runs start from the stored `@odata.deltaLink` and fetch only changes. Each page is stored in
one transaction together with the link to the next page, so a crash or an outage mid-sync
resumes from the last stored page and loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from commands import calendar as calendar_rules
from commands.calendar import CalendarResult
from commands.clock import Clock
from commands.document_library import LeaseLost
from commands.documents import ItemRecord, PageResult
from commands.ports import DocumentLibrary
from integrations.sharepoint.client import GraphConnection, GraphOptions, GraphProblem, connect, describe
from integrations.sharepoint.delta import fetch_delta_page, to_record
from integrations.sharepoint.extract import extractable
from integrations.sharepoint.measure_workbooks import read_measure_workbooks
from integrations.sharepoint.reading import has_unique_permissions, read_text, read_unreadable
from integrations.sharepoint.settings import SharePointSettings
from integrations.sharepoint.workbooks import read_due_workbooks

log = logging.getLogger("qabot.sharepoint")

DOWNLOADS_AT_ONCE = 4


@dataclass
class SyncReport:
    pages: int = 0
    items: int = 0
    bytes: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    relocated: int = 0
    extracted: int = 0
    posts: int = 0
    full: bool = False  # started from the top (no stored delta link)
    finished: bool = False  # reached the deltaLink: the store is up to date
    problem: GraphProblem | None = None
    skipped: str | None = None
    seconds: float = 0.0
    received: list[str] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)  # (item id, name), kept without text
    resynced: bool = False  # Graph answered 410: the library was enumerated again in full
    calendar: CalendarResult | None = None  # when SHAREPOINT_CALENDAR is set and was read
    workbooks: int = 0  # Section 11 workbook versions read (integrations/sharepoint/workbooks.py)

    @property
    def ok(self) -> bool:
        return self.problem is None and self.skipped is None

    def summary(self) -> str:
        if self.skipped:
            return f"SharePoint sync skipped: {self.skipped}"
        head = "First full sync" if self.full else "Sync"
        parts = (
            f"{self.pages} page{'s' if self.pages != 1 else ''}, "
            f"{self.items} item{'s' if self.items != 1 else ''} "
            f"({self.created} new, {self.updated} changed, {self.deleted} deleted"
            + (f"; {self.relocated} moved with their folder" if self.relocated else "")
            + f"), {self.extracted} read for search, {_size(self.bytes)} downloaded"
            + (f"; {len(self.unreadable)} could not be read (listed without text)" if self.unreadable else "")
        )
        if self.workbooks:
            parts += f"; {self.workbooks} Section 11 workbook{'s' if self.workbooks != 1 else ''} read"
        if self.calendar is not None:
            parts += f"; {self.calendar.summary()}"
        if self.problem:
            return f"{head} stopped after {parts}. {self.problem.message}"
        return f"{head} done: {parts} in {self.seconds:.1f} s."


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} B"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


Progress = Callable[[SyncReport], None]


@dataclass
class DocumentSync:
    """One run of the sync: Graph on one side, the board's store (through `library`) on the
    other."""

    settings: SharePointSettings
    library: DocumentLibrary
    clock: Clock
    options: GraphOptions = field(default_factory=GraphOptions)
    progress: Progress | None = None

    # ---- entry points ----------------------------------------------------------------------

    def run(self, *, only_if_due: bool = False) -> SyncReport:
        """One sync, start to finish (or to a clean stop). Never raises for Graph trouble."""
        started = time.perf_counter()
        report = SyncReport()
        report.skipped = self.library.begin_sync(only_if_due=only_if_due)
        if report.skipped is not None:
            return report
        try:
            asyncio.run(self._run(report))
        finally:
            self.library.end_sync()
        report.seconds = time.perf_counter() - started
        self._after(report)
        return report

    def _after(self, report: SyncReport) -> None:
        if report.pages:  # something was stored: who may see what is decided again for all
            report.posts += self.library.settle()
        report.posts += self.library.report_unreadable(report.unreadable)
        problem = report.problem
        report.posts += self.library.record_outcome((problem.kind, problem.message) if problem else None)
        if problem is not None:
            log.warning("sharepoint sync stopped: %s", problem.message)
        else:
            log.info("sharepoint sync: %s", report.summary())

    # ---- the work --------------------------------------------------------------------------

    async def _run(self, report: SyncReport) -> None:
        conn: GraphConnection | None = None
        action = "sync"
        try:
            conn = connect(self.settings, self.options)
            drive_id = await self._drive_id(conn)
            await self._pages(conn, drive_id, report)
            await self._read_again(conn, drive_id, report)
            report.workbooks, posts = await read_due_workbooks(self.library, conn, drive_id)
            report.posts += posts
            if self.settings.calendar:
                action = "calendar"
                await self._calendar(conn, self.settings.calendar, report)
        except LeaseLost as e:  # another process holds the library now: it carries on
            report.skipped = str(e)
        except Exception as e:  # turned into words; the store and the link stay as they were
            report.problem = describe(e, self.settings, action=action)
            if report.problem.kind == "error":
                log.exception("sharepoint sync failed")
        finally:
            if conn is not None:
                await conn.aclose()

    async def _calendar(self, conn: GraphConnection, calendar: str, report: SyncReport) -> None:
        """The meetings of the next 12 months from the board's calendar (one transaction)."""
        from integrations.sharepoint.calendar import read_events

        start, end = calendar_rules.window(self.clock.now())
        events, complete = await read_events(conn, calendar, start, end)
        report.calendar = self.library.apply_events(events, start, end, complete=complete)
        log.info("sharepoint: %s", report.calendar.summary())

    async def _drive_id(self, conn: GraphConnection) -> str:
        return await library_drive_id(conn, self.settings, self.library)

    async def _pages(self, conn: GraphConnection, drive_id: str, report: SyncReport) -> None:
        from kiota_abstractions.api_error import APIError

        link = self.library.delta_link(drive_id)
        root_id = self.library.root_id(drive_id)
        generation = self.library.resync_generation(drive_id)  # a resync a past run began
        report.full = link is None or generation is not None
        root = conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id("root")
        restarted = False
        while True:
            try:
                page = await fetch_delta_page(root.delta.with_url(link) if link else root.delta)
            except APIError as e:
                if e.response_status_code != 410 or restarted:
                    raise
                # 410 resyncChangesApplyDifferences / …UploadDifferences: the token is too old.
                # As Microsoft documents: enumerate again from the Location given, then replace
                # the local copy with the server's, deletes included (a read-only mirror has no
                # local changes to upload). Items the new generation does not see are deleted.
                link = _location(e)
                generation = self.library.start_resync(drive_id)
                restarted, report.full, report.resynced = True, True, True
                log.warning("sharepoint: Graph asked for a resync (410); enumerating the library again")
                continue
            items: list[dict[str, Any]] = list(page.get("value") or [])
            delta_link = page.get("@odata.deltaLink")
            next_link = page.get("@odata.nextLink") or delta_link
            if not next_link:
                raise RuntimeError("Graph returned a delta page without a next or delta link")
            for it in items:
                if "root" in it and it.get("id"):
                    root_id = str(it["id"])
            records = await self._records(conn, drive_id, items, report)
            result = self.library.store_page(
                records, drive_id=drive_id, root_id=root_id, next_link=next_link, generation=generation
            )
            self._count(report, len(items), result)
            # Performance measures' workbooks new or changed on this page: their cells read.
            changed = [r.item_id for r in records if not r.deleted and not r.is_folder]
            report.posts += await read_measure_workbooks(self.library, conn, drive_id, changed)
            link = next_link
            if delta_link:
                if generation is not None:
                    gone = self.library.finish_resync(drive_id, generation)
                    report.deleted += len(gone)
                    if gone:
                        log.info("sharepoint: resync removed %d documents no longer in SharePoint", len(gone))
                report.finished = True
                return

    async def _read_again(self, conn: GraphConnection, drive_id: str, report: SyncReport) -> None:
        seen = {i for i, _ in report.unreadable}
        again = await read_unreadable(self.library, conn, drive_id, skip=seen)
        report.extracted += again.read
        report.bytes += again.size
        report.unreadable += again.failed

    def _count(self, report: SyncReport, items: int, result: PageResult) -> None:
        report.pages += 1
        report.items += items
        report.created += result.created
        report.updated += result.updated
        report.deleted += result.deleted
        report.relocated += result.relocated
        report.posts += result.posts
        report.received += result.received
        log.info(
            "sharepoint: page %d stored: %d items (%d new, %d changed, %d deleted), %s downloaded so far",
            report.pages,
            items,
            result.created,
            result.updated,
            result.deleted,
            _size(report.bytes),
        )
        if self.progress:
            self.progress(report)

    async def _records(
        self, conn: GraphConnection, drive_id: str, items: list[dict[str, Any]], report: SyncReport
    ) -> list[ItemRecord]:
        records = [to_record(it) for it in items if it.get("id") and "root" not in it]
        known = self.library.versions([r.item_id for r in records])
        gate = asyncio.Semaphore(DOWNLOADS_AT_ONCE)

        def wanted(r: ItemRecord) -> bool:
            if r.deleted or r.is_folder or r.unique_permissions or not extractable(r.name, r.size):
                return False
            old = known.get(r.item_id)
            return old is None or old[0] != r.modified_at or old[1] != r.size or not old[2]

        async def read(r: ItemRecord) -> None:
            async with gate:
                if not r.deleted and r.unique_permissions is None:  # a `shared` facet: ask
                    r.unique_permissions = await has_unique_permissions(conn, drive_id, r.item_id)
                if not wanted(r):
                    return  # a file with its own permissions is indexed by name only
                got = await read_text(conn, drive_id, r)
            report.bytes += got.size
            if got.failed:
                r.text_failed = True
                report.unreadable.append((r.item_id, r.name))
                return
            r.content_text = got.text
            report.extracted += 1

        await asyncio.gather(*(read(r) for r in records))
        return records


def _location(e: Exception) -> str | None:
    """The Location header of a 410 resync answer: where Graph says to start again."""
    headers = getattr(e, "response_headers", None) or {}
    found = headers.get("Location") or headers.get("location")
    return str(found) if found else None


async def library_drive_id(
    conn: GraphConnection, settings: SharePointSettings, library: DocumentLibrary
) -> str:
    """The library's drive id, looked up once and remembered (two requests saved per run)."""
    want = {"site": settings.site or "", "library": settings.library}
    found = library.known_drive()
    if found and found.get("site") == want["site"] and found.get("library") == want["library"]:
        return str(found["drive_id"])
    site_id, drive_id, _ = await find_drive(conn, settings)
    library.remember_drive({**want, "site_id": site_id, "drive_id": drive_id})
    return drive_id


async def find_drive(conn: GraphConnection, settings: SharePointSettings) -> tuple[str, str, str | None]:
    """(site id, drive id, library web URL) for SHAREPOINT_SITE and SHAREPOINT_LIBRARY."""
    from kiota_abstractions.api_error import APIError

    site = await conn.client.sites.by_site_id(settings.site or "").get()
    if site is None or not site.id:
        raise APIError("site not found", response_status_code=404)
    drives = await conn.client.sites.by_site_id(site.id).drives.get()
    names = [d.name for d in (drives.value if drives else None) or []]
    for d in (drives.value if drives else None) or []:
        if (d.name or "").lower() == settings.library.lower() and d.id:
            return site.id, d.id, d.web_url
    from integrations.sharepoint.client import GraphConfigError

    raise GraphConfigError(
        f'The site has no library called "{settings.library}": set SHAREPOINT_LIBRARY to one of '
        + ", ".join(f'"{n}"' for n in names if n)
        + "."
    )
