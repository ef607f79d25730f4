"""The Board papers (`/qa pack inspection`, `/qa annual-report`) saved to the board's papers
folder in SharePoint after the command commits, through the real msgraph-sdk client against the
fake Graph; a failure is said in words and the reply keeps its file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.runtime import Runtime, build_runtime
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import make_settings

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def rt(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(graph, sqlite_url), clock)
    yield runtime
    runtime.engine.dispose()


def ask(rt: Runtime, text: str) -> Reply:
    return rt.core.handle(Inbound(platform="console", user_id="ic", text=text))


def test_the_pack_and_the_annual_report_land_in_the_papers_folder(graph: FakeGraph, rt: Runtime) -> None:
    r = ask(rt, "/qa pack inspection")
    assert r.ok, r.text()
    path = "Board papers/Inspection pack 2026-11-26.docx"
    item = graph.find(path)
    assert item is not None and item.content == Path(r.files[0]).read_bytes()
    assert any(line.startswith(f"Saved to SharePoint ({path}): https://") for line in r.lines), r.lines

    annual = ask(rt, "/qa annual-report 2026")
    assert graph.find("Board papers/Annual report 2026-27 draft.docx") is not None, annual.lines


def test_a_graph_failure_is_said_and_the_file_kept(graph: FakeGraph, rt: Runtime) -> None:
    graph.fail_next(503, 10, path_contains=":/content", retry_after=0)
    r = ask(rt, "/qa pack inspection")
    assert r.ok and Path(r.files[0]).exists()
    assert any(line.startswith("The report could not be saved to SharePoint: ") for line in r.lines), r.lines
