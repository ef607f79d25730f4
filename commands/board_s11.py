"""The board file's `section11:` block: the cycle's timing, the standards with their
sub-questions, the scoring scale and the moderation panel (docs/board-file.md).

Re-exported by commands.board_schema; kept apart because the eight default standards with
their sub-questions are long. `standards:` accepts the old list of strings (each is a standard
with one implicit sub-question `N.1`) or entries with ids and sub-questions; both may be mixed.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from commands.board_checks import ClockTime, DayCount, DayCounts

_NUMBERED = re.compile(r"^(\d+)\.\s*(.+)$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SubEntry(_Strict):
    id: str = Field(pattern=r"^\d+\.\d+$")  # "1.1": the standard's id, a dot, its own number
    text: str = Field(min_length=1, max_length=500)


class StandardEntry(_Strict):
    id: str = Field(pattern=r"^\d+$")
    name: str = Field(min_length=1, max_length=200)
    subs: list[SubEntry] = Field(default_factory=list)

    @model_validator(mode="after")
    def _sub_ids(self) -> StandardEntry:
        seen: set[str] = set()
        for sub in self.subs:
            if sub.id.split(".")[0] != self.id:
                raise ValueError(
                    f'sub-question "{sub.id}" of standard {self.id} must be numbered {self.id}.<n>'
                )
            if sub.id in seen:
                raise ValueError(f'sub-question "{sub.id}" is listed twice')
            seen.add(sub.id)
        return self


def split_standard(text: str, position: int) -> tuple[str, str]:
    """An old-style standard ("3. Clear lines of accountability") as (id, name); one with no
    number takes its position in the list (from 1)."""
    m = _NUMBERED.match(text.strip())
    if m:
        return str(int(m.group(1))), m.group(2).strip()
    return str(position), text.strip()


ScaleKind = Literal["points", "rag", "ofsted"]
# How people type each scale's values, lowest first (commands.section11.standards describes them).
SCALE_LABELS: dict[str, tuple[str, ...]] = {
    "points": ("0", "1", "2", "3"),
    "rag": ("red", "amber", "green"),
    "ofsted": ("1", "2", "3", "4"),
}


class ScaleSettings(_Strict):
    """How a sub-question is scored: `points` 0–3 (default), `rag` red/amber/green, or `ofsted`
    4 Inadequate … 1 Outstanding (lower is better). `descriptors` rewords a value's one-line
    descriptor, keyed by the value as people type it ("2", "amber")."""

    kind: ScaleKind = "points"
    descriptors: dict[str, str] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known_values(self) -> ScaleSettings:
        known = SCALE_LABELS[self.kind]
        for key in self.descriptors:
            if key.lower() not in known:
                raise ValueError(
                    f'"{key}" is not a value of the {self.kind} scale: use one of {", ".join(known)}'
                )
        return self


def _sub(sid: str, text: str) -> SubEntry:
    return SubEntry(id=sid, text=text)


# The eight key features of Section 11 (Children Act 2004) as Working Together names them,
# with the sub-questions of a typical Section 11 audit tool.
DEFAULT_STANDARD_ENTRIES: list[StandardEntry] = [
    StandardEntry(
        id="1",
        name="Senior management commitment to safeguarding",
        subs=[
            _sub(
                "1.1",
                "A named senior manager at board or executive level is accountable for the "
                "organisation's safeguarding arrangements.",
            ),
            _sub(
                "1.2",
                "Safeguarding is part of the organisation's strategic plans and resources are "
                "allocated to it.",
            ),
            _sub(
                "1.3",
                "The board or senior leadership receives regular reports on safeguarding and acts on them.",
            ),
        ],
    ),
    StandardEntry(
        id="2",
        name="Clear statement of responsibility to children",
        subs=[
            _sub(
                "2.1",
                "A written safeguarding policy, reviewed at least every three years, is "
                "available to all staff and volunteers.",
            ),
            _sub(
                "2.2",
                "The policy sets out staff responsibilities and how to refer a concern to "
                "children's social care.",
            ),
            _sub(
                "2.3",
                "Children and families using the service are told about the organisation's "
                "safeguarding responsibilities.",
            ),
        ],
    ),
    StandardEntry(
        id="3",
        name="Clear lines of accountability",
        subs=[
            _sub("3.1", "A designated safeguarding lead and a deputy are named and known to all staff."),
            _sub("3.2", "Staff know where to get safeguarding advice and supervision."),
            _sub(
                "3.3",
                "Staff know and use the partnership's escalation procedure for resolving "
                "professional disagreements.",
            ),
        ],
    ),
    StandardEntry(
        id="4",
        name="Service development takes account of children's needs",
        subs=[
            _sub("4.1", "Children's and families' views are sought and used to plan and improve services."),
            _sub(
                "4.2",
                "Children can raise a concern or complaint in a way suited to their age and understanding.",
            ),
            _sub("4.3", "There is evidence of services changed in response to what children said."),
        ],
    ),
    StandardEntry(
        id="5",
        name="Training on safeguarding for all staff",
        subs=[
            _sub(
                "5.1",
                "Safeguarding training suited to each role is mandatory at induction and "
                "refreshed at set intervals.",
            ),
            _sub("5.2", "Training uptake is recorded and monitored, and gaps are followed up."),
            _sub("5.3", "The effect of training on practice is evaluated."),
            _sub("5.4", "Staff are released to attend the partnership's multi-agency training."),
        ],
    ),
    StandardEntry(
        id="6",
        name="Safer recruitment and allegations management",
        subs=[
            _sub(
                "6.1",
                "Safer recruitment checks (DBS, references, identity) are made for every post "
                "working with children.",
            ),
            _sub("6.2", "At least one member of every recruitment panel is trained in safer recruitment."),
            _sub(
                "6.3",
                "Managers know the procedure for allegations against staff or volunteers, "
                "including referral to the designated officer (LADO).",
            ),
        ],
    ),
    StandardEntry(
        id="7",
        name="Effective inter-agency working",
        subs=[
            _sub("7.1", "Staff work to the partnership's multi-agency procedures and threshold guidance."),
            _sub(
                "7.2", "The organisation takes part in multi-agency meetings, plans and reviews when asked."
            ),
            _sub("7.3", "Learning from reviews and audits is shared with staff and acted on."),
        ],
    ),
    StandardEntry(
        id="8",
        name="Information sharing",
        subs=[
            _sub(
                "8.1",
                "Staff understand when and how to share information to safeguard a child, in "
                "line with government guidance.",
            ),
            _sub("8.2", "Records are accurate, made promptly and kept securely."),
            _sub("8.3", "Information sharing agreements with partner agencies are in place and reviewed."),
        ],
    ),
]


def _default_standards() -> list[StandardEntry | str]:
    return [s.model_copy(deep=True) for s in DEFAULT_STANDARD_ENTRIES]


class Section11Settings(_Strict):
    statutory_years: Literal["odd", "even"] = "odd"
    reminder_days: DayCounts = Field(default_factory=lambda: [28, 14, 7, 1, 0])
    reminder_time: ClockTime = "09:30"
    weekly_after_deadline: bool = True
    escalate_after_days: DayCount = 7
    standards: list[StandardEntry | str] = Field(default_factory=_default_standards)
    scale: ScaleSettings = Field(default_factory=ScaleSettings)
    # Board members (their `id:` or handle) who may record moderated scores, besides the chair
    # and the QA officer.
    panel: list[str] = Field(default_factory=list)

    @field_validator("standards")
    @classmethod
    def _distinct_ids(cls, v: list[StandardEntry | str]) -> list[StandardEntry | str]:
        if not v:
            raise ValueError("list at least one standard")
        seen: set[str] = set()
        for i, entry in enumerate(v, start=1):
            sid = entry.id if isinstance(entry, StandardEntry) else split_standard(entry, i)[0]
            if sid in seen:
                raise ValueError(f"two standards are numbered {sid}: give each its own number")
            seen.add(sid)
        return v

    def standard_titles(self) -> list[str]:
        """Each standard as /s11 rate and the panel name it: an old-style entry as written,
        an entry with an id as "<id>. <name>"."""
        return [s if isinstance(s, str) else f"{s.id}. {s.name}" for s in self.standards]

    def guard_texts(self) -> list[tuple[str, str]]:
        """Everything of this block that is posted to chat, for the safeguarding guard."""
        texts = [("section11 standard", t) for t in self.standard_titles()]
        for s in self.standards:
            if isinstance(s, StandardEntry):
                texts += [("section11 sub-question", sub.text) for sub in s.subs]
        texts += [("section11 scale descriptor", d) for d in self.scale.descriptors.values()]
        return texts
