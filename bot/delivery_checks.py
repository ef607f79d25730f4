"""What `qabot import` and `qabot doctor` say about delivery: who has no address on any
configured platform, which posts failed for good or were parked, and whether the bot is a
member of every Slack channel it posts into (joining the public ones on import)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session, sessionmaker

from commands.clock import Clock
from commands.context import Scope
from commands.delivery_report import reach_lines, why
from commands.intake import REPLY_RETRY
from integrations.connector import FAIL, OFF, OK, WARN
from store import addresses, members, outbox_problems
from store import meetings as meeting_store

if TYPE_CHECKING:
    from bot.settings import Settings

SHOWN = 5
# How far back `qabot doctor` lists answers that had to be sent again through the outbox.
ANSWERS_WINDOW = timedelta(days=14)


def reach_report(sessions: sessionmaker[Session], clock: Clock, platforms: tuple[str, ...]) -> list[str]:
    """One line per agency or member that no configured platform can reach ([] when no board)."""
    with sessions() as s:
        board = members.board(s)
        if board is None:
            return []
        scope = Scope(session=s, clock=clock, board=board, platforms=platforms)
        return reach_lines(scope, members.all_agencies(s), members.all_members(s))


def slack_channels(session: Session) -> dict[str, str]:
    """label -> Slack channel id, for every configured board, agency and meeting channel."""
    found: dict[str, str] = {}
    for name, where in addresses.channels(session).items():
        if where.get("slack"):
            found.setdefault(where["slack"], f"the {name} channel")
    for agency in members.all_agencies(session):
        own = addresses.of(session, addresses.AGENCY, agency.id).get("slack")
        if own:
            found.setdefault(own, f"{agency.name}'s channel")
    for meeting_id, channel in addresses.on_platform(session, addresses.MEETING, "slack"):
        meeting = meeting_store.get(session, meeting_id)
        found.setdefault(channel, f"the channel of {meeting.title if meeting else 'a meeting'}")
    return {label: channel for channel, label in found.items()}


def outbox_check(sessions: sessionmaker[Session]) -> tuple[str, str]:
    """(status, detail) for posts that failed for good or were parked."""
    with sessions() as s:
        counts = outbox_problems.counts(s)
        bad = outbox_problems.latest(s, outbox_problems.FAILED, SHOWN) + outbox_problems.latest(
            s, outbox_problems.PARKED, SHOWN
        )
        shown = [f"{r.kind} to {r.channel} ({why(r)})" for r in bad[:SHOWN]]
    failed, parked = counts.get(outbox_problems.FAILED, 0), counts.get(outbox_problems.PARKED, 0)
    unreachable = counts.get(outbox_problems.UNREACHABLE, 0)
    tail = f"; {unreachable} addressed to nobody (see Reach)" if unreachable else ""
    if failed or parked:
        return FAIL, (
            f"{failed} post(s) failed for good, {parked} parked with an unknown outcome{tail}: "
            + "; ".join(shown)
            + ". The QA officer was told in the QA channel; see /qa status."
        )
    return OK, f"no failed or parked posts{tail}."


def answers_check(sessions: sessionmaker[Session], clock: Clock) -> tuple[str, str]:
    """(status, detail) for answers to people that could not be given in the turn (an unclear
    outcome, a failed reply) and went through the outbox: who they went to, by name, or as
    someone not on the board (no member row: they were told "not on the board", and nobody
    else hears of it), and whether they arrived."""
    with sessions() as s:
        rows = outbox_problems.of_kind_since(s, REPLY_RETRY, clock.now() - ANSWERS_WINDOW)
        strangers, members_hit, stuck = [], 0, []
        for r in rows:
            person = members.by_platform_id(s, r.platform, r.channel)
            place = addresses.subjects_at(s, r.platform, r.channel)
            state = "sent" if r.status == "sent" else "not sent yet"
            if r.status in outbox_problems.PROBLEMS:
                state = why(r)
            if person is None and not place:
                strangers.append(f"{r.channel} on {r.platform} ({state})")
            else:
                members_hit += 1
                if r.status != "sent":
                    stuck.append(f"to {'@' + person.handle if person else r.channel} ({state})")
    if not rows:
        return OK, "no answer had to be sent again through the outbox in the last 14 days."
    head = f"{len(rows)} answer(s) sent again through the outbox in the last 14 days"
    parts = []
    if strangers:
        parts.append(
            f"{len(strangers)} to someone not on the board (no member row; add them to the board file "
            "if they should use the bot): " + "; ".join(strangers[:SHOWN])
        )
    if stuck:
        parts.append(f"{len(stuck)} to the board not delivered: " + "; ".join(stuck[:SHOWN]))
    if parts:
        return WARN, head + ": " + ". ".join(parts) + "."
    return OK, f"{head}, all delivered to members or board channels ({members_hit})."


def slack_membership_check(settings: Settings, sessions: sessionmaker[Session]) -> tuple[str, str]:
    if not settings.slack.enabled:
        return OFF, "Slack is not configured (nothing to be a member of)."
    from integrations.slack.membership import check_all

    with sessions() as s:
        channels = slack_channels(s)
    if not channels:
        return WARN, "Slack: no channel is configured in the board file."
    problems = check_all(settings.slack, channels)
    if problems:
        return FAIL, "Slack: " + "; ".join(str(p) for p in problems) + "."
    return OK, f"Slack: the bot is a member of all {len(channels)} configured channels."


def join_slack_channels(settings: Settings, sessions: sessionmaker[Session]) -> list[str]:
    """`qabot import`: join every public channel; what could not be joined, in words."""
    if not settings.slack.enabled:
        return []
    from integrations.slack.membership import join_all

    with sessions() as s:
        channels = slack_channels(s)
    return [str(p) for p in join_all(settings.slack, channels)]


def digest_check(sessions: sessionmaker[Session], clock: Clock) -> tuple[str, str] | None:
    """(status, detail) for the weekly digest: its last run, a week it missed, who it missed
    (commands/digest/health.py); None when no board is loaded."""
    from commands.digest import health

    with sessions() as s:
        board = members.board(s)
        if board is None:
            return None
        found = health.check(s, board, clock.now())
    return (OK if found.ok else WARN), found.detail
