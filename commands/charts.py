"""What a chart shows, as plain data, and its text alternative.

The chart image is drawn by the report writer (integrations/reports/chart.py, matplotlib);
everything it shows is decided here, so the image and the words for those who cannot see it
(a screen reader, the Word document's alt text) say the same thing, and tests can read it.

The Section 11 grid is readable without colour: every cell carries a letter (R, A, G) or the
score, and the writer hatches each band differently; a key names the standards; every agency
in the cohort has its rows, and one with no scores at all is shown as "no scores yet".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

Band = Literal["red", "amber", "green", "unrated", "no_scores"]
BANDS: tuple[Band, ...] = ("red", "amber", "green", "unrated", "no_scores")
BAND_WORDS: dict[Band, str] = {
    "red": "red",
    "amber": "amber",
    "green": "green",
    "unrated": "not rated",
    "no_scores": "no scores yet",
}
RAG_LETTERS = {"red": "R", "amber": "A", "green": "G"}
NOT_RATED = "–"  # a cell the agency or the panel has not rated (the agency has other ratings)
NO_SCORES = "no scores yet"


@dataclass(frozen=True)
class Cell:
    label: str  # "R" / "A" / "G", a score such as "2", NOT_RATED, or "" when the agency has no scores
    band: Band


@dataclass
class AgencyRows:
    """One agency's two rows: its self-assessment and the panel's moderation, a cell per column."""

    agency: str
    self_cells: list[Cell]
    moderated_cells: list[Cell]

    @property
    def scored(self) -> bool:
        return any(c.band not in ("unrated", "no_scores") for c in self.self_cells + self.moderated_cells)


@dataclass
class S11Grid:
    title: str
    columns: list[str]  # "1", "2" (a standard) or "1.1", "1.2" (a sub-standard)
    key: list[tuple[str, str]]  # the standards: (number, name)
    agencies: list[AgencyRows] = field(default_factory=list)
    legend: str = "R red, A amber, G green"  # what a cell's label means
    unit: str = "standard"  # what a column is: a standard, or a sub-question ("1.2")
    lettered: bool = True  # cells show R/A/G; False: they show the score, coloured by its band

    def alt_text(self) -> str:
        """The chart in words: what it is, the key, then each agency's cells."""
        n_agencies, n_cols = len(self.agencies), len(self.columns)
        out = [
            f"{self.title}. A grid of {n_agencies} agenc{'y' if n_agencies == 1 else 'ies'} by "
            f"{n_cols} {self.unit}{'' if n_cols == 1 else 's'}, two rows per agency (self-assessed, "
            f"then moderated); each cell shows {self.legend}, {NOT_RATED} not rated.",
            "Standards: " + "; ".join(f"{num} {name}" for num, name in self.key) + ".",
        ]
        for a in self.agencies:
            if not a.scored:
                out.append(f"{a.agency}: {NO_SCORES}.")
                continue
            self_ = ", ".join(f"{c} {x.label}" for c, x in zip(self.columns, a.self_cells, strict=True))
            mod = ", ".join(f"{c} {x.label}" for c, x in zip(self.columns, a.moderated_cells, strict=True))
            out.append(f"{a.agency}: self {self_}; moderated {mod}.")
        return "\n".join(out)


@dataclass
class Chart:
    kind: str  # "s11": self vs moderated per agency and standard; "priority": findings by priority
    title: str
    grid: S11Grid | None = None
    themes: list[tuple[str, int, int, int, int]] = field(default_factory=list)  # priority, R, A, G, unrated
    note: str | None = None

    def alt_text(self) -> str:
        if self.grid is not None:
            return self.grid.alt_text()
        if not self.themes:
            return f"Bar chart: {self.title}. No findings are recorded."
        parts = [f"{name}: {r} red, {a} amber, {g} green, {u} not rated" for name, r, a, g, u in self.themes]
        head = f"Stacked bar chart: {self.title}, findings per priority area split by RAG. "
        return head + "; ".join(parts) + "."


@dataclass(frozen=True)
class ChartImage:
    """A drawn chart: the PNG and the words that stand for it."""

    png: bytes
    alt_text: str


def standard_number(name: str) -> str:
    """ "3. Safer recruitment" → "3"; a name without a number → its first 12 characters."""
    m = re.match(r"\s*(\d+)", name)
    return m.group(1) if m else name[:12]


def standard_title(name: str) -> str:
    """ "3. Safer recruitment" → "Safer recruitment"."""
    return re.sub(r"^\s*\d+[.)]?\s*", "", name).strip() or name


def rag_cell(rag: str | None) -> Cell:
    rag = (rag or "").lower()
    if rag in RAG_LETTERS:
        return Cell(RAG_LETTERS[rag], rag)  # type: ignore[arg-type]  # checked just above
    return Cell(NOT_RATED, "unrated")


def from_ratings(
    title: str,
    standards: list[str],
    agencies: list[str],
    ratings: list[tuple[str, str, str | None, str | None]],
) -> S11Grid:
    """The RAG grid: a column per standard (the board file's, then any other rated), two rows per
    agency of the cohort (`agencies`, in order), those with no rating at all marked as such."""
    rated = {s for _, s, _, _ in ratings}
    extra = sorted(rated - set(standards), key=lambda s: (len(standard_number(s)), s))
    # Ratings kept under names the board file no longer uses are still shown, after its own.
    columns = extra if rated and len(extra) == len(rated) else list(standards) + extra
    cell = {(a, s): (sr, mr) for a, s, sr, mr in ratings}
    rows: list[AgencyRows] = []
    for agency in agencies:
        pairs = [cell.get((agency, s), (None, None)) for s in columns]
        row = AgencyRows(agency, [rag_cell(p[0]) for p in pairs], [rag_cell(p[1]) for p in pairs])
        if not row.scored:
            empty = [Cell("", "no_scores") for _ in columns]
            row = AgencyRows(agency, empty, list(empty))
        rows.append(row)
    return S11Grid(
        title=title,
        columns=[standard_number(s) for s in columns],
        key=[(standard_number(s), standard_title(s)) for s in columns],
        agencies=rows,
    )
