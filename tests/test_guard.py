"""The safeguarding guard: a table of texts that must and must not trip it."""

from __future__ import annotations

import pytest

from commands.guard import check, nhs_number_valid

AGENCIES = ["Surrey Police", "Surrey County Council Children's Services", "Surrey Faith Forum"]

MUST_TRIP = [
    ("Follow up on 943 476 5919 at the next panel", "an NHS number"),
    ("NHS no 9434765919 referred twice", "an NHS number"),
    ("Child seen on 3 May, DOB 12/03/2015", "a date of birth"),
    ("Sibling born 4 June 2019 not on the plan", "a date of birth"),
    ("date of birth: 01/02/2016 missing from the form", "a date of birth"),
    ("Mother's NI number AB 12 34 56 C on file", "a National Insurance number"),
    ("ni qq123456c", None),  # QQ is not a valid prefix: must not trip (checked below)
    ("Jayden Smith lives at GU1 4LH with his mother", "a full postcode beside a name"),
    ("Visit to Mrs Okafor, RH1 1AA, overdue", "a full postcode beside a name"),
]

MUST_NOT_TRIP = [
    "Review MASH referral audit due 12/03/2027",
    "Surrey Police to present the Section 11 return by 31/03/2027",
    "Strategy meetings not always multi-agency — Surrey County Council Children's Services",
    "Chase Surrey Faith Forum for their return, office at GU1 4LH",
    "Child A and Child B: learning from the case review",
    "Audit 25 case files for CSE risk screening",
    "Call 01483 517 000 to book the challenge event",
    "Reference 1234567890 from the audit tool",  # fails the modulus-11 check
    "Deadline moved to 1 Feb 2027 after the bank holiday",
]


@pytest.mark.parametrize(("text", "kind"), [c for c in MUST_TRIP if c[1]])
def test_identifying_text_is_caught(text: str, kind: str) -> None:
    hits = check(text, AGENCIES)
    assert kind in [h.kind for h in hits], hits


@pytest.mark.parametrize("text", [*MUST_NOT_TRIP, "ni qq123456c"])
def test_ordinary_board_text_passes(text: str) -> None:
    assert check(text, AGENCIES) == []


def test_hits_never_echo_the_identifier_in_full() -> None:
    [hit] = check("NHS 943 476 5919", AGENCIES)
    assert "943 476 5919" not in hit.describe()


@pytest.mark.parametrize(
    ("digits", "valid"),
    [
        ("9434765919", True),
        ("4010232137", True),
        ("9434765918", False),
        ("0000000000", False),
        ("123", False),
    ],
)
def test_nhs_modulus_11(digits: str, valid: bool) -> None:
    assert nhs_number_valid(digits) is valid
