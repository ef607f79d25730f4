"""A sync that stays right: a 410 resync leaves no deleted file behind, one bad file never stops
the library, and the lease is renewed with every page (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from commands.clock import FixedClock
from commands.document_library import StoredLibrary
from integrations.sharepoint.sync import SyncReport
from store.models import Document
from tests.sharepoint.conftest import Library, docx_bytes


def stored(lib: Library) -> dict[str, Document]:
    with lib.sessions() as s:
        return {d.name: d for d in s.scalars(select(Document).where(Document.deleted.is_(False)))}


def test_410_resync_follows_location_and_deletes_what_it_did_not_see(lib: Library) -> None:
    g = lib.graph
    keep = g.add_file("Minutes/Keep.docx", docx_bytes("Heron kept"))
    gone = g.add_file("Minutes/Gone.docx", docx_bytes("Heron gone"))
    assert lib.sync().ok
    assert {"Keep.docx", "Gone.docx"} <= set(stored(lib))
    # The file is deleted while the token is too old to replay it: Graph answers 410.
    g.delete(gone)
    g.forget_deletions()
    g.update_file(keep, docx_bytes("Heron kept, edited"))
    g.expire_delta_tokens()
    g.requests.clear()
    report = lib.sync()
    assert report.ok and report.resynced and report.finished, report.summary()
    delta = [p for m, p in g.requests if "delta" in p]
    assert "token=" in delta[0] and "token=" not in delta[1]  # the Location: a fresh enumeration
    names = set(stored(lib))
    assert "Keep.docx" in names and "Gone.docx" not in names
    assert report.deleted >= 1
    assert lib.found("qa", "heron") == ["Keep.docx"]
    # The next run is incremental again.
    g.add_file("Minutes/New.docx", docx_bytes("Heron new"))
    report = lib.sync()
    assert report.ok and not report.full and not report.resynced
    assert lib.found("qa", "heron") == ["Keep.docx", "New.docx"]


def test_one_bad_file_never_stops_the_library(lib: Library) -> None:
    g = lib.graph
    broken = g.add_file("Minutes/Broken download.docx", docx_bytes("Ibis broken"))
    g.add_file("Minutes/Damaged.docx", b"PK\x03\x04 this is no Word document")
    g.add_file("Minutes/Fine.docx", docx_bytes("Ibis fine"))
    g.broken.add(broken)
    report = lib.sync()
    assert report.ok and report.finished, report.summary()
    assert sorted(n for _, n in report.unreadable) == ["Broken download.docx", "Damaged.docx"]
    assert "2 could not be read" in report.summary()
    # Both are listed by name, without text; the rest of the page is read.
    assert lib.found("bm", "ibis") == ["Fine.docx"]
    assert lib.found("bm", "broken download") == ["Broken download.docx"]
    told = lib.posts("sharepoint_problem")
    assert len(told) == 1 and "Broken download.docx" in "\n".join(told[0].payload["lines"])
    # Tried again next run (told no more); once it downloads, its text is found.
    g.broken.clear()
    report = lib.sync()
    assert report.ok and [n for _, n in report.unreadable] == ["Damaged.docx"]
    assert len(lib.posts("sharepoint_problem")) == 1
    assert lib.found("bm", "ibis") == ["Broken download.docx", "Fine.docx"]


def test_the_lease_is_renewed_with_each_page(lib: Library, clock: FixedClock) -> None:
    for i in range(9):
        lib.graph.add_file(f"Minutes/Paper {i}.docx", docx_bytes(f"Paper {i}"))
    other = StoredLibrary(lib.sessions, clock, ("console",))
    refused: list[str | None] = []

    def slow_page(report: SyncReport) -> None:
        clock.advance(timedelta(minutes=20))  # each page takes 20 minutes; the lease lasts 30
        refused.append(other.begin_sync(only_if_due=False))

    report = lib.sync(progress=slow_page)
    assert report.ok and report.pages >= 3
    assert refused and all(r == "another sync is running" for r in refused)
    assert other.begin_sync(only_if_due=False) is None  # released at the end
