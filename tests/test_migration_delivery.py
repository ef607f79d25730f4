"""Migration 0011: outbox rows earlier code queued for the console as '#unaddressed' (nobody's
address) become 'unreachable'; every row gains the delivery-truth columns. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import MetaData, select

from store.db import make_engine, migrate

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)


def test_unaddressed_console_posts_become_unreachable(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        migrate(engine, "0009")
        tables = MetaData()
        tables.reflect(engine)
        outbox = tables.tables["outbox"]
        row = {"platform": "console", "kind": "s11_reminder", "payload": {}, "attempts": 0, "created_at": NOW}
        with engine.begin() as conn:
            conn.execute(
                outbox.insert(),
                [
                    {
                        **row,
                        "id": 1,
                        "key": "a",
                        "channel": "#unaddressed",
                        "status": "pending",
                        "next_attempt_at": NOW,
                    },
                    {
                        **row,
                        "id": 2,
                        "key": "b",
                        "channel": "#unaddressed",
                        "status": "sent",
                        "next_attempt_at": None,
                    },
                    {
                        **row,
                        "id": 3,
                        "key": "c",
                        "channel": "#Surrey Police",
                        "status": "pending",
                        "next_attempt_at": NOW,
                    },
                ],
            )
        migrate(engine)
        after = MetaData()
        after.reflect(engine)
        t = after.tables["outbox"]
        with engine.connect() as conn:
            found = conn.execute(
                select(t.c.id, t.c.status, t.c.unclear_lookups, t.c.resent_unclear, t.c.told_at).order_by(
                    t.c.id
                )
            ).all()
        assert [tuple(r) for r in found] == [
            (1, "unreachable", 0, False, None),
            (2, "sent", 0, False, None),
            (3, "pending", 0, False, None),
        ]
    finally:
        engine.dispose()
