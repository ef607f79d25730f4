"""Read a filled Section 11 workbook back: every cell checked, every problem named by sheet
and cell, and never an exception for a bad file (not a workbook, an old .xls, a password, a
damaged zip): a sentence instead.

The hidden id sheet says which agency and cycle the workbook is for; the hidden column A of
each standard's sheet says which sub-question a row answers, so rows moved about still read
right. The caller stores the answers only when `errors` is empty.
"""

from __future__ import annotations

import io
import logging
import re
from datetime import date, datetime
from typing import Any

from commands.section11.workbook_data import (
    FORMAT_VERSION,
    Answer,
    Expected,
    ReadResult,
    sheet_error,
)
from integrations.workbooks import layout as L
from integrations.workbooks.files import FRESH, not_a_workbook

log = logging.getLogger("qabot.workbooks")

MAX_ROWS = 500  # rows looked at on one sheet: a template has a handful
_URL = re.compile(r"(?i)\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+")
_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+)?\s*$")


def read_workbook(data: bytes, expected: Expected) -> ReadResult:
    """The answers in `data`, or the errors that keep any of them from being stored."""
    problem = not_a_workbook(data)
    if problem:
        return ReadResult(errors=[problem])
    try:
        from openpyxl import load_workbook

        wb = load_workbook(io.BytesIO(data), data_only=True)  # a formula's last computed value
    except Exception as e:  # damaged inside a valid zip: the file's problem, said in words
        log.info("workbooks: a workbook could not be opened (%s)", type(e).__name__)
        return ReadResult(
            errors=[
                f"The file could not be opened as an Excel workbook ({type(e).__name__}); "
                "save it again as .xlsx."
            ]
        )
    try:
        return _read(wb, expected)
    except Exception as e:  # never a traceback to an agency: name the trouble and stop
        log.exception("workbooks: reading a workbook failed")
        return ReadResult(
            errors=[f"The workbook could not be read ({type(e).__name__}); save it again as .xlsx. {FRESH}"]
        )
    finally:
        wb.close()


def _ids(wb: Any) -> dict[str, str] | None:
    if L.ID_SHEET not in wb.sheetnames:
        return None
    ws = wb[L.ID_SHEET]
    found: dict[str, str] = {}
    for key, value in ws.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if key is not None:
            found[str(key)] = "" if value is None else str(value)
    return found


def _read(wb: Any, exp: Expected) -> ReadResult:
    ids = _ids(wb)
    if ids is None:
        return ReadResult(
            errors=["This is not a QA Bot Section 11 workbook (its hidden id sheet is missing). " + FRESH],
            ours=False,
        )
    if ids.get("format") != str(FORMAT_VERSION):
        return ReadResult(
            errors=[f"The workbook's format ({ids.get('format') or '?'}) is not one this bot reads. " + FRESH]
        )
    want = exp.ids
    if ids.get("agency_id") != str(want.agency_id):
        return ReadResult(
            errors=[
                f"This workbook is {ids.get('agency') or 'another agency'}'s, not {want.agency}'s: "
                f"nothing was read. Use {want.agency}'s own workbook (/s11 template {want.agency})."
            ]
        )
    if ids.get("cycle_id") != str(want.cycle_id):
        return ReadResult(
            errors=[
                f"This workbook is for Section 11 {ids.get('year') or '?'} ({ids.get('cohort') or '?'}), "
                f"not {want.year} ({want.cohort}): nothing was read. "
                f"Use this cycle's (/s11 template {want.agency})."
            ]
        )
    result = ReadResult()
    by_number = {s.number: s for s in exp.standards}
    known = {sub.label: sub for s in exp.standards for sub in s.subs}
    seen: dict[str, str] = {}  # label -> where it was first found
    found_standards: set[str] = set()
    for n, ws in enumerate(wb.worksheets, start=1):
        if ws.title in (L.ID_SHEET, L.ABOUT_SHEET, L.SCALE_SHEET) or ws["A1"].value != L.MARKER:
            continue
        title = ws.title if exp.guard(ws.title) is None else f"number {n}"  # a renamed sheet, checked
        number = str(ws["A2"].value or "").strip()
        if number not in by_number:
            result.errors.append(
                sheet_error(
                    title, "A2", f"standard {_shown(exp, number)} is not one of this cycle's standards"
                )
            )
            continue
        found_standards.add(number)
        _sheet(ws, title, exp, known, seen, result)
    for number, std in by_number.items():
        if number not in found_standards:
            result.errors.append(f"The sheet for standard {number} ({std.title}) is missing. " + FRESH)
    for std in exp.standards:
        if std.number in found_standards:
            for sub in std.subs:
                if sub.label not in seen:
                    result.errors.append(
                        f"Question {sub.label} has no row on its sheet (was it deleted?). " + FRESH
                    )
    if result.errors:
        result.answers = []
    return result


def _shown(exp: Expected, typed: str, limit: int = 40) -> str:
    """What was typed, quoted in an error (which is posted and kept) only if the guard lets it."""
    if exp.guard(typed) is not None:
        return "the text there (not repeated: it may identify a child or family)"
    return f"'{typed[:limit]}'"


