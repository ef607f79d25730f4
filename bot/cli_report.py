"""`qabot report --meeting <date> --out FILE.docx`: the Board report of a meeting."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from bot.cli_help import NOW_HELP

DESCRIPTION = "write a meeting's Board report (Word): outcome summary, actions table, RAG chart"


def cmd_report(args: argparse.Namespace) -> int:
    from bot.cli import runtime
    from commands.context import Scope
    from commands.errors import UsageError
    from commands.meetings import label
    from commands.meetings import report as report_mod
    from commands.resolve import meeting_named
    from store import meetings as meeting_store
    from store.db import transaction
    from store.models import Board, Meeting
    from store.visibility import BOARD

    out = Path(args.out)
    if out.suffix.lower() != ".docx":
        print(
            f"--out {args.out}: the report is a Word document; give a name ending in .docx", file=sys.stderr
        )
        return 2
    rt = runtime(args, quiet_logs=True)
    sharepoint = rt.connectors.named("sharepoint")
    if args.upload and not sharepoint.enabled:
        print(
            "--upload: SharePoint is not configured: set SHAREPOINT_SITE (and the AZURE_* settings); "
            "see docs/sharepoint.md.",
            file=sys.stderr,
        )
        return 2
    with transaction(rt.sessions) as s:
        board = s.get(Board, 1)
        if board is None:
            print(
                "No board is loaded: run `qabot import board.yaml` or `qabot seed --demo`.", file=sys.stderr
            )
            return 2
        scope = Scope(
            session=s, clock=rt.clock, board=board, platforms=rt.platforms, services=rt.core.services
        )
        meeting: Meeting | None
        if args.meeting:
            try:  # a date without a year: the meeting just held, else the coming one
                meeting = meeting_named(scope, args.meeting, "--meeting <date>", direction="backward")
            except UsageError as e:
                print(f"--meeting: {e.problem}", file=sys.stderr)
                return 2
        else:
            meeting = meeting_store.latest_started(s, scope.now)
            if meeting is None:
                print("No meeting has taken place yet: name one with --meeting <date>.", file=sys.stderr)
                return 2
        path = report_mod.write(scope, meeting, BOARD, out)  # the operator's copy: the board's
        scope.audit("meeting", meeting.id, "report written", None, {"file": str(path)})
    print(f"Wrote the Board report for {label(meeting, scope.tz)} to {path}")
    if args.upload:
        # After the transaction: the Graph calls never hold the database.
        from commands.dates import local_date
        from integrations.sharepoint.connector import SharePointConnector

        assert isinstance(sharepoint, SharePointConnector)
        uploader = sharepoint.uploader()
        try:
            done = uploader.upload(path, local_date(meeting.starts_at, scope.tz).isoformat(), meeting.title)
        except Exception as e:
            print(f"The report could not be saved to SharePoint: {uploader.problem(e)}", file=sys.stderr)
            return 1
        print(f"Saved to SharePoint ({done.path}): {done.web_url or 'no link given'}")
    return 0


def register(subparsers: Any) -> None:
    sp = subparsers.add_parser("report", help=DESCRIPTION, description=DESCRIPTION)
    sp.add_argument(
        "--meeting", default=None, help="the meeting's date, e.g. 14/01/2027 (default: the latest)"
    )
    sp.add_argument("--out", required=True, help="where to write the .docx")
    sp.add_argument(
        "--upload",
        action="store_true",
        help="also save it in the meeting's SharePoint folder (Meetings/<YYYY-MM-DD> <title>/)",
    )
    sp.add_argument("--now", default=None, help=NOW_HELP)
    sp.set_defaults(func=cmd_report)
