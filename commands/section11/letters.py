"""/s11 letters <year> [agency]: after moderation, one Word feedback letter per agency.

For each return of the year's cycles (or the one agency's) whose moderation is recorded (at
least one moderated score): the actions agreed become tracked actions (letter_actions.py), the
letter is written by the letter writer the wiring hands the core (`ctx.services`), attached to
the reply, posted in the agency's Section 11 thread (its scores, commentary and actions), and
listed in `Reply.data["s11_letters"]` with the agency's Section 11 folder, so the SharePoint
saver files it there after the transaction (integrations/sharepoint/letter_upload.py) and the
link follows in the thread (bot/letter_links.py). Returns not yet moderated are listed as such.
"""

from __future__ import annotations

import uuid
from typing import Any

from pydantic import BaseModel

from commands import guard, policy, resolve, scratch
from commands.common import board_vocabulary
from commands.context import Context, Scope
from commands.documents import conventions
from commands.errors import NotFound, UsageError, about_field
from commands.groups import S11
from commands.ports import ReportWriter
from commands.registry import command
from commands.section11 import letter_actions, letter_content
from commands.section11.common import attention_line, plural, post_in_thread
from commands.section11.letter_data import LetterData, letter_name
from commands.section11.reading import MODEL, Year, year_of
from commands.types import Reply
from store import s11_scores
from store import section11 as s11
from store.models import S11Return, S11Score

LETTERS = "/s11 letters <year> [agency]"
KIND = "s11_letter"


class S11LettersRequest(BaseModel):
    """Which cycle year's letters, and for one agency or every moderated one."""

    model_config = MODEL

    year: Year
    agency: str | None = None


def parse_letters(ctx: Context, args: str) -> S11LettersRequest:
    words = args.split()
    if not words:
        raise UsageError("Say the year of the cycle, e.g. /s11 letters 2027.", LETTERS)
    year = year_of(words[0], LETTERS)
    if not words[1:]:
        return S11LettersRequest(year=year)
    with about_field("agency"):
        agency = resolve.agency_called(ctx, " ".join(words[1:]), LETTERS)
    return S11LettersRequest(year=year, agency=agency.name)


def _unsafe(ctx: Context, scores: list[S11Score]) -> str | None:
    """The first note or action that the guard would refuse (they go into a document and a
    post), in words; None when all are clear."""
    vocabulary = board_vocabulary(ctx.session)
    for s in scores:
        for what, text in (("moderator's note", s.moderator_note), ("agency action", s.agency_action)):
            if text and (hits := guard.check(text, vocabulary)):
                return (
                    f"the {what} on {s.sub} looks like it could identify a child or family "
                    f"({guard.describe_findings(hits)}); reword it, then write the letter again"
                )
    return None


def _thread_post(ctx: Context, ret: S11Return, data: LetterData, tracked: letter_actions.Tracked) -> Reply:
    rows = [r for _, rs in data.standards for r in rs]
    moderated = [r for r in rows if r.moderated != "not moderated"]
    agreed = [r for r in moderated if r.differs_by == 0]
    differ = [r for r in moderated if r.differs_by]
    lines = [line] if (line := attention_line(ret.agency, with_substitute=False)) else []
    lines.append(
        f"The panel has moderated {plural(len(moderated), 'sub-question')} of your return and "
        f"agreed with your score on {len(agreed)}."
    )
    if differ:
        lines.append("Where the panel's score differs from yours:")
        lines += [f"  {r.ref} · yours {r.self_score}, the panel's {r.moderated}" for r in differ]
    if data.commentary:
        lines.append("The panel's commentary:")
        lines += [f"  {ref}: {note}" for ref, note in data.commentary]
    if tracked.by_sub:
        lines.append("Actions agreed, tracked with their deadlines:")
        lines += [
            f"  A-{a.id} ({sub}) {a.text} — {letter_actions.due_text(a)}" for sub, a in tracked.by_sub.items()
        ]
    else:
        lines.append("No actions were agreed.")
    if ctx.services.files_to_library:
        lines.append(
            "The letter itself (Word) is being saved in your Section 11 folder; its link follows here."
        )
    else:
        lines.append("The letter itself (Word) is with the QA officer, who will send it to you.")
    return Reply(
        title=f"{data.cycle}: the panel's feedback letter — {ret.agency.name}",
        lines=lines,
        visibility="channel",
        about_agencies=policy.about(ret.agency_id),
    )


