"""What an import did (or, with --dry-run, would do), and the leavers it deactivates.

A member or agency left out of the board file, or marked `active: false`, is deactivated:
the row and its history stay, the member loses access (the core refuses inactive members)
and reminders, the agency leaves Section 11 cohorts. A leaver's open actions are listed, with
the command that hands them on (`/action reassign-all @old @new`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from commands.board_matching import Matches
from commands.board_schema import BoardFile
from commands.dates import format_date
from store import audit, members
from store.models import Agency, Member


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    renamed: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    unchanged: int = 0
    # Things the officer must do or know: a leaver's open actions, a moved meeting's agenda.
    notes: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        """The counts `qabot import` has always printed (renames and leavers are updates)."""
        changed = len(self.updated) + len(self.renamed) + len(self.deactivated)
        return {"created": len(self.created), "updated": changed, "unchanged": self.unchanged}

    def lines(self, *, dry_run: bool = False) -> list[str]:
        """A summary line, then each rename and leaver (and, in a dry run, each row created or
        updated too: the plan in full), then the notes."""
        prefix = "would be " if dry_run else ""
        out = [
            f"{len(self.created)} created, {len(self.updated)} updated, {len(self.renamed)} renamed, "
            f"{len(self.deactivated)} deactivated, {self.unchanged} unchanged."
        ]
        detailed = [("created", self.created), ("updated", self.updated)] if dry_run else []
        detailed += [("renamed", self.renamed), ("deactivated", self.deactivated)]
        for verb, names in detailed:
            out.extend(f"  {prefix}{verb}: {n}" for n in names)
        out.extend(self.notes)
        if dry_run:
            out.append("Dry run: nothing was changed. Run without --dry-run to apply.")
        return out


def deactivate_member(
    session: Session, member: Member, now: datetime, source: str, report: ImportReport
) -> None:
    member.active = False
    _audit_leaving(session, "member", member.id, now, source)
    report.deactivated.append(
        f"member @{member.handle} ({member.name}): no access, no reminders; history kept"
    )
    owned = members.open_actions_owned_by(session, member.id)
    if owned:
        report.notes.append(
            f"@{member.handle} leaves with {len(owned)} open action(s); hand them on with "
            f"/action reassign-all @{member.handle} @<new owner>:"
        )
        report.notes.extend(f"  A-{a.id} {a.text[:80]} (due {format_date(a.due_date)})" for a in owned)


def deactivate_agency(
    session: Session, agency: Agency, now: datetime, source: str, report: ImportReport
) -> None:
    agency.active = False
    _audit_leaving(session, "agency", agency.id, now, source)
    report.deactivated.append(f"agency {agency.name}: left out of Section 11 cohorts; history kept")
    for year in members.open_s11_years(session, agency.id):
        report.notes.append(
            f"{agency.name} has an open return in the {year} Section 11 cycle: its reminders stop; "
            f"take it out of the cycle with /s11 remove {agency.name}"
        )


def _audit_leaving(session: Session, entity: str, row_id: int, now: datetime, source: str) -> None:
    audit.record(
        session,
        at=now,
        actor=None,
        actor_label="board file",
        entity=entity,
        entity_id=row_id,
        verb="deactivated from file",
        before={"active": "True"},
        after={"active": "False"},
        source=source,
    )


def deactivate_leavers(
    session: Session,
    bf: BoardFile,
    matches: Matches,
    agency_rows: dict[str, Agency],
    member_rows: dict[str, Member],
    now: datetime,
    source: str,
    report: ImportReport,
) -> None:
    """Left out of the file, or marked `active: false`: deactivated, and said so."""
    leaving_members = list(matches.leaving_members)
    leaving_members += [member_rows[m.handle.lower()] for m in bf.members if not m.active]
    for mrow in leaving_members:
        if mrow.active:
            deactivate_member(session, mrow, now, source, report)
    leaving_agencies = list(matches.leaving_agencies)
    leaving_agencies += [agency_rows[a.name.lower()] for a in bf.agencies if not a.active]
    for arow in leaving_agencies:
        if arow.active:
            deactivate_agency(session, arow, now, source, report)
    session.flush()
