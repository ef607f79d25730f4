"""The board's performance measures as the commands and the clock read them: from the board's
stored config (the board file's `measures:` and `kpi:`, validated on import), each with its
owning agency's row, and which of them a viewer sees (an agency lead: their agencies')."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches

from pydantic import ValidationError
from sqlalchemy.orm import Session

from commands.board_measures import KpiSettings, MeasureEntry
from commands.kpi import periods
from commands.kpi.periods import Period
from store import members
from store.models import Agency, Board
from store.visibility import Viewer


@dataclass(frozen=True)
class Measure:
    entry: MeasureEntry
    agency: Agency

    @property
    def id(self) -> str:
        return self.entry.id

    @property
    def name(self) -> str:
        return self.entry.name

    def period(self, text: str) -> Period:
        """A period of this measure's frequency (PeriodError says what was wrong)."""
        return periods.parse(text, self.entry.frequency, self.entry.name)

    def period_of(self, key: str) -> Period:
        return periods.from_key(key, self.entry.frequency)


def entries(board: Board) -> list[MeasureEntry]:
    """The board file's measures (validated on import; an entry unreadable here is skipped)."""
    found: list[MeasureEntry] = []
    for raw in (board.config or {}).get("measures") or []:
        try:
            found.append(MeasureEntry.model_validate(raw))
        except ValidationError:
            continue
    return found


def settings(board: Board) -> KpiSettings:
    try:
        return KpiSettings.model_validate((board.config or {}).get("kpi") or {})
    except ValidationError:
        return KpiSettings()


def all_measures(session: Session, board: Board) -> list[Measure]:
    """Every measure with its owning agency, in the board file's order."""
    by_name = {a.name.lower(): a for a in members.all_agencies(session, active_only=False)}
    return [Measure(e, by_name[e.agency.lower()]) for e in entries(board) if e.agency.lower() in by_name]


def visible(session: Session, board: Board, viewer: Viewer) -> list[Measure]:
    """The measures a viewer sees: all of them for the board, their agencies' for a lead."""
    found = all_measures(session, board)
    if viewer.agencies is None:
        return found
    return [m for m in found if m.agency.id in viewer.agencies]


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("’", "'").split())


def find(found: list[Measure], text: str) -> list[Measure]:
    """The measures `text` names: by id, by full name, else by the start of the name."""
    t = _norm(text)
    exact = [m for m in found if m.id == t or _norm(m.name) == t]
    if exact:
        return exact
    return [m for m in found if _norm(m.name).startswith(t)] if t else []


def close_to(found: list[Measure], text: str) -> list[Measure]:
    """For "did you mean": measures whose id or name is near what was typed."""
    keys = {m.id: m for m in found} | {_norm(m.name): m for m in found}
    near = get_close_matches(_norm(text), list(keys), n=3, cutoff=0.6)
    seen: list[Measure] = []
    for k in near:
        if keys[k] not in seen:
            seen.append(keys[k])
    return seen
