"""Edits of the bot's own posts, sent by the outbox dispatcher (bot/outbox.py).

An edit row (kind "edit", queued by `/qa redact`: commands/redaction_edits.py) points at the
post it changes (subject "outbox" / the post's id) and carries the new content. It is sent
like any post — claimed with a lease, retried with backoff — but it is never looked up: making
the same edit twice is harmless, so an unclear outcome is simply tried again. An edit that
fails for good (the message is gone, not the bot's, no access) is marked failed and told to
the QA officer by the delivery notices, with where the post was.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands.outbound import EditedPost, Sender, SendError
from commands.types import Reply
from store.models import OutboxMessage

WAIT = "wait"  # the post being edited is still being sent: edit it once it has an id


def job(session: Session, row: OutboxMessage) -> EditedPost | str:
    """The edit to make; WAIT; or why it can never be made."""
    is_post = row.subject_type == "outbox" and row.subject_id is not None
    post = session.get(OutboxMessage, row.subject_id) if is_post else None
    if post is None:
        return "the post to edit is no longer in the outbox"
    if post.message_id is None:
        if post.status in ("pending", "sending"):
            return WAIT
        return f"post-{post.id} was never given a message id (it is {post.status})"
    return EditedPost(
        key=row.key,
        outbox_id=row.id,
        post_id=post.id,
        channel=post.sent_channel or post.channel,
        message_id=post.message_id,
        thread_id=post.thread_message_id,
        reply=Reply.model_validate(row.payload),
    )


def make(sender: Sender, platform: str, edit: EditedPost | str) -> None:
    """Make the edit, or raise SendError (never "maybe sent": an edit is simply made again)."""
    if isinstance(edit, str):
        raise SendError(edit, permanent=True)
    editor = getattr(sender, "edit", None)
    if editor is None:
        raise SendError(f"the bot cannot edit its posts on {platform}", permanent=True)
    try:
        editor(edit)
    except SendError as e:
        if e.maybe_sent:
            raise SendError(str(e), retry_after=e.retry_after) from None
        raise
