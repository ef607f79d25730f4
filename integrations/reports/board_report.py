"""The Board report as a Word document, built with `BoardDocument` (A4, marked, numbered,
dated by the bot's clock; see integrations/reports/document.py)."""

from __future__ import annotations

from pathlib import Path

from commands.meetings.report import ReportData
from integrations.reports import chart as charts
from integrations.reports.document import BoardDocument


def write_report(data: ReportData, path: Path) -> Path:
    head = data.head
    doc = BoardDocument(board=head.board, marking=head.marking, created=head.created, title=data.heading)
    doc.paragraph(f"{data.meeting} ({data.kind})")

    doc.heading("Outcome summary")
    for heading, lines in data.sections:
        doc.heading(heading, level=2)
        doc.bullets(lines)

    doc.heading("Actions")
    if data.actions:
        doc.table(data.actions_header, data.actions, caption="Actions agreed at this meeting")
    else:
        doc.paragraph("No actions were agreed at this meeting.")

    doc.heading("RAG chart")
    doc.chart(charts.render(data.chart), alt_text=charts.alt_text(data.chart), caption=data.chart.title)
    if data.chart.note:
        doc.paragraph(data.chart.note)

    if data.reviews:
        doc.heading("Rapid reviews: timelines")
        doc.paragraph("Each step with its date and working day from awareness (case codes only).")
        for title, lines in data.reviews:
            doc.heading(title, level=2)
            doc.bullets(lines)
    return doc.save(path)
