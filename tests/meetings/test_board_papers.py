"""The Board papers: `/qa pack inspection [from <date>]` and `/qa annual-report <year>` as the
chair and the QA officer use them, opened as the Word documents they get. On SQLite and
PostgreSQL (the `say` fixture's database)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.document import Document
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import parse_board_file
from commands.clock import FixedClock
from commands.errors import ConfigError
from commands.papers.period import YEAR_STARTS_KEY
from store.models import Action, OutboxMessage, S11Cycle, S11Rating, S11Return
from store.models import Board as BoardRow
from tests.conftest import FIXTURES, Say
from tests.meetings.conftest import RecordingSender, Tick, london

PNG = b"\x89PNG\r\n\x1a\n"


def _text(document: Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _tables(document: Document) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]


def _table_with(document: Document, header: list[str]) -> list[list[str]]:
    found = [t for t in _tables(document) if t[0] == header]
    assert found, f"no table headed {header}: {[t[0] for t in _tables(document)]}"
    return found[0]


def _record(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender, clock: FixedClock
) -> None:
    """A panel with findings and actions, apologies in its agenda thread, a closed action with a
    note of what changed, an overdue one escalated, a rapid review and a Section 11 cycle."""
    assert say("qa", "/review open RR-2026-01 aware 20/11/2026 agencies Surrey Police").ok
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    assert say(
        "ic",
        "/finding add Strategy meetings lack Police agency Surrey Police rag amber #cp escalate meeting 10/12/2026",
    ).ok
    assert say(
        "ic", "/finding add Early help plans drift agency Surrey Health rag red #earlyhelp meeting 10/12/2026"
    ).ok
    assert say(
        "qa", "/action add Attend every strategy session @pol due 15/01/2027 #cp meeting 10/12/2026"
    ).ok
    assert say(
        "qa", "/action add Review early help plans @nhs due 01/12/2026 #earlyhelp meeting 10/12/2026"
    ).ok
    assert say("qa", "/action add Audit strategy attendance @cs due 20/12/2026 #cp").ok
    tick(2026, 12, 7, 9, 0)
    (agenda,) = [p for p in sender.of_kind("agenda") if "Child Protection scrutiny panel" in (p.title or "")]
    assert say("nhs", "Apologies, unable to attend on Thursday", thread_id=agenda.message_id, chatter=True).ok
    clock.set(london(2026, 12, 11, 9, 0))
    assert say(
        "cs", "/action done A-3 Audit showed Police attendance at strategy meetings up from 60% to 90%"
    ).ok
    with board() as s, s.begin():
        s.execute(update(Action).where(Action.id == 2).values(escalated_at=london(2026, 12, 18, 9, 0)))
        cycle = S11Cycle(
            year=2026,
            cohort="statutory",
            deadline=date(2026, 10, 30),
            status="open",
            launched_at=london(2026, 9, 1, 9, 0),
        )
        s.add(cycle)
        s.flush()
        for agency_id, status in ((1, "submitted"), (2, "submitted"), (3, "not_started")):
            ret = S11Return(cycle_id=cycle.id, agency_id=agency_id, status=status)
            s.add(ret)
            s.flush()
            if status == "submitted":
                s.add_all(
                    S11Rating(
                        return_id=ret.id,
                        standard=f"{n}. Standard {n}",
                        self_rag="green",
                        moderated_rag="amber" if n % 2 else "green",
                    )
                    for n in range(1, 5)
                )
    clock.set(london(2027, 1, 5, 10, 0))


def test_the_inspection_pack_holds_the_record_with_its_sources(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender, clock: FixedClock
) -> None:
    _record(say, board, tick, sender, clock)
    r = say("ic", "/qa pack inspection")
    assert r.ok, r.text()
    assert r.title == "Inspection readiness pack" and r.visibility == "ephemeral"
    assert r.lines[0].startswith("From 5 Jan 2026: Section 11: returns and scores, Audits and reviews, ")
    assert (
        "3 actions raised and 1 closed; 100% of those with a due date were closed on time (1 of 1); "
        in r.lines[1]
    )
    assert r.data["board_paper"] == {"folder": ["Board papers"], "name": "Inspection pack 2027-01-05.docx"}
    path = Path(r.files[0])
    assert path.name.startswith("inspection-pack-2027-01-05-") and path.suffix == ".docx"
    document = docx.Document(str(path))
    text = _text(document)
    for heading in (
        "Inspection readiness pack",
        "At a glance",
        "Section 11: returns and scores",
        "Section 11 2026 (statutory)",
        "Audits and reviews",
        "Findings from audits, panels and reviews",
        "Rapid reviews",
        "Actions and their impact",
        "Open actions past their due date",
        "Evidence of impact: closing notes",
        "Escalations",
        "Meetings and attendance",
    ):
        assert heading in [p.text for p in document.paragraphs], heading
    assert "The record from 5 Jan 2026 to 5 Jan 2027" in text
    assert (
        "3 actions raised and 1 closed; 100% of those with a due date were closed on time (1 of 1); "
        "2 open at the end of the period, 1 of them overdue. (source: actions A-1..A-3 raised 5 Jan 2026 "
        "to 5 Jan 2027; 1 closed on time of 1 closed with a due date; /action list all)"
    ) in text
    assert "2 findings recorded, 1 rated red; 1 escalated to the Board. (source: findings F-1..F-2" in text
    assert "2 of 3 returns submitted (67%)" in text and "(source: /s11 status 2026 statutory)" in text
    assert "1 actions escalated, 1 findings escalated to the Board" in text
    assert "A-3 (Surrey Children's Services, closed 11 Dec 2026 09:00): Audit strategy attendance — " in text
    assert "RR-2026-01: timeline (source: /review timeline RR-2026-01)" in text
    assert "No attendance register is kept: attendance is read from apologies." in text

    returns = _table_with(
        document, ["Agency", "Return", "Submitted", "Self-assessed R / A / G", "Moderated R / A / G"]
    )
    assert returns[1] == ["Surrey Children's Services", "Submitted", "—", "0 / 0 / 4", "0 / 2 / 2"]
    assert returns[3] == ["Surrey Police", "Submitted", "—", "0 / 0 / 4", "0 / 2 / 2"]
    overdue = _table_with(document, ["Ref", "Action", "Agency", "Owner", "Due", "Priority"])
    assert overdue[1:] == [
        ["A-2", "Review early help plans", "Surrey Health", "@nhs", "1 Dec 2026", "Early Help"]
    ]
    by_priority = _table_with(
        document,
        [
            "Priority",
            "Raised",
            "Closed",
            "Closed on time",
            "With closing note",
            "Open at end",
            "Overdue at end",
        ],
    )
    assert by_priority[1:] == [
        ["Child Protection", "2", "1", "100%", "1", "1", "0"],
        ["Early Help", "1", "0", "—", "0", "1", "1"],
        ["All", "3", "1", "100%", "1", "2", "1"],
    ]
    meetings = _table_with(document, ["Date", "Meeting", "Apologies"])
    assert meetings[1:] == [["10 Dec 2026", "Child Protection scrutiny panel", "1"]]
    assert _table_with(document, ["Member", "Apologies", "Meetings held"])[1:] == [
        ["Designated Nurse (@nhs)", "1", "1"]
    ]
    pictures = [rel.target_part.blob for rel in document.part.rels.values() if "image" in rel.reltype]
    assert len(pictures) == 3 and all(p.startswith(PNG) for p in pictures)
    assert (
        "Findings by priority and RAG. In words: Child Protection: 0 red, 1 amber, 0 green, 0 not rated"
        in text
    )
    path.unlink()


def test_the_pack_from_a_date_and_the_chair_told_when_the_qa_officer_writes_it(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender, clock: FixedClock
) -> None:
    _record(say, board, tick, sender, clock)
    r = say("qa", "/qa pack inspection from 1 December 2026")
    assert r.ok, r.text()
    text = _text(docx.Document(r.files[0]))
    assert "The record from 1 Dec 2026 to 5 Jan 2027" in text
    assert "0 actions raised and 1 closed" in text  # raised in November, closed in December
    with board() as s:
        (note,) = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "board_paper")).all()
        assert note.channel == "@ic"
        assert note.payload["title"] == "Inspection readiness pack written"
        assert note.payload["lines"][0].startswith("QA Officer (@qa) wrote the inspection readiness pack")
    Path(r.files[0]).unlink()


def test_the_annual_report_draft_covers_the_reporting_year(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender, clock: FixedClock
) -> None:
    _record(say, board, tick, sender, clock)
    r = say("ic", "/qa annual-report 2026-27")
    assert r.ok, r.text()
    assert r.title == "Annual report 2026-27: draft sections"
    assert (
        r.lines[0]
        == "The reporting year 1 Apr 2026 to 31 Mar 2027. The year is not over: figures are to 5 Jan 2027 10:00."
    )
    assert r.data["board_paper"]["name"] == "Annual report 2026-27 draft.docx"
    document = docx.Document(r.files[0])
    text = _text(document)
    for heading in (
        "What the sub-group did",
        "How effective it was",
        "Escalations",
        "Attendance at meetings",
    ):
        assert heading in [p.text for p in document.paragraphs], heading
    assert "1 meetings held (source: /qa meetings)." in text
    assert "3 actions raised (source: actions A-1..A-3 raised 1 Apr 2026 to 31 Mar 2027;" in text
    assert "Open actions past their due date" not in text  # the annual report counts, it does not list
    Path(r.files[0]).unlink()
    # The same year by its start, and a year not begun.
    assert say("ic", "/qa annual-report 2026").title == "Annual report 2026-27: draft sections"
    later = say("ic", "/qa annual-report 2027")
    assert not later.ok and later.data["field"] == "year"
    assert "2027-28 has not begun: the latest reporting year is 2026-27." in later.text()


@pytest.mark.parametrize(
    ("line", "field", "said"),
    [
        ("/qa pack", "pack", "say /qa pack inspection [from <date>]."),
        ("/qa pack summer", "pack", '"summer" is not a pack I can write'),
        ("/qa pack inspection since May", "since", '"since May" is not part of the command'),
        ("/qa pack inspection from 31/02/2026", "since", ""),
        ("/qa pack inspection from 01/02/2027", "since", "is in the future"),
        ("/qa annual-report", "year", "Say which reporting year, e.g. /qa annual-report 2026 for 2026-27."),
        ("/qa annual-report next", "year", '"next" is not a year'),
        ("/qa annual-report 2026-28", "year", "is not one reporting year"),
    ],
)
def test_bad_lines_say_what_was_wrong(say: Say, line: str, field: str, said: str) -> None:
    r = say("ic", line)
    assert not r.ok and r.data.get("field") == field, r.text()
    assert said in r.text() and "usage" in r.text().lower()
    assert r.files == []


def test_agency_leads_and_board_members_may_not(say: Say) -> None:
    for who in ("pol", "bm"):
        for line in ("/qa pack inspection", "/qa annual-report 2026"):
            r = say(who, line)
            assert r.title == "Not allowed" and r.files == [], r.text()


def test_a_board_whose_reporting_year_is_the_calendar_year(say: Say, board: sessionmaker[Session]) -> None:
    with board() as s, s.begin():
        row = s.get(BoardRow, 1)
        assert row is not None
        row.config = {**(row.config or {}), YEAR_STARTS_KEY: 1}
    r = say("ic", "/qa annual-report 2026")
    assert r.ok and r.title == "Annual report 2026: draft sections", r.text()
    assert r.lines[0].startswith("The reporting year 1 Jan 2026 to 31 Dec 2026.")
    assert r.data["board_paper"]["name"] == "Annual report 2026 draft.docx"
    refused = say("ic", "/qa annual-report 2026-27")
    assert not refused.ok and "This board's reporting year is the calendar year: say 2026." in refused.text()
    Path(r.files[0]).unlink()


def test_the_board_file_sets_the_reporting_year() -> None:
    base = (FIXTURES / "board.yaml").read_text()
    assert "board: {name: Surrey Safeguarding Children Board" in base
    text = base.replace(
        "board: {name: Surrey Safeguarding Children Board",
        "board: {reporting_year_starts: 9, name: Surrey Safeguarding Children Board",
        1,
    )
    assert parse_board_file(text, name="board.yaml").board.reporting_year_starts == 9
    assert parse_board_file(base, name="board.yaml").board.reporting_year_starts == 4
    with pytest.raises(ConfigError) as caught:
        parse_board_file(
            text.replace("reporting_year_starts: 9", "reporting_year_starts: 13"), name="board.yaml"
        )
    assert "reporting_year_starts" in str(caught.value)
