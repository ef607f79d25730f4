"""A Section 11 cycle as the board lives it: launch, the clock, replies in the threads.

Every test runs on SQLite and on PostgreSQL. Posts are caught by a recording sender standing
in for the chat platform; what each agency received, and when, is what is asserted.
"""

from __future__ import annotations

import threading
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.outbox import Dispatcher
from bot.tick import run_tick
from commands.clock import FixedClock
from commands.dates import is_working_day
from store.models import Agency, AuditEvent, OutboxMessage, S11Cycle, S11Return, ThreadReply
from tests.conftest import Say
from tests.section11.conftest import Agencies, Answer, NonCohort, RecordingSender, Tick, at

LAUNCH = "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"


def returns_by_cycle(sessions: sessionmaker[Session]) -> dict[tuple[int, str], list[str]]:
    with sessions() as s:
        rows = s.execute(
            select(S11Cycle.year, S11Cycle.cohort, Agency.name)
            .join(S11Return, S11Return.cycle_id == S11Cycle.id)
            .join(Agency, Agency.id == S11Return.agency_id)
            .order_by(Agency.name)
        )
        out: dict[tuple[int, str], list[str]] = {}
        for year, cohort, name in rows:
            out.setdefault((year, cohort), []).append(name)
        return out


def the_return(sessions: sessionmaker[Session], agency: str) -> S11Return:
    with sessions() as s:
        found = s.scalar(select(S11Return).join(Agency).where(Agency.name == agency))
        assert found is not None
        return found


def reminder_days(recorder: RecordingSender, agency: str) -> list[date]:
    return [s.day for s in recorder.to(f"#{agency}", "s11_reminder")]


def launched(say: Say, tick: Tick, line: str = LAUNCH) -> None:
    r = say("qa", line)
    assert r.ok, r.text()
    sent = tick("2026-11-26T10:00")
    assert sorted(s.channel for s in sent) == sorted(f"#{a}" for a in Agencies)


def step(tick: Tick, first: date, last: date, times: tuple[str, ...] = ("09:30",)) -> None:
    d = first
    while d <= last:
        for t in times:
            tick(f"{d.isoformat()}T{t}")
        d += timedelta(days=1)


def test_launch_creates_the_cohorts_returns(say: Say, board: sessionmaker[Session]) -> None:
    r = say("ic", LAUNCH)
    assert r.ok and r.title == "Launched Section 11 2027 (statutory): deadline 4 May 2027"
    assert ("Panel", "20 May 2027") in r.fields
    assert "6 Apr 2027, 20 Apr 2027, 27 Apr 2027, 30 Apr 2027, 4 May 2027, then weekly" in r.text()
    # The rotation (statutory partners in odd years): 2028 is the non-statutory partners' year.
    assert say("qa", "/s11 launch 2028 deadline 01/03/2028").ok
    # An explicit cohort overrides the rotation.
    assert say("qa", "/s11 launch 2027 non-statutory deadline 01/06/2027").ok
    assert returns_by_cycle(board) == {
        (2027, "statutory"): sorted(Agencies),
        (2028, "non-statutory"): sorted(NonCohort),
        (2027, "non-statutory"): sorted(NonCohort),
    }
    again = say("qa", "/s11 launch 2027 statutory deadline 11/05/2027")
    assert not again.ok
    assert "The 2027 statutory Section 11 cycle was already launched on 26 Nov 2026" in again.text()
    for who in ("pol", "bm"):
        refused = say(who, "/s11 launch 2029 deadline 01/03/2029")
        assert refused.data["error"] == "permission" and "Only the chair or the QA officer" in refused.text()
    assert len(returns_by_cycle(board)) == 3


