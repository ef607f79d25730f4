"""A big board's history in a fresh database, by bulk inserts, for the benchmarks that read the
whole record (the inspection pack, the digest): 100,000 actions, 10,000 findings, 60 agencies,
two years of meetings with apologies, a Section 11 cycle with every standard rated, rapid
reviews and two years of monthly performance figures per measure (when the store has them).

    sizes = fill(sessions, actions=100_000, findings=10_000, agencies=60)

Deterministic (a seeded Random); every instant is relative to NOW."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, sessionmaker

from store.models import (
    Action,
    Agency,
    Board,
    Finding,
    KpiFigure,
    KpiNarrative,
    Meeting,
    Member,
    OutboxMessage,
    Review,
    ReviewAgency,
    S11Cycle,
    S11Rating,
    S11Return,
    ThreadReply,
)

NOW = datetime(2027, 3, 10, 10, 0, tzinfo=UTC)  # a Wednesday
PRIORITIES = ["Early Help", "Child Protection", "Neglect", "CSE", "Domestic Abuse", None]
RAGS = ["red", "amber", "green", None]
STANDARDS = [f"{n}. Standard {n}" for n in range(1, 9)]
MEASURES = 12  # performance measures, two per priority
BATCH = 10_000


def board_config() -> dict[str, Any]:
    return {"channels": {}, "agenda": {"working_days_before": 3, "time": "09:00"}}


def _people(s: Session, n_agencies: int) -> None:
    s.add(
        Board(
            id=1,
            name="Benchmark Safeguarding Children Partnership",
            timezone="Europe/London",
            config=board_config(),
        )
    )
    s.execute(
        insert(Agency),
        [
            {"name": f"Agency {i:02d}", "sector": "statutory" if i % 3 else "non-statutory", "active": True}
            for i in range(1, n_agencies + 1)
        ],
    )
    members = [
        {"handle": "chair", "name": "Independent Chair", "role": "chair", "active": True},
        {"handle": "qa", "name": "QA Officer", "role": "qa_officer", "active": True},
    ]
    members += [
        {
            "handle": f"lead{i:02d}",
            "name": f"Lead {i:02d}",
            "role": "agency_lead",
            "agency_id": i,
            "active": True,
        }
        for i in range(1, n_agencies + 1)
    ]
    s.execute(insert(Member), members)


def _meetings(s: Session, rnd: random.Random, n_members: int) -> int:
    """Two years of monthly sub-groups either side of NOW, each past one with an agenda post and
    a few apologies in its thread."""
    rows = [
        {
            "kind": "subgroup",
            "title": "QA&E sub-group",
            "starts_at": datetime(2026 + (m // 12), m % 12 + 1, 12, 10, 0, tzinfo=UTC) - timedelta(days=365),
            "source": "file",
            "created_at": NOW - timedelta(days=800),
        }
        for m in range(36)
    ]
    s.execute(insert(Meeting), rows)
    for mid, row in enumerate(rows, start=1):
        if row["starts_at"] >= NOW:
            continue
        post = OutboxMessage(
            key=f"agenda:{mid}:console",
            platform="console",
            channel="qae",
            kind="agenda",
            subject_type="meeting",
            subject_id=mid,
            payload={},
            status="sent",
            created_at=row["starts_at"] - timedelta(days=3),
            message_id=f"m-{mid}",
        )
        s.add(post)
        s.flush()
        s.execute(
            insert(ThreadReply),
            [
                {
                    "outbox_id": post.id,
                    "platform": "console",
                    "member_id": who,
                    "text": "Apologies, I cannot attend",
                    "interpretation": "apology",
                    "received_at": row["starts_at"] - timedelta(days=1),
                }
                for who in rnd.sample(range(3, n_members + 1), 4)
            ],
        )
    return len(rows)


def _actions(s: Session, rnd: random.Random, n: int, n_agencies: int, n_meetings: int) -> None:
    today = NOW.date()
    batch: list[dict[str, Any]] = []
    for i in range(n):
        created = NOW - timedelta(days=rnd.randint(0, 700), minutes=rnd.randint(0, 1440))
        done = rnd.random() < 0.6
        closed = min(NOW, created + timedelta(days=rnd.randint(1, 90))) if done else None
        batch.append(
            {
                "text": f"Benchmark action {i}",
                "owner_id": rnd.randint(3, n_agencies + 2),
                "agency_id": rnd.randint(1, n_agencies) if rnd.random() < 0.95 else None,
                "due_date": today + timedelta(days=rnd.randint(-200, 200)) if rnd.random() < 0.9 else None,
                "priority": rnd.choice(PRIORITIES),
                "status": "done" if done else "open",
                "meeting_id": rnd.randint(1, n_meetings) if rnd.random() < 0.5 else None,
                "source": "bench",
                "created_at": created,
                "closed_at": closed,
                "closing_note": f"Re-audit showed improvement {i}" if done and rnd.random() < 0.3 else None,
                "escalated_at": NOW - timedelta(days=rnd.randint(0, 300)) if rnd.random() < 0.01 else None,
            }
        )
        if len(batch) == BATCH:
            s.execute(insert(Action), batch)
            batch = []
    if batch:
        s.execute(insert(Action), batch)


def _findings(s: Session, rnd: random.Random, n: int, n_agencies: int, n_meetings: int) -> None:
    s.execute(
        insert(Finding),
        [
            {
                "text": f"Benchmark finding {i}",
                "agency_id": rnd.randint(1, n_agencies),
                "priority": rnd.choice(PRIORITIES),
                "rag": rnd.choice(RAGS),
                "meeting_id": rnd.randint(1, n_meetings) if rnd.random() < 0.7 else None,
                "escalate_to_board": rnd.random() < 0.02,
                "source": "bench",
                "created_at": NOW - timedelta(days=rnd.randint(0, 700), minutes=rnd.randint(0, 1440)),
            }
            for i in range(n)
        ],
    )


def _section11(s: Session, rnd: random.Random, n_agencies: int) -> None:
    cycle = S11Cycle(
        year=2026,
        cohort="statutory",
        deadline=date(2026, 12, 31),
        status="open",
        launched_at=NOW - timedelta(days=150),
    )
    s.add(cycle)
    s.flush()
    statuses = ["submitted", "submitted", "submitted", "not_started", "extension_granted"]
    s.execute(
        insert(S11Return),
        [
            {"cycle_id": cycle.id, "agency_id": i, "status": statuses[i % len(statuses)]}
            for i in range(1, n_agencies + 1)
        ],
    )
    returns = s.scalars(select(S11Return.id).where(S11Return.cycle_id == cycle.id)).all()
    s.execute(
        insert(S11Rating),
        [
            {
                "return_id": rid,
                "standard": st,
                "self_rag": rnd.choice(RAGS[:3]),
                "moderated_rag": rnd.choice(RAGS),
            }
            for rid in returns
            for st in STANDARDS
        ],
    )


def _reviews(s: Session, n_agencies: int) -> None:
    for k in range(6):
        aware = (NOW - timedelta(days=60 * k + 20)).date()
        r = Review(
            code=f"RR-2026-{k + 1:02d}",
            status="open" if k < 2 else "closed",
            aware_on=aware,
            notified_on=aware + timedelta(days=3),
            opened_at=NOW - timedelta(days=60 * k + 19),
            closed_at=None if k < 2 else NOW - timedelta(days=60 * k - 30),
            panel_decision=None if k < 2 else "no-lcspr",
        )
        s.add(r)
        s.flush()
        s.add_all(
            ReviewAgency(review_id=r.id, agency_id=a, requested_at=r.opened_at)
            for a in range(1 + k, min(n_agencies, 5 + k) + 1)
        )


def fill(sessions: sessionmaker[Session], *, actions: int, findings: int, agencies: int) -> dict[str, Any]:
    rnd = random.Random(5)
    with sessions() as s, s.begin():
        _people(s, agencies)
        n_meetings = _meetings(s, rnd, agencies + 2)
        _actions(s, rnd, actions, agencies, n_meetings)
        _findings(s, rnd, findings, agencies, n_meetings)
        _section11(s, rnd, agencies)
        _reviews(s, agencies)
        kpi_figures = fill_kpis(s, rnd, agencies)
    return {
        "actions": actions,
        "findings": findings,
        "agencies": agencies,
        "meetings": n_meetings,
        "kpi_figures": kpi_figures,
    }


KPI_PRIORITIES = ["cp", "neglect", "cse", "earlyhelp", "da", "cp"]


def fill_kpis(s: Session, rnd: random.Random, n_agencies: int) -> int:
    """MEASURES measures in the board's config, each with two years of monthly figures up to
    the month before NOW, and a narrative on about one red figure in five."""
    measures = [
        {
            "id": f"measure-{k + 1:02d}",
            "name": f"Benchmark measure {k + 1:02d}",
            "priority": KPI_PRIORITIES[k % len(KPI_PRIORITIES)],
            "agency": f"Agency {k % n_agencies + 1:02d}",
            "unit": "%",
            "polarity": "lower" if k % 2 else "higher",
            "amber": 22.0 if k % 2 else 80.0,
            "red": 25.0 if k % 2 else 70.0,
            "frequency": "monthly",
            "source": "chat",
        }
        for k in range(MEASURES)
    ]
    board = s.get(Board, 1)
    assert board is not None
    board.config = {**(board.config or {}), "measures": measures}
    months = [(NOW.year - 2 + (NOW.month - 1 + m) // 12, (NOW.month - 1 + m) % 12 + 1) for m in range(24)]
    rows = []
    for k, m in enumerate(measures):
        base = 20.0 if m["polarity"] == "lower" else 78.0
        for year, month in months:
            rows.append(
                {
                    "measure_id": m["id"],
                    "period": f"{year:04d}-{month:02d}",
                    "agency_id": k % n_agencies + 1,
                    "value": round(base + rnd.uniform(-6, 8), 1),
                    "source": "chat",
                    "entered_at": datetime(year, month, 28, 9, 0, tzinfo=UTC),
                }
            )
    s.execute(insert(KpiFigure), rows)
    reds = s.scalars(select(KpiFigure.id).where(KpiFigure.value >= 25.0)).all()
    s.execute(
        insert(KpiNarrative),
        [
            {
                "figure_id": fid,
                "reason": "red",
                "asked_at": NOW - timedelta(days=10),
                "thread_key": f"kpi:{fid}",
                "text": "Demand rose after a change in the front door; a recovery plan is in place",
                "answered_at": NOW - timedelta(days=9),
            }
            for fid in reds[::5]
        ],
    )
    return len(rows)
