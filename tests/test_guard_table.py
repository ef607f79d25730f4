"""The measured table (tests/guard_cases.py): recall on must-trip texts at least 98%, false
positives on must-not-trip texts at most 1%, each signal named; the anonymised version of
every refused text passes; and the table's texts sent through the real command core."""

from __future__ import annotations

import re
from collections.abc import Callable

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from commands.guard import BoardVocabulary, anonymise, check
from commands.types import Reply
from store.models import Action, AuditEvent, Finding
from tests.guard_cases import CASES, MUST_NOT_TRIP, MUST_TRIP, VOCABULARY

Say = Callable[..., Reply]
REFUSED = "could identify a child or family"


def counts(sessions: sessionmaker[Session]) -> tuple[int, int, int]:
    """What the database holds: actions, findings and audit events (other than the guard's own
    record that a refusal happened, which holds no text: see test_guard_entry_points.py)."""
    with sessions() as s:
        audit = select(func.count()).select_from(AuditEvent).where(AuditEvent.entity != "guard")
        return (
            s.scalar(select(func.count()).select_from(Action)) or 0,
            s.scalar(select(func.count()).select_from(Finding)) or 0,
            s.scalar(audit) or 0,
        )


def test_the_table_is_big_enough_and_covers_every_signal() -> None:
    from commands.guard import SIGNALS

    assert len(MUST_TRIP) >= 75 and len(MUST_NOT_TRIP) >= 75 and len(CASES) >= 150
    assert {c.signal for c in MUST_TRIP} == set(SIGNALS)
    assert {c.signal for c in MUST_NOT_TRIP} == set(SIGNALS)


def test_recall_at_least_98_percent_and_each_hit_names_its_signal() -> None:
    missed = [c.text for c in MUST_TRIP if not check(c.text, VOCABULARY)]
    assert 1 - len(missed) / len(MUST_TRIP) >= 0.98, missed
    wrong = [c for c in MUST_TRIP if c.signal not in {h.signal for h in check(c.text, VOCABULARY)}]
    assert wrong == []


def test_false_positives_at_most_1_percent() -> None:
    refused = [(c.text, check(c.text, VOCABULARY)) for c in MUST_NOT_TRIP if check(c.text, VOCABULARY)]
    assert len(refused) / len(MUST_NOT_TRIP) <= 0.01, refused


def test_the_anonymised_version_of_every_refused_text_passes() -> None:
    for c in MUST_TRIP:
        suggestion = anonymise(c.text, VOCABULARY, case_code="2027-014")
        assert check(suggestion, VOCABULARY) == [], (c.text, suggestion)


# The command grammar reads these words and marks itself: such texts are left to the unit table.
_GRAMMAR = re.compile(r"[#@]|\b(?:due|agency|meeting|rag|owner)\b", re.I)


def test_the_table_through_action_add_and_finding_add(say: Say, board: sessionmaker[Session]) -> None:
    """Every must-trip text is refused by /action add and /finding add and nothing is stored;
    every must-not-trip text that needs no board vocabulary is stored as typed."""
    for c in MUST_TRIP:
        if _GRAMMAR.search(c.text):
            continue
        before = counts(board)
        for command in ("/action add", "/finding add"):
            r = say("qa", f"{command} {c.text}")
            assert not r.ok and REFUSED in "\n".join(r.lines), (command, c.text, r.lines)
            assert c.text not in "\n".join(r.lines)
        assert counts(board) == before, c.text
    stored = 0
    for c in MUST_NOT_TRIP:
        if _GRAMMAR.search(c.text) or check(c.text, BoardVocabulary()):
            continue
        r = say("qa", f"/action add {c.text}")
        assert r.ok, (c.text, r.lines)
        stored += 1
    assert stored >= 40
