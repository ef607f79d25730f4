"""The clock's meeting job: queue each meeting's agenda once, when its time comes.

Due when the agenda instant (see commands.meetings.agenda_post_at) has passed and the meeting
has not started. A bot that was down at the instant catches up on its next tick; a meeting
already under way or past gets nothing. The outbox key `agenda:<meeting id>` makes it once.
"""

from __future__ import annotations

from datetime import timedelta

from commands import posting
from commands.context import Scope
from commands.meetings import agenda_post_at, agenda_settings
from commands.meetings.agenda import build
from commands.policy import BOARD
from commands.registry import producer
from store import meetings as store


@producer("meetings")
def produce(scope: Scope) -> int:
    days, _ = agenda_settings(scope.board)
    # A posting day is at most `days` working days back: weekends and a Christmas break fit
    # comfortably in this window, so meetings further out are not even loaded.
    horizon = scope.now + timedelta(days=2 * days + 21)
    queued = 0
    for meeting in store.awaiting_agenda(scope.session, scope.now, horizon):
        if scope.now < agenda_post_at(meeting, scope.board):
            continue
        reply = build(scope, meeting, BOARD)  # posted into the meeting's channel: the board's agenda
        rows = posting.to_meeting(
            scope,
            meeting,
            key=f"agenda:{meeting.id}",
            kind="agenda",
            reply=reply,
            thread_key=f"agenda:{meeting.id}",
            subject=("meeting", meeting.id),
        )
        if rows:
            scope.audit(
                "meeting",
                meeting.id,
                "agenda queued",
                None,
                {"refs": reply.data.get("refs", []), "platforms": [r.platform for r in rows]},
            )
        queued += len(rows)
    return queued
