"""Section 11 feedback letters saved to each agency's Section 11 folder after `/s11 letters`
committed (the post-reply hook `ReportUploader` calls `save_letters`).

The command puts each letter in `Reply.data["s11_letters"]`: its file, the folder as path parts
(`["Section 11", "2027", "Surrey Police"]`, from the board's conventions) and the name to save
it under. Each is saved (the same name again replaces it: SharePoint keeps the old version);
the reply gains one line per letter with its link, or in words why it could not be saved, and
each entry gains `sharepoint: {path, url}` or `{error}` so the wiring can post the link in the
agency's Section 11 thread (bot/letter_links.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from commands.types import Reply
from integrations.sharepoint.upload import UploadError, clean_name, run_async

if TYPE_CHECKING:
    from integrations.sharepoint.upload import ReportUploader

LETTERS = "s11_letters"


def _entries(reply: Reply) -> list[dict[str, Any]]:
    found = reply.data.get(LETTERS)
    return [e for e in found if isinstance(e, dict)] if isinstance(found, list) else []


def save_letters(uploader: ReportUploader, reply: Reply) -> Reply:
    for entry in _entries(reply):
        agency = str(entry.get("agency") or "")
        try:
            folder = [clean_name(str(p)) for p in entry.get("folder") or []]
            name = clean_name(str(entry.get("name") or ""))
            if not folder or not all(folder) or not name:
                raise UploadError("the letter's folder or name is missing.")
            try:
                data = Path(str(entry.get("file"))).read_bytes()
            except OSError as e:
                raise UploadError(f"the letter could not be read ({e.strerror or type(e).__name__}).") from e
            done = run_async(uploader._upload(folder, name, data))
        except Exception as e:
            words = uploader.problem(e)
            entry["sharepoint"] = {"error": words}
            reply.lines.append(f"{agency}: the letter could not be saved to SharePoint: {words}")
            continue
        entry["sharepoint"] = {"path": done.path, "url": done.web_url, "item_id": done.item_id}
        reply.lines.append(
            f"{agency}: letter saved to SharePoint ({done.path}): {done.web_url or 'no link given'}"
        )
    return reply
