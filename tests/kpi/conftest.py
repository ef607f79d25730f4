"""KPI test helpers: the test board with performance measures (tests/fixtures/board_kpi.yaml),
the Section 11 fakes (a recording sender, a tick, thread replies) and figures put straight in."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store import members
from store.models import KpiFigure
from tests.conftest import load_board


@pytest.fixture
def board(sessions: sessionmaker[Session], clock: FixedClock) -> sessionmaker[Session]:
    load_board(sessions, clock, "board_kpi.yaml")
    return sessions


def put_figure(
    db: Session, measure_id: str, agency: str, period: str, value: float, at: datetime
) -> KpiFigure:
    """A figure as if entered in chat (for store and digest tests that need history)."""
    owner = members.agency_by_name(db, agency)
    assert owner is not None
    row = KpiFigure(
        measure_id=measure_id, period=period, agency_id=owner.id, value=value, source="chat", entered_at=at
    )
    db.add(row)
    db.flush()
    return row
