"""Reminder dates as pure arithmetic: no database, no clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from commands.dates import is_working_day
from commands.section11.schedule import (
    Slot,
    cohort_for_year,
    days_late,
    due_slot,
    escalation_day,
    slots,
    substitute_due,
)

DEFAULT = [28, 14, 7, 1, 0]
NINE_THIRTY = time(9, 30)
TZ = "Europe/London"


def days(deadline: date, until: date | None = None, weekly: bool = True) -> list[date]:
    return [s.day for s in slots(deadline, DEFAULT, weekly_after=weekly, until=until)]


def test_deadline_after_the_early_may_bank_holiday() -> None:
    # Tue 4 May 2027: the day before is the bank holiday Monday, so that reminder moves back
    # over the weekend to Friday 30 April.
    assert days(date(2027, 5, 4), weekly=False) == [
        date(2027, 4, 6),
        date(2027, 4, 20),
        date(2027, 4, 27),
        date(2027, 4, 30),
        date(2027, 5, 4),
    ]


def test_deadline_after_easter() -> None:
    # Tue 30 Mar 2027: Easter Monday 29 Mar, Sunday, Saturday and Good Friday 26 Mar are all
    # skipped; the day-before reminder goes on Thursday 25 March.
    assert days(date(2027, 3, 30), weekly=False) == [
        date(2027, 3, 2),
        date(2027, 3, 16),
        date(2027, 3, 23),
        date(2027, 3, 25),
        date(2027, 3, 30),
    ]


def test_weekly_chasers_move_forward_past_bank_holidays() -> None:
    # Deadline Mon 24 May 2027: a week later is the Spring bank holiday, so Tuesday 1 June.
    after = [d for d in days(date(2027, 5, 24), until=date(2027, 6, 15)) if d > date(2027, 5, 24)]
    assert after == [date(2027, 6, 1), date(2027, 6, 7), date(2027, 6, 14)]
    # Christmas: deadline Mon 20 Dec 2027 → 27 and 28 Dec are bank holidays → Wed 29 Dec; then
    # Mon 3 Jan 2028 is the substitute day for New Year's Day (a Saturday) → Tue 4 Jan.
    after = [d for d in days(date(2027, 12, 20), until=date(2028, 1, 10)) if d > date(2027, 12, 20)]
    assert after == [date(2027, 12, 29), date(2028, 1, 4), date(2028, 1, 10)]


def test_a_deadline_on_a_saturday_collapses_the_last_two_reminders() -> None:
    # Sat 8 May 2027: "on the day" and "the day before" both fall back to Friday 7 May: once.
    assert days(date(2027, 5, 8), weekly=False)[-2:] == [date(2027, 4, 30), date(2027, 5, 7)]


@given(st.dates(min_value=date(2026, 1, 1), max_value=date(2030, 12, 31)))
def test_never_on_a_weekend_or_bank_holiday(deadline: date) -> None:
    found = slots(deadline, DEFAULT, weekly_after=True, until=deadline + timedelta(days=60))
    assert [s.day for s in found] == sorted({s.day for s in found})
    assert all(is_working_day(s.day) for s in found)
    assert all(s.day <= deadline for s in found if not s.after_deadline)
    assert len([s for s in found if s.after_deadline]) >= 7


def test_the_latest_due_slot_only() -> None:
    all_ = slots(date(2027, 5, 4), DEFAULT, weekly_after=True, until=date(2027, 6, 30))
    launched = datetime(2027, 2, 1, 10, 0, tzinfo=UTC)

    def due(now: datetime) -> date | None:
        s = due_slot(all_, now=now, after=launched, at=NINE_THIRTY, tz=TZ)
        return s.day if s else None

    # 09:30 BST is 08:30 UTC.
    assert due(datetime(2027, 4, 6, 8, 29, tzinfo=UTC)) is None
    assert due(datetime(2027, 4, 6, 8, 30, tzinfo=UTC)) == date(2027, 4, 6)
    # Three weeks later: the missed 20 April reminder is folded into 27 April's.
    assert due(datetime(2027, 4, 28, 12, 0, tzinfo=UTC)) == date(2027, 4, 27)
    assert due(datetime(2027, 6, 2, 8, 30, tzinfo=UTC)) == date(2027, 6, 1)
    # Nothing from before the launch (or an extension's grant).
    late_launch = datetime(2027, 4, 6, 9, 0, tzinfo=UTC)
    assert (
        due_slot(all_, now=datetime(2027, 4, 19, tzinfo=UTC), after=late_launch, at=NINE_THIRTY, tz=TZ)
        is None
    )


def test_winter_reminders_are_at_0930_gmt() -> None:
    all_ = slots(date(2027, 2, 26), [0], weekly_after=False)
    launched = datetime(2027, 1, 1, tzinfo=UTC)
    assert (
        due_slot(all_, now=datetime(2027, 2, 26, 9, 29, tzinfo=UTC), after=launched, at=NINE_THIRTY, tz=TZ)
        is None
    )
    assert due_slot(all_, now=datetime(2027, 2, 26, 9, 30, tzinfo=UTC), after=launched, at=NINE_THIRTY, tz=TZ)


def test_rotation_cohort_escalation_and_lateness() -> None:
    assert cohort_for_year(2027, "odd") == "statutory"
    assert cohort_for_year(2028, "odd") == "non-statutory"
    assert cohort_for_year(2027, "even") == "non-statutory"
    assert cohort_for_year(2028, "even") == "statutory"
    assert escalation_day(date(2027, 5, 4), 7) == date(2027, 5, 11)
    assert escalation_day(date(2027, 5, 24), 7) == date(2027, 6, 1)
    assert days_late(date(2027, 5, 4), date(2027, 5, 11)) == 7
    assert days_late(date(2027, 5, 4), date(2027, 5, 4)) == 0


def test_substitute_from_the_seven_day_reminder() -> None:
    deadline = date(2027, 5, 4)
    assert not substitute_due(Slot(date(2027, 4, 20), deadline))
    assert substitute_due(Slot(date(2027, 4, 27), deadline))
    assert substitute_due(Slot(date(2027, 5, 11), deadline))
    # Deadline Tue 6 Apr 2027: seven days before is Tue 30 Mar (a working day).
    assert substitute_due(Slot(date(2027, 3, 30), date(2027, 4, 6)))
    # Deadline Mon 5 Apr 2027 (Easter Monday week): 7 days before is Mon 29 Mar, a bank
    # holiday, so the 7-day reminder is on Thu 25 Mar and the substitute is already copied in.
    assert substitute_due(Slot(date(2027, 3, 25), date(2027, 4, 5)))
    assert not substitute_due(Slot(date(2027, 3, 24), date(2027, 4, 5)))
