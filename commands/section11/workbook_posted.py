"""A filled Section 11 workbook posted as a file in the agency's thread (Slack hands over its
bytes, integrations/slack/files.py): read with the same reader and the same import as one
saved in the agency's SharePoint folder (commands/section11/workbook_import.py).

- a QA Bot workbook is read all or nothing: its answers stored and the return marked
  submitted, or its errors listed by sheet and cell, nothing stored; the thread's reply says
  which. One version (the platform's file id, upload time and size) is read once;
- a file the platform could not fetch is named with why (no permission — the Slack app needs
  files:read, the Entra app a Graph permission —, also told to the QA officer; Teams without
  Microsoft Graph set up, also told to the QA officer; deleted, too big, not a workbook); a
  Teams channel reply whose file is only on Graph's copy of the message, when that message
  cannot be read (403: the permission told to the QA officer; 404; the file not listed), is
  named "The file on this message";
- an ordinary spreadsheet (no hidden id sheet) is evidence, as any attached file is;
- where the platform gives no bytes (the console) the reply says where it is read.

The platforms fetch a file only for a reply in a Section 11 return's thread
(`answers_a_return`, asked before anything is downloaded). The member who posted a workbook is
named as who answered (commands/section11/workbook_who.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from commands import posting
from commands.context import Context
from commands.section11 import workbook_import
from commands.section11.common import cycle_name, possessive
from commands.types import Attachment, Inbound, Reply
from store import s11_workbooks as wb_store
from store.models import S11Return
from store.s11_workbooks import Due

_WHY = {
    "no_access": "the bot may not open it",
    "gone": "the file was deleted or cannot be found",
    "too_big": "the file is too big to be a Section 11 workbook (over 10 MB)",
    "not_workbook": "only .xlsx or .xlsm workbooks are read (save it as .xlsx and post it again)",
    "not_configured": "the bot cannot read files posted here",
    "failed": "it could not be downloaded",
    "message_no_access": "the bot may not read this message",
    "message_gone": "the message was deleted or cannot be found",
    "not_on_message": "the message, as the platform keeps it, lists no such file",
}
# The platform's own words, where they differ.
_WHY_ON: dict[tuple[str, str], str] = {
    ("slack", "no_access"): (
        "the bot cannot read files: the Slack app needs the files:read permission; "
        "ask the admin to reinstall it"
    ),
    ("teams", "no_access"): (
        "the bot may not open it (Microsoft Graph answered 403): the bot's Entra app needs "
        "Files.Read.All or Sites.Read.All; the QA officer has been told"
    ),
    ("teams", "gone"): "Microsoft Graph found no such file (404): it was deleted, moved or renamed",
    ("teams", "not_configured"): (
        "I can't read files from Teams here (Microsoft Graph is not set up for the bot); "
        "the QA officer has been told"
    ),
    ("teams", "message_no_access"): (
        "the bot may not read this channel message to find its file (Microsoft Graph answered 403); "
        "the QA officer has been told"
    ),
    ("teams", "message_gone"): "Microsoft Graph found no such message (404): it was deleted",
    ("teams", "not_on_message"): (
        "Microsoft Graph's copy of this message lists no such file (it may have been removed); "
        "post the workbook again in this thread"
    ),
}
# What the QA officer is told to do, by problem (platform, problem).
_FIX: dict[tuple[str, str], str] = {
    ("slack", "no_access"): "give the Slack app files:read and reinstall it",
    ("teams", "no_access"): (
        "grant the bot's Entra app Files.Read.All (or Sites.Read.All) with admin consent"
    ),
    ("teams", "message_no_access"): (
        "grant the Entra app Microsoft Graph calls as (AZURE_CLIENT_ID) ChannelMessage.Read.All with "
        "admin consent, or, when it is the bot's own app, have the team owner consent to the app's "
        "ChannelMessage.Read.Group permission (re-add the app to the team)"
    ),
    ("teams", "not_configured"): (
        "set SHAREPOINT_SITE and AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET "
        "(see docs/sharepoint.md; `qabot doctor` checks them)"
    ),
}


def answers_a_return(session: Session, inbound: Inbound) -> bool:
    """Whether this message answers the thread of a Section 11 return's post: only then are the
    spreadsheets on it fetched (the platforms ask before downloading anything)."""
    from commands import threads

    root = threads.find_root(session, inbound)
    return (
        root is not None
        and root.kind.startswith("s11")
        and root.subject_type == "s11_return"
        and root.subject_id is not None
    )


def why(platform: str, problem: str | None) -> str:
    key = problem or "failed"
    return _WHY_ON.get((platform, key)) or _WHY.get(key, _WHY["failed"])


@dataclass
class Posted:
    """What the files on a thread reply came to: the workbook's own reply when one was read
    (it answers the message), else lines to add to the ordinary reply."""

    reply: Reply | None = None
    notes: list[str] = field(default_factory=list)


def read_posted(ctx: Context, ret: S11Return) -> Posted:
    sheets = [
        a
        for a in ctx.inbound.attachments
        if a.name.lower().endswith(wb_store.SPREADSHEETS)
        or a.problem is not None  # also one the platform could not name
    ]
    fetched = [a for a in sheets if a.file_id and (a.content is not None or a.problem)]
    reader = ctx.services.s11_workbook_reader
    if not fetched or reader is None:
        return Posted(notes=attachment_note(ctx, ret, [a.name for a in sheets]))
    out = Posted()
    for a in fetched:
        if a.content is None:
            out.notes.append(_not_read(ctx, ret, a))
            continue
        item = _due(ctx, ret, a)
        if item is None:
            out.notes.append(
                f"{a.name}: this version was read already; post a corrected copy to read it again."
            )
            continue
        expected = workbook_import.expected_for(ctx, ret)
        poster = ctx.actor if ctx.actor.id is not None else None
        reply, _ = workbook_import.outcome(ctx, ret, item, reader(a.content, expected), expected, poster)
        if reply is not None and out.reply is None:
            out.reply = reply
        elif reply is not None:
            out.notes += reply.lines  # a second workbook on one message: said as well
    return out


def _due(ctx: Context, ret: S11Return, a: Attachment) -> Due | None:
    """This file's version as an import, or None when that version was read before."""
    item_id = f"{ctx.inbound.platform}:{a.file_id}"
    key = a.version or "-"
    seen = wb_store.versions_read(ctx.session, item_id)
    if key in seen:
        return None
    where = f"{possessive(ret.agency.name)} Section 11 thread"
    return Due(None, item_id, a.name, where, a.url, ret.id, key, len(seen) + 1)


