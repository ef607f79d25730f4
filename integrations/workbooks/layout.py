"""Where things are in a Section 11 workbook: shared by the writer and the reader, so the two
can never disagree about a column."""

from __future__ import annotations

import re

from commands.section11.workbook_data import Standard

ID_SHEET = "qabot"  # very hidden: who and what the workbook is for, as key/value rows
ABOUT_SHEET = "About"
SCALE_SHEET = "Scale"
MARKER = "qabot:s11:standard"  # cell A1 of every standard's sheet (column A is hidden)

HEADER_ROW = 3
FIRST_ROW = 4
# column letter -> (heading, width); A holds each row's sub-question label, hidden, so the
# reader knows which sub a row answers even if rows were moved.
ID_COL, REF_COL, QUESTION_COL = "A", "B", "C"
SCORE_COL, EVIDENCE_COL, IMPROVE_COL, ACTION_COL, DEADLINE_COL = "D", "E", "F", "G", "H"
COLUMNS: dict[str, tuple[str, int]] = {
    ID_COL: ("id", 6),
    REF_COL: ("Ref", 6),
    QUESTION_COL: ("Question", 50),
    SCORE_COL: ("Self-score", 11),
    EVIDENCE_COL: ("Evidence (https link or text)", 40),
    IMPROVE_COL: ("Areas for improvement", 36),
    ACTION_COL: ("Agency action", 36),
    DEADLINE_COL: ("Action deadline (dd/mm/yyyy)", 16),
}
ANSWER_COLS = (SCORE_COL, EVIDENCE_COL, IMPROVE_COL, ACTION_COL, DEADLINE_COL)
TEXT_COLS = {EVIDENCE_COL: "evidence", IMPROVE_COL: "improvement", ACTION_COL: "action"}

MAX_TEXT = 2000  # characters in one text cell
_DANGLING = {"a", "all", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"}
_BAD_IN_NAMES = re.compile(r"[\[\]:*?/\\']")


def sheet_name(std: Standard, taken: set[str]) -> str:
    """ "5 Training on safeguarding for" — Excel allows 31 characters and none of []:*?/\\;
    cut at a word, and made unique."""
    words = _BAD_IN_NAMES.sub(" ", f"{std.number} {std.title}").split()
    name = ""
    for w in words:
        if len(name) + len(w) + (1 if name else 0) > 31:
            break
        name = f"{name} {w}".strip()
    cut = name.split()
    while len(cut) > 2 and name != " ".join(words) and cut[-1].lower() in _DANGLING:
        cut.pop()  # "5 Training on safeguarding for" reads better without its last word
    name = " ".join(cut) or std.number[:31]
    base, n = name, 2
    while name.lower() in {t.lower() for t in taken} or name in (ID_SHEET, ABOUT_SHEET, SCALE_SHEET):
        suffix = f" ({n})"
        name = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(name)
    return name