def _sheet(
    ws: Any, title: str, exp: Expected, known: dict[str, Any], seen: dict[str, str], result: ReadResult
) -> None:
    for r in range(L.FIRST_ROW, min(ws.max_row, L.FIRST_ROW + MAX_ROWS) + 1):
        raw = ws[f"{L.ID_COL}{r}"].value
        if raw is None or str(raw).strip() == "":
            if any(_filled(ws[f"{c}{r}"].value) for c in L.ANSWER_COLS):
                result.errors.append(
                    sheet_error(title, f"D{r}", "answers typed in a row that is not a question")
                )
            continue
        label = str(raw).strip()
        if label not in known:
            result.errors.append(
                sheet_error(title, f"{L.ID_COL}{r}", f"{_shown(exp, label)} is not a question of this cycle")
            )
            continue
        if label in seen:
            result.errors.append(
                sheet_error(
                    title, f"{L.REF_COL}{r}", f"question {label} appears twice (first at {seen[label]})"
                )
            )
            continue
        seen[label] = f"sheet '{title}' row {r}"
        answer = _row(ws, title, r, label, exp, result.errors, result.unanswered)
        if answer is not None:
            result.answers.append(answer)


def _filled(value: Any) -> bool:
    return value is not None and str(value).strip() != ""


def _row(
    ws: Any, title: str, r: int, label: str, exp: Expected, errors: list[str], unanswered: list[str]
) -> Answer | None:
    before = len(errors)
    score = _score(ws[f"{L.SCORE_COL}{r}"].value, exp)
    if score is None:
        unanswered.append(label)
        errors.append(
            sheet_error(
                title,
                f"{L.SCORE_COL}{r}",
                f"no self-score for {label}: choose one from the list ({exp.scale_name})",
            )
        )
    elif score.startswith("!"):
        errors.append(
            sheet_error(
                title, f"{L.SCORE_COL}{r}", f"{_shown(exp, score[1:])} is not on the scale {exp.scale_name}"
            )
        )
    texts: dict[str, str | None] = {}
    for col, name in L.TEXT_COLS.items():
        cell = ws[f"{col}{r}"]
        texts[name] = _text(title, cell, col == L.EVIDENCE_COL, exp, errors)
    deadline = _date(title, f"{L.DEADLINE_COL}{r}", ws[f"{L.DEADLINE_COL}{r}"].value, exp, errors)
    if len(errors) > before or score is None:
        return None
    return Answer(label=label, self_score=score, deadline=deadline, **texts)


def _score(value: Any, exp: Expected) -> str | None:
    """The scale's own spelling of the score, None when empty, '!<what was typed>' when off the scale."""
    if not _filled(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    typed = str(value).strip()
    for p in exp.scale:
        if typed.lower() in (p.value.lower(), p.label.lower(), f"{p.value} - {p.label}".lower()):
            return p.value
    return "!" + typed[:40]


def _text(title: str, cell: Any, evidence: bool, exp: Expected, errors: list[str]) -> str | None:
    value = cell.value
    link = (
        cell.hyperlink.target if evidence and cell.hyperlink is not None and cell.hyperlink.target else None
    )
    if not _filled(value) and not link:
        return None
    if isinstance(value, (datetime, date)):
        value = value.strftime("%d/%m/%Y")
    text = " ".join(str(value or "").split())
    if link and link not in text:
        text = f"{text} {link}".strip()
    where = cell.coordinate
    if len(text) > L.MAX_TEXT:
        errors.append(
            sheet_error(
                title,
                where,
                f"{len(text)} characters; keep it under {L.MAX_TEXT} (link to a document instead)",
            )
        )
        return None
    problem = exp.guard(text)  # before anything of it is repeated in an error
    if problem:
        errors.append(sheet_error(title, where, problem))
        return None
    if evidence:
        for url in _URL.findall(text):
            if not url.lower().startswith("https://"):
                errors.append(
                    sheet_error(
                        title,
                        where,
                        f"the link {_shown(exp, url, 60)} is not https; "
                        "give the https:// SharePoint or web link",
                    )
                )
                return None
    return text


def _date(title: str, where: str, value: Any, exp: Expected, errors: list[str]) -> date | None:
    if not _filled(value):
        return None
    day: date | None = None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    else:
        typed = str(value).strip()
        m = _DMY.match(typed)
        n = _ISO.match(typed)
        try:
            if m:
                day = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            elif n:
                day = date(int(n.group(1)), int(n.group(2)), int(n.group(3)))
        except ValueError:
            errors.append(sheet_error(title, where, f"{_shown(exp, typed, 30)} is not a real date"))
            return None
        if day is None:
            errors.append(
                sheet_error(title, where, f"{_shown(exp, typed, 30)} is not a date; type it as dd/mm/yyyy")
            )
            return None
    if not exp.earliest <= day <= exp.latest:
        errors.append(
            sheet_error(
                title,
                where,
                f"{day.strftime('%d/%m/%Y')} is not a believable deadline "
                f"(between {exp.earliest.strftime('%d/%m/%Y')} "
                f"and {exp.latest.strftime('%d/%m/%Y')})",
            )
        )
        return None
    return day
