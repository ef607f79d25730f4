"""The Board report as a Word document (python-docx)."""

from __future__ import annotations

import io
import os
from pathlib import Path

from commands.meetings.report import ReportData
from integrations.reports import chart as charts


def write_report(data: ReportData, path: Path) -> Path:
    from docx import Document
    from docx.shared import Inches, Pt

    doc = Document()
    doc.core_properties.title = data.heading
    doc.core_properties.author = "QA Bot"
    doc.add_heading(data.heading, level=0)
    intro = doc.add_paragraph()
    intro.add_run(data.board).bold = True
    intro.add_run(f"\n{data.meeting} ({data.kind})\nPrepared by QA Bot on {data.generated}.")

    doc.add_heading("Outcome summary", level=1)
    for heading, lines in data.sections:
        doc.add_heading(heading, level=2)
        for line in lines:
            doc.add_paragraph(line, style="List Bullet")

    doc.add_heading("Actions", level=1)
    if data.actions:
        table = doc.add_table(rows=1, cols=len(data.actions_header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, data.actions_header, strict=True):
            cell.text = text
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in data.actions:
            cells = table.add_row().cells
            for cell, text in zip(cells, row, strict=True):
                cell.text = text
                for run in cell.paragraphs[0].runs:
                    run.font.size = Pt(9)
    else:
        doc.add_paragraph("No actions were agreed at this meeting.")

    doc.add_heading("RAG chart", level=1)
    doc.add_paragraph(data.chart.title)
    image = charts.render(data.chart)
    picture = doc.add_picture(io.BytesIO(image.png), width=Inches(6.3))
    picture._inline.docPr.set("descr", image.alt_text)  # the alt text Word reads aloud
    if data.chart.note:
        doc.add_paragraph(data.chart.note)

    if data.reviews:
        doc.add_heading("Rapid reviews: timelines", level=1)
        doc.add_paragraph("Each step with its date and working day from awareness (case codes only).")
        for title, lines in data.reviews:
            doc.add_heading(title, level=2)
            for line in lines:
                doc.add_paragraph(line, style="List Bullet")

    path.parent.mkdir(parents=True, exist_ok=True)
    # Created 0600 (the board's actions and agencies are in it), whatever the umask.
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        doc.save(out)
    return path
