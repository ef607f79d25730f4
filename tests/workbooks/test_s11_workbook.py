"""The Section 11 workbook on its own: a template written, filled in with openpyxl as a person
would (picking scores, typing dates and links), and read back; every way a workbook can be
wrong named by sheet and cell; bad files answered in words, never raised."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from commands.section11.workbook_data import (
    Answer,
    Expected,
    ExportData,
    ExportRow,
    ScalePoint,
    Standard,
    SubQuestion,
    TemplateData,
    WorkbookIds,
)
from integrations.workbooks.s11 import read_workbook, write_export, write_template

SCALE = (
    ScalePoint("0", "Inadequate", "Not in place"),
    ScalePoint("1", "Requires improvement", "Partly in place"),
    ScalePoint("2", "Good", "In place"),
    ScalePoint("3", "Outstanding", "In place and tested"),
)
STANDARDS = (
    Standard(
        "1",
        "Senior management commitment",
        (SubQuestion("1.1", "Is there a named lead?"), SubQuestion("1.2", "Does the board see reports?")),
    ),
    Standard(
        "5",
        "Training",
        (
            SubQuestion("5.1", "Do all staff get training?"),
            SubQuestion("5.2", "Is it refreshed?"),
            SubQuestion("5.3", "Is it evaluated?"),
        ),
    ),
)
IDS = WorkbookIds(
    board="Surrey SCB", agency_id=3, agency="Surrey Police", cycle_id=7, year=2027, cohort="statutory"
)


def _guard(text: str) -> str | None:
    return "an NHS number (94…8): not stored" if "943 476 5919" in text else None


def expected(ids: WorkbookIds = IDS) -> Expected:
    return Expected(
        ids=ids,
        scale=SCALE,
        scale_name="0–3",
        standards=STANDARDS,
        guard=_guard,
        earliest=date(2025, 1, 1),
        latest=date(2032, 12, 31),
    )


def template(tmp_path: Path, previous: dict[str, Answer] | None = None, ids: WorkbookIds = IDS) -> Path:
    data = TemplateData(
        ids=ids,
        scale_name="0–3",
        scale=SCALE,
        standards=STANDARDS,
        previous=previous or {},
        previous_year=2025 if previous else None,
        generated="7 Dec 2026",
    )
    return write_template(data, tmp_path / "police.xlsx")


def fill(path: Path, cells: dict[tuple[str, str], object]) -> bytes:
    """Type into cells as a person would in Excel (openpyxl keeps protection and validation)."""
    wb = load_workbook(path)
    for (sheet, ref), value in cells.items():
        wb[sheet][ref] = value
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


ALL = {
    ("1 Senior management commitment", "D4"): 3,
    ("1 Senior management commitment", "E4"): "https://contoso.sharepoint.com/sites/SSCB/lead.docx",
    ("1 Senior management commitment", "D5"): 2,
    ("5 Training", "D4"): 1,
    ("5 Training", "F4"): "Refresher uptake is low",
    ("5 Training", "G4"): "Mandatory refresher for all officers",
    ("5 Training", "H4"): datetime(2027, 9, 30),
    ("5 Training", "D5"): "2",
    ("5 Training", "D6"): 0,
    ("5 Training", "H6"): "31/03/2028",
}


def test_round_trip_reads_every_answer(tmp_path: Path) -> None:
    got = read_workbook(fill(template(tmp_path), ALL), expected())
    assert got.errors == []
    by = {a.label: a for a in got.answers}
    assert sorted(by) == ["1.1", "1.2", "5.1", "5.2", "5.3"]
    assert by["1.1"] == Answer("1.1", "3", evidence="https://contoso.sharepoint.com/sites/SSCB/lead.docx")
    assert by["5.1"] == Answer(
        "5.1", "1", None, "Refresher uptake is low", "Mandatory refresher for all officers", date(2027, 9, 30)
    )
    assert by["5.3"].deadline == date(2028, 3, 31)


def test_template_is_locked_with_lists_and_hidden_ids(tmp_path: Path) -> None:
    wb = load_workbook(template(tmp_path, {"5.2": Answer("5.2", "2", evidence="Training matrix 2025")}))
    assert wb.sheetnames == ["About", "Scale", "1 Senior management commitment", "5 Training", "qabot"]
    assert wb["qabot"].sheet_state == "veryHidden" and wb.security.lockStructure
    ws = wb["5 Training"]
    assert ws.protection.sheet and ws.column_dimensions["A"].hidden
    assert [ws[f"A{r}"].value for r in (4, 5, 6)] == ["5.1", "5.2", "5.3"]
    assert not ws["D4"].protection.locked and ws["C4"].protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists[0].formula1 == '"0,1,2,3"' and "D4" in str(lists[0].sqref)
    assert ws["D5"].value == 2 and ws["E5"].value == "Training matrix 2025"  # last cycle's answer
    about = wb["About"]
    assert [about[f"B{r}"].value for r in (3, 4, 5)] == [
        "Surrey SCB",
        "Surrey Police",
        "Section 11 2027 (statutory)",
    ]
    assert wb["Scale"]["C7"].value == "In place and tested"


def test_a_wrong_cell_stores_nothing_and_names_sheet_and_cell(tmp_path: Path) -> None:
    cells = {
        **ALL,
        ("5 Training", "D7"): 4,
        ("5 Training", "D6"): 4,
        ("5 Training", "H4"): "31/02/2027",
        ("1 Senior management commitment", "E5"): "http://intranet/lead.docx",
        ("5 Training", "G5"): "Child NHS 943 476 5919 missed",
        ("1 Senior management commitment", "D4"): None,
    }
    got = read_workbook(fill(template(tmp_path), cells), expected())
    assert got.answers == []
    assert got.errors == [
        "Sheet '1 Senior management commitment' cell D4: no self-score for 1.1: choose one from the list (0–3)",
        "Sheet '1 Senior management commitment' cell E5: the link 'http://intranet/lead.docx' is not https; give the https:// SharePoint or web link",
        "Sheet '5 Training' cell H4: '31/02/2027' is not a real date",
        "Sheet '5 Training' cell G5: an NHS number (94…8): not stored",
        "Sheet '5 Training' cell D6: '4' is not on the scale 0–3",
        "Sheet '5 Training' cell D7: answers typed in a row that is not a question",
    ]


def test_absurd_dates_and_moved_rows(tmp_path: Path) -> None:
    wb = load_workbook(
        io.BytesIO(fill(template(tmp_path), {**ALL, ("5 Training", "H5"): datetime(1927, 9, 30)}))
    )
    ws = wb["5 Training"]
    ws.protection.sheet = False  # someone unprotected it and swapped two rows
    for col in "ABCDEFGH":
        ws[f"{col}4"].value, ws[f"{col}6"].value = ws[f"{col}6"].value, ws[f"{col}4"].value
    buf = io.BytesIO()
    wb.save(buf)
    got = read_workbook(buf.getvalue(), expected())
    assert got.errors == [
        "Sheet '5 Training' cell H5: 30/09/1927 is not a believable deadline (between 01/01/2025 and 31/12/2032)"
    ]
    ws["H5"] = None
    buf = io.BytesIO()
    wb.save(buf)
    by = {a.label: a for a in read_workbook(buf.getvalue(), expected()).answers}
    assert by["5.1"].self_score == "1" and by["5.3"].self_score == "0"  # read by the hidden id, not the row


def test_duplicated_and_missing_rows(tmp_path: Path) -> None:
    wb = load_workbook(io.BytesIO(fill(template(tmp_path), ALL)))
    ws = wb["5 Training"]
    ws["A6"] = "5.1"
    buf = io.BytesIO()
    wb.save(buf)
    got = read_workbook(buf.getvalue(), expected())
    assert got.errors == [
        "Sheet '5 Training' cell B6: question 5.1 appears twice (first at sheet '5 Training' row 4)",
        "Question 5.3 has no row on its sheet (was it deleted?). Download a fresh one with /s11 template <agency>.",
    ]


def test_another_agencys_or_cycles_workbook(tmp_path: Path) -> None:
    data = fill(template(tmp_path), ALL)
    health = WorkbookIds(
        board="Surrey SCB", agency_id=4, agency="Surrey Health", cycle_id=7, year=2027, cohort="statutory"
    )
    got = read_workbook(data, expected(health))
    assert got.errors == [
        "This workbook is Surrey Police's, not Surrey Health's: nothing was read. "
        "Use Surrey Health's own workbook (/s11 template Surrey Health)."
    ]
    later = WorkbookIds(
        board="Surrey SCB", agency_id=3, agency="Surrey Police", cycle_id=9, year=2029, cohort="statutory"
    )
    assert (
        read_workbook(data, expected(later))
        .errors[0]
        .startswith("This workbook is for Section 11 2027 (statutory), not 2029")
    )


def test_missing_sheet(tmp_path: Path) -> None:
    wb = load_workbook(template(tmp_path))
    del wb["1 Senior management commitment"]
    buf = io.BytesIO()
    wb.save(buf)
    errors = read_workbook(buf.getvalue(), expected()).errors
    assert (
        "The sheet for standard 1 (Senior management commitment) is missing. "
        "Download a fresh one with /s11 template <agency>."
    ) in errors


def _docx_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("data", "starts"),
    [
        (b"%PDF-1.7 not a sheet", "The file is not an Excel workbook (.xlsx)."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
            "The file is an Excel 97-2003 workbook (.xls) or is protected with a password",
        ),
        (_docx_zip(), "The file is a zip but not an Excel workbook"),
        (b"PK\x03\x04broken", "The file is not an Excel workbook"),
    ],
)
def test_not_a_workbook_is_said_not_raised(data: bytes, starts: str) -> None:
    got = read_workbook(data, expected())
    assert got.answers == [] and got.errors[0].startswith(starts)


def test_a_plain_workbook_is_not_ours() -> None:
    buf = io.BytesIO()
    Workbook().save(buf)
    assert read_workbook(buf.getvalue(), expected()).errors == [
        "This is not a QA Bot Section 11 workbook (its hidden id sheet is missing). "
        "Download a fresh one with /s11 template <agency>."
    ]


def test_export_for_the_panel(tmp_path: Path) -> None:
    rows = (
        ExportRow(
            "Surrey Police",
            "1.1",
            "1 Senior management commitment",
            "Is there a named lead?",
            "3",
            "1",
            2,
            "https://x/lead",
        ),
        ExportRow(
            "Surrey Health",
            "1.1",
            "1 Senior management commitment",
            "Is there a named lead?",
            None,
            None,
            None,
            None,
        ),
    )
    out = write_export(
        ExportData("Surrey SCB", 2027, "statutory", "0–3", SCALE, rows, "7 Dec 2026"), tmp_path / "e.xlsx"
    )
    ws = load_workbook(out)["Scores"]
    assert [c.value for c in ws[1]][:7] == [
        "Agency",
        "Ref",
        "Standard",
        "Question",
        "Self-score",
        "Moderated",
        "Gap",
    ]
    assert [c.value for c in ws[2]][:8] == [
        "Surrey Police",
        "1.1",
        "1 Senior management commitment",
        "Is there a named lead?",
        3,
        1,
        2,
        "https://x/lead",
    ]
    assert ws["G2"].fill.fgColor.rgb.endswith("F4CCCC") and ws["A3"].value == "Surrey Health"


def test_what_could_identify_a_child_is_never_repeated_in_an_error(tmp_path: Path) -> None:
    cells = {
        **ALL,
        ("5 Training", "D5"): "943 476 5919",
        ("1 Senior management commitment", "E5"): "http://x/943 476 5919",
    }
    got = read_workbook(fill(template(tmp_path), cells), expected())
    assert got.errors == [
        "Sheet '1 Senior management commitment' cell E5: an NHS number (94…8): not stored",
        "Sheet '5 Training' cell D5: the text there (not repeated: it may identify a child or family) "
        "is not on the scale 0–3",
    ]
    assert not any("476" in e for e in got.errors)
