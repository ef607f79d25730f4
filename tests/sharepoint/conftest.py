"""Fixtures for the SharePoint tests: a fake Graph on loopback, settings pointing at it, a
store on SQLite with the test board, and small Word/Excel/PDF files made on the spot."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.services import board_services
from bot.settings import Settings
from commands.clock import FixedClock
from commands.document_library import StoredLibrary
from commands.types import Inbound, Reply
from integrations.sharepoint.client import GraphOptions, RetryPolicy
from integrations.sharepoint.connector import SharePointConnector
from integrations.sharepoint.sync import DocumentSync, SyncReport
from integrations.sharepoint.upload import ReportUploader
from store.db import make_engine, migrate, session_factory, transaction
from store.models import Agency, Document, OutboxMessage, S11Cycle, S11Return
from tests.conftest import load_board
from tests.fakes.graph import FakeGraph

SITE = "contoso.sharepoint.com:/sites/SSCB"


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph(site_path=SITE, page_size=3) as g:
        yield g


def make_settings(graph: FakeGraph, db_url: str, **extra: str) -> Settings:
    values = {
        "QABOT_DATABASE_URL": db_url,
        "SHAREPOINT_SITE": SITE,
        "GRAPH_BASE_URL": graph.base_url,
        "GRAPH_AUTH": "none",
        **extra,
    }
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


def document_sync(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: FixedClock,
    platforms: tuple[str, ...],
    options: GraphOptions,
) -> DocumentSync:
    """The sync as the clock builds it: the SharePoint slice, and the store behind the port."""
    return DocumentSync(settings.sharepoint, StoredLibrary(sessions, clock, platforms), clock, options)


def report_uploader(
    settings: Settings, sessions: sessionmaker[Session], clock: FixedClock, **kw: int
) -> ReportUploader:
    return ReportUploader(settings.sharepoint, StoredLibrary(sessions, clock), **kw)


@pytest.fixture
def settings(graph: FakeGraph, sqlite_url: str) -> Settings:
    return make_settings(graph, sqlite_url)


@pytest.fixture
def sp_sessions(sqlite_url: str, clock: FixedClock) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(sqlite_url)
    migrate(engine)
    sessions = session_factory(engine)
    load_board(sessions, clock)
    yield sessions
    engine.dispose()


Sync = Callable[..., SyncReport]


@pytest.fixture
def sync(settings: Settings, sp_sessions: sessionmaker[Session], clock: FixedClock) -> Sync:
    """Run one sync the way the clock does. The retry policy honours Retry-After but scales
    the real pause to zero, so no test sleeps; the waits Graph asked for are recorded."""

    def _sync(retry: RetryPolicy | None = None, **kw: object) -> SyncReport:
        options = GraphOptions(retry=retry or RetryPolicy(max_retries=3, sleep_factor=0.0))
        return document_sync(settings, sp_sessions, clock, ("slack",), options).run(**kw)  # type: ignore[arg-type]

    return _sync


def docx_bytes(*paragraphs: str) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Tracker"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pdf_bytes(text: str) -> bytes:
    """A one-page PDF with `text` in Helvetica, written by hand (offsets computed)."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for off in offsets:
        out += f"{off:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def open_s11_return(sessions: sessionmaker[Session], agency_name: str, year: int, now: datetime) -> int:
    """A Section 11 cycle for the agency's sector in `year`, with the agency's return."""
    with transaction(sessions) as s:
        agency = s.query(Agency).filter(Agency.name == agency_name).one()
        cycle = (
            s.query(S11Cycle).filter(S11Cycle.year == year, S11Cycle.cohort == agency.sector).one_or_none()
        )
        if cycle is None:
            cycle = S11Cycle(
                year=year, cohort=agency.sector, deadline=date(year, 3, 31), status="open", launched_at=now
            )
            s.add(cycle)
            s.flush()
        ret = S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started")
        s.add(ret)
        s.flush()
        return ret.id


@dataclass
class Library:
    graph: FakeGraph
    sessions: sessionmaker[Session]
    core: BotCore
    sync: Callable[..., SyncReport]
    connector: SharePointConnector  # the clock's view: sync_if_due, the permission sweep

    def say(self, handle: str, line: str) -> Reply:
        return self.core.handle(Inbound(platform="console", user_id=handle, text=line))

    def found(self, handle: str, words: str) -> list[str]:
        """The document names a member's /docs search lists."""
        reply = self.say(handle, f"/docs search {words}")
        with self.sessions() as s:
            return sorted(s.get_one(Document, i).name for i in reply.data.get("ids", []))

    def posts(self, kind: str) -> list[OutboxMessage]:
        with self.sessions() as s:
            return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == kind)))


@pytest.fixture
def lib(  # a library on both databases, with the bot answering members as they would see it
    db_url: str, sessions: sessionmaker[Session], clock: FixedClock
) -> Iterator[Library]:
    load_board(sessions, clock)
    with FakeGraph(site_path=SITE, page_size=3) as graph:
        settings = make_settings(graph, db_url)
        options = GraphOptions(retry=RetryPolicy(max_retries=1, sleep_factor=0.0))
        core = BotCore(sessions=sessions, clock=clock, platforms=("console",), services=board_services())

        def run(progress: Callable[[SyncReport], None] | None = None) -> SyncReport:
            job = document_sync(settings, sessions, clock, ("console",), options)
            job.progress = progress
            return job.run()

        connector = SharePointConnector(
            settings.sharepoint, StoredLibrary(sessions, clock, ("console",)), clock, options
        )
        yield Library(graph, sessions, core, run, connector)
