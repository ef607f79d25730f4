"""The digest in words: what the chair reads, section by section, each item with the
reference or command to act on it. Only sections with something in them are shown."""

from __future__ import annotations

from commands.common import clip
from commands.dates import format_date, format_datetime
from commands.digest.compute import AGENCIES_SHOWN, Digest
from commands.reviews.clocks import plural
from commands.types import Reply
from store.digest import Escalated

TEXT_CLIP = 80


def title(when: str, digest: Digest) -> str:
    """ "Weekly digest, week 2026-W50: 3 items need a decision or are late"."""
    verb = "needs a decision or is late" if digest.items == 1 else "need a decision or are late"
    return f"Weekly digest, {when}: {plural(digest.items, 'item')} {verb}"


def message(week: str, digest: Digest, tz: str) -> Reply:
    """The post: only what needs action (never called for an empty digest)."""
    lines = body(digest, tz)
    lines.append("For the whole picture: /qa status. This digest again, as it stands now: /qa digest.")
    return Reply(
        title=title(f"week {week}", digest),
        lines=lines,
        visibility="channel",
        data={"digest_week": week, "items": digest.items},
    )


def body(digest: Digest, tz: str) -> list[str]:
    lines: list[str] = []
    lines += _overdue(digest)
    lines += _section11(digest)
    lines += _reviews(digest)
    lines += _kpi(digest)
    lines += _escalations(digest, tz)
    return lines


def _agencies(n: int) -> str:
    return f"{n} agenc{'y' if n == 1 else 'ies'}"


def _overdue(d: Digest) -> list[str]:
    if not d.overdue:
        return []
    lines = [
        f"Overdue actions: {d.overdue_total} across {_agencies(len(d.overdue))}, most overdue first "
        "(all of them: /action list overdue):"
    ]
    for group in d.overdue[:AGENCIES_SHOWN]:
        oldest = ", ".join(
            f"A-{a.id} {clip(a.text, TEXT_CLIP)} ({plural((d.today - a.due).days, 'day')} overdue)"
            for a in group.oldest
        )
        lines.append(f"  {group.agency}: {group.count} overdue; oldest {oldest}")
    if len(d.overdue) > AGENCIES_SHOWN:
        rest = d.overdue[AGENCIES_SHOWN:]
        lines.append(
            f"  …and {sum(g.count for g in rest)} more in {len(rest)} other agencies "
            "(/action list overdue agency <name>)"
        )
    return lines


def _section11(d: Digest) -> list[str]:
    lines: list[str] = []
    if d.late_returns:
        lines.append(f"Section 11 returns past their deadline ({len(d.late_returns)}, see /s11 status):")
        lines += [
            f"  {r.agency} — {plural(r.days_late, 'day')} late (deadline {format_date(r.deadline)})"
            + (f", {r.note}" if r.note else "")
            + f" · {r.cycle}"
            for r in d.late_returns
        ]
    if d.unreached_returns:
        lines.append(
            "Section 11 returns outstanding from agencies the bot never reached, so never chased "
            "(not counted as late; give them a channel or a lead in the board file):"
        )
        lines += [f"  {r.agency} ({r.why}) · {r.cycle}" for r in d.unreached_returns]
    return lines


def _reviews(d: Digest) -> list[str]:
    if not d.review_clocks:
        return []
    lines = ["Rapid review clocks late or due this week (/review status <code>):"]
    lines += [f"  {c.code} · {c.label}: {c.state}" for c in d.review_clocks]
    return lines


def _kpi(d: Digest) -> list[str]:
    if not d.kpi:
        return []
    lines = [f"KPI figures that need a narrative and have none ({len(d.kpi)}, see /kpi <measure>):"]
    lines += [f"  {b.shown}" + ("" if b.asked_at else " (its lead not asked yet)") for b in d.kpi]
    return lines


def _escalation(e: Escalated, tz: str) -> str:
    when = format_datetime(e.at, tz)
    if e.kind == "action":
        return (
            f"  A-{e.id} · {clip(e.text, TEXT_CLIP)}"
            + (f" · {e.agency}" if e.agency else "")
            + f" · escalated {when}"
        )
    if e.kind == "finding":
        return (
            f"  F-{e.id} · {clip(e.text, TEXT_CLIP)}"
            + (f" · {e.agency}" if e.agency else "")
            + f" · flagged {when}"
        )
    if e.kind == "kpi":
        return f"  KPI {e.text} ({e.agency}) · no narrative given, escalated {when}"
    if e.kind == "s11_cycle":
        return f"  Section 11 {e.text} ({e.agency}) · late returns escalated {when}"
    return f"  Rapid review {e.text} · a late step escalated {when}"


def _escalations(d: Digest, tz: str) -> list[str]:
    if not d.escalations_total:
        return []
    lines = [f"Escalated since {format_datetime(d.since, tz)} ({d.escalations_total}):"]
    lines += [_escalation(e, tz) for e in d.escalations]
    if d.escalations_total > len(d.escalations):
        lines.append(f"  …and {d.escalations_total - len(d.escalations)} more (/qa status)")
    return lines
