"""What a thread reply says, read with the vocabulary table.

A submission word counts unless a negation governs it: a negator in the same clause, a few
words before it ("not submitted yet", "haven't submitted", "will be submitted next week"), or
the clause being a question ("has it been submitted?"). A "?" or an "if" elsewhere in the
reply ("Submitted. Can you confirm you received it?") does not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from commands.understanding import vocabulary as v
from commands.understanding.text import prepare

Intent = Literal["submitted", "extension", "not_yet", "apology", "question", "ack", "comment"]
Correction = Literal["submitted", "comment", "undo"]

_CLAUSES = re.compile(r"(?<=[.!?;])\s+|\n|,\s*|\s+[-–—]+\s+|\s+but\s+|\s+and then\s+")
_NEGATION_WINDOW = 5  # words before the submission word that a negator may stand in


def _any(patterns: Iterable[str], text: str) -> re.Match[str] | None:
    for p in patterns:
        if m := re.search(p, text):
            return m
    return None


@dataclass(frozen=True)
class Reading:
    intent: Intent
    url: str | None = None
    forwarded: bool = False  # the intent was read from forwarded or quoted text
    text: str = ""  # the normalised text it was read from (for the extension's date)


def _submission_in(clause: str) -> re.Match[str] | None:
    if _any(v.NOT_SUBMISSION, clause):
        return None
    if m := _any(v.STRONG_SUBMISSION, clause):
        return m
    m = _any(v.WEAK_SUBMISSION, clause)
    if m is None:
        return None
    rest = (clause[: m.start()] + " " + clause[m.end() :]).strip(" .!?")
    for weak in v.WEAK_SUBMISSION:  # "completed and returned"
        rest = re.sub(weak, "", rest)
    alone = not re.sub(r"\b(?:now|all|just|today|thanks|yes|yep|ok|and)\b", "", rest).strip(" .!?")
    return m if alone or _any(v.RETURN_WORDS, clause) else None


def _submission(text: str) -> tuple[bool, bool]:
    """(affirmed, negated): some clause says the return is in / some clause says it is not."""
    affirmed = negated = False
    for clause in _CLAUSES.split(text):
        if _any(v.NOT_YET, clause) and _any(v.THE_RETURN_ITSELF, clause):
            return False, True  # "the self-assessment will follow tomorrow"
        m = _submission_in(clause)
        if m is None:
            continue
        before = " ".join(clause[: m.start()].split()[-_NEGATION_WINDOW:])
        if clause.rstrip().endswith("?") or _any(v.NEGATORS, before):
            negated = True
        else:
            affirmed = True
    return affirmed, negated


def _is_ack(text: str) -> bool:
    rest = text
    for p in v.ACK:
        rest = re.sub(p, " ", rest)
    return not re.sub(r"[\s.,!:;\-—–()]+", "", rest) and rest != text


def _intent(text: str) -> Intent:
    if not text:
        return "comment"
    affirmed, negated = _submission(text)
    if affirmed:
        return "submitted"
    if _any(v.EXTENSION, text):
        return "extension"
    question = "?" in text or _any(v.QUESTION, text) is not None
    if (negated and not question) or _any(v.NOT_YET, text):
        return "not_yet"
    if _any(v.APOLOGY, text) and not _any(v.NOT_APOLOGY, text):
        return "apology"
    if question:
        return "question"
    if _is_ack(text):
        return "ack"
    return "comment"


def read(raw: str) -> Reading:
    """The intent of a reply, from the person's own words, else from what they forwarded."""
    prepared = prepare(raw)
    intent = _intent(prepared.own)
    if intent in ("comment", "ack") and prepared.forwarded:
        forwarded = _intent(prepared.forwarded)
        if forwarded in ("submitted", "extension", "not_yet", "apology"):
            return Reading(forwarded, prepared.url, True, prepared.forwarded)
    if not prepared.own and not prepared.forwarded and prepared.url is None and raw.strip():
        intent = "ack"  # only emoji or greetings
    return Reading(intent, prepared.url, False, prepared.own)


def correction(raw: str) -> Correction | None:
    """ "undo" / "that was a submission" / "that was a comment": a correction of the reply
    before, or None."""
    text = prepare(raw).own
    if _any(v.CORRECT_UNDO, text):
        return "undo"
    if _any(v.CORRECT_TO_SUBMITTED, text):
        return "submitted"
    if _any(v.CORRECT_TO_COMMENT, text):
        return "comment"
    return None
