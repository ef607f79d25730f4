"""The reply corpus is the specification: every reply in tests/fixtures/replies_corpus.yaml
is read as the intent it names (and, for extensions, asks for the date it names)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from commands.understanding import correction, extension_ask, read
from tests.conftest import LONDON

CORPUS: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).parent / "fixtures" / "replies_corpus.yaml").read_text(encoding="utf-8")
)
DEADLINE = date(2027, 5, 4)
NOW = datetime(2027, 4, 28, 11, 0, tzinfo=LONDON)


def test_the_corpus_is_big_enough_to_be_a_specification() -> None:
    assert len(CORPUS) >= 60
    assert {c["intent"] for c in CORPUS} == {
        "submitted",
        "not_yet",
        "extension",
        "apology",
        "question",
        "ack",
        "comment",
    }


@pytest.mark.parametrize("case", CORPUS, ids=[c["text"][:50] for c in CORPUS])
def test_each_reply_is_read_as_its_intent(case: dict[str, Any]) -> None:
    reading = read(case["text"])
    assert reading.intent == case["intent"]
    assert reading.url == case.get("url", reading.url)
    if reading.intent == "extension":
        ask = extension_ask(reading.text, deadline=DEADLINE, now=NOW, tz="Europe/London")
        assert (ask.to, ask.problem) == (case.get("to"), case.get("problem"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("undo", "undo"),
        ("Undo please", "undo"),
        ("that was a submission", "submitted"),
        ("That was a comment", "comment"),
        ("that wasn't a submission", "comment"),
        ("submitted", None),
        ("It was submitted on Monday", None),
    ],
)
def test_corrections_are_read_only_from_their_own_words(text: str, expected: str | None) -> None:
    assert correction(text) == expected
