"""/qa pack inspection [from <date>] and /qa annual-report <year>: the chair's Board papers as
Word documents. The asker gets the file; when the board's SharePoint library is connected the
file is saved to its papers folder after the command commits (integrations/sharepoint/upload.py
reads `Reply.data["board_paper"]`); when the QA officer writes one, the chair is told in a DM."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from commands import policy, posting, scratch
from commands.context import Context
from commands.dates import format_date, parse_date
from commands.errors import FieldError, UsageError, about_field
from commands.groups import QA
from commands.papers import annual, inspection
from commands.papers.model import Paper
from commands.papers.period import EARLIEST_YEAR, current_start_year, default_from, read_year, year_label
from commands.registry import command, no_thread_reply
from commands.types import Reply
from store import members as member_store

PACK = "/qa pack inspection [from <date>]"
ANNUAL = "/qa annual-report <year>"
NOTICE = "board_paper"
no_thread_reply(NOTICE, "a note to the chair that a Board paper was written; replies are conversation")

_MODEL = ConfigDict(frozen=True, extra="forbid")


class PackRequest(BaseModel):
    """Which pack (only the inspection-readiness pack so far) and the day its record starts
    (None: twelve months before today)."""

    model_config = _MODEL

    pack: Literal["inspection"] = "inspection"
    since: date | None = None


def parse_pack(ctx: Context, args: str) -> PackRequest:
    words = args.split()
    if not words or words[0].lower() != "inspection":
        got = f'"{words[0]}" is not a pack I can write: ' if words else ""
        raise FieldError(got + "say /qa pack inspection [from <date>].", PACK, field="pack")
    rest = words[1:]
    if not rest:
        return PackRequest()
    if rest[0].lower() != "from" or len(rest) < 2:
        raise FieldError(
            f'"{" ".join(rest)}" is not part of the command: say from <date>.', PACK, field="since"
        )
    with about_field("since"):
        since = parse_date(" ".join(rest[1:]), ctx.now, ctx.tz, direction="backward", usage=PACK)
    return PackRequest(since=since)


class AnnualReportRequest(BaseModel):
    """The reporting year, by the calendar year it starts in (2026: April 2026 to March 2027
    on the default April year)."""

    model_config = _MODEL

    year: int


def parse_annual(ctx: Context, args: str) -> AnnualReportRequest:
    if not args.strip():
        start = current_start_year(ctx.board, ctx.today)
        raise FieldError(
            f"Say which reporting year, e.g. /qa annual-report {start} for {year_label(ctx.board, start)}.",
            ANNUAL,
            field="year",
        )
    return AnnualReportRequest(year=read_year(args, ctx.board, ctx.today, ANNUAL))


def papers_folder(ctx: Context) -> list[str]:
    """Where in SharePoint the papers are saved: the board file's `sharepoint: {papers_folder}`."""
    folder = ((ctx.board.config or {}).get("sharepoint") or {}).get("papers_folder") or "Board papers"
    return [p for p in str(folder).split("/") if p]


def _write(ctx: Context, paper: Paper) -> Path:
    writer = ctx.services.require_paper_writer()
    d = scratch.private_dir("reports")
    scratch.sweep(d)
    return writer(paper, d / f"{paper.file_stem}-{uuid.uuid4().hex[:6]}.docx")


def _deliver(ctx: Context, paper: Paper, path: Path, lines: list[str], name: str) -> Reply:
    """The reply with the file (to the asker only: the papers hold every agency's record and
    the rapid reviews), the chair told when someone else wrote it, and the audit entry."""
    ctx.audit(
        "board_paper", None, "written", None, {"kind": paper.kind, "file": path.name, "title": paper.title}
    )
    if ctx.actor.role != policy.CHAIR:
        note = Reply(
            title=f"{paper.title} written",
            lines=[
                f"{ctx.actor.name} (@{ctx.actor.handle}) wrote the {paper.title.lower()} for "
                f"{paper.head.board} ({paper.subtitle.rstrip('.')}).",
                f"Ask them for the Word document ({name}), or find it in the board's SharePoint folder "
                f"{'/'.join(papers_folder(ctx))} when the library is connected.",
            ],
        )
        request = ctx.inbound.delivery_key or ctx.inbound.message_id or uuid.uuid4().hex
        for chair in member_store.by_role(ctx.session, policy.CHAIR):
            posting.to_member(
                ctx, chair, key=f"{NOTICE}:{paper.file_stem}:{chair.id}:{request}", kind=NOTICE, reply=note
            )
    return Reply(
        title=paper.title,
        lines=[*lines, f"Word document: {path.name}"],
        files=[str(path)],
        visibility="ephemeral",
        data={
            "file": str(path),
            "board_paper": {"folder": papers_folder(ctx), "name": name},
            "kind": paper.kind,
        },
    )


@command(
    QA,
    "pack",
    request=PackRequest,
    parse=parse_pack,
    usage=PACK,
    example="/qa pack inspection from 01/04/2026",
    summary="the inspection-readiness pack as a Word document (chair, QA officer)",
    allowed=policy.officers("write the inspection-readiness pack"),
)
def pack(ctx: Context, req: PackRequest) -> Reply:
    since = req.since or default_from(ctx.today)
    if since > ctx.today:
        raise FieldError(
            f"{format_date(since)} is in the future: the pack covers the record up to today.",
            PACK,
            field="since",
        )
    if since.year < EARLIEST_YEAR:
        raise FieldError(f"{format_date(since)} is before the board's record.", PACK, field="since")
    paper = inspection.collect(ctx, policy.viewer(ctx), since)
    path = _write(ctx, paper)
    return _deliver(
        ctx, paper, path, inspection.chat_lines(paper, since), f"Inspection pack {ctx.today.isoformat()}.docx"
    )


@command(
    QA,
    "annual-report",
    request=AnnualReportRequest,
    parse=parse_annual,
    usage=ANNUAL,
    example="/qa annual-report 2026",
    summary="the annual report's draft sections as a Word document (chair, QA officer)",
    allowed=policy.officers("write the annual report draft"),
)
def annual_report(ctx: Context, req: AnnualReportRequest) -> Reply:
    try:
        read_year(str(req.year), ctx.board, ctx.today, ANNUAL)  # a form's year is checked as a typed one
    except UsageError as e:
        raise FieldError(e.problem, ANNUAL, field="year") from None
    paper = annual.collect(ctx, policy.viewer(ctx), req.year)
    path = _write(ctx, paper)
    label = year_label(ctx.board, req.year)
    lines = [paper.subtitle, "Sections: " + ", ".join(s.heading for s in paper.sections[1:]) + "."]
    return _deliver(ctx, paper, path, lines, f"Annual report {label} draft.docx")
