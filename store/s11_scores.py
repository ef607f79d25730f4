"""Section 11 scores per sub-question (`s11_scores`): every query and write of them.

The self-assessment (score, evidence, areas for improvement, the agency's own action and its
deadline) and the panel's moderation (score, note) of one sub-question of one return are one
row. Writers return what was there before and what is there now, so callers can audit a change
and check the gap between self and moderated scores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from store import visibility
from store.models import Agency, S11Cycle, S11Return, S11Score
from store.visibility import Viewer

Source = Literal["chat", "form", "workbook", "carried"]
SELF_FIELDS = ("self_score", "evidence", "improvement", "agency_action", "action_deadline")
MODERATED_FIELDS = ("moderated_score", "moderator_note")


@dataclass(frozen=True)
class Answer:
    """One sub-question's self-assessment, as a workbook row or a carried answer gives it."""

    sub: str
    self_score: int | None
    evidence: str | None = None
    improvement: str | None = None
    agency_action: str | None = None
    action_deadline: date | None = None


@dataclass(frozen=True)
class Saved:
    """A write: the row, and its fields before (None: the row is new) and after, as JSON."""

    row: S11Score
    before: dict[str, Any] | None
    after: dict[str, Any]

    @property
    def changed(self) -> bool:
        return self.before != self.after

    @property
    def previous_self(self) -> int | None:
        return self.before["self_score"] if self.before else None

    @property
    def previous_moderated(self) -> int | None:
        return self.before["moderated_score"] if self.before else None


def _fields(row: S11Score) -> dict[str, Any]:
    """The row's values as JSON (fit for the audit log): the deadline as an ISO date."""
    out = {f: getattr(row, f) for f in (*SELF_FIELDS, *MODERATED_FIELDS, "source")}
    out["action_deadline"] = row.action_deadline.isoformat() if row.action_deadline else None
    return out


def _sub_key(sub: str) -> tuple[int, ...]:
    return tuple(int(p) for p in sub.split(".") if p.isdigit())  # "2.10" after "2.9"


def _ordered(rows: Sequence[S11Score]) -> list[S11Score]:
    return sorted(rows, key=lambda r: (r.return_id, _sub_key(r.sub)))


def scores_for_cycle(session: Session, cycle_id: int, viewer: Viewer) -> list[S11Score]:
    """Every score of a cycle the viewer may see (a lead: only their agencies'), by agency
    name then sub-question, with each row's return and agency loaded."""
    stmt = (
        select(S11Score)
        .join(S11Return, S11Score.return_id == S11Return.id)
        .join(Agency, S11Return.agency_id == Agency.id)
        .options(joinedload(S11Score.s11_return).joinedload(S11Return.agency))
        .where(S11Return.cycle_id == cycle_id, visibility.s11_returns(viewer))
    )
    rows = list(session.scalars(stmt).unique())
    return sorted(rows, key=lambda r: (r.s11_return.agency.name, _sub_key(r.sub)))


def scores_for_return(session: Session, return_id: int) -> list[S11Score]:
    """A return's scores by sub-question (the caller has checked who may see the return)."""
    return _ordered(list(session.scalars(select(S11Score).where(S11Score.return_id == return_id))))


def score_for(session: Session, return_id: int, sub: str) -> S11Score | None:
    stmt = select(S11Score).where(S11Score.return_id == return_id, S11Score.sub == sub)
    return session.scalar(stmt)


def _row(session: Session, return_id: int, sub: str, source: str) -> tuple[S11Score, dict[str, Any] | None]:
    row = score_for(session, return_id, sub)
    if row is not None:
        return row, _fields(row)
    row = S11Score(return_id=return_id, sub=sub, source=source)
    session.add(row)
    return row, None


def save_self(
    session: Session,
    return_id: int,
    sub: str,
    score: int | None,
    *,
    by_id: int | None,
    at: datetime,
    source: Source,
    evidence: str | None = None,
    improvement: str | None = None,
    agency_action: str | None = None,
    action_deadline: date | None = None,
    drop_evidence: bool = False,
) -> Saved:
    """Records the agency's own score for one sub-question. The text fields left None keep
    what the row already holds (so a changed score keeps its evidence unless new is given);
    `drop_evidence` clears it (a carried answer whose score changed: last cycle's evidence was
    for the old score). The source becomes `source`; a carried answer is then no longer
    unconfirmed, and keeps `carried_from_cycle_id`."""
    row, before = _row(session, return_id, sub, source)
    row.self_score = score
    if drop_evidence:
        row.evidence = None
    for name, value in (
        ("evidence", evidence),
        ("improvement", improvement),
        ("agency_action", agency_action),
        ("action_deadline", action_deadline),
    ):
        if value is not None:
            setattr(row, name, value)
    row.source, row.self_by_id, row.self_at = source, by_id, at
    session.flush()
    return Saved(row, before, _fields(row))


