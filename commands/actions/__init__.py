"""/action: things someone must do, followed up until closed.

`add` (commands/actions/add.py) and the rest (commands/actions/manage.py) share what is here:
the usage lines, the buttons under an action, and finding one the member may see.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from commands import policy
from commands.context import Context
from commands.dates import format_datetime
from commands.errors import NotFound
from commands.types import Button, Form
from store import audit, items
from store.models import Action

ADD = "/action add <text> [@owner|agency <name>] [due <date>] [#priority] [meeting <date>]"
LIST = "/action list [open|overdue|done|all|mine|@handle|agency <name>|#priority]"
SHOW = "/action show A-<n>"
DONE = "/action done A-<n> [note]"
UPDATE = "/action update A-<n> due <date> | owner @x | text <…> | agency <name> | #priority"
SNOOZE = "/action snooze A-<n> [days]"
# cancel, reopen and hold: commands/actions/lifecycle.py; reassign-all: commands/actions/reassign.py


def action_buttons(a: Action) -> list[Button]:
    if a.status != "open":
        return []
    ref = f"A-{a.id}"
    return [
        Button(action="action_done", label="Done", command=f"action done {ref}", style="primary"),
        Button(action="action_snooze", label="Snooze a week", command=f"action snooze {ref}"),
        Button(
            action="action_reassign",
            label="Reassign",
            command=f"action update {ref} owner",
            form=Form(group="action", name="update", values={"ref": ref}, asks="owner"),
        ),
    ]


def visible_action(ctx: Context, n: int, usage: str) -> Action:
    """Action A-n, if this member may see it; otherwise it does not exist (not even confirmed)."""
    a = items.get_action(ctx.session, n, policy.viewer(ctx))
    if a is None:
        raise NotFound(f"There is no action A-{n}.", usage)
    return a


def history_lines(session: Session, entity: str, entity_id: int, tz: str) -> list[str]:
    out = []
    for ev in audit.history(session, entity, entity_id):
        change = ""
        if ev.before and ev.after:
            diffs = [
                f"{k}: {ev.before.get(k) or '—'} → {ev.after.get(k) or '—'}"
                for k in ev.after
                if k != "reason" and ev.before.get(k) != ev.after.get(k)
            ]
            change = " (" + "; ".join(diffs) + ")" if diffs else ""
        if ev.after and ev.after.get("reason"):
            # A correction's reason (cancel, withdraw, move, …) is shown with the change.
            change += f", reason: {ev.after['reason']}"
        out.append(
            f"{format_datetime(ev.at, tz)} {ev.actor_label} {ev.verb}{change} via {ev.source.split(':')[0]}"
        )
    return out
