"""The Section 11, rapid review, escalation and meeting sections of the Board papers."""

from __future__ import annotations

from commands.context import Scope
from commands.dates import format_date, format_datetime, local_date
from commands.meetings import KINDS, clip
from commands.papers.actions import pct
from commands.papers.model import Bullets, Chart, Section, Table
from commands.papers.period import Period
from commands.reviews import summary as review_summary
from store import board_record, board_record_s11
from store.board_record import FindingFigures, MeetingHeld
from store.visibility import Viewer

RETURN_STATUS = {
    "not_started": "Not started",
    "document_received": "Document received",
    "extension_requested": "Extension asked for",
    "extension_granted": "Extension granted",
    "submitted": "Submitted",
}
ESCALATIONS_SHOWN = 20


def _rag(counts: tuple[int, int, int]) -> str:
    return "—" if not any(counts) else f"{counts[0]} / {counts[1]} / {counts[2]}"


def section11(scope: Scope, viewer: Viewer, period: Period) -> Section:
    """Each cycle of the period: returns in, extensions, and per agency the standards'
    self-assessed and moderated RAG (red / amber / green)."""
    sec = Section("Section 11: returns and scores")
    cycles = board_record_s11.cycles_in(
        scope.session, since=period.since, until=min(period.until, scope.now), since_day=period.first_day
    )
    if not cycles:
        sec.blocks.append(f"No Section 11 cycle ran {period.text()} (source: /s11 status).")
        return sec
    for cycle in cycles:
        rows = board_record_s11.returns_with_scores(scope.session, cycle.id, viewer)
        sub = Section(f"Section 11 {cycle.year} ({cycle.cohort})")
        done = sum(r.status == "submitted" for r in rows)
        ext = sum(r.extension_to is not None for r in rows)
        self_t = tuple(sum(r.self_rag[i] for r in rows) for i in range(3))
        mod_t = tuple(sum(r.moderated[i] for r in rows) for i in range(3))
        sub.blocks.append(
            f"Deadline {format_date(cycle.deadline)}; cycle {cycle.status}. {done} of {len(rows)} returns "
            f"submitted ({pct(done, len(rows))}); {ext} extensions granted. "
            f"Standards rated red / amber / green: self-assessed {_rag((self_t[0], self_t[1], self_t[2]))}, "
            f"moderated {_rag((mod_t[0], mod_t[1], mod_t[2]))} "
            f"(source: /s11 status {cycle.year} {cycle.cohort})."
        )
        sub.blocks.append(
            Table(
                ["Agency", "Return", "Submitted", "Self-assessed R / A / G", "Moderated R / A / G"],
                [
                    [
                        r.agency,
                        RETURN_STATUS.get(r.status, r.status),
                        format_date(local_date(r.submitted_at, scope.tz)) if r.submitted_at else "—",
                        _rag(r.self_rag),
                        _rag(r.moderated),
                    ]
                    for r in rows
                ],
                caption="Returns and the standards' ratings by agency",
                source=f"source: /s11 status {cycle.year} {cycle.cohort} and /s11 panel {cycle.year}",
            )
        )
        if any(self_t) or any(mod_t):
            sub.blocks.append(
                Chart(
                    kind="bars",
                    title=f"Section 11 {cycle.year}: standards by RAG, self-assessed and moderated",
                    categories=["Self-assessed", "Moderated"],
                    series=[
                        (name, [float(self_t[i]), float(mod_t[i])])
                        for i, name in enumerate(("Red", "Amber", "Green"))
                    ],
                    stacked=True,
                    alt_text=f"Self-assessed: {self_t[0]} red, {self_t[1]} amber, "
                    f"{self_t[2]} green standards; "
                    f"moderated: {mod_t[0]} red, {mod_t[1]} amber, {mod_t[2]} green.",
                )
            )
        sec.subsections.append(sub)
    return sec


def reviews(scope: Scope, viewer: Viewer, period: Period, *, timelines: bool) -> Section:
    """The rapid reviews open during the period; with `timelines`, each one's audited steps."""
    sec = Section("Rapid reviews")
    found = board_record_s11.reviews_in(
        scope.session, viewer, since=period.since, until=min(period.until, scope.now)
    )
    if not found:
        sec.blocks.append(f"No rapid review was open {period.text()} (source: /review status).")
        return sec
    decided: dict[str, int] = {}
    for r in found:
        decided[r.panel_decision or "awaiting the Panel"] = (
            decided.get(r.panel_decision or "awaiting the Panel", 0) + 1
        )
    still_open = sum(r.status == "open" for r in found)
    sec.blocks.append(
        f"{len(found)} rapid reviews during the period ({', '.join(r.code for r in found)}); "
        f"{still_open} still open. Panel decisions: "
        f"{', '.join(f'{k} {n}' for k, n in sorted(decided.items()))} (source: /review status)."
    )
    sec.blocks.append(
        Table(
            ["Case", "Aware", "Sent to the Panel", "Panel decision", "Status"],
            [
                [
                    r.code,
                    format_date(r.aware_on),
                    format_date(r.sent_on) if r.sent_on else "—",
                    r.panel_decision or "—",
                    r.status,
                ]
                for r in found
            ],
        )
    )
    if timelines:
        for r in found:
            sec.subsections.append(
                Section(
                    f"{r.code}: timeline (source: /review timeline {r.code})",
                    [Bullets(review_summary.timeline(scope, r))],
                )
            )
    return sec


