"""What the /kpi commands read: their usage lines, a measure by id or name, a period, a value.

`/kpi set <measure id or name> <period> <value> [note <text>]`: the measure's words come
first (a name may have spaces), the period next (`2026-12`, `Dec 2026`, `Q3 2026-27`), the
value last, and everything after the word `note` is the note. The line passes the
safeguarding guard before any of it is read.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, ConfigDict, Field

from commands import policy
from commands.common import safeguard
from commands.context import Context
from commands.errors import FieldError, about_field
from commands.grammar import check_text
from commands.kpi import measures as measure_rules
from commands.kpi.measures import Measure
from commands.kpi.periods import Period, PeriodError, parse_any

SET = "/kpi set <measure id or name> <period> <value> [note <text>]"
SCORECARD = "/kpi [scorecard]"
TREND = "/kpi <measure id or name>"
MODEL = ConfigDict(frozen=True, extra="forbid")
MAX_NOTE = 1000

_NUMBER = re.compile(r"[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|[-+]?\.\d+")


class KpiSetRequest(BaseModel):
    model_config = MODEL
    measure: str = Field(min_length=1, max_length=120)  # its id, or its name
    period: str = Field(min_length=1, max_length=40)  # as people write it: Dec 2026, Q3 2026-27
    value: float
    note: str | None = Field(default=None, max_length=MAX_NOTE)


class KpiScorecardRequest(BaseModel):
    model_config = MODEL


class KpiTrendRequest(BaseModel):
    model_config = MODEL
    measure: str = Field(min_length=1, max_length=120)


def measure_named(ctx: Context, text: str, usage: str) -> Measure:
    """The one measure the words name among those the person sees (an agency lead: their
    agencies'); otherwise a FieldError listing what there is."""
    shown = measure_rules.visible(ctx.session, ctx.board, policy.viewer(ctx))
    found = measure_rules.find(shown, text)
    if len(found) == 1:
        return found[0]
    if len(found) > 1:
        names = " or ".join(f"{m.name} ({m.id})" for m in found[:4])
        raise FieldError(f'"{text}" could be {names}: say its id.', usage, field="measure")
    if not shown:
        raise FieldError(
            "There are no measures you can see: the board file's `measures:` lists them (docs/kpi.md).",
            usage,
            field="measure",
        )
    near = measure_rules.close_to(shown, text)
    hint = f" Did you mean {' or '.join(m.id for m in near)}?" if near else ""
    ids = ", ".join(m.id for m in shown[:12])
    raise FieldError(f'"{text[:60]}" is not a measure.{hint} Measures: {ids}.', usage, field="measure")


def value_of(text: str, unit: str, usage: str) -> float:
    """A figure as typed: 26, 26.5, 26%, 1,204 (the measure's unit may follow it)."""
    t = text.strip()
    if unit and t.lower().endswith(unit.lower()):
        t = t[: -len(unit)].strip()
    if not _NUMBER.fullmatch(t):
        raise FieldError(f'"{text[:30]}" is not a number: give the figure, e.g. 24.5', usage, field="value")
    return float(t.replace(",", ""))


def period_in(measure: Measure, text: str, usage: str) -> Period:
    try:
        return measure.period(text)
    except PeriodError as e:
        raise FieldError(str(e), usage, field="period") from None


def _split_period(words: list[str], usage: str) -> tuple[list[str], str]:
    """(the measure's words, the period's words) from the words before the value: the period
    is the last two words when they read as one (Dec 2026, Q3 2026-27), else the last word."""
    if len(words) >= 3:
        two = " ".join(words[-2:])
        try:
            parse_any(two)
            return words[:-2], two
        except PeriodError:
            pass
    if len(words) >= 2:
        try:
            parse_any(words[-1])
            return words[:-1], words[-1]
        except PeriodError as e:
            raise FieldError(str(e), usage, field="period") from None
    raise FieldError(
        "Say the measure, the period and the value, e.g. /kpi set rereferrals Dec 2026 24.5",
        usage,
        field="measure" if not words else "period",
    )


def parse_set(ctx: Context, args: str) -> KpiSetRequest:
    with about_field("note"):
        safeguard(ctx, args, SET)
    words = args.split()
    note: str | None = None
    lowered = [w.lower() for w in words]
    if "note" in lowered:
        at = lowered.index("note")
        note = check_text(" ".join(words[at + 1 :]), "note", SET) if words[at + 1 :] else None
        if note is None:
            raise FieldError("Say the note after the word note, or leave it out.", SET, field="note")
        if len(note) > MAX_NOTE:
            raise FieldError(
                f"The note is {len(note):,} characters; keep it under {MAX_NOTE:,}.", SET, field="note"
            )
        words = words[:at]
    if not words:
        raise FieldError("Say which measure, e.g. /kpi set rereferrals Dec 2026 24.5", SET, field="measure")
    before, value_text = words[:-1], words[-1]
    named, period_text = _split_period(before, SET)
    if not named:
        raise FieldError("Say which measure, by its id or name.", SET, field="measure")
    measure = measure_named(ctx, " ".join(named), SET)
    period = period_in(measure, period_text, SET)
    value = value_of(value_text, measure.entry.unit, SET)
    return KpiSetRequest(measure=measure.id, period=period.label, value=value, note=note)


def parse_scorecard(ctx: Context, args: str) -> KpiScorecardRequest:
    if args.strip():
        raise FieldError(
            f'"{args.strip()[:40]}" is not something the scorecard takes: for one measure, /kpi <measure>.',
            SCORECARD,
            field="text",
        )
    return KpiScorecardRequest()


def parse_trend(ctx: Context, args: str) -> KpiTrendRequest:
    if not args.strip():
        raise FieldError("Say which measure, by its id or name.", TREND, field="measure")
    return KpiTrendRequest(measure=measure_named(ctx, args, TREND).id)
