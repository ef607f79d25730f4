"""The rapid review clock: what is due is computed from the database at each tick, at the
board's reminder time on working days.

- Each agency whose summary is not in is chased in its own thread on the chase days (default
  WD2, WD5, WD8 from awareness); only the latest chase day that has come is sent, under a key
  naming it, so a second tick or a bot that was down sends one reminder, not a burst.
- The executive huddle is reminded on WD14 (from the notification), in the QA channel.
- Escalation at once, not weekly: on the day a step is late (a summary not in by WD10, the
  notification not recorded by WD5, the report not sent by WD15) the chair hears by direct
  message and the QA channel is told, naming what is late and by how many working days. An
  agency the request never reached is named as such, never counted as chased.
"""

from __future__ import annotations

from commands import posting
from commands.context import Scope
from commands.dates import at_local, local_date
from commands.registry import no_thread_reply, producer
from commands.reviews import posts
from commands.reviews.clocks import Step, plural, step_line, steps
from commands.reviews.settings import calendar, settings
from commands.reviews.working_days import WorkingDays
from commands.section11.schedule import parse_time
from commands.types import Reply
from store import members
from store import reviews as review_store
from store.models import Review

no_thread_reply("review_escalation", "a notice to the chair and the QA officer; replies are conversation")
no_thread_reply("review_huddle", "a reminder in the QA channel; replies are conversation")
no_thread_reply("review_milestone", "an LCSPR milestone reminder in the QA channel; replies are conversation")


# A reminder, a meeting with no due day, and the Panel's own answer are not the partnership's
# late steps.
_NOT_ESCALATED = ("huddle", "meeting", "panel")


@producer("reviews")
def produce(scope: Scope) -> int:
    """Queue every rapid review post due by scope.now; returns how many rows were queued."""
    cfg, cal = settings(scope.board), calendar(scope.board)
    if not cal.is_working(scope.today) or scope.now < at_local(
        scope.today, parse_time(cfg.reminder_time), scope.tz
    ):
        return 0
    queued = 0
    for review in review_store.open_reviews(scope.session):
        queued += _chase(scope, review, cal)
        all_steps = steps(review, cfg, cal, scope.tz)
        by_key = {s.key: s for s in all_steps}
        queued += _huddle(scope, review, by_key["huddle"], by_key["report"])
        queued += sum(_milestone_due(scope, review, s) for s in all_steps if s.key.startswith("lcspr:"))
        missing = posts.never_reached(scope, review)
        for step in all_steps:
            if step.key not in _NOT_ESCALATED and step.done is None and step.late_by(cal, scope.today) > 0:
                queued += _escalate(scope, review, step, cal, missing)
    return queued


def _chase(scope: Scope, review: Review, cal: WorkingDays) -> int:
    cfg = settings(scope.board)
    due = cal.add(review.aware_on, cfg.summaries_due)
    queued = 0
    for s in review.agencies:
        if s.status == "submitted":
            continue  # a "submitted" reply stops that agency's chasers
        come = [
            d for d in cfg.chase_days if d < cfg.summaries_due and cal.add(review.aware_on, d) <= scope.today
        ]
        requested = local_date(s.requested_at, scope.tz)
        come = [d for d in come if cal.add(review.aware_on, d) > requested]
        if not come:
            continue
        wd = come[-1]
        reply = posts.chaser_post(review, s, wd, due, cal.number(scope.today, due))
        queued += len(
            posts.to_agency_thread(scope, review, s, event=f"chase:WD{wd}", kind="review_chaser", reply=reply)
        )
    return queued


def _huddle(scope: Scope, review: Review, step: Step, report: Step) -> int:
    if step.due is None or step.due != scope.today or review.sent_on is not None:
        return 0
    reply = Reply(
        title=f"Rapid review {review.code}: executive huddle today (working day {step.wd})",
        lines=[
            f"The rapid review report is due to the Panel on {report.when()}.",
            f"See /review status {review.code}.",
        ],
        visibility="channel",
        data={"review": review.code},
    )
    key = f"review:{review.id}:huddle:{step.due.isoformat()}"
    return len(posting.to_channel(scope, "qa", key=key, kind="review_huddle", reply=reply))


def _milestone_due(scope: Scope, review: Review, step: Step) -> int:
    """A planned LCSPR milestone not done: one reminder in the QA channel on its due day (the
    outbox key names the milestone and the day, so a re-planned one is reminded again)."""
    if step.due is None or step.due != scope.today or step.done is not None:
        return 0
    name = step.key.removeprefix("lcspr:")
    reply = Reply(
        title=f"Rapid review {review.code}: {step.label} is due today",
        lines=[
            f"Record it with /review lcspr {review.code} {name} done <date>, "
            f"or plan a new day with /review lcspr {review.code} {name} due <date>.",
        ],
        visibility="channel",
        data={"review": review.code, "milestone": name},
    )
    key = f"review:{review.id}:{step.key}:due:{step.due.isoformat()}"
    return len(posting.to_channel(scope, "qa", key=key, kind="review_milestone", reply=reply))


def _escalate(scope: Scope, review: Review, step: Step, cal: WorkingDays, missing: dict[int, str]) -> int:
    """Once per late step (the outbox key), on the day it becomes late (or the first tick after)."""
    late = step.late_by(cal, scope.today)
    unreached = next(
        (s for s in review.agencies if step.key == f"summary:{s.agency.name}" and s.id in missing), None
    )
    lines = [step_line(step, cal, scope.today)]
    if unreached is not None:
        lines.append(
            f"{unreached.agency.name} was never reached (no {missing[unreached.id]} address), "
            "so it was never "
            "asked or chased: this is not a late reply. Give it a channel or a lead in the board file."
        )
    lines.append(f"See /review status {review.code}.")
    title = f"Rapid review {review.code}: {step.label} is late by {plural(late, 'working day')}"
    if step.provisional:
        title += " (counted from awareness: no notification recorded)"
    reply = Reply(
        title=title,
        lines=lines,
        visibility="channel",
        data={"review": review.code, "late": step.key, "working_days": late},
    )
    key = f"review:{review.id}:escalation:{step.key}"
    rows = posting.to_channel(scope, "qa", key=key, kind="review_escalation", reply=reply)
    for chair in members.by_role(scope.session, "chair"):
        rows += posting.to_member(
            scope, chair, key=f"{key}:chair:{chair.id}", kind="review_escalation", reply=reply
        )
    if rows:
        scope.audit("review", review.id, "escalated", None, {"late": step.key, "working_days": late})
    return len(rows)
