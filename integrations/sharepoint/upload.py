"""Saving a file into the board's library: the Board report, into the meeting's papers folder
(and Section 11 feedback letters into each agency's folder: letter_upload.py).

`ReportUploader` is a post-reply hook (BotCore.after): once `/qa report` has committed and
answered with the .docx in `Reply.files` and the meeting in `Reply.data["report_meeting"]`,
it saves the file to `<meetings_folder>/<YYYY-MM-DD> <title>/` (the folder is created when
missing) and adds a line with the SharePoint link, or a line saying in words why it could not.
The Graph calls happen here, never inside the command's transaction.

Graph requests (msgraph-sdk request builders; path-addressed URLs through `with_url`, since
the SDK's `by_drive_item_id("root:/a/b:")` percent-encodes the colon and slashes):
- GET  /drives/{drive-id}/root:/{folder-path}                        is the folder there?
- POST /drives/{drive-id}/items/{parent-id}/children                 create a missing folder
- PUT  /drives/{drive-id}/items/{folder-id}:/{name}:/content         files up to 4 MB
- POST /drives/{drive-id}/items/{folder-id}:/{name}:/createUploadSession, then PUTs of
  320 KiB multiples with Content-Range to the session's pre-authenticated uploadUrl
  (sent without a token, as Graph asks)                                larger files
A report with the same name in the folder is replaced (SharePoint keeps the old version).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from commands.ports import DocumentLibrary
from commands.types import Reply
from integrations.sharepoint.client import GraphConnection, GraphOptions, RetryPolicy, connect, describe
from integrations.sharepoint.settings import SharePointSettings

log = logging.getLogger("qabot.sharepoint")

SIMPLE_UPLOAD_LIMIT = 4 * 1024 * 1024
CHUNK_SIZE = 10 * 320 * 1024  # upload-session chunks must be multiples of 320 KiB
_NOT_ALLOWED = re.compile(r'["*:<>?/\\|#%]')  # characters SharePoint refuses (or mangles) in names


class UploadError(Exception):
    """Something other than Graph went wrong (the message says what, in words)."""


@dataclass
class Uploaded:
    item_id: str
    name: str
    path: str  # in the library, e.g. "Meetings/2027-01-14 QA&E sub-group/Board report ….docx"
    web_url: str | None
    # The version saved, as the delta will report it (a Section 11 template is never read back).
    modified_at: datetime | None = None
    size: int | None = None


def clean_name(text: str) -> str:
    """`text` as a SharePoint file or folder name: characters SharePoint refuses become spaces,
    no leading or trailing spaces or dots, one space between words."""
    return " ".join(_NOT_ALLOWED.sub(" ", text).split()).strip(" .")


def meeting_folder(day: str, title: str) -> str:
    """The papers folder of a meeting: `<YYYY-MM-DD> <title>` (the sync ties it to the meeting
    on that date)."""
    title = clean_name(title)
    return f"{day} {title}" if title else day


def report_name(day: str, title: str, suffix: str = ".docx") -> str:
    title = clean_name(title)
    return f"Board report {day}{' ' + title if title else ''}{suffix}"


def run_async[T](coro: Coroutine[Any, Any, T]) -> T:
    """Run a coroutine to completion from synchronous code, even when called from a thread that
    already runs an event loop (then on a worker thread with its own loop)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


# ---- Graph -----------------------------------------------------------------------------------


def _q(text: str) -> str:
    return quote(text, safe="")


def _base(conn: GraphConnection) -> str:
    return str(conn.client.request_adapter.base_url).rstrip("/")


async def item_by_path(conn: GraphConnection, drive_id: str, path: str) -> Any | None:
    """The DriveItem at `path` in the library, or None when there is none (404)."""
    from kiota_abstractions.api_error import APIError

    url = f"{_base(conn)}/drives/{_q(drive_id)}/root:/{quote(path, safe='/')}"
    try:
        return await conn.client.drives.by_drive_id(drive_id).root.with_url(url).get()
    except APIError as e:
        if e.response_status_code == 404:
            return None
        raise


async def _create_folder(conn: GraphConnection, drive_id: str, parent_id: str, name: str, path: str) -> str:
    from kiota_abstractions.api_error import APIError
    from msgraph.generated.models.drive_item import DriveItem
    from msgraph.generated.models.folder import Folder

    body = DriveItem(
        name=name, folder=Folder(), additional_data={"@microsoft.graph.conflictBehavior": "fail"}
    )
    try:
        made = (
            await conn.client.drives.by_drive_id(drive_id)
            .items.by_drive_item_id(parent_id)
            .children.post(body)
        )
    except APIError as e:
        if e.response_status_code != 409:
            raise
        made = await item_by_path(conn, drive_id, path)  # someone created it a moment ago
    if made is None or not made.id:
        raise UploadError(f'SharePoint did not create the folder "{path}".')
    log.info("sharepoint: created folder %s", path)
    return str(made.id)


