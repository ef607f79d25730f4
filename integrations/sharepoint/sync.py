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
from commands.documents import ItemRecord
from commands.ports import DocumentLibrary
from integrations.sharepoint.client import GraphConnection, GraphOptions, GraphProblem, connect, describe
from integrations.sharepoint.delta import fetch_delta_page, to_record
from integrations.sharepoint.extract import extract_text, extractable
from integrations.sharepoint.settings import SharePointSettings

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
    calendar: CalendarResult | None = None  # when SHAREPOINT_CALENDAR is set and was read

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
        )
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
            if self.settings.calendar:
                action = "calendar"
                await self._calendar(conn, self.settings.calendar, report)
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
        report.full = link is None
        root = conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id("root")
        restarted = False
        while True:
            try:
                page = await fetch_delta_page(root.delta.with_url(link) if link else root.delta)
            except APIError as e:
                # 410 Gone: the stored token is too old; Graph asks for a full resync.
                if e.response_status_code == 410 and not restarted:
                    log.warning("sharepoint: delta link expired; starting a full resync")
                    link, restarted, report.full = None, True, True
                    continue
                raise
            items: list[dict[str, Any]] = list(page.get("value") or [])
            delta_link = page.get("@odata.deltaLink")
            next_link = page.get("@odata.nextLink") or delta_link
            if not next_link:
                raise RuntimeError("Graph returned a delta page without a next or delta link")
            for it in items:
                if "root" in it and it.get("id"):
                    root_id = str(it["id"])
            records = await self._records(conn, drive_id, items, report)
            result = self.library.store_page(records, drive_id=drive_id, root_id=root_id, next_link=next_link)
            report.pages += 1
            report.items += len(items)
            report.created += result.created
            report.updated += result.updated
            report.deleted += result.deleted
            report.relocated += result.relocated
            report.posts += result.posts
            report.received += result.received
            log.info(
                "sharepoint: page %d stored: %d items (%d new, %d changed, %d deleted), %s downloaded so far",
                report.pages,
                len(items),
                result.created,
                result.updated,
                result.deleted,
                _size(report.bytes),
            )
            if self.progress:
                self.progress(report)
            link = next_link
            if delta_link:
                report.finished = True
                return

    async def _records(
        self, conn: GraphConnection, drive_id: str, items: list[dict[str, Any]], report: SyncReport
    ) -> list[ItemRecord]:
        records = [to_record(it) for it in items if it.get("id")]
        known = self.library.versions([r.item_id for r in records])
        wanted = []
        for r in records:
            if r.deleted or r.is_folder or not extractable(r.name, r.size):
                continue
            old = known.get(r.item_id)
            if old is None or old[0] != r.modified_at or old[1] != r.size or not old[2]:
                wanted.append(r)
        gate = asyncio.Semaphore(DOWNLOADS_AT_ONCE)

        async def fetch(r: ItemRecord) -> None:
            from kiota_abstractions.api_error import APIError

            async with gate:
                try:
                    data = (
                        await conn.client.drives.by_drive_id(drive_id)
                        .items.by_drive_item_id(r.item_id)
                        .content.get()
                    )
                except APIError as e:
                    if e.response_status_code in (404, 403, 423):
                        log.info(  # the item's id, never its name: a name can identify a child
                            "sharepoint: item %s could not be downloaded (%s); listed without text",
                            r.item_id,
                            e.response_status_code,
                        )
                        r.content_text = ""
                        return
                    raise
            data = data or b""
            report.bytes += len(data)
            r.content_text = await asyncio.to_thread(extract_text, r.name, data)
            report.extracted += 1

        await asyncio.gather(*(fetch(r) for r in wanted))
        return records


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
