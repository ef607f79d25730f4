"""Who a Section 11 workbook's answers are from: the member who posted it in the agency's
thread (Slack, Teams), or, for the agency's SharePoint folder, who last saved the file as
SharePoint names them (`lastModifiedBy`, kept by the sync), else the folder itself. The member,
when one is known, is kept as who answered (`self_by_id`) and who submitted the return."""

from __future__ import annotations

from commands.context import Scope
from store import members
from store.models import Member
from store.s11_workbooks import Due


def who(scope: Scope, item: Due, poster: Member | None) -> tuple[int | None, str]:
    """Who the answers are from (a member's id when one is known) and the sentence naming
    them: the member who posted the workbook in the thread; for the SharePoint folder, who last
    saved the file as SharePoint names them (a board member when the name is one), else the
    folder itself."""
    if poster is not None and poster.id is not None:
        return poster.id, f"Answers recorded as by {poster.name} (@{poster.handle}), who posted the workbook."
    if item.document_id is None:
        return None, "Answers recorded as from the workbook posted in this thread."
    if item.modified_by:
        named = [
            m
            for m in members.all_members(scope.session)
            if m.active and m.name.lower() == item.modified_by.lower()
        ]
        by = named[0] if len(named) == 1 else None
        return (
            by.id if by is not None else None,
            f"Answers recorded as by {item.modified_by}, who last saved it in the SharePoint folder.",
        )
    return None, "Answers recorded as from the SharePoint folder (SharePoint did not say who saved it)."
