"""/s11 score and /s11 confirm in chat, and answers carried into the next cycle: what the
person sees, what the QA channel is told, what the database holds (SQLite and PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from commands.section11.score_action import split_options
from store.db import transaction
from store.models import AuditEvent, S11Score
from tests.conftest import FIXTURES, Say
from tests.section11.conftest import Answer, RecordingSender, Tick

LAUNCH = "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"
LINK = "https://sharepoint.example/s11/police-1-1.docx"


def scores(sessions: sessionmaker[Session]) -> list[tuple[str, int | None, str | None, str | None, str]]:
    with sessions() as s:
        rows = s.scalars(select(S11Score).order_by(S11Score.return_id, S11Score.sub))
        return [(r.sub, r.self_score, r.evidence, r.improvement, r.source) for r in rows]


def test_a_lead_scores_a_sub_question_and_sees_what_was_recorded(
    say: Say, board: sessionmaker[Session]
) -> None:
    assert say("qa", LAUNCH).ok
    r = say("pol", f"/s11 score Surrey Police 1.1 2 evidence {LINK} note Board reports are not minuted")
    assert r.ok, r.text()
    assert r.title == "Recorded: Surrey Police 1.1 — 2 Met"
    assert r.lines == [
        "1.1 A named senior manager at board or executive level is accountable for the organisation's "
        "safeguarding arrangements.",
        "Self-assessed: 2 Met — Arrangements in place across the organisation and evidenced.",
        f"Evidence kept: {LINK}",
        "Areas for improvement: Board reports are not minuted",
    ]
    assert scores(board) == [("1.1", 2, LINK, "Board reports are not minuted", "chat")]
    # A Slack-formatted link and a score by its name; the evidence is kept when not given again.
    r = say("pol2", "/s11 score police 1.1 partially met")
    assert r.title == "Recorded: Surrey Police 1.1 — 1 Partially met" and f"Evidence kept: {LINK}" in r.lines
    r = say("qa", "/s11 score Surrey Police 2.3 0 evidence <https://sp.example/leaflet.pdf|leaflet>")
    assert "Evidence kept: https://sp.example/leaflet.pdf" in r.lines
    r = say("cs", "/s11 score Surrey Children's Services 5.4 3")
    assert (
        "No evidence yet: add it with /s11 score Surrey Children's Services 5.4 3 evidence <link>." in r.lines
    )


def test_malformed_lines_say_what_was_wrong_and_store_nothing(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", LAUNCH).ok
    usage = "/s11 score <agency> <std.sub> <score> [evidence <link or text>] [note <areas for improvement>]"
    cases = {
        "/s11 score Surrey Police 9.9 2": "There is no sub-question 9.9. The sub-questions are 1.1, 1.2, 1.3, 2.1",
        "/s11 score Surrey Police 1.1 7": (
            '"7" is not a score on the board\'s scale: use 0 Not met, 1 Partially met, 2 Met or 3 Exceeded/embedded.'
        ),
        "/s11 score Surrey Police": "Say the agency, the sub-question (such as 1.1) and the score.",
        "/s11 score Surrey Police 1.1": "Say the sub-question (such as 1.1) and then the score.",
        "/s11 score Atlantis Police 1.1 2": 'No agency matches "Atlantis Police 1.1 2"',
        "/s11 score Surrey Police 1.1 2 evidence": "Say what comes after `evidence`.",
        "/s11 score Surrey Police training 2": '"training" is not a sub-question label such as 1.1.',
    }
    for line, problem in cases.items():
        r = say("pol", line)
        assert not r.ok, line
        assert problem in r.text(), (line, r.text())
        assert usage in r.text(), line
        assert "Traceback" not in r.text()
    assert scores(board) == []


def actions(sessions: sessionmaker[Session]) -> list[tuple[str, str | None, str | None]]:
    with sessions() as s:
        rows = s.scalars(select(S11Score).order_by(S11Score.return_id, S11Score.sub))
        return [(r.sub, r.agency_action, r.action_deadline.isoformat() if r.action_deadline else None) for r in rows]


def test_the_agencys_own_action_and_its_deadline_are_stored_and_shown(
    say: Say, board: sessionmaker[Session]
) -> None:
    assert say("qa", LAUNCH).ok
    r = say("pol", "/s11 score Surrey Police 1.1 1 note Not minuted action Minute safeguarding reports by 30/06/2027")
    assert r.ok, r.text()
    assert r.lines[-2:] == [
        "Areas for improvement: Not minuted",
        "Agency action: Minute safeguarding reports (by 30 Jun 2027)",
    ]
    assert actions(board) == [("1.1", "Minute safeguarding reports", "2027-06-30")]
    # A `by` with no date after it is the action's own words; no deadline is kept as it was.
    r = say("pol", "/s11 score Surrey Police 1.2 2 action Training delivered by the LADO")
    assert "Agency action: Training delivered by the LADO" in r.lines
    # A quoted "by" is text; the score changes and the action stays when not given again.
    r = say("pol", '/s11 score police 1.1 2 action Report "by" 31 Mar by 31 Mar 2027')
    assert "Agency action: Report by 31 Mar (by 31 Mar 2027)" in r.lines
    assert say("pol", "/s11 score police 1.1 3").lines[-1] == "Agency action: Report by 31 Mar (by 31 Mar 2027)"
    assert actions(board) == [
        ("1.1", "Report by 31 Mar", "2027-03-31"),
        ("1.2", "Training delivered by the LADO", None),
    ]


def test_a_deadline_without_an_action_or_in_the_past_is_refused(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", LAUNCH).ok
    usage = "[action <the agency's action> [by <date>]]"
    cases = {
        "/s11 score Surrey Police 1.1 2 by 30/06/2027": "A deadline (`by <date>`) is for the agency's action",
        "/s11 score Surrey Police 1.1 2 action Minute it by 01/01/2026": "The deadline 1 Jan 2026 is in the past.",
        "/s11 score Surrey Police 1.1 2 action by 30/06/2027": "Say what comes after `action`.",
        "/s11 score Surrey Police 1.1 2 action Minute it by 31/02/2027": "31/02/2027",
        "/s11 score Surrey Police 1.1 2 action Home visit Jayden Smith GU1 4LH missed": (
            "could identify a child or family"
        ),
    }
    for line, problem in cases.items():
        r = say("pol", line)
        assert not r.ok, line
        assert problem in r.text(), (line, r.text())
        assert "Traceback" not in r.text()
        if "Jayden" not in line:
            assert usage in r.text(), (line, r.text())
    assert scores(board) == []


def test_only_the_agencys_people_and_the_officers_score_it(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", LAUNCH).ok
    for who in ("cs", "bm"):
        r = say(who, "/s11 score Surrey Police 1.1 2")
        assert not r.ok and "Only Surrey Police's own people, the QA officer or the chair" in r.text()
    assert say("ic", "/s11 score Surrey Police 1.1 2").ok
    assert scores(board) == [("1.1", 2, None, None, "chat")]


def test_the_guard_reads_evidence_and_notes_before_anything_is_stored(
    say: Say, board: sessionmaker[Session]
) -> None:
    assert say("qa", LAUNCH).ok
    r = say("pol", "/s11 score Surrey Police 1.1 1 note Home visit Jayden Smith GU1 4LH missed")
    assert not r.ok and "could identify a child or family" in r.text()
    assert scores(board) == []


def test_no_scoring_before_a_launch(say: Say) -> None:
    r = say("pol", "/s11 score Surrey Police 1.1 2")
    assert not r.ok and "Surrey Police has no Section 11 return: it is not in a launched cycle." in r.text()


def test_a_change_after_submission_is_audited_and_the_qa_officer_told_once(
    say: Say, tick: Tick, answer: Answer, recorder: RecordingSender, board: sessionmaker[Session]
) -> None:
    assert say("qa", LAUNCH).ok
    tick("2026-11-26T10:00")
    assert say("pol", "/s11 score Surrey Police 1.1 2").ok
    assert answer("pol", recorder.launch_of("Surrey Police"), f"submitted {LINK}").ok
    tick("2026-11-26T10:05")
    assert recorder.to("#qa") == []
    r = say("pol", "/s11 score Surrey Police 1.1 1")
    assert (
        "The return was already submitted: the change is audited and the QA officer has been told." in r.lines
    )
    assert say("pol", "/s11 score Surrey Police 1.1 1").ok  # the same again: nothing changed, nobody told
    tick("2026-11-26T10:10")
    (told,) = recorder.to("#qa", "s11_score_change")
    assert told.post.reply.title == "Surrey Police changed a score of its submitted Section 11 return"
    assert "Section 11 2027 (statutory) · 1.1: 2 Met → 1 Partially met, by Police Lead (@pol)." in told.text
    # A new action on the submitted return: audited, and the QA officer told what it is.
    r = say("pol", "/s11 score Surrey Police 1.1 1 action Minute safeguarding reports by 30/06/2027")
    assert "The return was already submitted: the change is audited and the QA officer has been told." in r.lines
    tick("2026-11-26T10:15")
    told_action = recorder.to("#qa", "s11_score_change")[-1]
    assert "Agency action: Minute safeguarding reports (by 30 Jun 2027)" in told_action.text
    with board() as s:
        events = s.scalars(select(AuditEvent).where(AuditEvent.entity == "s11_score")).all()
        assert [(e.before or {}).get("self_score") for e in events] == [None, 2, 1]
        assert [(e.after or {}).get("self_score") for e in events] == [2, 1, 1]
        assert (events[-1].after or {}).get("agency_action") == "Minute safeguarding reports"
        assert (events[-1].after or {}).get("action_deadline") == "2027-06-30"


def test_answers_are_carried_into_the_next_cycle_to_confirm_or_change(
    say: Say, tick: Tick, recorder: RecordingSender, board: sessionmaker[Session]
) -> None:
    assert say("qa", LAUNCH).ok
    for line in (
        f"/s11 score Surrey Police 1.1 2 evidence {LINK}",
        "/s11 score Surrey Police 1.2 1 evidence https://sp.example/plan.docx note Plan out of date",
        "/s11 score Surrey Police 2.1 3 evidence https://sp.example/policy.pdf",
    ):
        assert say("pol", line).ok
    launched = say("qa", "/s11 launch 2029 deadline 04/05/2029")
    assert "Answers carried from the last cycle, to confirm or change: Surrey Police." in launched.lines
    tick("2026-11-26T10:30")
    post = recorder.to("#Surrey Police", "s11_launch")[-1]
    assert (
        "3 answers carried from 2027: confirm, update or change them. /s11 confirm Surrey Police all keeps "
        "them as they are; /s11 score Surrey Police <std.sub> <score> evidence <link> changes one "
        "(a changed answer needs new evidence)."
    ) in post.text
    assert "Score each sub-question (1.1 to 8.3) on the board's scale" in post.text
    assert "3 answers carried" not in recorder.to("#Surrey Health", "s11_launch")[-1].text

    status = say("qa", "/s11 status 2029")
    police = status.lines.index(next(x for x in status.lines if x.startswith("Surrey Police — ")))
    assert (
        status.lines[police + 1]
        == "  scores: 0 answered · 3 carried from 2027, not confirmed · 22 missing (of 25)"
    )
    assert "  scores: 0 answered · 25 missing (of 25)" in status.lines  # the agencies with nothing carried

    same = say("pol", "/s11 score Surrey Police 1.1 2")
    assert "Confirmed the answer carried from 2027." in same.lines and f"Evidence kept: {LINK}" in same.lines
    changed = say("pol", "/s11 score Surrey Police 1.2 2")
    assert "Changed from the answer carried from 2027." in changed.lines
    assert (
        "2027's evidence was for the old score, so it was not kept: add new evidence with "
        "/s11 score Surrey Police 1.2 2 evidence <link>."
    ) in changed.lines
    not_carried = say("pol", "/s11 confirm Surrey Police 1.2")
    assert (
        not not_carried.ok
        and "1.2 of Surrey Police's return is already confirmed or changed" in not_carried.text()
    )
    confirmed = say("pol2", "/s11 confirm Surrey Police all")
    assert confirmed.title == "Confirmed: Surrey Police, 1 answer as in 2027"
    assert confirmed.lines == [
        "Confirmed 1 answer carried from 2027, with their evidence: 2.1.",
        "No carried answer is left to confirm.",
    ]
    again = say("pol2", "/s11 confirm Surrey Police")
    assert again.title == "Nothing to confirm: Surrey Police"
    status = say("pol", "/s11 status 2029")
    assert status.lines[1] == "  scores: 3 answered · 22 missing (of 25)"
    with board() as s:
        rows = s.scalars(
            select(S11Score).where(S11Score.carried_from_cycle_id.is_not(None)).order_by(S11Score.sub)
        )
        assert [(r.sub, r.self_score, r.evidence, r.source) for r in rows] == [
            ("1.1", 2, LINK, "chat"),
            ("1.2", 2, None, "chat"),
            ("2.1", 3, "https://sp.example/policy.pdf", "chat"),
        ]


def test_removing_an_agency_with_only_carried_answers(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", LAUNCH).ok
    assert say("pol", "/s11 score Surrey Police 1.1 2").ok
    assert say("qa", "/s11 launch 2029 deadline 04/05/2029").ok
    assert say("qa", "/s11 cancel 2027 statutory replaced by the 2029 cycle").ok
    r = say("qa", "/s11 remove Surrey Police moved to another partnership")
    assert r.ok, r.text()
    assert scores(board) == [("1.1", 2, None, None, "chat")]  # 2027's answer stays


def test_the_form_on_the_console_shows_the_step_as_text(say: Say) -> None:
    assert say("qa", LAUNCH).ok
    r = say("pol", "/s11 form")
    assert r.title == "Section 11 2027 (statutory) form: Surrey Police — 1.1 (1 of 25)"
    assert r.lines[0] == "1. Senior management commitment to safeguarding"
    assert r.lines[2].startswith(
        "Scale: 0 Not met — No arrangements in place, or serious gaps in them.; 1 Partially"
    )
    assert r.lines[3:] == [
        "Not answered yet.",
        "Answer with /s11 score Surrey Police 1.1 <score> evidence <link> note <areas for improvement> "
        "action <the agency's action> by <date>; "
        "/s11 form Surrey Police 1.2 shows the next.",
    ]
    assert say("pol", f"/s11 score Surrey Police 1.1 2 evidence {LINK}").ok
    assert say("pol", "/s11 form").title == "Section 11 2027 (statutory) form: Surrey Police — 1.2 (2 of 25)"
    again = say("pol", "/s11 form police 1.1")
    assert (
        again.lines[3]
        == f"Now: 2 Met — Arrangements in place across the organisation and evidenced. · evidence: {LINK}"
    )
    nobody = say("qa", "/s11 form")
    assert not nobody.ok and "Say which agency's form, e.g. /s11 form Surrey Police." in nobody.text()
    last = say("pol", "/s11 form Surrey Police 8.3")
    assert (
        last.lines[-1]
        == "Answer with /s11 score Surrey Police 8.3 <score> evidence <link> note <areas for improvement> "
        "action <the agency's action> by <date>."
    )


def test_a_board_with_its_own_standards_and_the_ofsted_scale(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    text = (
        (FIXTURES / "board.yaml")
        .read_text()
        .replace(
            "section11: {statutory_years: odd}",
            'section11: {statutory_years: odd, scale: {kind: ofsted}, standards: ["1. Leadership", "2. Training"]}',
        )
    )
    with transaction(board) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())
    assert say("qa", LAUNCH).ok
    r = say("pol", "/s11 score Surrey Police 2 requires improvement")
    assert r.title == "Recorded: Surrey Police 2.1 — 3 Requires improvement", r.text()
    assert r.lines[:2] == [
        "2.1 Training",
        "Self-assessed: 3 Requires improvement — In place but not yet consistently effective.",
    ]
    wrong = say("pol", "/s11 score Surrey Police 1.1 0")
    assert (
        '"0" is not a score on the board\'s scale: use 4 Inadequate, 3 Requires improvement, 2 Good or 1 Outstanding.'
        in wrong.text()
    )
    assert say("pol", "/s11 rate Surrey Police 1 amber").ok  # /s11 rate keeps rating whole standards
    status = say("qa", "/s11 status")
    assert "  scores: 1 answered · 1 missing (of 2)" in status.lines


def test_an_agency_called_action_for_is_not_read_as_the_action() -> None:
    head, options = split_options("Action for Children 1.1 2 action Do it by 30/06/2027")
    assert head == ["Action", "for", "Children", "1.1", "2"]
    assert [t for t, _ in options["action"]] == ["Do", "it", "by", "30/06/2027"]