def test_one_reminder_per_due_date_around_the_bank_holiday(
    say: Say, tick: Tick, recorder: RecordingSender
) -> None:
    launched(say, tick)
    assert tick("2026-11-26T10:00") == []  # the same instant again: nothing
    assert tick("2027-04-06T09:29") == []  # a minute early
    # Twice a day, every day, from 1 April to 15 June; every due instant ticked twice.
    d = date(2027, 4, 1)
    while d <= date(2027, 6, 15):
        tick(f"{d.isoformat()}T09:30")
        assert tick(f"{d.isoformat()}T09:30") == []
        tick(f"{d.isoformat()}T16:00")
        d += timedelta(days=1)
    # Deadline Tue 4 May 2027; the day before is the early May bank holiday, so that reminder
    # goes on Friday 30 April; weekly chasers after the deadline until submitted.
    expected = [date(2027, 4, 6), date(2027, 4, 20), date(2027, 4, 27), date(2027, 4, 30), date(2027, 5, 4)]
    expected += [date(2027, 5, 4) + timedelta(weeks=k) for k in range(1, 7)]
    for agency in Agencies:
        assert reminder_days(recorder, agency) == expected, agency
        launch = recorder.launch_of(agency)
        reminders = recorder.to(f"#{agency}", "s11_reminder")
        assert all(s.post.thread_id == launch.message_id for s in reminders)  # all in the launch's thread
        assert all(s.at.astimezone(launch.at.tzinfo).strftime("%H:%M") for s in reminders)
        assert all((s.at.hour, s.at.minute) == (8, 30) for s in reminders)  # 09:30 BST
    for agency in NonCohort:
        assert recorder.to(f"#{agency}") == []
    assert all(is_working_day(s.day) for s in recorder.sent if s.kind == "s11_reminder")
    police = recorder.to("#Surrey Police", "s11_reminder")
    assert "due in 4 days, on 4 May 2027" in police[3].text
    assert "due today, 4 May 2027" in police[4].text
    assert "overdue by 7 days" in police[5].text
    # The lead never answered: from the 7-day reminder on, the substitute is named and told directly.
    assert "substitute" not in police[1].text
    assert "For the attention of Police Lead (@pol) and substitute Police Deputy (@pol2)." in police[2].text
    assert [s.day for s in recorder.to("@pol2")] == expected[2:]
    # Escalation to the chair in the QA channel, once, 7 days after the deadline at 09:30.
    (esc,) = recorder.to("#qa", "s11_escalation")
    assert esc.day == date(2027, 5, 11)
    assert esc.post.reply.data["late"] == {a: 7 for a in Agencies}


def test_a_bot_down_for_three_weeks_sends_one_reminder(
    say: Say, tick: Tick, recorder: RecordingSender, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    assert len(tick("2027-04-06T09:30")) == 3
    # Down from 6 April to 28 April: the 20 and 27 April reminders are one reminder.
    sent = tick("2027-04-28T10:00")
    assert sorted(s.channel for s in sent) == sorted([f"#{a}" for a in Agencies] + ["@pol2"])
    assert {s.post.reply.data["slot"] for s in sent} == {"2027-04-27"}
    assert tick("2027-04-28T10:00") == [] and tick("2027-04-29T09:30") == []
    with board() as s:
        keys = s.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == "s11_reminder")).all()
    assert not any(":2027-04-20" in k for k in keys)


