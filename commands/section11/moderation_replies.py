"""Someone answers in an agency's moderation thread (commands/section11/moderation.py): the
agency's response is recorded for the panel (shown on /s11 panel under the gap), answered with
what was understood and its reference, and the QA officer is told. "undo" sets the last
response (or acceptance) aside; "thanks" / "👍" is kept and answered with silence. Only the
agency's own people, the chair and the QA officer respond for it; anyone else is recorded and
changes nothing. The panel (the chair, the QA officer, a member named in section11.panel, not
acting for the agency) replying "accepted" ("response accepted", "accept the response")
accepts the agency's response: the gap is closed and leaves the panel's agenda (/s11 panel
lists it under "Gaps closed").
"""

from __future__ import annotations

import re

from commands import policy, posting, thread_record
from commands.common import safeguard
from commands.context import Context
from commands.grammar import clean
from commands.registry import thread_reply
from commands.section11 import outcomes
from commands.section11.common import cycle_name, possessive
from commands.section11.moderation import THREAD_KIND, on_panel, thread_key
from commands.types import Reply
from commands.understanding import correction, read
from store import s11_moderation as moderation_store
from store.models import OutboxMessage, S11Score

_ACCEPT = re.compile(r"(?:the panel )?(?:response accepted|accept(?:ed|s)?(?: the response)?)")
HINT = "Reply with the agency's response to the panel's score, or “undo” to set your last reply aside."
UNDO_HINT = "Not what you meant? Reply “undo” to set it aside."


@thread_reply(THREAD_KIND)
def handle_reply(ctx: Context, root: OutboxMessage) -> Reply | None:
    if root.subject_type != moderation_store.SUBJECT or root.subject_id is None:
        return None
    row = moderation_store.score(ctx.session, root.subject_id)
    if row is None:
        return None
    text = clean(ctx.inbound.text_and_files())
    if not text:
        return Reply(data={"ignored": True})
    safeguard(ctx, text, HINT)
    ret = row.s11_return
    agency = ret.agency
    reply_row = thread_record.record(ctx, root, text)
    actor = ctx.actor
    own = actor.id is not None and policy.acts_for(ctx, agency.id)
    panel = actor.id is not None and not own and on_panel(ctx)
    if actor.id is None or not (own or policy.is_officer(actor) or panel):
        return _not_theirs(ctx, row)
    if correction(ctx.inbound.text) == "undo":
        reply_row.interpretation = "correction"
        ctx.session.flush()
        return _undo(ctx, row, root, reply_row.id)
    if panel and _ACCEPT.fullmatch(text.lower().strip(" .!")):
        reply_row.interpretation = moderation_store.ACCEPTED
        ctx.session.flush()
        return _accept(ctx, row, outcomes.ref(reply_row))
    if not (own or policy.is_officer(actor)):
        return _not_theirs(ctx, row)
    if read(text).intent == "ack":
        reply_row.interpretation = "ack"
        ctx.session.flush()
        return Reply(data={"ignored": True, "interpretation": "ack", "score_id": row.id})
    reply_row.interpretation = moderation_store.RESPONSE
    ctx.session.flush()
    ref = outcomes.ref(reply_row)
    ctx.audit("s11_score", row.id, "moderation response", None, {"sub": row.sub, "reply": ref, "text": text})
    _tell_qa(ctx, row, ref, text)
    return Reply(
        lines=[
            f"Recorded ({ref}): {possessive(agency.name)} response on {row.sub} — “{text}”. "
            "The panel will see it with the scores (/s11 panel); the QA officer has been told.",
            *outcomes.keep_informed(ctx, ret),
            UNDO_HINT,
        ],
        visibility="channel",
        data={"interpretation": "moderation_response", "reply_ref": ref, "score_id": row.id},
    )


def _not_theirs(ctx: Context, row: S11Score) -> Reply:
    agency = row.s11_return.agency
    return thread_record.not_theirs(
        ctx, agency.name, f"{possessive(agency.name)} response on {row.sub}", {"score_id": row.id}
    )


def _accept(ctx: Context, row: S11Score, ref: str) -> Reply:
    agency = row.s11_return.agency
    ctx.audit("s11_score", row.id, "moderation response accepted", None, {"sub": row.sub, "reply": ref})
    return Reply(
        lines=[
            f"Accepted ({ref}): the panel accepts {possessive(agency.name)} response on {row.sub}; the gap "
            "is closed and is no longer on the panel's agenda (/s11 panel).",
            "Not what you meant? Reply “undo” to reopen it.",
        ],
        visibility="channel",
        data={"interpretation": moderation_store.ACCEPTED, "reply_ref": ref, "score_id": row.id},
    )


def _undo(ctx: Context, row: S11Score, root: OutboxMessage, before_id: int) -> Reply:
    last = moderation_store.latest_response_in(ctx.session, root.id, before_id)
    if last is None:
        return Reply(
            lines=["There is no response in this thread to set aside; nothing was changed."],
            visibility="channel",
            data={"interpretation": "correction", "score_id": row.id},
        )
    accepted = last.interpretation == moderation_store.ACCEPTED
    last.interpretation = "undone"
    ctx.session.flush()
    ref = outcomes.ref(last)
    if accepted:
        ctx.audit("s11_score", row.id, "moderation acceptance undone", {"reply": ref}, {"undone": True})
        return Reply(
            lines=[f"Set aside: {ref}; the gap on {row.sub} is open again and back on the panel's agenda."],
            visibility="channel",
            data={"interpretation": "correction", "undone": ref, "score_id": row.id},
        )
    ctx.audit(
        "s11_score", row.id, "moderation response undone", {"reply": ref}, {"reply": ref, "undone": True}
    )
    return Reply(
        lines=[
            f"Set aside: {ref} is no longer {possessive(row.s11_return.agency.name)} response on {row.sub}."
        ],
        visibility="channel",
        data={"interpretation": "correction", "undone": ref, "score_id": row.id},
    )


def _tell_qa(ctx: Context, row: S11Score, ref: str, text: str) -> None:
    ret = row.s11_return
    cycle, agency = ret.cycle, ret.agency
    posting.to_channel(
        ctx,
        "qa",
        key=f"{thread_key(cycle.id, agency.id, row.sub)}:response:{ref}",
        kind="s11_comment",
        reply=Reply(
            title=f"{agency.name} responded on the moderation of {row.sub}",
            lines=[
                f"@{ctx.actor.handle} ({ref}): “{text}”",
                f"{cycle_name(cycle)}; see /s11 panel {cycle.year}.",
            ],
            visibility="channel",
            data={"agency": agency.name, "sub": row.sub},
        ),
    )
