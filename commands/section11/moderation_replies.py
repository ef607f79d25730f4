"""Someone answers in an agency's moderation thread (commands/section11/moderation.py): the
agency's response is recorded for the panel (shown on /s11 panel under the gap), answered with
what was understood and its reference, and the QA officer is told. "undo" sets the last
response aside; "thanks" / "👍" is kept and answered with silence. Only the agency's own
people, the chair and the QA officer respond for it; anyone else is recorded and changes nothing.
"""

from __future__ import annotations

from commands import policy, posting, thread_record
from commands.common import safeguard
from commands.context import Context
from commands.grammar import clean
from commands.registry import thread_reply
from commands.section11 import outcomes
from commands.section11.common import cycle_name, possessive
from commands.section11.moderation import THREAD_KIND, thread_key
from commands.types import Reply
from commands.understanding import correction, read
from store import s11_moderation as moderation_store
from store.models import OutboxMessage, S11Score

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
    if actor.id is None or not (policy.acts_for(ctx, agency.id) or policy.is_officer(actor)):
        return thread_record.not_theirs(
            ctx, agency.name, f"{possessive(agency.name)} response on {row.sub}", {"score_id": row.id}
        )
    if correction(ctx.inbound.text) == "undo":
        reply_row.interpretation = "correction"
        ctx.session.flush()
        return _undo(ctx, row, root, reply_row.id)
    if read(text).intent == "ack":
        reply_row.interpretation = "ack"
        ctx.session.flush()
        return Reply(data={"ignored": True, "interpretation": "ack", "score_id": row.id})
    reply_row.interpretation = "moderation_response"
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


def _undo(ctx: Context, row: S11Score, root: OutboxMessage, before_id: int) -> Reply:
    last = moderation_store.latest_response_in(ctx.session, root.id, before_id)
    if last is None:
        return Reply(
            lines=["There is no response in this thread to set aside; nothing was changed."],
            visibility="channel",
            data={"interpretation": "correction", "score_id": row.id},
        )
    last.interpretation = "undone"
    ctx.session.flush()
    ref = outcomes.ref(last)
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
