"""Dates the way people mean them: each phrase read at three instants, in the direction of the
command that would use it (issue 15). Expected is a date or the words of the refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commands.dates import (
    Direction,
    Term,
    deadline_note,
    lookup_days,
    parse_date,
    parse_datetime,
    read_leading,
    starts_like_date,
)
from commands.errors import UsageError
from tests.conftest import LONDON

TZ = "Europe/London"
THURSDAY = datetime(2026, 11, 26, 10, 0, tzinfo=LONDON)  # an ordinary Thursday
MEETING_DAY = datetime(2027, 1, 14, 10, 0, tzinfo=LONDON)  # a Thursday, the sub-group meets
DAY_AFTER = datetime(2027, 5, 21, 9, 0, tzinfo=LONDON)  # a Friday, after the 20 May S11 panel
TERMS = (
    Term(name="Autumn", starts=date(2026, 9, 3), ends=date(2026, 12, 18)),
    Term(name="Spring", starts=date(2027, 1, 5), ends=date(2027, 3, 26)),
    Term(name="Summer", starts=date(2027, 4, 12), ends=date(2027, 7, 21)),
)

Expected = date | str  # a str is part of the refusal

# phrase, direction, then what it means on THURSDAY, MEETING_DAY and DAY_AFTER
TABLE: list[tuple[str, Direction, Expected, Expected, Expected]] = [
    (
        "14 Jan",
        "forward",
        date(2027, 1, 14),
        "14 Jan 2027 is today — did you mean 14 Jan 2028?",
        date(2028, 1, 14),
    ),
    ("14 Jan", "backward", "14 Jan 2027 is 49 days away", date(2027, 1, 14), date(2027, 1, 14)),
    (
        "20 May",
        "forward",
        date(2027, 5, 20),
        date(2027, 5, 20),
        "20 May 2027 was 1 day ago — did you mean 20 May 2028?",
    ),
    ("20 May", "backward", date(2026, 5, 20), date(2026, 5, 20), date(2027, 5, 20)),
    ("1st April", "forward", date(2027, 4, 1), date(2027, 4, 1), "1 Apr 2027 was 50 days ago"),
    ("14th of January 2028", "forward", date(2028, 1, 14), date(2028, 1, 14), date(2028, 1, 14)),
    ("14/1", "forward", date(2027, 1, 14), "is today", date(2028, 1, 14)),
    ("Thu 14 Jan", "forward", date(2027, 1, 14), "is today", "14 Jan 2028 is a Friday, not a Thursday"),
    ("Fri 14 Jan", "forward", "14 Jan 2027 is a Thursday, not a Friday", "is today", date(2028, 1, 14)),
    ("next fri", "forward", date(2026, 11, 27), date(2027, 1, 15), date(2027, 5, 28)),
    ("Friday", "forward", date(2026, 11, 27), date(2027, 1, 15), date(2027, 5, 21)),
    ("Friday", "backward", date(2026, 11, 20), date(2027, 1, 8), date(2027, 5, 21)),
    ("this Friday", "forward", date(2026, 11, 27), date(2027, 1, 15), date(2027, 5, 21)),
    ("Friday week", "forward", date(2026, 12, 4), date(2027, 1, 22), date(2027, 5, 28)),
    ("last Friday", "backward", date(2026, 11, 20), date(2027, 1, 8), date(2027, 5, 14)),
    ("Thursday", "backward", date(2026, 11, 26), date(2027, 1, 14), date(2027, 5, 20)),
    ("tomorrow", "forward", date(2026, 11, 27), date(2027, 1, 15), date(2027, 5, 22)),
    ("yesterday", "forward", date(2026, 11, 25), date(2027, 1, 13), date(2027, 5, 20)),
    ("christmas eve", "forward", date(2026, 12, 24), "24 Dec 2026 was 21 days ago", date(2027, 12, 24)),
    ("Christmas Eve 2027", "forward", date(2027, 12, 24), date(2027, 12, 24), date(2027, 12, 24)),
    ("boxing day", "forward", date(2026, 12, 26), "26 Dec 2026 was 19 days ago", date(2027, 12, 26)),
    ("good friday", "forward", date(2027, 3, 26), date(2027, 3, 26), "26 Mar 2027 was 56 days ago"),
    ("end of term", "forward", date(2026, 12, 18), date(2027, 3, 26), date(2027, 7, 21)),
    ("end of term", "backward", date(2026, 12, 18), date(2026, 12, 18), date(2027, 3, 26)),
    ("the end of the spring term", "forward", date(2027, 3, 26), date(2027, 3, 26), date(2027, 3, 26)),
    ("start of next term", "forward", date(2027, 1, 5), date(2027, 4, 12), "no term after today"),
    (
        "end of winter term",
        "forward",
        'No term in the board file is called "winter term"',
        "Autumn",
        "Spring",
    ),
    ("end of March", "forward", date(2027, 3, 31), date(2027, 3, 31), "31 Mar 2027 was 51 days ago"),
    ("end of month", "forward", date(2026, 11, 30), date(2027, 1, 31), date(2027, 5, 31)),
    ("end of the week", "forward", date(2026, 11, 27), date(2027, 1, 15), date(2027, 5, 21)),
    ("end of the financial year", "forward", date(2027, 3, 31), date(2027, 3, 31), "was 51 days ago"),
    ("in 2 weeks", "forward", date(2026, 12, 10), date(2027, 1, 28), date(2027, 6, 4)),
    ("in a fortnight", "forward", date(2026, 12, 10), date(2027, 1, 28), date(2027, 6, 4)),
    ("a week today", "forward", date(2026, 12, 3), date(2027, 1, 21), date(2027, 5, 28)),
    ("the 5th", "forward", date(2026, 12, 5), date(2027, 2, 5), date(2027, 6, 5)),
    (
        "the 14th",
        "forward",
        date(2026, 12, 14),
        "14 Jan 2027 is today — did you mean 14 Feb 2027?",
        "14 May 2027 was 7 days ago",
    ),
    (
        "next week",
        "forward",
        '"next week" is not a day: say "end of next week" (Fri 4 Dec 2026)',
        "is not a day",
        "is not a day",
    ),
    ("end-of-term", "forward", date(2026, 12, 18), date(2027, 3, 26), date(2027, 7, 21)),
    ("close of play", "forward", date(2026, 11, 26), date(2027, 1, 14), date(2027, 5, 21)),
    ("mid-March", "forward", '"mid-March" is not a date I understand', "not a date", "not a date"),
    (
        "May",
        "forward",
        'names a month, not a day: say which day, e.g. "1 May" or "end of May"',
        "1 May",
        "1 May",
    ),
    ("29 Feb", "forward", date(2028, 2, 29), date(2028, 2, 29), date(2028, 2, 29)),
    ("31/02/2027", "forward", "February 2027 has 28 days", "February 2027 has 28 days", "has 28 days"),
    ("31 April", "forward", "April has no day 31", "April has no day 31", "April has no day 31"),
    ("soonish", "forward", '"soonish" is not a date I understand', "not a date", "not a date"),
]


@pytest.mark.parametrize(("text", "direction", "thursday", "meeting_day", "day_after"), TABLE)
def test_phrases_at_three_instants(
    text: str, direction: Direction, thursday: Expected, meeting_day: Expected, day_after: Expected
) -> None:
    for now, expected in ((THURSDAY, thursday), (MEETING_DAY, meeting_day), (DAY_AFTER, day_after)):
        if isinstance(expected, date):
            assert parse_date(text, now, TZ, direction=direction, terms=TERMS) == expected, now
        else:
            with pytest.raises(UsageError) as e:
                parse_date(text, now, TZ, direction=direction, terms=TERMS)
            assert expected in e.value.problem, (now, e.value.problem)


def test_end_of_term_without_term_dates_says_how_to_add_them() -> None:
    with pytest.raises(UsageError) as e:
        parse_date("end of term", THURSDAY, TZ)
    assert "names no term dates" in e.value.problem and "terms: [{name: Autumn" in e.value.problem


def test_the_refusal_carries_the_usage() -> None:
    with pytest.raises(UsageError) as e:
        parse_date("14 Jan", MEETING_DAY, TZ, usage="/action add …")
    assert e.value.usage == "/action add …"


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("to staffing", False),
        ("diligence notes", False),
        ("the council", False),
        ("may slip", False),
        ("in part", False),
        ("end-of-term", True),
        ("this afternoon", True),
        ("week commencing 5 Jan", True),
        ("next fri", True),
        ("1st April", True),
        ("tomorrow", True),
        ("yesterday", True),
        ("end of term", True),
        ("christmas eve", True),
        ("May 2027", True),
        ("May", True),
        ("the 14th", True),
        ("on Friday", True),
        ("in 2 weeks", True),
        ("a week on Friday", True),
        ("mid March", True),
        ("good friday", True),
        ("new year's day", True),
    ],
)
def test_what_counts_as_an_attempt_at_a_date(words: str, expected: bool) -> None:
    assert starts_like_date(words.split()) is expected


def test_leading_phrase_and_words_used() -> None:
    reading, used = read_leading(["next", "fri", "to", "the", "panel"], THURSDAY, TZ)
    assert used == 2 and reading.candidates == (date(2026, 11, 27),)
    reading, used = read_leading(["end", "of", "term", "for", "the", "panel"], THURSDAY, TZ, terms=TERMS)
    assert used == 3


def test_meeting_lookups_try_the_direction_first_then_the_other_side() -> None:
    reading, _ = read_leading(["20", "May"], DAY_AFTER, TZ)
    assert lookup_days(reading, DAY_AFTER.date(), "backward") == [date(2027, 5, 20), date(2028, 5, 20)]
    assert lookup_days(reading, DAY_AFTER.date(), "forward") == [date(2028, 5, 20), date(2027, 5, 20)]
    reading, _ = read_leading(["14", "Jan"], MEETING_DAY, TZ)
    assert lookup_days(reading, MEETING_DAY.date(), "forward")[0] == date(2027, 1, 14)


def test_meeting_times_without_a_year_include_later_today() -> None:
    early = datetime(2027, 1, 14, 8, 0, tzinfo=LONDON)
    assert parse_datetime("14 Jan 10:00", early, TZ) == datetime(2027, 1, 14, 10, 0, tzinfo=UTC)
    assert parse_datetime("next Thursday 2pm", early, TZ) == datetime(2027, 1, 21, 14, 0, tzinfo=UTC)
    assert parse_datetime("14/07/2027 at 9.30am", early, TZ) == datetime(2027, 7, 14, 8, 30, tzinfo=UTC)
    assert parse_datetime("20 May", early, TZ, default_time=time(9, 0)) == datetime(
        2027, 5, 20, 8, 0, tzinfo=UTC
    )
    with pytest.raises(UsageError):
        parse_datetime("10 Jan 10:00", early, TZ)  # four days ago: asked, not moved to 2028


@pytest.mark.parametrize(
    ("day", "says"),
    [
        (date(2027, 5, 15), "Note: Sat 15 May 2027 is a Saturday, not a working day"),
        (date(2027, 5, 3), "is a bank holiday (May Day), not a working day"),
        (date(2027, 5, 3), "the last working day before it is Fri 30 Apr 2027"),
        (date(2027, 12, 27), "Christmas Day (observed)"),
    ],
)
def test_deadline_on_a_non_working_day_gets_a_note(day: date, says: str) -> None:
    note = deadline_note(day)
    assert note is not None and says in note and "accepted as the deadline" in note


def test_no_note_for_a_working_day() -> None:
    assert deadline_note(date(2027, 5, 4)) is None


def test_fast_path_keeps_dateparser_out_of_common_phrases(monkeypatch: pytest.MonkeyPatch) -> None:
    """dateparser costs ~1 ms a call; `/action add` parsing was measured at 2 ms in all."""
    from commands.dates import reading

    def refuse(*args: object) -> None:
        raise AssertionError(f"dateparser was asked about {args[0]!r}")

    monkeypatch.setattr(reading, "dateparse", refuse)
    common = ("14/01/2027", "14 Jan 2027", "next fri", "1st April", "tomorrow", "end of March")
    for text in (*common, "in 2 weeks", "christmas eve", "Friday week"):
        parse_date(text, THURSDAY, TZ)


_VOCABULARY = ["14", "31", "0", "29", "02", "/", "1st", "the", "of", "end", "start", "next", "this", "last"]
_VOCABULARY += ["Friday", "week", "in", "a", "2", "weeks'", "time", "Jan", "May", "2027", "0000", "christmas"]
_VOCABULARY += ["eve", "term", "spring", "today", "yesterday", "14/1", "31/02/2027", "9999-12-31", "12.03.27"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_VOCABULARY) | st.text(max_size=8), min_size=1, max_size=7))
def test_any_words_give_a_date_or_a_usage_answer(words: list[str]) -> None:
    directions: tuple[Direction, ...] = ("forward", "backward", "nearest")
    for direction in directions:
        try:
            parse_date(" ".join(words), DAY_AFTER, TZ, direction=direction, terms=TERMS)
            parse_datetime(" ".join(words), DAY_AFTER, TZ, direction=direction)
        except UsageError:
            pass
