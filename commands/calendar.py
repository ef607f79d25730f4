"""Meetings read from the board's calendar (a Microsoft 365 group or shared mailbox), so the
meeting list needs no typing. The SharePoint sync reads the calendar's events for the next
12 months (Graph calendarView) and hands them here as neutral CalendarEvents.

The kind of meeting is guessed from the event's subject, first rule that matches:

1. "Section 11" or "S11"                                  -> Section 11 scrutiny panel
2. "scrutiny" or "panel" with a business-plan priority
   (Early Help, Child Protection / Looked After, Neglect,
   CSE / Child Sexual Exploitation, Domestic Abuse)        -> priority scrutiny panel on it
3. "challenge"                                             -> challenge event
4. "sub-group", "subgroup" or "QA&E"                       -> QA&E sub-group
5. "Board" (as a word)                                     -> Board
6. anything else                                           -> QA&E sub-group

Upsert rules: an event is a meeting with source "calendar" and external_id = the event id.
An event on the same kind and start as a meeting already known (from the board file or typed
with /qa meeting add) is that meeting: nothing new is made. A moved or renamed event updates
its meeting. A cancelled event, or one no longer in the calendar, removes its meeting when
nothing refers to it; a meeting that already has actions, findings, agenda items, papers or
posts is kept and its title starts "Cancelled: ". Meetings from the board file or chat are
never changed or removed by the calendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from commands import guard
from commands.context import Scope
from store import meetings as meeting_store
from store import members
from store.models import Meeting

WINDOW = timedelta(days=365)
CANCELLED = "Cancelled: "
MAX_TITLE = 200

_PRIORITY_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\bearly[\s-]*help\b"), "Early Help"),
    (re.compile(r"\b(child[\s-]*protection|looked[\s-]*after|lac)\b"), "Child Protection"),
    (re.compile(r"\bneglect\b"), "Neglect"),
    (re.compile(r"\b(cse|child[\s-]*sexual[\s-]*exploitation)\b"), "CSE"),
    (re.compile(r"\bdomestic[\s-]*abuse\b"), "Domestic Abuse"),
]


@dataclass
class CalendarEvent:
    """One calendar event as the integration read it (platform-neutral)."""

    event_id: str
    subject: str
    starts_at: datetime  # aware
    cancelled: bool = False
    web_link: str | None = None


@dataclass
class CalendarResult:
    created: int = 0
    updated: int = 0
    removed: int = 0
    marked: int = 0  # cancelled but kept (things refer to it)
    matched: int = 0  # already known from the board file or chat
    skipped: list[str] = field(default_factory=list)  # why some events were left out

    def summary(self) -> str:
        return (
            f"calendar: {self.created} new, {self.updated} changed, {self.removed} removed, "
            f"{self.marked} marked cancelled, {self.matched} already known"
            + (f", {len(self.skipped)} skipped" if self.skipped else "")
        )


def guess_kind(subject: str) -> tuple[str, str | None]:
    """(kind, priority) from an event's subject, by the rules in this module's docstring."""
    s = " ".join(subject.lower().replace("&", " & ").split())
    if re.search(r"\bsection[\s-]*11\b|\bs11\b", s):
        return "s11_panel", None
    if re.search(r"\b(scrutiny|panel)\b", s):
        for pattern, priority in _PRIORITY_WORDS:
            if pattern.search(s):
                return "priority_panel", priority
    if "challenge" in s:
        return "challenge", None
    if re.search(r"\bsub[\s-]*group\b|\bqa\s*&\s*e\b|\bqae\b", s):
        return "subgroup", None
    if re.search(r"\bboard\b", s):
        return "board", None
    return "subgroup", None


def apply_events(
    scope: Scope, events: list[CalendarEvent], start: datetime, end: datetime, *, complete: bool = True
) -> CalendarResult:
    """Upsert the meetings of `events` (everything the calendar holds in [start, end)), and
    remove calendar meetings in that window that are cancelled or, when `complete` (every
    event was read), gone. In the caller's transaction; every change is audited."""
    result = CalendarResult()
    allowed = [a.name for a in members.all_agencies(scope.session, active_only=False)]
    allowed += [m.name for m in members.all_members(scope.session)]
    seen: set[str] = set()
    for ev in events:
        starts = ev.starts_at.astimezone(UTC)
        seen.add(ev.event_id)
        mine = meeting_store.by_external_id(scope.session, ev.event_id)
        if ev.cancelled:
            if mine is not None and mine.source == "calendar":
                _cancel(scope, mine, result)
            continue
        if not (start <= starts < end):
            continue
        subject = " ".join(ev.subject.split())[:MAX_TITLE]
        if guard.check(subject, allowed):
            # The subject might identify a child or family: nothing of it is stored.
            result.skipped.append(
                f"an event on {starts:%Y-%m-%d} (its subject may identify a child or family)"
            )
            continue
        kind, priority = guess_kind(subject)
        other = meeting_store.by_kind_and_start(scope.session, kind, starts)
        if mine is not None:
            if other is not None and other.id != mine.id:
                # Moved onto a meeting we already have: that one stands for it.
                _cancel(scope, mine, result)
                result.matched += 1
                continue
            changed = _update(
                scope, mine, kind=kind, title=subject or mine.title, starts=starts, priority=priority
            )
            result.updated += int(changed)
            continue
        if other is not None:
            result.matched += 1
            continue
        m = Meeting(
            kind=kind,
            title=subject or "Meeting",
            starts_at=starts,
            priority=priority,
            source="calendar",
            external_id=ev.event_id,
            created_at=scope.now,
        )
        scope.session.add(m)
        scope.session.flush()
        scope.audit(
            "meeting",
            m.id,
            "created",
            None,
            {
                "kind": kind,
                "title": m.title,
                "starts_at": starts.isoformat(),
                "priority": priority,
                "from": "calendar",
            },
        )
        result.created += 1
    for m in meeting_store.from_calendar_between(scope.session, start, end) if complete else []:
        if m.external_id not in seen and not m.title.startswith(CANCELLED):
            _cancel(scope, m, result)  # deleted from the calendar
    return result