async def ensure_folder(conn: GraphConnection, drive_id: str, parts: list[str]) -> str:
    """The id of the folder at `parts` (e.g. ["Meetings", "2027-01-14 QA&E sub-group"]),
    creating what is missing. One request when it already exists."""
    found = await item_by_path(conn, drive_id, "/".join(parts))
    if found is not None and found.id:
        if found.folder is None:
            raise UploadError(f'"{"/".join(parts)}" in SharePoint is a file, not a folder.')
        return str(found.id)
    parent, missing = "root", False
    for i, part in enumerate(parts):
        path = "/".join(parts[: i + 1])
        item = None if missing or i == len(parts) - 1 else await item_by_path(conn, drive_id, path)
        if item is not None and item.id:
            parent = str(item.id)
            continue
        missing = True
        parent = await _create_folder(conn, drive_id, parent, part, path)
    return parent


async def _put_small(
    conn: GraphConnection, drive_id: str, folder_id: str, name: str, data: bytes
) -> Uploaded:
    url = f"{_base(conn)}/drives/{_q(drive_id)}/items/{_q(folder_id)}:/{_q(name)}:/content"
    builder = conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id(folder_id).content.with_url(url)
    item = await builder.put(data)
    if item is None or not item.id:
        raise UploadError("SharePoint accepted the file but did not say where it is.")
    return Uploaded(
        str(item.id), str(item.name or name), "", item.web_url, item.last_modified_date_time, item.size
    )


async def _put_large(
    conn: GraphConnection, drive_id: str, folder_id: str, name: str, data: bytes, chunk: int
) -> Uploaded:
    from kiota_abstractions.authentication import AnonymousAuthenticationProvider
    from kiota_abstractions.method import Method
    from kiota_abstractions.request_information import RequestInformation
    from msgraph.generated.drives.item.items.item.create_upload_session.create_upload_session_post_request_body import (  # noqa: E501
        CreateUploadSessionPostRequestBody,
    )
    from msgraph.generated.models.drive_item_uploadable_properties import DriveItemUploadableProperties
    from msgraph.generated.models.o_data_errors.o_data_error import ODataError
    from msgraph.graph_request_adapter import GraphRequestAdapter

    url = f"{_base(conn)}/drives/{_q(drive_id)}/items/{_q(folder_id)}:/{_q(name)}:/createUploadSession"
    body = CreateUploadSessionPostRequestBody(
        item=DriveItemUploadableProperties(additional_data={"@microsoft.graph.conflictBehavior": "replace"})
    )
    items = conn.client.drives.by_drive_id(drive_id).items.by_drive_item_id(folder_id)
    session = await items.create_upload_session.with_url(url).post(body)
    if session is None or not session.upload_url:
        raise UploadError("SharePoint did not open an upload session.")
    # The uploadUrl is pre-authenticated: same pipeline (retries, redirects), but no token.
    http = getattr(conn.client.request_adapter, "_http_client", None)
    plain = GraphRequestAdapter(AnonymousAuthenticationProvider(), client=http)
    start, raw = 0, b""
    while start < len(data):
        piece = data[start : start + chunk]
        info = RequestInformation()
        info.url = session.upload_url
        info.http_method = Method.PUT
        info.headers.try_add("Content-Range", f"bytes {start}-{start + len(piece) - 1}/{len(data)}")
        info.set_stream_content(piece, "application/octet-stream")
        raw = await plain.send_primitive_async(info, "bytes", {"XXX": ODataError}) or b""
        start += len(piece)
    item: dict[str, Any] = json.loads(raw or b"{}")
    if not item.get("id"):
        raise UploadError("SharePoint took the file but did not say where it is.")
    stamp = item.get("lastModifiedDateTime")
    size = item.get("size")
    return Uploaded(
        str(item["id"]),
        str(item.get("name") or name),
        "",
        item.get("webUrl"),
        datetime.fromisoformat(str(stamp).replace("Z", "+00:00")) if stamp else None,
        int(size) if isinstance(size, int) else None,
    )