def escalations(
    scope: Scope, viewer: Viewer, period: Period, findings: FindingFigures, n_actions: int
) -> Section:
    """What went up to the Board: escalated actions, findings flagged for the Board, and the
    Section 11 cycles and reviews the clock escalated."""
    until = min(period.until, scope.now)
    sec = Section("Escalations")
    acts = board_record.escalated_actions(
        scope.session, viewer, since=period.since, until=until, limit=ESCALATIONS_SHOWN
    )
    clock = board_record.clock_escalations(scope.session, viewer, since=period.since, until=until)
    cycles = board_record.cycle_names(
        scope.session, {e.entity_id for e in clock if e.entity == "s11_cycle" and e.entity_id}
    )
    codes = {
        r.id: r.code
        for r in board_record_s11.reviews_in(scope.session, viewer, since=period.since, until=until)
    }
    sec.blocks.append(
        f"{n_actions} actions escalated, {findings.escalated} findings escalated to the Board, and "
        f"{len(clock)} Section 11 or rapid review escalations by the bot's clock "
        "(source: /qa status and the audit log, E-<n>)."
    )
    if acts:
        sec.blocks.append(
            Table(
                ["Ref", "Action", "Agency", "Escalated", "Status"],
                [
                    [
                        f"A-{a.id}",
                        clip(a.text, 140),
                        a.agency or "—",
                        format_datetime(a.at, scope.tz) if a.at else "—",
                        {"done": "Closed", "cancelled": "Cancelled"}.get(a.status or "", "Open"),
                    ]
                    for a in acts
                ],
                caption=f"Escalated actions (the latest {len(acts)} of {n_actions})",
            )
        )
    if clock:
        sec.blocks.append(
            Bullets(
                [
                    f"{format_datetime(e.at, scope.tz)}: "
                    + (
                        cycles.get(e.entity_id or -1, "a Section 11 cycle")
                        if e.entity == "s11_cycle"
                        else f"rapid review {codes.get(e.entity_id or -1, '?')}"
                    )
                    + f" escalated to the chair and the QA officer [E-{e.event_id}]"
                    for e in clock
                ]
            )
        )
    return sec


def meetings(scope: Scope, period: Period) -> tuple[Section, list[MeetingHeld]]:
    """The meetings held, each with its apologies, and who sent apologies how often (no
    attendance register is kept: attendance is read from apologies)."""
    until = min(period.until, scope.now)
    held = board_record.meetings_held(scope.session, since=period.since, until=until)
    cancelled = board_record.cancelled_meetings(scope.session, since=period.since, until=until)
    sec = Section("Meetings and attendance")
    if not held:
        sec.blocks.append(f"No meeting was held {period.text()} (source: /qa meetings).")
        return sec, held
    by_kind: dict[str, int] = {}
    for m in held:
        by_kind[m.kind] = by_kind.get(m.kind, 0) + 1
    apologies = sum(m.apologies for m in held)
    sec.blocks.append(
        f"{len(held)} meetings held "
        f"({', '.join(f'{n} {KINDS.get(k, k)}' for k, n in sorted(by_kind.items()))}); "
        f"{cancelled} cancelled. {apologies} apologies were sent in the meetings' threads "
        "(source: /qa meetings and /qa summary <date>)."
    )
    sec.blocks.append(
        Table(
            ["Date", "Meeting", "Apologies"],
            [[format_date(local_date(m.starts_at, scope.tz)), m.title, str(m.apologies)] for m in held],
            caption="Meetings held",
        )
    )
    people = board_record.apologies_by_member(scope.session, since=period.since, until=until)
    members = board_record.active_members(scope.session)
    sec.blocks.append(
        "No attendance register is kept: attendance is read from apologies. "
        f"{members - len(people)} of {members} active members sent no apologies."
    )
    if people:
        sec.blocks.append(
            Table(
                ["Member", "Apologies", "Meetings held"],
                [[f"{name} (@{handle})", str(n), str(len(held))] for name, handle, n in people],
                caption="Apologies by member",
            )
        )
    return sec, held
