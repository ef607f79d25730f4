"""A rapid review's clocks as dated steps: pure arithmetic over the review's recorded dates,
the board's `reviews:` settings and its working days. Shared by /review status, the timeline
and the clock producer, so all three count the same way.

Awareness is day 0 of the notification (WD5) and agency summary (WD10, chased WD2/5/8)
clocks; the notification date is day 0 of the huddle (WD14) and the report (WD15) clocks —
counted from awareness, and marked provisional, until a notification is recorded.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from commands.board_schema import ReviewSettings
from commands.dates import format_date
from commands.reviews.working_days import WorkingDays
from store.models import Review, ReviewAgency

DECISION_WORDS = {
    "lcspr": "a Local Child Safeguarding Practice Review (LCSPR) follows",
    "no-lcspr": "no LCSPR",
    "national": "a national review by the Panel",
}


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Step:
    """One clock of a review: what, when it is due (as WDn from its day 0), and when done."""

    key: str  # notification | summary:<agency> | huddle | report | panel | lcspr:<milestone>
    label: str
    start: date  # day 0
    wd: int | None  # the due working day, counted from `start`
    due: date | None
    done: date | None = None
    provisional: bool = False  # WD15 counted from awareness: no notification recorded yet
    note: str = ""

    def late_by(self, cal: WorkingDays, today: date) -> int:
        """Working days past the due day (on the day after the due day: 1); 0 if done in time."""
        if self.due is None:
            return 0
        return cal.between(self.due, self.done or today)

    def state(self, cal: WorkingDays, today: date) -> str:
        """ "done Wed 31 Mar 2027 (WD2)", "due in 3 working days", "LATE by 1 working day"."""
        if self.done is not None:
            line = f"done {format_date(self.done)} (WD{cal.number(self.start, self.done)})"
            late = self.late_by(cal, today)
            return line + (f", {plural(late, 'working day')} late" if late else "")
        if self.due is None:
            return "not planned yet" if self.key.startswith("lcspr:") else "not yet recorded"
        late = self.late_by(cal, today)
        if late:
            return f"LATE by {plural(late, 'working day')}"
        left = cal.number(today, self.due)
        return "due today" if left == 0 else f"due in {plural(left, 'working day')}"

    def when(self) -> str:
        if self.key.startswith("lcspr:") and self.due is not None:
            return f"planned for {format_date(self.due)}"  # a planned day, not a statutory WDn
        if self.wd is None or self.due is None:
            return ""
        base = "from awareness" if self.key != "report" and self.key != "huddle" else "from notification"
        if self.provisional:
            base = "from awareness, provisional until the notification is recorded"
        if self.key == "panel":
            base = "after the report was sent"
        return f"WD{self.wd} {format_date(self.due)} ({base})"


def report_start(r: Review) -> tuple[date, bool]:
    """Day 0 of the WD15 clock, and whether it is provisional."""
    return (r.notified_on, False) if r.notified_on else (r.aware_on, True)


def summary_step(r: Review, s: ReviewAgency, cfg: ReviewSettings, cal: WorkingDays, tz: str) -> Step:
    from commands.dates import local_date  # a dated instant → the board's local day

    due = cal.add(r.aware_on, cfg.summaries_due)
    done = local_date(s.submitted_at, tz) if s.status == "submitted" and s.submitted_at else None
    note = f"extension asked to {format_date(s.extension_to)}" if s.extension_to and done is None else ""
    return Step(
        f"summary:{s.agency.name}",
        f"{s.agency.name} summary",
        r.aware_on,
        cfg.summaries_due,
        due,
        done,
        note=note,
    )


def steps(r: Review, cfg: ReviewSettings, cal: WorkingDays, tz: str) -> list[Step]:
    """Every clock of the review, in the order they fall."""
    out = [
        Step(
            "notification",
            "Notification to the Panel",
            r.aware_on,
            cfg.notification_due,
            cal.add(r.aware_on, cfg.notification_due),
            r.notified_on,
        )
    ]
    out += [summary_step(r, s, cfg, cal, tz) for s in r.agencies]
    out.append(Step("meeting", "Rapid review meeting", r.aware_on, None, None, r.meeting_on))
    start, provisional = report_start(r)
    out.append(
        Step(
            "huddle",
            "Executive huddle",
            start,
            cfg.huddle_day,
            cal.add(start, cfg.huddle_day),
            provisional=provisional,
        )
    )
    out.append(
        Step(
            "report",
            "Rapid review report to the Panel",
            start,
            cfg.report_due,
            cal.add(start, cfg.report_due),
            r.sent_on,
            provisional,
        )
    )
    if r.sent_on is not None:
        decision = DECISION_WORDS.get(r.panel_decision or "", "")
        out.append(
            Step(
                "panel",
                "The Panel's response",
                r.sent_on,
                cfg.panel_response_days,
                cal.add(r.sent_on, cfg.panel_response_days),
                r.panel_on,
                note=decision,
            )
        )
    return out + lcspr_steps(r, cfg)


_FIRST = (("reviewer", "Reviewer commissioned"), ("terms", "Terms of reference agreed"))
_LAST = (("draft", "Draft report"), ("publication", "Publication"))


def milestones(cfg: ReviewSettings) -> list[tuple[str, str]]:
    """(name, label) of every LCSPR milestone, in order; the board's own between terms and draft."""
    own = [(n.strip(), n.strip()) for n in cfg.lcspr_milestones]
    return [*_FIRST, *own, *_LAST]


def lcspr_steps(review: Review, cfg: ReviewSettings) -> list[Step]:
    """The LCSPR milestones as steps (none unless the Panel answered "lcspr")."""
    if review.panel_decision != "lcspr" or review.panel_on is None:
        return []
    rows = {m.name.lower(): m for m in review.milestones}
    out = []
    for name, label in milestones(cfg):
        row = rows.get(name.lower())
        out.append(
            Step(
                f"lcspr:{name}",
                f"LCSPR {label}",
                review.panel_on,
                None,
                row.due_on if row else None,
                row.done_on if row else None,
            )
        )
    return out


def step_line(step: Step, cal: WorkingDays, today: date) -> str:
    if step.key == "huddle":
        # A reminder, not a deadline: it is neither done nor late.
        return f"{step.label}: reminder on {step.when()}"
    parts = [step.label + ":", step.when(), "—", step.state(cal, today)]
    if step.note:
        parts.append(f"({step.note})")
    return " ".join(p for p in parts if p)
