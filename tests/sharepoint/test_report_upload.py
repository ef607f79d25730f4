"""The Board report saved to the meeting's SharePoint folder after `/qa report` (and
`qabot report --upload`), through the real msgraph-sdk client against the fake Graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.cli import main
from bot.runtime import Runtime, build_runtime
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.models import Document, Meeting, ProcessedDelivery
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import SITE, Sync, make_settings, report_uploader

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

FOLDER = "Meetings/2027-01-14 QA&E sub-group"
NAME = "Board report 2027-01-14 QA&E sub-group.docx"


@pytest.fixture
def rt(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> Iterator[Runtime]:
    runtime = build_runtime(make_settings(graph, sqlite_url), clock)
    yield runtime
    runtime.engine.dispose()


def ask(rt: Runtime, text: str, key: str | None = None) -> Reply:
    return rt.core.handle(Inbound(platform="console", user_id="qa", text=text, delivery_key=key))


def test_qa_report_lands_in_the_meetings_folder_with_a_link_and_the_sync_ties_it(
    graph: FakeGraph, rt: Runtime, sync: Sync
) -> None:
    graph.add_folder("Meetings")  # the meeting's own folder does not exist yet
    r = ask(rt, "/qa report 14/01/2027", key="evt-1")
    assert r.ok and r.title == "Board report: QA&E sub-group"
    assert len(r.files) == 1 and Path(r.files[0]).exists()  # the reply still carries the file

    item = graph.find(f"{FOLDER}/{NAME}")
    assert item is not None and not item.folder
    assert item.content == Path(r.files[0]).read_bytes()
    link = f"https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/{item.id}"
    assert f"Saved to SharePoint ({FOLDER}/{NAME}): {link}" in r.lines
    assert r.data["sharepoint"]["url"] == link
    # the meeting folder was created once, under the existing Meetings folder
    assert [m for m, p in graph.requests if m == "POST" and p.endswith("/children")] == ["POST"]

    # the same delivery again: the stored reply, link included, and no second upload
    puts = graph.count(":/content")
    again = ask(rt, "/qa report 14/01/2027", key="evt-1")
    assert again.data.get("duplicate") and f"Saved to SharePoint ({FOLDER}/{NAME}): {link}" in again.lines
    assert graph.count(":/content") == puts

    assert sync().ok
    with rt.sessions() as s:
        doc = s.scalars(select(Document).where(Document.name == NAME)).one()
        meeting = s.scalars(select(Meeting).where(Meeting.title == "QA&E sub-group")).one()
        assert doc.path == f"{FOLDER}/{NAME}" and doc.meeting_id == meeting.id and doc.web_url == link
        assert doc.content_text and "Report to the Board: QA&E sub-group" in doc.content_text


def test_a_second_report_replaces_the_first_and_creates_no_folder(graph: FakeGraph, rt: Runtime) -> None:
    assert "Saved to SharePoint" in ask(rt, "/qa report 14/01/2027").text()
    folders = graph.count("/children")
    second = ask(rt, "/qa report 14/01/2027")
    assert "Saved to SharePoint" in second.text() and graph.count("/children") == folders
    files = [i for i in graph.items.values() if not i.folder and not i.deleted]
    assert [graph.path_of(i.id) for i in files] == [f"{FOLDER}/{NAME}"]
    assert files[0].content == Path(second.files[0]).read_bytes()


def test_graph_failure_gives_words_and_keeps_the_reply(graph: FakeGraph, rt: Runtime) -> None:
    graph.fail_next(503, 10, path_contains=":/content", retry_after=0)
    r = ask(rt, "/qa report 14/01/2027", key="evt-2")
    assert r.ok and len(r.files) == 1 and Path(r.files[0]).exists()
    assert "Word document:" in r.text()
    line = r.lines[-1]
    assert line.startswith(
        "The report could not be saved to SharePoint: Microsoft Graph is unavailable (503)"
    )
    assert "try again in a few minutes" in line and "Traceback" not in r.text()
    assert graph.find(f"{FOLDER}/{NAME}") is None
    with rt.sessions() as s:  # the command itself committed, and its stored reply says what happened
        stored = s.get(ProcessedDelivery, "evt-2")
        assert stored is not None and stored.reply is not None and line in stored.reply["lines"]


def test_access_denied_says_which_permission(graph: FakeGraph, rt: Runtime) -> None:
    from tests.fakes.graph import fixture

    graph.fail_next(403, 1, path_contains="/children", body=fixture("error_403_access_denied.json"))
    r = ask(rt, "/qa report 14/01/2027")
    assert r.ok and r.lines[-1].startswith(
        "The report could not be saved to SharePoint: Microsoft Graph denied access (403) (accessDenied"
    )
    assert "write access" in r.lines[-1]


def test_graph_unreachable_keeps_the_reply(graph: FakeGraph, rt: Runtime) -> None:
    graph.stop()
    r = ask(rt, "/qa report 14/01/2027")
    assert (
        r.ok
        and r.files
        and r.lines[-1].startswith(
            "The report could not be saved to SharePoint: Could not reach Microsoft Graph"
        )
    )


def test_large_report_goes_through_an_upload_session(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    settings = make_settings(graph, sqlite_url)
    uploader = report_uploader(settings, sp_sessions, clock, simple_limit=1000, chunk=320 * 1024)
    data = bytes(range(256)) * 3000  # 768,000 bytes: three chunks of at most 320 KiB
    report = tmp_path / "r.docx"
    report.write_bytes(data)
    done = uploader.upload(report, "2027-05-20", "Section 11 scrutiny panel")
    assert (
        done.path
        == "Meetings/2027-05-20 Section 11 scrutiny panel/Board report 2027-05-20 Section 11 scrutiny panel.docx"
    )
    item = graph.find(done.path)
    assert item is not None and item.content == data and done.web_url and item.id in done.web_url
    assert graph.count("createUploadSession") == 1 and graph.count("/upload/") == 3
    assert graph.count(":/content") == 0
    # chunks go to the pre-authenticated URL; with GRAPH_AUTH=none nothing carries a token anyway
    assert all(h is None for h in graph.auth_headers)


def test_reports_folder_follows_the_board_setting(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock, tmp_path: Path
) -> None:
    from store.db import transaction
    from store.models import Board

    with transaction(sp_sessions) as s:
        board = s.get(Board, 1)
        assert board is not None
        board.config = {**(board.config or {}), "sharepoint": {"meetings_folder": "Board/Meetings"}}
    report = tmp_path / "r.docx"
    report.write_bytes(b"x")
    done = report_uploader(make_settings(graph, sqlite_url), sp_sessions, clock).upload(
        report, "2027-01-14", 'QA&E: "sub-group"?'
    )
    assert done.path == f"Board/{FOLDER}/{NAME}"  # the characters SharePoint refuses are dropped
    assert graph.find(done.path) is not None


def test_without_sharepoint_no_hook_runs(
    sp_sessions: sessionmaker[Session], sqlite_url: str, clock: FixedClock
) -> None:
    from bot.settings import Settings

    runtime = build_runtime(Settings(_env_file=None, QABOT_DATABASE_URL=sqlite_url), clock)  # type: ignore[call-arg]
    try:
        # Only the core's own hook (/qa redact's edits): nothing saves to SharePoint.
        assert [h.__module__ for h in runtime.core.after] == ["bot.edit_followup"]
        r = ask(runtime, "/qa report 14/01/2027")
        assert r.ok and r.files and "SharePoint" not in r.text()
    finally:
        runtime.engine.dispose()


def test_qabot_report_upload(
    graph: FakeGraph,
    sp_sessions: sessionmaker[Session],
    sqlite_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.chdir(tmp_path)
    for k, v in {
        "QABOT_DATABASE_URL": sqlite_url,
        "SHAREPOINT_SITE": SITE,
        "GRAPH_BASE_URL": graph.base_url,
        "GRAPH_AUTH": "none",
    }.items():
        monkeypatch.setenv(k, v)
    out = tmp_path / "board.docx"
    argv = ["report", "--meeting", "14/01/2027", "--out", str(out), "--upload", "--now", "2027-01-20T10:00"]
    assert main(argv) == 0
    printed = capsys.readouterr().out
    item = graph.find(f"{FOLDER}/{NAME}")
    assert item is not None and item.content == out.read_bytes()
    assert f"Saved to SharePoint ({FOLDER}/{NAME}): https://contoso.sharepoint.com/" in printed
    assert any("Report to the Board" in p.text for p in docx.Document(str(out)).paragraphs)

    graph.fail_next(429, 10, retry_after=0)
    assert main([*argv[:-2], "--now", "2027-01-20T10:05"]) == 1
    assert (
        "The report could not be saved to SharePoint: Microsoft Graph is throttling"
        in capsys.readouterr().err
    )

    monkeypatch.delenv("SHAREPOINT_SITE")
    assert main(argv) == 2
    assert "--upload: SharePoint is not configured" in capsys.readouterr().err


def test_a_failing_after_hook_never_loses_the_reply(
    sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    from bot.core import BotCore

    def boom(reply: Reply) -> Reply:
        raise RuntimeError("secret internals")

    seen: list[str] = []

    def note(reply: Reply) -> Reply:
        seen.append(reply.title or "")
        return reply

    core = BotCore(sessions=sp_sessions, clock=clock, after=[boom, note])
    r = core.handle(Inbound(platform="console", user_id="qa", text="/qa meetings"))
    assert r.ok and r.title and seen == [r.title]
    assert r.lines[-1].startswith("A follow-up step did not finish (ref ")
    assert "secret internals" not in r.text() and "Traceback" not in r.text()
    bad = core.handle(Inbound(platform="console", user_id="qa", text="/qa nonsense"))
    assert not bad.ok and len(seen) == 1  # hooks run only after a command that worked
