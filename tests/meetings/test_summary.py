"""/qa summary: exactly one meeting's findings and actions, every line with its reference, and
the same summary posted in the meeting's agenda thread."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import OutboxMessage
from tests.conftest import Say
from tests.meetings.conftest import RecordingSender, Tick, london


def record_panel(say: Say) -> None:
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok  # meeting 3
    lines = [
        (
            "ic",
            "/finding add Strategy meetings lack Police agency Surrey Police rag amber #cp escalate meeting 10/12/2026",
        ),
        (
            "ic",
            "/finding add Health visitors miss strategy meetings agency Surrey Health rag red #cp meeting 10/12/2026",
        ),
        (
            "ic",
            "/finding add Neglect toolkit well used agency Surrey Police rag green #neglect meeting 10/12/2026",
        ),
        ("ic", "/finding add Belongs to January agency Surrey Police rag red #cse meeting 14/01/2027"),
        ("ic", "/finding add Not tied to any meeting rag red #cp"),
        ("qa", "/action add Attend every strategy session @pol due 15/01/2027 #cp meeting 10/12/2026"),
        ("qa", "/action add Brief health visitors @nhs meeting 10/12/2026"),
        ("qa", "/action add January action @cs meeting 14/01/2027"),
        ("qa", "/action add Untied action @cs"),
    ]
    for who, line in lines:
        assert say(who, line).ok, line


def test_summary_of_the_latest_meeting(
    say: Say, board: sessionmaker[Session], clock: FixedClock, tick: Tick, sender: RecordingSender
) -> None:
    record_panel(say)
    tick(2026, 12, 7, 9, 0)  # the panel's agenda goes out (Monday before)
    agenda = [p for p in sender.of_kind("agenda") if "Child Protection scrutiny panel" in (p.title or "")]
    assert len(agenda) == 1

    clock.set(london(2026, 12, 11, 9, 0))
    r = say("ic", "/qa summary")  # the latest meeting that has taken place
    assert r.ok and r.visibility == "channel"
    assert r.title == "Outcome summary: Child Protection scrutiny panel — Thu 10 Dec 2026 10:00"
    assert r.fields == [("Findings", "3"), ("Actions agreed", "2"), ("Escalated to the Board", "1")]
    assert sorted(r.data["refs"]) == ["A-1", "A-2", "F-1", "F-2", "F-3"]
    assert r.lines == [
        "Findings by agency and priority (3):",
        "   F-2 · Surrey Health · Child Protection · RED · Health visitors miss strategy meetings",
        "   F-1 · Surrey Police · Child Protection · AMBER · Strategy meetings lack Police",
        "   F-3 · Surrey Police · Neglect · GREEN · Neglect toolkit well used",
        "Actions agreed (2):",
        "   A-1 · Attend every strategy session · @pol · Surrey Police · due 15 Jan 2027 · Child Protection",
        "   A-2 · Brief health visitors · @nhs · Surrey Health · no due date",
        "Escalated to the Board (1):",
        "   F-1 · Surrey Police · Child Protection · AMBER · Strategy meetings lack Police",
        "Strategic themes (findings by priority area):",
        "   Child Protection: 2 findings (1 red, 1 amber) — F-1, F-2",
        "   Neglect: 1 finding (1 green) — F-3",
    ]

    # Also posted into the meeting's agenda thread.
    with board() as s:
        row = s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "agenda_summary"))
        assert row is not None and row.thread_key == "agenda:3:console" and row.subject_id == 3
    tick()
    posted = sender.of_kind("agenda_summary")
    assert len(posted) == 1
    assert posted[0].thread_id == agenda[0].message_id and posted[0].channel == agenda[0].channel
    assert posted[0].lines == r.lines


def test_summary_of_a_named_meeting_and_refusals(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    record_panel(say)
    clock.set(london(2027, 1, 15, 9, 0))
    r = say("qa", "/qa summary 14/01/2027")
    assert sorted(r.data["refs"]) == ["A-3", "F-4"]
    text = "\n".join(r.lines)
    assert "F-4 · Surrey Police · CSE · RED · Belongs to January" in text
    assert "A-3 · January action · @cs" in text
    for ref in ("F-1", "F-2", "F-3", "F-5", "A-1", "A-2", "A-4"):
        assert ref not in text
    empty = say("qa", "/qa summary 20/05/2027")
    assert "   None recorded at this meeting." in empty.lines
    assert "There is no meeting on 16 Jan 2027" in say("qa", "/qa summary 16/01/2027").lines[0]
    # The police lead: the police part of the latest meeting, not posted into its thread.
    clock.set(london(2026, 12, 11, 9, 0))
    with board() as s:
        posted = len(list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "agenda_summary"))))
    lead = say("pol", "/qa summary")
    assert (
        lead.ok and lead.title == "Outcome summary: Child Protection scrutiny panel — Thu 10 Dec 2026 10:00"
    )
    assert lead.fields == [
        ("Your agencies' findings", "2"),
        ("Actions agreed", "1"),
        ("Escalated to the Board", "1"),
    ]
    assert lead.lines[1:] == [
        "Findings by agency and priority (2):",
        "   F-1 · Surrey Police · Child Protection · AMBER · Strategy meetings lack Police",
        "   F-3 · Surrey Police · Neglect · GREEN · Neglect toolkit well used",
        "Actions agreed (1):",
        "   A-1 · Attend every strategy session · @pol · Surrey Police · due 15 Jan 2027 · Child Protection",
        "Escalated to the Board (1):",
        "   F-1 · Surrey Police · Child Protection · AMBER · Strategy meetings lack Police",
        "Strategic themes (findings by priority area):",
        "   Child Protection: 1 finding (1 amber) — F-1",
        "   Neglect: 1 finding (1 green) — F-3",
    ]
    with board() as s:
        after = len(list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "agenda_summary"))))
    assert after == posted


def test_apologies_sent_in_the_agenda_thread_head_the_summary(
    say: Say, clock: FixedClock, tick: Tick, sender: RecordingSender
) -> None:
    record_panel(say)
    tick(2026, 12, 7, 9, 0)
    (agenda,) = [p for p in sender.of_kind("agenda") if "Child Protection scrutiny panel" in (p.title or "")]
    r = say("nhs", "Ymddiheuriadau - unable to attend on Thursday", thread_id=agenda.message_id, chatter=True)
    assert r.data["interpretation"] == "apology"
    clock.set(london(2026, 12, 11, 9, 0))
    lines = say("ic", "/qa summary").lines
    assert lines[:3] == [
        "Apologies (1):",
        "   Designated Nurse (@nhs)",
        "Findings by agency and priority (3):",
    ]
