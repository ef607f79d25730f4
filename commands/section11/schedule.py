"""When Section 11 reminders go out: pure date arithmetic, no database, no clock.

Before the deadline a reminder that would fall on a weekend or an England and Wales bank
holiday moves to the previous working day; after the deadline (the weekly chasers) it moves
to the next one. Reminders go out at the board's reminder time, local time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from commands.dates import at_local, next_working_day, previous_working_day

STATUTORY, NON_STATUTORY = "statutory", "non-statutory"
COHORTS = (STATUTORY, NON_STATUTORY)


@dataclass(frozen=True, order=True)
class Slot:
    """One reminder date for one return."""

    day: date
    deadline: date

    @property
    def days_to_deadline(self) -> int:
        """Days from the reminder to the deadline; negative once it has passed."""
        return (self.deadline - self.day).days

    @property
    def after_deadline(self) -> bool:
        return self.day > self.deadline


def parse_time(text: str) -> time:
    hours, _, minutes = text.partition(":")
    return time(int(hours), int(minutes or 0))


def cohort_for_year(year: int, statutory_years: str) -> str:
    """The rotation: statutory partners in odd (or even) years, the others in between."""
    odd = year % 2 == 1
    return STATUTORY if odd == (statutory_years == "odd") else NON_STATUTORY


def slots(
    deadline: date, reminder_days: Iterable[int], *, weekly_after: bool, until: date | None = None
) -> list[Slot]:
    """Every reminder date for a deadline, in order, without duplicates: each `d` days before
    (moved back to a working day), then weekly after the deadline up to `until` (moved forward)."""
    days = {previous_working_day(deadline - timedelta(days=d)) for d in reminder_days if d >= 0}
    if weekly_after and until is not None:
        k = 1
        while (day := next_working_day(deadline + timedelta(days=7 * k))) <= until:
            days.add(day)
            k += 1
    return [Slot(day, deadline) for day in sorted(days)]


def due_slot(all_slots: Iterable[Slot], *, now: datetime, after: datetime, at: time, tz: str) -> Slot | None:
    """The latest slot whose instant has come (<= now) and is later than `after` (the launch,
    or the grant of an extension). Earlier missed slots are folded into it: one reminder, not
    a burst, after the bot was down."""
    due = [s for s in all_slots if after < at_local(s.day, at, tz) <= now]
    return due[-1] if due else None


def escalation_day(deadline: date, after_days: int) -> date:
    """`after_days` after the deadline, on the next working day."""
    return next_working_day(deadline + timedelta(days=after_days))


def days_late(deadline: date, today: date) -> int:
    return max(0, (today - deadline).days)


def substitute_due(slot: Slot, from_days: int = 7) -> bool:
    """From the 7-day reminder on (wherever the working-day rule moved it), a lead who has not
    answered gets their substitute copied in."""
    return slot.day >= previous_working_day(slot.deadline - timedelta(days=from_days))
