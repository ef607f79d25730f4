"""Replies in a thread the bot cannot find among its posts: matched where the evidence is
safe, otherwise answered and told to the QA officer — never dropped in silence.

1. A copy the platform kept without telling us. A post whose attempt timed out is "maybe
   sent" and is resent once, visibly (bot/outbox.py). If the platform had kept the first
   attempt, that copy's thread id was never returned, so a reply in it names a thread the
   outbox does not know. The outbox keeps, per post, the time window of the attempts whose
   outcome was unknown (`unclear_from`, `unclear_until`). A reply is matched to such a post
   when **both** hold:
   - it is the only post outstanding in that conversation with an unknown attempt (a copy
     whose thread is not known yet), and
   - the thread's root was posted within that window (`Inbound.thread_root_time`; Teams root
     ids read as Unix milliseconds, which Microsoft does not document, so it is never used
     alone).
   The copy's root is then kept (`duplicate_message_id`): later replies in it match directly,
   and every confirmation there says where it was recorded.
2. Otherwise, a person's reply in an unknown thread of a conversation the bot posts into (an
   agency's, a meeting's or a board channel) is answered in that thread and told to the QA
   officer once per thread: the place, the person and the words if the guard passes them.
   A thread a person started is their own conversation, not a lost one of the bot's: Slack
   says who posted the root (`parent_user_id`); Teams does not, so the ids of people's
   top-level posts in those channels are kept (`store/person_threads.py`, never the text).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from commands import guard, posting
from commands.common import board_vocabulary
from commands.context import Scope
from commands.registry import no_thread_reply
from commands.types import Inbound, Reply
from store import addresses, members, person_threads
from store import outbox as outbox_store
from store.models import Agency, Meeting, OutboxMessage

NOTICE = "unmatched_thread"
no_thread_reply(NOTICE, "a notice to the QA officer; replies are conversation")

# Clock difference between this server and the platform's, either side of the window.
MARGIN = timedelta(seconds=5)
CANNOT_MATCH = "I can't match this thread to a return or agenda — the QA officer has been told."
DUPLICATE_NOTE = (
    "This thread is a copy of my post that was sent twice (the first attempt's outcome was "
    "unknown): your reply is recorded as if it were in the other thread."
)
WITHHELD = "(their words are not repeated here: they may identify a child or family)"
IGNORED = {"ignored": True}


def note_thread_start(session: Session, now: datetime, inbound: Inbound) -> None:
    """A person's top-level post in a channel the bot posts into: its id is kept, so replies
    under it are known to be people's own conversation."""
    if inbound.thread_id or not inbound.message_id or not inbound.channel or inbound.change:
        return
    if not (inbound.chatter or inbound.addressed):  # e.g. a Slack ACTION: line: no thread to keep
        return
    if _places(session, inbound):
        person_threads.note(session, inbound.platform, inbound.channel, inbound.message_id, now)


def _started_by_person(session: Session, inbound: Inbound) -> bool:
    if inbound.thread_started_by is not None:
        return inbound.thread_started_by == "person"
    assert inbound.thread_id and inbound.channel
    return person_threads.started_by_person(session, inbound.platform, inbound.channel, inbound.thread_id)


def duplicate_root(session: Session, inbound: Inbound) -> OutboxMessage | None:
    """The post whose unreported copy this thread is, when the evidence points there (above)."""
    when = inbound.thread_root_time
    if not inbound.thread_id or not inbound.channel or when is None or _started_by_person(session, inbound):
        return None
    outstanding = outbox_store.unclear_thread_starts(session, inbound.platform, inbound.channel)
    if len(outstanding) != 1:
        return None  # none, or more than one it could be: not safe to choose
    [post] = outstanding
    start, end = post.unclear_from, post.unclear_until
    if start is None or end is None or not start - MARGIN <= when <= end + MARGIN:
        return None
    post.duplicate_message_id = inbound.thread_id
    return post


def in_duplicate(inbound: Inbound, root: OutboxMessage) -> bool:
    """Whether the reply was matched through the copy's thread (not the post's own)."""
    return bool(inbound.thread_id) and inbound.thread_id == root.duplicate_message_id


def unmatched(scope: Scope, inbound: Inbound) -> Reply:
    """A reply in a thread nothing matched, where the bot posts: answered, and the QA officer
    told once per thread. Elsewhere (people's own conversations) it is not the bot's business."""
    if not inbound.thread_id or not inbound.channel or inbound.change is not None:
        return Reply(data=dict(IGNORED))
    places = _places(scope.session, inbound)
    if not places or _started_by_person(scope.session, inbound):
        return Reply(data=dict(IGNORED))  # not where the bot posts, or a person's own thread
    digest = hashlib.sha256(f"{inbound.channel}\n{inbound.thread_id}".encode()).hexdigest()[:24]
    key = f"{NOTICE}:{inbound.platform}:{digest}"
    # Every reply there is answered; the QA officer is told of the thread once (the key).
    posting.to_channel(scope, "qa", key=key, kind=NOTICE, reply=_notice(scope, inbound, places))
    data: dict[str, object] = {"unmatched_thread": True}
    if scope.queued:
        data["queued"] = scope.queued
    return Reply(lines=[CANNOT_MATCH], data=data)


def _places(session: Session, inbound: Inbound) -> list[tuple[str, int]]:
    """The agencies, meetings and board channels at the message's conversation."""
    if not inbound.channel:
        return []
    found = addresses.subjects_at(session, inbound.platform, inbound.channel)
    return [(kind, subject_id) for kind, subject_id in found if kind != addresses.MEMBER]


def _notice(scope: Scope, inbound: Inbound, places: list[tuple[str, int]]) -> Reply:
    person = members.by_platform_id(scope.session, inbound.platform, inbound.user_id)
    who = person.name if person is not None else f"someone not on the board ({inbound.user_id})"
    text = inbound.text_and_files()
    said = WITHHELD if guard.check(text, board_vocabulary(scope.session)) else f"“{text}”"
    return Reply(
        title="A reply I could not match to a thread",
        lines=[
            f"{who} replied in a thread of {_place(scope.session, places)} ({inbound.platform}) that is "
            "not one of my posts' threads, so it was not recorded:",
            said,
            "If it answers a Section 11 return or an agenda, record it with the command "
            "(e.g. /s11 correct, /qa agenda add) or ask them to reply in the post's thread.",
        ],
        visibility="channel",
        data={"platform": inbound.platform, "channel": inbound.channel, "thread": inbound.thread_id},
    )


def _place(session: Session, places: list[tuple[str, int]]) -> str:
    names = []
    for kind, subject_id in places:
        if kind == addresses.AGENCY and (agency := session.get(Agency, subject_id)) is not None:
            names.append(f"{agency.name}'s channel")
        elif kind == addresses.MEETING and (meeting := session.get(Meeting, subject_id)) is not None:
            names.append(f"the {meeting.title} channel")
        elif kind.startswith(addresses.channel_kind("")):
            names.append(f"the {kind.removeprefix(addresses.channel_kind(''))} channel")
    return " / ".join(names) or "a board channel"
