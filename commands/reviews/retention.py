"""A closed rapid review under the retention rules (`qabot purge`, commands/retention.py).

A review closed before the cut-off, and not under legal hold (`/review hold`), loses its private
details: what its agencies wrote in their threads, their summaries' links, the QA officer's
notices quoting them, and every other copy of those words (by the same scrub `/qa redact` uses).
What stays is what the Panel and the scrutineer ask for: the case code, its dated steps (the
audit's who/when/verb, so `/review timeline` still lists each step on its working day) and its
counts, kept on the review when it is purged (`purged_counts`): agencies, summaries in and in
time, which deadlines were met, recommendations, replies, the working day it closed on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from commands.context import Scope
from commands.dates import format_date, local_date
from commands.reviews.clocks import steps
from commands.reviews.settings import calendar, settings
from store import redaction
from store import review_retention as store
from store.models import Review

PLACEHOLDER = "[purged]"
# A reply this short ("submitted", "thanks") names nobody, and scrubbing it board-wide would
# blank the same ordinary words in every other post; its own row is blanked all the same.
DISTINCTIVE = 16
# The clocks whose "met or not" the counts keep (reminders and records are not deadlines).
_DEADLINES = ("notification", "report", "panel")


@dataclass
class ReviewPurge:
    ids: list[int] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    replies: int = 0
    kept_on_hold: int = 0
    rows: int = 0  # rows changed: replies, notices, links, audit snapshots, other copies

    def lines(self, before: date, dry_run: bool) -> list[str]:
        verb = "Would purge" if dry_run else "Purged"
        head = (
            f"{verb} the private details of {len(self.codes)} rapid review(s) closed before "
            f"{before.isoformat()}"
        )
        if not self.codes:
            return [head + "."]
        out = [
            f"{head}: {', '.join(self.codes)} ({_n(self.replies, 'agency reply', 'agency replies')}, "
            "their summaries' links and the QA officer's notices); their dated steps and counts stay."
        ]
        if self.kept_on_hold:
            out.append(f"Kept: {self.kept_on_hold} closed rapid review(s) under legal hold.")
        return out


def counts(scope: Scope, review: Review, recommendations: int, replies: int) -> dict[str, Any]:
    """What the timeline keeps saying once the details are gone."""
    cfg, cal = settings(scope.board), calendar(scope.board)
    closed = local_date(review.closed_at, scope.tz) if review.closed_at else scope.today
    all_steps = steps(review, cfg, cal, scope.tz)
    summaries = [s for s in all_steps if s.key.startswith("summary:")]
    deadlines = []
    for s in all_steps:
        if s.key in _DEADLINES or s.key.startswith("lcspr:"):
            done_wd = cal.number(s.start, s.done) if s.done else None
            met = s.done is not None and (s.due is None or s.late_by(cal, closed) == 0)
            deadlines.append({"step": s.label, "due_wd": s.wd, "done_wd": done_wd, "met": met})
    return {
        "agencies": len(review.agencies),
        "summaries_in": sum(1 for s in summaries if s.done),
        "summaries_in_time": sum(1 for s in summaries if s.done and not s.late_by(cal, closed)),
        "deadlines": deadlines,
        "recommendations": recommendations,
        "replies": replies,
        "closed_wd": cal.number(review.aware_on, closed),
    }


def purge(scope: Scope, cutoff: datetime, before: date, *, dry_run: bool) -> ReviewPurge:
    """The closed reviews' details go (unless dry_run); the caller audits the counts."""
    session = scope.session
    reviews = store.closed_before(session, cutoff)
    report = ReviewPurge(
        ids=[r.id for r in reviews],
        codes=[r.code for r in reviews],
        kept_on_hold=store.held_before(session, cutoff),
    )
    for review in reviews:
        rows = store.replies(session, [s.id for s in review.agencies])
        report.replies += len(rows)
        if dry_run:
            continue
        words = {r.text for r in rows if len(r.text.strip()) >= DISTINCTIVE}
        words |= {s.evidence_url for s in review.agencies if s.evidence_url}
        kept = counts(scope, review, store.recommendation_count(session, review.id), len(rows))
        note = {"redacted": f"retention purge, cut-off {before.isoformat()}"}
        report.rows += store.purge_details(session, review, scope.today, kept, note, PLACEHOLDER)
        for text in sorted(words, key=lambda t: (-len(t), t)):  # longest first, as commands/retention.py
            done = redaction.scrub(session, text, PLACEHOLDER)
            report.rows += (
                done.audit + done.thread_replies + done.outbox + done.deliveries + done.agenda_items
            )
    return report


def purged_lines(scope: Scope, review: Review) -> list[str]:
    """The note a purged review's timeline ends with, and the counts it kept."""
    if review.purged_on is None:
        return []
    out = [f"(details purged on {format_date(review.purged_on)} under the retention rules)"]
    c = review.purged_counts or {}
    if not c:
        return out
    out.append(
        f"Kept: {_n(c.get('agencies'), 'agency', 'agencies')}, "
        f"{_n(c.get('summaries_in'), 'summary', 'summaries')} in ({c.get('summaries_in_time', 0)} in time), "
        f"{_n(c.get('recommendations'), 'recommendation', 'recommendations')}, "
        f"{_n(c.get('replies'), 'reply', 'replies')} in the agencies' threads; "
        f"closed on WD{c.get('closed_wd')}."
    )
    for d in c.get("deadlines") or ():
        due = f"due WD{d['due_wd']}" if d.get("due_wd") is not None else "planned"
        done = f"done WD{d['done_wd']}" if d.get("done_wd") is not None else "not done"
        out.append(f"{d['step']}: {due}, {done} — {'met' if d.get('met') else 'not met'}.")
    return out


def _n(value: object, one: str, many: str) -> str:
    n = int(value) if isinstance(value, int) else 0
    return f"{n} {one if n == 1 else many}"
