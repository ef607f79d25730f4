"""The Section 11 workbook as plain data, both ways: what a template or the panel's export
holds (built here in commands/ from the store), and what reading a filled workbook found.

The spreadsheet itself is written and read by integrations/workbooks/s11.py (openpyxl); a
command reaches it only through `Services` (commands/services.py), so these types are the
whole contract between the two rooms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

FORMAT_VERSION = 1  # the hidden id sheet's layout; a reader refuses a version it does not know


@dataclass(frozen=True)
class ScalePoint:
    value: str  # what is typed or picked in the score cell: "0".."3", "Red", "4"
    label: str  # "Good"
    descriptor: str = ""  # what the point means, shown on the Scale sheet


@dataclass(frozen=True)
class SubQuestion:
    label: str  # "1.1"
    text: str


@dataclass(frozen=True)
class Standard:
    number: str  # "1"
    title: str  # "Senior management commitment to safeguarding"
    subs: tuple[SubQuestion, ...]


@dataclass(frozen=True)
class Answer:
    """One sub-question's answer, as pre-filled into a template or read back from one."""

    label: str
    self_score: str | None = None  # a ScalePoint.value
    evidence: str | None = None
    improvement: str | None = None  # areas for improvement
    action: str | None = None  # the agency's own action
    deadline: date | None = None  # the action's deadline


@dataclass(frozen=True)
class WorkbookIds:
    """Who and what a workbook is for: written into its hidden id sheet, checked on reading."""

    board: str
    agency_id: int
    agency: str
    cycle_id: int
    year: int
    cohort: str


@dataclass(frozen=True)
class TemplateData:
    ids: WorkbookIds
    scale_name: str  # "0–3"
    scale: tuple[ScalePoint, ...]
    standards: tuple[Standard, ...]
    previous: dict[str, Answer] = field(default_factory=dict)  # label -> last cycle's answer
    previous_year: int | None = None
    generated: str = ""  # "7 Dec 2026 10:30", shown on the About sheet


# A text cell's check before anything is stored: None when it may be kept, else why not
# (the safeguarding guard, given by the caller: the workbook code never decides that).
TextGuard = Callable[[str], str | None]


@dataclass(frozen=True)
class Expected:
    """What the reader checks a filled workbook against."""

    ids: WorkbookIds
    scale: tuple[ScalePoint, ...]
    scale_name: str
    standards: tuple[Standard, ...]
    guard: TextGuard
    earliest: date  # deadlines before this, or after `latest`, are not believed
    latest: date


@dataclass
class ReadResult:
    answers: list[Answer] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # "Sheet 'Training' cell D7: '4' is not on the scale 0–3"
    # False for a spreadsheet that is not a QA Bot workbook at all (no hidden id sheet): an
    # agency's own tracker kept as evidence, not a failed return.
    ours: bool = True
    # Questions with no self-score (each also an error): a workbook whose only errors these are
    # is still being filled in, and is answered with how far it has got.
    unanswered: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class ExportRow:
    agency: str
    label: str
    standard: str
    question: str
    self_score: str | None
    moderated: str | None
    gap: int | None  # self minus moderated, in scale points; None when either is missing
    evidence: str | None
    note: str | None = None  # the moderator's note


@dataclass(frozen=True)
class ExportData:
    board: str
    year: int
    cohort: str
    scale_name: str
    scale: tuple[ScalePoint, ...]
    rows: tuple[ExportRow, ...]
    generated: str = ""


def sheet_error(sheet: str, cell: str, problem: str) -> str:
    return f"Sheet '{sheet}' cell {cell}: {problem}"
