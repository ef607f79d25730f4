"""What `qabot doctor` says about the measures read from workbooks: a cell the last read could
not use (until a read of it succeeds), and a workbook the library has not got."""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.kpi.measures import all_measures
from store import kpi as kpi_store
from store.models import Board


def workbook_report(session: Session, board: Board) -> tuple[bool, str] | None:
    """(all well, what to say), or None when no measure is read from a workbook."""
    readers = [m for m in all_measures(session, board) if m.entry.source != "chat"]
    if not readers:
        return None
    problems = kpi_store.workbook_problems(session)
    paths = {m.entry.source.workbook for m in readers if m.entry.source != "chat"}
    present = kpi_store.documents_at(session, paths)
    lines = [f"{m.id}: {problems[m.id]}" for m in readers if m.id in problems]
    lines += [f"{p}: not in the SharePoint library (yet)" for p in sorted(paths) if p.lower() not in present]
    if lines:
        return False, "; ".join(lines[:8]) + (f" …and {len(lines) - 8} more." if len(lines) > 8 else "")
    return True, f"{len(readers)} measure(s) read from {len(paths)} workbook(s); the last reads were good."
