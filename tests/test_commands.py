"""The command core, as members use it: on SQLite and on PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound
from store.models import Action, AuditEvent, Finding, ProcessedDelivery
from tests.conftest import Say


def counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    with sessions() as s:
        return (
            s.scalar(select(func.count()).select_from(Action)) or 0,
            s.scalar(select(func.count()).select_from(Finding)) or 0,
            # A guard refusal is audited (who, when, which signals, never the text): not a change.
            s.scalar(select(func.count()).select_from(AuditEvent).where(AuditEvent.entity != "guard")) or 0,
        )


def test_add_list_show_done(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/action add Review MASH referral audit @pol due 12/03/2027 #cp")
    assert r.ok and r.title == "Logged A-1" and r.visibility == "channel"
    assert r.lines == [
        "A-1 · Review MASH referral audit · @pol · Surrey Police · due 12 Mar 2027 · Child Protection"
    ]
    assert [b.label for b in r.buttons] == ["Done", "Snooze a week", "Reassign"]

    listed = say("ic", "/action list")
    assert listed.title == "Open actions (1)" and "A-1 · Review MASH referral audit" in listed.lines[0]
    assert listed.visibility == "ephemeral"

    done = say("pol", "/action done A-1 audit completed")
    assert done.title == "Closed A-1"
    shown = say("qa", "/action show A-1")
    assert ("Status", "done") in shown.fields and ("Closing note", "audit completed") in shown.fields
    history = "\n".join(shown.lines)
    assert "@qa created" in history and "@pol closed (status: open → done" in history
    assert say("qa", "/action list").title == "Open actions (0)"
    assert say("qa", "/action list done").title == "Closed actions (1)"


def test_natural_due_dates_and_agency_owner(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/action add Refresh the escalation policy agency Surrey Faith Forum due end of March #da")
    assert "Surrey Faith Forum · due 31 Mar 2027 · Domestic Abuse" in r.lines[0]
    r = say("qa", "/action add Share the learning brief due in 2 weeks")
    assert "due 10 Dec 2026" in r.lines[0]
    # "due" inside ordinary words stays text
    r = say("qa", "/action add Check the due diligence notes @cs")
    assert r.lines[0].startswith("A-3 · Check the due diligence notes · @cs")
    # A keyword used twice: the earlier one is part of the text, in its place.
    r = say("qa", "/action add Not yet due for review due 20/01/2027 @cs")
    assert r.lines[0].startswith("A-4 · Not yet due for review · @cs") and "due 20 Jan 2027" in r.lines[0]
    r = say("qa", "/action add Attend every strategy meeting @pol meeting 14/01/2027")
    assert r.lines[0].startswith("A-5 · Attend every strategy meeting · @pol")


def test_update_and_snooze_with_history(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    say("qa", "/action add Audit CSE screening @pol due 01/12/2026 #cse")
    r = say("pol2", "/action update A-1 due 15/12/2026")  # a colleague in the same agency may update
    assert r.title == "Updated A-1" and "due 15 Dec 2026" in r.lines[0]
    r = say("pol", "/action snooze A-1")
    assert "due 22 Dec 2026" in r.lines[0]
    r = say("qa", "/action update A-1 owner @cs")
    assert "@cs" in r.lines[0]
    r = say("qa", "/action update A-1 text Audit CSE screening across both hubs")
    history = "\n".join(say("qa", "/action show A-1").lines)
    assert "due: 2026-12-01 → 2026-12-15" in history
    assert "snoozed" in history and "owner: pol → cs" in history


def test_overdue_first_and_filters(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    say("qa", "/action add Later thing @pol due 20/12/2026 #cp")
    say("qa", "/action add Earlier thing @cs due 30/11/2026 #neglect")
    clock.advance(timedelta(days=10))  # 6 Dec: the second is overdue
    listed = say("qa", "/action list")
    assert listed.lines[0].startswith("A-2 · Earlier thing") and "OVERDUE 6 days" in listed.lines[0]
    assert say("qa", "/action list overdue").title == "Overdue actions (1)"
    assert say("qa", "/action list @pol").title.endswith("owned by @pol (1)")
    assert say("qa", "/action list #neglect").title == "Open actions · Neglect (1)"
    assert say("qa", "/action list agency Surrey Police").title == "Open actions for Surrey Police (1)"
    assert say("pol", "/action list mine").title == "Open actions owned by you (1)"


def test_agency_lead_sees_and_changes_only_their_own(say: Say, board: sessionmaker[Session]) -> None:
    say("qa", "/action add Police item @pol due 20/12/2026")
    say("qa", "/action add Children's services item @cs due 20/12/2026")
    assert say("pol", "/action list").title == "Open actions (1)"
    assert not say("pol", "/action show A-2").ok  # not visible: answered as unknown
    refused = say("pol", "/action done A-2")
    assert not refused.ok and "There is no action A-2" in refused.lines[0]
    bm = say("bm", "/action done A-1")
    assert bm.title == "Not allowed" and "only @pol, the QA officer or the chair" in bm.lines[0]
    assert say("ic", "/action done A-1").title == "Closed A-1"
    # The lead's status is their agencies' picture only (issue 13): no other agency's figures.
    status = say("pol", "/qa status")
    assert status.ok and "Shown for Surrey Police" in status.text(), status.text()
    assert "Children" not in status.text()
    other = say("pol", "/action add Chase their audit agency Surrey Faith Forum")
    assert other.title == "Not allowed" and "their own agency" in other.lines[0]
    # For another agency's person: that agency's action, and the reply says so (issue 15)...
    theirs = say("pol", "/action add Share the custody audit @cs")
    assert "Surrey Children's Services" in theirs.lines[0]
    assert "add `agency Surrey Police` to keep it with your agency" in theirs.text()
    # ...unless the lead keeps it with their own agency, so they can follow it up.
    own = say("pol", "/action add Share the custody audit @cs agency Surrey Police")
    assert "Surrey Police" in own.lines[0]
    assert say("pol", "/action list").title == "Open actions (1)"


def test_findings(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber #cp")
    assert r.title == "Logged F-1"
    assert r.lines == [
        "F-1 · Strategy meetings not always multi-agency · Surrey Police · Child Protection · AMBER"
    ]
    assert say("ic", "/finding list agency police").title == "Findings for Surrey Police (1)"
    assert say("ic", "/finding list red").title == "Findings rated red (0)"
    assert say("pol", "/finding add Something").title == "Not allowed"
    assert say("cs", "/finding list").title == "Findings (0)"  # another agency's finding is not shown
    r = say("qa", "/finding add Thresholds applied unevenly agency Surrey Police rag red escalate #cp")
    assert r.lines == [
        "F-2 · Thresholds applied unevenly · Surrey Police · Child Protection · RED · escalated to the Board"
    ]


def test_status_counts(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    say("qa", "/action add One @pol due 27/11/2026 #cp")
    say("qa", "/action add Two @cs due 30/12/2026 #cp")
    say("qa", "/action add Three @cs due 30/12/2026 #neglect")
    say("qa", "/action done A-3")
    clock.advance(timedelta(days=3))  # Sunday 29 November: A-1 is overdue, A-3 closed this month
    r = say("ic", "/qa status")
    assert ("Open", "2") in r.fields and ("Overdue", "1") in r.fields
    text = "\n".join(r.lines)
    assert "Child Protection: 2 / 1 / 0" in text and "Neglect: 0 / 0 / 1" in text
    assert "Surrey Police: 1 / 1 / 0" in text
    assert "A-1 · One" in text  # the oldest overdue, with its reference


BAD_LINES = [
    ("/action add", "Say what needs doing"),
    ("/action add Review due 31/02/2027", "February 2027 has 28 days"),
    ("/action add Review @nobody", "There is no board member @nobody"),
    ("/action add Review agency Surey Police", "Did you mean agency Surrey Police?"),
    ("/action add Review agency Surrey", "Surrey Faith Forum; Surrey Health; Surrey Police or"),
    ("/action list agency Atlantis Council", 'No agency matches "Atlantis Council"'),
    ("/action add Review #urgent", '"#urgent" is not a business-plan priority'),
    ("/action add " + "x" * 1200, "keep it under 1,000"),
    ("/action add Review due 01/01/2020", "is in the past"),
    ("/action done A-99", "There is no action A-99"),
    ("/action done B-1", "not a reference like A-12"),
    ("/action update A-1", "Say which action and what to change"),
    ("/action list sideways", '"sideways" is not a filter'),
    ("/action frobnicate", '"/action frobnicate" is not a command'),
    ("/finding add Thing rag purple", "red, amber or green"),
    ("/nonsense", '"nonsense" is not a command'),
    ("/action add Seen with DOB 01/02/2015", "a date of birth"),
    ("/action add Home visit Jayden Smith GU1 4LH", "a full postcode beside a name"),
]


@pytest.mark.parametrize(("line", "says"), BAD_LINES)
def test_malformed_lines_answer_with_usage_and_store_nothing(
    say: Say, board: sessionmaker[Session], line: str, says: str
) -> None:
    say("qa", "/action add Existing item @pol due 20/12/2026")
    before = counts(board)
    r = say("qa", line)
    assert not r.ok
    text = "\n".join(r.lines)
    assert says in text, text
    if line.startswith(("/action", "/finding")) and r.data.get("error") == "usage":
        assert "Usage:" in text or "Try /qa help" in text
    assert counts(board) == before


def test_not_on_board(core: BotCore, board: sessionmaker[Session]) -> None:
    r = core.handle(Inbound(platform="slack", user_id="U0STRANGER", text="/action add Hello"))
    assert not r.ok and "not on this board" in r.lines[0]
    assert counts(board)[0] == 0


def test_duplicate_delivery_is_answered_once(core: BotCore, board: sessionmaker[Session]) -> None:
    inbound = Inbound(
        platform="slack",
        user_id="U0QAOFF1",
        text="/action add Only once @pol",
        delivery_key="slack:event:Ev123",
    )
    replies = [core.handle(inbound) for _ in range(3)]
    assert [r.title for r in replies] == ["Logged A-1"] * 3
    assert replies[1].data.get("duplicate") is True
    assert counts(board)[0] == 1
    with board() as s:
        assert s.scalar(select(func.count()).select_from(ProcessedDelivery)) == 1


def test_help(say: Say, board: sessionmaker[Session]) -> None:
    overview = say("pol", "/qa help")
    assert overview.title == "QA Bot commands"
    assert any(line.startswith("/action") for line in overview.lines)
    usage = say("pol", "/action help")
    assert (
        "/action add <text> [@owner|agency <name>] [due <date>] [#priority] [meeting <date>]" in usage.lines
    )
    assert say("pol", "help").title == "QA Bot commands"
    one = say("pol", "/action add help")
    assert "Example: /action add" in one.lines[1]


def test_meeting_tie(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/action add Bring the dataset @pol meeting 14/01/2027")
    with board() as s:
        a = s.get(Action, 1)
        assert a is not None and a.meeting_id is not None and a.due_date is None
    assert r.ok
    bad = say("qa", "/action add Bring the dataset meeting 15/01/2027")
    assert "There is no meeting on 15 Jan 2027" in bad.lines[0]


def test_dates_shown_in_board_time_zone(say: Say, board: sessionmaker[Session], clock: FixedClock) -> None:
    say("qa", "/action add Late-night item @pol due tomorrow")
    with board() as s:
        a = s.get(Action, 1)
        assert a is not None and a.due_date == date(2026, 11, 27)
