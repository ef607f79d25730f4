"""/finding: add, list, show."""

from __future__ import annotations

from commands import permissions, resolve
from commands.actions import history_lines
from commands.common import finding_line, finding_snapshot, more_line, safeguard
from commands.context import Context, Subcommand
from commands.dates import format_datetime
from commands.errors import NotFound, UsageError
from commands.grammar import RAGS, check_text, fold_back, looks_like_date, parse, priority_for, ref_number
from commands.types import Reply
from store import items
from store.models import Finding

SUMMARY = "findings: what a panel, audit or case review found"

ADD = "/finding add <text> [agency <name>] [rag red|amber|green] [#priority] [meeting <date>] [escalate]"
LIST = "/finding list [agency <name>] [#priority] [red|amber|green]"
SHOW = "/finding show F-<n>"


def _rag(words: list[str]) -> tuple[str, int]:
    if not words or words[0].lower() not in RAGS:
        raise UsageError("The RAG rating is red, amber or green.", ADD)
    return words[0].lower(), 1


def add(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "record findings")
    p = parse(args, {"agency", "rag", "meeting"}, flags={"escalate"})
    if "meeting" in p.options and not looks_like_date(p.options["meeting"]):
        fold_back(p, "meeting")
    words = list(p.words)
    if p.mentions:
        raise UsageError("Findings have no owner; log an action for someone to follow up.", ADD)
    agency = None
    if "agency" in p.options:
        agency, used = resolve.agency(ctx, p.options["agency"], ADD)
        words += p.options["agency"][used:]
    rag = None
    if "rag" in p.options:
        rag, used = _rag(p.options["rag"])
        words += p.options["rag"][used:]
    meeting = None
    if "meeting" in p.options:
        meeting, used = resolve.meeting_on(ctx, p.options["meeting"], ADD)
        words += p.options["meeting"][used:]
    if len(p.tags) > 1:
        raise UsageError("Give one priority tag.", ADD)
    priority = priority_for(p.tags[0], ADD) if p.tags else None
    text = check_text(" ".join(words), "finding", ADD)
    safeguard(ctx, text, ADD)
    meeting = meeting or ctx.extras.get("meeting_today")
    finding = Finding(
        text=text,
        agency_id=agency.id if agency else None,
        priority=priority,
        rag=rag,
        meeting_id=meeting.id if meeting else None,
        escalate_to_board="escalate" in p.flags,
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
        data={"ref": f"F-{finding.id}"},
    )


def list_(ctx: Context, args: str) -> Reply:
    p = parse(args, {"agency"})
    f = items.FindingFilter(scope_agency_id=permissions.agency_scope(ctx.actor))
    title = "Findings"
    for w in (w.lower() for w in p.words):
        if w in RAGS:
            f.rag = w
            title += f" rated {w}"
        elif w not in ("all", "recent"):
            raise UsageError(f'"{w}" is not a filter I know.', LIST)
    if "agency" in p.options:
        agency, _ = resolve.agency(ctx, p.options["agency"], LIST)
        f.agency_id = agency.id
        title += f" for {agency.name}"
    if p.tags:
        f.priority = priority_for(p.tags[0], LIST)
        title += f" · {f.priority}"
    rows, total = items.list_findings(ctx.session, f)
    lines = [finding_line(x) for x in rows] or ["Nothing matches."]
    return Reply(title=f"{title} ({total})", lines=lines + more_line(len(rows), total))


def show(ctx: Context, args: str) -> Reply:
    toks = args.split()
    if len(toks) != 1:
        raise UsageError("Say which finding, e.g. F-3.", SHOW)
    n = ref_number(toks[0], "F", SHOW)
    f = items.get_finding(ctx.session, n)
    scope = permissions.agency_scope(ctx.actor)
    if f is None or (scope is not None and f.agency_id != scope):
        raise NotFound(f"There is no finding F-{n}.", SHOW)
    fields = [
        ("Agency", f.agency.name if f.agency else "—"),
        ("Priority", f.priority or "—"),
        ("RAG", (f.rag or "—").upper()),
        ("Recorded", format_datetime(f.created_at, ctx.tz)),
    ]
    if f.source_url:
        fields.append(("Source", f.source_url))
    lines = ["History:", *history_lines(ctx.session, "finding", f.id, ctx.tz)]
    return Reply(title=f"F-{f.id}: {f.text}", fields=fields, lines=lines)


SUBCOMMANDS = [
    Subcommand(
        "add",
        ADD,
        "/finding add Strategy meetings not always multi-agency agency Surrey Police rag amber #cp",
        "record a finding",
        add,
    ),
    Subcommand("list", LIST, "/finding list agency Surrey Police", "list findings", list_, aliases=("ls",)),
    Subcommand("show", SHOW, "/finding show F-3", "a finding with its history", show),
]
