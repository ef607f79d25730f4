"""Section 11 workbooks read from SharePoint (`s11_workbook_imports`): which spreadsheets in
agencies' folders are owed a read, and what each version read gave."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from store.models import Document, S11Return, S11WorkbookImport

SPREADSHEETS = (".xlsx", ".xlsm", ".xls")


def version_key(modified_at: datetime | None, size: int | None) -> str:
    """A file's version as the sync sees it: SharePoint changes the modified time (and usually
    the size) whenever a copy is saved over it."""
    return f"{modified_at.isoformat() if modified_at else '-'}|{size if size is not None else '-'}"


@dataclass(frozen=True)
class Due:
    document_id: int | None  # None: a file posted in a thread, not a SharePoint document
    drive_item_id: str
    name: str
    path: str
    web_url: str | None
    return_id: int
    version_key: str
    version_no: int
    # Who last saved it, as SharePoint names them (a display name; None when the sync has none).
    modified_by: str | None = None


def due(session: Session) -> list[Due]:
    """Spreadsheets in an agency's Section 11 folder whose current version has not been read,
    oldest change first. The guard's withheld files (no link) are never read."""
    stmt = (
        select(Document)
        .where(
            Document.s11_return_id.is_not(None),
            Document.deleted.is_(False),
            Document.is_folder.is_(False),
            Document.web_url.is_not(None),
            or_(*(func.lower(Document.name).endswith(ext) for ext in SPREADSHEETS)),
        )
        .order_by(Document.modified_at, Document.id)
    )
    docs = list(session.scalars(stmt))
    if not docs:
        return []
    read: dict[str, set[str]] = {}
    for item, key in session.execute(
        select(S11WorkbookImport.drive_item_id, S11WorkbookImport.version_key).where(
            S11WorkbookImport.drive_item_id.in_([d.drive_item_id for d in docs])
        )
    ):
        read.setdefault(item, set()).add(key)
    out = []
    for d in docs:
        key = version_key(d.modified_at, d.size)
        seen = read.get(d.drive_item_id, set())
        if key in seen:
            continue
        assert d.s11_return_id is not None
        out.append(
            Due(
                d.id,
                d.drive_item_id,
                d.name,
                d.path,
                d.web_url,
                d.s11_return_id,
                key,
                len(seen) + 1,
                d.modified_by,
            )
        )
    return out


def record(
    session: Session,
    item: Due,
    *,
    at: datetime,
    outcome: str,
    answers: int,
    errors: list[str],
) -> S11WorkbookImport | None:
    """This version read, with what it gave; None if another process recorded it first (the
    caller's changes are then rolled back with the nested transaction)."""
    row = S11WorkbookImport(
        return_id=item.return_id,
        drive_item_id=item.drive_item_id,
        version_key=item.version_key,
        version_no=item.version_no,
        file_name=item.name[:300],
        read_at=at,
        outcome=outcome,
        answers=answers,
        errors=errors,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        return None
    return row


def last_for_returns(session: Session, return_ids: list[int]) -> dict[int, S11WorkbookImport]:
    """Each return's latest workbook read (ordinary spreadsheets left out), for /s11 status."""
    if not return_ids:
        return {}
    stmt = (
        select(S11WorkbookImport)
        .where(
            S11WorkbookImport.return_id.in_(return_ids),
            S11WorkbookImport.outcome.in_(("stored", "errors")),
        )
        .order_by(S11WorkbookImport.read_at, S11WorkbookImport.id)
    )
    return {row.return_id: row for row in session.scalars(stmt)}


def still_current(session: Session, item: Due) -> bool:
    """The document is still where it was, at the version read (a sync may have moved on)."""
    if item.document_id is None:
        return True
    doc = session.get(Document, item.document_id)
    return (
        doc is not None
        and not doc.deleted
        and doc.s11_return_id == item.return_id
        and version_key(doc.modified_at, doc.size) == item.version_key
    )


def return_of(session: Session, return_id: int) -> S11Return | None:
    return session.get(S11Return, return_id)


def record_template(
    session: Session, return_id: int, item_id: str, name: str, key: str, at: datetime
) -> None:
    """The bot's own blank template, saved in the agency's folder as this version: never read
    back (its version is taken), and its arrival is not "document received"."""
    exists = session.scalar(
        select(S11WorkbookImport.id).where(
            S11WorkbookImport.drive_item_id == item_id, S11WorkbookImport.version_key == key
        )
    )
    if exists is not None:
        return
    count = session.scalar(
        select(func.count()).select_from(S11WorkbookImport).where(S11WorkbookImport.drive_item_id == item_id)
    )
    row = S11WorkbookImport(
        return_id=return_id,
        drive_item_id=item_id,
        version_key=key,
        version_no=int(count or 0) + 1,
        file_name=name[:300],
        read_at=at,
        outcome="template",
        answers=0,
        errors=[],
    )
    session.add(row)
    session.flush()


def is_template(session: Session, item_id: str) -> bool:
    """The bot saved this file as an agency's template (whatever was saved over it since)."""
    stmt = select(S11WorkbookImport.id).where(
        S11WorkbookImport.drive_item_id == item_id, S11WorkbookImport.outcome == "template"
    )
    return session.scalar(stmt.limit(1)) is not None


def versions_read(session: Session, item_id: str) -> list[str]:
    """The version keys of this file already read (a file posted in a thread, by its id)."""
    stmt = select(S11WorkbookImport.version_key).where(S11WorkbookImport.drive_item_id == item_id)
    return list(session.scalars(stmt.order_by(S11WorkbookImport.id)))
