"""Who was not reached and which posts failed, in words: for /s11 launch, /s11 status,
/qa status, the Section 11 escalation and the QA officer's delivery notices.

A safeguarding board must never believe chasing happens when it does not: an agency with no
address on any configured platform is "not reached" (never "sent", never "late as if chased"),
and a post that failed for good, or whose outcome stayed unknown, is named with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta

from commands import posting
from commands.context import Scope
from commands.dates import format_date, local_date
from store import outbox_problems
from store.models import Agency, Member, OutboxMessage, S11Return

TITLES = {"slack": "Slack", "teams": "Teams", "console": "the console"}
RECENT = timedelta(days=30)  # /qa status shows the problems of the last month
SHOWN = 5  # names or posts listed before "…and N more"


def platforms_words(platforms: Iterable[str]) -> str:
    """("slack", "teams") -> "Slack or Teams"."""
    names = [TITLES.get(p, p.title()) for p in platforms]
    return " or ".join(names) if len(names) <= 2 else ", ".join(names[:-1]) + " or " + names[-1]


def _names(items: Sequence[str]) -> str:
    shown = "; ".join(items[:SHOWN])
    return shown + (f"; …and {len(items) - SHOWN} more" if len(items) > SHOWN else "")


def unreachable_agencies(scope: Scope, agencies: Iterable[Agency]) -> list[Agency]:
    """Agencies with no address (own channel or lead) on any configured platform."""
    return [a for a in agencies if not posting.reachable(posting.address_agency(scope, a))]


def launch_line(scope: Scope, agencies: Sequence[Agency]) -> str | None:
    """'Sent to 9 agencies; 4 have no Slack or Teams address: …' (None when all are reached)."""
    missing = unreachable_agencies(scope, agencies)
    if not missing:
        return None
    reached = len(agencies) - len(missing)
    return (
        f"Sent to {reached} {'agency' if reached == 1 else 'agencies'}; {len(missing)} "
        f"{'has' if len(missing) == 1 else 'have'} no {platforms_words(scope.platforms)} address and "
        f"{'was' if len(missing) == 1 else 'were'} NOT sent the launch (nor will be chased): "
        f"{_names([a.name for a in missing])}. Give each a channel or a lead with an id in the board "
        "file and `qabot import` it."
    )


def why(row: OutboxMessage) -> str:
    """A problem post's reason in a few words."""
    if row.status == outbox_problems.UNREACHABLE:
        return f"no {platforms_words(row.platform.split('+'))} address"
    where = TITLES.get(row.platform, row.platform)
    reason = (row.last_error or "no reason recorded").split(": ")[-1]
    if row.status == outbox_problems.PARKED:
        return f"outcome unknown on {where}, not resent a third time"
    return f"failed on {where}: {reason}"


@dataclass
class ReturnDelivery:
    """How a cycle's posts fared: returns never reached, and posts that failed after a reach."""

    not_reached: dict[int, list[OutboxMessage]] = field(default_factory=dict)  # return id -> rows
    failed: dict[int, list[OutboxMessage]] = field(default_factory=dict)


def of_returns(scope: Scope, returns: Sequence[S11Return]) -> ReturnDelivery:
    rows = outbox_problems.of_subjects(scope.session, "s11_return", [r.id for r in returns])
    out = ReturnDelivery()
    reached = {r.subject_id for r in rows if r.status == "sent"}
    for row in rows:
        if row.status not in outbox_problems.PROBLEMS or row.subject_id is None:
            continue
        target = out.failed if row.subject_id in reached else out.not_reached
        target.setdefault(row.subject_id, []).append(row)
    return out


def cycle_lines(scope: Scope, returns: Sequence[S11Return]) -> list[str]:
    """For /s11 status: the returns whose agency was never reached, and posts that failed."""
    found = of_returns(scope, returns)
    names = {r.id: r.agency.name for r in returns}
    lines = []
    if found.not_reached:
        lines.append(
            "Not reached, so not chased: "
            + _names([f"{names[i]} ({why(rows[-1])})" for i, rows in found.not_reached.items()])
        )
    if found.failed:
        lines.append(
            "Posts that failed: "
            + _names([f"{names[i]} — {rows[-1].kind} ({why(rows[-1])})" for i, rows in found.failed.items()])
        )
    return lines


def board_lines(scope: Scope) -> list[str]:
    """For /qa status: posts of the last month that failed for good, were parked or reached nobody."""
    rows = outbox_problems.recent(scope.session, scope.now - RECENT, outbox_problems.PROBLEMS)
    if not rows:
        return []
    described = [
        f"{row.kind} to {row.channel} on {format_date(local_date(row.created_at, scope.tz))} ({why(row)})"
        for row in rows
    ]
    return [f"Posts not delivered in the last 30 days ({len(rows)}): " + _names(described)]


def unreachable_members(scope: Scope, people: Iterable[Member]) -> list[Member]:
    """Members with no address on any configured platform (posts to them would reach nobody)."""
    return [m for m in people if not posting.reachable(posting.address_member(scope, m))]


def reach_lines(scope: Scope, agencies: Sequence[Agency], people: Sequence[Member]) -> list[str]:
    """For `qabot import` and `qabot doctor`: who has no address, one line each."""
    where = platforms_words(scope.platforms)
    lines = [
        f"Agency {a.name} has no {where} address (no channel, and no lead with an id): its Section 11 "
        "posts will not be sent and it will not be chased."
        for a in unreachable_agencies(scope, agencies)
    ]
    lines += [
        f"Member @{m.handle} ({m.name}) has no {where} id: posts to them directly reach nobody."
        for m in unreachable_members(scope, people)
    ]
    return lines
