"""`qabot docs sync`: pull the SharePoint library now, with a progress bar on a terminal.
`qabot docs sweep`: run the SharePoint permission sweep now (the clock runs it nightly), and
print what changed."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from bot.cli_help import NOW_HELP

if TYPE_CHECKING:
    from bot.runtime import Runtime
    from integrations.sharepoint.connector import SharePointConnector
    from integrations.sharepoint.sync import SyncReport

NOT_CONFIGURED = (
    "SharePoint is not configured: set SHAREPOINT_SITE (and AZURE_TENANT_ID, AZURE_CLIENT_ID, "
    "AZURE_CLIENT_SECRET). See docs/sharepoint.md."
)


class ProgressBar:
    """A one-line bar redrawn with \\r (pages, items, bytes). Delta pages do not say how many
    are left, so the bar fills towards the library size from the last sync when known."""

    def __init__(self, stream: TextIO, expected_items: int | None, width: int = 28) -> None:
        self.stream = stream
        self.expected = expected_items or 0
        self.width = width
        self.spin = 0

    def __call__(self, report: SyncReport) -> None:
        from integrations.sharepoint.sync import _size

        if self.expected and report.full:
            frac = min(1.0, report.items / self.expected)
            filled = int(frac * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            pct = f"{frac * 100:3.0f}%"
        else:
            self.spin = (self.spin + 1) % self.width
            bar = "".join("#" if i == self.spin else "-" for i in range(self.width))
            pct = "   "
        self.stream.write(
            f"\r[{bar}] {pct} pages {report.pages} · items {report.items} · {_size(report.bytes)} downloaded"
        )
        self.stream.flush()

    def done(self) -> None:
        self.stream.write("\n")
        self.stream.flush()


def _sharepoint(rt: Runtime) -> SharePointConnector:
    """The configured SharePoint connector, or a ConfigError saying what to set."""
    from commands.errors import ConfigError
    from integrations.sharepoint.connector import SharePointConnector

    sharepoint = rt.connectors.named("sharepoint")
    assert isinstance(sharepoint, SharePointConnector)
    if not sharepoint.enabled:
        raise ConfigError(NOT_CONFIGURED)
    return sharepoint


def cmd_docs_sync(args: argparse.Namespace) -> int:
    from bot.cli import runtime
    from integrations.sharepoint.client import GraphOptions, RetryPolicy
    from store import documents as doc_store

    rt = runtime(args, quiet_logs=sys.stderr.isatty())
    sharepoint = _sharepoint(rt)
    bar = None
    if sys.stderr.isatty() and not args.quiet:
        with rt.sessions() as s:
            files, folders = doc_store.counts(s)
        bar = ProgressBar(sys.stderr, files + folders or None)
    options = GraphOptions(retry=RetryPolicy(max_retries=args.retries))
    report = sharepoint.sync(options=options, progress=bar)
    if bar is not None:
        bar.done()
    print(report.summary())
    for name in report.received:
        print(f"  Section 11 document received: {name}")
    if report.skipped:
        return 0 if report.skipped != "another sync is running" else 1
    return 0 if report.problem is None else 1


def cmd_docs_sweep(args: argparse.Namespace) -> int:
    """The permission sweep now: every item's permissions read afresh, what changed printed."""
    from bot.cli import runtime
    from integrations.sharepoint.client import GraphOptions, RetryPolicy

    rt = runtime(args, quiet_logs=True)
    sharepoint = _sharepoint(rt)
    report = sharepoint.sweep_permissions(options=GraphOptions(retry=RetryPolicy(max_retries=args.retries)))
    print(report.summary())
    if report.skipped or report.problem:
        # Nothing was changed: a half-read sweep stores nothing (integrations/sharepoint/sweep.py).
        print("Nothing was changed; run it again later (the clock also runs it on its schedule).")
        return 1
    for name in sorted(report.restricted):
        print(f"  Now restricted (its text dropped; by name to the chair and the QA officer only): {name}")
    if report.reopened:
        print(f"  {report.reopened} item(s) inherit their folder's permissions again: searchable as before.")
    if not report.changed:
        print("No item's permissions changed since the last sweep.")
    if report.posts:
        print(f"The QA officer is told in the QA channel ({report.posts} post(s) queued).")
    return 0


MAX_RETRIES = 10


def retries(value: str) -> int:
    """--retries: a whole number from 0 to 10 (more would hold the lease for hours)."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f'"{value}" is not a number: give 0 to {MAX_RETRIES}') from None
    if not 0 <= n <= MAX_RETRIES:
        raise argparse.ArgumentTypeError(f"{n} is out of range: give 0 to {MAX_RETRIES}")
    return n


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser("docs", help="SharePoint documents", description="SharePoint documents")
    sub = p.add_subparsers(dest="docs_command", metavar="DOCS_COMMAND")
    sp = sub.add_parser(
        "sync",
        help="pull the SharePoint library now (first run: everything; then only changes)",
        description="Pull the SharePoint library now: the first run reads everything, "
        "later runs only the changes.",
    )
    sp.add_argument("--retries", type=retries, default=3, help="retries on 429/503 before stopping (0-10)")
    sp.add_argument("--quiet", action="store_true", help="no progress bar")
    sp.add_argument("--now", default=None, help=NOW_HELP)
    sp.set_defaults(func=cmd_docs_sync)

    def _help(_args: argparse.Namespace) -> int:
        p.print_help()
        return 2

    sw = sub.add_parser(
        "sweep",
        help="run the SharePoint permission sweep now (normally nightly) and print what changed",
        description="Read every item's permissions afresh (Graph's delta does not report a change of "
        "sharing alone) and apply what changed: newly restricted items lose their text, items that "
        "inherit again become searchable. The clock runs it every sharepoint.permission_sweep_hours.",
    )
    sw.add_argument("--retries", type=retries, default=3, help="retries on 429/503 before stopping (0-10)")
    sw.add_argument("--now", default=None, help=NOW_HELP)
    sw.set_defaults(func=cmd_docs_sweep)

    p.set_defaults(func=_help)
