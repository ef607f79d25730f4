"""The scorecard's foundation: periods as people write them, the RAG rule exactly as the issue
states it, measures in the board file refused in words, and the figures' store on both
databases (a lead reads their agencies' figures only; breaches without narrative)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import parse_board_file
from commands.board_measures import MeasureEntry
from commands.errors import ConfigError
from commands.kpi import periods, rag
from commands.kpi.breaches import breaches_without_narrative
from commands.kpi.periods import Period, PeriodError
from store import kpi as kpi_store
from store import members
from store.models import KpiFigure, KpiNarrative
from store.visibility import BOARD, Viewer
from tests.kpi.conftest import put_figure

FIXTURES = Path(__file__).parent.parent / "fixtures"
AT = datetime(2027, 1, 5, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "key", "label"),
    [
        ("2026-12", "2026-12", "Dec 2026"),
        ("Dec 2026", "2026-12", "Dec 2026"),
        ("december 2026", "2026-12", "Dec 2026"),
        ("12/2026", "2026-12", "Dec 2026"),
        ("2027-1", "2027-01", "Jan 2027"),
        ("Q3 2026-27", "2026-27-Q3", "Q3 2026-27"),
        ("q3 2026/27", "2026-27-Q3", "Q3 2026-27"),
        ("2026-27 Q4", "2026-27-Q4", "Q4 2026-27"),
        ("Q1 2026-2027", "2026-27-Q1", "Q1 2026-27"),
    ],
)
def test_periods_as_people_write_them(text: str, key: str, label: str) -> None:
    p = periods.parse_any(text)
    assert (p.key, p.label) == (key, label)
    assert periods.from_key(p.key, p.frequency) == p


def test_financial_year_quarters_start_in_april() -> None:
    q1, q3, q4 = (Period(2026, n, "quarterly") for n in (1, 3, 4))
    assert (q1.first_day, q1.last_day) == (date(2026, 4, 1), date(2026, 6, 30))
    assert (q3.first_day, q3.last_day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert (q4.first_day, q4.last_day) == (date(2027, 1, 1), date(2027, 3, 31))
    assert q4.next() == Period(2027, 1, "quarterly") and q1.previous() == Period(2025, 4, "quarterly")
    assert periods.containing(date(2027, 2, 14), "quarterly").label == "Q4 2026-27"
    assert periods.latest_ended(date(2027, 1, 5), "monthly").label == "Dec 2026"
    assert periods.latest_ended(date(2027, 1, 5), "quarterly").label == "Q3 2026-27"


@pytest.mark.parametrize(
    ("text", "frequency", "says"),
    [
        (
            "Q3 2026-27",
            "monthly",
            "Q3 2026-27 is a quarter, but Re-referrals is reported monthly: give a month",
        ),
        (
            "Dec 2026",
            "quarterly",
            "Dec 2026 is a month, but Re-referrals is reported quarterly: give a quarter",
        ),
        ("2026-13", "monthly", "months run from 1 to 12"),
        ("Decembre 2026", "monthly", '"decembre" is not a month'),
        ("Q3 2026-28", "quarterly", "the second year follows the first"),
        ("last month", "monthly", "is not a period: write a month as 2026-12 or Dec 2026"),
    ],
)
def test_a_wrong_period_says_what_was_wrong(text: str, frequency: periods.Frequency, says: str) -> None:
    with pytest.raises(PeriodError) as e:
        periods.parse(text, frequency, "Re-referrals")
    assert says in str(e.value)


LOWER = MeasureEntry(
    id="m", name="M", priority="cp", agency="A", polarity="lower", amber=22, red=25, frequency="monthly"
)
HIGHER = MeasureEntry(
    id="h", name="H", priority="cse", agency="A", polarity="higher", amber=80, red=70, frequency="quarterly"
)


@pytest.mark.parametrize(
    ("measure", "value", "colour"),
    [
        (LOWER, 25, "red"), (LOWER, 26, "red"), (LOWER, 24.9, "amber"), (LOWER, 22, "amber"), (LOWER, 21.9, "green"),
        (HIGHER, 70, "red"), (HIGHER, 60, "red"), (HIGHER, 70.1, "amber"), (HIGHER, 80, "amber"), (HIGHER, 80.5, "green"),
    ],
)  # fmt: skip
def test_rag_exactly_as_the_issue_states(measure: MeasureEntry, value: float, colour: str) -> None:
    assert rag.rag(measure, value) == colour


def test_trend_and_worse_twice_by_polarity() -> None:
    assert rag.arrow(LOWER, 20, 23) == "↑ worse" and rag.arrow(LOWER, 23, 20) == "↓ better"
    assert rag.arrow(HIGHER, 75, 85) == "↑ better" and rag.arrow(HIGHER, 85, 85) == "→ same"
    assert rag.worse_twice(LOWER, [10, 12, 14]) and not rag.worse_twice(LOWER, [10, 14, 12])
    assert rag.worse_twice(HIGHER, [95, 92, 91]) and not rag.worse_twice(HIGHER, [None, 92, 91])


BASE = (FIXTURES / "board.yaml").read_text()


@pytest.mark.parametrize(
    ("measure", "says"),
    [
        (
            "{id: x, name: X, priority: cp, agency: Surrey Police, polarity: lower, amber: 25, red: 22, frequency: monthly}",
            "lower is better, so amber (25) must be below red (22)",
        ),
        (
            "{id: x, name: X, priority: cp, agency: Surrey Police, polarity: higher, amber: 70, red: 80, frequency: monthly}",
            "higher is better, so amber (70) must be above red (80)",
        ),
        (
            "{id: x, name: X, priority: cp, agency: Kent Police, polarity: lower, amber: 1, red: 2, frequency: monthly}",
            'measure x: agency "Kent Police" is not one of the agencies',
        ),
        (
            "{id: x, name: X, priority: cp, agency: Surrey Police, polarity: lower, amber: 1, red: 2, frequency: weekly}",
            "frequency: expected 'monthly' or 'quarterly'",
        ),
        (
            "{id: x, name: X, priority: zz, agency: Surrey Police, polarity: lower, amber: 1, red: 2, frequency: monthly}",
            '"zz" is not a priority',
        ),
        (
            "{id: x, name: X, priority: cp, agency: Surrey Police, polarity: lower, amber: 1, red: 2, frequency: monthly,"
            " source: {workbook: a.xlsx, sheet: S, cell: 4C}}",
            '"4C" is not a cell',
        ),
    ],
)
def test_a_wrong_measure_is_refused_in_words(measure: str, says: str) -> None:
    with pytest.raises(ConfigError) as e:
        parse_board_file(BASE + f"measures:\n  - {measure}\n", "board.yaml")
    assert says in str(e.value)
    assert "board.yaml" in str(e.value)


def test_the_issue_shape_reads_and_old_board_files_keep_working() -> None:
    bf = parse_board_file((FIXTURES / "board_kpi.yaml").read_text())
    assert [m.id for m in bf.measures] == ["rereferrals", "return-interviews", "health-assessments"]
    assert bf.measures[0].priority == "Child Protection" and bf.measures[2].source == "chat"
    assert parse_board_file(BASE).measures == []


def test_store_figures_unique_and_seen_by_agency(board: sessionmaker[Session]) -> None:
    with board.begin() as db:
        put_figure(db, "rereferrals", "Surrey Children's Services", "2026-10", 20, AT)
        put_figure(db, "return-interviews", "Surrey Police", "2026-27-Q2", 82, AT)
    with pytest.raises(IntegrityError), board.begin() as db:
        put_figure(db, "rereferrals", "Surrey Children's Services", "2026-10", 21, AT)
    with board() as db:
        police = members.agency_by_name(db, "Surrey Police")
        assert police is not None
        lead = Viewer(member_id=None, agencies=frozenset({police.id}))
        assert [f.measure_id for f in kpi_store.figures(db, lead)] == ["return-interviews"]
        assert [f.measure_id for f in kpi_store.figures(db, BOARD)] == ["rereferrals", "return-interviews"]
        assert kpi_store.figure(db, "rereferrals", "2026-10", lead) is None
        assert kpi_store.figure(db, "rereferrals", "2026-10", BOARD) is not None
        assert kpi_store.periods_present(db, "rereferrals", ["2026-10", "2026-11"]) == {"2026-10"}


def test_breaches_without_narrative_as_the_digest_reads_them(board: sessionmaker[Session]) -> None:
    with board.begin() as db:
        cs = "Surrey Children's Services"
        put_figure(db, "rereferrals", cs, "2026-10", 15, AT)
        put_figure(db, "rereferrals", cs, "2026-11", 17, AT)
        put_figure(db, "rereferrals", cs, "2026-12", 19, AT)  # green, but worse twice running
        red = put_figure(db, "return-interviews", "Surrey Police", "2026-27-Q3", 65, AT)
        put_figure(db, "health-assessments", "Surrey Health", "2026-12", 95, AT)  # green: nothing
        db.add(
            KpiNarrative(figure_id=red.id, reason="red", asked_at=AT, thread_key="kpi:return-interviews:x")
        )
    with board() as db:
        b = members.board(db)
        assert b is not None
        found = breaches_without_narrative(db, b, BOARD)
        assert [(x.measure_id, x.period, x.reason, x.rag) for x in found] == [
            ("rereferrals", "Dec 2026", "worse twice", "green"),
            ("return-interviews", "Q3 2026-27", "red", "red"),
        ]
        assert found[1].asked_at == AT and found[0].asked_at is None
        assert (
            "Return interviews after a missing episode (Surrey Police), Q3 2026-27: 65% — RED"
            in found[1].shown
        )
        police = members.agency_by_name(db, "Surrey Police")
        assert police is not None
        lead = Viewer(member_id=None, agencies=frozenset({police.id}))
        assert [x.measure_id for x in breaches_without_narrative(db, b, lead)] == ["return-interviews"]
    with board.begin() as db:
        n = db.scalars(select(KpiNarrative)).one()
        n.text, n.answered_at = "A change of recording system in October.", AT
    with board() as db:
        b = members.board(db)
        assert b is not None
        assert [x.measure_id for x in breaches_without_narrative(db, b, BOARD)] == ["rereferrals"]
        assert db.scalars(select(KpiFigure)).all()
