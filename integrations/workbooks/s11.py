"""The Section 11 workbook (openpyxl): an agency's template, and the cycle's export for the
panel. Reading a filled template back is integrations/workbooks/s11_reader.py.

One sheet per standard, not one long "Return" sheet: the Section 11 templates agencies
already know (the key features, one tab each) are laid out so, a standard is what one person
in the agency usually answers, and an error can name the sheet a person recognises
("Sheet '5 Training on safeguarding' cell D7"). Each sheet is locked except its answer
cells; the score cells offer the scale as a list and the deadline cells take only dates.

Protection has no password: it keeps the structure from being changed by accident, and the
reader trusts none of it anyway (every cell is checked again, and the hidden id column and
id sheet say which agency, cycle and sub-question a value belongs to).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from commands.section11.workbook_data import (
    FORMAT_VERSION,
    Answer,
    ExportData,
    ScalePoint,
    Standard,
    TemplateData,
)
from integrations.workbooks import layout as L
from integrations.workbooks.s11_reader import read_workbook

__all__ = ["read_workbook", "write_export", "write_template"]

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2099, 12, 31)


def _styles() -> dict[str, Any]:
    from openpyxl.styles import Alignment, Font, PatternFill

    return {
        "title": Font(bold=True, size=14),
        "bold": Font(bold=True),
        "head": Font(bold=True, color="FFFFFF"),
        "head_fill": PatternFill("solid", fgColor="1F4E79"),
        "answer_fill": PatternFill("solid", fgColor="FFF9E5"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
    }


def _scale_prompt(scale: tuple[ScalePoint, ...]) -> str:
    text = "; ".join(f"{p.value} = {p.label}" for p in scale)
    return text if len(text) <= 250 else text[:249] + "…"  # Excel's limit for a prompt


def _ids_sheet(wb: Any, rows: list[tuple[str, Any]]) -> None:
    ws = wb.create_sheet(L.ID_SHEET)
    for i, (key, value) in enumerate(rows, start=1):
        ws.cell(row=i, column=1, value=key)
        ws.cell(row=i, column=2, value=value)
    ws.sheet_state = "veryHidden"  # not even listed under Unhide
    ws.protection.sheet = True


def _about_sheet(wb: Any, title: str, facts: list[tuple[str, str]], notes: list[str]) -> None:
    st = _styles()
    ws = wb.active
    ws.title = L.ABOUT_SHEET
    ws["A1"] = title
    ws["A1"].font = st["title"]
    for i, (k, v) in enumerate(facts, start=3):
        ws.cell(row=i, column=1, value=k).font = st["bold"]
        ws.cell(row=i, column=2, value=v)
    for j, note in enumerate(notes, start=len(facts) + 4):
        ws.cell(row=j, column=1, value=note)
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    ws.protection.sheet = True


def _scale_sheet(wb: Any, name: str, scale: tuple[ScalePoint, ...]) -> None:
    st = _styles()
    ws = wb.create_sheet(L.SCALE_SHEET)
    ws["A1"] = f"The scale ({name})"
    ws["A1"].font = st["title"]
    for col, head in zip("ABC", ("Score", "Meaning", "Descriptor"), strict=True):
        c = ws[f"{col}3"]
        c.value, c.font, c.fill = head, st["head"], st["head_fill"]
    for i, p in enumerate(scale, start=4):
        ws.cell(row=i, column=1, value=p.value)
        ws.cell(row=i, column=2, value=p.label)
        ws.cell(row=i, column=3, value=p.descriptor).alignment = st["wrap"]
    for col, width in zip("ABC", (8, 18, 90), strict=True):
        ws.column_dimensions[col].width = width
    ws.protection.sheet = True


def _standard_sheet(wb: Any, name: str, std: Standard, data: TemplateData) -> None:
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    st = _styles()
    ws = wb.create_sheet(name)
    ws["A1"], ws["A2"] = L.MARKER, std.number
    ws["B1"] = f"{std.number}. {std.title}"
    ws["B1"].font = st["title"]
    hint = (
        f"Score each question on the scale ({data.scale_name}, see the Scale sheet); "
        "evidence as an https link or text."
    )
    if data.previous and data.previous_year:
        hint += f" Pre-filled with your {data.previous_year} answers: confirm, update or change them."
    ws["B2"] = hint
    for col, (head, width) in L.COLUMNS.items():
        c = ws[f"{col}{L.HEADER_ROW}"]
        c.value, c.font, c.fill, c.alignment = head, st["head"], st["head_fill"], st["wrap"]
        ws.column_dimensions[col].width = width
    ws.column_dimensions[L.ID_COL].hidden = True
    scores = DataValidation(
        type="list",
        formula1='"' + ",".join(p.value for p in data.scale) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not on the scale",
        error=f"Choose a score from the list ({data.scale_name}).",
        promptTitle="Self-score",
        prompt=_scale_prompt(data.scale),
        showInputMessage=True,
    )
    dates = DataValidation(
        type="date",
        operator="between",
        formula1=f"DATE({EARLIEST_DATE.year},1,1)",
        formula2=f"DATE({LATEST_DATE.year},12,31)",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Not a date",
        error="Type a date, e.g. 31/03/2027.",
    )
    ws.add_data_validation(scores)
    ws.add_data_validation(dates)
    for i, sub in enumerate(std.subs):
        r = L.FIRST_ROW + i
        ws[f"{L.ID_COL}{r}"] = sub.label
        ws[f"{L.REF_COL}{r}"] = sub.label
        ws[f"{L.QUESTION_COL}{r}"] = sub.text
        ws[f"{L.QUESTION_COL}{r}"].alignment = st["wrap"]
        _fill(ws, r, data.previous.get(sub.label))
        for col in L.ANSWER_COLS:
            c = ws[f"{col}{r}"]
            c.protection = Protection(locked=False)
            c.fill, c.alignment = st["answer_fill"], st["wrap"]
        ws[f"{L.DEADLINE_COL}{r}"].number_format = "dd/mm/yyyy"
        scores.add(f"{L.SCORE_COL}{r}")
        dates.add(f"{L.DEADLINE_COL}{r}")
    ws.freeze_panes = f"D{L.FIRST_ROW}"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # people may make rows taller to read long answers
    ws.protection.formatColumns = False


def _fill(ws: Any, row: int, prev: Answer | None) -> None:
    if prev is None:
        return
    values = {
        L.SCORE_COL: prev.self_score,
        L.EVIDENCE_COL: prev.evidence,
        L.IMPROVE_COL: prev.improvement,
        L.ACTION_COL: prev.action,
        L.DEADLINE_COL: prev.deadline,
    }
    for col, value in values.items():
        if value is not None:
            ws[f"{col}{row}"] = _as_number(value) if isinstance(value, str) and col == L.SCORE_COL else value


def _as_number(value: str) -> int | str:
    """A numeric score is written as a number, as Excel stores one picked from the list."""
    return int(value) if value.lstrip("-").isdigit() else value


def write_template(data: TemplateData, out: Path) -> Path:
    """The agency's workbook for the cycle, at `out`."""
    from openpyxl import Workbook

    wb = Workbook()
    ids = data.ids
    _about_sheet(
        wb,
        f"Section 11 self-assessment {ids.year}: {ids.agency}",
        [
            ("Board", ids.board),
            ("Agency", ids.agency),
            ("Cycle", f"Section 11 {ids.year} ({ids.cohort})"),
            ("Scale", data.scale_name),
            ("Version", f"QA Bot workbook format {FORMAT_VERSION}, written {data.generated}".strip(", ")),
        ],
        [
            "Fill in the yellow cells on each standard's sheet; everything else is locked.",
            "Save the file as .xlsx (no password) in your agency's Section 11 folder in SharePoint.",
            "QA Bot reads it there, checks every cell, and answers in your agency's Section 11 thread.",
            "A workbook with any error stores nothing: correct the cells named and save it again.",
        ],
    )
    _scale_sheet(wb, data.scale_name, data.scale)
    taken: set[str] = set()
    for std in data.standards:
        _standard_sheet(wb, L.sheet_name(std, taken), std, data)
    _ids_sheet(
        wb,
        [
            ("format", FORMAT_VERSION),
            ("board", ids.board),
            ("agency_id", ids.agency_id),
            ("agency", ids.agency),
            ("cycle_id", ids.cycle_id),
            ("year", ids.year),
            ("cohort", ids.cohort),
        ],
    )
    wb.security.lockStructure = True  # no sheets added, removed or renamed by accident
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out


