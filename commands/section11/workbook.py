"""/s11 template <agency> and /s11 export <year> [cohort]: the Section 11 workbook handed out.

The template is the agency's own workbook for its open return (its standards, the scale with
descriptors, its answers so far or else last cycle's pre-filled, the structure locked, scores
offered as a list). The reply carries the file, as /qa report carries the Board report: the
chat platform attaches it, and with SharePoint configured the after-commit hook saves it in
the agency's Section 11 folder (`data["s11_workbook"]`), where the filled copy is read back
(commands/section11/workbook_import.py). The export is the whole cycle for the panel.
"""

from __future__ import annotations

import contextlib
import re
import uuid
from pathlib import Path

from pydantic import BaseModel

from commands import policy, resolve, scratch
from commands.context import Context
from commands.dates import format_datetime
from commands.documents import conventions
from commands.errors import FieldError, PermissionDenied, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import cycle_name, plural, possessive, settings
from commands.section11.reading import (
    MODEL,
    CycleChoice,
    agency_then,
    parse_cycle_choice,
    pick_cycle,
    return_of,
)
from commands.section11.workbook_data import Answer, ExportData, ExportRow, TemplateData
from commands.section11.workbook_import import ids_of
from commands.section11.workbook_shapes import scale_points, scale_title, sheets_of
from commands.types import Reply
from store import s11_scores
from store import section11 as s11
from store.models import S11Return, S11Score

TEMPLATE = "/s11 template <agency>"
EXPORT = "/s11 export <year> [statutory|non-statutory]"
_UNSAFE = re.compile(r'["*:<>?/\\|#%]')  # characters SharePoint refuses in a file name


class S11TemplateRequest(BaseModel):
    model_config = MODEL

    agency: str  # the agency's name (its distinctive words are enough)


def parse_template(ctx: Context, args: str) -> S11TemplateRequest:
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, TEMPLATE)
    if rest:
        raise UsageError(f'"{" ".join(rest)}" has no place after the agency.', TEMPLATE)
    return S11TemplateRequest(agency=agency.name)


def _answers(rows: list[S11Score], scale_label: dict[int, str]) -> dict[str, Answer]:
    return {
        r.sub: Answer(
            label=r.sub,
            self_score=scale_label.get(r.self_score) if r.self_score is not None else None,
            evidence=r.evidence,
            improvement=r.improvement,
            action=r.agency_action,
            deadline=r.action_deadline,
        )
        for r in rows
    }


def file_name(ret: S11Return) -> str:
    return _UNSAFE.sub("", f"Section 11 {ret.cycle.year} - {ret.agency.name}.xlsx")


@command(
    S11,
    "template",
    request=S11TemplateRequest,
    parse=parse_template,
    usage=TEMPLATE,
    example="/s11 template Surrey Police",
    summary="the agency's Section 11 workbook to fill in (the agency's people, chair, QA officer)",
)
def template(ctx: Context, req: S11TemplateRequest) -> Reply:
    from commands.section11 import standards as std_rules

    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, TEMPLATE)
    if not policy.is_officer(ctx.actor) and not policy.acts_for(ctx, agency.id):
        raise PermissionDenied(
            f"Only {possessive(agency.name)} own people, the QA officer or the chair can have its workbook."
        )
    writer = ctx.services.require_s11_template_writer()
    ret = return_of(ctx, agency, TEMPLATE)
    if ret.cycle.status != "open":
        raise UsageError(
            f"{cycle_name(ret.cycle)} is {ret.cycle.status}: there is no return to fill in.", TEMPLATE
        )
    cfg = settings(ctx.board)
    scale = std_rules.scale_of(cfg)
    labels = {sv.value: sv.label for sv in scale.values}
    rows = s11_scores.scores_for_return(ctx.session, ret.id)
    previous = s11_scores.previous_answers(ctx.session, agency.id, ret.cycle_id)
    # Answers carried forward at the launch and not yet confirmed are still last cycle's: they
    # are pre-filled from that cycle in full (its actions and deadlines too).
    carried = bool(rows) and all(r.source == "carried" for r in rows)
    current = _answers(rows, labels) if rows and not carried else {}
    prefill = current or _answers(previous, labels)
    last = previous[0].s11_return.cycle.year if previous else None
    previous_year = ret.cycle.year if current else last
    data = TemplateData(
        ids=ids_of(ctx, ret),
        scale_name=scale_title(scale),
        scale=scale_points(scale),
        standards=sheets_of(std_rules.standards_of(cfg)),
        previous={k: v for k, v in prefill.items() if v.self_score is not None or v.evidence},
        previous_year=previous_year,
        generated=format_datetime(ctx.now, ctx.tz),
    )
    name = file_name(ret)
    path = writer(data, _scratch(name))
    ctx.audit(
        "s11_return",
        ret.id,
        "workbook template written",
        None,
        {"file": name, "prefilled": len(data.previous)},
    )
    folder = [*conventions(ctx.board).section11_folder.split("/"), str(ret.cycle.year), agency.name]
    filled = (
        f"Pre-filled with {'your answers so far' if current else f'your {previous_year} answers'} "
        f"({plural(len(data.previous), 'question')}): confirm, update or change them."
        if data.previous
        else "Nothing is pre-filled: there are no earlier answers."
    )
    return Reply(
        title=f"{cycle_name(ret.cycle)} workbook: {agency.name}",
        lines=[
            f"Excel workbook: {name} — one sheet per standard; score each question from the list, "
            "give evidence as an https link or text, areas for improvement, your action and its deadline.",
            filled,
            f"When it is filled in, save it (as .xlsx, no password) in {'/'.join(folder)} in SharePoint: "
            "it is read there, every cell checked, and the outcome posted in your Section 11 thread.",
        ],
        files=[str(path)],
        visibility="channel",
        about_agencies=[agency.id],
        data={
            "return_id": ret.id,
            "file": str(path),
            # for the after-commit hook that saves the workbook in the agency's SharePoint folder
            "s11_workbook": {"folder": folder, "name": name, "return_id": ret.id},
        },
    )


