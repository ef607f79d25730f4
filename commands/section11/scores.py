"""/s11 score: an agency's self-assessed score for one sub-question (`1.1`), with its evidence
and areas for improvement, recorded in chat. The same save (`record_self`) serves the form.

A change after the return was submitted is audited old → new and the QA officer is told once
in the QA channel. A carried answer (from the agency's last cycle) given the same score is
confirmed and keeps its evidence; given a new score, last cycle's evidence is dropped and new
evidence asked for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from pydantic import BaseModel

from commands import policy, posting, resolve
from commands.context import Context
from commands.errors import FieldError, PermissionDenied, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.common import cycle_name, possessive, settings
from commands.section11.form_steps import DATA_KEY, step_for
from commands.section11.reading import MODEL, agency_then, return_of
from commands.section11.score_action import (
    action_line,
    check_action,
    deadline_of,
    free_text,
    option_text,
    split_deadline,
    split_options,
)
from commands.section11.standards import NotOnScale, Scale, UnknownSub, find_sub, scale_of, standards_of
from commands.types import Reply
from store import s11_scores
from store.models import Agency, S11Return, S11Score

SCORE = (
    "/s11 score <agency> <std.sub> <score> [evidence <link or text>] [note <areas for improvement>] "
    "[action <the agency's action> [by <date>]]"
)
FORM_DONE = "/s11 status shows what is answered, carried and missing."


class S11ScoreRequest(BaseModel):
    """An agency's own score for one sub-question. Field names are the ones a FieldError names."""

    model_config = MODEL

    agency: str  # the agency's name (its distinctive words are enough)
    sub: str  # the sub-question's label, "1.1"
    score: int  # the value on the board's scale (rag: 1 red, 2 amber, 3 green)
    evidence: str | None = None  # a SharePoint/https link, or text
    note: str | None = None  # areas for improvement
    action: str | None = None  # the agency's own action for this sub-question
    deadline: date | None = None  # when the action is due (only with an action)
    form: bool = False  # sent by the form (/s11 form): the reply carries the next step


def sub_label(ctx: Context, label: str, usage: str) -> str:
    """The board's sub-question a label names, or a FieldError listing the valid labels."""
    try:
        return find_sub(standards_of(settings(ctx.board)), label)[1].label
    except UnknownSub as e:
        raise FieldError(str(e), usage, field="sub") from None


def score_value(scale: Scale, text: str, usage: str) -> int:
    try:
        return scale.parse(text)
    except NotOnScale as e:
        raise FieldError(str(e), usage, field="score") from None


def parse_score(ctx: Context, args: str) -> S11ScoreRequest:
    head, options = split_options(args)
    if len(head) < 3:
        raise UsageError("Say the agency, the sub-question (such as 1.1) and the score.", SCORE)
    with about_field("agency"):
        agency, rest = agency_then(ctx, " ".join(head), SCORE)
    if len(rest) < 2:
        raise UsageError("Say the sub-question (such as 1.1) and then the score.", SCORE)
    sub = sub_label(ctx, rest[0], SCORE)
    value = score_value(scale_of(settings(ctx.board)), " ".join(rest[1:]), SCORE)
    action_words, by_words = split_deadline(options.get("action") or [])
    if "by" in options:
        by_words = [t for t, _ in options["by"]]
    texts = {"evidence": option_text(options.get("evidence")), "note": option_text(options.get("note"))}
    texts["action"] = option_text(action_words) if "action" in options else None
    for key, text in texts.items():
        if text is not None and not text.strip():
            raise FieldError(f"Say what comes after `{key}`.", SCORE, field=key)
    deadline = deadline_of(ctx, by_words, SCORE) if by_words is not None else None
    check_action(ctx, texts["action"], deadline, SCORE)
    return S11ScoreRequest(
        agency=agency.name,
        sub=sub,
        score=value,
        evidence=texts["evidence"],
        note=texts["note"],
        action=texts["action"],
        deadline=deadline,
    )


