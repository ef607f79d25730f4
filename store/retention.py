"""The queries behind `qabot purge`: what the retention rule may remove, and removing it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, delete, exists, func, or_, select, update
from sqlalchemy.orm import Session, joinedload

from store.models import Action, AuditEvent, DocumentLink, Finding, PersonThread, ProcessedDelivery

CLOSED = ("done", "cancelled")
CHUNK = 500  # ids per IN (...) list: well inside every backend's parameter limit


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), CHUNK):
        yield ids[i : i + CHUNK]


def closed_actions_before(session: Session, cutoff: datetime) -> list[Action]:
    """Actions closed (done or cancelled) before the cutoff, not under legal hold."""
    stmt = (
        select(Action)
        .options(joinedload(Action.owner), joinedload(Action.agency))
        .where(
            Action.status.in_(CLOSED),
            Action.closed_at.is_not(None),
            Action.closed_at < cutoff,
            Action.legal_hold.is_(False),
        )
        .order_by(Action.id)
    )
    return list(session.scalars(stmt).unique())


def findings_before_unreferenced(
    session: Session, cutoff: datetime, leaving_action_ids: Sequence[int]
) -> list[Finding]:
    """Findings recorded before the cutoff that no action staying in the database refers to
    (an open action always stays; so does a closed one that is not being removed), that were
    not escalated to the Board and are not under legal hold."""
    staying = Action.finding_id == Finding.id
    if leaving_action_ids:
        staying = and_(staying, Action.id.not_in(list(leaving_action_ids)))
    stmt = (
        select(Finding)
        .options(joinedload(Finding.agency))
        .where(
            Finding.created_at < cutoff,
            ~exists().where(staying),
            Finding.escalate_to_board.is_(False),
            Finding.legal_hold.is_(False),
        )
        .order_by(Finding.id)
    )
    return list(session.scalars(stmt).unique())


def kept_before(session: Session, cutoff: datetime) -> dict[str, int]:
    """What the rule keeps although it is old enough: escalated findings, and closed actions
    and findings under legal hold (so the report can say why they stay)."""
    escalated = (
        select(func.count())
        .select_from(Finding)
        .where(
            Finding.created_at < cutoff, Finding.escalate_to_board.is_(True), Finding.legal_hold.is_(False)
        )
    )
    held_findings = (
        select(func.count())
        .select_from(Finding)
        .where(Finding.created_at < cutoff, Finding.legal_hold.is_(True))
    )
    held_actions = (
        select(func.count())
        .select_from(Action)
        .where(Action.status.in_(CLOSED), Action.closed_at < cutoff, Action.legal_hold.is_(True))
    )
    return {
        "escalated": int(session.scalar(escalated) or 0),
        "on_hold": int(session.scalar(held_findings) or 0) + int(session.scalar(held_actions) or 0),
    }


def redact_history(
    session: Session, action_ids: Sequence[int], finding_ids: Sequence[int], note: dict[str, Any]
) -> None:
    """Blank the before/after snapshots of the removed items' earlier audit events (who, when
    and the verb stay), so the log does not keep the text the purge removed."""
    for entity, ids in (("action", action_ids), ("finding", finding_ids)):
        for chunk in _chunks(ids):
            stmt = (
                update(AuditEvent)
                .where(AuditEvent.entity == entity, AuditEvent.entity_id.in_(list(chunk)))
                .values(before=None, after=note)
            )
            session.execute(stmt)


def _link_cond(action_ids: Sequence[int], finding_ids: Sequence[int]) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    for ids in _chunks(action_ids):
        conds.append(and_(DocumentLink.target_type == "action", DocumentLink.target_id.in_(list(ids))))
    for ids in _chunks(finding_ids):
        conds.append(and_(DocumentLink.target_type == "finding", DocumentLink.target_id.in_(list(ids))))
    return conds


def count_document_links(session: Session, action_ids: Sequence[int], finding_ids: Sequence[int]) -> int:
    conds = _link_cond(action_ids, finding_ids)
    if not conds:
        return 0
    return int(session.scalar(select(func.count()).select_from(DocumentLink).where(or_(*conds))) or 0)


def count_deliveries_before(session: Session, cutoff: datetime) -> int:
    stmt = select(func.count()).select_from(ProcessedDelivery).where(ProcessedDelivery.received_at < cutoff)
    return int(session.scalar(stmt) or 0)


def count_person_threads_before(session: Session, cutoff: datetime) -> int:
    """Ids of threads people started (store/person_threads.py) first seen before the cutoff."""
    stmt = select(func.count()).select_from(PersonThread).where(PersonThread.seen_at < cutoff)
    return int(session.scalar(stmt) or 0)


def delete_items(
    session: Session, action_ids: Sequence[int], finding_ids: Sequence[int], delivery_cutoff: datetime
) -> dict[str, int]:
    """Remove the actions, the findings, links to them, old delivery records and old thread
    records (people's own threads, by id). Actions go first: they may point at the findings."""
    removed = {"document_links": 0, "actions": 0, "findings": 0, "deliveries": 0, "person_threads": 0}
    for cond in _link_cond(action_ids, finding_ids):
        removed["document_links"] += _rowcount(session.execute(delete(DocumentLink).where(cond)))
    for ids in _chunks(action_ids):
        removed["actions"] += _rowcount(session.execute(delete(Action).where(Action.id.in_(list(ids)))))
    for ids in _chunks(finding_ids):
        removed["findings"] += _rowcount(session.execute(delete(Finding).where(Finding.id.in_(list(ids)))))
    stmt = delete(ProcessedDelivery).where(ProcessedDelivery.received_at < delivery_cutoff)
    removed["deliveries"] = _rowcount(session.execute(stmt))
    # Thread records go with the other delivery records of their age.
    gone = delete(PersonThread).where(PersonThread.seen_at < delivery_cutoff)
    removed["person_threads"] = _rowcount(session.execute(gone))
    session.expire_all()
    return removed


def _rowcount(result: object) -> int:
    return int(getattr(result, "rowcount", 0) or 0)


def item_texts(session: Session) -> list[str]:
    """The words of every action and finding in the database (after a purge: those kept)."""
    texts = [t for row in session.execute(select(Action.text, Action.closing_note)) for t in row if t]
    texts += [t for row in session.execute(select(Finding.text, Finding.withdrawn_reason)) for t in row if t]
    return texts
