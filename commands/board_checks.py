"""Field shapes of the board file, each refused in words a board officer can act on.

Kept apart from commands.board_schema (which only names which field has which shape), so a
value's rule and its message live together: a time is "HH:MM on the 24-hour clock", a Slack
channel id "starts with C or G followed by 6–12 capital letters or digits", never a regex.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator

_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")
_SLACK_USER = re.compile(r"[UW][A-Z0-9]{6,12}")
_SLACK_CHANNEL = re.compile(r"[CGD][A-Z0-9]{6,12}")
_GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_TEAMS_CHANNEL = re.compile(r"19:[^\s@]+@thread\.(tacv2|skype)")
# 14/01/2027, 14/01/2027 10:00, 14-01-2027 10:00 or 14.01.2027 (day first, as UK officers write).
_UK_DATE = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T,]+(\d{1,2})[:.](\d{2}))?")
MAX_DAYS = 366


def clock_time(value: str) -> str:
    m = _CLOCK.fullmatch(value.strip())
    if not m or int(m[1]) > 23 or int(m[2]) > 59:
        raise ValueError(f'"{value}" is not a time: write HH:MM on the 24-hour clock, e.g. "09:30"')
    return f"{int(m[1]):02d}:{m[2]}"


def day_count(value: int) -> int:
    if not 0 <= value <= MAX_DAYS:
        raise ValueError(f"{value} is not a number of days: use a whole number from 0 to {MAX_DAYS}")
    return value


def positive_count(value: int) -> int:
    if value < 1:
        raise ValueError(f"{value} is not allowed here: use a whole number of 1 or more")
    return value


def day_counts(values: list[int]) -> list[int]:
    wrong = [v for v in values if not 0 <= v <= MAX_DAYS]
    if wrong:
        listed = ", ".join(str(v) for v in wrong)
        raise ValueError(
            f"{listed} {'is' if len(wrong) == 1 else 'are'} not a number of days before the deadline: "
            f"use whole numbers from 0 (the day itself) to {MAX_DAYS}, e.g. [28, 14, 7, 1, 0]"
        )
    return values


def file_key(value: str) -> str:
    if not _KEY.fullmatch(value):
        raise ValueError(
            f'"{value[:80]}" is not an id: use up to 64 letters, digits, "-", "_" or ".", '
            'starting with a letter or digit, e.g. "probation-northshire"'
        )
    return value


def slack_user_id(value: str) -> str:
    if not _SLACK_USER.fullmatch(value):
        raise ValueError(
            f'"{value}" is not a Slack user id: it starts with U or W followed by 6–12 capital letters '
            "or digits, e.g. U0123ABCD (in Slack: the person's profile, ⋮, Copy member ID)"
        )
    return value


def teams_user_id(value: str) -> str:
    if not _GUID.fullmatch(value):
        raise ValueError(
            f'"{value}" is not a Microsoft Entra object id: it is 32 hexadecimal digits in five groups '
            "of 8-4-4-4-12 joined by hyphens, e.g. 0c1a0000-0000-4000-8000-000000000001"
        )
    return value


def slack_channel_id(value: str) -> str:
    if not _SLACK_CHANNEL.fullmatch(value):
        raise ValueError(
            f'"{value}" is not a Slack channel id: it starts with C or G followed by 6–12 capital '
            "letters or digits, e.g. C0123ABCD (in Slack: the channel's details, at the bottom; "
            "not the channel's #name)"
        )
    return value


def teams_channel_id(value: str) -> str:
    if not _TEAMS_CHANNEL.fullmatch(value):
        raise ValueError(
            f'"{value}" is not a Teams channel id: it starts with "19:" and ends with "@thread.tacv2", '
            'e.g. "19:abc123@thread.tacv2" (in Teams: the channel\'s ⋯, Get link to channel)'
        )
    return value


def uk_datetime(value: Any) -> Any:
    """A date written day first ("14/01/2027 10:00") becomes a datetime; ISO text and YAML's
    own dates pass through to pydantic unchanged."""
    if not isinstance(value, str):
        return value
    m = _UK_DATE.fullmatch(value.strip())
    if not m:
        return value
    day, month, year = int(m[1]), int(m[2]), int(m[3])
    hour, minute = (int(m[4]), int(m[5])) if m[4] else (0, 0)
    try:
        return datetime(year, month, day, hour, minute)
    except ValueError:
        raise ValueError(
            f'"{value}" is not a date and time: write the day first, e.g. "14/01/2027 10:00" '
            'or "2027-01-14T10:00"'
        ) from None


ClockTime = Annotated[str, AfterValidator(clock_time)]
DayCount = Annotated[int, AfterValidator(day_count)]
DayCounts = Annotated[list[int], AfterValidator(day_counts)]
PositiveCount = Annotated[int, AfterValidator(positive_count)]
FileKey = Annotated[str, AfterValidator(file_key)]
SlackUserId = Annotated[str, AfterValidator(slack_user_id)]
TeamsUserId = Annotated[str, AfterValidator(teams_user_id)]
SlackChannelId = Annotated[str, AfterValidator(slack_channel_id)]
TeamsChannelId = Annotated[str, AfterValidator(teams_channel_id)]
BoardDateTime = Annotated[datetime, BeforeValidator(uk_datetime)]