def may_self_assess(ctx: Context, agency: Agency) -> None:
    if not policy.is_officer(ctx.actor) and not policy.acts_for(ctx, agency.id):
        raise PermissionDenied(
            f"Only {possessive(agency.name)} own people, the QA officer or the chair "
            "can record its self-assessment."
        )


def open_return(ctx: Context, agency: Agency, usage: str) -> S11Return:
    ret = return_of(ctx, agency, usage)
    if ret.cycle.status == "cancelled":
        raise UsageError(f"{cycle_name(ret.cycle)} was cancelled: {agency.name}'s return is closed.", usage)
    return ret


@dataclass(frozen=True)
class Recorded:
    """What a self-assessment save did, for the reply (the command's, or the form's step)."""

    row: S11Score
    previous: int | None
    carried_year: int | None  # the row was a carried answer from this cycle's year
    confirmed: bool  # a carried answer kept as it was
    evidence_dropped: bool  # a carried answer changed: last cycle's evidence no longer applies
    qa_told: bool


def record_self(
    ctx: Context,
    ret: S11Return,
    sub: str,
    score: int,
    *,
    evidence: str | None,
    note: str | None,
    source: s11_scores.Source,
    action: str | None = None,
    deadline: date | None = None,
) -> Recorded:
    """Saves one self-assessment (texts already through the guard), audits it, and tells the
    QA officer when it changes a submitted return."""
    before = s11_scores.score_for(ctx.session, ret.id, sub)
    carried = before is not None and before.source == "carried"
    carried_year = before.carried_from.year if before is not None and before.carried_from else None
    changed_carried = carried and before is not None and before.self_score != score
    if changed_carried and before is not None and evidence == before.evidence:
        evidence = None  # the form sends the carried evidence back as it showed it: not new
    saved = s11_scores.save_self(
        ctx.session,
        ret.id,
        sub,
        score,
        by_id=ctx.actor.id,
        at=ctx.now,
        source=source,
        evidence=evidence,
        improvement=note,
        agency_action=action,
        action_deadline=deadline,
        drop_evidence=changed_carried and evidence is None,
    )
    told = False
    if saved.changed:
        ctx.audit("s11_score", saved.row.id, "self_scored", saved.before, {"sub": sub, **saved.after})
        was = saved.before or {}
        new_action = any(was.get(f) != saved.after[f] for f in ("agency_action", "action_deadline"))
        if ret.status == "submitted" and (saved.previous_self != score or new_action):
            told = _tell_qa(ctx, ret, saved.row, saved.previous_self, new_action)
    return Recorded(
        row=saved.row,
        previous=saved.previous_self,
        carried_year=carried_year if carried else None,
        confirmed=carried and not changed_carried,
        evidence_dropped=changed_carried and evidence is None,
        qa_told=told,
    )


def _tell_qa(ctx: Context, ret: S11Return, row: S11Score, previous: int | None, new_action: bool) -> bool:
    if ctx.actor.role == policy.QA:
        return False  # the QA officer made the change: nobody else to tell
    scale = scale_of(settings(ctx.board))
    old = scale.describe(previous).split(" — ")[0] if previous is not None else "no score"
    new = scale.describe(row.self_score).split(" — ")[0] if row.self_score is not None else "no score"
    who = f"{ctx.actor.name} (@{ctx.actor.handle})"
    lines = [f"{cycle_name(ret.cycle)} · {row.sub}: {old} → {new}, by {who}."]
    if new_action:
        lines.append(action_line(row.agency_action, row.action_deadline) or "Agency action: none")
    reply = Reply(
        title=f"{ret.agency.name} changed a score of its submitted Section 11 return",
        lines=[*lines, "The change is in the audit log. See /s11 status for the return."],
        visibility="channel",
        data={"agency": ret.agency.name, "sub": row.sub, "before": previous, "after": row.self_score},
    )
    key = f"s11-score-change:{row.id}:{ctx.now.isoformat()}:{row.self_score}:{row.action_deadline}"
    posting.to_channel(ctx, "qa", key=key, kind="s11_score_change", reply=reply)
    return True


