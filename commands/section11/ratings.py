"""/s11 rate and /s11 panel: RAG ratings per standard (self-assessed by the agency, moderated
by the panel) and the cycle summarised for the scrutiny panel (built by `panel_reply`, a plain
function other views can call)."""

from __future__ import annotations

import re

from pydantic import BaseModel

from commands import policy, resolve
from commands.common import action_line
from commands.context import Context
from commands.dates import format_date
from commands.errors import FieldError, PermissionDenied, UsageError, about_field
from commands.fields import Rag
from commands.grammar import RAGS
from commands.groups import S11
from commands.registry import command
from commands.section11 import panel_chart, panel_view
from commands.section11.common import cycle_name, possessive, settings, status_text
from commands.section11.reading import (
    MODEL,
    PANEL,
    RATE,
    CycleChoice,
    agency_then,
    parse_cycle_choice,
    pick_cycle,
    return_of,
)
from commands.types import Reply
from store import items
from store import section11 as s11
from store.models import S11Cycle, S11Rating


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
        raise FieldError(f"There is no standard {n}. The standards: {numbered}.", RATE, field="standard")
    low = [w.lower() for w in words]
    matches = [s for s in standards if all(w in s.lower() for w in low)]
    if len(matches) == 1:
        return matches[0]
    problem = "matches several standards" if matches else "matches no standard"
    raise FieldError(f'"{" ".join(words)}" {problem}. The standards: {numbered}.', RATE, field="standard")


class S11RateRequest(BaseModel):
    """A RAG rating for one standard of an agency's return. Field names are the ones a
    FieldError names."""

    model_config = MODEL

    agency: str  # the agency's name (its distinctive words are enough)
    standard: str  # the standard's name, its number, or words from its name
    rag: Rag
    moderated: bool = False  # the panel's moderated rating, not the agency's own


def parse_rate(ctx: Context, args: str) -> S11RateRequest:
    words = args.split()
    moderated = bool(words) and words[-1].lower() == "moderated"
    if moderated:
        words = words[:-1]
    if len(words) < 3 or words[-1].lower() not in RAGS:
        raise UsageError("Say the agency, the standard and red, amber or green.", RATE)
    rag = words[-1].lower()
    with about_field("agency"):
        agency, rest = agency_then(ctx, " ".join(words[:-1]), RATE)
    if not rest:
        raise FieldError("Say which standard, by its number or words from its name.", RATE, field="standard")
    standard = _standard(settings(ctx.board).standard_titles(), rest)
    return S11RateRequest(agency=agency.name, standard=standard, rag=rag, moderated=moderated)


@command(
    S11,
    "rate",
    request=S11RateRequest,
    parse=parse_rate,
    usage=RATE,
    example="/s11 rate Surrey Police 3 amber",
    summary="record a self-assessed (or, with `moderated`, the panel's) RAG for a standard",
)
def rate(ctx: Context, req: S11RateRequest) -> Reply:
    # Who may rate depends on the agency and on `moderated`, so it is checked here.
    rag, moderated = req.rag, req.moderated
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, RATE)
    standards = settings(ctx.board).standard_titles()
    standard = req.standard if req.standard in standards else _standard(standards, req.standard.split())
    if moderated:
        policy.require_officer(ctx.actor, "record the panel's moderated rating")
    elif not policy.is_officer(ctx.actor) and not policy.acts_for(ctx, agency.id):
        raise PermissionDenied(
            f"Only {possessive(agency.name)} own people, the QA officer or the chair "
            "can record its self-assessment."
        )
    ret = return_of(ctx, agency, RATE)
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
        about_agencies=policy.about(agency.id),
        data={"agency": agency.name, "standard": standard, "rag": rag, "moderated": moderated},
    )


def _rag_pair(r: S11Rating) -> str:
    self_ = (r.self_rag or "—").upper()
    mod = (r.moderated_rag or "—").upper()
    differs = r.self_rag and r.moderated_rag and r.self_rag != r.moderated_rag
    return f"self {self_} · moderated {mod}" + ("  ≠" if differs else "")


class S11PanelRequest(CycleChoice):
    """Which cycle to summarise (the newest when no year is given); `agenda` puts the agenda
    order on the cycle's panel meeting."""

    agenda: bool = False


def parse_panel(ctx: Context, args: str) -> S11PanelRequest:
    words = args.split()
    agenda = bool(words) and words[-1].lower() == "agenda"
    choice = parse_cycle_choice(S11PanelRequest, " ".join(words[:-1] if agenda else words), PANEL)
    return choice.model_copy(update={"agenda": agenda})


@command(
    S11,
    "panel",
    request=S11PanelRequest,
    parse=parse_panel,
    usage=PANEL,
    example="/s11 panel 2027",
    summary="the cycle for the scrutiny panel: returns, self vs moderated matrix, agenda order, chart "
    "(`agenda`: onto the panel meeting)",
    allowed=policy.board_members("see the Section 11 panel summary"),
)
def panel(ctx: Context, req: S11PanelRequest) -> Reply:
    cycle = pick_cycle(ctx, req, PANEL)
    reply = panel_view.extend(ctx, cycle, panel_reply(ctx, cycle), agenda=req.agenda)
    return panel_chart.attach(ctx, reply, panel_chart.cycle_chart(ctx, cycle, policy.viewer(ctx)))


def panel_reply(ctx: Context, cycle: S11Cycle) -> Reply:
    """The cycle for the scrutiny panel: each return, its ratings, where they differ, actions."""
    returns = s11.returns_of(ctx.session, cycle.id, policy.viewer(ctx))
    ratings = s11.ratings_for(ctx.session, [r.id for r in returns])
    standards = settings(ctx.board).standard_titles()
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
