"""Graph answering 503, 500 and 429 for a while, including in the middle of a paged delta
sync: each sync fails cleanly, and once Graph recovers every document is in the store once.
The real msgraph-sdk client is driven against the fake Graph (tests/fakes/graph.py); the
retry policy honours Retry-After with its real pause scaled to zero, so nothing sleeps."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import Settings
from commands.clock import FixedClock
from integrations.sharepoint.client import GraphOptions, RetryPolicy
from integrations.sharepoint.sync import SyncReport
from store.db import make_engine, migrate, session_factory
from store.models import Document
from tests.conftest import load_board
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import document_sync

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
SITE = "contoso.sharepoint.com:/sites/SSCB"
FILES = 14


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph(site_path=SITE, page_size=3) as g:
        for i in range(FILES):
            g.add_file(f"Section 11/2027/Agency {i:02d}/Return {i:02d}.txt", f"return {i}".encode())
        yield g


@pytest.fixture
def store(sqlite_url: str, clock: FixedClock) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(sqlite_url)
    migrate(engine)
    sessions = session_factory(engine)
    load_board(sessions, clock)
    yield sessions
    engine.dispose()


def _sync(
    graph: FakeGraph, sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> SyncReport:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        QABOT_DATABASE_URL=sqlite_url,
        SHAREPOINT_SITE=SITE,
        GRAPH_BASE_URL=graph.base_url,
        GRAPH_AUTH="none",
    )
    options = GraphOptions(retry=RetryPolicy(max_retries=2, sleep_factor=0.0))
    return document_sync(settings, sessions, clock, ("slack",), options).run()  # type: ignore[arg-type]


def _files(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        rows = s.execute(
            select(Document.name, func.count()).where(Document.is_folder.is_(False)).group_by(Document.name)
        )
        return {str(name): int(n) for name, n in rows}


def test_graph_outage_then_recovery_every_document_once(
    graph: FakeGraph, store: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    # Down: 503s, then 500s, then throttling; more of them than the retry policy allows.
    for status, retry_after in ((503, 0), (500, None), (429, 1)):
        graph.fail_next(status, 10, retry_after=retry_after)
        report = _sync(graph, store, sqlite_url, clock)
        assert report.problem is not None and not report.finished, status
        graph.faults.clear()
    assert _files(store) == {}

    # Down in the middle of the paged delta: the first page arrives, the next ones fail.
    graph.fail_next(503, 10, path_contains="token=")
    partial = _sync(graph, store, sqlite_url, clock)
    assert partial.problem is not None and not partial.finished
    got_first = _files(store)
    assert all(n == 1 for n in got_first.values())
    graph.faults.clear()

    # Up again: the next sync completes; every document is there exactly once.
    done = _sync(graph, store, sqlite_url, clock)
    assert done.ok and done.finished, done.summary()
    files = _files(store)
    assert files == {f"Return {i:02d}.txt": 1 for i in range(FILES)}
    # And a further sync with nothing changed changes nothing.
    again = _sync(graph, store, sqlite_url, clock)
    assert again.ok and _files(store) == files