def recorded_lines(ctx: Context, rec: Recorded, usage_hint: str) -> list[str]:
    """What was recorded, in words: the score and its descriptor, the evidence, the note."""
    scale = scale_of(settings(ctx.board))
    row = rec.row
    _, sub = find_sub(standards_of(settings(ctx.board)), row.sub)
    lines = [f"{row.sub} {sub.text}"]
    if row.self_score is not None:
        lines.append(f"Self-assessed: {scale.describe(row.self_score)}")
    if rec.confirmed:
        lines.append(f"Confirmed the answer carried from {rec.carried_year}.")
    elif rec.carried_year is not None:
        lines.append(f"Changed from the answer carried from {rec.carried_year}.")
    if rec.evidence_dropped:
        lines.append(
            f"{rec.carried_year}'s evidence was for the old score, so it was not kept: "
            f"add new evidence with {usage_hint} evidence <link>."
        )
    elif row.evidence:
        lines.append(f"Evidence kept: {row.evidence}")
    else:
        lines.append(f"No evidence yet: add it with {usage_hint} evidence <link>.")
    if row.improvement:
        lines.append(f"Areas for improvement: {row.improvement}")
    if (line := action_line(row.agency_action, row.action_deadline)) is not None:
        lines.append(line)
    if rec.qa_told:
        lines.append(
            "The return was already submitted: the change is audited and the QA officer has been told."
        )
    return lines


@command(
    S11,
    "score",
    request=S11ScoreRequest,
    parse=parse_score,
    usage=SCORE,
    example=(
        "/s11 score Surrey Police 1.1 1 evidence https://sp.example/p-1-1.docx "
        "action Minute reports by 30/06/2027"
    ),
    summary=(
        "record the agency's own score for a sub-question, with evidence, areas for improvement "
        "and its own action"
    ),
)
def score(ctx: Context, req: S11ScoreRequest) -> Reply:
    # Who may score depends on the agency, so it is checked here.
    with about_field("agency"):
        agency = resolve.agency_called(ctx, req.agency, SCORE)
    may_self_assess(ctx, agency)
    sub = sub_label(ctx, req.sub, SCORE)
    scale = scale_of(settings(ctx.board))
    try:
        scale.value(req.score)
    except NotOnScale as e:
        raise FieldError(str(e), SCORE, field="score") from None
    evidence = free_text(ctx, req.evidence, "evidence", "evidence", SCORE)
    note = free_text(ctx, req.note, "note", "note", SCORE)
    action = free_text(ctx, req.action, "agency action", "action", SCORE)
    check_action(ctx, action, req.deadline, SCORE)
    ret = open_return(ctx, agency, SCORE)
    rec = record_self(
        ctx,
        ret,
        sub,
        req.score,
        evidence=evidence,
        note=note,
        action=action,
        deadline=req.deadline,
        source="form" if req.form else "chat",
    )
    hint = f"/s11 score {agency.name} {sub} {scale.label_of(req.score)}"
    lines = recorded_lines(ctx, rec, hint)
    data: dict[str, object] = {"agency": agency.name, "sub": sub, "score": req.score, "qa_told": rec.qa_told}
    if req.form:  # saved as the form goes: the next step comes with the answer
        step = step_for(ctx, ret, sub)
        if step.next is not None:
            data[DATA_KEY] = step_for(ctx, ret, step.next).model_dump(mode="json")
        else:
            lines.append(f"That was the last sub-question of the form. {FORM_DONE}")
    return Reply(
        title=f"Recorded: {agency.name} {sub} — {scale.describe(req.score).split(' — ')[0]}",
        lines=lines,
        visibility="channel",
        about_agencies=policy.about(agency.id),
        data=data,
    )
