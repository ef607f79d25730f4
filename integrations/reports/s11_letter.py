"""A Section 11 feedback letter as a Word document, built with `BoardDocument` (A4, the
board's name and marking, page numbers, the clock's date; integrations/reports/document.py)."""

from __future__ import annotations

from pathlib import Path

from commands.section11.letter_data import LetterData
from integrations.reports.document import BoardDocument


def _difference(n: int | None) -> str:
    if n is None:
        return "—"
    return "same" if n == 0 else f"{n:+d}"


def write_letter(data: LetterData, path: Path) -> Path:
    head = data.head
    doc = BoardDocument(board=head.board, marking=head.marking, created=head.created, title=data.title)
    to = data.addressee or f"the Section 11 lead of {data.agency}"
    doc.paragraph(f"To: {to}, {data.agency}", bold=True)
    doc.paragraph(f"Dear {data.addressee or 'colleague'},")
    panel = f"on {data.moderated_on}" if data.moderated_on else ""
    doc.paragraph(
        f"Thank you for {data.agency}'s self-assessment for {data.cycle}. The scrutiny panel has "
        f"moderated it{' ' + panel if panel else ''}. This letter sets out your scores for each "
        "standard beside the panel's, the panel's commentary, and the actions agreed with you, "
        "with their deadlines."
    )

    doc.heading("Scores by standard")
    if data.scale:
        doc.paragraph("The scale:")
        doc.bullets(data.scale)
    for standard, rows in data.standards:
        doc.heading(standard, level=2)
        doc.table(
            ["Ref", "Question", "Self-assessed", "Moderated", "Difference"],
            [[r.ref, r.question, r.self_score, r.moderated, _difference(r.differs_by)] for r in rows],
            caption=f"{standard}: self-assessed and moderated scores",
        )

    doc.heading("The panel's commentary")
    if data.commentary:
        doc.bullets([f"{ref}: {note}" for ref, note in data.commentary])
    else:
        doc.paragraph("The panel made no comments beyond the scores.")

    doc.heading("Actions agreed")
    if data.actions:
        doc.table(
            ["Action", "Standard", "What will be done", "By"],
            [[a.ref, a.standard, a.text, a.due] for a in data.actions],
            caption="Actions agreed, with their deadlines",
        )
        doc.paragraph(
            "Each action is tracked by the partnership under the reference shown; progress is "
            "asked for in your agency's Section 11 thread as each deadline comes."
        )
    else:
        doc.paragraph("No actions were agreed.")

    doc.paragraph("Yours sincerely,")
    doc.paragraph(data.signed_by or "The Independent Chair", bold=True)
    doc.paragraph(f"On behalf of {head.board}")
    return doc.save(path)
