"""Migration 0008: the slack_*/teams_* columns and the board's `channels` setting move into
the addresses table with their data, on SQLite and PostgreSQL, and back on a downgrade."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, MetaData, inspect, select

from store.db import downgrade, make_engine, migrate

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
CHANNELS = {"qa": {"slack": "C0QAE01", "teams": "19:abc@thread.tacv2"}, "chairs": {"slack": None, "teams": None}}


@pytest.fixture
def at_0007(db_url: str) -> Iterator[Engine]:
    """A database at the revision before addresses, holding a board in the old columns."""
    engine = make_engine(db_url)
    migrate(engine, "0007")
    tables = MetaData()
    tables.reflect(engine)
    with engine.begin() as conn:
        conn.execute(
            tables.tables["board"].insert(),
            [{"id": 1, "name": "Board", "timezone": "Europe/London", "config": {"channels": CHANNELS, "agenda": {"time": "09:00"}}}],
        )
        conn.execute(
            tables.tables["members"].insert(),
            [
                {"id": 1, "handle": "ic", "name": "Chair", "role": "chair", "slack_id": "U0CHAIR1", "teams_id": "0c1a-1", "active": True},
                {"id": 2, "handle": "pol", "name": "Police Lead", "role": "agency_lead", "slack_id": "U0POL001", "teams_id": None, "active": True},
                {"id": 3, "handle": "faith", "name": "Faith Lead", "role": "agency_lead", "slack_id": None, "teams_id": None, "active": True},
            ],
        )
        conn.execute(
            tables.tables["agencies"].insert(),
            [
                {"id": 1, "name": "Surrey Police", "sector": "statutory", "lead_id": 2, "slack_channel": "C0POL001", "teams_channel": None, "active": True},
                {"id": 2, "name": "Surrey Health", "sector": "statutory", "lead_id": None, "slack_channel": None, "teams_channel": "19:health@thread.tacv2", "active": True},
            ],
        )
        # Rows that point at members and agencies: rebuilding those tables must keep them.
        conn.execute(tables.tables["members"].update().where(tables.tables["members"].c.id == 2).values(agency_id=1))
        conn.execute(
            tables.tables["meetings"].insert(),
            [{"id": 1, "kind": "subgroup", "title": "QA&E", "starts_at": NOW, "slack_channel": "C0QAE01", "teams_channel": None, "source": "file", "created_at": NOW}],
        )
        conn.execute(
            tables.tables["actions"].insert(),
            [{"id": 1, "text": "Review", "owner_id": 2, "agency_id": 1, "meeting_id": 1, "status": "open", "source": "chat", "created_at": NOW}],
        )
    yield engine
    engine.dispose()


def _addresses(engine: Engine) -> set[tuple[str, int, str, str]]:
    tables = MetaData()
    tables.reflect(engine, only=["addresses"])
    t = tables.tables["addresses"]
    with engine.connect() as conn:
        return {(r.subject_kind, r.subject_id, r.platform, r.address) for r in conn.execute(select(t))}


def test_old_columns_move_into_addresses_with_their_data(at_0007: Engine) -> None:
    migrate(at_0007)
    assert _addresses(at_0007) == {
        ("member", 1, "slack", "U0CHAIR1"),
        ("member", 1, "teams", "0c1a-1"),
        ("member", 2, "slack", "U0POL001"),
        ("agency", 1, "slack", "C0POL001"),
        ("agency", 2, "teams", "19:health@thread.tacv2"),
        ("meeting", 1, "slack", "C0QAE01"),
        ("channel:qa", 1, "slack", "C0QAE01"),
        ("channel:qa", 1, "teams", "19:abc@thread.tacv2"),
    }
    schema = inspect(at_0007)
    for table in ("members", "agencies", "meetings"):
        columns = {c["name"] for c in schema.get_columns(table)}
        assert not columns & {"slack_id", "teams_id", "slack_channel", "teams_channel"}, table
    tables = MetaData()
    tables.reflect(at_0007)
    with at_0007.connect() as conn:
        config = conn.execute(select(tables.tables["board"].c.config)).scalar_one()
        owner = conn.execute(select(tables.tables["actions"].c.owner_id)).scalar_one()
        lead_agency = conn.execute(select(tables.tables["members"].c.agency_id).where(tables.tables["members"].c.id == 2)).scalar_one()
    assert config == {"agenda": {"time": "09:00"}}
    assert (owner, lead_agency) == (2, 1)


def test_downgrade_puts_the_columns_back(at_0007: Engine) -> None:
    migrate(at_0007)
    downgrade(at_0007, "0007")
    assert "addresses" not in inspect(at_0007).get_table_names()
    tables = MetaData()
    tables.reflect(at_0007)
    members, agencies, board = (tables.tables[n] for n in ("members", "agencies", "board"))
    with at_0007.connect() as conn:
        ids = {r.handle: (r.slack_id, r.teams_id) for r in conn.execute(select(members))}
        channels = {r.name: (r.slack_channel, r.teams_channel) for r in conn.execute(select(agencies))}
        config = conn.execute(select(board.c.config)).scalar_one()
    assert ids == {"ic": ("U0CHAIR1", "0c1a-1"), "pol": ("U0POL001", None), "faith": (None, None)}
    assert channels == {"Surrey Police": ("C0POL001", None), "Surrey Health": (None, "19:health@thread.tacv2")}
    assert config["channels"]["qa"] == {"slack": "C0QAE01", "teams": "19:abc@thread.tacv2"}
    migrate(at_0007)  # and up again
    assert ("member", 1, "teams", "0c1a-1") in _addresses(at_0007)
