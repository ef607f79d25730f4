"""Retention: what `qabot purge --before <date>` removes, and the record it leaves.

The rule:
- an action goes when it is closed (done or cancelled) and was closed before the date;
- a finding goes when it was recorded before the date and no action that stays refers to it
  (so a finding behind an open action, or behind a closed action that is kept, stays);
- never: an open action, a finding escalated to the Board, anything under legal hold
  (`/action hold`, `/finding hold`), or anything younger than the board's minimum retention
  (board file `retention: {min_years: 6}`): a cut-off later than that is refused;
- with them go the document links that point at them, and delivery records (copies of
  replies kept for de-duplicating retried deliveries) received before the date, and the thread
  records of people's own threads (ids only, store/person_threads.py) first seen before it;
- a rapid review closed before the date (and not under `/review hold`) loses its private
  details, its dated steps and counts stay (commands/reviews/retention.py); a review's
  recommendation action stays while the review's details do (the review refers to it).
The audit log gets one event with the cut-off and the counts, never the removed text; the
earlier audit events of the removed items keep who/when/what-verb, their snapshots are
blanked (otherwise the log would keep the text the purge removed). Every other copy of a removed
item's text (and of its earlier wordings) — other audit snapshots, thread replies, outbox
payloads, the delivery log and inbox, agenda items — becomes "[purged]", by the same scrub
`/qa redact` uses (store/redaction.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from commands.board_schema import RetentionSettings
from commands.context import Scope
from commands.errors import UsageError
from commands.reviews import retention as review_retention
from store import audit, redaction
from store import retention as retention_store
from store import review_retention as review_rows
from store.models import Action, Board, Finding

PURGED = "[purged]"
FREE_TEXT = ("text", "closing_note", "withdrawn_reason")  # an item's own words, in its snapshots
USAGE = "qabot purge --before YYYY-MM-DD [--yes]"
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
    person_threads: int = 0  # ids of people's own threads (commands/unclear_threads.py)
    kept_escalated: int = 0  # old findings kept because they were escalated to the Board
    kept_on_hold: int = 0  # old closed actions and findings kept under legal hold
    copies: int = 0  # other copies of the removed text replaced by "[purged]"
    reviews: review_retention.ReviewPurge = field(default_factory=review_retention.ReviewPurge)
    kept_recommendations: int = 0  # closed recommendation actions of reviews whose details stay

    def lines(self) -> list[str]:
        verb = "Would remove" if self.dry_run else "Removed"
        out = [
            f"{verb} {len(self.action_ids)} closed action(s) closed before {self.before.isoformat()}"
            + (": " + _refs("A", self.action_ids) if self.action_ids else "."),
            f"{verb} {len(self.finding_ids)} finding(s) recorded before {self.before.isoformat()}"
            + (": " + _refs("F", self.finding_ids) if self.finding_ids else "."),
            f"{verb} {self.document_links} document link(s), {self.deliveries} delivery record(s) and "
            f"{self.person_threads} thread record(s) of people's own threads.",
        ]
        if self.kept_escalated or self.kept_on_hold:
            out.append(
                f"Kept: {self.kept_escalated} finding(s) escalated to the Board and "
                f"{self.kept_on_hold} item(s) under legal hold."
            )
        if self.kept_recommendations:
            out.append(
                f"Kept: {self.kept_recommendations} closed action(s) that are recommendations of rapid "
                "reviews whose details stay."
            )
        out += self.reviews.lines(self.before, self.dry_run)
        if self.dry_run:
            out.append("Preview only: nothing was changed. Run again with --yes to remove these.")
        else:
            out.append(
                f"Replaced {self.copies} other copies of their text (audit snapshots, thread replies, "
                "posts, delivery records, agenda items) with [purged]."
            )
            out.append("The audit log records the cut-off and these counts (not the removed text).")
        return out


def _refs(prefix: str, ids: list[int]) -> str:
    shown = ", ".join(f"{prefix}-{i}" for i in ids[:200])
    return shown + (f" …and {len(ids) - 200} more" if len(ids) > 200 else "")


def cutoff_for(before: date, tz: str) -> datetime:
    """The start of `before` in the board's time zone: items closed or recorded earlier go."""
    return datetime.combine(before, time(0), tzinfo=ZoneInfo(tz))


def min_years(board: Board) -> int:
    """The board file's `retention: min_years` (validated on import; 6 if absent)."""
    raw = (board.config or {}).get("retention") or {}
    return RetentionSettings.model_validate(raw).min_years


