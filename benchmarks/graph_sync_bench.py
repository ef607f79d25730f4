"""SharePoint sync benchmark: a first sync of 10,000 items, then an incremental sync of 5
changes, then the permission sweep (nothing changed; 10 items restricted unseen by the delta),
against the fake Graph on loopback through the real msgraph-sdk client.

    python -m benchmarks.graph_sync_bench [--items 10000] [--docx 100]

Prints the requests made and the time for each sync, their ratio, and a final JSON line.
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
import warnings
from datetime import UTC, datetime, timedelta
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--items", type=int, default=10_000, help="items in the library (folders + files)")
    ap.add_argument("--docx", type=int, default=100, help="how many of the files are Word documents")
    ap.add_argument("--page-size", type=int, default=200, help="items per delta page (Graph uses about 200)")
    args = ap.parse_args(argv)
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    logging.basicConfig(level=logging.WARNING)

    from bot.settings import Settings
    from commands.board_file import import_board, parse_board_file
    from commands.clock import FixedClock
    from commands.document_library import StoredLibrary
    from integrations.sharepoint.client import GraphOptions, RetryPolicy
    from integrations.sharepoint.sweep import PermissionSweep, SweepReport
    from integrations.sharepoint.sync import DocumentSync
    from store.db import make_engine, migrate, session_factory, transaction
    from tests.fakes.graph import FakeGraph
    from tests.sharepoint.conftest import docx_bytes

    tmp = Path(tempfile.mkdtemp(prefix="qabot-bench-"))
    url = f"sqlite:///{tmp / 'bench.db'}"
    engine = make_engine(url)
    migrate(engine)
    sessions = session_factory(engine)
    clock = FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=UTC))
    board = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "board.yaml"
    with transaction(sessions) as s:
        import_board(s, parse_board_file(board.read_text(), name="board.yaml"), clock.now())

    word = docx_bytes(
        "Quarterly audit of multi-agency practice", "Chronologies, supervision, voice of the child"
    )
    with FakeGraph(page_size=args.page_size) as graph:
        n_folders = max(2, args.items // 20)
        areas = 20
        folder_paths = [f"Area {f % areas:02d}/Folder {f:04d}" for f in range(n_folders - areas)]
        folder_ids = [graph.add_folder(p) for p in folder_paths]
        top_ids = [graph.add_folder(f"Area {a:02d}") for a in range(areas)]
        files = args.items - len(graph.items)
        ids: list[str] = []
        for n in range(files):
            ext = ".docx" if n < args.docx else ".txt"
            where = folder_paths[n % len(folder_paths)]
            ids.append(graph.add_file(f"{where}/Paper {n:05d}{ext}", word if ext == ".docx" else b"notes"))
        assert folder_ids
        total = len(graph.items)
        settings = Settings(  # type: ignore[call-arg]
            _env_file=None,
            QABOT_DATABASE_URL=url,
            SHAREPOINT_SITE="contoso.sharepoint.com:/sites/SSCB",
            GRAPH_BASE_URL=graph.base_url,
            GRAPH_AUTH="none",
        )
        options = GraphOptions(retry=RetryPolicy(sleep_factor=0.0))

        def run() -> tuple[float, int, object]:
            graph.requests.clear()
            t0 = time.perf_counter()
            library = StoredLibrary(sessions, clock, ("console",))
            report = DocumentSync(settings.sharepoint, library, clock, options).run()
            return time.perf_counter() - t0, len(graph.requests), report

        first_s, first_req, first = run()
        print(f"initial sync: {total:,} items, {first_req} requests, {first_s:.2f} s")  # type: ignore[attr-defined]
        print(f"  {first.summary()}")  # type: ignore[attr-defined]

        # Five changes: an edit, a new file, a rename of a folder, a move, a deletion.
        graph.update_file(ids[0], docx_bytes("Edited: supervision themes"))
        graph.add_file("Area 00/New paper.docx", word)
        graph.rename(top_ids[1], "Area 01 (renamed)")
        graph.move(ids[-1], "Area 00")
        graph.delete(ids[-2])
        clock.advance(timedelta(minutes=15))
        inc_s, inc_req, inc = run()
        print(f"incremental sync: 5 changes, {inc_req} requests, {inc_s:.3f} s")
        print(f"  {inc.summary()}")  # type: ignore[attr-defined]
        ratio = first_s / inc_s if inc_s else float("inf")
        print(f"ratio initial/incremental: time {ratio:.0f}x, requests {first_req / max(1, inc_req):.0f}x")

        # The nightly permission sweep: a fresh enumeration, once with nothing changed, once after
        # ten items stopped inheriting permissions unseen by the delta (no FullControl.All).
        def sweep() -> tuple[float, int, SweepReport]:
            graph.requests.clear()
            t0 = time.perf_counter()
            library = StoredLibrary(sessions, clock, ("console",))
            report = PermissionSweep(settings.sharepoint, library, clock, options).run()
            return time.perf_counter() - t0, len(graph.requests), report

        quiet_s, quiet_req, quiet = sweep()
        print(f"permission sweep, nothing changed: {quiet_req} requests, {quiet_s:.2f} s")
        print(f"  {quiet.summary()}")
        for item_id in ids[:: max(1, len(ids) // 10)][:10]:
            graph.set_unique(item_id, reported=False)
        changed_s, changed_req, changed = sweep()
        print(f"permission sweep, 10 items restricted: {changed_req} requests, {changed_s:.2f} s")
        print(f"  {changed.summary()}")
        figures = {
            "items": total,
            "initial_requests": first_req,
            "initial_seconds": round(first_s, 3),
            "initial_pages": first.pages,  # type: ignore[attr-defined]
            "incremental_changes": 5,
            "incremental_requests": inc_req,
            "incremental_seconds": round(inc_s, 4),
            "time_ratio": round(ratio, 1),
            "sweep_requests": quiet_req,
            "sweep_seconds": round(quiet_s, 3),
            "sweep_changed_requests": changed_req,
            "sweep_restricted": len(changed.restricted),
        }
        print(json.dumps(figures))
    engine.dispose()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
