"""The delta sync against the fake Graph, through the real msgraph-sdk client."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import unquote

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from commands.documents import delta_key
from integrations.sharepoint.client import RetryPolicy
from store import state
from store.models import Document, OutboxMessage
from tests.fakes.graph import DRIVE_ID, FakeGraph
from tests.sharepoint.conftest import Sync, docx_bytes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def docs(sessions: sessionmaker[Session]) -> dict[str, Document]:
    with sessions() as s:
        return {d.drive_item_id: d for d in s.scalars(select(Document))}


def stored_link(sessions: sessionmaker[Session]) -> str | None:
    with sessions() as s:
        return state.get(s, delta_key(DRIVE_ID))


def delta_requests(graph: FakeGraph) -> list[str]:
    return [unquote(p) for _, p in graph.requests if "delta" in p]


def library(graph: FakeGraph) -> dict[str, str]:
    return {
        "agenda": graph.add_file("Meetings/2027-01-14 QA&E sub-group/Agenda.docx", docx_bytes("Agenda")),
        "minutes": graph.add_file("Meetings/2027-01-14 QA&E sub-group/Minutes.docx", docx_bytes("Minutes")),
        "plan": graph.add_file("Misc/Plans/Business plan.docx", docx_bytes("Early help priorities")),
        "notes": graph.add_file("Misc/notes.txt", b"plain text"),
        "old": graph.add_file("Misc/old.docx", docx_bytes("obsolete")),
    }


def test_first_sync_pages_through_next_link(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    ids = library(graph)
    report = sync()

    assert report.ok and report.full and report.finished
    # root + 4 folders + 5 files = 10 items, 3 per page -> 4 pages
    assert report.pages == 4 and report.items == 10
    reqs = delta_requests(graph)
    assert len(reqs) == 4
    assert reqs[0].endswith("/items/root/delta()") and "token=" not in reqs[0]
    assert all("token=" in r for r in reqs[1:])
    stored = docs(sp_sessions)
    assert stored[ids["agenda"]].path == "Meetings/2027-01-14 QA&E sub-group/Agenda.docx"
    assert stored[ids["plan"]].path == "Misc/Plans/Business plan.docx"
    assert stored[ids["agenda"]].modified_by == "QA Officer"
    assert stored[ids["agenda"]].content_text == "Agenda"
    assert stored[ids["notes"]].content_text is None  # not a Word/PDF/Excel file: not downloaded
    assert stored[ids["agenda"]].web_url and stored[ids["agenda"]].web_url.startswith(
        "https://contoso.sharepoint.com/"
    )
    link = stored_link(sp_sessions)
    assert link is not None and link.startswith(graph.base_url) and "token=" in link
    # Only the four .docx files were downloaded.
    assert graph.count("/content") == 4


def test_second_sync_sends_delta_link_and_applies_change_rename_delete(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    ids = library(graph)
    sync()
    link = stored_link(sp_sessions)
    assert link is not None
    graph.requests.clear()

    graph.update_file(ids["plan"], docx_bytes("Early help priorities", "Neglect toolkit refresh"))
    misc = graph.items[ids["plan"]].parent_id  # "Misc/Plans"
    graph.rename(graph.items[misc].parent_id, "Archive")  # "Misc" -> "Archive"
    graph.delete(ids["old"])
    clock.advance(timedelta(minutes=15))
    report = sync()

    assert report.ok and not report.full
    first = graph.requests[0][1]
    assert "delta" in first and unquote(first).split("?")[1] == unquote(link).split("?")[1]
    assert report.pages == 1 and report.deleted == 1
    stored = docs(sp_sessions)
    assert stored[ids["plan"]].path == "Archive/Plans/Business plan.docx"
    assert stored[ids["notes"]].path == "Archive/notes.txt"
    assert stored[ids["old"]].deleted is True
    assert "Neglect toolkit refresh" in (stored[ids["plan"]].content_text or "")
    assert stored[ids["agenda"]].path.startswith("Meetings/")  # untouched
    assert graph.count("/content") == 1  # only the changed file was downloaded again
    assert stored_link(sp_sessions) != link


def test_deleted_folder_takes_its_contents(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    ids = library(graph)
    sync()
    graph.delete(graph.items[ids["agenda"]].parent_id)
    sync()
    stored = docs(sp_sessions)
    assert stored[ids["agenda"]].deleted and stored[ids["minutes"]].deleted
    assert not stored[ids["plan"]].deleted


def test_meeting_papers_are_tied_to_the_meeting(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    ids = library(graph)
    graph.add_file("Meetings/2031-01-01 No such meeting/x.docx", docx_bytes("x"))
    sync()
    from store import documents as doc_store
    from store import meetings

    with sp_sessions() as s:
        from datetime import date

        meeting = meetings.on_date(s, date(2027, 1, 14), "Europe/London")
        assert meeting is not None
        papers = doc_store.for_meeting(s, meeting.id)
        assert sorted(d.drive_item_id for d in papers) == sorted([ids["agenda"], ids["minutes"]])
        orphan = s.scalar(select(Document).where(Document.name == "x.docx"))
        assert orphan is not None and orphan.meeting_id is None


def test_throttled_twice_then_recovers(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    library(graph)
    graph.fail_next(429, 2, path_contains="delta", retry_after=1)
    policy = RetryPolicy(max_retries=3, sleep_factor=0.0)
    report = sync(retry=policy)

    assert report.ok and report.finished
    assert policy.waits == [1.0, 1.0]  # Retry-After honoured (the real pause scaled to zero)
    assert len(delta_requests(graph)) == report.pages + 2
    with sp_sessions() as s:
        assert s.scalar(select(OutboxMessage).where(OutboxMessage.kind == "sharepoint_problem")) is None


def test_503_with_retry_after_is_retried(graph: FakeGraph, sync: Sync) -> None:
    library(graph)
    graph.fail_next(503, 1, path_contains="delta", retry_after=2)
    policy = RetryPolicy(max_retries=3, sleep_factor=0.0)
    assert sync(retry=policy).ok
    assert policy.waits == [2.0]


def test_persistent_throttling_stops_cleanly_keeps_place_and_tells_once(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    ids = library(graph)
    # Page 2 of the first sync is throttled past the retries: page 1 stays stored.
    graph.faults.clear()
    graph.fail_next(429, 100, path_contains="token=", retry_after=1)
    report = sync()
    assert not report.ok and report.problem is not None and report.problem.kind == "throttled"
    assert report.pages == 1
    assert len(delta_requests(graph)) == 1 + 4  # page 1, then page 2 tried once + 3 retries
    assert len(docs(sp_sessions)) == 2  # root is not stored: 3 items on page 1, 2 documents
    first_next = stored_link(sp_sessions)
    assert first_next is not None and "token=" in first_next

    def told() -> list[OutboxMessage]:
        with sp_sessions() as s:
            return list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "sharepoint_problem")))

    # One throttled run is Graph's weather, not an outage: nobody is told yet.
    assert told() == []

    # Fifteen minutes later: still throttled. Nothing new stored, still nobody told.
    clock.advance(timedelta(minutes=15))
    report = sync()
    assert report.problem is not None and report.pages == 0
    assert stored_link(sp_sessions) == first_next
    assert told() == []

    # Thirty minutes of it (twice the interval): the QA officer is told, once.
    clock.advance(timedelta(minutes=15))
    assert sync().problem is not None
    posts = told()
    assert len(posts) == 1
    assert posts[0].channel == "C0QAE01" and posts[0].platform == "slack"
    text = "\n".join(posts[0].payload["lines"])
    assert "throttling" in text and "resumes where this one stopped" in text
    clock.advance(timedelta(minutes=15))
    assert sync().problem is not None
    assert len(told()) == 1

    # Graph recovers: the sync resumes from the stored page link, and finishes.
    graph.faults.clear()
    graph.requests.clear()
    clock.advance(timedelta(minutes=15))
    report = sync()
    assert report.ok and report.finished and not report.full
    assert unquote(graph.requests[0][1]).split("?")[1] == unquote(first_next).split("?")[1]
    assert docs(sp_sessions)[ids["old"]].path == "Misc/old.docx"

    # After a recovery, a new outage is reported again (once), when it has lasted.
    graph.fail_next(503, 100, retry_after=1)
    clock.advance(timedelta(minutes=15))
    assert sync().problem is not None
    assert len(told()) == 1
    clock.advance(timedelta(minutes=15))
    assert sync().problem is not None
    assert len(told()) == 2


def test_long_retry_after_stops_without_waiting(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    library(graph)
    graph.fail_next(429, 5, path_contains="delta", retry_after=3600)
    policy = RetryPolicy(max_retries=3, max_wait=60, sleep_factor=0.0)
    report = sync(retry=policy)
    assert report.problem is not None and report.problem.kind == "throttled"
    assert policy.waits == [3600.0]  # asked once, not waited for: the next run resumes
    assert len(delta_requests(graph)) == 1
    assert stored_link(sp_sessions) is None


def test_clock_sync_runs_every_n_minutes(graph: FakeGraph, sync: Sync, clock: FixedClock) -> None:
    library(graph)
    assert sync(only_if_due=True).ok
    clock.advance(timedelta(minutes=14))
    assert sync(only_if_due=True).skipped == "not due yet"
    clock.advance(timedelta(minutes=1))
    assert sync(only_if_due=True).ok


def test_wrong_library_names_the_setting(
    graph: FakeGraph, sp_sessions: sessionmaker[Session], clock: FixedClock, sqlite_url: str
) -> None:
    from integrations.sharepoint.client import GraphOptions
    from tests.sharepoint.conftest import document_sync, make_settings

    settings = make_settings(graph, sqlite_url, SHAREPOINT_LIBRARY="Papers")
    report = document_sync(settings, sp_sessions, clock, ("slack",), GraphOptions()).run()
    assert report.problem is not None
    assert (
        'no library called "Papers"' in report.problem.message
        and "SHAREPOINT_LIBRARY" in report.problem.message
    )
    assert '"Documents"' in report.problem.message
