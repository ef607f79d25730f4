"""Dates through the command core: due dates look forward, summaries and reports look back,
agendas look ahead, and an unreadable date after `due` is refused, never kept as text."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main as qabot
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.errors import ConfigError
from store.db import make_engine, migrate, session_factory, transaction
from store.models import Action
from tests.conftest import FIXTURES, LONDON, Say, load_board

TERMS_YAML = """
terms:
  - {name: Autumn, starts: 2026-09-03, ends: 2026-12-18}
  - {name: Spring, starts: 05/01/2027, ends: 26/03/2027}
"""


def london(year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LONDON)


def only_action(board: sessionmaker[Session]) -> Action:
    with board() as s:
        return s.scalars(select(Action)).one()


def test_due_14_jan_on_14_jan_is_questioned(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    clock.set(london(2027, 1, 14, 9, 0))
    r = say("qa", "/action add Circulate the neglect dataset @pol due 14 Jan")
    assert not r.ok and r.lines[0].startswith("14 Jan 2027 is today — did you mean 14 Jan 2028?")
    assert r.lines[1] == "Usage:"
    assert say("qa", "/action add Circulate the neglect dataset @pol due 14/01/2028").ok
    assert only_action(board).due_date == date(2028, 1, 14)


def test_summary_after_the_meeting_finds_todays_meeting(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    clock.set(london(2027, 1, 14, 9, 0))
    assert say("qa", "/action add Bring the dataset @pol meeting 14 Jan").ok  # nearest: today
    preview = say("qa", "/qa agenda 14 Jan")  # before it starts: the coming one, today
    assert preview.ok and "QA&E sub-group" in (preview.title or "")
    clock.set(london(2027, 1, 14, 12, 0))
    r = say("ic", "/qa summary 14 Jan")
    assert r.ok and "14 Jan 2027" in (r.title or ""), r.lines
    assert r.data["refs"] == ["A-1"]


def test_a_meeting_added_for_later_today_without_a_year(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    clock.set(london(2027, 1, 14, 8, 0))
    r = say("qa", "/qa meeting add challenge 14/1 15:00 Year 9 challenge event")
    assert r.ok and r.lines[0].startswith("Thu 14 Jan 2027 15:00"), r.lines


def test_summary_the_day_after_finds_the_meeting_just_held(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    clock.set(london(2027, 5, 21, 9, 0))
    r = say("ic", "/qa summary 20 May")
    assert r.ok and "20 May 2027" in (r.title or "")
    missing = say("ic", "/qa summary 21 May")
    assert "There is no meeting on 21 May 2027 or 21 May 2028" in missing.lines[0]


def test_report_cli_the_day_after_finds_the_meeting_just_held(
    sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = make_engine(sqlite_url)
    migrate(engine)
    load_board(session_factory(engine), FixedClock(london(2026, 11, 26, 10, 0)))
    engine.dispose()
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    out = tmp_path / "s11-panel.docx"
    assert qabot(["report", "--meeting", "20 May", "--out", str(out), "--now", "2027-05-21T09:00"]) == 0
    assert "Section 11 scrutiny panel, Thu 20 May 2027" in capsys.readouterr().out
    assert qabot(["report", "--meeting", "20 May soon", "--out", str(out), "--now", "2027-05-21T09:00"]) == 2
    assert '--meeting: "soon" is not part of a date' in capsys.readouterr().err


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("by next fri", date(2026, 11, 27)),  # said on a Thursday: the first Friday after today
        ("by Friday week", date(2026, 12, 4)),
        ("due 1st April", date(2027, 4, 1)),
        ("due tomorrow", date(2026, 11, 27)),
        ("due christmas eve", date(2026, 12, 24)),
    ],
)
def test_phrases_after_due_or_by_are_understood_and_shown(
    say: Say, board: sessionmaker[Session], phrase: str, due: date
) -> None:
    r = say("qa", f"/action add Send the dataset to the panel {phrase} @pol")
    assert r.ok and f"due {due:%-d %b %Y}" in r.lines[0]
    assert only_action(board).text == "Send the dataset to the panel"


@pytest.mark.parametrize(
    ("phrase", "says"),
    [
        ("due yesterday", "The due date 25 Nov 2026 is in the past."),
        ("due end of term", "names no term dates"),
        ("due end of trm", '"end of trm" is not a date I understand: use a date such as "12/03/2027"'),
        ("due May", '"May" names a month, not a day'),
        ("by 31/02/2027", "February 2027 has 28 days"),
    ],
)
def test_date_phrases_not_understood_are_refused_by_name(
    say: Say, board: sessionmaker[Session], phrase: str, says: str
) -> None:
    r = say("qa", f"/action add Send the dataset {phrase}")
    assert not r.ok and says in r.lines[0]
    with board() as s:
        assert s.scalars(select(Action)).first() is None


@pytest.mark.parametrize(
    "text",
    [
        "Delayed due to staffing",
        "Review led by the police",
        "Report written by May Smith",
        "Chase the due diligence",
    ],
)
def test_due_and_by_in_ordinary_prose_stay_text(say: Say, board: sessionmaker[Session], text: str) -> None:
    r = say("qa", f"/action add {text} @pol")
    assert r.ok and only_action(board).text == text and only_action(board).due_date is None


def test_end_of_term_from_the_board_file(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    bf = parse_board_file((FIXTURES / "board.yaml").read_text() + TERMS_YAML, name="board.yaml")
    with transaction(board) as s:
        import_board(s, bf, clock.now())
    r = say("qa", "/action add Refresh the schools audit @school due end of term")
    assert r.ok and "due 18 Dec 2026" in r.lines[0]
    r = say("qa", "/action add Share the learning @school due end of the spring term")
    assert r.ok and "due 26 Mar 2027" in r.lines[0]


@pytest.mark.parametrize(
    ("terms", "says"),
    [
        (
            "  - {name: Autumn, starts: 2026-12-18, ends: 2026-09-03}\n",
            "line 25: terms.0: term 'Autumn' ends",
        ),
        (
            "  - {name: Autumn, starts: 2026-09-03, ends: 2026-12-18}\n  - {name: Winter, starts: 2026-12-01, ends: 2027-01-10}\n",
            "terms 'Autumn' and 'Winter' overlap",
        ),
        ("  - {name: Autumn, starts: 2026-09-03, finishes: 2026-12-18}\n", "terms.0.finishes: unknown key"),
    ],
)
def test_term_dates_are_validated_with_the_line(terms: str, says: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_board_file((FIXTURES / "board.yaml").read_text() + "terms:\n" + terms, name="board.yaml")
    assert says in str(e.value)


def test_s11_deadlines_on_a_weekend_or_bank_holiday_are_accepted_with_a_note(
    say: Say, board: sessionmaker[Session]
) -> None:
    r = say("qa", "/s11 launch 2027 deadline 15/05/2027")
    assert r.ok and r.title == "Launched Section 11 2027 (statutory): deadline 15 May 2027"
    assert "Note: Sat 15 May 2027 is a Saturday, not a working day" in r.lines[-1]
    r = say("qa", "/s11 extend Surrey Police 31/05/2027")
    assert r.ok and "bank holiday (Spring Bank Holiday)" in r.lines[-1]
    r = say("qa", "/s11 extend Surrey Health 01/06/2027")
    assert r.ok and not any(line.startswith("Note:") for line in r.lines)
