"""Read-only summaries of rapid reviews for the board's other screens: `/qa status` and the
App Home (one line per open review with its next clock), meeting agendas (case code and next
step) and the Board report (each review's timeline). They count through `clocks.steps` and
`WorkingDays`, exactly as `/review status` and `/review timeline` do, and show case codes only.

Who may see them is the callers' business: rapid reviews are the chair's and the QA officer's
(`/review status` is theirs alone), so `/qa status` shows them only to those two."""

from __future__ import annotations

from datetime import date, datetime

from commands.context import Scope
from commands.dates import format_date, local_date
from commands.reviews.clocks import Step, lcspr_steps, plural, step_line, steps
from commands.reviews.retention import purged_lines
from commands.reviews.settings import calendar, settings
from commands.reviews.views import _VERBS as VERBS  # the timeline's own words, not a copy
from commands.reviews.working_days import WorkingDays
from store import audit
from store import board_status as board_status_store
from store import reviews as review_store
from store.models import Review

# Steps that are reminders or records, never a deadline to chase.
_NOT_CLOCKS = ("huddle", "meeting")


def pending(review: Review, scope: Scope) -> list[Step]:
    """The review's clocks still running (not done, with a due day), the most pressing first."""
    cal = calendar(scope.board)
    running = [
        s
        for s in steps(review, settings(scope.board), cal, scope.tz)
        if s.done is None and s.due is not None and s.key not in _NOT_CLOCKS
    ]
    return sorted(running, key=lambda s: (s.due or date.max, s.key))


def next_step_text(review: Review, scope: Scope, cal: WorkingDays) -> str:
    """ "Notification to the Panel: WD5 Mon 5 Apr 2027 — due in 3 working days", with how many
    other clocks are late, or that every clock is done."""
    running = pending(review, scope)
    if not running:
        return "every clock done; close it with /review close " + review.code
    first = running[0]
    same = [s for s in running if s.due == first.due and s.key.startswith("summary:")]
    label = f"Agency summaries ({len(same)} outstanding)" if len(same) > 1 else first.label
    text = f"{label}: WD{first.wd} {format_date(first.due)} — {first.state(cal, scope.today)}"
    late = [s for s in running[len(same) or 1 :] if s.late_by(cal, scope.today)]
    if late:
        text += f"; {plural(len(late), 'other step')} late"
    return text


def open_lines(scope: Scope, indent: str = "  ") -> list[str]:
    """One line per open review, oldest awareness first: its case code and its next clock."""
    cal = calendar(scope.board)
    reviews = review_store.open_reviews(scope.session)
    return [f"{indent}{r.code} · {next_step_text(r, scope, cal)}" for r in reviews]


def timeline(scope: Scope, review: Review) -> list[str]:
    """The review's audited steps, each with its day and working day from awareness (as
    `/review timeline`, without the actor: the report is read beyond the officers)."""
    cal = calendar(scope.board)
    events = audit.history(scope.session, "review", review.id)
    names = {s.id: s.agency.name for s in review.agencies}
    for s in review.agencies:
        events += audit.history(scope.session, "review_agency", s.id)
    events.sort(key=lambda e: (e.at, e.id))
    lines = [f"Aware {format_date(review.aware_on)} (day 0)."]
    for e in events:
        day = local_date(e.at, scope.tz)
        what = VERBS.get(e.verb, e.verb)
        if e.entity == "review_agency":
            what = f"{names.get(e.entity_id or -1, '?')}: {what}"
        detail = e.after.get("milestone") if isinstance(e.after, dict) else None
        if e.verb in ("lcspr_due", "lcspr_done") and detail:
            what = f"{what} ({detail})"
        lines.append(f"{format_date(day)} (WD{cal.number(review.aware_on, day)}) — {what} [E-{e.id}]")
    return lines + lcspr_lines(scope, review) + purged_lines(scope, review)


def lcspr_lines(scope: Scope, review: Review) -> list[str]:
    """Each LCSPR milestone with its date and status, as /review status shows it (none unless
    the Panel answered "lcspr")."""
    cal = calendar(scope.board)
    found = lcspr_steps(review, settings(scope.board))
    return ["LCSPR milestones:", *(f"  {step_line(s, cal, scope.today)}" for s in found)] if found else []


def for_report(scope: Scope, closed_since: datetime) -> list[tuple[str, list[str]]]:
    """Each open review, and each closed since `closed_since`, with its timeline."""
    out = []
    for r in board_status_store.reviews_for_report(scope.session, closed_since):
        title = f"Rapid review {r.code}" + (" (closed)" if r.status != "open" else " (open)")
        out.append((title, timeline(scope, r)))
    return out
