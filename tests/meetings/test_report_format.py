"""The Board report is written with the one document builder: A4, the board's marking in every
header and footer, page numbers, sized tables with repeated header rows, the clock's date and
a chart with a text alternative — read back from the saved file."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from commands.board_file import import_board, parse_board_file
from commands.clock import FixedClock
from store.db import transaction
from tests import docx_reading as read
from tests.conftest import FIXTURES, Say
from tests.meetings.conftest import london


def mark_board(board: sessionmaker[Session], clock: FixedClock, marking: str) -> None:
    """The test board file again, with `board: marking:` set."""
    text = (FIXTURES / "board.yaml").read_text()
    text = text.replace("timezone: Europe/London}", f"timezone: Europe/London, marking: {marking}}}")
    with transaction(board) as s:
        import_board(s, parse_board_file(text, name="board.yaml"), clock.now())


def test_the_board_report_is_a_board_document(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    mark_board(board, clock, "official-sensitive")
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    say(
        "ic",
        "/finding add Strategy meetings lack Police agency Surrey Police rag amber #cp meeting 10/12/2026",
    )
    say(
        "qa",
        "/action add Attend every strategy session and minute who came @pol due 15/01/2027 #cp meeting 10/12/2026",
    )
    say("qa", "/action add Review early help plans @nhs due 01/12/2026 meeting 10/12/2026")
    clock.set(london(2026, 12, 11, 9, 0))

    r = say("qa", "/qa report")
    path = Path(r.files[0])
    document = read.open_docx(path)
    assert read.page_size_twips(document) == (11906, 16838)  # A4, not US Letter
    assert "OFFICIAL-SENSITIVE" in read.header_text(document)
    assert "Surrey Safeguarding Children Board" in read.header_text(document)
    footer = read.footer_text(document)
    assert "OFFICIAL-SENSITIVE" in footer and "Page 1 of 1" in footer and "11 December 2026" in footer
    assert {"PAGE", "NUMPAGES"} <= set(read.field_codes(document.sections[0].footer._element))
    assert document.core_properties.created == datetime(
        2026, 12, 11, 9, 0, tzinfo=UTC
    )  # the clock (UTC = London in December)
    assert document.core_properties.created.date() == date(2026, 12, 11)
    assert "Prepared by QA Bot on 11 December 2026." in read.body_text(document)

    table = document.tables[0]
    assert read.table_rows_flags(table) == [(True, True), (False, True), (False, True)]
    widths = read.column_widths(table)
    ref, action, due = widths[0], widths[1], widths[4]
    assert len(set(widths)) > 1 and action == max(widths) and ref < action and due < action
    assert [c.text for c in table.rows[2].cells][4:] == ["1 Dec 2026", "Overdue"]

    alt = read.picture_alt_texts(document)
    assert len(alt) == 1
    descr, title = alt[0]
    assert title == "Findings by priority area and RAG"
    assert descr.startswith("Stacked bar chart: Findings by priority area and RAG")
    assert "Child Protection: 0 red, 1 amber, 0 green, 0 not rated" in descr
    assert "Figure 1: Findings by priority area and RAG" in read.body_text(document)
    path.unlink()


def test_without_a_marking_the_report_is_official(
    say: Say, board: sessionmaker[Session], clock: FixedClock
) -> None:
    assert say("qa", "/qa meeting add priority 10/12/2026 10:00 #cp").ok
    clock.set(london(2026, 12, 11, 9, 0))
    document = read.open_docx(say("qa", "/qa report").files[0])
    assert read.header_text(document).splitlines()[0] == "OFFICIAL"
    assert read.footer_text(document).splitlines()[-1] == "OFFICIAL"
    assert "No actions were agreed at this meeting." in read.body_text(document)