def save_moderated(
    session: Session,
    return_id: int,
    sub: str,
    score: int,
    *,
    note: str | None,
    by_id: int | None,
    at: datetime,
) -> Saved:
    """Records the panel's moderated score (and note, when given) for one sub-question; the
    Saved gives the previous and new moderated score and the self-score to compare with."""
    row, before = _row(session, return_id, sub, "chat")
    row.moderated_score = score
    if note is not None:
        row.moderator_note = note
    row.moderated_by_id, row.moderated_at = by_id, at
    session.flush()
    return Saved(row, before, _fields(row))


def replace_answers(
    session: Session,
    return_id: int,
    rows: Sequence[Answer],
    source: Source,
    by: int | None,
    at: datetime,
    carried_from_cycle_id: int | None = None,
) -> list[Saved]:
    """Sets the self-assessment of every sub-question in `rows` at once (the workbook import,
    carrying answers forward): each named sub's self fields are replaced as given (None clears
    them), moderation is kept, subs not named are left as they are. All or nothing: a repeated
    sub is refused before anything is written, and a failure part-way undoes every row."""
    subs = [r.sub for r in rows]
    repeated = sorted({s for s in subs if subs.count(s) > 1})
    if repeated:
        raise ValueError(f"sub-question {', '.join(repeated)} given more than once")
    written: list[tuple[S11Score, dict[str, Any] | None]] = []
    with session.begin_nested():
        # One read of the return's rows and one flush: a launch carries every agency's answers.
        existing = {
            r.sub: r for r in session.scalars(select(S11Score).where(S11Score.return_id == return_id))
        }
        for answer in rows:
            row = existing.get(answer.sub)
            before = _fields(row) if row is not None else None
            if row is None:
                row = S11Score(return_id=return_id, sub=answer.sub)
                session.add(row)
            for name in SELF_FIELDS:
                setattr(row, name, getattr(answer, name))
            row.source, row.self_by_id, row.self_at = source, by, at
            row.carried_from_cycle_id = carried_from_cycle_id
            written.append((row, before))
        session.flush()
    return [Saved(row, before, _fields(row)) for row, before in written]


def previous_answers(session: Session, agency_id: int, before_cycle_id: int) -> list[S11Score]:
    """The agency's self-assessed answers in its latest cycle before this one that has any
    (by year, then launch order), by sub-question; [] when it has none. Each row's return is
    loaded, so `row.s11_return.cycle_id` names the cycle they came from."""
    this = session.get(S11Cycle, before_cycle_id)
    if this is None:
        return []
    stmt = (
        select(S11Return.id)
        .join(S11Cycle, S11Return.cycle_id == S11Cycle.id)
        .join(S11Score, S11Score.return_id == S11Return.id)
        .where(
            S11Return.agency_id == agency_id,
            S11Cycle.id != this.id,
            (S11Cycle.year < this.year) | ((S11Cycle.year == this.year) & (S11Cycle.id < this.id)),
            S11Score.self_score.is_not(None),
        )
        .order_by(S11Cycle.year.desc(), S11Cycle.id.desc())
        .limit(1)
    )
    return_id = session.scalar(stmt)
    if return_id is None:
        return []
    stmt2 = (
        select(S11Score)
        .options(joinedload(S11Score.s11_return))
        .where(S11Score.return_id == return_id, S11Score.self_score.is_not(None))
    )
    return _ordered(list(session.scalars(stmt2)))


def confirm_carried(
    session: Session,
    return_id: int,
    subs: Sequence[str] | None,
    *,
    by_id: int | None,
    at: datetime,
    source: Source,
) -> list[S11Score]:
    """Confirms carried answers as they stand (all of the return's, or these subs'): their
    source becomes how they were confirmed; score and evidence are kept."""
    stmt = select(S11Score).where(S11Score.return_id == return_id, S11Score.source == "carried")
    if subs is not None:
        stmt = stmt.where(S11Score.sub.in_(list(subs)))
    rows = _ordered(list(session.scalars(stmt)))
    for row in rows:
        row.source, row.self_by_id, row.self_at = source, by_id, at
    session.flush()
    return rows
