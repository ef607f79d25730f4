"""What the weekly digest says: only what needs a decision or is late.

- overdue actions, by agency: how many, and the oldest few with their A-refs and days overdue;
- Section 11 returns past their deadline (an agency the posts never reached is named apart:
  it was never chased, so it is not "late as if chased");
- rapid review clocks that are late, or fall due before the next digest;
- KPI breaches with no narrative yet;
- what was escalated since the last digest.

Everything is read from the database as the board sees it (`policy.BOARD`: the digest goes
to the chair or the QA officer, whose view is the board's). An empty digest is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from commands import delivery_report, policy
from commands.clock import FixedClock
from commands.context import Scope
from commands.dates import format_date, local_date
from commands.kpi.breaches import Breach, breaches_without_narrative
from commands.reviews.clocks import steps
from commands.reviews.settings import calendar
from commands.reviews.settings import settings as review_settings
from commands.section11.common import cycle_name, effective_deadline
from commands.section11.schedule import days_late
from store import digest as store
from store import reviews as review_store
from store.digest import AgencyOverdue, Escalated
from store.models import Board

OLDEST_PER_AGENCY = 3
AGENCIES_SHOWN = 12  # the most overdue agencies listed with their oldest actions
ESCALATIONS_SHOWN = 10
# A review clock due within this many days is shown: it falls due before the next digest.
REVIEW_HORIZON = timedelta(days=7)
# A reminder, a meeting with no due day and the Panel's own answer are not the partnership's
# late steps (as commands/reviews/clock.py escalates them).
_NOT_LATE_STEPS = ("huddle", "meeting", "panel")


@dataclass(frozen=True)
class LateReturn:
    cycle: str  # "Section 11 2027 (statutory)"
    agency: str
    days_late: int
    deadline: date
    note: str = ""  # "extension granted", "extension asked to 12 Apr 2027"


@dataclass(frozen=True)
class UnreachedReturn:
    cycle: str
    agency: str
    why: str  # "no Slack address"


@dataclass(frozen=True)
class ReviewClock:
    code: str
    label: str  # "Surrey Police summary"
    state: str  # "LATE by 2 working days", "due in 3 working days"
    late: bool


@dataclass
class Digest:
    now: datetime
    since: datetime
    today: date
    overdue: list[AgencyOverdue] = field(default_factory=list)
    late_returns: list[LateReturn] = field(default_factory=list)
    unreached_returns: list[UnreachedReturn] = field(default_factory=list)
    review_clocks: list[ReviewClock] = field(default_factory=list)
    kpi: list[Breach] = field(default_factory=list)
    escalations: list[Escalated] = field(default_factory=list)
    escalations_total: int = 0

    @property
    def overdue_total(self) -> int:
        return sum(g.count for g in self.overdue)

    @property
    def items(self) -> int:
        """How many things need a decision or are late."""
        return (
            self.overdue_total
            + len(self.late_returns)
            + len(self.unreached_returns)
            + len(self.review_clocks)
            + len(self.kpi)
            + self.escalations_total
        )

    @property
    def empty(self) -> bool:
        return self.items == 0


def compute(session: Session, board: Board, now: datetime, since: datetime) -> Digest:
    """The digest as of `now`; escalations counted from `since` (the last digest)."""
    today = local_date(now, board.timezone)
    viewer = policy.BOARD  # the clock's own work, for the chair: the board's view
    digest = Digest(now=now, since=since, today=today)
    digest.overdue = store.overdue_by_agency(
        session, viewer, today, oldest=OLDEST_PER_AGENCY, agencies_shown=AGENCIES_SHOWN
    )
    _section11(digest, Scope(session=session, clock=FixedClock(now), board=board))
    digest.review_clocks = review_clocks(session, board, today)
    digest.kpi = breaches_without_narrative(session, board, viewer)
    digest.escalations, digest.escalations_total = store.escalations_since(
        session, viewer, since, ESCALATIONS_SHOWN
    )
    return digest


def _section11(digest: Digest, scope: Scope) -> None:
    returns = store.late_returns(scope.session, policy.BOARD, digest.today)
    never = delivery_report.of_returns(scope, returns).not_reached if returns else {}
    for r in returns:
        name = cycle_name(r.cycle)
        if r.id in never:
            digest.unreached_returns.append(
                UnreachedReturn(name, r.agency.name, delivery_report.why(never[r.id][-1]))
            )
            continue
        deadline = effective_deadline(r)
        note = "extension granted" if r.extension_granted_to else ""
        if r.status == "extension_requested" and r.extension_requested_to:
            note = f"extension asked to {format_date(r.extension_requested_to)}"
        digest.late_returns.append(
            LateReturn(name, r.agency.name, days_late(deadline, digest.today), deadline, note)
        )


def review_clocks(session: Session, board: Board, today: date) -> list[ReviewClock]:
    """Every open review's clocks that are late or fall due within the week, late first."""
    cfg, cal = review_settings(board), calendar(board)
    out: list[ReviewClock] = []
    for review in review_store.open_reviews(session):
        for step in steps(review, cfg, cal, board.timezone):
            if step.key in _NOT_LATE_STEPS or step.done is not None or step.due is None:
                continue
            late = step.late_by(cal, today) > 0
            if late or step.due <= today + REVIEW_HORIZON:
                out.append(ReviewClock(review.code, step.label, step.state(cal, today), late))
    return sorted(out, key=lambda c: not c.late)