EXPORT_HEAD = (
    "Agency",
    "Ref",
    "Standard",
    "Question",
    "Self-score",
    "Moderated",
    "Gap",
    "Evidence",
    "Moderator's note",
)


def write_export(data: ExportData, out: Path) -> Path:
    """The cycle for the panel: every agency × sub-question, self, moderated, gap, evidence."""
    from openpyxl import Workbook
    from openpyxl.styles import PatternFill

    st = _styles()
    wb = Workbook()
    _about_sheet(
        wb,
        f"Section 11 {data.year} ({data.cohort}): the panel's workbook",
        [
            ("Board", data.board),
            ("Cycle", f"Section 11 {data.year} ({data.cohort})"),
            ("Scale", data.scale_name),
            ("Written", data.generated),
        ],
        ["Gap = self-score minus moderated score, in points of the scale (blank until both exist)."],
    )
    _scale_sheet(wb, data.scale_name, data.scale)
    ws = wb.create_sheet("Scores")
    for i, head in enumerate(EXPORT_HEAD, start=1):
        c = ws.cell(row=1, column=i, value=head)
        c.font, c.fill = st["head"], st["head_fill"]
    wide = PatternFill("solid", fgColor="F4CCCC")
    for r, row in enumerate(data.rows, start=2):
        values = (
            row.agency,
            row.label,
            row.standard,
            row.question,
            _as_number(row.self_score or "") if row.self_score else None,
            _as_number(row.moderated) if row.moderated else None,
            row.gap,
            row.evidence,
            row.note,
        )
        for i, value in enumerate(values, start=1):
            ws.cell(row=r, column=i, value=value)
        if row.gap is not None and abs(row.gap) >= 1:
            ws.cell(row=r, column=7).fill = wide  # the panel's agenda: differences of a point or more
    for col, width in zip("ABCDEFGHI", (30, 6, 30, 50, 10, 10, 6, 40, 36), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "C2"
    ws.auto_filter.ref = f"A1:I{max(len(data.rows) + 1, 1)}"
    out.parent.mkdir(parents=True, exist_ok=True)
    wb.save(out)
    return out
