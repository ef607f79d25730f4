"""Every action and finding mistake can be corrected, with the reason audited and shown:
/action cancel|reopen|hold, the closed-action refusals, /finding update|withdraw|hold.
Through `say` on SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from store.models import Action, AuditEvent, Finding
from tests.conftest import Say


def _audit(sessions: sessionmaker[Session], entity: str, entity_id: int) -> list[AuditEvent]:
    with sessions() as s:
        stmt = select(AuditEvent).where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        return list(s.scalars(stmt.order_by(AuditEvent.id)))


def test_cancel_then_reopen_an_action(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Review MASH referral audit @pol due 12/03/2027 #cp").ok
    r = say("pol", "/action cancel A-1 duplicate of the March audit")
    assert r.ok and r.title == "Cancelled A-1" and "CANCELLED" in r.lines[0]
    assert r.lines[1] == "Reason: duplicate of the March audit"
    with board() as s:
        a = s.get_one(Action, 1)
        assert a.status == "cancelled" and a.closing_note == "duplicate of the March audit"
        assert a.closed_at is not None
    assert say("ic", "/action list").title == "Open actions (0)"
    [ev] = [e for e in _audit(board, "action", 1) if e.verb == "cancelled"]
    assert ev.before is not None and ev.after is not None
    assert ev.before["status"] == "open" and ev.after["status"] == "cancelled"
    assert ev.after["reason"] == "duplicate of the March audit"

    # Closed actions cannot be snoozed, updated or closed as done: the reply says what to do.
    for line in ("/action snooze A-1", "/action update A-1 due 20/03/2027", "/action done A-1"):
        refused = say("qa", line)
        assert not refused.ok and "reopen first: /action reopen A-1" in refused.text(), line
    with board() as s:
        assert s.get_one(Action, 1).due_date is not None and s.get_one(Action, 1).status == "cancelled"

    r = say("qa", "/action reopen A-1 the March audit was dropped")
    assert r.ok and r.title == "Reopened A-1" and "CANCELLED" not in r.lines[0]
    with board() as s:
        a = s.get_one(Action, 1)
        assert a.status == "open" and a.closed_at is None and a.closing_note is None
    shown = say("qa", "/action show A-1")
    assert ("Status", "open") in shown.fields
    history = "\n".join(shown.lines)
    assert "@pol cancelled (status: open → cancelled" in history
    assert "reason: duplicate of the March audit" in history
    assert (
        "@qa reopened (status: cancelled → open" in history
        and "reason: the March audit was dropped" in history
    )
    assert say("qa", "/action reopen A-1").title == "A-1 is already open"
    assert say("qa", "/action snooze A-1").ok


def test_done_actions_must_be_reopened_before_a_change(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Chase the neglect audit @cs due 12/03/2027").ok
    assert say("cs", "/action done A-1").ok
    refused = say("cs", "/action update A-1 owner @pol")
    assert not refused.ok and refused.lines == ["A-1 is closed; reopen first: /action reopen A-1"]
    refused = say("qa", "/action cancel A-1 not needed")
    assert not refused.ok and "reopen first: /action reopen A-1" in refused.text()
    assert say("cs", "/action reopen A-1").title == "Reopened A-1"
    assert say("cs", "/action update A-1 due 20/03/2027").title == "Updated A-1"


def test_update_refuses_a_past_due_date_as_add_does(say: Say, board: sessionmaker[Session]) -> None:
    added = say("qa", "/action add Review the audit @pol due 01/11/2026")
    updated_ok = say("qa", "/action add Review the plan @pol due 12/03/2027")
    assert not added.ok and updated_ok.ok
    refused = say("qa", "/action update A-1 due 01/11/2026")
    assert not refused.ok and "The due date 1 Nov 2026 is in the past." in refused.text()
    assert "The due date 1 Nov 2026 is in the past." in added.text()
    with board() as s:
        assert str(s.get_one(Action, 1).due_date) == "2027-03-12"


def test_cancel_needs_a_reason_and_the_right_person(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Review the audit @pol due 12/03/2027").ok
    refused = say("qa", "/action cancel A-1")
    assert not refused.ok and "Say why the action is cancelled." in refused.text()
    refused = say("cs", "/action cancel A-1 not ours")
    assert not refused.ok and "There is no action A-1" in refused.text()  # cs cannot see it
    refused = say("bm", "/action cancel A-1 not ours")
    assert (
        not refused.ok and "You cannot cancel A-1: only @pol, the QA officer or the chair" in refused.text()
    )
    refused = say("pol", "/action hold A-1 inquiry")
    assert (
        not refused.ok
        and "Only the chair or the QA officer can put an action under legal hold" in refused.text()
    )
    with board() as s:
        a = s.get_one(Action, 1)
        assert a.status == "open" and a.legal_hold is False


def test_hold_an_action_and_a_finding(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Review the audit @pol due 12/03/2027").ok
    assert say("bm", "/finding add Early help assessments late rag red escalate").ok
    r = say("qa", "/action hold A-1 requested by the rapid review")
    assert r.ok and r.title == "A-1: legal hold set"
    r = say("ic", "/finding hold F-1 subject of a complaint")
    assert r.ok and r.title == "F-1: legal hold set"
    with board() as s:
        assert s.get_one(Action, 1).legal_hold and s.get_one(Finding, 1).legal_hold
    assert ("Legal hold", "kept by retention purges") in say("qa", "/finding show F-1").fields
    assert "reason: requested by the rapid review" in "\n".join(say("qa", "/action show A-1").lines)
    r = say("qa", "/finding hold F-1 off the complaint is closed")
    assert r.title == "F-1: legal hold lifted"
    with board() as s:
        assert not s.get_one(Finding, 1).legal_hold


def test_update_and_withdraw_a_finding(say: Say, board: sessionmaker[Session]) -> None:
    assert say(
        "ic", "/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber"
    ).ok
    assert say("bm", "/finding add Early help assessments late #earlyhelp rag red escalate").ok

    r = say("bm", "/finding update F-1 rag red because the re-audit found no change")
    assert r.ok and r.title == "Updated F-1" and "RED" in r.lines[0]
    assert r.lines[1] == "Reason: the re-audit found no change"
    r = say("qa", "/finding update F-1 agency Surrey Children's Services")
    assert r.ok and "Surrey Children's Services" in r.lines[0]
    r = say("qa", "/finding update F-1 priority #cp")
    assert "Child Protection" in r.lines[0]
    r = say("qa", "/finding update F-1 text Strategy meetings rarely include health because of rotas")
    assert r.lines[0].startswith("F-1 · Strategy meetings rarely include health because of rotas")
    with board() as s:
        f = s.get_one(Finding, 1)
        assert (f.rag, f.priority) == ("red", "Child Protection")
        assert f.agency is not None and f.agency.name == "Surrey Children's Services"
    history = "\n".join(say("qa", "/finding show F-1").lines)
    assert "@bm updated (rag: amber → red), reason: the re-audit found no change" in history
    assert "agency: Surrey Police → Surrey Children's Services" in history

    refused = say("pol", "/finding update F-1 rag green")
    assert not refused.ok and "Agency leads cannot correct findings" in refused.text()
    refused = say("qa", "/finding update F-1 colour green")
    assert not refused.ok and "Say what to change: text, agency, rag or priority." in refused.text()

    assert "Early help assessments late" in say("ic", "/qa status").text()  # escalated, so shown
    r = say("qa", "/finding withdraw F-2 recorded against the wrong meeting")
    assert r.ok and r.title == "Withdrew F-2"
    with board() as s:
        f = s.get_one(Finding, 2)
        assert f.withdrawn_at is not None and f.withdrawn_reason == "recorded against the wrong meeting"
    listed = say("qa", "/finding list")
    assert listed.title == "Findings (1)" and not any("F-2" in line for line in listed.lines)
    status = say("ic", "/qa status").text()
    assert "Early help assessments late" not in status
    shown = say("qa", "/finding show F-2")
    assert shown.ok and ("Withdrawn", shown.fields[-1][1]) in shown.fields
    assert "recorded against the wrong meeting" in shown.fields[-1][1]
    assert "@qa withdrawn, reason: recorded against the wrong meeting" in "\n".join(shown.lines)
    refused = say("qa", "/finding update F-2 rag amber")
    assert not refused.ok and "F-2 was withdrawn" in refused.text()
    assert say("qa", "/finding withdraw F-2 again").title == "F-2 was already withdrawn"
    [ev] = [e for e in _audit(board, "finding", 2) if e.verb == "withdrawn"]
    assert ev.after is not None and ev.after["reason"] == "recorded against the wrong meeting"
