"""Section 11 workbooks and SharePoint, both ways.

- At the end of each sync, every spreadsheet in an agency's Section 11 folder whose current
  version has not been read (the DocumentLibrary port says which, and what to check it
  against) is downloaded and read (integrations/workbooks/); the result goes back through the
  port, which stores the answers or the errors in one transaction and tells the agency's
  thread. A version is read once; a copy saved over it is a new version, read again.
- After `/s11 template <agency>` has answered, `WorkbookUploader` saves the workbook into the
  agency's Section 11 folder (as the Board report is saved into a meeting's folder) and tells
  the port which version is the bot's own blank one, so it is never read back.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from commands.ports import DocumentLibrary
from commands.section11.workbook_data import ReadResult
from commands.types import Reply
from integrations.sharepoint.client import GraphConnection, GraphOptions, RetryPolicy, connect, describe
from integrations.sharepoint.reading import SERVICE_TROUBLE, _status
from integrations.sharepoint.settings import SharePointSettings
from integrations.sharepoint.upload import UploadError, clean_name, run_async, upload_file

log = logging.getLogger("qabot.sharepoint")


async def read_due_workbooks(
    library: DocumentLibrary, conn: GraphConnection, drive_id: str
) -> tuple[int, int]:
    """(workbooks read, posts queued). A file that cannot be downloaded is that version's
    error, told like any other; the service's own trouble stops the run (read next time)."""
    from integrations.workbooks.s11_reader import read_workbook

    read = posts = 0
    for job in library.s11_workbooks_due():
        try:
            data = (
                await conn.client.drives.by_drive_id(drive_id)
                .items.by_drive_item_id(job.due.drive_item_id)
                .content.get()
            ) or b""
        except Exception as e:
            if _status(e) in SERVICE_TROUBLE:
                raise
            log.warning(
                "sharepoint: workbook item %s could not be downloaded (%s)", job.due.drive_item_id, _status(e)
            )
            result = ReadResult(
                errors=[
                    "The file could not be downloaded from SharePoint "
                    f"({_status(e) or type(e).__name__}); save it again."
                ]
            )
        else:
            result = read_workbook(data, job.expected)
        posts += library.store_s11_workbook(job, result)
        read += 1
        log.info(
            "sharepoint: Section 11 workbook item %s read: %s",
            job.due.drive_item_id,
            f"{len(result.answers)} answers" if result.ok else f"{len(result.errors)} errors",
        )
    return read, posts


@dataclass
class WorkbookUploader:
    """Reply -> Reply: save an agency's Section 11 workbook in its SharePoint folder."""

    settings: SharePointSettings
    library: DocumentLibrary
    options: GraphOptions = field(
        default_factory=lambda: GraphOptions(retry=RetryPolicy(max_retries=2, max_wait=10.0), timeout=60.0)
    )

    def __call__(self, reply: Reply) -> Reply:
        target = reply.data.get("s11_workbook")
        if not reply.ok or not reply.files or not isinstance(target, dict):
            return reply
        try:
            folder = [clean_name(str(p)) for p in target.get("folder") or []]
            name = clean_name(str(target.get("name") or Path(reply.files[0]).name))
            data = Path(reply.files[0]).read_bytes()
            path, url = run_async(self._upload(folder, name, data, int(target["return_id"])))
        except Exception as e:
            words = self.problem(e)
            reply.lines.append(f"The workbook could not be saved to SharePoint: {words}")
            reply.data["sharepoint"] = {"error": words}
            return reply
        reply.lines.append(
            f"Saved to SharePoint ({path}): {url or 'no link given'} — "
            "fill it in there, or save your copy over it."
        )
        reply.data["sharepoint"] = {"path": path, "url": url}
        return reply

    def problem(self, exc: BaseException) -> str:
        if isinstance(exc, (UploadError, OSError)):
            log.warning("sharepoint workbook upload: %s", exc)
            return str(exc)
        found = describe(exc, self.settings, action="upload")
        if found.kind == "error":
            log.exception("sharepoint workbook upload failed")
        return found.message

    async def _upload(
        self, folder: list[str], name: str, data: bytes, return_id: int
    ) -> tuple[str, str | None]:
        from integrations.sharepoint.sync import library_drive_id

        conn = connect(self.settings, self.options)
        try:
            drive_id = await library_drive_id(conn, self.settings, self.library)
            done = await upload_file(conn, drive_id, folder, name, data)
        finally:
            await conn.aclose()
        self.library.s11_template_saved(return_id, done.item_id, done.name, done.modified_at, done.size)
        log.info("sharepoint: saved a Section 11 workbook (%d bytes) as item %s", len(data), done.item_id)
        return done.path, done.web_url
