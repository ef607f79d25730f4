"""/kpi set through the console core, as the owning agency's lead, the QA officer and others
would type it: the RAG in words, the trend against the period before, what happens next; a
correction audited old → new; bad lines answered with what was wrong and nothing written."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import AuditEvent, KpiFigure, KpiNarrative, OutboxMessage
from tests.conftest import Say
from tests.section11.conftest import Tick, at, recorder, tick

__all__ = ["recorder", "tick"]

SET = "/kpi set <measure id or name> <period> <value> [note <text>]"


def _count(board: sessionmaker[Session], model: type) -> int:
    with board() as db:
        return int(db.scalar(select(func.count()).select_from(model)) or 0)


def test_a_red_figure_says_so_in_words_and_asks_the_lead(
    clock: FixedClock, say: Say, tick: Tick, board: sessionmaker[Session]
) -> None:
    at(clock, "2027-01-05T10:00")
    reply = say("cs", "/kpi set rereferrals Dec 2026 26 note Two large sibling groups re-referred")
    assert reply.ok, reply.text()
    text = reply.text()
    assert reply.title == "Re-referrals within 12 months, Dec 2026: 26% — RED"
    assert "No figure for Nov 2026 to compare with." in text
    assert (
        "Because it is RED, Children's Services Lead (@cs) is asked in a thread what lies behind it" in text
    )
    assert "The figure for Jan 2027 is due by 12 Feb 2027." in text  # working day 10 after 31 Jan
    with board() as db:
        f = db.scalars(select(KpiFigure)).one()
        assert (f.measure_id, f.period, f.value, f.source) == ("rereferrals", "2026-12", 26.0, "chat")
        assert f.note == "Two large sibling groups re-referred"
        n = db.scalars(select(KpiNarrative)).one()
        assert (n.reason, n.thread_key, n.text) == ("red", "kpi:rereferrals:2026-12", None)
    (asked,) = [s for s in tick("2027-01-05T10:01") if s.kind == "kpi_ask"]
    assert asked.channel == "#Surrey Children's Services"
    assert "Re-referrals within 12 months for Dec 2026 is 26%: RED (red at 25% or above" in asked.text
    assert "For the attention of Children's Services Lead (@cs)." in asked.text


def test_the_trend_against_the_period_before_and_a_green_figure_needs_nothing(
    say: Say, clock: FixedClock
) -> None:
    at(clock, "2027-01-05T10:00")
    assert say("qa", "/kpi set rereferrals 2026-11 21").ok
    reply = say("cs", "/kpi set Re-referrals within 12 months December 2026 19.5")
    assert reply.title == "Re-referrals within 12 months, Dec 2026: 19.5% — GREEN"
    assert "Trend: ↓ better than Nov 2026 (21%)." in reply.text()
    assert "Nothing more is needed for it: no narrative is asked for." in reply.text()
    reply = say("nhs", "/kpi set health-assessments Dec 2026 85%")
    assert reply.title == "Initial health assessments in 20 working days, Dec 2026: 85% — AMBER"
    quarterly = say("pol", "/kpi set return-interviews Q3 2026-27 82")
    assert quarterly.title == "Return interviews after a missing episode, Q3 2026-27: 82% — GREEN"
    assert "The figure for Q4 2026-27 is due by" in quarterly.text()


def test_a_correction_is_audited_old_to_new(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    at(clock, "2027-01-05T10:00")
    assert say("cs", "/kpi set rereferrals Dec 2026 26").ok
    again = say("cs", "/kpi set rereferrals Dec 2026 26")
    assert "already recorded" in again.text() and "Nothing was changed." in again.text()
    reply = say("qa", "/kpi set rereferrals 2026-12 24 note Recount after the data cleanse")
    assert "Corrected: Dec 2026 was 26%, now 24%." in reply.text()
    assert reply.title == "Re-referrals within 12 months, Dec 2026: 24% — AMBER"
    assert "Its narrative was asked for on 5 Jan 2027; still awaited." in reply.text()
    with board() as db:
        f = db.scalars(select(KpiFigure)).one()
        assert (f.value, f.note) == (24.0, "Recount after the data cleanse")
        (event,) = db.scalars(select(AuditEvent).where(AuditEvent.verb == "corrected")).all()
        assert event.before == {"value": 26.0, "note": None, "source": "chat"}
        assert event.after == {"value": 24.0, "note": "Recount after the data cleanse", "source": "chat"}
    assert _count(board, KpiNarrative) == 1  # asked once, not again on the correction


def test_who_may_enter_a_figure(say: Say, clock: FixedClock, board: sessionmaker[Session]) -> None:
    at(clock, "2027-01-05T10:00")
    other = say("pol", "/kpi set rereferrals Dec 2026 20")  # another agency's measure: not found
    assert not other.ok and '"rereferrals" is not a measure' in other.text()
    assert "Measures: return-interviews." in other.text()
    member = say("bm", "/kpi set rereferrals Dec 2026 20")
    assert not member.ok
    assert "Only Surrey Children's Services's people, the chair or the QA officer" in member.text()
    deputy = say("pol2", "/kpi set return-interviews Q3 2026-27 75")
    assert deputy.ok, deputy.text()
    assert _count(board, KpiFigure) == 1


def test_bad_lines_say_what_was_wrong_and_write_nothing(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    at(clock, "2027-01-05T10:00")
    cases = {
        "/kpi set rereferrals Q3 2026-27 20": "Q3 2026-27 is a quarter, but Re-referrals within 12 months is "
        "reported monthly: give a month",
        "/kpi set return-interviews Dec 2026 80": "Dec 2026 is a month",
        "/kpi set rereferrals Dec 2026 lots": '"lots" is not a number',
        "/kpi set rereferals Dec 2026 3": "Did you mean rereferrals?",
        "/kpi set rereferrals 3": "Say the measure, the period and the value",
        "/kpi set rereferrals Dec 2026 20 note": "Say the note after the word note",
        "/kpi set rereferrals Feb 2027 20": "Feb 2027 has not begun yet",
        "/kpi set rereferrals Dec 2026 20 note Jayden Smith DOB 04.05.2015 re-referred": "could identify a child",
    }
    for line, says in cases.items():
        reply = say("qa", line)
        assert not reply.ok, line
        assert says in reply.text(), (line, reply.text())
        assert SET in reply.text(), line
    assert _count(board, KpiFigure) == 0 and _count(board, KpiNarrative) == 0
    assert _count(board, OutboxMessage) == 0


def test_help_lists_the_kpi_commands(say: Say) -> None:
    text = say("qa", "/kpi help").text()
    assert SET in text and "/kpi [scorecard]" in text and "/kpi <measure id or name>" in text