def _write(ctx: Context, writer: ReportWriter, ret: S11Return, scores: list[S11Score]) -> dict[str, Any]:
    cycle = ret.cycle
    tracked = letter_actions.track(ctx, cycle, ret, scores)
    data = letter_content.collect(ctx, cycle, ret, scores, tracked.by_sub)
    fingerprint = letter_content.digest(data)
    folder = scratch.private_dir("letters")
    scratch.sweep(folder)
    path = writer(data, folder / f"s11-letter-{cycle.year}-{ret.agency_id}-{uuid.uuid4().hex[:6]}.docx")
    post_in_thread(
        ctx,
        cycle.id,
        ret.agency,
        ret.id,
        event=f"letter:{fingerprint}",
        kind=KIND,
        reply=_thread_post(ctx, ret, data, tracked),
    )
    ctx.audit(
        "s11_return",
        ret.id,
        "feedback_letter",
        None,
        {"letter": fingerprint, "actions": [f"A-{a.id}" for a in tracked.by_sub.values()]},
    )
    return {
        "agency": ret.agency.name,
        "return_id": ret.id,
        "letter": fingerprint,
        "file": str(path),
        "folder": [*conventions(ctx.board).section11_folder.split("/"), str(cycle.year), ret.agency.name],
        "name": letter_name(cycle.year, ret.agency.name),
        "line": f"{ret.agency.name}: letter to {data.addressee or 'no lead named'}; "
        + letter_actions.summary(tracked),
    }


@command(
    S11,
    "letters",
    request=S11LettersRequest,
    parse=parse_letters,
    usage=LETTERS,
    example="/s11 letters 2027",
    summary="after moderation: one Word feedback letter per agency, its actions tracked",
    allowed=policy.officers("write the Section 11 feedback letters"),
)
def letters(ctx: Context, req: S11LettersRequest) -> Reply:
    writer = ctx.services.require_letter_writer()  # before any work: say plainly if there is none
    cycles = [c for c in s11.cycles_in_year(ctx.session, req.year) if c.status != "cancelled"]
    if not cycles:
        raise NotFound(f"There is no {req.year} Section 11 cycle (a cancelled one has no letters).", LETTERS)
    agency = resolve.agency_called(ctx, req.agency, LETTERS) if req.agency else None
    returns = [
        r
        for c in cycles
        for r in s11.returns_of(ctx.session, c.id, policy.viewer(ctx))
        if agency is None or r.agency_id == agency.id
    ]
    if agency is not None and not returns:
        raise NotFound(f"{agency.name} has no return in the {req.year} Section 11 cycle.", LETTERS)
    written: list[dict[str, Any]] = []
    waiting: list[str] = []
    held: list[str] = []
    for ret in returns:
        scores = s11_scores.scores_for_return(ctx.session, ret.id)
        if not any(s.moderated_score is not None for s in scores):
            waiting.append(ret.agency.name)
        elif problem := _unsafe(ctx, scores):
            held.append(f"{ret.agency.name}: not written — {problem}")
        else:
            written.append(_write(ctx, writer, ret, scores))
    of = f"{len(returns)} {'agency' if len(returns) == 1 else 'agencies'}"
    lines = [f"Written: {len(written)} of {of}."]
    lines += [e.pop("line") for e in written]
    lines += held
    if waiting:
        lines.append(f"Not yet moderated, so no letter: {', '.join(waiting)}.")
    if written:
        lines.append("Each letter is posted in its agency's Section 11 thread; the files are attached here.")
    return Reply(
        title=f"Section 11 feedback letters {req.year}",
        lines=lines,
        files=[e["file"] for e in written],
        about_agencies=policy.about(*(r.agency_id for r in returns)),
        data={"s11_letters": written, "not_moderated": waiting, "held": len(held)},
    )


def saved_entries(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The letters of a reply the SharePoint saver has dealt with (saved, or failed)."""
    found = data.get("s11_letters")
    entries = found if isinstance(found, list) else []
    return [e for e in entries if isinstance(e, dict) and isinstance(e.get("sharepoint"), dict)]


def post_saved_link(scope: Scope, entry: dict[str, Any]) -> int:
    """In the agency's Section 11 thread: the saved letter's link, or that it could not be
    saved (the chair's reply says why). Once per letter (the outbox key)."""
    ret = s11.get_return(scope.session, int(entry["return_id"]))
    if ret is None:
        return 0
    saved: dict[str, Any] = entry["sharepoint"]
    if saved.get("path"):
        event, line = (
            "saved",
            f"The feedback letter is in your Section 11 folder: {saved.get('url') or saved['path']}",
        )
    else:
        event, line = (
            "not-saved",
            (
                "The feedback letter could not be saved in your Section 11 folder just now; the QA "
                "officer has been told and will send it to you."
            ),
        )
    reply = Reply(lines=[line], visibility="channel", about_agencies=policy.about(ret.agency_id))
    rows = post_in_thread(
        scope,
        ret.cycle_id,
        ret.agency,
        ret.id,
        event=f"letter:{entry['letter']}:{event}",
        kind=KIND,
        reply=reply,
    )
    return len(rows)