def latest_cutoff(today: date, years: int) -> date:
    """The latest `--before` the minimum retention allows: `years` before today."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February, in a year without one
        return today.replace(year=today.year - years, day=28)


def _texts(session: Session, actions: list[Action], findings: list[Finding]) -> list[str]:
    """Every wording the removed items ever had (now and in their audit snapshots), longest
    first so a wording inside a longer one does not break the longer one's replacement."""
    texts: set[str] = set()
    for entity, ids, current in (
        ("action", [a.id for a in actions], [t for a in actions for t in (a.text, a.closing_note)]),
        ("finding", [f.id for f in findings], [t for f in findings for t in (f.text, f.withdrawn_reason)]),
    ):
        texts.update(t for t in current if t)
        for item_id in ids:
            for event in audit.history(session, entity, item_id):
                for snap in (event.before or {}, event.after or {}):
                    for key in FREE_TEXT:
                        value = snap.get(key)
                        if isinstance(value, str) and value:
                            texts.add(value)
    return sorted(texts, key=lambda t: (-len(t), t))


def purge(scope: Scope, before: date, *, dry_run: bool = True) -> PurgeReport:
    """Apply the retention rule in the scope's transaction; only report it unless dry_run is
    False (a caller must ask to delete)."""
    if before > scope.today:
        raise UsageError(
            f"--before {before.isoformat()} is in the future; retention only removes what is "
            f"older than a date up to today ({scope.today.isoformat()}).",
            USAGE,
        )
    years = min_years(scope.board)
    latest = latest_cutoff(scope.today, years)
    if before > latest:
        raise UsageError(
            f"--before {before.isoformat()} is less than the board's minimum retention of {years} "
            f"years: the latest cut-off allowed today is {latest.isoformat()} "
            "(board file `retention: {min_years: …}`).",
            USAGE,
        )
    session = scope.session
    cutoff = cutoff_for(before, scope.tz)
    # Reviews first: their details go with their counts, recommendations included.
    reviews = review_retention.purge(scope, cutoff, before, dry_run=dry_run)
    old_actions = retention_store.closed_actions_before(session, cutoff)
    held = review_rows.kept_recommendations(session, [a.id for a in old_actions], reviews.ids)
    actions = [a for a in old_actions if a.id not in held]
    action_ids = [a.id for a in actions]
    findings = retention_store.findings_before_unreferenced(session, cutoff, action_ids)
    finding_ids = [f.id for f in findings]
    kept = retention_store.kept_before(session, cutoff)
    report = PurgeReport(
        before=before,
        cutoff=cutoff,
        dry_run=dry_run,
        action_ids=action_ids,
        finding_ids=finding_ids,
        document_links=retention_store.count_document_links(session, action_ids, finding_ids),
        deliveries=retention_store.count_deliveries_before(session, cutoff),
        person_threads=retention_store.count_person_threads_before(session, cutoff),
        kept_escalated=kept["escalated"],
        kept_on_hold=kept["on_hold"],
        reviews=reviews,
        kept_recommendations=len(held),
    )
    if dry_run:
        return report
    texts = _texts(session, actions, findings)
    review_rows.forget_recommendations(session, action_ids)
    removed = retention_store.delete_items(session, action_ids, finding_ids, cutoff)
    redacted = {"redacted": f"retention purge, cut-off {before.isoformat()}"}
    retention_store.redact_history(session, action_ids, finding_ids, redacted)
    # Then every other copy (the items' own snapshots are blanked above, not counted here).
    staying = set(retention_store.item_texts(session))  # what stays keeps its own words whole
    for text in texts:
        if text in staying:
            continue  # an item that stays says the same: those words are still the board's
        done = redaction.scrub(session, text, PURGED, keep=staying)
        report.copies += done.audit + done.thread_replies + done.outbox + done.deliveries + done.agenda_items
    report.document_links, report.deliveries = removed["document_links"], removed["deliveries"]
    report.person_threads = removed["person_threads"]
    summary: dict[str, Any] = {
        "before": before.isoformat(),
        "cutoff": cutoff.isoformat(),
        "min_years": years,
        "actions": len(action_ids),
        "findings": len(finding_ids),
        "document_links": removed["document_links"],
        "deliveries": removed["deliveries"],
        "person_threads": removed["person_threads"],
        "kept_escalated": report.kept_escalated,
        "kept_on_hold": report.kept_on_hold,
        "copies_scrubbed": report.copies,
        "reviews": reviews.codes,
        "review_rows": reviews.rows,
        "kept_reviews_on_hold": reviews.kept_on_hold,
    }
    audit.record(
        session,
        at=scope.now,
        actor=None,
        actor_label=ACTOR_LABEL,
        entity="retention",
        entity_id=None,
        verb="purge",
        before=None,
        after=summary,
        source=SOURCE,
    )
    return report
