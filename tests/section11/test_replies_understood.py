"""Replies in Section 11 threads are read for what they mean, answered with what was
understood, and can be corrected (buttons, reply words) by the right people only.

On SQLite and PostgreSQL; posts are caught by the recording sender, as in test_cycle.py.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import AuditEvent, ThreadReply
from tests.conftest import Say
from tests.section11.conftest import Answer, RecordingSender, Tick, at
from tests.section11.test_cycle import launched, reminder_days, step, the_return


def interpretations(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(ThreadReply.interpretation).order_by(ThreadReply.id)))


def test_submitted_with_a_question_or_a_promise_after_it_is_a_submission(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-08T11:00")
    police, health = recorder.launch_of("Surrey Police"), recorder.launch_of("Surrey Health")
    r = answer("pol", police, "Submitted. Can you confirm you received it?")
    assert r.lines[0] == "Recorded: Surrey Police — submitted by @pol."
    assert "For the information of the substitute, Police Deputy (@pol2)." in r.lines
    assert [(b.label, b.command) for b in r.buttons] == [
        ("That was a comment", "s11 correct R-1 comment"),
        ("Undo", "s11 correct R-1 undo"),
    ]
    r = answer(
        "nhs", health, "Submitted https://sharepoint.example/s11/h.docx - will send the appendix separately"
    )
    assert r.lines[0] == (
        "Recorded: Surrey Health — submitted by @nhs, evidence link kept (https://sharepoint.example/s11/h.docx)."
    )
    r = answer(
        "cs", recorder.launch_of("Surrey Children's Services"), "Bore da, :white_check_mark: all done. Diolch"
    )
    assert r.title and "return is in" in r.title
    assert ("Returns in", "3 of 3") in say("qa", "/s11 status").fields
    assert [
        s for s in tick("2027-04-08T11:00") if s.channel == "#qa"
    ] == []  # no comment for the QA officer: nothing to chase


def test_a_submission_read_wrongly_is_undone_by_its_button_and_redone_by_a_reply_word(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-08T11:00")
    police = recorder.launch_of("Surrey Police")
    undo = answer("pol", police, "Sent it over this morning").buttons[-1]
    assert say("cs", undo.command).data["error"] == "permission"  # another agency
    assert say("bm", undo.command).data["error"] == "permission"  # a board member
    assert the_return(board, "Surrey Police").status == "submitted"
    at(clock, "2027-04-08T11:05")
    r = say("pol2", undo.command)  # the substitute may correct the lead's reply
    assert r.title == "Corrected: R-1 is now undone"
    assert r.lines[0] == "The return is no longer marked submitted, and reminders resume."
    ret = the_return(board, "Surrey Police")
    assert (ret.status, ret.submitted_at, ret.submitted_by_id) == ("not_started", None, None)
    (told,) = [s for s in tick("2027-04-08T11:05") if s.channel == "#qa"]
    assert (
        "@pol2 corrected R-1 (“Sent it over this morning”): it was read as a submission, it is now undone"
        in (told.text)
    )
    at(clock, "2027-04-09T10:00")
    r = answer("qa", police, "that was a submission")  # the QA officer, as a reply word
    assert r.title == "Corrected: R-1 is now a submission"
    status = say("qa", "/s11 status").lines
    assert status[2].startswith("Surrey Police — submitted 8 Apr 2027 11:00 by @pol")  # when and who said it
    with board() as s:
        audits = s.scalars(select(AuditEvent).where(AuditEvent.verb == "thread reply corrected")).all()
        changes = [(a.before or {}, a.after or {}) for a in audits]
    assert [(b["read_as"], b["status"], a["read_as"], a["status"]) for b, a in changes] == [
        ("submitted", "submitted", "undone", "not_started"),
        ("undone", "not_started", "submitted", "submitted"),
    ]
    assert interpretations(board) == ["submitted", "correction"]


def test_a_comment_can_be_made_a_submission_and_back(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-08T11:00")
    police = recorder.launch_of("Surrey Police")
    r = answer("pol", police, "<https://sharepoint.example/s11/police.docx|Police S11 2027.docx>")
    assert r.lines[0] == "Recorded as a comment — the QA officer has been told."
    assert r.buttons[0].label == "That was a submission"
    say("pol", r.buttons[0].command)
    assert the_return(board, "Surrey Police").evidence_url == "https://sharepoint.example/s11/police.docx"
    r = answer("pol", police, "that was a comment")
    assert r.title == "Corrected: R-1 is now a comment"
    assert the_return(board, "Surrey Police").status == "not_started"
    assert not say("pol", "/s11 correct R-1 comment").title  # already a comment: nothing changes
    assert "already recorded as a comment" in say("pol", "/s11 correct R-1 comment").text()
    assert "There is no reply R-99 in a Section 11 thread." in say("pol", "/s11 correct R-99 undo").text()


def test_thanks_is_recorded_and_answered_with_silence(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-08T11:00")
    r = answer("pol", recorder.launch_of("Surrey Police"), "Thanks! 👍")
    assert r.data["ignored"] is True and r.text() == ""
    assert interpretations(board) == ["ack"]
    assert [s for s in tick("2027-04-08T11:00") if s.channel == "#qa"] == []
    assert the_return(board, "Surrey Police").last_reply_at is None


def test_not_yet_and_has_it_been_submitted_keep_the_chasing(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-08T11:00")
    police = recorder.launch_of("Surrey Police")
    r = answer("pol", police, "It will be submitted next week")
    assert r.data["interpretation"] == "not_yet" and r.data["reply_ref"] == "R-1"
    assert (
        r.lines[0]
        == "Recorded: Surrey Police — not submitted yet; reminders continue — the QA officer has been told."
    )
    answer("pol2", police, "has it been submitted?")
    assert interpretations(board) == ["not_yet", "question"]
    assert the_return(board, "Surrey Police").status == "not_started"
    assert [s.kind for s in tick("2027-04-08T11:00") if s.channel == "#qa"] == ["s11_comment", "s11_comment"]


def test_extension_by_length_counts_from_the_current_deadline_and_can_be_withdrawn(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-28T11:00")
    health = recorder.launch_of("Surrey Health")
    r = answer("nhs", health, "Could we have an extention to 31/04/2027?")
    assert "31 April 2027 is not a date, so no extension has been asked" in r.text()
    assert the_return(board, "Surrey Health").extension_requested_to is None
    say("qa", "/s11 extend Surrey Health 18/05/2027")
    r = answer("nhs", health, "Sorry, we need another 2 weeks")
    assert r.lines[0].startswith(
        "Recorded: Surrey Health — extension asked to 1 Jun 2027 (2 weeks from the deadline, 18 May 2027)."
    )
    assert the_return(board, "Surrey Health").extension_requested_to == date(2027, 6, 1)
    r = answer("nhs", health, "undo")
    assert r.title == "Corrected: R-2 is now undone" and "extension request is withdrawn" in r.text()
    ret = the_return(board, "Surrey Health")
    assert (ret.status, ret.extension_requested_to, ret.extension_granted_to) == (
        "extension_granted",
        None,
        date(2027, 5, 18),
    )


def test_late_submission_and_refused_extension_show_in_status_and_panel(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-04-28T11:00")
    answer("cs", recorder.launch_of("Surrey Children's Services"), "extension of 3 weeks please")
    say("qa", "/s11 refuse Surrey Children's Services")
    told = [s for s in tick("2027-04-28T11:00") if s.kind == "s11_extension" and s.channel != "#qa"]
    assert "extension to 25 May 2027 refused" in told[-1].text
    at(clock, "2027-05-06T15:00")
    answer("pol", recorder.launch_of("Surrey Police"), "✅ submitted")
    status = say("qa", "/s11 status").lines
    assert status[0].startswith("Surrey Children's Services — not started · extension to 25 May 2027 refused")
    assert status[2].startswith("Surrey Police — submitted 6 May 2027 15:00 by @pol · LATE by 2 days")
    panel = say("qa", "/s11 panel").lines
    assert any(
        x.startswith("Surrey Police — submitted 6 May 2027 15:00 by @pol · LATE by 2 days") for x in panel
    )
    step(tick, date(2027, 5, 7), date(2027, 5, 12))
    assert reminder_days(recorder, "Surrey Police")[-1] < date(2027, 5, 6)


def test_the_substitute_who_asks_and_the_lead_both_hear_the_answer(
    say: Say, tick: Tick, recorder: RecordingSender, answer: Answer, clock: FixedClock
) -> None:
    launched(say, tick)
    at(clock, "2027-04-28T11:00")
    r = answer("pol2", recorder.launch_of("Surrey Police"), "Could we have a further week please?")
    assert r.lines[0].startswith(
        "Recorded: Surrey Police — extension asked to 11 May 2027 (1 week from the deadline"
    )
    assert "For the information of the lead, Police Lead (@pol)." in r.lines
    say("ic", "/s11 extend Surrey Police 11/05/2027")
    (told,) = [
        s for s in tick("2027-04-28T11:00") if s.channel == "#Surrey Police" and s.kind == "s11_extension"
    ]
    assert "For the attention of Police Lead (@pol) and substitute Police Deputy (@pol2)." in told.text
