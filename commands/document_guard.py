"""The safeguarding guard over the document library: SharePoint file names, folder names
(so folder paths), links and extracted text, read before anything is stored.

A file whose name, link or text could identify a child or family ("Jayden Smith DOB
04.05.2015 NHS 943 476 5919.docx") is *withheld*: it is stored under its anonymised name
("Child J.S. [date of birth] [NHS number].docx") without its link (a SharePoint link spells
the file and folder names) and with its text anonymised; it is never linked as a Section 11
return's evidence, and its name is never posted to an agency's thread. The QA officer is told
once, in the QA channel, with the anonymised name and where it is, so they can rename it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from commands import guard
from commands.context import Scope
from commands.posting import to_channel
from commands.registry import no_thread_reply
from commands.types import Reply
from store import members
from store.documents import ItemRecord
from store.models import Document

WITHHELD = "document_withheld"
_SEPARATORS = re.compile(r"[_+]+")
_EXTENSION = re.compile(r"(\.[A-Za-z0-9]{1,5})$")

no_thread_reply(WITHHELD, "a notice to the QA channel that a file was withheld: replies are conversation")


def readable(name: str) -> str:
    """A file name as a person would read it: "Jayden_Smith_DOB.docx" → "Jayden Smith DOB.docx"."""
    return " ".join(_SEPARATORS.sub(" ", name).split())


def link_parts(url: str | None) -> list[str]:
    """The folder and file names a SharePoint link spells, each readable on its own (the guard
    passes over a whole link, as it should for a link typed in a message)."""
    if not url:
        return []
    return [readable(unquote(part)) for part in urlsplit(url).path.split("/") if part]


def anonymised_name(name: str, vocabulary: guard.BoardVocabulary) -> str:
    text = readable(name)
    ext = _EXTENSION.search(text)
    stem = text[: ext.start()] if ext else text
    return guard.anonymise(stem, vocabulary).strip() + (ext.group(1) if ext else "")


def screen(
    records: list[ItemRecord], vocabulary: guard.BoardVocabulary
) -> tuple[list[ItemRecord], dict[str, tuple[str, ...]]]:
    """The records as they may be stored, and the withheld items' ids with the signals found
    (never the text found)."""
    kept: list[ItemRecord] = []
    withheld: dict[str, tuple[str, ...]] = {}
    for r in records:
        if r.deleted:
            kept.append(r)
            continue
        name_hits = guard.check(readable(r.name), vocabulary)
        link_hits = [h for part in link_parts(r.web_url) for h in guard.check(part, vocabulary)]
        text_hits = guard.check(r.content_text, vocabulary) if r.content_text else []
        hits = [*name_hits, *link_hits, *text_hits]
        if not hits:
            kept.append(r)
            continue
        withheld[r.item_id] = tuple(dict.fromkeys(h.signal for h in hits))
        kept.append(
            replace(
                r,
                name=anonymised_name(r.name, vocabulary) if name_hits else r.name,
                web_url=None,
                content_text=guard.anonymise(r.content_text, vocabulary)
                if text_hits and r.content_text
                else r.content_text,
            )
        )
    return kept, withheld


def tell_qa(scope: Scope, doc: Document, signals: tuple[str, ...]) -> int:
    """One notice per file (and per place it moves to), with the anonymised name only."""
    found = ", ".join(s.replace("_", " ") for s in signals)
    where = hashlib.sha256(doc.path.encode()).hexdigest()[:12]
    qa = members.by_role(scope.session, "qa_officer")
    who = " ".join(f"@{m.handle}" for m in qa) or "QA officer"
    reply = Reply(
        title="A SharePoint file was withheld",
        lines=[
            f"{who}: a file in SharePoint looks like it could identify a child or family ({found}).",
            f'I have kept it only as "{doc.path}" (anonymised), without its link; it is not linked to '
            "any return and its name was not posted anywhere.",
            "Please rename it (or move it out of the board's library) in SharePoint; the next sync "
            "picks up the new name.",
        ],
        visibility="channel",
    )
    rows = to_channel(scope, "qa", key=f"docwithheld:{doc.drive_item_id}:{where}", kind=WITHHELD, reply=reply)
    return len(rows)
