"""A filled Section 11 workbook found in an agency's SharePoint folder (or posted in its
thread, workbook_posted.py): what it is checked against, and what its reading does.

The SharePoint sync (integrations/sharepoint/workbooks.py) asks `due` for the spreadsheets in
agencies' folders whose current version has not been read, reads each (integrations/workbooks/)
against the `Expected` given here, and hands the result to `apply`, one transaction per file:
- no errors: every answer stored (source "workbook", all or nothing), the return marked
  submitted (audited), the thread told "Read <file> v3: 31 answers stored, …";
- any error: nothing stored; the thread and /s11 status get the errors by sheet and cell;
- a spreadsheet that is not a QA Bot workbook (no hidden id sheet) is ordinary evidence.
A version is read once (`s11_workbook_imports`); a copy saved over it is a new version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from commands import guard, posting
from commands.common import board_vocabulary
from commands.context import Scope
from commands.dates import format_datetime
from commands.section11 import workbook_who
from commands.section11.common import cycle_name, possessive, return_snapshot, settings, thread_key
from commands.section11.outcomes import mark_submitted
from commands.section11.workbook_data import Expected, ReadResult, TextGuard, WorkbookIds
from commands.section11.workbook_shapes import scale_points, scale_title, sheets_of
from commands.types import Reply
from store import s11_scores
from store import s11_workbooks as wb_store
from store.models import Member, S11Return, S11WorkbookImport
from store.s11_workbooks import Due

SHOWN_ERRORS = 25  # errors listed in the thread; the rest are counted


@dataclass(frozen=True)
class WorkbookJob:
    """One version of one spreadsheet to read, and what to check it against."""

    due: Due
    expected: Expected


def guard_of(scope: Scope) -> TextGuard:
    vocabulary = board_vocabulary(scope.session)

    def check(text: str) -> str | None:
        hits = guard.check(text, vocabulary)
        if not hits:
            return None
        found = ", ".join(h.describe() for h in hits[:3])
        return f"looks as if it could identify a child or family ({found}); nothing like that may be stored"

    return check


def expected_for(scope: Scope, ret: S11Return) -> Expected:
    from commands.section11 import standards as std_rules

    cfg = settings(scope.board)
    scale = std_rules.scale_of(cfg)
    year = ret.cycle.year
    return Expected(
        ids=ids_of(scope, ret),
        scale=scale_points(scale),
        scale_name=scale_title(scale),
        standards=sheets_of(std_rules.standards_of(cfg)),
        guard=guard_of(scope),
        earliest=date(year - 3, 1, 1),  # last cycle's actions may be carried forward
        latest=date(year + 6, 12, 31),
    )


def ids_of(scope: Scope, ret: S11Return) -> WorkbookIds:
    return WorkbookIds(
        board=scope.board.name,
        agency_id=ret.agency_id,
        agency=ret.agency.name,
        cycle_id=ret.cycle_id,
        year=ret.cycle.year,
        cohort=ret.cycle.cohort,
    )


def due(scope: Scope) -> list[WorkbookJob]:
    jobs = []
    for item in wb_store.due(scope.session):
        ret = wb_store.return_of(scope.session, item.return_id)
        if ret is not None and ret.cycle.status != "cancelled":
            jobs.append(WorkbookJob(item, expected_for(scope, ret)))
    return jobs


def apply(scope: Scope, job: WorkbookJob, result: ReadResult) -> int:
    """Store what the reading gave (or nothing, with its errors), record the version, and tell
    the agency's thread; how many posts were queued. Called in one transaction."""
    item = job.due
    ret = wb_store.return_of(scope.session, item.return_id)
    if ret is None or not wb_store.still_current(scope.session, item):
        return 0  # moved, deleted or changed again since it was downloaded: the next sync reads it
    reply, posts = outcome(scope, ret, item, result, job.expected)
    return posts + (_tell(scope, ret, item, reply) if reply is not None else 0)


def outcome(
    scope: Scope,
    ret: S11Return,
    item: Due,
    result: ReadResult,
    expected: Expected,
    poster: Member | None = None,
) -> tuple[Reply | None, int]:
    """What reading this version does: the answers stored (all or nothing) or its errors
    recorded; the reply for the agency's thread (None: not a QA Bot workbook, or this version
    was read already) and how many posts to the QA channel were queued. `poster`: the member
    who posted it in the thread (they are named as who answered)."""
    if not result.ours:
        wb_store.record(scope.session, item, at=scope.now, outcome="not_ours", answers=0, errors=[])
        return None, 0
    if result.errors:
        row = wb_store.record(
            scope.session, item, at=scope.now, outcome="errors", answers=0, errors=result.errors
        )
        if row is None:
            return None, 0
        post = _progress_post(ret, item, result, expected) if _only_unanswered(result) else None
        return post or _errors_post(ret, item, result.errors), 0
    return _store(scope, ret, item, result, poster)


