"""Retention: what `qabot purge --before <date>` removes, and the record it leaves.

The rule:
- an action goes when it is closed (status done) and was closed before the date;
- a finding goes when it was recorded before the date and no action that stays refers to it
  (so a finding behind an open action, or behind a closed action that is kept, stays);
- with them go the document links that point at them, and delivery records (copies of
  replies kept for de-duplicating retried deliveries) received before the date.
Open actions are never removed, whatever their age. Every removed action and finding is
written to the audit log with a full snapshot, and one summary event lists what went.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from commands.context import Scope
from commands.errors import UsageError
from store import audit
from store import retention as retention_store
from store.export import row_snapshot
from store.models import Action, Finding

USAGE = "qabot purge --before YYYY-MM-DD [--dry-run]"
ACTOR_LABEL = "retention purge"
SOURCE = "cli:purge"


@dataclass
class PurgeReport:
    before: date
    cutoff: datetime
    dry_run: bool
    action_ids: list[int] = field(default_factory=list)
    finding_ids: list[int] = field(default_factory=list)
    document_links: int = 0
    deliveries: int = 0

    def lines(self) -> list[str]:
        verb = "Would remove" if self.dry_run else "Removed"
        out = [
            f"{verb} {len(self.action_ids)} closed action(s) closed before {self.before.isoformat()}"
            + (": " + _refs("A", self.action_ids) if self.action_ids else "."),
            f"{verb} {len(self.finding_ids)} finding(s) recorded before {self.before.isoformat()}"
            + (": " + _refs("F", self.finding_ids) if self.finding_ids else "."),
            f"{verb} {self.document_links} document link(s) and {self.deliveries} delivery record(s).",
        ]
        if self.dry_run:
            out.append("Dry run: nothing was changed.")
        else:
            out.append("Each removed item was written to the audit log with a snapshot.")
        return out


def _refs(prefix: str, ids: list[int]) -> str:
    shown = ", ".join(f"{prefix}-{i}" for i in ids[:200])
    return shown + (f" …and {len(ids) - 200} more" if len(ids) > 200 else "")


def cutoff_for(before: date, tz: str) -> datetime:
    """The start of `before` in the board's time zone: items closed or recorded earlier go."""
    return datetime.combine(before, time(0), tzinfo=ZoneInfo(tz))


def _action_snapshot(a: Action) -> dict[str, Any]:
    snap = row_snapshot(a)
    snap["owner_handle"] = a.owner.handle if a.owner else None
    snap["agency_name"] = a.agency.name if a.agency else None
    return snap


def _finding_snapshot(f: Finding) -> dict[str, Any]:
    snap = row_snapshot(f)
    snap["agency_name"] = f.agency.name if f.agency else None
    return snap


def purge(scope: Scope, before: date, *, dry_run: bool = False) -> PurgeReport:
    """Apply the retention rule in the scope's transaction (or only report it: dry_run)."""
    if before > scope.today:
        raise UsageError(
            f"--before {before.isoformat()} is in the future; retention only removes what is "
            f"older than a date up to today ({scope.today.isoformat()}).",
            USAGE,
        )
    session = scope.session
    cutoff = cutoff_for(before, scope.tz)
    actions = retention_store.closed_actions_before(session, cutoff)
    action_ids = [a.id for a in actions]
    findings = retention_store.findings_before_unreferenced(session, cutoff, action_ids)
    finding_ids = [f.id for f in findings]
    report = PurgeReport(
        before=before,
        cutoff=cutoff,
        dry_run=dry_run,
        action_ids=action_ids,
        finding_ids=finding_ids,
        document_links=retention_store.count_document_links(session, action_ids, finding_ids),
        deliveries=retention_store.count_deliveries_before(session, cutoff),
    )
    if dry_run:
        return report

    def record(entity: str, entity_id: int | None, verb: str, before_: Any, after: Any) -> None:
        audit.record(
            session,
            at=scope.now,
            actor=None,
            actor_label=ACTOR_LABEL,
            entity=entity,
            entity_id=entity_id,
            verb=verb,
            before=before_,
            after=after,
            source=SOURCE,
        )

    for a in actions:
        record("action", a.id, "purged", _action_snapshot(a), None)
    for f in findings:
        record("finding", f.id, "purged", _finding_snapshot(f), None)
    removed = retention_store.delete_items(session, action_ids, finding_ids, cutoff)
    report.document_links, report.deliveries = removed["document_links"], removed["deliveries"]
    record(
        "retention",
        None,
        "purge",
        None,
        {
            "before": before.isoformat(),
            "cutoff": cutoff.isoformat(),
            "actions": action_ids,
            "findings": finding_ids,
            "document_links": removed["document_links"],
            "deliveries": removed["deliveries"],
        },
    )
    return report
