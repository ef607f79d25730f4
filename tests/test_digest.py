"""The weekly digest: quiet when nothing needs action, only what is late when something is,
once per week whatever the ticks, restarts, outages or bank holidays (docs/operations.md)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher
from bot.tick import run_tick
from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.digest import health
from commands.errors import ConfigError
from store.db import make_engine, session_factory, transaction
from store.models import AuditEvent, Board, DigestRun, OutboxMessage
from tests.conftest import FIXTURES, LONDON, Say, load_board
from tests.section11.conftest import Answer, RecordingSender, Sent, Tick, answer, at, recorder

__all__ = ["answer", "recorder"]  # the Section 11 fakes: a recording sender, thread replies


@pytest.fixture
def tick(board: sessionmaker[Session], clock: FixedClock, recorder: RecordingSender) -> Tick:
    """tick("2026-11-30T08:30") → every post that tick sent, the digest's included (London time)."""

    def _tick(when: str) -> list[Sent]:
        clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
        before = len(recorder.sent)
        run_tick(board, clock, Dispatcher(board, {"console": recorder}, clock), ("console",))
        return recorder.sent[before:]

    return _tick


def digests(sent: list[Sent]) -> list[Sent]:
    return [s for s in sent if s.kind == "digest"]


def runs(sessions: sessionmaker[Session]) -> list[tuple[str, str, int, int, str | None]]:
    with sessions() as s:
        rows = s.scalars(select(DigestRun).order_by(DigestRun.id))
        return [(r.week, r.outcome, r.items, r.sent_to, r.note) for r in rows]


def digest_rows(sessions: sessionmaker[Session]) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "digest").order_by(OutboxMessage.id)
        )
        return [(r.key, r.channel, r.status) for r in rows]


def overdue_action(clock: FixedClock, say: Say) -> str:
    """One action logged on 2 Nov 2026, due on Fri 20 Nov: 10 days overdue on Mon 30 Nov."""
    at(clock, "2026-11-02T10:00")
    reply = say("qa", "/action add Review the MASH triage audit @pol due 20/11/2026 #cp")
    assert reply.ok, reply.text()
    return str(reply.data["ref"])


