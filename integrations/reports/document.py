"""`BoardDocument`: the one builder every Word document the bot writes goes through.

The contract (kept small and stable; other writers build on it):

    doc = BoardDocument(board="Surrey Safeguarding Children Partnership",
                        marking="OFFICIAL-SENSITIVE", created=clock_now_in_board_tz,
                        title="Report to the Board: QA&E sub-group")
    doc.paragraph("QA&E sub-group, Thu 14 Jan 2027 10:00")
    doc.heading("Actions")                      # level 1 (2 and 3 for sub-headings)
    doc.bullets(["one", "two"])
    doc.table(["Ref", "Action", "Due"], [["A-1", "Review …", "15 Jan 2027"]], caption="Actions")
    doc.chart(png_bytes, alt_text="Bar chart: …", caption="Findings by priority")
    doc.save(path)                               # -> path, written 0600

Every document it writes is:
- **A4 portrait** (11906 × 16838 twips), margins 25 mm top and bottom, 20 mm left and right.
- **Marked**: the protective marking (e.g. OFFICIAL-SENSITIVE, from the board file's
  `board: marking:`) bold and centred at the top and bottom of every page, with the board's
  name in the header and the title on the first page.
- **Numbered**: "Page X of Y" (PAGE and NUMPAGES fields) in every footer.
- **Dated by the bot's clock**: `created` (timezone-aware, the board's local time) is shown
  under the title and in the footer, and stored (in UTC) as the file's created and modified
  dates — never python-docx's template date.
- **Given a table of contents** when it is estimated at more than three pages: the estimate
  (`estimated_pages`) adds up each paragraph's wrapped lines, headings, each table row's
  tallest cell at its column's width, and each chart's height, against an A4 page's usable
  height (`layout.py` has the figures). The TOC is a Word field over headings 1-3, filled
  when the document is opened (`updateFields` is set, so Word offers to update it).
- **Tables sized to their content**: column widths from the text lengths (`layout.column_widths`:
  short cells such as dates and references stay on one line, long text takes the rest), a
  fixed layout, the header row repeated on each page (w:tblHeader) and rows never split across
  pages (w:cantSplit).
- **Charts with text alternatives**: the picture's alt text (docPr `descr`, `title`) and a
  numbered caption below it ("Figure 1: …"), scaled to fit the page.

Text is written as given: the caller has already passed any free text through the guard.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from integrations.reports import docx_parts as parts
from integrations.reports import layout

PAGE_W, PAGE_H = 11906, 16838  # A4 in twips
MARGIN_TB, MARGIN_LR = 1417, 1134  # 25 mm, 20 mm
TEXT_W = PAGE_W - 2 * MARGIN_LR  # 9638 twips, 170 mm
TEXT_H_PT = (PAGE_H - 2 * MARGIN_TB) / layout.TWIPS_PER_PT  # 700 pt; header and footer sit in the margins
TOC_PAST_PAGES = 3
CHART_MAX_H_PT = 560.0  # a chart and its caption fit on one page


def long_date(when: datetime) -> str:
    return f"{when.day} {when:%B %Y}"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height in pixels from the PNG's IHDR chunk."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        raise ValueError("the chart is not a PNG image")
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


class BoardDocument:
    """One Word document for the board (see the module's docstring for what every one has)."""

    def __init__(self, board: str, marking: str, created: datetime, title: str) -> None:
        from docx import Document

        if created.tzinfo is None:
            raise ValueError("created must be timezone-aware (the bot's clock)")
        self.board, self.marking, self.created, self.title = board, marking, created, title
        self._doc: Any = Document()
        self._height_pt = 0.0
        self._figures = 0
        self._setup_page()
        self._setup_styles()
        self._header_footer()
        self._properties()
        self._doc.add_paragraph(title, style="Title")
        self.paragraph(board, bold=True)
        self._after_title = self.paragraph(f"Prepared by QA Bot on {long_date(created)}.")
        self._height_pt += layout.HEADING_PT[0]

    # ---- the content API -----------------------------------------------------------------

    def heading(self, text: str, level: int = 1) -> None:
        if level not in (1, 2, 3):
            raise ValueError("heading levels are 1, 2 and 3")
        self._doc.add_heading(text, level=level)
        self._height_pt += layout.HEADING_PT[level]

    def paragraph(self, text: str, *, bold: bool = False) -> Any:
        para = self._doc.add_paragraph()
        para.add_run(text).bold = bold or None
        self._height_pt += layout.paragraph_pt(text, TEXT_W)
        return para

    def bullets(self, lines: Sequence[str]) -> None:
        for line in lines:
            self._doc.add_paragraph(line, style="List Bullet")
            self._height_pt += layout.paragraph_pt(line, TEXT_W - 360)

    def table(
        self, header: Sequence[str], rows: Sequence[Sequence[str]], *, caption: str | None = None
    ) -> None:
        """A table with a bold header row; every row has as many cells as the header."""
        from docx.shared import Pt

        for i, row in enumerate(rows):
            if len(row) != len(header):
                raise ValueError(f"row {i + 1} has {len(row)} cells; the header has {len(header)}")
        widths = layout.column_widths(header, rows, TEXT_W)
        table = self._doc.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        table.autofit = False
        for r, texts in enumerate([list(header), *[list(x) for x in rows]]):
            row = table.rows[r]
            parts.keep_row_whole(row, header=r == 0)
            for cell, text in zip(row.cells, texts, strict=True):
                run = cell.paragraphs[0].add_run(text)
                run.font.size = Pt(9)
                run.bold = r == 0 or None
        parts.fix_widths(table, widths)
        if caption:
            parts.table_caption(table, caption)
        self._height_pt += layout.table_pt(header, rows, widths)
        self._doc.add_paragraph()  # Word merges tables that touch; a gap keeps them apart

    def chart(self, png: bytes, alt_text: str, caption: str) -> None:
        """A chart image at the text width (smaller when it would not fit on a page), its text
        alternative, and "Figure N: caption" below it."""
        import io

        from docx.shared import Pt

        if not alt_text.strip():
            raise ValueError("a chart needs a text alternative")

        px_w, px_h = png_size(png)
        width_pt = TEXT_W / layout.TWIPS_PER_PT
        height_pt = width_pt * px_h / px_w
        if height_pt > CHART_MAX_H_PT:
            width_pt, height_pt = width_pt * CHART_MAX_H_PT / height_pt, CHART_MAX_H_PT
        shape = self._doc.add_picture(io.BytesIO(png), width=Pt(width_pt), height=Pt(height_pt))
        self._figures += 1
        parts.describe_picture(shape, alt_text, caption)
        self._doc.paragraphs[-1].paragraph_format.keep_with_next = True
        label = self._doc.add_paragraph(style="Caption")
        label.add_run("Figure ")
        parts.add_field(label, "SEQ Figure \\* ARABIC", str(self._figures))
        label.add_run(f": {caption}")
        self._height_pt += height_pt + layout.CAPTION_PT

    # ---- size and saving -----------------------------------------------------------------

    @property
    def estimated_pages(self) -> int:
        return max(1, -(-int(self._height_pt) // int(TEXT_H_PT)))

    def save(self, path: Path) -> Path:
        """Write the file (created 0600: the board's business is in it) and return its path."""
        if self.estimated_pages > TOC_PAST_PAGES:
            self._table_of_contents()
        parts.update_fields_on_open(self._doc.settings.element)
        path.parent.mkdir(parents=True, exist_ok=True)
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            self._doc.save(out)
        return path

    # ---- set-up --------------------------------------------------------------------------

    def _setup_page(self) -> None:
        from docx.enum.section import WD_ORIENT
        from docx.shared import Twips

        section = self._doc.sections[0]
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Twips(PAGE_W), Twips(PAGE_H)
        section.top_margin = section.bottom_margin = Twips(MARGIN_TB)
        section.left_margin = section.right_margin = Twips(MARGIN_LR)
        section.header_distance = section.footer_distance = Twips(567)  # 10 mm

    def _setup_styles(self) -> None:
        from docx.shared import Pt

        normal = self._doc.styles["Normal"]
        normal.font.name = "Arial"
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(6)
        parts.language(normal, "en-GB")

    def _header_footer(self) -> None:
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt

        section = self._doc.sections[0]
        top = section.header.paragraphs[0]
        top.alignment = WD_ALIGN_PARAGRAPH.CENTER
        top.add_run(self.marking).bold = True
        name = section.header.add_paragraph()
        name.alignment = WD_ALIGN_PARAGRAPH.CENTER
        name.add_run(self.board).font.size = Pt(8)
        pages = section.footer.paragraphs[0]
        pages.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run_text, field in (("Page ", "PAGE"), (" of ", "NUMPAGES")):
            pages.add_run(run_text)
            parts.add_field(pages, field, "1")
        pages.add_run(f" · {long_date(self.created)}")
        for run in pages.runs:
            run.font.size = Pt(8)
        bottom = section.footer.add_paragraph()
        bottom.alignment = WD_ALIGN_PARAGRAPH.CENTER
        bottom.add_run(self.marking).bold = True

    def _properties(self) -> None:
        props = self._doc.core_properties
        stamp = self.created.astimezone(UTC).replace(tzinfo=None)
        props.title, props.subject, props.category = self.title, self.board, self.marking
        props.author = props.last_modified_by = "QA Bot"
        props.created = props.modified = stamp
        props.revision = 1
        props.comments = ""
        props.keywords = self.marking

    def _table_of_contents(self) -> None:
        heading = self._doc.add_paragraph("Contents", style="TOC Heading")
        toc = self._doc.add_paragraph()
        parts.add_field(
            toc, 'TOC \\o "1-3" \\h \\z \\u', "The contents are filled in when Word opens the document."
        )
        # Both go after the title block (add_paragraph put them at the end).
        self._after_title._p.addnext(toc._p)
        self._after_title._p.addnext(heading._p)
