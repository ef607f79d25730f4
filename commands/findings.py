"""/finding: add, list, show."""

from __future__ import annotations

from datetime import date
from typing import cast

from pydantic import BaseModel, ConfigDict

from commands import people, policy, resolve
from commands.actions import history_lines
from commands.common import finding_line, finding_snapshot, more_line, safeguard
from commands.context import Context
from commands.dates import format_datetime
from commands.errors import FieldError, NotFound, UsageError, about_field
from commands.fields import FindingRef, Priority, Rag, RagValue
from commands.grammar import RAGS, check_text, fold_back, looks_like_date, parse, priority_for, ref_number
from commands.groups import FINDING
from commands.registry import command
from commands.types import Reply
from store import items
from store.models import Finding

ADD = "/finding add <text> [agency <name>] [rag red|amber|green] [#priority] [meeting <date>] [escalate]"
LIST = "/finding list [agency <name>] [#priority] [red|amber|green]"
SHOW = "/finding show F-<n>"

_MODEL = ConfigDict(frozen=True, extra="forbid")


class FindingAddRequest(BaseModel):
    """A finding to record. Field names are the ones a FieldError names."""

    model_config = _MODEL

    text: str
    agency: str | None = None  # the agency's name (its distinctive words are enough)
    rag: Rag | None = None
    priority: Priority | None = None
    meeting: date | None = None  # the day of the meeting that found it
    escalate: bool = False  # to be escalated to the Board


def parse_add(ctx: Context, args: str) -> FindingAddRequest:
    p = parse(args, {"agency", "rag", "meeting"}, flags={"escalate"})
    if "meeting" in p.options and not looks_like_date(p.options["meeting"]):
        fold_back(p, "meeting")
    for i in reversed(range(len(p.mentions))):  # people named in a finding are part of its text
        p.unmention(i, people.as_text(ctx, p.mentions[i]))
    used: dict[str, int] = {}
    agency = resolve.agency_option(ctx, p, used, ADD)
    rag = None
    if "rag" in p.options:
        words = p.options["rag"]
        if not words or words[0].lower() not in RAGS:
            raise FieldError("The RAG rating is red, amber or green.", ADD, field="rag")
        rag, used["rag"] = words[0].lower(), 1
    meeting = resolve.meeting_option(ctx, p, used, ADD)
    priority = resolve.one_priority(p, ADD)
    return FindingAddRequest(
        text=p.free_text(used),
        agency=agency,
        rag=cast(RagValue, rag),  # one of RAGS, checked above
        priority=priority,
        meeting=meeting,
        escalate="escalate" in p.flags,
    )


@command(
    FINDING,
    "add",
    request=FindingAddRequest,
    parse=parse_add,
    usage=ADD,
    example="/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber #cp",
    summary="record a finding",
    allowed=policy.board_members("record findings"),
)
def add(ctx: Context, req: FindingAddRequest) -> Reply:
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, ADD) if req.agency else None
    with about_field("meeting"):
        meeting = resolve.meeting_of_day(ctx, req.meeting, ADD) if req.meeting else None
    with about_field("text"):
        text = check_text(req.text, "finding", ADD)
        safeguard(ctx, text, ADD)
    meeting = meeting or ctx.extras.get("meeting_today")
    finding = Finding(
        text=text,
        agency_id=agency.id if agency else None,
        priority=req.priority,
        rag=req.rag,
        meeting_id=meeting.id if meeting else None,
        escalate_to_board=req.escalate,
        source=ctx.inbound.platform,
        source_url=ctx.inbound.source_url,
        created_at=ctx.now,
        created_by_id=ctx.actor.id,
    )
    ctx.session.add(finding)
    ctx.session.flush()
    finding.agency = agency
    ctx.audit("finding", finding.id, "created", None, finding_snapshot(finding))
    return Reply(
        title=f"Logged F-{finding.id}",
        lines=[finding_line(finding)],
        visibility="channel",
        about_agencies=policy.about(finding.agency_id),
        data={"ref": f"F-{finding.id}"},
    )


class FindingListRequest(BaseModel):
    """Which findings to list. Field names are the ones a FieldError names."""

    model_config = _MODEL

    rag: Rag | None = None
    agency: str | None = None  # the agency's name (its distinctive words are enough)
    priority: Priority | None = None


def parse_list(ctx: Context, args: str) -> FindingListRequest:
    p = parse(args, {"agency"})
    rag = None
    for w in (w.lower() for w in p.words):
        if w in RAGS:
            rag = w
        elif w not in ("all", "recent"):
            raise UsageError(f'"{w}" is not a filter I know.', LIST)
    agency = None
    if "agency" in p.options:
        with about_field("agency"):
            agency = resolve.agency(ctx, p.options["agency"], LIST)[0].name
    with about_field("priority"):
        priority = priority_for(p.tags[0], LIST) if p.tags else None
    return FindingListRequest(rag=cast(RagValue, rag), agency=agency, priority=priority)


@command(
    FINDING,
    "list",
    request=FindingListRequest,
    parse=parse_list,
    usage=LIST,
    example="/finding list agency Surrey Police",
    summary="list findings",
    aliases=("ls",),
)
def list_(ctx: Context, req: FindingListRequest) -> Reply:
    f = items.FindingFilter(policy.viewer(ctx))
    title = "Findings"
    if req.rag is not None:
        f.rag = req.rag
        title += f" rated {req.rag}"
    if req.agency is not None:
        with about_field("agency"):
            agency = resolve.agency_called(ctx, req.agency, LIST)
        f.agency_id = agency.id
        title += f" for {agency.name}"
    if req.priority is not None:
        f.priority = req.priority
        title += f" · {f.priority}"
    rows, total = items.list_findings(ctx.session, f)
    lines = [finding_line(x) for x in rows] or ["Nothing matches."]
    return Reply(title=f"{title} ({total})", lines=lines + more_line(len(rows), total))


class FindingShowRequest(BaseModel):
    model_config = _MODEL

    ref: FindingRef


def parse_show(ctx: Context, args: str) -> FindingShowRequest:
    toks = args.split()
    if len(toks) != 1:
        raise UsageError("Say which finding, e.g. F-3.", SHOW)
    with about_field("ref"):
        return FindingShowRequest(ref=ref_number(toks[0], "F", SHOW))


@command(
    FINDING,
    "show",
    request=FindingShowRequest,
    parse=parse_show,
    usage=SHOW,
    example="/finding show F-3",
    summary="a finding with its history",
)
def show(ctx: Context, req: FindingShowRequest) -> Reply:
    n = req.ref
    f = items.get_finding(ctx.session, n, policy.viewer(ctx))
    if f is None:
        raise NotFound(f"There is no finding F-{n}.", SHOW)
    fields = [
        ("Agency", f.agency.name if f.agency else "—"),
        ("Priority", f.priority or "—"),
        ("RAG", (f.rag or "—").upper()),
        ("Recorded", format_datetime(f.created_at, ctx.tz)),
    ]
    if f.source_url:
        fields.append(("Source", f.source_url))
    if f.withdrawn_at is not None:
        fields.append(("Withdrawn", f"{format_datetime(f.withdrawn_at, ctx.tz)}: {f.withdrawn_reason}"))
    if f.legal_hold:
        fields.append(("Legal hold", "kept by retention purges"))
    lines = ["History:", *history_lines(ctx.session, "finding", f.id, ctx.tz)]
    return Reply(title=f"F-{f.id}: {f.text}", fields=fields, lines=lines)
