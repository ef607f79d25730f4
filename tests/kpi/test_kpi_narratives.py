"""The narrative behind a figure: a red, amber or twice-worsening figure asks the owning
agency's lead in a thread of its own; their reply there is kept with the figure and answered
with what was understood; an unanswered ask is chased, then escalated to the chair, once each,
computed at each tick; an agency nobody can reach is named, never chased."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.outbox import Dispatcher
from bot.services import board_services
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.kpi.breaches import breaches_without_narrative
from commands.types import Inbound, Reply
from store import members
from store.db import transaction
from store.models import Board, KpiNarrative, ThreadReply
from store.visibility import BOARD
from tests.conftest import LONDON, Say
from tests.section11.conftest import Answer, RecordingSender, Sent, Tick, answer, at, recorder, tick

__all__ = ["answer", "recorder", "tick"]


def _red_december(clock: FixedClock, say: Say, tick: Tick) -> Sent:
    at(clock, "2027-01-05T10:00")  # a Tuesday
    assert say("cs", "/kpi set rereferrals Dec 2026 26").ok
    (asked,) = [s for s in tick("2027-01-05T10:00") if s.kind == "kpi_ask"]
    return asked


def test_the_leads_reply_is_kept_as_the_narrative_and_answered(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, board: sessionmaker[Session]
) -> None:
    asked = _red_december(clock, say, tick)
    assert asked.channel == "#Surrey Children's Services" and asked.post.thread_id is None
    other = answer("pol", asked, "Police referrals rose too")
    assert "you are not with Surrey Children's Services" in other.text()
    thanks = answer("cs", asked, "thanks")
    assert thanks.data.get("ignored")
    reply = answer("cs", asked, "Two large sibling groups were re-referred after a change of school")
    assert reply.title == "Thank you — the narrative for Re-referrals within 12 months, Dec 2026 is kept"
    assert (
        "Recorded as the narrative of Re-referrals within 12 months for Dec 2026 (26%), from @cs: "
        "“Two large sibling groups were re-referred after a change of school”." in reply.text()
    )
    assert "no more reminders will be sent for it" in reply.text()
    with board() as db:
        n = db.scalars(select(KpiNarrative)).one()
        assert n.text == "Two large sibling groups were re-referred after a change of school"
        assert n.answered_by_id == members.by_handle(db, "cs").id  # type: ignore[union-attr]
        kinds = [r.interpretation for r in db.scalars(select(ThreadReply).order_by(ThreadReply.id))]
        assert kinds == ["ignored", "ack", "narrative"]
        b = db.get(Board, 1)
        assert b is not None and breaches_without_narrative(db, b, BOARD) == []
    assert "narrative given" in say("ic", "/kpi").text()
    assert [s for s in tick("2027-01-08T09:30") if s.kind.startswith("kpi_")] == []  # answered: no chaser
    assert "narrative: “Two large sibling groups" in say("ic", "/kpi rereferrals").text()


def test_a_childs_name_in_the_reply_is_refused_and_nothing_kept(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, board: sessionmaker[Session]
) -> None:
    asked = _red_december(clock, say, tick)
    refused = answer("cs", asked, "Jayden Smith DOB 04.05.2015 was re-referred twice")
    assert not refused.ok and "could identify a child" in refused.text()
    with board() as db:
        assert db.scalars(select(KpiNarrative)).one().text is None
        assert db.scalars(select(ThreadReply)).all() == []


def test_unanswered_asks_are_chased_then_escalated_once_each(
    clock: FixedClock, say: Say, tick: Tick, board: sessionmaker[Session]
) -> None:
    asked = _red_december(clock, say, tick)
    assert [s for s in tick("2027-01-07T09:30") if s.kind.startswith("kpi_")] == []  # WD2
    (chased,) = [s for s in tick("2027-01-08T09:30") if s.kind.startswith("kpi_")]  # WD3
    assert chased.kind == "kpi_chaser" and chased.post.thread_id == asked.message_id
    assert "Without one, the chair will be told on 12 Jan 2027." in chased.text
    assert [s for s in tick("2027-01-08T15:00") if s.kind.startswith("kpi_")] == []  # once
    assert [s for s in tick("2027-01-11T09:30") if s.kind.startswith("kpi_")] == []  # WD4
    late = [s for s in tick("2027-01-12T09:30") if s.kind.startswith("kpi_")]  # WD5
    assert sorted((s.kind, s.channel) for s in late) == [("kpi_escalation", "#qa"), ("kpi_escalation", "@ic")]
    assert "Surrey Children's Services was asked 5 working days ago what lies behind" in late[0].text
    assert [s for s in tick("2027-01-13T09:30") if s.kind.startswith("kpi_")] == []
    with board() as db:
        n = db.scalars(select(KpiNarrative)).one()
        assert n.chased_at is not None and n.escalated_at is not None


def test_worse_two_periods_running_asks_too_and_a_correction_to_green_stops_the_chase(
    clock: FixedClock, say: Say, tick: Tick
) -> None:
    at(clock, "2027-01-05T10:00")
    for line in ("/kpi set rereferrals Oct 2026 15", "/kpi set rereferrals Nov 2026 17"):
        assert "Nothing more is needed" in say("cs", line).text()
    reply = say("cs", "/kpi set rereferrals Dec 2026 19")
    assert reply.title == "Re-referrals within 12 months, Dec 2026: 19% — GREEN"
    assert "Because it is worse two periods running, Children's Services Lead (@cs) is asked" in reply.text()
    (asked,) = [s for s in tick("2027-01-05T10:00") if s.kind == "kpi_ask"]
    assert "it has moved the wrong way two periods running (Oct 2026 15%, Nov 2026 17%, now 19%" in asked.text
    assert say("cs", "/kpi set rereferrals Dec 2026 16").ok  # corrected: better than November
    assert [s for s in tick("2027-01-08T09:30") if s.kind.startswith("kpi_")] == []


def test_an_agency_nobody_can_reach_is_never_chased_and_the_escalation_says_so(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    with transaction(board) as s:
        row = s.get(Board, 1)
        assert row is not None
        faith = {"id": "attendance", "name": "Safeguarding training attendance", "priority": "cp",
                 "agency": "Surrey Faith Forum", "unit": "%", "polarity": "higher", "amber": 80, "red": 60,
                 "frequency": "monthly"}  # fmt: skip
        row.config = {**row.config, "measures": [*row.config["measures"], faith]}
    core = BotCore(sessions=board, clock=clock, platforms=("slack",), services=board_services())
    slack = RecordingSender(clock)

    def say(handle: str, line: str) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line))

    def tick_at(when: str) -> list[Sent]:
        clock.set(datetime.fromisoformat(when).replace(tzinfo=LONDON))
        before = len(slack.sent)
        run_tick(board, clock, Dispatcher(board, {"slack": slack}, clock), ("slack",))
        return slack.sent[before:]

    clock.set(datetime(2027, 1, 5, 10, 0, tzinfo=LONDON))
    assert say("qa", "/kpi set attendance Dec 2026 50").ok
    told = [s for s in tick_at("2027-01-05T10:00") if s.kind == "delivery_problem"]
    assert told and "Surrey Faith Forum" in told[0].text  # the QA officer hears it reached nobody
    assert [s for s in tick_at("2027-01-08T09:30") if s.kind == "kpi_chaser"] == []
    late = [s for s in tick_at("2027-01-12T09:30") if s.kind == "kpi_escalation"]
    assert {s.channel for s in late} == {"C0QAE01", "U0CHAIR1"}
    assert (
        "Surrey Faith Forum was never reached" in late[0].text and "This is not a late reply." in late[0].text
    )
