"""The Section 11 form's submissions in Slack: each step saved as `/s11 score`'s typed request
(integrations/slack/s11_modal.py draws the modal and says how the form goes)."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from slack_bolt import Ack, BoltContext

from commands import registry
from commands.errors import FieldError
from commands.section11.form_steps import DATA_KEY
from commands.section11.scores import FORM_DONE
from commands.types import Inbound, Reply
from integrations.slack import modals
from integrations.slack.core_calls import run_request
from integrations.slack.interactive import SUBMITTED, Interactions, problem, user_of, view_key
from integrations.slack.s11_modal import BLOCKS, CALLBACK, step_modal, step_values

__all__ = ["CALLBACK", "S11FormSubmissions"]


def _step_key(view: dict[str, Any], meta: dict[str, Any], values: dict[str, Any]) -> str | None:
    """One delivery per step and answer: the view keeps its id while its steps replace it."""
    base = view_key(view)
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:12]
    return f"{base}:{meta.get('sub')}:{digest}" if base else None


class S11FormSubmissions:
    """The `ack=` half of the form's view submissions (runs before the acknowledgement, like
    the other modals: Slack takes field errors and the next view only in it)."""

    def __init__(self, interactions: Interactions) -> None:
        self.interactions = interactions

    def submit(self, ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
        values = modals.values(view)
        meta = modals.meta_of(view)
        try:
            fields = step_values(meta, values)
            if fields is not None:
                request = registry.build_request("s11", "score", fields)
            elif meta.get("next"):
                request = registry.build_request(
                    "s11", "form", {"agency": meta.get("agency"), "sub": meta["next"]}
                )
            else:
                request = None
        except FieldError as e:
            ack(response_action="errors", errors={modals.block_for(e.field, set(BLOCKS)): e.problem})
            return
        if request is None:  # the last step skipped: nothing to save
            done = Reply(
                title="Section 11 form closed",
                lines=[f"Nothing was saved for {meta.get('sub')}. {FORM_DONE}"],
            )
            self.interactions.stored_then_ack(SUBMITTED, ack, body, done, context)
            return
        inbound = Inbound(
            platform="slack",
            user_id=user_of(body),
            workspace=(body.get("team") or {}).get("id"),
            channel=meta.get("channel") or None,
            text="s11 score (form)" if fields is not None else "s11 form (form)",
            delivery_key=_step_key(view, meta, values),
        )
        reply = run_request(self.interactions.core, inbound, request)
        if not reply.ok:
            block = modals.block_for(reply.data.get("field"), set(BLOCKS))
            ack(response_action="errors", errors={block: problem(reply)})
            return
        step = reply.data.get(DATA_KEY)
        if isinstance(step, dict):
            saved = reply.title if fields is not None else None
            ack(response_action="update", view=step_modal(step, {"channel": meta.get("channel")}, saved))
            return
        self.interactions.stored_then_ack(SUBMITTED, ack, body, reply, context)
