"""store.s11_scores on SQLite and PostgreSQL: what the table holds after each write, and who
sees which rows."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from store import s11_scores as scores
from store import section11 as s11
from store.db import transaction
from store.models import Agency, Member, S11Cycle, S11Return, S11Score
from store.visibility import BOARD, Viewer

AT = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def _agency(s: Session, name: str) -> Agency:
    found = s.scalar(select(Agency).where(Agency.name == name))
    assert found is not None
    return found


def _member(s: Session, handle: str) -> Member:
    found = s.scalar(select(Member).where(Member.handle == handle))
    assert found is not None
    return found


def _cycle(s: Session, year: int) -> S11Cycle:
    c = S11Cycle(year=year, cohort="statutory", deadline=date(year, 5, 4), launched_at=AT, status="open")
    s.add(c)
    s.flush()
    return c


def _return(s: Session, cycle: S11Cycle, agency: str) -> S11Return:
    r = S11Return(cycle_id=cycle.id, agency_id=_agency(s, agency).id)
    s.add(r)
    s.flush()
    return r


def test_save_self_then_change_keeps_evidence_and_reports_before(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        ret = _return(s, _cycle(s, 2027), "Surrey Police")
        pol = _member(s, "pol").id
        first = scores.save_self(
            s, ret.id, "1.1", 2, by_id=pol, at=AT, source="chat", evidence="https://sp/x"
        )
        assert first.before is None and first.changed
        second = scores.save_self(
            s, ret.id, "1.1", 3, by_id=pol, at=AT, source="form", improvement="More audits"
        )
        assert second.previous_self == 2 and second.after["self_score"] == 3
        ret_id = ret.id
    with board() as s:
        (row,) = scores.scores_for_return(s, ret_id)
        assert (row.sub, row.self_score, row.evidence, row.improvement, row.source) == (
            "1.1",
            3,
            "https://sp/x",
            "More audits",
            "form",
        )
        assert row.self_by_id == pol and row.self_at == AT


def test_save_moderated_gives_previous_and_new(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        ret = _return(s, _cycle(s, 2027), "Surrey Police")
        qa = _member(s, "qa").id
        scores.save_self(s, ret.id, "2.1", 3, by_id=None, at=AT, source="chat")
        first = scores.save_moderated(s, ret.id, "2.1", 1, note="No evidence of review", by_id=qa, at=AT)
        assert first.previous_moderated is None and first.after["moderated_score"] == 1
        assert first.after["self_score"] == 3
        again = scores.save_moderated(s, ret.id, "2.1", 2, note=None, by_id=qa, at=AT)
        assert (again.previous_moderated, again.after["moderated_score"]) == (1, 2)
        assert again.row.moderator_note == "No evidence of review"
        fresh = scores.save_moderated(s, ret.id, "3.1", 0, note=None, by_id=qa, at=AT)
        assert fresh.before is None and fresh.row.self_score is None


def test_unique_return_and_sub(board: sessionmaker[Session]) -> None:
    with pytest.raises(IntegrityError), transaction(board) as s:
        ret = _return(s, _cycle(s, 2027), "Surrey Police")
        s.add_all(
            [
                S11Score(return_id=ret.id, sub="1.1", source="chat"),
                S11Score(return_id=ret.id, sub="1.1", source="chat"),
            ]
        )
        s.flush()


def test_scores_for_cycle_applies_visibility(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        cycle = _cycle(s, 2027)
        for name in ("Surrey Police", "Surrey Health"):
            ret = _return(s, cycle, name)
            for sub, v in (("2.1", 1), ("1.2", 2), ("1.10", 3)):
                scores.save_self(s, ret.id, sub, v, by_id=None, at=AT, source="chat")
        police, cycle_id = _agency(s, "Surrey Police").id, cycle.id
        other = _cycle(s, 2029)
        scores.save_self(s, _return(s, other, "Surrey Police").id, "1.1", 0, by_id=None, at=AT, source="chat")
    with board() as s:
        everyone = scores.scores_for_cycle(s, cycle_id, BOARD)
        assert [(r.s11_return.agency.name, r.sub) for r in everyone] == [
            ("Surrey Health", "1.2"),
            ("Surrey Health", "1.10"),
            ("Surrey Health", "2.1"),
            ("Surrey Police", "1.2"),
            ("Surrey Police", "1.10"),
            ("Surrey Police", "2.1"),
        ]
        lead = Viewer(member_id=_member(s, "pol").id, agencies=frozenset({police}))
        assert {r.s11_return.agency.name for r in scores.scores_for_cycle(s, cycle_id, lead)} == {
            "Surrey Police"
        }
        assert scores.scores_for_cycle(s, cycle_id, Viewer(member_id=None, agencies=frozenset())) == []


def test_replace_answers_is_all_or_nothing_and_keeps_moderation(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        ret = _return(s, _cycle(s, 2027), "Surrey Police")
        scores.save_self(s, ret.id, "1.1", 1, by_id=None, at=AT, source="chat", evidence="old")
        scores.save_moderated(s, ret.id, "1.1", 1, note="ok", by_id=None, at=AT)
        ret_id = ret.id
    with transaction(board) as s:
        with pytest.raises(ValueError, match=r"sub-question 1\.2 given more than once"):
            scores.replace_answers(
                s,
                ret_id,
                [scores.Answer("1.1", 3), scores.Answer("1.2", 2), scores.Answer("1.2", 1)],
                "workbook",
                None,
                AT,
            )
        saved = scores.replace_answers(
            s,
            ret_id,
            [
                scores.Answer("1.1", 3, improvement="More"),
                scores.Answer("1.2", 2, action_deadline=date(2027, 9, 1)),
            ],
            "workbook",
            None,
            AT,
        )
        assert [(x.previous_self, x.after["self_score"]) for x in saved] == [(1, 3), (None, 2)]
    with board() as s:
        rows = scores.scores_for_return(s, ret_id)
        assert [
            (r.sub, r.self_score, r.evidence, r.improvement, r.moderated_score, r.source) for r in rows
        ] == [
            ("1.1", 3, None, "More", 1, "workbook"),
            ("1.2", 2, None, None, None, "workbook"),
        ]
        assert rows[1].action_deadline == date(2027, 9, 1)


def test_replace_answers_failure_part_way_writes_nothing(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        ret_id = _return(s, _cycle(s, 2027), "Surrey Police").id
    with transaction(board) as s:
        with pytest.raises(IntegrityError):
            scores.replace_answers(
                s, ret_id, [scores.Answer("1.1", 3), scores.Answer("1.2", 2)], "workbook", 999999, AT
            )  # no member 999999: the foreign key fails
        assert scores.scores_for_return(s, ret_id) == []


def test_previous_answers_and_carrying_and_confirming(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        old, older = _cycle(s, 2025), _cycle(s, 2023)
        r23 = _return(s, older, "Surrey Police")
        scores.save_self(s, r23.id, "1.1", 0, by_id=None, at=AT, source="chat")
        r25 = _return(s, old, "Surrey Police")
        scores.save_self(s, r25.id, "1.1", 2, by_id=None, at=AT, source="chat", evidence="https://sp/2025")
        scores.save_self(s, r25.id, "1.2", 1, by_id=None, at=AT, source="chat")
        scores.save_moderated(s, r25.id, "3.1", 1, note=None, by_id=None, at=AT)  # no self-score
        new = _cycle(s, 2027)
        r27 = _return(s, new, "Surrey Police")
        police = _agency(s, "Surrey Police").id
        prev = scores.previous_answers(s, police, new.id)
        assert [(r.sub, r.self_score, r.s11_return.cycle_id) for r in prev] == [
            ("1.1", 2, old.id),
            ("1.2", 1, old.id),
        ]
        assert scores.previous_answers(s, police, older.id) == []
        assert scores.previous_answers(s, _agency(s, "Surrey Health").id, new.id) == []
        carried = [scores.Answer(r.sub, r.self_score, evidence=r.evidence) for r in prev]
        scores.replace_answers(s, r27.id, carried, "carried", None, AT, carried_from_cycle_id=old.id)
        assert s11.return_references(s, r27.id) == 0  # only carried answers: it may still be removed
        confirmed = scores.confirm_carried(
            s, r27.id, ["1.1"], by_id=_member(s, "pol").id, at=AT, source="chat"
        )
        assert [r.sub for r in confirmed] == ["1.1"]
        assert s11.return_references(s, r27.id) == 1
        r27_id, old_id = r27.id, old.id
    with board() as s:
        rows = scores.scores_for_return(s, r27_id)
        assert [(r.sub, r.self_score, r.evidence, r.source, r.carried_from_cycle_id) for r in rows] == [
            ("1.1", 2, "https://sp/2025", "chat", old_id),
            ("1.2", 1, None, "carried", old_id),
        ]


def test_removing_a_return_with_only_carried_answers(board: sessionmaker[Session]) -> None:
    with transaction(board) as s:
        ret = _return(s, _cycle(s, 2027), "Surrey Police")
        scores.replace_answers(s, ret.id, [scores.Answer("1.1", 2)], "carried", None, AT)
        s11.remove_return(s, ret)
    with board() as s:
        assert s.scalars(select(S11Score)).all() == []
