"""/s11 deadline, cancel, add and remove on a launched cycle, through `say` and the real
clock tick, on SQLite and PostgreSQL: what each agency receives, and what the database holds."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.models import Agency, AuditEvent, S11Cycle, S11Return
from tests.conftest import Say
from tests.section11.conftest import Agencies, Answer, RecordingSender, Tick
from tests.section11.test_cycle import launched, reminder_days, step


def _cycle(sessions: sessionmaker[Session]) -> S11Cycle:
    with sessions() as s:
        found = s.scalar(select(S11Cycle))
        assert found is not None
        return found


def _cohort(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Agency.name).join(S11Return).order_by(Agency.name)))


def test_moving_the_deadline_replans_reminders_and_tells_each_agency_once(
    say: Say, board: sessionmaker[Session], tick: Tick, recorder: RecordingSender
) -> None:
    launched(say, tick)
    step(tick, date(2027, 4, 1), date(2027, 4, 7))  # the 28-day reminder for 4 May went out
    refused = say("pol", "/s11 deadline 2027 18/05/2027")
    assert (
        not refused.ok and "Only the chair or the QA officer can move a Section 11 deadline" in refused.text()
    )
    refused = say("qa", "/s11 deadline 2027 25/05/2027")
    assert not refused.ok and "The panel meets on 20 May 2027, before 25 May 2027" in refused.text()

    r = say("qa", "/s11 deadline 2027 18/05/2027 because the panel moved")
    assert r.ok and r.title == "Section 11 2027 (statutory): deadline moved to 18 May 2027"
    assert r.lines[0] == "It was 4 May 2027. 3 agencies told in their Section 11 threads."
    assert _cycle(board).deadline == date(2027, 5, 18)
    sent = tick("2027-04-07T10:00")
    tick("2027-04-07T10:01")
    for agency in Agencies:
        [notice] = recorder.to(f"#{agency}", "s11_deadline")
        assert notice.post.reply.title == "Section 11 2027 (statutory): the deadline is now 18 May 2027"
        assert "The deadline has moved from 4 May 2027 to 18 May 2027." in notice.text
        assert "Reason: the panel moved" in notice.text
        assert notice.post.thread_id == recorder.launch_of(agency).message_id
    assert len(sent) == len(Agencies)

    step(tick, date(2027, 4, 8), date(2027, 5, 18))
    for agency in Agencies:
        days = reminder_days(recorder, agency)
        assert days[0] == date(2027, 4, 6)  # sent before the move
        assert date(2027, 4, 27) not in days and date(2027, 4, 30) not in days  # the old plan
        assert days[-1] == date(2027, 5, 18) and date(2027, 5, 4) in days
        last = recorder.to(f"#{agency}", "s11_reminder")[-1]
        assert "due today, 18 May 2027" in last.text
    with board() as s:
        [ev] = s.scalars(select(AuditEvent).where(AuditEvent.verb == "deadline moved"))
        assert ev.before == {"deadline": "2027-05-04"}
        assert ev.after == {"deadline": "2027-05-18", "reason": "the panel moved"}


def test_a_cancelled_cycle_sends_no_more_reminders_or_escalations(
    say: Say, board: sessionmaker[Session], tick: Tick, recorder: RecordingSender
) -> None:
    launched(say, tick)
    step(tick, date(2027, 4, 5), date(2027, 4, 6))
    refused = say("qa", "/s11 cancel 2027")
    assert not refused.ok and "Say why the cycle is cancelled." in refused.text()
    r = say("ic", "/s11 cancel 2027 replaced by the joint audit")
    assert r.ok and r.title == "Cancelled Section 11 2027 (statutory)"
    assert _cycle(board).status == "cancelled"
    before = len(recorder.sent)
    step(tick, date(2027, 4, 7), date(2027, 6, 1))
    later = [s for s in recorder.sent[before:] if s.kind.startswith("s11")]
    assert sorted(s.channel for s in later) == sorted(f"#{a}" for a in Agencies)
    assert {s.kind for s in later} == {"s11_cancelled"}
    assert "Reason: replaced by the joint audit" in later[0].text
    again = say("qa", "/s11 cancel 2027 twice")
    assert not again.ok and "is cancelled: only an open cycle can be changed" in again.text()
    refused = say("qa", "/s11 deadline 2027 18/05/2027")
    assert not refused.ok and "only an open cycle can be changed" in refused.text()


def test_add_and_remove_an_agency(
    say: Say, board: sessionmaker[Session], tick: Tick, recorder: RecordingSender, answer: Answer
) -> None:
    launched(say, tick)
    r = say("qa", "/s11 add Surrey Faith Forum")
    assert r.ok and r.title == "Added Surrey Faith Forum to Section 11 2027 (statutory)"
    assert say("qa", "/s11 add Surrey Faith Forum").title == (
        "Surrey Faith Forum is already in Section 11 2027 (statutory)"
    )
    assert "Surrey Faith Forum" in _cohort(board)
    tick("2026-11-26T10:05")
    [launch] = recorder.to("#Surrey Faith Forum", "s11_launch")
    assert "Surrey Faith Forum, your self-assessment is due by 4 May 2027" in launch.text

    r = say("qa", "/s11 remove Surrey Faith Forum added by mistake")
    assert r.ok and r.title == "Removed Surrey Faith Forum from Section 11 2027 (statutory)"
    assert "Surrey Faith Forum" not in _cohort(board)
    tick("2026-11-26T10:10")
    [removed] = recorder.to("#Surrey Faith Forum", "s11_removed")
    assert removed.post.thread_id == launch.message_id and "Reason: added by mistake" in removed.text
    step(tick, date(2027, 4, 5), date(2027, 4, 7))
    assert recorder.to("#Surrey Faith Forum", "s11_reminder") == []
    assert reminder_days(recorder, "Surrey Police") == [date(2027, 4, 6)]

    # A return that is in stays in the cycle.
    police = recorder.launch_of("Surrey Police")
    assert answer("pol", police, "submitted https://example.org/s11.docx").ok
    refused = say("qa", "/s11 remove Surrey Police")
    assert not refused.ok and "Surrey Police has already submitted its 2027 return" in refused.text()
    refused = say("qa", "/s11 remove Surrey Faith Forum")
    assert not refused.ok and "Surrey Faith Forum is not in an open Section 11 cycle." in refused.text()
    assert "Surrey Police" in _cohort(board)
    with board() as s:
        verbs = list(s.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "s11_return")))
    assert "added to cycle" in verbs and "removed from cycle" in verbs
