"""A closed rapid review under the retention rules (`qabot purge`), on SQLite and PostgreSQL:
its private details (what the agencies wrote in their threads, their summaries' links, the QA
officer's notices quoting them, and every copy) go; its dated steps and counts stay, and
`/review timeline` says when the details were purged. A review under `/review hold` keeps
everything; a preview changes nothing."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands import retention
from commands.clock import FixedClock
from commands.context import Scope
from store.db import transaction
from store.models import AuditEvent, Board, Review, ReviewAgency, ThreadReply
from tests.conftest import Say
from tests.hardening.test_purge_scrub import every_text
from tests.section11.conftest import Answer, Tick, answer, at, recorder, tick

__all__ = ["answer", "recorder", "tick"]

LINK = "https://surrey.sharepoint.com/rr/police-summary-okafor.docx"
SUBMITTED = f"Submitted {LINK} with the chronology for the Okafor family"
COMMENT = "Our records for the Okafor strategy discussion are still being checked"
HELD = "The Adeyemi chronology is with our legal team"


def _review(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, code: str, words: str, comment: str = COMMENT
) -> None:
    at(clock, "2027-03-25T10:00")
    opened = say("qa", f"/review open {code} aware 25/03/2027 agencies Surrey Police, Surrey Health")
    assert opened.ok, opened.text()
    sent = {s.channel: s for s in tick("2027-03-25T10:00") if s.kind == "review_request" and code in s.text}
    at(clock, "2027-03-31T11:00")
    assert "summary submitted by @pol" in answer("pol", sent["#Surrey Police"], words).text()
    at(clock, "2027-04-01T11:00")
    assert "Recorded as a comment" in answer("nhs", sent["#Surrey Health"], comment).text()
    assert say("qa", f"/review notified {code} 01/04/2027").ok
    at(clock, "2027-04-20T11:00")
    for line in (f"meeting {code} 12/04/2027", f"sent {code} 20/04/2027"):
        assert say("qa", f"/review {line}").ok
    at(clock, "2027-05-10T11:00")
    assert say("qa", f"/review panel {code} no-lcspr 10/05/2027").ok
    at(clock, "2027-05-20T11:00")
    assert say("qa", f"/review close {code}").ok


def _purge(board: sessionmaker[Session], clock: FixedClock, *, dry_run: bool) -> list[str]:
    at(clock, "2033-06-01T10:00")
    with transaction(board) as s:
        scope = Scope(session=s, clock=clock, board=s.get_one(Board, 1))
        return retention.purge(scope, date(2027, 6, 1), dry_run=dry_run).lines()


def test_a_closed_reviews_details_go_and_its_timeline_stays(
    board: sessionmaker[Session], clock: FixedClock, say: Say, tick: Tick, answer: Answer
) -> None:
    _review(clock, say, tick, answer, "RR-2027-03", SUBMITTED)
    _review(
        clock,
        say,
        tick,
        answer,
        "RR-2027-04",
        HELD + " submitted https://surrey.sharepoint.com/rr/held.docx",
        "The Adeyemi records are still being checked by our team",
    )
    at(clock, "2027-06-01T10:00")
    held = say("qa", "/review hold RR-2027-04 asked for by the coroner's inquest")
    assert "RR-2027-04: legal hold set" in held.text(), held.text()
    before = say("qa", "/review timeline RR-2027-03").text()
    texts = every_text(board)
    assert any("Okafor" in t for t in texts) and any(LINK in t for t in texts)

    preview = _purge(board, clock, dry_run=True)
    assert any(
        "Would purge the private details of 1 rapid review(s) closed before 2027-06-01: RR-2027-03 "
        "(2 agency replies" in line
        for line in preview
    ), preview
    assert "Kept: 1 closed rapid review(s) under legal hold." in preview
    assert every_text(board) == texts  # a preview changes nothing

    done = _purge(board, clock, dry_run=False)
    assert any(line.startswith("Purged the private details of 1 rapid review(s)") for line in done), done

    texts = every_text(board)
    assert [t for t in texts if "Okafor" in t or LINK in t] == []
    assert any("Adeyemi" in t for t in texts)  # the held review keeps its words
    with board() as s:
        review = s.scalars(select(Review).where(Review.code == "RR-2027-03")).one()
        assert (review.aware_on, review.notified_on, review.sent_on) == (
            date(2027, 3, 25),
            date(2027, 4, 1),
            date(2027, 4, 20),
        )
        assert review.purged_on == date(2033, 6, 1) and review.purged_counts is not None
        assert review.purged_counts["agencies"] == 2 and review.purged_counts["summaries_in"] == 1
        met = {d["step"]: d["met"] for d in review.purged_counts["deadlines"]}
        assert met == {
            "Notification to the Panel": True,
            "Rapid review report to the Panel": True,
            "The Panel's response": False,  # answered 10 May; expected by WD10, 5 May
        }
        rows = s.scalars(select(ReviewAgency).where(ReviewAgency.review_id == review.id)).all()
        assert [r.status for r in rows] == ["submitted", "requested"] and all(
            r.evidence_url is None for r in rows
        )
        replies = s.scalars(select(ThreadReply).order_by(ThreadReply.id)).all()
        assert [r.text for r in replies[:2]] == ["[purged]", "[purged]"]
        assert [r.interpretation for r in replies[:2]] == ["submitted", "comment"]
        [audit] = s.scalars(select(AuditEvent).where(AuditEvent.entity == "retention")).all()
        assert audit.after is not None and audit.after["reviews"] == ["RR-2027-03"]
        other = s.scalars(select(Review).where(Review.code == "RR-2027-04")).one()
        assert other.purged_on is None and other.legal_hold

    after = say("qa", "/review timeline RR-2027-03").text()
    assert "(details purged on 1 Jun 2033 under the retention rules)" in after
    assert "Kept: 2 agencies, 1 summary in (1 in time), 0 recommendations, 2 replies" in after
    assert "Notification to the Panel: due WD5, done WD3 — met." in after
    for line in before.splitlines()[1:]:  # every dated step is still listed, on its working day
        assert line in after
    assert "Surrey Police: thread reply: submitted" in after and "(WD3)" in after

    # Purged once: a second run finds nothing more.
    again = _purge(board, clock, dry_run=False)
    assert "Purged the private details of 0 rapid review(s) closed before 2027-06-01." in again


def test_review_hold_needs_a_reason_and_a_known_review(clock: FixedClock, say: Say) -> None:
    at(clock, "2027-03-25T10:00")
    assert say("qa", "/review open RR-2027-03 aware 25/03/2027 agencies Surrey Police").ok
    no_reason = say("qa", "/review hold RR-2027-03").text()
    assert "Say why" in no_reason and "/review hold <code> [off] <reason>" in no_reason
    assert "There is no review RR-2027-09" in say("qa", "/review hold RR-2027-09 inquest").text()
    assert "legal hold set" in say("qa", "/review hold RR-2027-03 inquest").text()
    assert "legal hold lifted" in say("qa", "/review hold RR-2027-03 off inquest over").text()
    refused = say("pol", "/review hold RR-2027-03 inquest")
    assert not refused.ok
