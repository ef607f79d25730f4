"""`/qa redact` and the bot's own posts: each post that carried the redacted text is edited to
its redacted version, through the outbox (so an edit is retried, and one that fails for good is
told to the QA officer with where the post is). People's own messages cannot be edited by a bot
(Slack and Teams allow only the author or an admin): they are listed for the QA officer.

An edit row: kind "edit", subject ("outbox", the post's id), payload the post's new content, on
the post's platform and channel; the dispatcher sends it (bot/outbox_edits.py). Its key carries
a digest of the content, so a retried `/qa redact` delivery queues nothing twice.
"""

from __future__ import annotations

import hashlib
import json

from sqlalchemy.orm import Session

from commands.context import Context
from commands.types import Reply
from store import outbox as outbox_store
from store.models import OutboxMessage
from store.outbox import EDIT_KIND
from store.redaction import Scrubbed

PLATFORMS = {"slack": "Slack", "teams": "Teams", "console": "the console"}


def where(post: OutboxMessage) -> str:
    """Where a sent post is, for a person to find it: platform, channel, message, time."""
    platform = PLATFORMS.get(post.platform, post.platform)
    channel = post.sent_channel or post.channel
    sent = f", sent {post.sent_at:%d %b %Y %H:%M}" if post.sent_at else ""
    message = post.message_id or "(id unknown)"
    return f"post-{post.id} on {platform}, channel {channel}, message {message}{sent}"


def queue(ctx: Context, totals: Scrubbed) -> tuple[list[int], list[str]]:
    """Queue an edit of every sent post that carried the text: the edit rows' ids, and the
    reply's lines (what will be edited, what cannot be, which people's messages to delete)."""
    edit_ids: list[int] = []
    editing: list[str] = []
    cannot: list[str] = []
    for post_id, _platform, _channel, message_id in totals.sent:
        post = ctx.session.get(OutboxMessage, post_id)
        if post is None:
            continue
        if message_id is None:
            cannot.append(f"- {where(post)}: its message id was never recorded, so I cannot find it to edit")
            continue
        digest = hashlib.sha256(json.dumps(post.payload, sort_keys=True).encode()).hexdigest()[:16]
        key = f"edit:{post.id}:{digest}"
        row = outbox_store.enqueue(
            ctx.session,
            key=key,
            platform=post.platform,
            channel=post.sent_channel or post.channel,
            kind=EDIT_KIND,
            payload=post.payload,
            now=ctx.now,
            subject_type="outbox",
            subject_id=post.id,
        )
        if row is None:  # queued before (a retried delivery): report that one
            row = outbox_store.by_key(ctx.session, key)
        else:
            ctx.queued += 1
        if row is not None:
            ctx.session.flush()
            edit_ids.append(row.id)
        editing.append(f"- {where(post)}")
    for post_id, _platform, _channel in totals.unsure:
        post = ctx.session.get(OutboxMessage, post_id)
        if post is not None:
            cannot.append(
                f"- {where(post)}: whether it was shown is unknown, so there is no message to edit; "
                "check that channel and delete it by hand if it is there"
            )
    lines: list[str] = []
    if editing:
        lines.append(f"Editing {len(editing)} of my posts to the redacted text:")
        lines += editing
    if cannot:
        lines.append("These posts of mine cannot be edited; please delete them by hand:")
        lines += cannot
    if totals.people:
        lines.append(
            "People's own messages carried it too. A bot cannot edit those: ask the poster (or a "
            "workspace admin) to delete or edit them:"
        )
        for _id, platform, channel, message_id, user in totals.people:
            who = f"from {user} " if user else ""
            lines.append(
                f"- a reply {who}on {PLATFORMS.get(platform, platform)}, channel {channel}, "
                f"message {message_id or '(id unknown)'}"
            )
    if not (editing or cannot or totals.people):
        lines.append("None of it had been posted.")
    return edit_ids, lines


def outcomes(session: Session, edit_ids: list[int]) -> list[str]:
    """After the edits were tried: what was edited, what could not be, what is still trying."""
    done: list[str] = []
    failed: list[str] = []
    trying: list[str] = []
    for edit_id in edit_ids:
        row = session.get(OutboxMessage, edit_id)
        post = session.get(OutboxMessage, row.subject_id) if row is not None and row.subject_id else None
        if row is None or post is None:
            continue
        if row.status == "sent":
            done.append(f"- {where(post)}")
        elif row.status == "failed":
            failed.append(f"- {where(post)}: {row.last_error or 'refused'}")
        else:
            trying.append(f"- {where(post)}" + (f" ({row.last_error})" if row.last_error else ""))
    lines: list[str] = []
    if done:
        lines += [f"Edited {len(done)} of my posts:", *done]
    if failed:
        lines += ["Could not edit (delete these by hand, or ask a workspace admin):", *failed]
    if trying:
        lines += [
            "Still trying to edit (retried; the QA channel hears if one fails for good):",
            *trying,
        ]
    return lines


def failed_notice(session: Session, row: OutboxMessage) -> Reply:
    """The QA channel's notice of an edit that failed for good: the post still shows the text."""
    post = session.get(OutboxMessage, row.subject_id) if row.subject_id else None
    place = where(post) if post is not None else f"a post on {row.platform}, channel {row.channel}"
    return Reply(
        title="I could not edit one of my posts after a redaction",
        lines=[
            f"{place}: {row.last_error or 'refused'}.",
            "It may still show the text that was redacted: delete it by hand (or ask a workspace "
            "admin to). If it is already gone, nothing more is needed.",
        ],
        visibility="channel",
        data={"outbox_id": row.id, "status": row.status},
    )
