"""The agenda of a meeting, built from the database: deterministic, every item with its
reference, and short enough for one chat message (long lists are cut with a pointer to the
command that shows them all).

Actions, findings and Section 11 returns are read through a `Viewer`: the clock posts the
board's agenda (`policy.BOARD`) into the meeting's channel; an agency lead's preview holds, and
counts, only what they may see (commands/meetings/status.py says what that is).

The sub-group's and the Board's agendas list the open rapid reviews by case code and next
step (case codes only); an agency lead's preview leaves them out, as their /qa status does."""

from __future__ import annotations

from commands.context import Scope
from commands.dates import format_date, local_date
from commands.document_health import staleness
from commands.meetings import KINDS, action_line, agenda_post_at, clip, finding_line, when
from commands.reviews import summary as review_summary
from commands.types import Reply
from store import agenda as agenda_store
from store import board_status as board_status_store
from store import meetings as store
from store.models import Meeting
from store.visibility import Viewer

CAP = 8  # items shown per list
ITEMS_CAP = 15  # member-added items shown
INDENT = "   "
REVIEW_KINDS = ("subgroup", "board")  # the meetings that oversee rapid reviews


def _more(shown: int, total: int, where: str) -> list[str]:
    return [f"{INDENT}…and {total - shown} more; see {where}"] if total > shown else []


def build(scope: Scope, meeting: Meeting, viewer: Viewer) -> Reply:
    """The agenda as a neutral Reply, as the viewer may see it (the board's is both posted and
    previewed by the officers)."""
    s, tz, today = scope.session, scope.tz, scope.today
    day = local_date(meeting.starts_at, tz)
    prev = store.previous_of_kind(s, meeting)
    lines: list[str] = []
    refs: list[str] = []
    number = 0

    def section(title: str) -> None:
        nonlocal number
        number += 1
        lines.append(f"{number}. {title}")

    section("Apologies")
    lines += [f"{INDENT}{name} (@{handle})" for name, handle in agenda_store.apologies(s, meeting.id)]
    section(
        "Minutes of the last meeting"
        + (f" ({prev.title}, {format_date(local_date(prev.starts_at, tz))})" if prev else "")
        + " and matters arising"
    )

    earlier, total = agenda_store.actions_from_earlier_meetings(s, meeting, viewer, today, CAP)
    section(f"Open actions from earlier meetings ({total})")
    lines += [INDENT + action_line(a, today) for a in earlier] or [INDENT + "None open."]
    lines += _more(len(earlier), total, "/action list")
    refs += [f"A-{a.id}" for a in earlier]

    due, total = agenda_store.actions_due_by(s, meeting, viewer, day, today, CAP)
    section(f"Other actions due by {format_date(day)} ({total})")
    lines += [INDENT + action_line(a, today) for a in due] or [INDENT + "None."]
    lines += _more(len(due), total, "/action list")
    refs += [f"A-{a.id}" for a in due]

    findings, total = agenda_store.findings_between(
        s, viewer, prev.starts_at if prev else None, meeting.starts_at, limit=CAP
    )
    since = f"since the last {KINDS.get(meeting.kind, meeting.kind)}" if prev else "recorded so far"
    section(f"Findings {since} ({total})")
    lines += [INDENT + finding_line(f) for f in findings] or [INDENT + "None."]
    lines += _more(len(findings), total, "/finding list")
    refs += [f"F-{f.id}" for f in findings]

    progress = board_status_store.s11_progress(s, viewer)
    if progress is not None:
        c = progress.cycle
        section(f"Section 11 audit {c.year} ({c.cohort}): progress")
        whose = "" if viewer.board_wide else "of your agencies' "
        lines.append(
            f"{INDENT}{progress.submitted} of {progress.agencies} {whose}returns in, "
            f"{progress.outstanding} outstanding; "
            f"extensions: {progress.extensions_granted} granted, {progress.extensions_requested} requested; "
            f"deadline {format_date(c.deadline)}"
        )
        if progress.outstanding_names:
            shown = ", ".join(progress.outstanding_names)
            extra = progress.outstanding - len(progress.outstanding_names)
            lines.append(
                f"{INDENT}Outstanding: {shown}" + (f" and {extra} more; see /s11 status" if extra > 0 else "")
            )
    elif meeting.kind == "s11_panel":
        section("Section 11 audit")
        lines.append(INDENT + "No Section 11 cycle is open.")

    if meeting.kind == "priority_panel" and meeting.priority:
        p = meeting.priority
        pa, total = agenda_store.open_actions_for_priority(s, p, viewer, today, CAP)
        section(f"{p}: open actions ({total})")
        lines += [INDENT + action_line(a, today) for a in pa] or [INDENT + "None open."]
        lines += _more(len(pa), total, f"/action list #{_tag(p)}")
        refs += [f"A-{a.id}" for a in pa]
        pf, total = agenda_store.findings_between(s, viewer, None, meeting.starts_at, priority=p, limit=CAP)
        section(f"{p}: findings ({total})")
        lines += [INDENT + finding_line(f) for f in pf] or [INDENT + "None."]
        lines += _more(len(pf), total, f"/finding list #{_tag(p)}")
        refs += [f"F-{f.id}" for f in pf]

    if meeting.kind in REVIEW_KINDS and viewer.board_wide:
        reviews = review_summary.open_lines(scope, indent=INDENT)
        section(f"Rapid reviews ({len(reviews)} open)")
        lines += reviews or [INDENT + "None open."]

    added = agenda_store.agenda_items(s, meeting.id)
    section(f"Items added by members ({len(added)})")
    for item, handle in added[:ITEMS_CAP]:
        lines.append(f"{INDENT}- {clip(item.text)} (@{handle})" if handle else f"{INDENT}- {clip(item.text)}")
    if not added:
        lines.append(INDENT + "None yet.")
    if len(added) > ITEMS_CAP:
        lines.append(f"{INDENT}…and {len(added) - ITEMS_CAP} more; see /qa agenda")

    papers = agenda_store.papers(s, meeting.id)
    section(f"Papers ({len(papers)})")
    for doc in papers[:CAP]:
        lines.append(f"{INDENT}{clip(doc.name, 120)}" + (f" — {doc.web_url}" if doc.web_url else ""))
    if not papers:
        lines.append(INDENT + "None filed yet.")
    if len(papers) > CAP:
        lines.append(f"{INDENT}…and {len(papers) - CAP} more; see /docs")
    stale = staleness(scope)
    if stale:
        lines.append(INDENT + stale)
    section("Any other business")
    lines.append(
        "Reply in this thread to add an item (or to send your apologies), or use /qa agenda add <text>."
    )

    post_at = agenda_post_at(meeting, scope.board)
    return Reply(
        title=clip(f"Agenda: {meeting.title} — {when(meeting, tz)}", 150),
        lines=lines,
        visibility="channel",
        data={
            "meeting_id": meeting.id,
            "refs": refs,
            "posts_at": post_at.isoformat(),
        },
    )


def _tag(priority: str) -> str:
    from commands.grammar import PRIORITIES

    for tag, name in PRIORITIES.items():
        if name == priority:
            return tag
    return priority.lower().replace(" ", "")
