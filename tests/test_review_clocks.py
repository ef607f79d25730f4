"""Rapid reviews through the console core, as a new user would: a review opened on the
Thursday before Easter 2027 (Good Friday 26 March, Easter Monday 29 March) lands its WD5,
WD10 and WD15 on the right days; each agency is asked and chased in its own thread and its
"submitted" reply stops its chasers; a late summary reaches the chair the day it is late;
the timeline lists every step with its working day; a child's name is refused."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import OutboxMessage, Review, ReviewAgency, ThreadReply
from tests.conftest import Say
from tests.section11.conftest import Answer, RecordingSender, Sent, Tick, answer, at, recorder, tick

__all__ = ["answer", "recorder", "tick"]  # the Section 11 fakes: a recording sender, the tick

OPEN = "/review open RR-2027-03 aware 25/03/2027 agencies Surrey Police, Surrey Health and Surrey Children's Services"
THREE = ("#Surrey Police", "#Surrey Health", "#Surrey Children's Services")


def _open(clock: FixedClock, say: Say, tick: Tick) -> dict[str, Sent]:
    at(clock, "2027-03-25T10:00")
    reply = say("qa", OPEN)
    assert reply.ok, reply.text()
    sent = tick("2027-03-25T10:00")
    return {s.channel: s for s in sent if s.kind == "review_request"}


def test_opened_before_easter_lands_wd5_wd10_wd15_on_working_days(
    clock: FixedClock, say: Say, tick: Tick
) -> None:
    at(clock, "2027-03-25T10:00")
    text = say("qa", OPEN).text()
    assert "Rapid review RR-2027-03 opened" in text
    assert "Notification to the Panel: WD5 5 Apr 2027 (from awareness) — due in 5 working days" in text
    assert "Surrey Health summary: WD10 12 Apr 2027 (from awareness)" in text
    assert "Executive huddle: reminder on WD14 16 Apr 2027" in text
    assert (
        "Rapid review report to the Panel: WD15 19 Apr 2027 (from awareness, provisional until the notification "
        "is recorded)" in text
    )
    # The notification recorded on Thursday 1 April moves the WD15 clock to Thursday 22 April.
    at(clock, "2027-04-01T11:00")
    text = say("qa", "/review notified RR-2027-03 01/04/2027").text()
    assert "Notification to the Panel: WD5 5 Apr 2027 (from awareness) — done 1 Apr 2027 (WD3)" in text
    assert (
        "Rapid review report to the Panel: WD15 22 Apr 2027 (from notification) — due in 15 working days"
        in text
    )


def test_each_agency_chased_in_its_own_thread_until_it_submits(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, board: sessionmaker[Session]
) -> None:
    requests = _open(clock, say, tick)
    assert set(requests) == set(THREE)
    assert "due by 12 Apr 2027" in requests["#Surrey Police"].text
    assert "31 Mar 2027, 5 Apr 2027, 8 Apr 2027" in requests["#Surrey Police"].text
    assert tick("2027-03-30T09:30") == []  # WD1: nothing to chase
    chased = tick("2027-03-31T09:30")  # WD2
    assert sorted(s.channel for s in chased) == sorted(THREE)
    for s in chased:
        assert s.kind == "review_chaser" and s.post.thread_id == requests[s.channel].message_id
    assert tick("2027-03-31T15:00") == []  # a second tick the same day sends nothing

    reply = answer(
        "pol", requests["#Surrey Police"], "Submitted https://surrey.sharepoint.com/rr/police.docx"
    )
    assert "Recorded: Surrey Police — summary submitted by @pol, link kept" in reply.text()
    assert "No more reminders will be sent for it." in reply.text()
    chased = tick("2027-04-05T09:30")  # WD5
    assert sorted(s.channel for s in chased if s.kind == "review_chaser") == [
        "#Surrey Children's Services",
        "#Surrey Health",
    ]

    # Someone from another agency changes nothing; "that was a comment" undoes a submission.
    other = answer("cs", requests["#Surrey Health"], "submitted")
    assert "you are not with Surrey Health" in other.text()
    undone = answer("pol", requests["#Surrey Police"], "that was a comment")
    assert "Recorded: that was a comment" in undone.text()
    with board() as db:
        police = db.scalars(select(ReviewAgency).where(ReviewAgency.agency_id == 1)).one()
        assert police.status == "requested"
        assert db.scalar(select(func.count()).select_from(ThreadReply)) == 3


def test_a_late_summary_reaches_the_chair_the_day_it_is_late(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, recorder: RecordingSender
) -> None:
    requests = _open(clock, say, tick)
    answer("pol", requests["#Surrey Police"], "submitted https://surrey.sharepoint.com/rr/police.docx")
    answer(
        "nhs", requests["#Surrey Health"], "Done, sent it over: https://surrey.sharepoint.com/rr/health.docx"
    )
    sent = tick("2027-04-06T09:30")  # WD6: the notification was due on WD5
    (to_chair,) = [s for s in sent if s.channel == "@ic"]
    assert "Notification to the Panel is late by 1 working day" in to_chair.text
    assert [s.channel for s in sent if s.kind == "review_escalation"] == ["#qa", "@ic"]
    assert not [s for s in tick("2027-04-12T09:30") if s.kind == "review_escalation"]  # WD10: due today
    sent = tick("2027-04-13T09:30")  # WD11: late
    late = [s for s in sent if s.kind == "review_escalation"]
    assert [s.channel for s in late] == ["#qa", "@ic"]
    assert "Surrey Children's Services summary is late by 1 working day" in late[1].text
    assert "Surrey Police" not in late[1].text and "Surrey Health summary" not in late[1].text
    assert not [s for s in tick("2027-04-14T09:30") if s.kind == "review_escalation"]  # at once, not again


def test_the_timeline_lists_every_step_with_its_working_day(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer
) -> None:
    requests = _open(clock, say, tick)
    at(clock, "2027-03-31T12:00")
    answer("pol", requests["#Surrey Police"], "submitted https://surrey.sharepoint.com/rr/police.docx")
    at(clock, "2027-04-01T11:00")
    say("qa", "/review notified RR-2027-03 01/04/2027")
    at(clock, "2027-04-15T11:00")
    say("qa", "/review meeting RR-2027-03 15/04/2027")
    at(clock, "2027-04-21T16:00")
    say("qa", "/review sent RR-2027-03 21/04/2027")
    text = say("ic", "/review timeline RR-2027-03").text()
    assert "25 Mar 2027 (WD0) — review opened — @qa" in text
    assert "25 Mar 2027 (WD0) — Surrey Police: summary requested" in text
    assert "31 Mar 2027 (WD2) — Surrey Police: thread reply: submitted — @pol" in text
    assert "1 Apr 2027 (WD3) — the Panel notified — @qa" in text
    assert "15 Apr 2027 (WD13) — rapid review meeting recorded" in text
    assert "21 Apr 2027 (WD17) — report sent to the Panel" in text
    status = say("qa", "/review status RR-2027-03").text()
    assert (
        "Rapid review report to the Panel: WD15 22 Apr 2027 (from notification) — done 21 Apr 2027 (WD14)"
        in status
    )
    assert "The Panel's response: WD10 6 May 2027 (after the report was sent)" in status


def test_a_childs_name_is_refused_and_nothing_is_kept(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer, board: sessionmaker[Session]
) -> None:
    at(clock, "2027-03-25T10:00")
    reply = say("qa", "/review open Jayden Smith aware 25/03/2027")
    assert not reply.ok and "The case code must be a board case code such as RR-2027-03" in reply.text()
    assert "Jayden" not in reply.text()
    reply = say("qa", "/review open RR-2027-03 aware 25/03/2027 re Jayden Smith DOB 04.05.2015")
    assert not reply.ok and "could identify a child" in reply.text()
    reply = say("qa", "/review open RR-2027-03 aware 25/03/2027 about Jayden Smith")
    assert not reply.ok and "A review holds no free text" in reply.text() and "Jayden" not in reply.text()
    with board() as s:
        assert s.scalar(select(func.count()).select_from(Review)) == 0
    requests = _open(clock, say, tick)
    reply = answer("pol", requests["#Surrey Police"], "Chronology for Jayden Smith DOB 04.05.2015 attached")
    assert not reply.ok
    with board() as s:
        assert s.scalar(select(func.count()).select_from(ThreadReply)) == 0
        assert all("Jayden" not in str(o.payload) for o in s.scalars(select(OutboxMessage)))


def test_bad_input_says_what_was_wrong_and_the_usage(clock: FixedClock, say: Say) -> None:
    at(clock, "2027-03-25T10:00")
    cases = {
        "/review open RR-27 aware 25/03/2027": "The case code must be a board case code",
        "/review open RR-2027-03": "Say when the partnership became aware",
        "/review open RR-2027-03 aware 25/03/2027 agencies Surrey Fire": 'No agency matches "Surrey Fire"',
        "/review open RR-2027-03 aware 30/03/2027": "is in the future",
        "/review notified RR-2027-09 25/03/2027": "There is no review RR-2027-09",
        "/review panel RR-2027-03 maybe 25/03/2027": "Say the Panel's decision",
    }
    for line, problem in cases.items():
        reply = say("qa", line)
        assert not reply.ok and problem in reply.text(), (line, reply.text())
        assert "/review " in reply.text()
    assert "Only the chair or the QA officer can open a rapid review" in say("pol", OPEN).text()
    assert say("qa", OPEN).ok
    assert "already open" in say("qa", OPEN).text()


def test_the_huddle_on_wd14_the_late_report_and_closing(
    clock: FixedClock, say: Say, tick: Tick, answer: Answer
) -> None:
    requests = _open(clock, say, tick)
    for handle, channel in (
        ("pol", "#Surrey Police"),
        ("nhs", "#Surrey Health"),
        ("cs", "#Surrey Children's Services"),
    ):
        answer(handle, requests[channel], "submitted https://surrey.sharepoint.com/rr/summary.docx")
    at(clock, "2027-03-26T10:00")  # Good Friday: the notification is recorded as made on WD0
    say("qa", "/review notified RR-2027-03 25/03/2027")
    assert tick("2027-04-15T09:30") == []  # WD14 is Friday 16 April
    (huddle,) = tick("2027-04-16T09:30")
    assert huddle.kind == "review_huddle" and huddle.channel == "#qa"
    assert "executive huddle today (working day 14)" in huddle.text
    assert "WD15 19 Apr 2027 (from notification)" in huddle.text
    assert tick("2027-04-19T09:30") == []  # WD15: due today, not late
    late = tick("2027-04-20T09:30")
    assert [s.channel for s in late] == ["#qa", "@ic"]
    assert "Rapid review report to the Panel is late by 1 working day" in late[0].text
    at(clock, "2027-04-20T11:00")
    assert say("qa", "/review close RR-2027-03").ok
    assert tick("2027-04-21T09:30") == []  # its clocks have stopped
    assert "No rapid review is open." in say("qa", "/review status").text()
    assert "(closed)" in say("qa", "/review status RR-2027-03").text()