def _update(
    scope: Scope, m: Meeting, *, kind: str, title: str, starts: datetime, priority: str | None
) -> bool:
    """Follow the event (a "Cancelled: " title goes back to the event's subject)."""
    before = {"kind": m.kind, "title": m.title, "starts_at": m.starts_at.isoformat(), "priority": m.priority}
    after = {"kind": kind, "title": title, "starts_at": starts.isoformat(), "priority": priority}
    if before == after:
        return False
    m.kind, m.title, m.starts_at, m.priority = kind, title, starts, priority
    scope.session.flush()
    scope.audit("meeting", m.id, "updated", before, {**after, "from": "calendar"})
    return True


def _cancel(scope: Scope, m: Meeting, result: CalendarResult) -> None:
    before = {"kind": m.kind, "title": m.title, "starts_at": m.starts_at.isoformat()}
    if meeting_store.references(scope.session, m.id) == 0:
        scope.audit("meeting", m.id, "deleted", before, {"from": "calendar", "reason": "cancelled"})
        scope.session.delete(m)
        scope.session.flush()
        result.removed += 1
        return
    if m.title.startswith(CANCELLED):
        return
    m.title = (CANCELLED + m.title)[:MAX_TITLE]
    scope.session.flush()
    scope.audit("meeting", m.id, "cancelled", before, {"title": m.title, "from": "calendar"})
    result.marked += 1


def window(now: datetime) -> tuple[datetime, datetime]:
    """The span of the calendar that is read: from now for the next 12 months."""
    start = now.astimezone(UTC).replace(microsecond=0)
    return start, start + WINDOW
