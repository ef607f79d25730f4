"""Erasure: one identifying text replaced everywhere the bot copied it — audit snapshots, thread
replies, outbox payloads, the delivery log and the inbox, agenda items. The callers (commands/redaction.py)
replace the item's own columns; this module walks the copies. Rows are read and rewritten in
Python rather than with SQL LIKE, because JSON columns escape text differently on SQLite and
PostgreSQL; a board's tables are small enough for that."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from store.models import AgendaItem, AuditEvent, InboxItem, OutboxMessage, ProcessedDelivery, ThreadReply
from store.outbox import EDIT_KIND


@dataclass
class Scrubbed:
    audit: int = 0
    thread_replies: int = 0
    outbox: int = 0
    deliveries: int = 0
    agenda_items: int = 0
    # Posts the bot already sent that carried the text: (outbox id, platform, channel, message id).
    sent: list[tuple[int, str, str, str | None]] = field(default_factory=list)
    # Posts whose sending had an unknown outcome (maybe shown, no message id to edit).
    unsure: list[tuple[int, str, str]] = field(default_factory=list)
    # People's own messages that carried it (a bot cannot edit them): (reply id, platform,
    # channel of the thread, message id, who posted it).
    people: list[tuple[int, str, str, str | None, str | None]] = field(default_factory=list)


def _replace(value: Any, old: str, new: str, keep: re.Pattern[str] | None = None) -> Any:
    """The JSON value with every string's `old` replaced (a new object when anything changed),
    except inside a `keep` match (a longer text that stays, e.g. a kept item's own words)."""
    if isinstance(value, str):
        if old not in value:
            return value
        if keep is None:
            return value.replace(old, new)
        out, pos = [], 0
        for m in keep.finditer(value):
            out += [value[pos : m.start()].replace(old, new), m.group()]
            pos = m.end()
        return "".join([*out, value[pos:].replace(old, new)])
    if isinstance(value, list):
        return [_replace(v, old, new, keep) for v in value]
    if isinstance(value, dict):
        return {k: _replace(v, old, new, keep) for k, v in value.items()}
    return value


def scrub(session: Session, old: str, new: str, keep: Iterable[str] = ()) -> Scrubbed:
    """Replace `old` with `new` in every copy; what was changed, counted. A text in `keep` that
    holds `old` ("Old closed action under legal hold" when "Old closed action" goes) is left
    whole wherever it occurs."""
    done = Scrubbed()
    if not old:
        return done
    holding = sorted({k for k in keep if old in k and k != old}, key=len, reverse=True)
    guard = re.compile("|".join(re.escape(k) for k in holding)) if holding else None
    for event in session.scalars(select(AuditEvent)):
        before, after = _replace(event.before, old, new, guard), _replace(event.after, old, new, guard)
        if (before, after) != (event.before, event.after):
            event.before, event.after = before, after
            done.audit += 1
    for reply in session.scalars(select(ThreadReply)):
        if _replace(reply.text, old, new, guard) != reply.text:
            reply.text = _replace(reply.text, old, new, guard)
            done.thread_replies += 1
            root = session.get(OutboxMessage, reply.outbox_id)
            channel = (root.sent_channel or root.channel) if root is not None else "?"
            done.people.append((reply.id, reply.platform, channel, reply.message_id, reply.platform_user))
    for post in session.scalars(select(OutboxMessage)):
        payload = _replace(post.payload, old, new, guard)
        if payload != post.payload:
            post.payload = payload
            done.outbox += 1
            if post.kind == EDIT_KIND:
                continue  # an edit's content: the post it edits is counted itself
            if post.status == "sent":
                done.sent.append((post.id, post.platform, post.sent_channel or post.channel, post.message_id))
            elif post.status in ("sending", "parked"):
                done.unsure.append((post.id, post.platform, post.sent_channel or post.channel))
    for delivery in session.scalars(select(ProcessedDelivery)):
        reply_json = _replace(delivery.reply, old, new, guard)
        if reply_json != delivery.reply:
            delivery.reply = reply_json
            done.deliveries += 1
    for stored in session.scalars(select(InboxItem)):  # the durable inbox: a worked delivery's reply
        payload = _replace(stored.payload, old, new, guard)
        reply_json = _replace(stored.reply, old, new, guard)
        if (payload, reply_json) != (stored.payload, stored.reply):
            stored.payload, stored.reply = payload, reply_json
            done.deliveries += 1
    for item in session.scalars(select(AgendaItem)):
        if _replace(item.text, old, new, guard) != item.text:
            item.text = _replace(item.text, old, new, guard)
            done.agenda_items += 1
    return done
