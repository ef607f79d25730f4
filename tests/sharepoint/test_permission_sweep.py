"""The permission sweep: a change of permissions alone, which Graph's delta does not report to an
app without Sites.FullControl.All, is found by the scheduled fresh enumeration (default nightly),
applied both ways, and the QA officer told once; on SQLite and PostgreSQL, against the fake Graph,
with the clock moved by hand."""

from __future__ import annotations

from datetime import timedelta

from commands.clock import FixedClock
from store.models import Board
from tests.sharepoint.conftest import Library, docx_bytes


def _library(lib: Library) -> dict[str, str]:
    g = lib.graph
    return {
        "review": g.add_folder("Reviews"),
        "plover": g.add_file("Reviews/Plover review.docx", docx_bytes("Plover findings")),
        "minutes": g.add_file("Minutes/Plover minutes.docx", docx_bytes("Plover minutes text")),
        "agenda": g.add_file("Minutes/Agenda.docx", docx_bytes("Agenda for the board")),
    }


def test_permissions_changed_unseen_are_found_by_the_nightly_sweep(lib: Library, clock: FixedClock) -> None:
    ids = _library(lib)
    assert lib.sync().ok
    assert lib.connector.sweep_permissions().skipped is None  # the first sweep: nothing changed
    assert lib.found("bm", "plover") == ["Plover minutes.docx", "Plover review.docx"]

    # "Stop inheriting permissions" on a folder and on a file: the delta does not list either.
    lib.graph.set_unique(ids["review"], reported=False)
    lib.graph.set_unique(ids["minutes"], reported=False)
    assert lib.sync().ok
    assert lib.found("bm", "plover") == ["Plover minutes.docx", "Plover review.docx"]  # unseen so far

    clock.advance(timedelta(hours=23))
    assert lib.connector.sweep_permissions(only_if_due=True).skipped == "not due yet"
    clock.advance(timedelta(hours=1))
    before = lib.graph.count("/permissions")
    report = lib.connector.sweep_permissions(only_if_due=True)
    assert report.skipped is None and report.problem is None, report.summary()
    assert report.changed == 2
    assert sorted(report.restricted) == ["Plover minutes.docx", "Plover review.docx"]
    assert lib.graph.count("/permissions") - before == 2  # only the newly shared items are asked

    # Gone from search for everyone the board file does not name; officers see them by name only.
    assert lib.found("bm", "plover") == []
    assert lib.found("pol", "plover") == []
    assert lib.found("qa", "plover") == ["Plover minutes.docx", "Plover review.docx"]
    assert lib.found("qa", "findings") == []
    # The QA officer is told once, naming them.
    told = lib.posts("sharepoint_restricted")
    assert len(told) == 1 and "Plover review.docx" in "\n".join(told[0].payload["lines"])

    # The next night: nothing new, nothing told again, no permission asked again.
    clock.advance(timedelta(hours=24))
    before = lib.graph.count("/permissions")
    again = lib.connector.sweep_permissions(only_if_due=True)
    assert again.changed == 0 and again.restricted == []
    assert lib.graph.count("/permissions") == before
    assert len(lib.posts("sharepoint_restricted")) == 1

    # Inheritance restored, unseen by the delta too: the sweep opens them up again, and the
    # next sync reads the text that was dropped.
    lib.graph.set_unique(ids["review"], False, reported=False)
    lib.graph.set_unique(ids["minutes"], False, reported=False)
    clock.advance(timedelta(hours=24))
    opened = lib.connector.sweep_permissions(only_if_due=True)
    assert opened.changed == 2 and opened.reopened == 2 and opened.restricted == []
    assert lib.found("bm", "plover") == ["Plover minutes.docx", "Plover review.docx"]
    assert lib.sync().ok
    assert lib.found("bm", "findings") == ["Plover review.docx"]


def test_the_clock_runs_the_sweep_after_the_sync_at_the_board_files_interval(
    lib: Library, clock: FixedClock
) -> None:
    ids = _library(lib)
    with lib.sessions() as s:
        board = s.get_one(Board, 1)
        board.config = {**(board.config or {}), "sharepoint": {"permission_sweep_hours": 6}}
        s.commit()
    said = lib.connector.sync_if_due() or ""
    assert "sync done" in said.lower() and "permission sweep done" in said
    lib.graph.set_unique(ids["plover"], reported=False)
    clock.advance(timedelta(hours=5))
    said = lib.connector.sync_if_due() or ""
    assert "permission sweep" not in said
    assert lib.found("bm", "plover") == ["Plover minutes.docx", "Plover review.docx"]
    clock.advance(timedelta(hours=1))
    said = lib.connector.sync_if_due() or ""
    assert "1 newly restricted" in said, said
    assert lib.found("bm", "plover") == ["Plover minutes.docx"]


def test_a_sweep_that_graph_stops_changes_nothing_and_the_next_sweep_applies_it(
    lib: Library, clock: FixedClock
) -> None:
    ids = _library(lib)
    assert lib.sync().ok
    lib.graph.set_unique(ids["plover"], reported=False)
    lib.graph.fail_next(503, times=2, path_contains="/delta")  # the try and its one retry
    stopped = lib.connector.sweep_permissions()
    assert stopped.problem is not None and stopped.changed == 0
    assert lib.found("bm", "plover") == ["Plover minutes.docx", "Plover review.docx"]
    done = lib.connector.sweep_permissions()
    assert done.problem is None and done.restricted == ["Plover review.docx"]
    assert lib.found("bm", "plover") == ["Plover minutes.docx"]
