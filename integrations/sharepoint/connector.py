"""SharePoint as a DocumentSource (see integrations/connector.py for why it is not a chat
Connector): the library is pulled on the clock and Board reports are saved into it.

Everything it keeps in the database goes through the DocumentLibrary port handed in by the
wiring; msgraph is imported only when Graph is first called.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field

from commands.clock import Clock
from commands.ports import AfterCommit, CorePort, DocumentLibrary
from commands.types import Reply
from integrations.connector import FAIL, OFF, OK, Health
from integrations.sharepoint.client import GraphOptions, RetryPolicy, connect, describe
from integrations.sharepoint.settings import SharePointSettings
from integrations.sharepoint.sweep import PermissionSweep, SweepReport
from integrations.sharepoint.sync import DocumentSync, Progress, SyncReport, find_drive
from integrations.sharepoint.upload import ReportUploader
from integrations.sharepoint.workbooks import WorkbookUploader

log = logging.getLogger("qabot.sharepoint")


def check_connection(settings: SharePointSettings, options: GraphOptions | None = None) -> Health:
    """Sign in and find the site and the library, changing nothing."""
    if not settings.enabled:
        return Health(OFF, "not configured (SHAREPOINT_SITE is not set).")
    opts = options or GraphOptions(retry=RetryPolicy(max_retries=1, max_wait=5))

    async def probe() -> tuple[str, str, str | None]:
        conn = None
        try:
            conn = connect(settings, opts)
            return await find_drive(conn, settings)
        finally:
            if conn is not None:
                await conn.aclose()

    try:
        _site_id, drive_id, url = asyncio.run(probe())
    except Exception as e:
        return Health(FAIL, describe(e, settings).message)
    auth = "no token (GRAPH_AUTH=none, loopback only)" if settings.graph_auth == "none" else "app-only token"
    return Health(
        OK, f'site {settings.site}, library "{settings.library}" found ({url or drive_id}); {auth}.'
    )


@dataclass
class SharePointConnector:
    settings: SharePointSettings
    library: DocumentLibrary
    clock: Clock
    options: GraphOptions = field(default_factory=GraphOptions)
    name: str = "sharepoint"

    @property
    def enabled(self) -> bool:
        return self.settings.enabled

    def sync(
        self,
        *,
        only_if_due: bool = False,
        options: GraphOptions | None = None,
        progress: Progress | None = None,
    ) -> SyncReport:
        """One sync now (`qabot docs sync`), or only when due (the clock)."""
        sync = DocumentSync(self.settings, self.library, self.clock, options or self.options, progress)
        return sync.run(only_if_due=only_if_due)

    def sweep_permissions(
        self, *, only_if_due: bool = False, options: GraphOptions | None = None
    ) -> SweepReport:
        """Re-read every item's permissions (integrations/sharepoint/sweep.py): now (`qabot docs
        sweep`), or when due (the clock: every `permission_sweep_hours`, default nightly)."""
        sweep = PermissionSweep(self.settings, self.library, self.clock, options or self.options)
        return sweep.run(only_if_due=only_if_due)

    # ---- DocumentSource --------------------------------------------------------------------

    def sync_if_due(self) -> str | None:
        """The clock's job: the sync when due, then the permission sweep when due (never at
        once: they share the sync's lease)."""
        said = []
        report = self.sync(only_if_due=True)
        if report.skipped is None:
            said.append(report.summary())
        sweep = self.sweep_permissions(only_if_due=True)
        if sweep.skipped is None:
            said.append(sweep.summary())
        return " ".join(said) or None

    def report_saver(self) -> AfterCommit:
        """After a command: the Board report saved in its meeting's folder, a Section 11
        workbook in its agency's folder (each acts only on its own replies)."""
        reports, workbooks = self.uploader(), WorkbookUploader(self.settings, self.library)

        def save(reply: Reply) -> Reply:
            return workbooks(reports(reply))

        return save

    def uploader(self) -> ReportUploader:
        """Saves files into the library (`qabot report --upload` calls it directly)."""
        return ReportUploader(self.settings, self.library)

    def start(self, core: CorePort) -> None:
        """Nothing to open: the clock drives the sync (bot/scheduler.py)."""

    def stop(self) -> None:
        """Nothing held open between syncs."""

    def health(self) -> Health:
        return check_connection(self.settings)

    def doctor(self) -> list[str]:
        found = self.health()
        return [found.detail] if found.status == FAIL else []