def _store(
    scope: Scope, ret: S11Return, item: Due, result: ReadResult, poster: Member | None
) -> tuple[Reply | None, int]:
    from commands.section11 import standards as std_rules

    scale = std_rules.scale_of(settings(scope.board))
    rows = [
        s11_scores.Answer(
            sub=a.label,
            self_score=scale.parse(a.self_score) if a.self_score is not None else None,
            evidence=a.evidence,
            improvement=a.improvement,
            agency_action=a.action,
            action_deadline=a.deadline,
        )
        for a in result.answers
    ]
    if (
        wb_store.record(scope.session, item, at=scope.now, outcome="stored", answers=len(rows), errors=[])
        is None
    ):
        return None, 0  # another process read this version first
    before = return_snapshot(ret)
    by_id, by_line = workbook_who.who(scope, item, poster)
    saved = s11_scores.replace_answers(scope.session, ret.id, rows, "workbook", by_id, scope.now)
    changed = sum(s.changed for s in saved)
    was_submitted = ret.status == "submitted"
    if not was_submitted:
        mark_submitted(ret, at=scope.now, by_id=by_id, url=item.web_url)
    scope.audit(
        "s11_return",
        ret.id,
        "workbook read",
        before,
        {
            **return_snapshot(ret),
            "file": item.path,
            "version": item.version_no,
            "answers": len(rows),
            "changed": changed,
            "by_id": by_id,
        },
    )
    head = f"Read {item.name} v{item.version_no}: {len(rows)} answers stored"
    if was_submitted:
        lines = [
            f"{head}; the return was already submitted, so {changed} changed answers are recorded "
            "and the QA officer told."
        ]
        posts = _tell_qa(
            scope,
            ret,
            item,
            f"{possessive(ret.agency.name)} Section 11 answers changed after submission",
            [
                f"{item.name} v{item.version_no} changed {changed} answers ({item.path}).",
                *([item.web_url] if item.web_url else []),
            ],
        )
    else:
        lines = [f"{head}, return marked submitted.", "No more reminders will be sent for it."]
        posts = 0
    lines.append(by_line)
    reply = Reply(
        title=f"Section 11 workbook read — {ret.agency.name}",
        lines=lines,
        visibility="channel",
        data={"return_id": ret.id, "answers": len(rows), "file": item.name, "version": item.version_no},
    )
    return reply, posts


def _only_unanswered(result: ReadResult) -> bool:
    return bool(result.unanswered) and len(result.unanswered) == len(result.errors)


def _progress_post(ret: S11Return, item: Due, result: ReadResult, expected: Expected) -> Reply:
    """Still being filled in (e.g. edited in SharePoint, saved as it goes): how far it has got."""
    total = sum(len(s.subs) for s in expected.standards)
    left = result.unanswered
    shown = ", ".join(left[:20]) + (f" and {len(left) - 20} more" if len(left) > 20 else "")
    return Reply(
        title=f"Section 11 workbook in progress — {ret.agency.name}",
        lines=[
            f"Read {item.name} v{item.version_no}: {total - len(left)} of {total} questions have a "
            "self-score; nothing is stored until every question has one.",
            f"Still to score: {shown}.",
        ],
        visibility="channel",
        data={"return_id": ret.id, "unanswered": len(left), "file": item.name, "version": item.version_no},
    )


def _errors_post(ret: S11Return, item: Due, errors: list[str]) -> Reply:
    shown = errors[:SHOWN_ERRORS]
    more = len(errors) - len(shown)
    return Reply(
        title=f"Section 11 workbook not read — {ret.agency.name}",
        lines=[
            f"Read {item.name} v{item.version_no}: {len(errors)} error{'s' if len(errors) != 1 else ''}, "
            "so nothing from it was stored and the return is unchanged.",
            *shown,
            *([f"… and {more} more."] if more else []),
            "Correct the cells named and save the workbook again in the same folder: it is read again."
            if item.document_id is not None
            else "Correct the cells named and post the workbook again in this thread: it is read again.",
        ],
        visibility="channel",
        data={"return_id": ret.id, "errors": len(errors), "file": item.name, "version": item.version_no},
    )


def _tell(scope: Scope, ret: S11Return, item: Due, reply: Reply) -> int:
    rows = posting.to_agency(
        scope,
        ret.agency,
        key=f"s11wb:{item.drive_item_id}:{item.version_key}",
        kind="s11_workbook",
        reply=reply,
        thread_key=thread_key(ret.cycle_id, ret.agency_id),
        subject=("s11_return", ret.id),
    )
    return len(rows)


def _tell_qa(scope: Scope, ret: S11Return, item: Due, title: str, lines: list[str]) -> int:
    rows = posting.to_channel(
        scope,
        "qa",
        key=f"s11wb:{item.drive_item_id}:{item.version_key}:qa",
        kind="s11_comment",
        reply=Reply(
            title=title,
            lines=[*lines, f"{cycle_name(ret.cycle)}; see /s11 status {ret.cycle.year}."],
            visibility="channel",
            data={"agency": ret.agency.name},
        ),
    )
    return len(rows)


def status_lines(scope: Scope, returns: list[S11Return]) -> list[str]:
    """For /s11 status: each return's last workbook read that had errors (shown until a later
    version reads cleanly), and the last that was stored."""
    out = []
    for return_id, row in wb_store.last_for_returns(scope.session, [r.id for r in returns]).items():
        ret = next(r for r in returns if r.id == return_id)
        out.append(_status_line(scope, ret, row))
    return out


def _status_line(scope: Scope, ret: S11Return, row: S11WorkbookImport) -> str:
    when = format_datetime(row.read_at, scope.tz)
    head = f"{ret.agency.name} — workbook {row.file_name} v{row.version_no} read {when}"
    if row.outcome == "stored":
        return f"{head}: {row.answers} answers stored"
    errors = list(row.errors or [])
    if errors and all(": no self-score for " in e for e in errors):
        return f"{head}: in progress, {len(errors)} questions still to score, nothing stored"
    shown = "; ".join(errors[:5]) + (f"; … and {len(errors) - 5} more" if len(errors) > 5 else "")
    return f"{head}: {len(errors)} error{'s' if len(errors) != 1 else ''}, nothing stored — {shown}"


def template_saved(
    scope: Scope, return_id: int, item_id: str, name: str, modified_at: datetime | None, size: int | None
) -> None:
    wb_store.record_template(
        scope.session, return_id, item_id, name, wb_store.version_key(modified_at, size), scope.now
    )
