"""A Board paper (commands/papers/model.Paper: the inspection-readiness pack, the annual report
draft) as a Word document, through the one builder (integrations/reports/document.py
`BoardDocument`: A4, the marking, page numbers, a table of contents when long, tables sized to
their content with header rows repeated, charts with their text alternative, the clock's date).

Each table's source is said under it; each chart is also said in words under its caption, so a
printed copy carries what the Alt Text carries."""

from __future__ import annotations

from pathlib import Path

from commands.papers.model import Bullets, Chart, Paper, Section, Table
from integrations.reports import paper_charts
from integrations.reports.document import BoardDocument


def write_paper(paper: Paper, path: Path) -> Path:
    head = paper.head
    doc = BoardDocument(board=head.board, marking=head.marking, created=head.created, title=paper.title)
    doc.paragraph(paper.subtitle)
    for section in paper.sections:
        _section(doc, section, 1)
    return doc.save(path)


def _section(doc: BoardDocument, section: Section, level: int) -> None:
    doc.heading(section.heading, level=min(level, 3))
    for block in section.blocks:
        if isinstance(block, str):
            doc.paragraph(block)
        elif isinstance(block, Bullets):
            doc.bullets(block.items)
        elif isinstance(block, Table):
            _table(doc, block)
        else:
            _chart(doc, block)
    for sub in section.subsections:
        _section(doc, sub, level + 1)


def _table(doc: BoardDocument, table: Table) -> None:
    if not table.rows:
        doc.paragraph(f"{table.caption or 'The table'}: none.")
        return
    if table.caption:
        doc.paragraph(table.caption, bold=True)
    doc.table(table.header, table.rows, caption=table.caption)
    if table.source:
        doc.paragraph(f"({table.source})")


def _chart(doc: BoardDocument, chart: Chart) -> None:
    kind = "Line chart" if chart.kind == "lines" else ("Stacked bar chart" if chart.stacked else "Bar chart")
    doc.chart(
        paper_charts.render(chart), alt_text=f"{kind}: {chart.title}. {chart.alt_text}", caption=chart.title
    )
    doc.paragraph(f"{chart.title}. In words: {chart.alt_text}")
