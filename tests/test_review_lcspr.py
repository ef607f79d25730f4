"""LCSPR tracking through the console core, on SQLite and PostgreSQL: once the Panel answers
"lcspr", milestones are planned and recorded; a planned one is reminded in the QA channel on
its due day (once) and escalated the day it is late (once); recommendations are logged as
actions with the review as their source, and the review is not closed while one is open."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.board_schema import ReviewSettings
from commands.clock import FixedClock
from commands.reviews.clocks import milestones
from store.models import Action, ReviewMilestone, ReviewRecommendation
from tests.conftest import Say
from tests.section11.conftest import Sent, Tick, at, recorder, tick

__all__ = ["recorder", "tick"]

CODE = "RR-2027-03"


def _lcspr(clock: FixedClock, say: Say) -> None:
    at(clock, "2027-03-25T10:00")
    assert say("qa", f"/review open {CODE} aware 25/03/2027 notified 25/03/2027 agencies Surrey Police").ok
    at(clock, "2027-04-16T10:00")
    assert say("qa", f"/review sent {CODE} 16/04/2027").ok
    at(clock, "2027-06-01T10:00")
    assert "has no LCSPR" in say("qa", f"/review lcspr {CODE} terms due 08/06/2027").text()
    reply = say("qa", f"/review panel {CODE} lcspr 30/04/2027")
    assert reply.ok, reply.text()


def _lcspr_posts(sent: list[Sent]) -> list[Sent]:
    return [s for s in sent if "LCSPR" in s.text]


def test_milestones_are_planned_reminded_on_the_day_and_escalated_when_late(
    clock: FixedClock, say: Say, tick: Tick, board: sessionmaker[Session]
) -> None:
    _lcspr(clock, say)
    reply = say("qa", f"/review lcspr {CODE} terms due 08/06/2027")
    assert reply.ok, reply.text()
    text = reply.text()
    assert "LCSPR terms planned for 8 Jun 2027" in text
    assert "LCSPR Terms of reference agreed: planned for 8 Jun 2027 — due in 5 working days" in text
    assert "LCSPR Reviewer commissioned: — not planned yet" in text
    assert "LCSPR Publication: — not planned yet" in text

    assert _lcspr_posts(tick("2027-06-07T09:30")) == []
    (due,) = _lcspr_posts(tick("2027-06-08T09:30"))
    assert due.kind == "review_milestone" and due.channel == "#qa"
    assert "LCSPR Terms of reference agreed is due today" in due.text
    assert _lcspr_posts(tick("2027-06-08T15:00")) == []  # once a day, once a milestone
    late = _lcspr_posts(tick("2027-06-09T09:30"))
    assert [s.channel for s in late] == ["#qa", "@ic"]
    assert all(s.kind == "review_escalation" for s in late)
    assert "LCSPR Terms of reference agreed is late by 1 working day" in late[1].text
    assert _lcspr_posts(tick("2027-06-10T09:30")) == []  # escalated once

    at(clock, "2027-06-10T11:00")
    text = say("ic", f"/review lcspr {CODE} Terms done 09/06/2027").text()
    assert "done 9 Jun 2027" in text and "1 working day late" in text
    assert "LCSPR milestone done (terms) — @ic" in say("qa", f"/review timeline {CODE}").text()
    with board() as db:
        (row,) = db.scalars(select(ReviewMilestone))
        assert (row.name, str(row.due_on), str(row.done_on)) == ("terms", "2027-06-08", "2027-06-09")


def test_recommendations_are_actions_and_hold_the_review_open(
    clock: FixedClock, say: Say, tick: Tick, board: sessionmaker[Session]
) -> None:
    _lcspr(clock, say)
    reply = say("qa", f"/review recommend {CODE} Audit MASH strategy discussions owner @pol due 30/09/2027")
    assert reply.ok, reply.text()
    assert f"Rapid review {CODE}: recommendation logged as A-" in reply.text()
    ref = reply.data["ref"]
    assert f"rapid review {CODE} (a recommendation)" in say("qa", f"/action show {ref}").text()
    status = say("qa", f"/review status {CODE}").text()
    assert f"{ref} (open, @pol, due 30 Sep 2027): Audit MASH strategy discussions" in status

    refused = say("qa", f"/review close {CODE}")
    assert not refused.ok and "still has open recommendations" in refused.text() and ref in refused.text()
    assert say("pol", f"/action done {ref}").ok
    assert say("qa", f"/review close {CODE}").ok

    with board() as db:
        assert db.scalar(select(func.count()).select_from(ReviewRecommendation)) == 1
        assert db.scalar(select(func.count()).select_from(Action)) == 1


def test_a_recommendation_needs_an_owner_a_due_date_and_no_name(
    clock: FixedClock, say: Say, board: sessionmaker[Session]
) -> None:
    _lcspr(clock, say)
    cases = {
        f"/review recommend {CODE} Audit MASH due 30/09/2027": "Say who owns it",
        f"/review recommend {CODE} Audit MASH owner @pol": "Say when it is due",
        f"/review recommend {CODE} Audit Jayden Smith DOB 04.05.2015 owner @pol due 30/09/2027": (
            "could identify a child"
        ),
        f"/review lcspr {CODE} launch due 30/09/2027": "Say which milestone",
        f"/review lcspr {CODE} draft done 30/09/2027": "is in the future",
    }
    for line, problem in cases.items():
        reply = say("qa", line)
        assert not reply.ok and problem in reply.text(), (line, reply.text())
        assert "/review " in reply.text()
    assert "Only the chair or the QA officer" in say("pol", f"/review lcspr {CODE} draft due 30/09/2027").text()
    with board() as db:
        assert db.scalar(select(func.count()).select_from(Action)) == 0
        assert db.scalar(select(func.count()).select_from(ReviewMilestone)) == 0


def test_the_boards_own_milestones_come_between_the_terms_and_the_draft() -> None:
    names = [n for n, _ in milestones(ReviewSettings(lcspr_milestones=["Practitioner event"]))]
    assert names == ["reviewer", "terms", "Practitioner event", "draft", "publication"]


def test_the_board_reports_review_timeline_lists_each_milestone_with_its_date_and_status(
    clock: FixedClock, say: Say, board: sessionmaker[Session]
) -> None:
    import docx

    from commands.context import Scope
    from commands.meetings import report
    from store.models import Board, Meeting
    from store.visibility import BOARD

    _lcspr(clock, say)
    assert say("qa", f"/review lcspr {CODE} reviewer due 07/06/2027").ok
    assert say("qa", f"/review lcspr {CODE} reviewer done 01/06/2027").ok
    assert say("qa", f"/review lcspr {CODE} terms due 08/06/2027").ok
    assert say("qa", "/qa meeting add board 10/06/2027 10:00 Board").ok
    at(clock, "2027-06-09T10:00")  # terms is due yesterday: late by 1 working day
    expected = [
        "LCSPR milestones:",
        "  LCSPR Reviewer commissioned: planned for 7 Jun 2027 — done 1 Jun 2027 (WD20)",
        "  LCSPR Terms of reference agreed: planned for 8 Jun 2027 — LATE by 1 working day",
        "  LCSPR Draft report: — not planned yet",
        "  LCSPR Publication: — not planned yet",
    ]
    with board() as s:
        meeting = s.scalars(select(Meeting).where(Meeting.kind == "board")).one()
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        data = report.collect(scope, meeting, BOARD)
    [(title, lines)] = data.reviews
    assert title == f"Rapid review {CODE} (open)"
    assert lines[-len(expected) :] == expected
    assert any("LCSPR milestone done (reviewer)" in line for line in lines)

    # And in the Word document the board reads.
    reply = say("qa", "/qa report 10/06/2027")
    assert reply.ok, reply.text()
    text = "\n".join(p.text for p in docx.Document(reply.files[0]).paragraphs)
    assert "LCSPR Terms of reference agreed: planned for 8 Jun 2027 — LATE by 1 working day" in text
