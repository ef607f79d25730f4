"""The one Word builder (integrations/reports/document.py): what every document the bot writes
has, read back from the saved file with python-docx and its XML."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from integrations.reports import layout
from integrations.reports.document import TEXT_W, BoardDocument, png_size
from tests import docx_reading as read

LONDON = ZoneInfo("Europe/London")
CREATED = datetime(2026, 12, 7, 9, 30, tzinfo=LONDON)
BOARD = "Surrey Safeguarding Children Board"


def small_png(width: int = 400, height: int = 200) -> bytes:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from integrations.reports.chart import _figure, _png

    fig = _figure(width / 100, height / 100)
    fig.add_subplot(1, 1, 1).bar(["a", "b"], [1, 2])
    return _png(fig)


def build(tmp_path: Path, *, marking: str = "OFFICIAL-SENSITIVE", filler: int = 0) -> Path:
    doc = BoardDocument(board=BOARD, marking=marking, created=CREATED, title="Inspection pack")
    doc.heading("Actions")
    doc.table(
        ["Ref", "Action", "Owner", "Due", "Status"],
        [
            [
                "A-1",
                "Attend every strategy session and record who attended in the minutes",
                "@pol (Police Lead)",
                "15 Jan 2027",
                "Open",
            ],
            ["A-22", "Review early help plans", "@nhs (Designated Nurse)", "1 Dec 2026", "Overdue"],
        ],
        caption="Open actions",
    )
    doc.heading("Trend", level=2)
    doc.chart(small_png(), alt_text="Bar chart: a is 1, b is 2.", caption="Re-referrals by month")
    for i in range(filler):
        doc.paragraph(f"Paragraph {i}: " + "The sub-group looked at the evidence in detail. " * 12)
    return doc.save(tmp_path / "pack.docx")


def test_a4_marked_numbered_and_dated_by_the_clock(tmp_path: Path) -> None:
    document = read.open_docx(build(tmp_path))
    assert read.page_size_twips(document) == (11906, 16838)
    section = document.sections[0]
    assert section.orientation == 0  # portrait
    assert 1000 <= section.left_margin.twips <= 1500 and 1000 <= section.top_margin.twips <= 1500
    header, footer = read.header_text(document), read.footer_text(document)
    assert "OFFICIAL-SENSITIVE" in header and BOARD in header
    assert "OFFICIAL-SENSITIVE" in footer and "Page 1 of 1" in footer
    codes = read.field_codes(section.footer._element)
    assert "PAGE" in codes and "NUMPAGES" in codes
    props = document.core_properties
    assert (
        props.created == datetime(2026, 12, 7, 9, 30, tzinfo=UTC) and props.modified == props.created
    )  # UTC in December
    assert props.created.year != 2013 and props.title == "Inspection pack" and props.author == "QA Bot"
    text = read.body_text(document)
    assert document.paragraphs[0].text == "Inspection pack" and document.paragraphs[0].style.name == "Title"
    assert "Prepared by QA Bot on 7 December 2026." in text and BOARD in text
    assert read.update_fields_set(document)


def test_created_is_stored_in_utc_in_summer(tmp_path: Path) -> None:
    doc = BoardDocument(BOARD, "OFFICIAL", datetime(2027, 6, 1, 0, 30, tzinfo=LONDON), "Annual report")
    document = read.open_docx(doc.save(tmp_path / "a.docx"))
    assert document.core_properties.created == datetime(2027, 5, 31, 23, 30, tzinfo=UTC)
    assert "Prepared by QA Bot on 1 June 2027." in read.body_text(document)  # the board's own day
    with pytest.raises(ValueError, match="timezone-aware"):
        BoardDocument(BOARD, "OFFICIAL", datetime(2027, 6, 1, 0, 30), "Annual report")


def test_tables_sized_to_content_with_repeated_header_and_whole_rows(tmp_path: Path) -> None:
    document = read.open_docx(build(tmp_path))
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["Ref", "Action", "Owner", "Due", "Status"]
    assert read.table_rows_flags(table) == [(True, True), (False, True), (False, True)]
    widths = read.column_widths(table)
    assert sum(widths) == TEXT_W and len(set(widths)) == len(widths)  # not equal widths
    ref, action, owner, due, status = widths
    assert action == max(widths) and ref < due and ref < owner
    assert read.cell_widths(table) == [widths] * 3  # Word reads tcW; LibreOffice the grid
    # Short cells stay on one line: a date and "Overdue" fit their columns unbroken.
    assert due - layout.CELL_PADDING_TWIPS >= len("15 Jan 2027") * layout.TABLE_CHAR_TWIPS
    assert status - layout.CELL_PADDING_TWIPS >= len("Overdue") * layout.TABLE_CHAR_TWIPS
    assert table._tbl.tblPr.find(read.W + "tblLayout").get(read.W + "type") == "fixed"
    assert table._tbl.tblPr.find(read.W + "tblCaption").get(read.W + "val") == "Open actions"


def test_charts_have_a_text_alternative_and_a_caption(tmp_path: Path) -> None:
    document = read.open_docx(build(tmp_path))
    assert read.picture_alt_texts(document) == [("Bar chart: a is 1, b is 2.", "Re-referrals by month")]
    captions = [p for p in document.paragraphs if p.style.name == "Caption"]
    assert [p.text for p in captions] == ["Figure 1: Re-referrals by month"]
    assert read.field_codes(captions[0]._p) == ["SEQ Figure \\* ARABIC"]
    shape = document.inline_shapes[0]
    px_w, px_h = png_size(small_png())
    assert shape.width.twips <= TEXT_W + 1 and shape.height / shape.width == pytest.approx(
        px_h / px_w, rel=0.01
    )
    doc = BoardDocument(BOARD, "OFFICIAL", CREATED, "x")
    with pytest.raises(ValueError, match="text alternative"):
        doc.chart(small_png(), alt_text=" ", caption="c")


def test_a_tall_chart_is_scaled_to_fit_a_page(tmp_path: Path) -> None:
    doc = BoardDocument(BOARD, "OFFICIAL", CREATED, "x")
    doc.chart(small_png(200, 1200), alt_text="A tall chart.", caption="Tall")
    shape = read.open_docx(doc.save(tmp_path / "t.docx")).inline_shapes[0]
    assert shape.height.pt <= 560.5 and shape.width.pt < TEXT_W / 20


def test_a_contents_table_only_past_three_pages(tmp_path: Path) -> None:
    short = read.open_docx(build(tmp_path))
    assert not any(c.startswith("TOC") for c in read.field_codes(short.element.body))
    assert "Contents" not in read.body_text(short)

    doc = BoardDocument(BOARD, "OFFICIAL", CREATED, "Annual report")
    for i in range(40):
        doc.paragraph(f"Paragraph {i}: " + "The sub-group looked at the evidence in detail. " * 12)
    assert doc.estimated_pages > 3
    long = read.open_docx(doc.save(tmp_path / "long.docx"))
    texts = [p.text for p in long.paragraphs]
    assert texts[:4][0] == "Annual report" and texts[3] == "Contents"  # after the title block
    assert any(c.startswith('TOC \\o "1-3"') for c in read.field_codes(long.element.body))
    assert read.update_fields_set(long)


def test_the_page_estimate_grows_with_content() -> None:
    doc = BoardDocument(BOARD, "OFFICIAL", CREATED, "x")
    assert doc.estimated_pages == 1
    # A one-line 11 pt paragraph with 6 pt after it is ~18.7 pt; an A4 page with these margins
    # holds 700 pt of text: about 37 of them a page, so 100 (and the title block) make 3 pages.
    for _ in range(100):
        doc.paragraph("One line.")
    assert doc.estimated_pages == 3
    for _ in range(20):
        doc.paragraph("One line.")
    assert doc.estimated_pages == 4


def test_rows_must_match_the_header() -> None:
    doc = BoardDocument(BOARD, "OFFICIAL", CREATED, "x")
    with pytest.raises(ValueError, match="row 1 has 1 cells; the header has 2"):
        doc.table(["a", "b"], [["x"]])


def test_column_widths_share_the_room_by_content() -> None:
    widths = layout.column_widths(["Ref", "Text"], [["A-1", "word " * 200]], 9638)
    assert sum(widths) == 9638 and widths[0] < 1000
    # Everything fits on one line: the spare room goes by content, still unequal.
    narrow = layout.column_widths(["A", "Bbbbbbbb"], [["1", "2"]], 9638)
    assert sum(narrow) == 9638 and narrow[0] < narrow[1]
    assert layout.column_widths([], [], 9638) == []


def test_the_stored_created_date_is_the_clock_not_now(tmp_path: Path) -> None:
    long_ago = datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    document = read.open_docx(BoardDocument(BOARD, "OFFICIAL", long_ago, "x").save(tmp_path / "x.docx"))
    assert document.core_properties.created == datetime(2024, 2, 29, 12, 0, tzinfo=UTC)
    assert "29 February 2024" in read.footer_text(document)
