"""The permission sweep: SharePoint permission changes that the delta does not report.

Graph's delta reports a change of sharing alone (no edit to the item) only to apps with
Sites.FullControl.All, which QA Bot does not ask for ("How to retrieve the complete set of
permission changes", Microsoft's SharePoint blog; driveItem: delta, "Scanning permissions
hierarchies"). So on a schedule (commands/document_permissions.py) the library is enumerated
afresh with the mechanism the sync already uses: `root/delta` without a token and with
`Prefer: hierarchicalsharing`, where only the roots of permission hierarchies carry a `shared`
facet. An item without one inherits; one with it that was stored as having its own permissions
still does (it is still a hierarchy's root); only one newly carrying it is confirmed with its
`/permissions` (`inheritedFrom`). The enumeration's deltaLink is dropped: the sync keeps its own.
Requests: one per delta page (about 200 items) plus one per newly shared item.
"""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass, field
from typing import Any

from commands.clock import Clock
from commands.document_library import LeaseLost
from commands.ports import DocumentLibrary
from integrations.sharepoint.client import GraphConnection, GraphOptions, GraphProblem, connect, describe
from integrations.sharepoint.delta import fetch_delta_page
from integrations.sharepoint.reading import has_unique_permissions
from integrations.sharepoint.settings import SharePointSettings
from integrations.sharepoint.sync import DOWNLOADS_AT_ONCE, library_drive_id

log = logging.getLogger("qabot.sharepoint")


@dataclass
class SweepReport:
    pages: int = 0
    items: int = 0
    requests: int = 0  # Graph requests made: delta pages and permission reads
    changed: int = 0  # items whose own permissions appeared or went
    restricted: list[str] = field(default_factory=list)  # names the board could see, now restricted
    reopened: int = 0
    posts: int = 0
    problem: GraphProblem | None = None
    skipped: str | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        if self.skipped:
            return f"SharePoint permission sweep skipped: {self.skipped}"
        done = (
            f"{self.items} items in {self.pages} pages, {self.requests} Graph requests; "
            f"{self.changed} changed permissions, {len(self.restricted)} newly restricted, "
            f"{self.reopened} visible again"
        )
        if self.problem:
            return f"SharePoint permission sweep stopped after {done}. {self.problem.message}"
        return f"SharePoint permission sweep done: {done} in {self.seconds:.1f} s."


@dataclass
class PermissionSweep:
    settings: SharePointSettings
    library: DocumentLibrary
    clock: Clock
    options: GraphOptions = field(default_factory=GraphOptions)

    def run(self, *, only_if_due: bool = False) -> SweepReport:
        """One sweep (or a clean stop). Never raises for Graph trouble; a sweep that stops
        changes nothing it did not finish reading, and the next one starts again."""
        started = time.perf_counter()
        report = SweepReport()
        report.skipped = self.library.begin_sweep(only_if_due=only_if_due)
        if report.skipped is not None:
            return report
        found: dict[str, bool] = {}
        try:
            asyncio.run(self._run(report, found))
            if report.problem is None and report.skipped is None:
                # Stored only once the whole library was read: a half-read sweep changes nothing.
                report.changed = self.library.store_permissions(found)
                outcome = self.library.finish_sweep(report.changed)
                report.restricted = outcome.restricted or []
                report.reopened, report.posts = outcome.reopened, outcome.posts
        except LeaseLost as e:
            report.skipped = str(e)
        finally:
            self.library.end_sync()
        report.seconds = time.perf_counter() - started
        if report.problem is not None:
            log.warning("sharepoint permission sweep stopped: %s", report.problem.message)
        else:
            log.info("sharepoint: %s", report.summary())
        return report

    async def _run(self, report: SweepReport, found: dict[str, bool]) -> None:
        conn: GraphConnection | None = None
        try:
            conn = connect(self.settings, self.options)
            drive_id = await library_drive_id(conn, self.settings, self.library)
            await self._enumerate(conn, drive_id, report, found)
        except Exception as e:  # turned into words; nothing was stored
            report.problem = describe(e, self.settings, action="sync")
            if report.problem.kind == "error":
                log.exception("sharepoint permission sweep failed")
        finally:
            if conn is not None:
                await conn.aclose()

    async def _enumerate(
        self, conn: GraphConnection, drive_id: str, report: SweepReport, found: dict[str, bool]
    ) -> None:
        root = conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id("root")
        link: str | None = None
        gate = asyncio.Semaphore(DOWNLOADS_AT_ONCE)

        async def confirm(item_id: str) -> None:
            async with gate:
                found[item_id] = await has_unique_permissions(conn, drive_id, item_id)
            report.requests += 1

        while True:
            page = await fetch_delta_page(root.delta.with_url(link) if link else root.delta)
            report.requests += 1
            report.pages += 1
            items: list[dict[str, Any]] = [
                it
                for it in page.get("value") or []
                if it.get("id") and "root" not in it and "deleted" not in it
            ]
            report.items += len(items)
            stored = self.library.unique_flags([str(it["id"]) for it in items])
            ask: list[str] = []
            for it in items:
                item_id = str(it["id"])
                if "shared" not in it:
                    found[item_id] = False
                elif stored.get(item_id):
                    found[item_id] = True  # still the root of its own permission hierarchy
                else:
                    ask.append(item_id)
            await asyncio.gather(*(confirm(i) for i in ask))
            self.library.store_permissions({})  # renews the lease: nothing is stored until the end
            link = page.get("@odata.nextLink")
            if not link:
                return  # the deltaLink: the whole library has been read
