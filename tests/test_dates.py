from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from commands.dates import (
    at_local,
    format_date,
    is_working_day,
    next_working_day,
    parse_date,
    previous_working_day,
    working_days_before,
)
from commands.errors import UsageError

NOW = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)  # a Thursday
TZ = "Europe/London"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12/03/2027", date(2027, 3, 12)),
        ("12 Mar 2027", date(2027, 3, 12)),
        ("1/2/27", date(2027, 2, 1)),
        ("in 2 weeks", date(2026, 12, 10)),
        ("end of March", date(2027, 3, 31)),
        ("end of February 2028", date(2028, 2, 29)),
        ("end of month", date(2026, 11, 30)),
        ("tomorrow", date(2026, 11, 27)),
        ("next Friday", date(2026, 11, 27)),
    ],
)
def test_uk_and_natural_dates(text: str, expected: date) -> None:
    assert parse_date(text, NOW, TZ) == expected


@pytest.mark.parametrize(
    ("text", "says"),
    [("31/02/2027", "February 2027 has 28 days"), ("12/13/2027", "no month 13"), ("soonish", "not a date")],
)
def test_impossible_dates_are_explained(text: str, says: str) -> None:
    with pytest.raises(UsageError) as e:
        parse_date(text, NOW, TZ)
    assert says in e.value.problem


def test_display_form() -> None:
    assert format_date(date(2027, 3, 12)) == "12 Mar 2027"


def test_bank_holidays_england_and_wales_2027() -> None:
    for d in [
        date(2027, 1, 1),
        date(2027, 3, 26),
        date(2027, 3, 29),
        date(2027, 5, 3),
        date(2027, 5, 31),
        date(2027, 8, 30),
        date(2027, 12, 27),
        date(2027, 12, 28),
    ]:
        assert not is_working_day(d), d
    assert is_working_day(date(2027, 5, 4))
    assert previous_working_day(date(2027, 5, 3)) == date(2027, 4, 30)
    assert next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)


def test_working_days_before_skips_weekends_and_holidays() -> None:
    assert working_days_before(date(2027, 1, 14), 3) == date(2027, 1, 11)  # Thu -> Mon
    assert working_days_before(date(2027, 5, 6), 3) == date(2027, 4, 30)  # over the May bank holiday


def test_local_times_follow_summer_time() -> None:
    assert at_local(date(2027, 1, 14), datetime.strptime("09:30", "%H:%M").time(), TZ).hour == 9
    assert at_local(date(2027, 7, 14), datetime.strptime("09:30", "%H:%M").time(), TZ).hour == 8
