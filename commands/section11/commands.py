"""/s11: launch a Section 11 cycle, follow its returns, grant extensions, rate, summarise."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy.exc import IntegrityError

from commands import permissions, resolve
from commands.common import action_line
from commands.context import Context, Subcommand
from commands.dates import at_local, deadline_note, format_date, local_date
from commands.errors import NotFound, PermissionDenied, UsageError
from commands.grammar import RAGS, parse, take_longest
from commands.section11 import schedule
from commands.section11.common import (
    cycle_name,
    effective_deadline,
    launch_post,
    plural,
    possessive,
    post_in_thread,
    reminder_time,
    return_snapshot,
    settings,
    status_text,
)
from commands.types import Reply
from store import items, members
from store import section11 as s11
from store.models import Agency, S11Cycle, S11Rating, S11Return

SUMMARY = "Section 11 audits: launch a cycle, chase returns, extensions, ratings, the panel"

LAUNCH = "/s11 launch <year> [statutory|non-statutory] deadline <date> [panel <date>]"
STATUS = "/s11 status [year] [statutory|non-statutory]"
EXTEND = "/s11 extend <agency> <date>"
REFUSE = "/s11 refuse <agency>"
RATE = "/s11 rate <agency> <standard number or words> <red|amber|green> [moderated]"
PANEL = "/s11 panel [year] [statutory|non-statutory]"
HELP = "/s11 help"

_COHORT_WORDS = {
    "statutory": schedule.STATUTORY,
    "non-statutory": schedule.NON_STATUTORY,
    "nonstatutory": schedule.NON_STATUTORY,
    "non_statutory": schedule.NON_STATUTORY,
}


def _year(token: str, usage: str) -> int:
    if not re.fullmatch(r"\d{4}", token) or not 2000 <= int(token) <= 2100:
        raise UsageError(f'"{token}" is not a year such as 2027.', usage)
    return int(token)


def _cohort(words: list[str], usage: str) -> str | None:
    if not words:
        return None
    key = "-".join(w.lower() for w in words)
    if key not in _COHORT_WORDS:
        raise UsageError(f'"{" ".join(words)}" is not a cohort: say statutory or non-statutory.', usage)
    return _COHORT_WORDS[key]


def _date(ctx: Context, words: list[str], what: str, usage: str) -> date:
    if not words:
        raise UsageError(f"Say the {what} date, e.g. {what} 04/05/2027.", usage)
    d, used = resolve.due_date(ctx, words, usage)
    if words[used:]:
        raise UsageError(f'"{" ".join(words[used:])}" is not part of the {what} date.', usage)
    return d


def _pick_cycle(ctx: Context, args: str, usage: str) -> S11Cycle:
    """The cycle named by `[year] [cohort]`, or the newest one."""
    words = args.split()
    if not words:
        found = s11.latest_cycle(ctx.session)
        if found is None:
            raise NotFound("No Section 11 cycle has been launched yet.", LAUNCH)
        return found
    year = _year(words[0], usage)
    cohort = _cohort(words[1:], usage)
    cycles = [c for c in s11.cycles_in_year(ctx.session, year) if cohort is None or c.cohort == cohort]
    if not cycles:
        raise NotFound(f"There is no {year}{' ' + cohort if cohort else ''} Section 11 cycle.", usage)
    if len(cycles) > 1:
        raise UsageError(f"{year} has two Section 11 cycles: say statutory or non-statutory.", usage)
    return cycles[0]


def _agency_then(ctx: Context, args: str, usage: str) -> tuple[Agency, list[str]]:
    """The agency named at the start of the arguments, and the words after it."""
    words = args.split()
    if not words:
        raise UsageError("Say which agency.", usage)
    found, used = take_longest(words, lambda s: resolve.agency_named(ctx, s), max_words=8)
    if found is None:
        names = "; ".join(a.name for a in members.all_agencies(ctx.session))
        raise NotFound(f'No agency matches "{" ".join(words)}". Agencies: {names}.', usage)
    return found, words[used:]


def _return_of(ctx: Context, agency: Agency, usage: str) -> S11Return:
    found = s11.latest_return_for_agency(ctx.session, agency.id)
    if found is None:
        raise NotFound(f"{agency.name} has no Section 11 return: it is not in a launched cycle.", usage)
    return found


def launch(ctx: Context, args: str) -> Reply:
    permissions.require_officer(ctx.actor, "launch a Section 11 cycle")
    p = parse(args, {"deadline", "panel"})
    if p.tags or p.mentions:
        raise UsageError(f'"{" ".join(p.tags + p.mentions)}" has no place in a launch.', LAUNCH)
    if not p.words:
        raise UsageError("Say the year of the cycle, e.g. /s11 launch 2027 deadline 04/05/2027.", LAUNCH)
    year = _year(p.words[0], LAUNCH)
    cfg = settings(ctx.board)
    cohort = _cohort(p.words[1:], LAUNCH) or schedule.cohort_for_year(year, cfg.statutory_years)
    if "deadline" not in p.options:
        raise UsageError("Say the deadline, e.g. deadline 04/05/2027.", LAUNCH)
    deadline = _date(ctx, p.options["deadline"], "deadline", LAUNCH)
    if deadline <= ctx.today:
        raise UsageError(f"The deadline {format_date(deadline)} is not in the future.", LAUNCH)
    panel = _date(ctx, p.options["panel"], "panel", LAUNCH) if "panel" in p.options else None
    if panel is not None and panel < deadline:
        raise UsageError(
            f"The panel ({format_date(panel)}) cannot meet before the deadline ({format_date(deadline)}).",
            LAUNCH,
        )
    existing = s11.cycle_for(ctx.session, year, cohort)
    if existing is not None:
        raise UsageError(
            f"The {year} {cohort} Section 11 cycle was already launched on "
            f"{format_date(local_date(existing.launched_at, ctx.tz))} "
            f"(deadline {format_date(existing.deadline)}); "
            f"it is not launched twice. See /s11 status {year}."
        )
    agencies = [a for a in members.all_agencies(ctx.session) if a.sector == cohort]
    if not agencies:
        raise UsageError(f"No active agency is in the {cohort} sector: nothing to launch.")
    cycle = S11Cycle(
        year=year,
        cohort=cohort,
        deadline=deadline,
        panel_date=panel,
        status="open",
        launched_at=ctx.now,
        launched_by_id=ctx.actor.id,
    )
    try:
        with ctx.session.begin_nested():  # a launch racing this one: same refusal as above
            ctx.session.add(cycle)
    except IntegrityError:
        raise UsageError(
            f"The {year} {cohort} Section 11 cycle has just been launched; see /s11 status {year}."
        ) from None
    days = [
        s.day
        for s in schedule.slots(deadline, cfg.reminder_days, weekly_after=False)
        if at_local(s.day, reminder_time(cfg), ctx.tz) > ctx.now
    ]
    for agency in agencies:
        ret = S11Return(cycle_id=cycle.id, agency_id=agency.id, status="not_started")
        ctx.session.add(ret)
        ctx.session.flush()
        post_in_thread(
            ctx,
            cycle.id,
            agency,
            ret.id,
            event="launch",
            kind="s11_launch",
            reply=launch_post(cycle, agency, cfg.standards, days),
        )
    snapshot = {
        "year": year,
        "cohort": cohort,
        "deadline": deadline.isoformat(),
        "panel_date": panel.isoformat() if panel else None,
        "agencies": [a.name for a in agencies],
    }
    ctx.audit("s11_cycle", cycle.id, "launched", None, snapshot)
    lines = [
        f"{plural(len(agencies), 'return')} opened: " + "; ".join(a.name for a in agencies) + ".",
        "Each agency has been sent the launch; reminders follow in its thread on "
        + (", ".join(format_date(d) for d in days) or "no date before the deadline")
        + (", then weekly until submitted." if cfg.weekly_after_deadline else "."),
    ] + [note for note in [deadline_note(deadline)] if note]
    return Reply(
        title=f"Launched {cycle_name(cycle)}: deadline {format_date(deadline)}",
        fields=[("Panel", format_date(panel))] if panel else [],
        lines=lines,
        visibility="channel",
        data={"cycle_id": cycle.id, "agencies": [a.name for a in agencies]},
    )


def status(ctx: Context, args: str) -> Reply:
    cycle = _pick_cycle(ctx, args, STATUS)
    returns = s11.returns_of(ctx.session, cycle.id)
    scope = permissions.agency_scope(ctx.actor)
    if scope is not None:
        returns = [r for r in returns if r.agency_id == scope]
        if not returns:
            return Reply(title=cycle_name(cycle), lines=["Your agency has no return in this cycle."])
    people = items.members_by_ids(ctx.session, {r.submitted_by_id for r in returns if r.submitted_by_id})
    lines = [f"{r.agency.name} — {status_text(r, ctx.today, ctx.tz, people)}" for r in returns]
    fields = [("Deadline", format_date(cycle.deadline))]
    if cycle.panel_date:
        fields.append(("Panel", format_date(cycle.panel_date)))
    if scope is None:
        done = sum(r.status == "submitted" for r in returns)
        fields.append(("Returns in", f"{done} of {len(returns)}"))
        if cycle.escalated_at:
            fields.append(("Escalated", format_date(local_date(cycle.escalated_at, ctx.tz))))
    return Reply(title=f"{cycle_name(cycle)} status", fields=fields, lines=lines)


def extend(ctx: Context, args: str) -> Reply:
    permissions.require_officer(ctx.actor, "grant a Section 11 extension")
    agency, rest = _agency_then(ctx, args, EXTEND)
    to = _date(ctx, rest, "extension", EXTEND)
    ret = _return_of(ctx, agency, EXTEND)
    cycle = ret.cycle
    if ret.status == "submitted":
        raise UsageError(
            f"{agency.name} has already submitted its {cycle.year} return; no extension is needed."
        )
    if to <= cycle.deadline:
        raise UsageError(
            f"An extension must run past the deadline ({format_date(cycle.deadline)}); "
            f"{format_date(to)} does not.",
            EXTEND,
        )
    if ret.status == "extension_granted" and ret.extension_granted_to == to:
        return Reply(title=f"{agency.name} already has an extension to {format_date(to)}")
    before = return_snapshot(ret)
    ret.extension_granted_to, ret.extension_granted_at, ret.status = to, ctx.now, "extension_granted"
    ctx.audit("s11_return", ret.id, "extension granted", before, return_snapshot(ret))
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"extension-granted:{to.isoformat()}",
        kind="s11_extension",
        reply=Reply(
            title=f"{cycle_name(cycle)}: extension granted to {format_date(to)}",
            lines=[
                f"@{ctx.actor.handle} granted {agency.name} an extension: the return is now due by "
                f"{format_date(to)} (the deadline was {format_date(cycle.deadline)}). "
                "Reminders will follow the new date.",
            ],
            visibility="channel",
        ),
    )
    return Reply(
        title=f"Extension granted: {agency.name} to {format_date(to)}",
        lines=[f"{agency.name} has been told in its Section 11 thread."]
        + [note for note in [deadline_note(to)] if note],
        visibility="channel",
        data={"agency": agency.name, "to": to.isoformat()},
    )


def refuse(ctx: Context, args: str) -> Reply:
    permissions.require_officer(ctx.actor, "refuse a Section 11 extension")
    agency, rest = _agency_then(ctx, args, REFUSE)
    if rest:
        raise UsageError(f'"{" ".join(rest)}" is not needed: just say which agency.', REFUSE)
    ret = _return_of(ctx, agency, REFUSE)
    cycle = ret.cycle
    if ret.status != "extension_requested" or ret.extension_requested_to is None:
        if ret.status == "extension_granted" and ret.extension_granted_to:
            raise UsageError(
                f"{possessive(agency.name)} extension was already granted to "
                f"{format_date(ret.extension_granted_to)}."
            )
        raise UsageError(f"{agency.name} has no extension request waiting.", REFUSE)
    asked = ret.extension_requested_to
    before = return_snapshot(ret)
    ret.status = "document_received" if ret.document_received_at else "not_started"
    ret.extension_requested_to = None
    ctx.audit("s11_return", ret.id, "extension refused", before, return_snapshot(ret))
    post_in_thread(
        ctx,
        cycle.id,
        agency,
        ret.id,
        event=f"extension-refused:{asked.isoformat()}",
        kind="s11_extension",
        reply=Reply(
            title=f"{cycle_name(cycle)}: extension to {format_date(asked)} refused",
            lines=[f"The return is still due by {format_date(effective_deadline(ret))}."],
            visibility="channel",
        ),
    )
    return Reply(
        title=f"Extension refused: {agency.name}",
        lines=[f"{agency.name} has been told in its Section 11 thread; the deadline stays."],
        visibility="channel",
    )


def _standard(standards: list[str], words: list[str]) -> str:
    text = " ".join(words).strip().rstrip(".")
    numbered = "; ".join(standards)
    if text.isdigit():
        n = int(text)
        for s in standards:
            m = re.match(r"^(\d+)\.", s)
            if m and int(m.group(1)) == n:
                return s
        if 1 <= n <= len(standards) and not any(re.match(r"^\d+\.", s) for s in standards):
            return standards[n - 1]
        raise UsageError(f"There is no standard {n}. The standards: {numbered}.", RATE)
    low = [w.lower() for w in words]
    matches = [s for s in standards if all(w in s.lower() for w in low)]
    if len(matches) == 1:
        return matches[0]
    problem = "matches several standards" if matches else "matches no standard"
    raise UsageError(f'"{" ".join(words)}" {problem}. The standards: {numbered}.', RATE)


def rate(ctx: Context, args: str) -> Reply:
    words = args.split()
    moderated = bool(words) and words[-1].lower() == "moderated"
    if moderated:
        words = words[:-1]
    if len(words) < 3 or words[-1].lower() not in RAGS:
        raise UsageError("Say the agency, the standard and red, amber or green.", RATE)
    rag = words[-1].lower()
    agency, rest = _agency_then(ctx, " ".join(words[:-1]), RATE)
    if not rest:
        raise UsageError("Say which standard, by its number or words from its name.", RATE)
    standard = _standard(settings(ctx.board).standards, rest)
    if moderated:
        permissions.require_officer(ctx.actor, "record the panel's moderated rating")
    elif not permissions.is_officer(ctx.actor) and ctx.actor.agency_id != agency.id:
        raise PermissionDenied(
            f"Only {possessive(agency.name)} own people, the QA officer or the chair "
            "can record its self-assessment."
        )
    ret = _return_of(ctx, agency, RATE)
    row = s11.rating(ctx.session, ret.id, standard)
    before = {"self_rag": row.self_rag, "moderated_rag": row.moderated_rag} if row else None
    if row is None:
        row = S11Rating(return_id=ret.id, standard=standard)
        ctx.session.add(row)
    if moderated:
        row.moderated_rag = rag
    else:
        row.self_rag = rag
    ctx.session.flush()
    after = {"self_rag": row.self_rag, "moderated_rag": row.moderated_rag}
    if after != before:
        ctx.audit("s11_rating", row.id, "rated", before, {"standard": standard, **after})
    which = "Moderated" if moderated else "Self-assessed"
    lines = [f"{agency.name} · {standard}: {_rag_pair(row)}"]
    return Reply(
        title=f"{which} {rag.upper()}: {agency.name}, {standard}",
        lines=lines,
        visibility="channel",
        data={"agency": agency.name, "standard": standard, "rag": rag, "moderated": moderated},
    )


def _rag_pair(r: S11Rating) -> str:
    self_ = (r.self_rag or "—").upper()
    mod = (r.moderated_rag or "—").upper()
    differs = r.self_rag and r.moderated_rag and r.self_rag != r.moderated_rag
    return f"self {self_} · moderated {mod}" + ("  ≠" if differs else "")


def panel(ctx: Context, args: str) -> Reply:
    permissions.require_board_member(ctx.actor, "see the Section 11 panel summary")
    cycle = _pick_cycle(ctx, args, PANEL)
    returns = s11.returns_of(ctx.session, cycle.id)
    ratings = s11.ratings_for(ctx.session, [r.id for r in returns])
    standards = settings(ctx.board).standards
    order = {s: i for i, s in enumerate(standards)}
    by_return: dict[int, list[S11Rating]] = {}
    for rt in sorted(ratings, key=lambda x: (order.get(x.standard, len(order)), x.standard)):
        by_return.setdefault(rt.return_id, []).append(rt)
    people = items.members_by_ids(ctx.session, {r.submitted_by_id for r in returns if r.submitted_by_id})
    submitted = [r for r in returns if r.status == "submitted"]
    lines = [f"Returns in: {len(submitted)} of {len(returns)}."]
    differ: list[str] = []
    for r in returns:
        lines.append(f"{r.agency.name} — {status_text(r, ctx.today, ctx.tz, people)}")
        rows = by_return.get(r.id, [])
        lines += [f"  {x.standard}: {_rag_pair(x)}" for x in rows] or ["  no ratings yet"]
        differ += [
            f"  {r.agency.name} · {x.standard}: self {(x.self_rag or '').upper()}, "
            f"moderated {(x.moderated_rag or '').upper()}"
            for x in rows
            if x.self_rag and x.moderated_rag and x.self_rag != x.moderated_rag
        ]
    lines.append("Where self-assessment and moderation differ:")
    lines += differ or ["  nowhere"]
    actions = s11.actions_for_cycle(
        ctx.session, [r.id for r in returns], [r.agency_id for r in returns], cycle.launched_at
    )
    lines.append("Actions raised:")
    lines += [f"  {action_line(a, ctx.today)}" for a in actions] or ["  none"]
    fields = [("Deadline", format_date(cycle.deadline))]
    if cycle.panel_date:
        fields.append(("Panel", format_date(cycle.panel_date)))
    return Reply(
        title=f"{cycle_name(cycle)}: summary for the scrutiny panel",
        fields=fields,
        lines=lines,
        data={"differ": len(differ), "returns_in": len(submitted)},
    )


def help_(ctx: Context, args: str) -> Reply:
    from commands.router import group_help

    return group_help("s11")


SUBCOMMANDS = [
    Subcommand(
        "launch",
        LAUNCH,
        "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027",
        "open a cycle for the year's cohort and send each agency its launch (chair or QA officer)",
        launch,
    ),
    Subcommand("status", STATUS, "/s11 status 2027", "where each agency's return stands", status),
    Subcommand(
        "extend",
        EXTEND,
        "/s11 extend Surrey Police 12/05/2027",
        "grant an agency an extension (chair or QA officer)",
        extend,
        aliases=("grant",),
    ),
    Subcommand("refuse", REFUSE, "/s11 refuse Surrey Police", "refuse an agency's extension request", refuse),
    Subcommand(
        "rate",
        RATE,
        "/s11 rate Surrey Police 3 amber",
        "record a self-assessed (or, with `moderated`, the panel's) RAG for a standard",
        rate,
    ),
    Subcommand("panel", PANEL, "/s11 panel 2027", "the cycle summarised for the scrutiny panel", panel),
    Subcommand("help", HELP, "/s11 help", "these commands, with examples", help_, hidden=True),
]