def _scratch(name: str) -> Path:
    """A fresh folder of its own in the bot's private workbooks directory, so the file keeps the
    name people see (Slack shows the file's own name); folders of files older than a day, or
    already delivered and removed, are cleared out."""
    d = scratch.private_dir("workbooks")
    for sub in d.iterdir():
        if sub.is_dir() and not sub.is_symlink():
            scratch.sweep(sub)
            with contextlib.suppress(OSError):
                sub.rmdir()  # only when empty
    return d / uuid.uuid4().hex[:12] / name


class S11ExportRequest(CycleChoice):
    """Which cycle to export (a year is required: the export is for one cycle's panel)."""


def parse_export(ctx: Context, args: str) -> S11ExportRequest:
    if not args.split():
        raise FieldError("Say the year of the cycle, e.g. /s11 export 2027.", EXPORT, field="year")
    return parse_cycle_choice(S11ExportRequest, args, EXPORT)


def _may_export(ctx: Context) -> None:
    if policy.is_officer(ctx.actor):
        return
    panel = {p.lower() for p in settings(ctx.board).panel}
    if ctx.actor.handle.lower() in panel or (ctx.actor.file_key or "").lower() in panel:
        return
    raise PermissionDenied(
        "Only the chair, the QA officer or a member of the Section 11 panel can export the cycle."
    )


@command(
    S11,
    "export",
    request=S11ExportRequest,
    parse=parse_export,
    usage=EXPORT,
    example="/s11 export 2027",
    summary="the whole cycle as one workbook for the panel: self, moderated, gap, evidence",
    allowed=policy.board_members("export a Section 11 cycle"),
)
def export(ctx: Context, req: S11ExportRequest) -> Reply:
    from commands.section11 import standards as std_rules

    _may_export(ctx)
    writer = ctx.services.require_s11_export_writer()
    cycle = pick_cycle(ctx, req, EXPORT)
    cfg = settings(ctx.board)
    scale = std_rules.scale_of(cfg)
    standards = std_rules.standards_of(cfg)
    returns = s11.returns_of(ctx.session, cycle.id, policy.viewer(ctx))
    scores = {
        (r.return_id, r.sub): r
        for r in s11_scores.scores_for_cycle(ctx.session, cycle.id, policy.viewer(ctx))
    }
    rows: list[ExportRow] = []
    for ret in sorted(returns, key=lambda r: r.agency.name):
        for std in standards:
            for sub in std.subs:
                row = scores.get((ret.id, sub.label))
                own = row.self_score if row else None
                mod = row.moderated_score if row else None
                rows.append(
                    ExportRow(
                        agency=ret.agency.name,
                        label=sub.label,
                        standard=f"{std.id} {std.name}",
                        question=sub.text,
                        self_score=scale.label_of(own) if own is not None else None,
                        moderated=scale.label_of(mod) if mod is not None else None,
                        gap=scale.gap(own, mod) if own is not None and mod is not None else None,
                        evidence=row.evidence if row else None,
                        note=row.moderator_note if row else None,
                    )
                )
    data = ExportData(
        board=ctx.board.name,
        year=cycle.year,
        cohort=cycle.cohort,
        scale_name=scale_title(scale),
        scale=scale_points(scale),
        rows=tuple(rows),
        generated=format_datetime(ctx.now, ctx.tz),
    )
    name = _UNSAFE.sub("", f"Section 11 {cycle.year} {cycle.cohort} - panel.xlsx")
    path = writer(data, _scratch(name))
    ctx.audit("s11_cycle", cycle.id, "exported", None, {"file": name, "rows": len(rows)})
    scored = sum(r.self_score is not None for r in rows)
    gaps = sum(r.gap is not None and abs(r.gap) >= 1 for r in rows)
    return Reply(
        title=f"{cycle_name(cycle)}: the panel's workbook",
        lines=[
            f"Excel workbook: {name} — {len(returns)} agenc{'y' if len(returns) == 1 else 'ies'} × "
            f"{plural(len(rows) // max(len(returns), 1), 'question')}; "
            f"{scored} self-scored, {gaps} differing from the moderated score by a point or more.",
        ],
        files=[str(path)],
        visibility="channel",
        data={"cycle_id": cycle.id, "file": str(path), "rows": len(rows)},
    )