async def upload_file(
    conn: GraphConnection,
    drive_id: str,
    folder: list[str],
    name: str,
    data: bytes,
    *,
    simple_limit: int = SIMPLE_UPLOAD_LIMIT,
    chunk: int = CHUNK_SIZE,
) -> Uploaded:
    """Save `data` as `name` in the library folder `folder` (created when missing)."""
    folder_id = await ensure_folder(conn, drive_id, folder)
    if len(data) <= simple_limit:
        done = await _put_small(conn, drive_id, folder_id, name, data)
    else:
        done = await _put_large(conn, drive_id, folder_id, name, data, chunk)
    done.path = "/".join([*folder, done.name])
    return done


# ---- the post-reply hook ---------------------------------------------------------------------


@dataclass
class ReportUploader:
    """Reply -> Reply: save a Board report to the meeting's SharePoint folder and say where."""

    settings: SharePointSettings
    library: DocumentLibrary
    # Someone is waiting for the reply: fewer, shorter retries than the background sync.
    options: GraphOptions = field(
        default_factory=lambda: GraphOptions(retry=RetryPolicy(max_retries=2, max_wait=10.0), timeout=60.0)
    )
    simple_limit: int = SIMPLE_UPLOAD_LIMIT
    chunk: int = CHUNK_SIZE

    def __call__(self, reply: Reply) -> Reply:
        if reply.ok and reply.data.get("s11_letters"):  # /s11 letters: each agency's folder
            from integrations.sharepoint.letter_upload import save_letters

            return save_letters(self, reply)
        meeting = reply.data.get("report_meeting")
        paper = reply.data.get("board_paper")  # /qa pack, /qa annual-report: {"folder": [...], "name": ...}
        if not reply.ok or not reply.files or not (isinstance(meeting, dict) or isinstance(paper, dict)):
            return reply
        try:
            if isinstance(meeting, dict):
                done = self.upload(
                    Path(reply.files[0]), str(meeting.get("date")), str(meeting.get("title") or "")
                )
            else:
                assert isinstance(paper, dict)
                folder = list(paper.get("folder") or [])
                done = self.upload_paper(Path(reply.files[0]), folder, str(paper.get("name")))
        except Exception as e:
            words = self.problem(e)
            reply.lines.append(f"The report could not be saved to SharePoint: {words}")
            reply.data["sharepoint"] = {"error": words}
            return reply
        reply.lines.append(f"Saved to SharePoint ({done.path}): {done.web_url or 'no link given'}")
        reply.data["sharepoint"] = {"path": done.path, "url": done.web_url, "item_id": done.item_id}
        return reply

    def problem(self, exc: BaseException) -> str:
        if isinstance(exc, UploadError):
            log.warning("sharepoint upload: %s", exc)
            return str(exc)
        found = describe(exc, self.settings, action="upload")
        if found.kind == "error":
            log.exception("sharepoint upload failed")
        else:
            log.warning("sharepoint upload: %s", found.message)
        return found.message

    def upload(self, path: Path, day: str, title: str) -> Uploaded:
        """Save the report at `path` for the meeting on `day` (YYYY-MM-DD) called `title`.
        Raises UploadError or the Graph/network error (see `problem`)."""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
            raise UploadError(f"the meeting's date ({day}) is not a date.")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise UploadError(f"the report file could not be read ({e.strerror or type(e).__name__}).") from e
        folder = [*self.library.meetings_folder(), meeting_folder(day, title)]
        name = report_name(day, title, path.suffix or ".docx")
        return run_async(self._upload(folder, name, data))

    def upload_paper(self, path: Path, folder: list[str], name: str) -> Uploaded:
        """Save a Board paper (the inspection pack, the annual report draft) as `name` in the
        library folder `folder` (the board file's `sharepoint: {papers_folder}`)."""
        parts = [clean_name(p) for p in folder if clean_name(p)]
        if not parts or not clean_name(name):
            raise UploadError("the paper has no folder or name to be saved under.")
        try:
            data = path.read_bytes()
        except OSError as e:
            raise UploadError(f"the file could not be read ({e.strerror or type(e).__name__}).") from e
        return run_async(self._upload(parts, clean_name(name), data))

    async def _upload(self, folder: list[str], name: str, data: bytes) -> Uploaded:
        from integrations.sharepoint.sync import library_drive_id

        conn = connect(self.settings, self.options)
        try:
            drive_id = await library_drive_id(conn, self.settings, self.library)
            done = await upload_file(
                conn, drive_id, folder, name, data, simple_limit=self.simple_limit, chunk=self.chunk
            )
        finally:
            await conn.aclose()
        log.info("sharepoint: saved %s (%d bytes)", done.path, len(data))
        return done
