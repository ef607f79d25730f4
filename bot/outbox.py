"""The outbox dispatcher: sends queued posts once, in order, surviving crashes and outages.

Each post is claimed with a lease before sending (so two ticks never send it together),
sent, then marked sent with the platform's message id. A post left 'sending' by a process
that died is first looked for on the platform (by its key) and only resent if not found.
A send whose outcome is unclear (a timeout, a lost answer, Slack's internal_error) is treated
the same way: the platform may have taken it.

At most once when the outcome is unclear: a look-up that cannot answer means "try again
later", never "not sent". After MAX_UNCLEAR_LOOKUPS such look-ups (or at once, on a platform
that cannot look posts up) the post is resent once, saying so ("(resent — …)"); if that
resend's outcome is unclear too, it is parked for the QA officer instead of sent a third time.
Failures back off and are retried; posts that fail for good or are parked are told to the QA
officer by the delivery notices (commands/delivery_notices.py).

An `edit` row (`/qa redact`) changes a post already sent instead: bot/outbox_edits.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from bot import outbox_edits
from commands.clock import Clock
from commands.outbound import EditedPost, OutgoingPost, Sender, SendError, SentRef
from commands.types import Reply
from store import outbox as outbox_store
from store.models import OutboxMessage
from store.outbox import EDIT_KIND

log = logging.getLogger("qabot.outbox")

LEASE = timedelta(minutes=2)
MAX_BACKOFF = timedelta(minutes=30)
# Failed look-ups (not counting "rate limited": Slack answered, only later) before an unclear
# post is resent visibly; with the backoff below that is about an hour of trying.
MAX_UNCLEAR_LOOKUPS = 8
RESENT_NOTE = "(resent — the first attempt's outcome was unknown)"


@dataclass
class DispatchResult:
    sent: int = 0
    recovered: int = 0
    retrying: int = 0
    waiting: int = 0  # held back behind their thread's first post
    failed: int = 0
    parked: int = 0  # outcome unknown after a visible resend: left to the QA officer
    resent_visibly: int = 0
    edited: int = 0  # edits of the bot's own posts (`/qa redact`)
    errors: list[str] = field(default_factory=list)


def _backoff(attempts: int, retry_after: float | None) -> timedelta:
    if retry_after is not None:
        return timedelta(seconds=max(1.0, retry_after))
    return min(MAX_BACKOFF, timedelta(seconds=15 * 2 ** max(0, attempts - 1)))


@dataclass
class Dispatcher:
    sessions: sessionmaker[Session]
    senders: dict[str, Sender]
    clock: Clock

    def dispatch(self, limit: int = 500) -> DispatchResult:
        result = DispatchResult()
        with self.sessions() as s:
            ids = outbox_store.due_ids(s, self.clock.now(), limit)
        throttled: set[str] = set()
        for row_id in ids:
            self._one(row_id, result, throttled)
        return result

    def _one(self, row_id: int, result: DispatchResult, throttled: set[str]) -> None:
        now = self.clock.now()
        with self.sessions() as s, s.begin():
            row = outbox_store.by_id(s, row_id)
            if row is None:
                return
            sender = self.senders.get(row.platform)
            if sender is None:
                return  # that platform is not configured in this process; left for one that is
            if row.platform in throttled:
                result.waiting += 1  # the platform said "slow down" this pass: ask again later
                return
            is_edit = row.kind == EDIT_KIND
            if is_edit:
                edit = outbox_edits.job(s, row)
                if edit == outbox_edits.WAIT:
                    result.waiting += 1  # the post it changes is still being sent
                    return
                if outbox_store.claim(s, row_id, now, LEASE) is None:
                    return
            else:
                claimed = self._claim_post(s, row, now, result)
                if claimed is None:
                    return
                previous, post = claimed
        if is_edit:
            self._edit(row_id, sender, row.platform, edit, result, throttled)
            return
        # The claim is committed: from here a crash leaves the row 'sending' with a lease.
        ref: SentRef | None = None
        if previous == "sending":  # an earlier attempt's outcome is unknown: look first
            try:
                ref = sender.find_sent(post)
            except SendError as e:
                if not self._lookup_failed(row_id, e, result, throttled):
                    return
                post = replace(post, reply=_with_note(post.reply, True))
            if ref is not None:
                result.recovered += 1
        try:
            if ref is None:
                ref = sender.send(post)
        except SendError as e:
            if e.retry_after is not None:
                throttled.add(row.platform)  # rate limited: more posts now would only earn more 429s
            self._failed(row_id, e, result, now)
            return
        except Exception as e:  # a sender bug must not stop the other posts
            log.exception("sender crashed on outbox %s", row_id)
            self._failed(row_id, SendError(f"{type(e).__name__}"), result, now)
            return
        with self.sessions() as s, s.begin():
            row2 = outbox_store.by_id(s, row_id)
            assert row2 is not None
            _mark_sent(row2, ref, post.thread_id, self.clock.now())
        result.sent += 1
        log.info("sent outbox %s (%s) to %s %s", row_id, post.kind, row.platform, ref.channel)

    def _claim_post(
        self, s: Session, row: OutboxMessage, now: datetime, result: DispatchResult
    ) -> tuple[str, OutgoingPost] | None:
        """Claim a post for sending (after its thread's first post has gone): the status it
        had and what to send, or None when it must wait or another process has it."""
        parent = outbox_store.thread_parent(s, row)
        if parent is not None and parent.message_id is None:
            result.waiting += 1  # the thread's first post must go first
            return None
        lease_end = row.next_attempt_at
        previous = outbox_store.claim(s, row.id, now, LEASE)
        if previous is None:
            return None
        if previous == "sending" and row.unclear_from is None and lease_end is not None:
            # A process died while sending it: Teams may have kept it within that lease.
            outbox_store.note_unclear(row, lease_end - LEASE, lease_end)
        post = OutgoingPost(
            key=row.key,
            outbox_id=row.id,
            channel=row.channel,
            kind=row.kind,
            reply=_with_note(Reply.model_validate(row.payload), row.resent_unclear),
            thread_id=parent.message_id if parent is not None else None,
            created_at=row.created_at,
        )
        return previous, post

    def _edit(
        self,
        row_id: int,
        sender: Sender,
        platform: str,
        edit: EditedPost | str,
        result: DispatchResult,
        throttled: set[str],
    ) -> None:
        """Make a claimed edit (bot/outbox_edits.py) and record how it went."""
        try:
            outbox_edits.make(sender, platform, edit)
        except SendError as e:
            if e.retry_after is not None:
                throttled.add(platform)
            self._failed(row_id, e, result)
            return
        except Exception as e:  # a sender bug must not stop the other posts
            log.exception("editor crashed on outbox %s", row_id)
            self._failed(row_id, SendError(f"{type(e).__name__}"), result)
            return
        with self.sessions() as s, s.begin():
            row = outbox_store.by_id(s, row_id)
            assert row is not None and not isinstance(edit, str)
            row.status, row.sent_at = "sent", self.clock.now()
            row.next_attempt_at, row.last_error = None, None
            row.sent_channel = edit.channel
        result.edited += 1
        log.info("edited post %s on %s (outbox %s)", edit.post_id, platform, row_id)

    def _lookup_failed(
        self, row_id: int, err: SendError, result: DispatchResult, throttled: set[str]
    ) -> bool:
        """The look-up for a maybe-sent post could not answer. True: resend it now, visibly
        (the look-ups are exhausted); False: it waits for a later look-up, or is parked."""
        now = self.clock.now()
        with self.sessions() as s, s.begin():
            row = outbox_store.by_id(s, row_id)
            assert row is not None
            row.last_error = f"outcome unknown, look-up failed: {err}"[:500]
            if err.retry_after is not None and not err.permanent:
                throttled.add(row.platform)
                row.next_attempt_at = now + _backoff(1, err.retry_after)
                result.retrying += 1
                return False
            row.unclear_lookups += 1
            if not err.permanent and row.unclear_lookups < MAX_UNCLEAR_LOOKUPS:
                row.next_attempt_at = now + _backoff(row.unclear_lookups, None)
                result.retrying += 1
                log.warning("outbox %s: outcome unknown, looking again at %s", row_id, row.next_attempt_at)
                return False
            if row.resent_unclear:
                row.status, row.next_attempt_at = "parked", None
                row.last_error = (
                    "outcome unknown twice; not sent a third time: check the channel, then "
                    f"resend by hand if it is missing ({err})"
                )[:500]
                result.parked += 1
                log.error("outbox %s parked: outcome unknown after a visible resend", row_id)
                return False
            row.resent_unclear, row.unclear_lookups = True, 0
            result.resent_visibly += 1
            log.warning("outbox %s: outcome unknown and cannot be looked up; resending visibly", row_id)
            return True

    def _failed(
        self, row_id: int, err: SendError, result: DispatchResult, started: datetime | None = None
    ) -> None:
        """Record a failed attempt; `started` is when a post's send began (an edit has none: an
        unclear edit is simply made again, never matched to a reply)."""
        now = self.clock.now()
        with self.sessions() as s, s.begin():
            row = outbox_store.by_id(s, row_id)
            assert row is not None
            row.last_error = str(err)[:500]
            if err.maybe_sent and started is not None:  # it may be there: a reply in it is matched
                outbox_store.note_unclear(row, started, now)
            if err.permanent:
                row.status = "failed"
                result.failed += 1
                log.error("outbox %s failed for good: %s", row_id, err)
            else:
                # A post that may have reached the platform stays 'sending': when its time
                # comes it is looked for (find_sent) before it is sent again.
                row.status = "sending" if err.maybe_sent else "pending"
                row.next_attempt_at = now + _backoff(row.attempts, err.retry_after)
                result.retrying += 1
                log.warning("outbox %s will be retried at %s: %s", row_id, row.next_attempt_at, err)
            result.errors.append(str(err))


def _with_note(reply: Reply, resent: bool) -> Reply:
    if not resent or RESENT_NOTE in reply.lines:
        return reply
    return reply.model_copy(update={"lines": [*reply.lines, RESENT_NOTE]})


def _mark_sent(row: OutboxMessage, ref: SentRef, thread_id: str | None, now: object) -> None:
    row.status = "sent"
    row.message_id = ref.message_id
    row.sent_channel = ref.channel
    row.thread_message_id = thread_id
    row.sent_at = now  # type: ignore[assignment]
    row.next_attempt_at = None
    row.last_error = None
