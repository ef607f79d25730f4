"""/s11 letters: after moderation, one Word letter per agency (read back from the file), its
actions tracked (the actions table), its summary posted in the agency's Section 11 thread
(the outbox), and nothing created twice when the letters are written again."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from store import s11_scores
from store.db import transaction
from store.models import Action, Agency, AuditEvent, Member, OutboxMessage, S11Return
from tests import docx_reading as read
from tests.conftest import FIXTURES, LONDON, Say

AT = datetime(2027, 5, 20, 14, 0, tzinfo=UTC)


def marked(board: sessionmaker[Session], clock: FixedClock) -> None:
    text = (FIXTURES / "board.yaml").read_text()
    text = text.replace("timezone: Europe/London}", "timezone: Europe/London, marking: OFFICIAL-SENSITIVE}")
    with transaction(board) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())


def return_of(s: Session, agency: str) -> S11Return:
    ret = s.scalar(select(S11Return).join(Agency).where(Agency.name == agency))
    assert ret is not None
    return ret


def moderate_police(
    board: sessionmaker[Session], *, action: str = "Refresh the safeguarding training plan"
) -> None:
    """Surrey Police scored itself and the panel moderated: 1.1 agreed, 1.2 marked down with a
    note and an action agreed, 2.1 self-scored only."""
    with transaction(board) as s:
        ret = return_of(s, "Surrey Police")
        pol = s.scalar(select(Member.id).where(Member.handle == "pol"))
        ic = s.scalar(select(Member.id).where(Member.handle == "ic"))
        s11_scores.save_self(s, ret.id, "1.1", 2, by_id=pol, at=AT, source="chat")
        s11_scores.save_self(
            s, ret.id, "1.2", 3, by_id=pol, at=AT, source="chat",
            agency_action=action, action_deadline=date(2027, 9, 30),
        )  # fmt: skip
        s11_scores.save_self(s, ret.id, "2.1", 1, by_id=pol, at=AT, source="chat")
        s11_scores.save_moderated(s, ret.id, "1.1", 2, note=None, by_id=ic, at=AT)
        s11_scores.save_moderated(
            s, ret.id, "1.2", 1, note="The strategic plan does not yet mention safeguarding.", by_id=ic, at=AT
        )


def launched(say: Say, clock: FixedClock, board: sessionmaker[Session]) -> None:
    marked(board, clock)
    clock.set(datetime(2027, 2, 1, 10, 0, tzinfo=LONDON))
    assert say("qa", "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027").ok
    clock.set(datetime(2027, 5, 21, 9, 0, tzinfo=LONDON))


def letter_posts(s: Session) -> list[OutboxMessage]:
    return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_letter")))


def test_a_letter_for_the_moderated_agency_with_its_actions_tracked(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, clock, board)
    moderate_police(board)

    r = say("qa", "/s11 letters 2027")
    assert r.ok and r.title == "Section 11 feedback letters 2027", r.text()
    assert "Written: 1 of 3 agencies." in r.lines
    assert "Not yet moderated, so no letter: Surrey Children's Services, Surrey Health." in r.lines
    assert len(r.files) == 1
    with board() as s:
        (action,) = s.scalars(select(Action).where(Action.s11_return_id.is_not(None))).all()
        police = return_of(s, "Surrey Police")
        assert action.s11_return_id == police.id and action.source == "s11:2027:statutory:1.2"
        assert action.text == "Refresh the safeguarding training plan" and action.due_date == date(
            2027, 9, 30
        )
        assert action.owner is not None and action.owner.handle == "pol" and action.status == "open"
        assert action.agency is not None and action.agency.name == "Surrey Police"
        ref = f"A-{action.id}"
        assert f"Surrey Police: letter to Police Lead; actions: new {ref}" in r.lines

        (post,) = letter_posts(s)
        assert (post.thread_key or "").startswith(
            f"s11:{police.cycle_id}:{police.agency_id}"
        ) and post.channel == "#Surrey Police"
        text = "\n".join(post.payload["lines"])
        assert "For the attention of Police Lead (@pol)." in text
        assert (
            "The panel has moderated 2 sub-questions of your return and agreed with your score on 1." in text
        )
        assert "  1.2 · yours 3 Exceeded/embedded, the panel's 1 Partially met" in text
        assert "  1.2: The strategic plan does not yet mention safeguarding." in text
        assert f"  {ref} (1.2) Refresh the safeguarding training plan — by 30 Sep 2027" in text
        assert "with the QA officer, who will send it to you" in text  # no SharePoint here
        assert s.scalar(select(AuditEvent).where(AuditEvent.verb == "feedback_letter")) is not None

    document = read.open_docx(r.files[0])
    assert read.page_size_twips(document) == (11906, 16838)
    assert "OFFICIAL-SENSITIVE" in read.header_text(document) and "OFFICIAL-SENSITIVE" in read.footer_text(
        document
    )
    assert "Surrey Safeguarding Children Board" in read.header_text(document)
    assert document.core_properties.created == datetime(2027, 5, 21, 8, 0, tzinfo=UTC)  # 09:00 BST
    body = read.body_text(document)
    assert document.paragraphs[0].text == "Section 11 feedback letter 2027: Surrey Police"
    assert "To: Police Lead, Surrey Police" in body and "Dear Police Lead," in body
    assert (
        "moderated it on 20 May 2027" in body and "Yours sincerely," in body and "Independent Chair" in body
    )
    tables = {t.rows[0].cells[0].text + "|" + t.rows[0].cells[2].text: t for t in document.tables}
    scores = [[c.text for c in row.cells] for row in document.tables[0].rows]
    assert scores[0] == ["Ref", "Question", "Self-assessed", "Moderated", "Difference"]
    assert scores[1][0] == "1.1" and scores[1][2:] == ["2 Met", "2 Met", "agreed"]
    assert scores[2][0] == "1.2" and scores[2][2:] == ["3 Exceeded/embedded", "1 Partially met", "panel −2"]
    assert scores[3][2:] == ["not scored", "not moderated", "—"]
    second = [[c.text for c in row.cells] for row in document.tables[1].rows]
    assert second[1][:4] == ["2.1", second[1][1], "1 Partially met", "not moderated"]
    actions = tables["Action|What will be done"]
    assert [[c.text for c in row.cells] for row in actions.rows][1] == [
        ref,
        "1.2",
        "Refresh the safeguarding training plan",
        "30 Sep 2027",
    ]
    assert "1.2: The strategic plan does not yet mention safeguarding." in body
    assert all(flags[1] for t in document.tables for flags in read.table_rows_flags(t))
    Path(r.files[0]).unlink()


def test_writing_the_letters_again_creates_nothing_twice(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, clock, board)
    moderate_police(board)
    first = say("qa", "/s11 letters 2027")
    again = say("ic", "/s11 letters 2027 police")
    assert again.ok and again.title == "Section 11 feedback letters 2027"
    with board() as s:
        (action,) = s.scalars(select(Action).where(Action.s11_return_id.is_not(None))).all()
        assert len(letter_posts(s)) == 1  # the same letter: posted once
    assert f"Surrey Police: letter to Police Lead; actions: already tracked A-{action.id}" in again.lines
    assert "Written: 1 of 1 agency." in again.lines

    # The panel changes the agreed action: the same action is updated, and the changed letter posted.
    moderate_police(board, action="Refresh the training plan and report to the board")
    changed = say("qa", "/s11 letters 2027")
    with board() as s:
        (same,) = s.scalars(select(Action).where(Action.s11_return_id.is_not(None))).all()
        assert same.id == action.id and same.text == "Refresh the training plan and report to the board"
        assert len(letter_posts(s)) == 2
    assert f"Surrey Police: letter to Police Lead; actions: updated A-{action.id}" in changed.lines
    for r in (first, again, changed):
        Path(r.files[0]).unlink()


def test_an_agency_not_yet_moderated_is_named_not_skipped(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, clock, board)
    r = say("qa", "/s11 letters 2027 Surrey Health")
    assert r.ok and r.files == []
    assert r.lines == ["Written: 0 of 1 agency.", "Not yet moderated, so no letter: Surrey Health."]
    with board() as s:
        assert letter_posts(s) == [] and s.scalars(select(Action)).all() == []


def test_who_may_ask_and_what_is_wrong_with_the_line(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, clock, board)
    assert say("pol", "/s11 letters 2027").title == "Not allowed"
    assert say("bm", "/s11 letters 2027").title == "Not allowed"
    bare = say("qa", "/s11 letters")
    assert (
        not bare.ok
        and "Say the year of the cycle" in bare.text()
        and "/s11 letters <year> [agency]" in bare.text()
    )
    assert say("qa", "/s11 letters 20x7").data.get("field") == "year"
    assert say("qa", "/s11 letters 2027 Atlantis").data.get("field") == "agency"
    missing = say("qa", "/s11 letters 2031")
    assert not missing.ok and "There is no 2031 Section 11 cycle" in missing.text()
    no_return = say("qa", "/s11 letters 2027 Surrey Faith Forum")
    assert (
        not no_return.ok
        and "Surrey Faith Forum has no return in the 2027 Section 11 cycle." in no_return.text()
    )


def test_a_note_the_guard_refuses_holds_that_letter_back(
    say: Say, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, clock, board)
    moderate_police(board)
    with transaction(board) as s:
        row = s11_scores.score_for(s, return_of(s, "Surrey Police").id, "1.1")
        assert row is not None
        row.moderator_note = "Jayden Smith DOB 04.05.2015 was not seen"
    r = say("qa", "/s11 letters 2027")
    assert r.files == [] and "Written: 0 of 3 agencies." in r.lines
    assert any(
        line.startswith("Surrey Police: not written — the moderator's note on 1.1 looks like")
        for line in r.lines
    )
    with board() as s:
        assert letter_posts(s) == [] and s.scalars(select(Action)).all() == []
