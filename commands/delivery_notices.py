"""The QA officer hears of every post that did not get through: once, in the QA channel.

A clock producer: each tick, the outbox's problem posts not yet told of (failed for good,
parked with an unknown outcome, unreachable) are told in one notice each to the board's "qa"
channel, and marked told. An unreachable audience is told once per thread (an agency's
Section 11 thread, say), not once per reminder. The notices' own failures are not announced
(no loop): `qabot doctor` and /qa status show them.
"""

from __future__ import annotations

from commands import posting, redaction_edits
from commands.context import Scope
from commands.delivery_report import why
from commands.registry import no_thread_reply, producer
from commands.types import Reply
from store import outbox_problems
from store.models import OutboxMessage
from store.outbox import EDIT_KIND

NOTICE = "delivery_problem"

no_thread_reply(NOTICE, "a notice to the QA officer about a post that did not get through")

_WHAT_TO_DO = {
    outbox_problems.UNREACHABLE: "Give them a channel (or a lead with an id) on the platform in the board "
    "file and run `qabot import`; until then nothing is sent to them and they are not chased.",
    outbox_problems.FAILED: "The platform refused it for good (e.g. the bot was removed from the channel, "
    "or the channel was archived or deleted). Invite the bot back (/invite @QA Bot) or fix the address "
    "in the board file; `qabot doctor` checks every channel.",
    outbox_problems.PARKED: "Whether it arrived is unknown, even after one visible resend: check the "
    "channel and send it by hand if it is missing.",
}


def _notice(row: OutboxMessage) -> Reply:
    title = {
        outbox_problems.UNREACHABLE: f"Not reached: {row.channel}",
        outbox_problems.FAILED: f"A post to {row.channel} failed for good",
        outbox_problems.PARKED: f"A post to {row.channel} may not have arrived",
    }[row.status]
    payload = row.payload if isinstance(row.payload, dict) else {}
    subject = str(payload.get("title") or row.kind)
    return Reply(
        title=title,
        lines=[f"“{subject}” ({row.kind}): {why(row)}.", _WHAT_TO_DO[row.status]],
        visibility="channel",
        data={"outbox_id": row.id, "status": row.status},
    )


@producer("delivery_notices")
def produce(scope: Scope) -> int:
    queued = 0
    for row in outbox_problems.untold(scope.session, except_kind=NOTICE):
        if row.status == outbox_problems.UNREACHABLE and row.thread_key:
            key = f"delivery:{row.thread_key}"  # once per thread, not per reminder
        else:
            key = f"delivery:{row.id}"
        # An edit after a redaction has its own notice: where the post that still shows it is.
        edit = row.kind == EDIT_KIND
        notice = redaction_edits.failed_notice(scope.session, row) if edit else _notice(row)
        queued += len(posting.to_channel(scope, "qa", key=key, kind=NOTICE, reply=notice))
        row.told_at = scope.now
    return queued
