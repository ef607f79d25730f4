"""`qabot docs sync` and the clock's SharePoint job."""

from __future__ import annotations

import io
import logging
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.cli_docs import ProgressBar
from bot.runtime import build_runtime
from bot.scheduler import sync_documents_if_due
from commands.clock import FixedClock
from integrations.sharepoint.sync import SyncReport
from store import documents as doc_store
from store.models import Document
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import SITE, docx_bytes, make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def test_qabot_docs_sync_prints_summary_and_logs_one_line_per_page(
    graph: FakeGraph,
    sp_sessions: sessionmaker[Session],
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    for i in range(5):
        graph.add_file(f"Audits/Report {i}.docx", docx_bytes(f"report {i}"))
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    for k, v in {
        "QABOT_DATABASE_URL": sqlite_url,
        "SHAREPOINT_SITE": SITE,
        "GRAPH_BASE_URL": graph.base_url,
        "GRAPH_AUTH": "none",
    }.items():
        monkeypatch.setenv(k, v)
    with caplog.at_level(logging.INFO, logger="qabot.sharepoint"):
        assert main(["docs", "sync", "--now", "2026-11-26T10:00"]) == 0
    out = capsys.readouterr().out
    # root + Audits + 5 files = 7 items, 3 a page
    assert "First full sync done: 3 pages, 7 items (6 new, 0 changed, 0 deleted), 5 read for search" in out
    page_lines = [
        r.getMessage() for r in caplog.records if "page" in r.getMessage() and "stored" in r.getMessage()
    ]
    assert len(page_lines) == 3 and page_lines[0].startswith("sharepoint: page 1 stored: 3 items")

    graph.fail_next(429, 100, retry_after=1)
    assert main(["docs", "sync", "--retries", "0", "--now", "2026-11-26T10:20"]) == 1
    assert "throttling" in capsys.readouterr().out


def test_docs_sync_without_sharepoint_settings_says_what_to_set(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("SHAREPOINT_SITE", raising=False)
    assert main(["docs", "sync"]) == 2
    assert "set SHAREPOINT_SITE" in capsys.readouterr().err


def test_qabot_docs_sweep_runs_the_permission_sweep_now_and_prints_what_changed(
    graph: FakeGraph,
    sp_sessions: sessionmaker[Session],
    sqlite_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    review = graph.add_file("Reviews/Plover review.docx", docx_bytes("Plover findings"))
    graph.add_file("Minutes/Agenda.docx", docx_bytes("Agenda for the board"))
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    for k, v in {
        "QABOT_DATABASE_URL": sqlite_url,
        "SHAREPOINT_SITE": SITE,
        "GRAPH_BASE_URL": graph.base_url,
        "GRAPH_AUTH": "none",
    }.items():
        monkeypatch.setenv(k, v)
    assert main(["docs", "sync", "--quiet", "--now", "2026-11-26T10:00"]) == 0
    capsys.readouterr()
    assert main(["docs", "sweep", "--now", "2026-11-26T10:05"]) == 0
    out = capsys.readouterr().out
    assert "SharePoint permission sweep done: 4 items" in out and "0 newly restricted" in out
    assert "No item's permissions changed since the last sweep." in out

    # "Stop inheriting permissions" on the review, unseen by the delta: the sweep finds it now,
    # not at its nightly run.
    graph.set_unique(review, reported=False)
    assert main(["docs", "sweep", "--now", "2026-11-26T10:10"]) == 0
    out = capsys.readouterr().out
    assert "1 changed permissions, 1 newly restricted, 0 visible again" in out
    assert "Now restricted (its text dropped; by name to the chair and the QA officer only): Plover review.docx" in out
    assert "The QA officer is told in the QA channel (1 post(s) queued)." in out
    with sp_sessions() as s:
        doc = s.scalars(select(Document).where(Document.drive_item_id == review)).one()
        assert doc.unique_permissions and not doc.content_text  # the database holds no text of it

    graph.set_unique(review, False, reported=False)
    assert main(["docs", "sweep", "--now", "2026-11-26T10:15"]) == 0
    out = capsys.readouterr().out
    assert "1 item(s) inherit their folder's permissions again: searchable as before." in out

    graph.fail_next(429, 100, retry_after=1)
    assert main(["docs", "sweep", "--retries", "0", "--now", "2026-11-26T10:20"]) == 1
    out = capsys.readouterr().out
    assert "SharePoint permission sweep stopped" in out and "Nothing was changed" in out


def test_docs_sweep_without_sharepoint_settings_says_so(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(Path(sqlite_url.removeprefix("sqlite:///")).parent)
    monkeypatch.setenv("QABOT_DATABASE_URL", sqlite_url)
    monkeypatch.delenv("SHAREPOINT_SITE", raising=False)
    assert main(["docs", "sweep"]) == 2
    assert "SharePoint is not configured: set SHAREPOINT_SITE" in capsys.readouterr().err


def test_progress_bar_shows_pages_items_bytes() -> None:
    out = io.StringIO()
    bar = ProgressBar(out, expected_items=10)
    bar(SyncReport(pages=1, items=5, bytes=2048, full=True))
    bar(SyncReport(pages=2, items=10, bytes=4096, full=True))
    bar.done()
    text = out.getvalue()
    assert (
        text.startswith("\r[") and "\r[" + "#" * 28 + "] 100% pages 2 · items 10 · 4.0 KB downloaded" in text
    )
    assert " 50% pages 1 · items 5 · 2.0 KB" in text


def test_clock_job_syncs_every_fifteen_minutes_and_survives_graph_failures(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    graph.add_file("Audits/One.docx", docx_bytes("one"))
    rt = build_runtime(make_settings(graph, sqlite_url), clock)
    sync_documents_if_due(rt)
    with rt.sessions() as s:
        assert doc_store.counts(s) == (1, 1)
    graph.add_file("Audits/Two.docx", docx_bytes("two"))
    clock.advance(timedelta(minutes=10))
    sync_documents_if_due(rt)  # not due: nothing asked of Graph
    with rt.sessions() as s:
        assert doc_store.counts(s) == (1, 1)
    clock.advance(timedelta(minutes=5))
    sync_documents_if_due(rt)
    with rt.sessions() as s:
        assert doc_store.counts(s) == (2, 1)
    graph.stop()  # Graph unreachable: the job logs and returns, nothing raises
    clock.advance(timedelta(minutes=15))
    sync_documents_if_due(rt)
    rt.engine.dispose()


@pytest.mark.parametrize(
    ("value", "said"),
    [("-1", "-1 is out of range"), ("11", "11 is out of range"), ("x", '"x" is not a number')],
)
def test_docs_sync_retries_is_checked(value: str, said: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["docs", "sync", "--retries", value])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "give 0 to 10" in err
