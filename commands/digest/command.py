"""/qa digest (chair, QA officer): what the next weekly digest would say if it went now, when
it goes and to whom, and when the last one ran (sent, or nothing needed action)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from commands import policy
from commands.context import Context
from commands.dates import format_datetime
from commands.digest import words
from commands.digest.clock import ROLE_WORDS, since_for
from commands.digest.compute import compute
from commands.digest.settings import DigestSettings, next_slot, settings
from commands.errors import UsageError
from commands.groups import QA
from commands.registry import command
from commands.reviews.clocks import plural
from commands.reviews.settings import calendar
from commands.types import Reply
from store import digest as store
from store.models import DigestRun

DIGEST = "/qa digest"


class QaDigestRequest(BaseModel):
    """The digest preview takes nothing: the request is the asking."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def parse_digest(ctx: Context, args: str) -> QaDigestRequest:
    if args.strip():
        raise UsageError(f'"{args.strip()}" is not something /qa digest takes.', DIGEST)
    return QaDigestRequest()


def audience(cfg: DigestSettings) -> str:
    if cfg.where == "qa":
        return "the QA channel"
    return " and ".join(ROLE_WORDS[r] for r in cfg.to) + " by direct message"


def last_run_line(run: DigestRun | None, tz: str) -> str:
    if run is None:
        return "Last digest: none has run yet."
    when = f"week {run.week}, computed {format_datetime(run.computed_at, tz)}"
    if run.outcome == "nothing":
        return f"Last digest: {when}: nothing needed action, so nothing was sent."
    said = f"{plural(run.items, 'item')}, " + (
        f"sent to {plural(run.sent_to, 'recipient')}" if run.outcome == "sent" else "reached no one"
    )
    return f"Last digest: {when}: {said}" + (f" ({run.note})" if run.note else "") + "."


@command(
    QA,
    "digest",
    request=QaDigestRequest,
    parse=parse_digest,
    usage=DIGEST,
    example="/qa digest",
    summary="what the weekly digest would say now, and when the last one ran",
    allowed=policy.officers("see the weekly digest"),
)
def digest(ctx: Context, req: QaDigestRequest) -> Reply:
    cfg = settings(ctx.board)
    last = store.last_run(ctx.session)
    found = compute(ctx.session, ctx.board, ctx.now, since_for(last, ctx.now))
    nxt = next_slot(cfg, calendar(ctx.board), ctx.now, ctx.tz)
    goes = format_datetime(nxt.at, ctx.tz)
    if nxt.moved:
        goes += f" ({nxt.nominal:%A %-d %b} is not a working day)"
    fields = [("Next digest", goes), ("Goes to", audience(cfg))]
    if found.empty:
        lines = ["Nothing needs action: if the digest went now, nothing would be sent."]
    else:
        lines = [words.title("as of now", found) + ":", *words.body(found, ctx.tz)]
    lines.append(last_run_line(last, ctx.tz))
    return Reply(title="Weekly digest", fields=fields, lines=lines, data={"items": found.items})