def test_a_week_with_nothing_late_sends_nothing_and_the_run_is_recorded(
    tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    assert digests(tick("2026-11-30T08:29")) == []  # Monday, a minute early: not yet run
    assert runs(board) == []
    assert digests(tick("2026-11-30T08:30")) == []  # nothing needs action: nothing is sent
    assert runs(board) == [("2026-W49", "nothing", 0, 0, None)]
    assert digest_rows(board) == []
    with board() as s:
        (event,) = s.scalars(select(AuditEvent).where(AuditEvent.entity == "digest"))
    assert (
        event.after is not None and event.after["said"] == "digest for week 2026-W49: nothing needed action"
    )

    shown = say("ic", "/qa digest")
    assert "Nothing needs action: if the digest went now, nothing would be sent." in shown.lines
    assert (
        "Last digest: week 2026-W49, computed 30 Nov 2026 08:30: nothing needed action, so nothing was sent."
        in shown.lines
    )
    assert ("Next digest", "7 Dec 2026 08:30") in shown.fields
    assert ("Goes to", "the chair by direct message") in shown.fields


def test_a_week_with_one_overdue_action_sends_only_that_to_the_chair(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    ref = overdue_action(clock, say)
    (sent,) = digests(tick("2026-11-30T08:30"))
    assert sent.channel == "@ic"  # the chair, by direct message
    assert sent.text == (
        "Weekly digest, week 2026-W49: 1 item needs a decision or is late\n"
        "Overdue actions: 1 across 1 agency, most overdue first (all of them: /action list overdue):\n"
        f"  Surrey Police: 1 overdue; oldest {ref} Review the MASH triage audit (10 days overdue)\n"
        "For the whole picture: /qa status. This digest again, as it stands now: /qa digest."
    )
    assert digest_rows(board) == [("digest:2026-W49:@ic:console", "@ic", "sent")]
    assert runs(board) == [("2026-W49", "sent", 1, 1, None)]
    assert "Last digest: week 2026-W49, computed 30 Nov 2026 08:30: 1 item, sent to 1 recipient." in (
        say("qa", "/qa digest").lines
    )


def test_a_bank_holiday_monday_moves_the_digest_to_tuesday(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    overdue_action(clock, say)
    at(clock, "2027-04-28T10:00")
    assert ("Next digest", "4 May 2027 08:30 (Monday 3 May is not a working day)") in say(
        "ic", "/qa digest"
    ).fields
    assert digests(tick("2027-05-03T08:30")) == []  # the early May bank holiday
    assert digests(tick("2027-05-03T17:00")) == []
    assert runs(board) == []  # last week's, missed while nothing ticked, is not sent late
    assert digests(tick("2027-05-04T08:29")) == []
    (sent,) = digests(tick("2027-05-04T08:30"))
    assert sent.text.startswith("Weekly digest, week 2027-W18: 1 item needs a decision or is late")
    assert "(165 days overdue)" in sent.text
    assert digest_rows(board) == [("digest:2027-W18:@ic:console", "@ic", "sent")]
    assert digests(tick("2027-05-05T08:30")) == []


def test_two_ticks_send_once_and_a_restart_does_not_send_again(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session], db_url: str
) -> None:
    overdue_action(clock, say)
    assert len(digests(tick("2026-11-30T08:30"))) == 1
    assert digests(tick("2026-11-30T08:30")) == []  # the same instant again
    assert digests(tick("2026-11-30T08:31")) == []
    assert digests(tick("2026-12-02T09:00")) == []  # later that week

    # A restart: a new process, a new engine, a new dispatcher and sender, the same database.
    engine = make_engine(db_url)
    try:
        sessions = session_factory(engine)
        clock2 = FixedClock(datetime(2026, 12, 3, 8, 30, tzinfo=LONDON))
        fresh = RecordingSender(clock2)
        run_tick(sessions, clock2, Dispatcher(sessions, {"console": fresh}, clock2), ("console",))
        assert digests(fresh.sent) == []
    finally:
        engine.dispose()
    assert digest_rows(board) == [("digest:2026-W49:@ic:console", "@ic", "sent")]
    assert runs(board) == [("2026-W49", "sent", 1, 1, None)]


def test_a_bot_down_for_three_weeks_sends_one_digest_not_a_burst(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    overdue_action(clock, say)
    (sent,) = digests(tick("2026-12-17T14:00"))  # down since before Mon 30 Nov; back on Thursday
    assert sent.text.startswith("Weekly digest, week 2026-W51:")
    assert digests(tick("2026-12-17T14:01")) == []
    assert [w for w, *_ in runs(board)] == ["2026-W51"]
    assert len(digests(tick("2026-12-21T08:30"))) == 1  # the next Monday: that week's
    assert [w for w, *_ in runs(board)] == ["2026-W51", "2026-W52"]


def _board_with(
    sessions: sessionmaker[Session], clock: FixedClock, digest: str, old: str = "", new: str = ""
) -> None:
    """The test board imported again with a `digest:` line (and one line changed)."""
    text = (FIXTURES / "board.yaml").read_text()
    assert old in text
    text = text.replace(old, new) + digest + "\n"
    with transaction(sessions) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())


def test_a_recipient_without_an_address_is_told_never_counted_as_sent(
    clock: FixedClock, say: Say, board: sessionmaker[Session], recorder: RecordingSender
) -> None:
    chair = ", slack: U0CHAIR1, teams: 0c1a0000-0000-4000-8000-000000000001}"
    _board_with(board, clock, "digest: {to: [chair, qa_officer]}", chair, "}")  # the chair: no address
    overdue_action(clock, say)
    clock.set(datetime(2026, 11, 30, 8, 30, tzinfo=LONDON))
    run_tick(board, clock, Dispatcher(board, {"slack": recorder}, clock), ("slack",))
    (sent,) = digests(recorder.sent)
    assert sent.channel == "U0QAOFF1"  # the QA officer's direct message
    assert digest_rows(board) == [
        ("digest:2026-W49:@ic:unreachable", "@ic", "unreachable"),
        ("digest:2026-W49:@qa:slack", "U0QAOFF1", "sent"),
    ]
    note = "no address on a configured platform for @ic"
    assert runs(board) == [("2026-W49", "sent", 1, 1, note)]
    clock.set(datetime(2026, 11, 30, 8, 31, tzinfo=LONDON))  # the next tick tells the QA channel
    run_tick(board, clock, Dispatcher(board, {"slack": recorder}, clock), ("slack",))
    (told,) = [s for s in recorder.sent if s.kind == "delivery_problem" and "@ic" in s.text]
    assert told.channel == "C0QAE01" and "@ic" in told.text
    with board() as s:
        board_row = s.get(Board, 1)
        assert board_row is not None
        found = health.check(s, board_row, clock.now())
    assert not found.ok and note in found.detail


def test_where_qa_posts_once_in_the_qa_channel(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    _board_with(board, clock, 'digest: {day: Wednesday, time: "07:45", to: [chair, qa_officer], where: qa}')
    overdue_action(clock, say)
    assert digests(tick("2026-11-30T08:30")) == []
    (sent,) = digests(tick("2026-12-02T07:45"))
    assert sent.channel == "#qa"
    assert digest_rows(board) == [("digest:2026-W49:qa:console", "#qa", "sent")]
    assert ("Goes to", "the QA channel") in say("qa", "/qa digest").fields


def test_qa_digest_is_for_the_officers_and_takes_nothing(say: Say) -> None:
    refused = say("pol", "/qa digest")
    assert not refused.ok and "Only the chair or the QA officer can see the weekly digest" in refused.text()
    refused = say("bm", "/qa digest")
    assert not refused.ok
    bad = say("ic", "/qa digest now please")
    assert not bad.ok and '"now please" is not something /qa digest takes.' in bad.text()
    assert "/qa digest" in bad.text()


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("digest: {day: sunday}", '"sunday" is not a working weekday'),
        ('digest: {time: "29:99"}', "is not a time"),
        ("digest: {to: [member]}", "digest.to"),
        ("digest: {where: email}", "digest.where"),
        ("digest: {to: []}", "digest.to"),
        ("digest: {cc: [chair]}", "digest.cc"),
    ],
)
def test_the_board_files_digest_is_checked(line: str, problem: str) -> None:
    text = (FIXTURES / "board.yaml").read_text() + line + "\n"
    with pytest.raises(ConfigError) as e:
        parse_board_file(text, name="board.yaml")
    assert problem in str(e.value)


def test_an_old_board_file_gets_the_defaults(board: sessionmaker[Session]) -> None:
    with board() as s:
        row = s.get(Board, 1)
        assert row is not None
        assert row.config["digest"] == {"day": "monday", "time": "08:30", "to": ["chair"], "where": "dm"}


def test_a_kpi_breach_without_a_narrative_is_listed_until_the_lead_answers(
    clock: FixedClock, tick: Tick, say: Say, answer: Answer, board: sessionmaker[Session]
) -> None:
    load_board(board, clock, "board_kpi.yaml")  # the test board with performance measures
    at(clock, "2027-01-05T10:00")
    assert say("cs", "/kpi set rereferrals Dec 2026 26").ok  # RED: its lead is asked
    (asked,) = [s for s in tick("2027-01-05T10:01") if s.kind == "kpi_ask"]
    (sent,) = digests(tick("2027-01-11T08:30"))
    assert sent.text == (
        "Weekly digest, week 2027-W02: 1 item needs a decision or is late\n"
        "KPI figures that need a narrative and have none (1, see /kpi <measure>):\n"
        "  Re-referrals within 12 months (Surrey Children's Services), Dec 2026: 26% — RED, no narrative\n"
        "For the whole picture: /qa status. This digest again, as it stands now: /qa digest."
    )
    at(clock, "2027-01-12T10:00")
    assert answer("cs", asked, "Two large sibling groups were re-referred in the month").ok
    assert (
        "Nothing needs action: if the digest went now, nothing would be sent."
        in say("ic", "/qa digest").lines
    )


def test_late_returns_review_clocks_and_escalations_each_in_their_section(
    clock: FixedClock, tick: Tick, say: Say, board: sessionmaker[Session]
) -> None:
    at(clock, "2027-03-25T10:00")
    assert say("qa", "/s11 launch 2027 deadline 30/04/2027").ok  # Police, Children's Services, Health
    tick("2027-03-25T10:01")
    at(clock, "2027-04-30T10:00")
    assert say("qa", "/review open RR-2027-04 aware 30/04/2027 agencies Surrey Police").ok
    (w18,) = digests(tick("2027-05-07T09:30"))  # W18's Monday was a bank holiday: sent late, once
    assert "Section 11 returns past their deadline (3, see /s11 status):" in w18.text
    assert "  Surrey Police — 7 days late (deadline 30 Apr 2027) · Section 11 2027 (statutory)" in w18.text
    (w19,) = digests(tick("2027-05-10T08:30"))
    text = w19.text
    assert "  Surrey Health — 10 days late (deadline 30 Apr 2027) · Section 11 2027 (statutory)" in text
    assert "Rapid review clocks late or due this week (/review status <code>):" in text
    assert "  RR-2027-04 · Notification to the Panel: due today" in text  # WD5 (3 May was a holiday)
    assert "  RR-2027-04 · Surrey Police summary: due in 5 working days" in text
    assert "Escalated since 7 May 2027 09:30 (1):" in text  # since the last digest
    assert "  Section 11 2027 (statutory) · late returns escalated 7 May 2027 09:30" in text
    assert "Overdue actions" not in text and "KPI" not in text


def test_qabot_doctor_says_when_a_weeks_digest_did_not_run(
    clock: FixedClock, tick: Tick, board: sessionmaker[Session]
) -> None:
    def doctor() -> health.Health:
        with board() as s:
            row = s.get(Board, 1)
            assert row is not None
            return health.check(s, row, clock.now())

    at(clock, "2026-11-30T08:45")  # due at 08:30, within the half hour a tick may take
    assert doctor() == health.Health(
        True,
        "none has run yet; week 2026-W49's is due now (30 Nov 2026 08:30): the next tick computes it.",
    )
    at(clock, "2026-11-30T10:00")  # no clock has ticked since
    found = doctor()
    assert not found.ok
    assert found.detail == (
        "the digest for week 2026-W49 was due 30 Nov 2026 08:30 and has not run: "
        "is the clock running (`qabot clock`, or the web app on SQLite)?"
    )
    tick("2026-11-30T10:00")
    found = doctor()
    assert found.ok
    assert found.detail == (
        "week 2026-W49, computed 30 Nov 2026 10:00: nothing needed action, so nothing was sent; "
        "next 7 Dec 2026 08:30 to the chair by direct message."
    )
