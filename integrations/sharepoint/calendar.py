"""Reading the board's calendar (SHAREPOINT_CALENDAR = groups/<id> or users/<mailbox>) with
Graph's calendarView, for the next 12 months, through the msgraph-sdk client.

GET /groups/{id}/calendarView?startDateTime=…&endDateTime=…   (or /users/{id-or-mailbox}/…)
with `Prefer: outlook.timezone="UTC"`, paging through `@odata.nextLink`. calendarView
expands recurring series into their occurrences, each with its own id. The events become
commands.calendar.CalendarEvents; the rules (kind from subject, upsert) live there.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from commands.calendar import CalendarEvent
from integrations.sharepoint.client import GraphConnection

log = logging.getLogger("qabot.sharepoint")

PAGE = 100
MAX_PAGES = 50  # 5,000 events in a year is far beyond any board; stop rather than loop


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(value: Any) -> datetime | None:
    """A Graph dateTimeTimeZone as an aware datetime (UTC is what we ask for)."""
    if value is None or not getattr(value, "date_time", None):
        return None
    text = str(value.date_time).replace("Z", "")
    if "." in text:  # Graph sends seven fractional digits
        head, frac = text.split(".", 1)
        text = f"{head}.{frac[:6]}"
    naive = datetime.fromisoformat(text)
    zone = str(getattr(value, "time_zone", None) or "UTC")
    if zone in ("UTC", "Etc/UTC", "tzone://Microsoft/Utc"):
        return naive.replace(tzinfo=UTC)
    try:
        return naive.replace(tzinfo=ZoneInfo(zone))
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("sharepoint calendar: unknown time zone %r; read as UTC", zone)
        return naive.replace(tzinfo=UTC)


def _builder(conn: GraphConnection, calendar: str) -> Any:
    owner, _, ident = calendar.partition("/")
    if owner == "groups":
        return conn.client.groups.by_group_id(ident).calendar_view
    return conn.client.users.by_user_id(ident).calendar_view


async def read_events(
    conn: GraphConnection, calendar: str, start: datetime, end: datetime
) -> tuple[list[CalendarEvent], bool]:
    """Every event of the calendar that overlaps [start, end), cancelled ones included, and
    whether that is all of them (False when it stopped at MAX_PAGES)."""
    from kiota_abstractions.base_request_configuration import RequestConfiguration

    builder = _builder(conn, calendar)
    params = builder.CalendarViewRequestBuilderGetQueryParameters(
        start_date_time=_iso(start),
        end_date_time=_iso(end),
        select=["id", "subject", "start", "end", "isCancelled", "isAllDay", "webLink", "type"],
        orderby=["start/dateTime"],
        top=PAGE,
    )
    first: RequestConfiguration[Any] = RequestConfiguration(query_parameters=params)
    first.headers.add("Prefer", 'outlook.timezone="UTC"')
    page = await builder.get(request_configuration=first)
    events: list[CalendarEvent] = []
    pages = 0
    while page is not None:
        pages += 1
        for ev in page.value or []:
            starts = _when(ev.start)
            if not ev.id or starts is None:
                continue
            events.append(
                CalendarEvent(
                    event_id=str(ev.id),
                    subject=str(ev.subject or ""),
                    starts_at=starts,
                    cancelled=bool(ev.is_cancelled),
                    web_link=ev.web_link,
                )
            )
        link = page.odata_next_link
        if not link:
            break
        if pages >= MAX_PAGES:
            log.warning("sharepoint calendar: stopped after %d pages; the rest is left out", pages)
            return events, False
        more: RequestConfiguration[Any] = RequestConfiguration()
        more.headers.add("Prefer", 'outlook.timezone="UTC"')
        page = await builder.with_url(link).get(request_configuration=more)
    log.info("sharepoint calendar: %d events in %d page(s) from %s", len(events), pages, calendar)
    return events, True
