"""/s11 form [agency] [std.sub]: walk an agency's people through its sub-questions one at a time.

The reply is one step (commands/section11/form_steps.py) under `data["s11_form"]`: Slack opens
it as a modal, Teams as an Adaptive Card, the console shows it as text. Each step is saved as
`/s11 score`'s typed request with `form: true` (so every check and the guard apply), and the
answer carries the next step; skipping a step asks this command for the next one.
"""

from __future__ import annotations

from pydantic import BaseModel

from commands import policy, resolve
from commands.context import Context
from commands.errors import FieldError, UsageError, about_field
from commands.groups import S11
from commands.registry import command
from commands.section11.form_steps import DATA_KEY, step_for
from commands.section11.reading import MODEL, agency_then
from commands.section11.scores import may_self_assess, open_return, sub_label
from commands.types import Reply
from store import visibility
from store.models import Agency

FORM = "/s11 form [agency] [std.sub]"


class S11FormRequest(BaseModel):
    """Which agency's form, and which step (None: the first still to answer or confirm)."""

    model_config = MODEL

    agency: str | None = None  # None: the one agency the person acts for
    sub: str | None = None


def parse_form(ctx: Context, args: str) -> S11FormRequest:
    if not args.strip():
        return S11FormRequest()
    with about_field("agency"):
        agency, rest = agency_then(ctx, args, FORM)
    if len(rest) > 1:
        raise UsageError(f'"{" ".join(rest)}" is not one sub-question such as 1.1.', FORM)
    return S11FormRequest(agency=agency.name, sub=sub_label(ctx, rest[0], FORM) if rest else None)


def _agency(ctx: Context, name: str | None) -> Agency:
    if name is not None:
        with about_field("agency"):
            return resolve.agency_called(ctx, name, FORM)
    mine = visibility.agency_names(ctx.session, policy.agencies(ctx))
    if len(mine) == 1:
        return resolve.agency_called(ctx, mine[0], FORM)
    if mine:
        raise FieldError(f"You act for {', '.join(mine)}: say which agency's form.", FORM, field="agency")
    raise FieldError("Say which agency's form, e.g. /s11 form Surrey Police.", FORM, field="agency")


@command(
    S11,
    "form",
    request=S11FormRequest,
    parse=parse_form,
    usage=FORM,
    example="/s11 form Surrey Police",
    summary="score the agency's sub-questions one at a time in a form, saved as you go",
)
def form(ctx: Context, req: S11FormRequest) -> Reply:
    agency = _agency(ctx, req.agency)
    may_self_assess(ctx, agency)
    sub = sub_label(ctx, req.sub, FORM) if req.sub is not None else None
    ret = open_return(ctx, agency, FORM)
    step = step_for(ctx, ret, sub)
    return Reply(
        title=f"{step.cycle} form: {agency.name} — {step.sub} ({step.position} of {step.total})",
        lines=step.lines(),
        about_agencies=policy.about(agency.id),
        data={DATA_KEY: step.model_dump(mode="json"), "agency": agency.name, "sub": step.sub},
    )
