"""Missing figures are chased from the owning agency on the frequency's due day (working day N
after the period ends: bank holidays and weekends skipped), once per period, and never when
the figure is in."""

from __future__ import annotations

from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.db import transaction
from store.models import Board
from tests.conftest import Say
from tests.section11.conftest import Tick, at, recorder, tick

__all__ = ["recorder", "tick"]


def _missing(sent: list) -> list[tuple[str, str]]:  # type: ignore[type-arg]
    return sorted((s.post.reply.data["measure"], s.channel) for s in sent if s.kind == "kpi_missing")


def test_a_missing_monthly_figure_is_chased_on_its_due_day_once(
    clock: FixedClock, say: Say, tick: Tick
) -> None:
    at(clock, "2027-01-06T10:00")
    assert say("cs", "/kpi set rereferrals Dec 2026 20").ok  # in before it is due: never chased
    assert _missing(tick("2027-01-14T09:30")) == []  # working day 9 after December
    sent = tick("2027-01-15T09:30")  # working day 10 (1 January was a bank holiday)
    assert _missing(sent) == [("health-assessments", "#Surrey Health")]
    (post,) = [s for s in sent if s.kind == "kpi_missing"]
    assert (
        "Surrey Health's figure for Initial health assessments in 20 working days, Dec 2026, was due on "
        "15 Jan 2027 and is not in yet." in post.text
    )
    assert "Enter it with /kpi set health-assessments Dec 2026 <value>." in post.text
    assert "For the attention of Designated Nurse (@nhs)." in post.text
    assert _missing(tick("2027-01-15T15:00")) == []
    assert _missing(tick("2027-01-18T09:30")) == []


def test_a_quarterly_workbook_figure_is_chased_on_working_day_20(tick: Tick) -> None:
    sent = [s for s in tick("2027-01-29T09:30") if s.post.reply.data.get("measure") == "return-interviews"]
    assert _missing(tick("2027-01-28T09:30")) == []
    (post,) = sent
    assert post.channel == "#Surrey Police" and "Q3 2026-27" in post.text
    assert "It is read from the workbook Performance/Scorecard 2027.xlsx (sheet Police, cell C4)" in post.text


def test_bank_holidays_are_not_due_days(board: sessionmaker[Session], tick: Tick) -> None:
    with transaction(board) as s:
        row = s.get(Board, 1)
        assert row is not None
        row.config = {**row.config, "kpi": {"monthly_due": 1}}
    november = tick("2026-12-31T09:30")  # November's and Q2's figures were due long ago
    assert {s.post.reply.data["period"] for s in november} == {"2026-11", "2026-27-Q2"}
    assert _missing(tick("2027-01-01T09:30")) == []  # New Year's Day: no tick work at all
    assert _missing(tick("2027-01-04T09:30")) == [
        ("health-assessments", "#Surrey Health"),
        ("rereferrals", "#Surrey Children's Services"),
    ]
