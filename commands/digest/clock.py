"""The weekly digest on the clock: at each tick, from the database, like the Section 11
reminders. The week's digest is due at the board file's `digest:` day and time (the next
working day when that day is a bank holiday or a closure day); its `digest_runs` row (unique
per ISO week) is claimed in the same transaction as its outbox rows (keys
`digest:<week>:<recipient>`), so a second tick, a restart or a bot that was down never sends
it twice, and an outage never sends a burst of missed weeks.

A week with nothing to say sends nothing, but its run is recorded ("nothing needed action")
and audited, so `qabot doctor` and /qa digest show that the digest ran. A recipient with no
address gets an 'unreachable' outbox row (told to the QA channel by
commands/delivery_notices.py and listed by `qabot doctor`), never counted as sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from commands import posting
from commands.context import Scope
from commands.digest import words
from commands.digest.compute import Digest, compute
from commands.digest.settings import DigestSettings, Slot, due_slot, settings
from commands.registry import no_thread_reply, producer
from commands.reviews.settings import calendar
from commands.types import Reply
from store import digest as store
from store import members, outbox_problems
from store.models import DigestRun, Member

KIND = "digest"
no_thread_reply(KIND, "the chair's weekly digest; replies are conversation, each item names its command")
no_thread_reply("digest_problem", "a notice to the QA channel that the digest has no one to go to")

ROLE_WORDS = {"chair": "the chair", "qa_officer": "the QA officer"}
FIRST_SINCE = timedelta(days=7)


def since_for(last: DigestRun | None, now: datetime) -> datetime:
    """Escalations are counted from the last digest's computation (a week, the first time)."""
    return last.computed_at if last is not None else now - FIRST_SINCE


@producer("digest")
def produce(scope: Scope) -> int:
    """Queue this week's digest if its moment has come and it has not run; returns rows queued."""
    cfg = settings(scope.board)
    slot = due_slot(cfg, calendar(scope.board), scope.now, scope.tz)
    if slot is None or store.run_of(scope.session, slot.week) is not None:
        return 0
    since = since_for(store.last_run(scope.session), scope.now)
    run = store.start_run(scope.session, week=slot.week, due_at=slot.at, now=scope.now, since=since)
    if run is None:
        return 0  # another tick claimed this week a moment ago
    digest = compute(scope.session, scope.board, scope.now, since)
    run.items = digest.items
    if digest.empty:
        run.outcome = "nothing"
        scope.audit("digest", run.id, "nothing to send", None, _about(slot, digest, run))
        return 0
    return _send(scope, cfg, slot, digest, run)


def _about(slot: Slot, digest: Digest, run: DigestRun) -> dict[str, object]:
    said = f"digest for week {slot.week}: " + (
        "nothing needed action" if digest.empty else f"{digest.items} item(s), sent to {run.sent_to}"
    )
    return {"week": slot.week, "items": digest.items, "outcome": run.outcome, "said": said}


def recipients(scope: Scope, cfg: DigestSettings) -> tuple[list[Member], list[str]]:
    """The active members holding the configured roles, and each role no one holds."""
    found: list[Member] = []
    missing: list[str] = []
    for role in cfg.to:
        people = members.by_role(scope.session, role)
        found += [m for m in people if m not in found]
        if not people:
            missing.append(role)
    return found, missing


def _send(scope: Scope, cfg: DigestSettings, slot: Slot, digest: Digest, run: DigestRun) -> int:
    reply = words.message(slot.week, digest, scope.tz)
    queued, reached = 0, 0
    unreached: list[str] = []
    missing: list[str] = []
    if cfg.where == "qa":
        audiences = [
            ("#qa", posting.to_channel(scope, "qa", key=f"digest:{slot.week}:qa", kind=KIND, reply=reply))
        ]
    else:
        people, missing = recipients(scope, cfg)
        audiences = [
            (
                f"@{m.handle}",
                posting.to_member(scope, m, key=f"digest:{slot.week}:@{m.handle}", kind=KIND, reply=reply),
            )
            for m in people
        ]
    for name, rows in audiences:
        queued += len(rows)
        if any(r.status != outbox_problems.UNREACHABLE for r in rows):
            reached += 1
        else:
            unreached.append(name)
    notes = (
        ["no " + " and no ".join(ROLE_WORDS[r] for r in missing) + " in the board file"] if missing else []
    )
    if unreached:
        # Each unreachable row is told to the QA channel by the delivery notices producer.
        notes.append("no address on a configured platform for " + ", ".join(unreached))
    run.sent_to, run.outcome, run.note = reached, "sent" if reached else "unsent", "; ".join(notes) or None
    if missing:
        queued += _tell_qa(scope, slot, notes)
    verb = "sent" if reached else "not sent"
    scope.audit("digest", run.id, verb, None, _about(slot, digest, run) | {"note": run.note})
    return queued


def _tell_qa(scope: Scope, slot: Slot, notes: list[str]) -> int:
    """A role with no one in it, or no address: the QA channel hears it, once per week."""
    reply = Reply(
        title=f"The weekly digest for week {slot.week} did not reach everyone it is for",
        lines=[
            "; ".join(notes).capitalize() + ".",
            "Add the person or their Slack or Teams id to the board file (`digest: to:` names the roles), "
            "then `qabot import`. `qabot doctor` lists who has no address.",
        ],
        visibility="channel",
        data={"digest_week": slot.week},
    )
    key = f"digest:{slot.week}:problem"
    return len(posting.to_channel(scope, "qa", key=key, kind="digest_problem", reply=reply))
