"""The Section 11 standards, their sub-questions and the scoring scale, as the board file
names them (`section11.standards`, `section11.scale`): one typed view for /s11 score, the form,
moderation, the workbook and the letters.

Sub-questions are labelled `<standard>.<sub>` ("1.1", "2.3") everywhere. An old-style standard
(a plain string) has one implicit sub-question `<n>.1`, whose text is the standard's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from commands.board_s11 import ScaleKind, Section11Settings, StandardEntry, split_standard

RagColour = Literal["red", "amber", "green"]


@dataclass(frozen=True)
class SubStandard:
    label: str  # "1.1"
    text: str
    standard_id: str  # "1"


@dataclass(frozen=True)
class Standard:
    id: str  # "1"
    name: str
    title: str  # how /s11 rate and the panel name it: "1. Senior management commitment …"
    subs: tuple[SubStandard, ...]
    implicit: bool = False  # an old-style entry: its one sub-question is the standard itself


class UnknownSub(ValueError):
    """A label that names no sub-question; the message lists the valid labels."""


class NotOnScale(ValueError):
    """A score that is not a value of the board's scale; the message lists the values."""


def standards_of(cfg: Section11Settings) -> list[Standard]:
    out: list[Standard] = []
    for position, entry in enumerate(cfg.standards, start=1):
        if isinstance(entry, StandardEntry):
            subs = tuple(SubStandard(s.id, s.text, entry.id) for s in entry.subs)
            if subs:
                out.append(Standard(entry.id, entry.name, f"{entry.id}. {entry.name}", subs))
                continue
            sid, name, title = entry.id, entry.name, f"{entry.id}. {entry.name}"
        else:
            (sid, name), title = split_standard(entry, position), entry
        out.append(Standard(sid, name, title, (SubStandard(f"{sid}.1", name, sid),), implicit=True))
    return out


def all_subs(standards: list[Standard]) -> list[SubStandard]:
    return [sub for s in standards for sub in s.subs]


def sub_order(label: str) -> tuple[int, ...]:
    """Sorts "2.10" after "2.9"."""
    return tuple(int(p) for p in label.split(".") if p.isdigit())


def find_sub(standards: list[Standard], label: str) -> tuple[Standard, SubStandard]:
    """The sub-question labelled `1.1` (a bare `3` names standard 3's only sub-question)."""
    key = label.strip().rstrip(".")
    for std in standards:
        if key == std.id and len(std.subs) == 1:
            return std, std.subs[0]
        for sub in std.subs:
            if sub.label == key:
                return std, sub
    valid = ", ".join(sub.label for sub in all_subs(standards))
    if re.fullmatch(r"\d+\.\d+", key):
        problem = f"There is no sub-question {key}."
    else:
        problem = f'"{label.strip()}" is not a sub-question label such as 1.1.'
    raise UnknownSub(f"{problem} The sub-questions are {valid}.")


@dataclass(frozen=True)
class ScaleValue:
    value: int  # as stored (s11_scores.self_score / moderated_score)
    label: str  # as typed and shown: "2", "amber"
    name: str  # "Met", "Amber", "Good"
    descriptor: str  # one line: what the value means
    rag: RagColour


_POINTS = (
    ScaleValue(0, "0", "Not met", "No arrangements in place, or serious gaps in them.", "red"),
    ScaleValue(
        1, "1", "Partially met", "Some arrangements in place, not yet consistent or evidenced.", "amber"
    ),
    ScaleValue(2, "2", "Met", "Arrangements in place across the organisation and evidenced.", "green"),
    ScaleValue(
        3,
        "3",
        "Exceeded/embedded",
        "Embedded in everyday practice, with evidence of the difference it makes for children.",
        "green",
    ),
)
_RAG = (
    ScaleValue(1, "red", "Red", "Not met: significant gaps that need urgent action.", "red"),
    ScaleValue(2, "amber", "Amber", "Partly met: arrangements in place, improvement needed.", "amber"),
    ScaleValue(3, "green", "Green", "Met: arrangements in place and evidenced.", "green"),
)
_OFSTED = (
    ScaleValue(4, "4", "Inadequate", "Not met: serious or widespread failures.", "red"),
    ScaleValue(3, "3", "Requires improvement", "In place but not yet consistently effective.", "amber"),
    ScaleValue(2, "2", "Good", "Met and evidenced in practice.", "green"),
    ScaleValue(1, "1", "Outstanding", "Exceeds the standard: practice others can learn from.", "green"),
)
_VALUES: dict[str, tuple[ScaleValue, ...]] = {"points": _POINTS, "rag": _RAG, "ofsted": _OFSTED}
_RAG_SHORT = {"r": "red", "a": "amber", "g": "green"}


@dataclass(frozen=True)
class Scale:
    """The board's scale. `values` run from the worst to the best."""

    kind: ScaleKind
    values: tuple[ScaleValue, ...]

    @property
    def higher_is_better(self) -> bool:
        return self.kind != "ofsted"

    def value(self, v: int) -> ScaleValue:
        for sv in self.values:
            if sv.value == v:
                return sv
        raise NotOnScale(f"{v} is not a value of the {self.kind} scale: use {self.choices()}.")

    def label_of(self, v: int) -> str:
        return self.value(v).label

    def descriptor_of(self, v: int) -> str:
        return self.value(v).descriptor

    def describe(self, v: int) -> str:
        """ "2 Met — Arrangements in place …" """
        sv = self.value(v)
        head = sv.name if sv.label.lower() == sv.name.lower() else f"{sv.label} {sv.name}"
        return f"{head} — {sv.descriptor}"

    def choices(self) -> str:
        """ "0 Not met, 1 Partially met, 2 Met or 3 Exceeded/embedded" """
        names = [
            sv.name if sv.label.lower() == sv.name.lower() else f"{sv.label} {sv.name}" for sv in self.values
        ]
        return ", ".join(names[:-1]) + f" or {names[-1]}"

    def parse(self, text: str) -> int:
        """The stored value of a typed score: its label ("2", "amber", "a") or its name ("met",
        "requires improvement"). Raises NotOnScale naming the values."""
        key = " ".join(text.strip().lower().split())
        if self.kind == "rag":
            key = _RAG_SHORT.get(key, key)
        for sv in self.values:
            if key in (sv.label.lower(), sv.name.lower()):
                return sv.value
        raise NotOnScale(f'"{text.strip()}" is not a score on the board\'s scale: use {self.choices()}.')

    def rag_of(self, v: int) -> RagColour:
        return self.value(v).rag

    def gap(self, self_score: int, moderated: int) -> int:
        """How many points the self-score is more favourable than the moderated score:
        positive when the agency rated itself better than the panel did, negative when worse
        (on the Ofsted-style scale a lower number is better). `abs(gap) >= 1` is a disagreement."""
        diff = self_score - moderated
        return diff if self.higher_is_better else -diff


def scale_of(cfg: Section11Settings) -> Scale:
    reworded = {k.lower(): v for k, v in cfg.scale.descriptors.items()}
    values = tuple(
        ScaleValue(sv.value, sv.label, sv.name, reworded.get(sv.label.lower(), sv.descriptor), sv.rag)
        for sv in _VALUES[cfg.scale.kind]
    )
    return Scale(cfg.scale.kind, values)
