"""/qa meeting move and /qa meeting cancel; meeting titles that keep every word.

The board file has a QA&E sub-group on Thursday 14 January 2027 at 10:00 (agenda Monday 11th
at 09:00). Through `say` and the real clock tick, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from store.db import transaction
from store.models import AuditEvent, Meeting, OutboxMessage
from tests.conftest import FIXTURES, LONDON, Say
from tests.meetings.conftest import RecordingSender, Tick


def _meeting(sessions: sessionmaker[Session], meeting_id: int = 1) -> Meeting:
    with sessions() as s:
        return s.get_one(Meeting, meeting_id)


def test_cancel_posts_a_notice_once_and_no_agenda(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    refused = say("bm", "/qa meeting cancel 14/01/2027 not quorate")
    assert not refused.ok and "Only the chair or the QA officer can cancel meetings" in refused.text()
    refused = say("qa", "/qa meeting cancel 14/01/2027")
    assert not refused.ok and "Say why the meeting is cancelled." in refused.text()
    refused = say("qa", "/qa meeting cancel 15/01/2027 not quorate")
    assert not refused.ok and "There is no meeting on 15 Jan 2027" in refused.text()

    r = say("qa", "/qa meeting cancel 14/01/2027 not quorate")
    assert r.ok and r.title == "Cancelled the QA&E sub-group: QA&E sub-group, Thu 14 Jan 2027 10:00"
    m = _meeting(board)
    assert m.cancelled_at is not None and m.cancel_reason == "not quorate"
    assert say("qa", "/qa meeting cancel 14/01/2027 again").title.endswith("was already cancelled")

    tick(2026, 11, 26, 10, 5)
    tick(2027, 1, 11, 9, 0)  # the agenda's time
    tick(2027, 1, 12, 9, 0)
    assert sender.of_kind("agenda") == []
    notices = sender.of_kind("meeting_changed")
    assert len(notices) == 1
    assert notices[0].title == "Cancelled: QA&E sub-group, Thu 14 Jan 2027 10:00"
    assert notices[0].channel == "#QA&E sub-group" and notices[0].lines == ["Reason: not quorate"]
    # Cancelled meetings leave the diary but keep their history.
    assert "QA&E sub-group" not in "\n".join(say("qa", "/qa meetings").lines[:3])
    with board() as s:
        [ev] = s.scalars(
            select(AuditEvent).where(AuditEvent.entity == "meeting", AuditEvent.verb == "cancelled")
        )
        assert ev.after == {"cancelled": True, "reason": "not quorate"}


def test_move_replans_the_agenda(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    refused = say("qa", "/qa meeting move 14/01/2027 01/11/2026 10:00")
    assert not refused.ok and "is in the past" in refused.text()
    r = say("ic", "/qa meeting move 14/01/2027 21/01/2027 14:00 because the chair is away")
    assert r.ok and r.title == "Moved the QA&E sub-group: QA&E sub-group"
    assert r.lines[0] == "From Thu 14 Jan 2027 10:00 to Thu 21 Jan 2027 14:00. Reason: the chair is away"
    assert r.lines[1] == "The agenda posts Mon 18 Jan 2027 09:00."
    m = _meeting(board)
    assert m.starts_at == datetime.fromisoformat("2027-01-21T14:00:00+00:00")
    tick(2027, 1, 11, 9, 0)  # the old agenda time: nothing
    assert sender.of_kind("agenda") == []
    tick(2027, 1, 18, 9, 0)
    [agenda] = sender.of_kind("agenda")
    assert agenda.title == "Agenda: QA&E sub-group — Thu 21 Jan 2027 14:00"

    # Moved again after its agenda went out: a notice in the agenda's thread, once.
    r = say("qa", "/qa meeting move 21/01/2027 28/01/2027")
    assert r.ok and "From Thu 21 Jan 2027 14:00 to Thu 28 Jan 2027 14:00." in r.lines[0]
    assert "a notice of the new time went into its thread" in r.lines[1]
    tick(2027, 1, 18, 9, 5)
    tick(2027, 1, 18, 9, 10)
    [notice] = sender.of_kind("meeting_changed")
    assert notice.title == "QA&E sub-group has moved to Thu 28 Jan 2027 14:00"
    assert notice.thread_id == agenda.message_id
    assert len(sender.of_kind("agenda")) == 1
    shown = "\n".join(say("qa", "/qa meetings").lines)
    assert "Thu 28 Jan 2027 14:00 · QA&E sub-group" in shown


def test_move_refuses_a_clash_and_a_cancelled_meeting(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/qa meeting add subgroup 21/01/2027 10:00 Extra sub-group").ok
    refused = say("qa", "/qa meeting move 14/01/2027 21/01/2027 10:00")
    assert not refused.ok and "There is already a QA&E sub-group at Thu 21 Jan 2027 10:00." in refused.text()
    assert say("qa", "/qa meeting cancel 21/01/2027 merged").ok
    refused = say("qa", "/qa meeting move 21/01/2027 22/01/2027 10:00")
    assert not refused.ok and "was cancelled (merged)" in refused.text()
    with board() as s:
        starts = list(s.scalars(select(Meeting.starts_at).order_by(Meeting.id)))
    assert starts[0] == datetime.fromisoformat("2027-01-14T10:00:00+00:00")


def test_meeting_titles_keep_every_word(say: Say, board: sessionmaker[Session]) -> None:
    for title in ("The annual safeguarding review", "Year 9 transition panel", "Met Police liaison"):
        day = {"The": "20", "Year": "21", "Met": "22"}[title.split()[0]]
        r = say("qa", f"/qa meeting add challenge {day}/01/2027 10:00 {title}")
        assert r.ok and r.title == f"Added the challenge event: {title}", r.text()
    r = say("qa", "/qa meeting add board next Thursday 2pm The Board's spring meeting")
    assert r.ok and r.title == "Added the Board: The Board's spring meeting", r.text()
    with board() as s:
        titles = list(s.scalars(select(Meeting.title).where(Meeting.source == "chat").order_by(Meeting.id)))
        kinds = list(s.scalars(select(OutboxMessage.kind)))
    assert titles == [
        "The annual safeguarding review",
        "Year 9 transition panel",
        "Met Police liaison",
        "The Board's spring meeting",
    ]
    assert kinds == []


def test_board_file_meeting_titles_keep_every_word(
    sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    text = (FIXTURES / "board.yaml").read_text() + (
        '  - {title: "The annual safeguarding review", kind: challenge, starts: "2027-02-20T10:00"}\n'
        '  - {title: "Year 9 transition panel", kind: board, starts: "2027-02-21T10:00"}\n'
        '  - {title: "Met Police liaison", kind: subgroup, starts: "2027-02-22T10:00"}\n'
    )
    with transaction(sessions) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())
    with sessions() as s:
        titles = set(s.scalars(select(Meeting.title)))
    assert {"The annual safeguarding review", "Year 9 transition panel", "Met Police liaison"} <= titles


def test_a_withdrawn_finding_leaves_the_summary_and_the_next_agenda(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    for text in ("Strategy meetings lack Police", "Health visitors miss strategy meetings"):
        assert say("ic", f"/finding add {text} agency Surrey Police rag red #cp meeting 10/12/2026").ok
    clock.set(datetime(2026, 12, 11, 9, 0, tzinfo=LONDON))
    before = say("ic", "/qa summary")
    assert ("Findings", "2") in before.fields and "Health visitors" in before.text()
    assert say("qa", "/finding withdraw F-2 recorded twice").ok
    after = say("ic", "/qa summary")
    assert ("Findings", "1") in after.fields and "Health visitors" not in after.text()
    assert "F-2" not in after.data["refs"]
    agenda = say("qa", "/qa agenda 14/01/2027").text()
    assert (
        "Strategy meetings lack Police" in agenda and "Health visitors miss strategy meetings" not in agenda
    )
