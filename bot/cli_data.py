"""`qabot export` and `qabot purge`: the board's data out whole, and old closed items removed.

qabot export --out DIR          every table as DIR/<table>.csv and DIR/<table>.json
qabot purge --before 2019-04-01 [--yes]   a preview unless --yes
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Iterable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Engine

from bot.cli_help import NOW_HELP

MANIFEST = "_manifest.json"
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register_export(sub: Any) -> None:
    sp = sub.add_parser(
        "export",
        help="write every table as CSV and JSON (subject-access requests, moving the board)",
        description="Write every table of the database to DIR as <table>.csv and <table>.json, "
        "plus _manifest.json with row counts. The directory must be new or empty.",
    )
    sp.add_argument("--out", required=True, metavar="DIR", help="directory to write (created if missing)")
    sp.set_defaults(func=cmd_export)


def register_purge(sub: Any) -> None:
    sp = sub.add_parser(
        "purge",
        help="retention: remove closed actions and old findings from before a date (preview unless --yes)",
        description="Show (and with --yes, remove) actions closed before the date, findings recorded "
        "before it that no remaining action refers to, and their document links. Open actions, "
        "findings escalated to the Board and anything under legal hold are never removed, nor "
        "anything younger than the board's minimum retention (board file retention: min_years, "
        "6 by default). The audit log records the cut-off and the counts.",
    )
    sp.add_argument("--before", required=True, metavar="YYYY-MM-DD", help="remove what is older than this")
    what = sp.add_mutually_exclusive_group()
    what.add_argument("--yes", action="store_true", help="remove them (without it: a preview)")
    what.add_argument("--dry-run", action="store_true", help="a preview (the default); change nothing")
    sp.add_argument("--now", default=None, help=NOW_HELP)
    sp.set_defaults(func=cmd_purge)


# ---------------------------------------------------------------------------- export


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    elif not isinstance(value, str):
        return str(value)
    # Text that a spreadsheet would run as a formula gets a leading apostrophe (the JSON
    # files keep every value exactly).
    text: str = value
    return "'" + text if text.startswith(_FORMULA_START) else text


def _open_private(path: Path, encoding: str = "utf-8") -> IO[str]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    return open(fd, "w", encoding=encoding, newline="")


def _write_table(out: Path, name: str, columns: list[str], rows: Iterable[dict[str, Any]]) -> int:
    n = 0
    # utf-8-sig: the byte-order mark tells Excel the CSV is UTF-8 ("Children’s", "Zoë" read
    # right when the file is opened by double-click); the JSON stays plain UTF-8.
    csv_file = _open_private(out / f"{name}.csv", encoding="utf-8-sig")
    with csv_file as fcsv, _open_private(out / f"{name}.json") as fjson:
        writer = csv.writer(fcsv)
        writer.writerow(columns)
        fjson.write("[")
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in columns])
            fjson.write(("," if n else "") + "\n  " + json.dumps(row, ensure_ascii=False, sort_keys=False))
            n += 1
        fjson.write("\n]\n" if n else "]\n")
    return n


def export_to(engine: Engine, out: Path) -> dict[str, int]:
    """Write every table to `out` (one consistent snapshot); returns rows per table."""
    from store import export

    if out.exists() and not out.is_dir():
        raise SystemExit(f"{out} exists and is not a directory.")
    if out.exists() and any(out.iterdir()):
        raise SystemExit(f"{out} is not empty: give a new or empty directory so exports never mix.")
    out.mkdir(parents=True, exist_ok=True, mode=0o700)
    counts: dict[str, int] = {}
    with export.snapshot(engine) as conn:
        revision = export.schema_revision(conn)
        for table in export.tables():
            columns = [c.key for c in table.columns]
            counts[table.name] = _write_table(out, table.name, columns, export.rows(conn, table))
    manifest = {
        "exported_at": datetime.now(UTC).isoformat(),
        "database": engine.url.render_as_string(hide_password=True),
        "schema_revision": revision,
        "tables": counts,
        "files": "one <table>.csv (UTF-8 with a byte-order mark, for Excel) and one <table>.json "
        "per table; CSV cells that a spreadsheet "
        "would run as a formula start with an apostrophe, the JSON holds every value exactly",
    }
    with _open_private(out / MANIFEST) as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return counts


def cmd_export(args: argparse.Namespace) -> int:
    from bot.cli import runtime

    rt = runtime(args, quiet_logs=True)
    out = Path(args.out)
    counts = export_to(rt.engine, out)
    total = sum(counts.values())
    print(f"Exported {len(counts)} tables, {total} rows, to {out}/ (CSV and JSON; {MANIFEST} lists them).")
    for name, n in counts.items():
        print(f"  {name:<22} {n:>7}")
    return 0


# ---------------------------------------------------------------------------- purge


def _parse_before(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise SystemExit(f'--before "{text}" is not a date such as 2025-04-01 (YYYY-MM-DD).') from None


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.cli import runtime
    from commands import retention
    from commands.context import Scope
    from commands.errors import UsageError
    from store.db import transaction
    from store.models import Board

    before = _parse_before(args.before)
    rt = runtime(args, quiet_logs=True)
    try:
        with transaction(rt.sessions) as s:
            board = s.get(Board, 1)
            if board is None:
                # Nothing loaded yet: the rule still applies, in the default time zone.
                board = Board(id=1, name="(no board loaded)", timezone="Europe/London", config={})
            scope = Scope(session=s, clock=rt.clock, board=board, platforms=rt.platforms)
            # A preview only reads: purge() returns before it writes anything.
            report = retention.purge(scope, before, dry_run=not args.yes)
    except UsageError as e:
        print(e.problem, file=sys.stderr)
        return 2
    for line in report.lines():
        print(line)
    return 0
