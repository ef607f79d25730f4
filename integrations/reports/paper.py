"""A Board paper (commands/papers/model.Paper) as a Word document: headings, paragraphs,
bullet lists, tables with header rows and charts with their text alternative."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from commands.papers.model import Bullets, Chart, Paper, Section, Table
from integrations.reports import paper_charts


def write_paper(paper: Paper, path: Path) -> Path:
    from docx import Document

    doc = Document()
    doc.core_properties.title = paper.title
    doc.core_properties.author = "QA Bot"
    doc.core_properties.created = paper.created_at
    doc.add_heading(paper.title, level=0)
    intro = doc.add_paragraph()
    intro.add_run(paper.board).bold = True
    intro.add_run(f"\n{paper.subtitle}\nPrepared by QA Bot on {paper.created_text}.")
    for section in paper.sections:
        _section(doc, section, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        doc.save(out)
    return path


def _section(doc: Any, section: Section, level: int) -> None:
    doc.add_heading(section.heading, level=min(level, 4))
    for block in section.blocks:
        if isinstance(block, str):
            doc.add_paragraph(block)
        elif isinstance(block, Bullets):
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif isinstance(block, Table):
            _table(doc, block)
        else:
            _chart(doc, block)
    for sub in section.subsections:
        _section(doc, sub, level + 1)


def _table(doc: Any, table: Table) -> None:
    from docx.shared import Pt

    if table.caption:
        doc.add_paragraph(table.caption).runs[0].bold = True
    t = doc.add_table(rows=1, cols=len(table.header))
    t.style = "Table Grid"
    for cell, text in zip(t.rows[0].cells, table.header, strict=True):
        cell.text = text
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in table.rows:
        for cell, text in zip(t.add_row().cells, row, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(9)
    if table.source:
        doc.add_paragraph(f"({table.source})")


def _chart(doc: Any, chart: Chart) -> None:
    import io

    from docx.shared import Inches

    doc.add_picture(io.BytesIO(paper_charts.render(chart)), width=Inches(6.0))
    doc.add_paragraph(f"{chart.title}. In words: {chart.alt_text}")