def test_submitted_in_the_thread_stops_reminders_and_shows_in_status(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    tick("2027-04-06T09:30")
    at(clock, "2027-04-08T11:00")
    (police_reminder,) = recorder.to("#Surrey Police", "s11_reminder")
    r = answer("pol", police_reminder, "Submitted: <https://sharepoint.example/s11/police-2027.docx> thanks")
    assert r.ok and r.visibility == "channel"
    assert r.title == "Thank you — Surrey Police's Section 11 2027 (statutory) return is in"
    status = say("ic", "/s11 status 2027")
    assert ("Returns in", "1 of 3") in status.fields
    line = next(x for x in status.lines if x.startswith("Surrey Police"))
    assert line.startswith(
        "Surrey Police — submitted 8 Apr 2027 11:00 by @pol · evidence https://sharepoint.example/s11/police-2027.docx"
    )
    assert "Surrey Health — not started" in status.lines
    step(tick, date(2027, 4, 9), date(2027, 5, 12))
    assert reminder_days(recorder, "Surrey Police") == [date(2027, 4, 6)]
    assert len(reminder_days(recorder, "Surrey Health")) == 6
    assert recorder.to("@pol2") == []  # the lead answered: no substitute
    (esc,) = recorder.to("#qa", "s11_escalation")
    assert "Surrey Police" not in esc.text
    again = answer("pol", police_reminder, "submitted")
    assert "already marked submitted" in again.text()
    with board() as s:
        replies = s.scalars(select(ThreadReply).order_by(ThreadReply.id)).all()
        assert [x.interpretation for x in replies] == ["submitted", "submitted"]
    assert the_return(board, "Surrey Police").lead_replied_at is not None


def test_extension_asked_granted_and_reminders_follow_the_new_date(
    say: Say, tick: Tick, recorder: RecordingSender, answer: Answer, clock: FixedClock
) -> None:
    launched(say, tick)
    tick("2027-04-27T09:30")  # the 7-day reminders
    at(clock, "2027-04-28T11:00")
    r = answer("nhs", recorder.launch_of("Surrey Health"), "We need an extension until 18 May please")
    assert r.ok and "Recorded: Surrey Health — extension asked to 18 May 2027." in r.text()
    (ask,) = [s for s in tick("2027-04-28T11:00") if s.channel == "#qa"]
    assert ask.kind == "s11_extension"
    assert ask.post.reply.title == "Surrey Health asks for a Section 11 extension to 18 May 2027"
    grant, refuse = ask.post.reply.buttons
    assert (grant.label, grant.command) == ("Grant", "s11 extend Surrey Health 18/05/2027")
    assert (refuse.label, refuse.command) == ("Refuse", "s11 refuse Surrey Health")
    assert say("ic", "/s11 status").lines[1].startswith("Surrey Health — extension asked to 18 May 2027")
    assert say("nhs", grant.command).data["error"] == "permission"
    granted = say("ic", grant.command)  # the chair clicks Grant
    assert granted.title == "Extension granted: Surrey Health to 18 May 2027"
    told = tick("2027-04-28T11:01")
    assert [(s.channel, s.kind, s.post.thread_id) for s in told] == [
        ("#Surrey Health", "s11_extension", recorder.launch_of("Surrey Health").message_id)
    ]
    assert say("qa", grant.command).title == "Surrey Health already has an extension to 18 May 2027"
    step(tick, date(2027, 4, 29), date(2027, 5, 26))
    assert reminder_days(recorder, "Surrey Health") == [
        date(2027, 4, 27),
        date(2027, 5, 4),
        date(2027, 5, 11),
        date(2027, 5, 17),
        date(2027, 5, 18),
        date(2027, 5, 25),
    ]
    assert reminder_days(recorder, "Surrey Police")[:4] == [
        date(2027, 4, 27),
        date(2027, 4, 30),
        date(2027, 5, 4),
        date(2027, 5, 11),
    ]
    health = recorder.to("#Surrey Health", "s11_reminder")
    assert "due in 14 days, on 18 May 2027" in health[1].text
    assert "the original deadline was 4 May 2027" in health[1].text
    (esc,) = recorder.to("#qa", "s11_escalation")
    assert esc.post.reply.data["late"] == {"Surrey Police": 7, "Surrey Children's Services": 7}
    assert "within a granted extension: Surrey Health (to 18 May 2027)" in esc.text


def test_extension_refused(
    say: Say, tick: Tick, recorder: RecordingSender, answer: Answer, clock: FixedClock
) -> None:
    launched(say, tick)
    tick("2027-04-27T09:30")
    at(clock, "2027-04-28T11:00")
    answer("cs", recorder.launch_of("Surrey Children's Services"), "extension to 25/05/2027")
    (ask,) = [s for s in tick("2027-04-28T11:00") if s.channel == "#qa"]
    refused = say("qa", ask.post.reply.buttons[1].command)
    assert refused.title == "Extension refused: Surrey Children's Services"
    told = tick("2027-04-28T11:01")
    assert [s.channel for s in told] == ["#Surrey Children's Services"]
    assert "extension to 25 May 2027 refused" in told[0].text and "still due by 4 May 2027" in told[0].text
    again = say("qa", ask.post.reply.buttons[1].command)
    assert not again.ok and "has no extension request waiting" in again.text()
    assert say("qa", "/s11 status").lines[0] == (
        "Surrey Children's Services — not started · extension to 25 May 2027 refused · last reply "
        "28 Apr 2027 11:00: “extension to 25/05/2027”"
    )
    tick("2027-04-30T09:30")
    assert reminder_days(recorder, "Surrey Children's Services") == [date(2027, 4, 27), date(2027, 4, 30)]


def test_replies_from_outside_the_agency_change_nothing(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    tick("2027-04-06T09:30")
    at(clock, "2027-04-08T11:00")
    police = recorder.launch_of("Surrey Police")
    r = answer("cs", police, "submitted https://example.org/ours.docx")
    assert r.visibility == "channel"
    assert (
        r.text()
        == "Noted — but you are not with Surrey Police, so this does not change Surrey Police's Section 11 return."
    )
    assert (
        "you are not on this board's member list"
        in answer("stranger", police, "extension to 30/06/2027").text()
    )
    answer("bm", police, "submitted")
    ret = the_return(board, "Surrey Police")
    assert (
        ret.status,
        ret.submitted_at,
        ret.last_reply_at,
        ret.lead_replied_at,
        ret.extension_requested_to,
    ) == (
        "not_started",
        None,
        None,
        None,
        None,
    )
    with board() as s:
        replies = s.scalars(select(ThreadReply).order_by(ThreadReply.id)).all()
        assert [(x.interpretation, x.platform_user) for x in replies] == [
            ("ignored", "cs"),
            ("ignored", "stranger"),
            ("ignored", "bm"),
        ]
        assert replies[1].member_id is None
    assert tick("2027-04-08T11:00") == []  # nobody was asked anything
    # The QA officer may record a return that came in another way; it says who did.
    r = answer("qa", police, "Submitted by e-mail, filed at https://sharepoint.example/s11/pol.pdf")
    assert r.title and "return is in" in r.title
    status = say("pol", "/s11 status")
    assert status.lines == [
        "Surrey Police — submitted 8 Apr 2027 11:00 by @qa · evidence https://sharepoint.example/s11/pol.pdf"
        " · last reply 8 Apr 2027 11:00: “Submitted by e-mail, filed at https://sharepoint.example/s11/pol.pdf”"
    ]  # an agency lead sees only their own agency


def test_comments_reach_the_qa_officer(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    tick("2027-04-06T09:30")
    at(clock, "2027-04-08T11:00")
    r = answer("pol2", recorder.launch_of("Surrey Police"), "Which template should we use this year?")
    assert r.lines[0] == "Recorded as a question — the QA officer has been told."
    assert "For the information of the lead, Police Lead (@pol)." in r.lines
    (note,) = tick("2027-04-08T11:00")
    assert (note.channel, note.kind) == ("#qa", "s11_comment")
    assert "@pol2: “Which template should we use this year?”" in note.text
    ret = the_return(board, "Surrey Police")
    assert ret.status == "not_started" and ret.lead_replied_at is not None  # the substitute answered
    # A reply in the QA channel's thread is an ordinary command, not a reply on the return.
    r = say("qa", "/s11 status", channel="#qa", thread_id=note.message_id)
    assert r.title == "Section 11 2027 (statutory) status"


def test_escalation_names_exactly_the_outstanding_agencies(
    say: Say,
    tick: Tick,
    recorder: RecordingSender,
    answer: Answer,
    clock: FixedClock,
    board: sessionmaker[Session],
) -> None:
    launched(say, tick)
    at(clock, "2027-05-06T12:00")
    answer("pol", recorder.launch_of("Surrey Police"), "submitted")
    say("qa", "/s11 extend health 14/05/2027")
    assert [s for s in tick("2027-05-11T09:29") if s.kind == "s11_escalation"] == []
    (esc,) = [s for s in tick("2027-05-11T09:30") if s.kind == "s11_escalation"]
    assert esc.channel == "#qa"
    assert esc.post.reply.title == (
        "Section 11 2027 (statutory): 1 return late 7 days after the deadline (4 May 2027)"
    )
    assert esc.post.reply.lines[:2] == [
        "For the attention of the chair, Independent Chair (@ic).",
        "Surrey Children's Services — 7 days late (deadline 4 May 2027)",
    ]
    assert "Surrey Health (to 14 May 2027)" in esc.text and "Surrey Police" not in esc.text
    assert (
        tick("2027-05-11T09:30") == []
        and [s for s in tick("2027-05-12T09:30") if s.kind == "s11_escalation"] == []
    )
    with board() as s:
        cycle = s.scalar(select(S11Cycle))
        assert cycle is not None and cycle.escalated_at is not None
    assert say("ic", "/s11 status").lines[1] == "Surrey Health — extension granted to 14 May 2027"
    clock.advance(timedelta(days=3))  # 15 May: the extension has lapsed
    assert (
        "Surrey Health — extension granted to 14 May 2027 · OVERDUE by 1 day"
        in say("ic", "/s11 status").lines
    )


def test_rate_and_panel(
    say: Say, tick: Tick, answer: Answer, recorder: RecordingSender, clock: FixedClock
) -> None:
    launched(say, tick)
    at(clock, "2027-05-03T10:00")
    answer("pol", recorder.launch_of("Surrey Police"), "submitted https://sharepoint.example/pol.docx")
    assert say("pol", "/s11 rate Surrey Police 3 amber").title == (
        "Self-assessed AMBER: Surrey Police, 3. Clear lines of accountability"
    )
    assert say("pol", "/s11 rate police training green").ok  # words from the standard's name
    assert say("qa", "/s11 rate Surrey Police 3 green moderated").lines == [
        "Surrey Police · 3. Clear lines of accountability: self AMBER · moderated GREEN  ≠"
    ]
    assert say("qa", "/s11 rate police training green moderated").ok
    assert say("pol", "/s11 rate Surrey Police 5 red moderated").data["error"] == "permission"
    assert say("cs", "/s11 rate Surrey Police 5 red").data["error"] == "permission"
    assert say("cs", "/s11 rate Children's Services 7 red").ok
    bad = say("pol", "/s11 rate Surrey Police safeguarding green")
    assert not bad.ok and "matches several standards" in bad.text()
    assert say("qa", "/action add Clarify accountability for the MASH agency Surrey Police due 30/06/2027").ok
    panel = say("ic", "/s11 panel 2027")
    assert panel.title == "Section 11 2027 (statutory): summary for the scrutiny panel"
    text = panel.text()
    assert "Returns in: 1 of 3." in text
    assert "  3. Clear lines of accountability: self AMBER · moderated GREEN  ≠" in panel.lines
    assert "  5. Training on safeguarding for all staff: self GREEN · moderated GREEN" in panel.lines
    assert "  7. Effective inter-agency working: self RED · moderated —" in panel.lines
    differ = panel.lines[panel.lines.index("Where self-assessment and moderation differ:") + 1 :]
    assert differ[0] == "  Surrey Police · 3. Clear lines of accountability: self AMBER, moderated GREEN"
    assert differ[1] == "Actions raised:"
    assert differ[2].startswith(
        "  A-1 · Clarify accountability for the MASH · Surrey Police · due 30 Jun 2027"
    )
    assert panel.data["differ"] == 1
    assert say("pol", "/s11 panel").data["error"] == "permission"


def counts(sessions: sessionmaker[Session]) -> tuple[int, ...]:
    with sessions() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(t)) or 0
            for t in (S11Cycle, S11Return, OutboxMessage, AuditEvent, ThreadReply)
        )


def test_malformed_lines_give_the_usage_and_store_nothing(say: Say, board: sessionmaker[Session]) -> None:
    before = counts(board)
    for line in [
        "/s11 launch",
        "/s11 launch 27 deadline 04/05/2027",
        "/s11 launch 2027",
        "/s11 launch 2027 deadline",
        "/s11 launch 2027 deadline 31/02/2027",
        "/s11 launch 2027 sideways deadline 04/05/2027",
        "/s11 launch 2027 deadline 01/01/2020",
        "/s11 launch 2027 deadline 04/05/2027 panel 01/05/2027",
        "/s11 launch 2027 deadline 04/05/2027 banana",
        "/s11 extend",
        "/s11 extend Surrey Police",
        "/s11 refuse",
        "/s11 rate",
        "/s11 rate Surrey Police 3 purple",
        "/s11 status 27",
        "/s11 frobnicate",
    ]:
        r = say("qa", line)
        assert not r.ok and r.data["error"] == "usage", line
        assert "Usage:" in r.lines and any(x.startswith("/s11 ") for x in r.lines), line
    assert counts(board) == before
    helped = say("pol", "/s11 help")
    assert helped.title and helped.title.startswith("/s11 — Section 11")
    assert any(x.startswith("/s11 launch <year>") for x in helped.lines)


def test_two_ticks_racing_queue_one_reminder(
    say: Say, tick: Tick, recorder: RecordingSender, board: sessionmaker[Session], clock: FixedClock
) -> None:
    launched(say, tick)
    at(clock, "2027-04-27T09:30")
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def one() -> None:
        try:
            barrier.wait(timeout=10)
            run_tick(board, clock, Dispatcher(board, {"console": recorder}, clock), ("console",))
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    Dispatcher(board, {"console": recorder}, clock).dispatch()
    with board() as s:
        keys = s.scalars(select(OutboxMessage.key).where(OutboxMessage.kind == "s11_reminder")).all()
    assert len(keys) == 4 and len(set(keys)) == 4  # three agencies and Police's substitute
    assert sorted(s.channel for s in recorder.sent if s.kind == "s11_reminder") == sorted(
        [f"#{a}" for a in Agencies] + ["@pol2"]
    )


def test_escalation_waits_while_nobody_is_late(
    say: Say, tick: Tick, recorder: RecordingSender, answer: Answer, clock: FixedClock
) -> None:
    launched(say, tick)
    at(clock, "2027-05-03T12:00")
    answer("pol", recorder.launch_of("Surrey Police"), "submitted")
    say("qa", "/s11 extend Children's Services 12/05/2027")
    say("qa", "/s11 extend Surrey Health 20/05/2027")
    step(tick, date(2027, 5, 4), date(2027, 5, 12))
    assert recorder.to("#qa", "s11_escalation") == []  # on 11 May nobody is late
    assert tick("2027-05-13T09:29") == []  # the first extension has lapsed: at the reminder time, not before
    (esc,) = [s for s in tick("2027-05-13T09:30") if s.kind == "s11_escalation"]
    assert esc.post.reply.data["late"] == {"Surrey Children's Services": 1}
    assert "Surrey Health (to 20 May 2027)" in esc.text
    step(tick, date(2027, 5, 14), date(2027, 5, 24))
    assert len(recorder.to("#qa", "s11_escalation")) == 1  # once per cycle