def _not_read(ctx: Context, ret: S11Return, a: Attachment) -> str:
    platform = ctx.inbound.platform
    said = why(platform, a.problem)
    fix = _FIX.get((platform, a.problem or "failed"))
    if fix is not None:
        posting.to_channel(
            ctx,
            "qa",
            key=f"s11wb:{platform}:{a.file_id}:{a.version or '-'}:{a.problem}",
            kind="s11_comment",
            reply=Reply(
                title=f"A Section 11 workbook in {possessive(ret.agency.name)} thread could not be read",
                lines=[
                    f"{a.name}: {said}.",
                    f"To fix: {fix}.",
                    f"{cycle_name(ret.cycle)}; until then, "
                    + (
                        "workbooks posted in Teams are not read."
                        if a.problem == "not_configured"
                        else "workbooks are read from the agency's SharePoint folder."
                    ),
                ],
                visibility="channel",
                data={"agency": ret.agency.name, "problem": a.problem},
            ),
        )
    return f"{a.name} was not read: {said}. Nothing from it was stored."


def attachment_note(scope: Context, ret: S11Return, names: list[str]) -> list[str]:
    """A spreadsheet attached to a reply in the thread whose bytes the platform did not hand
    over (the console; Slack and Teams fetch them): say where it is read."""
    sheets = [n for n in names if n.lower().endswith(wb_store.SPREADSHEETS)]
    if not sheets:
        return []
    from commands.documents import conventions

    folder = "/".join([conventions(scope.board).section11_folder, str(ret.cycle.year), ret.agency.name])
    return [
        f"{', '.join(sheets)}: a workbook posted here is not read. Save it in {folder} in SharePoint, "
        "where it is read, every cell checked, and the outcome posted in this thread."
    ]
