"""Working days for the rapid review clocks: day 0 is the starting day, WD1 the next working
day; weekends, England and Wales bank holidays and the board's closure days are skipped."""

from __future__ import annotations

from datetime import date

import pytest

from commands.board_file import parse_board_file
from commands.errors import ConfigError
from commands.reviews.working_days import WorkingDays
from tests.conftest import FIXTURES

PLAIN = WorkingDays()
# A board that closes between Christmas and New Year.
CLOSED = WorkingDays.of([date(2027, 12, 29), date(2027, 12, 30), date(2027, 12, 31)])

# (calendar, start, n, WDn)
CASES = [
    # The case: aware on Thursday 25 March 2027, before Good Friday (26th) and Easter
    # Monday (29th): WD1 is Tuesday 30 March.
    (PLAIN, date(2027, 3, 25), 0, date(2027, 3, 25)),
    (PLAIN, date(2027, 3, 25), 1, date(2027, 3, 30)),
    (PLAIN, date(2027, 3, 25), 2, date(2027, 3, 31)),
    (PLAIN, date(2027, 3, 25), 5, date(2027, 4, 5)),
    (PLAIN, date(2027, 3, 25), 8, date(2027, 4, 8)),
    (PLAIN, date(2027, 3, 25), 10, date(2027, 4, 12)),
    (PLAIN, date(2027, 3, 25), 11, date(2027, 4, 13)),
    (PLAIN, date(2027, 3, 25), 14, date(2027, 4, 16)),
    (PLAIN, date(2027, 3, 25), 15, date(2027, 4, 19)),
    # Thursday before the August bank holiday weekend (Monday 30 August 2027).
    (PLAIN, date(2027, 8, 26), 1, date(2027, 8, 27)),
    (PLAIN, date(2027, 8, 26), 2, date(2027, 8, 31)),
    (PLAIN, date(2027, 8, 26), 5, date(2027, 9, 3)),
    # A start on a Saturday: day 0 is the Saturday, WD1 the Monday.
    (PLAIN, date(2027, 5, 8), 1, date(2027, 5, 10)),
    # Christmas: bank holidays on 27 and 28 December 2027 (Christmas Day and Boxing Day fall
    # on the weekend), then the board's closure days.
    (PLAIN, date(2027, 12, 23), 1, date(2027, 12, 24)),
    (PLAIN, date(2027, 12, 23), 2, date(2027, 12, 29)),
    (CLOSED, date(2027, 12, 23), 2, date(2028, 1, 4)),  # 3 January 2028 is a bank holiday
    (CLOSED, date(2027, 12, 23), 5, date(2028, 1, 7)),
]


@pytest.mark.parametrize(("cal", "start", "n", "expected"), CASES)
def test_wd_n(cal: WorkingDays, start: date, n: int, expected: date) -> None:
    assert cal.add(start, n) == expected
    assert cal.number(start, expected) == n


def test_a_day_off_counts_as_the_working_day_before_it() -> None:
    aware = date(2027, 3, 25)
    assert PLAIN.number(aware, date(2027, 3, 27)) == 0  # the Saturday of Easter
    assert PLAIN.number(aware, date(2027, 4, 3)) == 4  # the Saturday after WD4
    assert PLAIN.number(date(2027, 4, 5), aware) == -5


def test_working_days_late() -> None:
    due = date(2027, 4, 12)  # WD10 of a review opened 25 March 2027
    assert PLAIN.between(due, date(2027, 4, 12)) == 0
    assert PLAIN.between(due, date(2027, 4, 13)) == 1
    assert PLAIN.between(due, date(2027, 4, 19)) == 5
    assert PLAIN.between(due, date(2027, 4, 1)) == 0


def test_the_board_file_sets_closures_and_review_days() -> None:
    text = (FIXTURES / "board.yaml").read_text() + (
        "closures: [2027-12-29, 2027-12-30]\nreviews: {channel: qa, chase_days: [3, 7]}\n"
    )
    bf = parse_board_file(text, name="board.yaml")
    assert bf.closures == [date(2027, 12, 29), date(2027, 12, 30)]
    assert bf.reviews.chase_days == [3, 7] and bf.reviews.channel == "qa"


def test_a_review_channel_must_be_one_of_the_boards() -> None:
    text = (FIXTURES / "board.yaml").read_text() + "reviews: {channel: rapid-reviews}\n"
    with pytest.raises(ConfigError, match="rapid-reviews"):
        parse_board_file(text, name="board.yaml")
