"""Each named signal of the guard on its own, normalisation, the board vocabulary, the refusal
wording and the anonymised suggestion."""

from __future__ import annotations

import pytest

from commands.guard import (
    BoardVocabulary,
    anonymise,
    check,
    describe_findings,
    nino_valid,
    normalise,
    refusal_message,
    upn_check_letter,
    upn_valid,
)

BOARD = BoardVocabulary.build(
    board_name="Kingston Safeguarding Children Partnership",
    agencies=["Kingston Police", "Kingston Faith Forum"],
    members=["Sarah Smith"],
)


def signals(text: str, vocabulary: BoardVocabulary = BOARD) -> set[str]:
    return {h.signal for h in check(text, vocabulary)}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("943 476 5919", True),
        ("943-476-5919", True),
        ("9434765919", True),
        ("NHS number 9434765918", True),  # labelled: refused even with a mistyped check digit
        ("9434765918", False),  # unlabelled and fails modulus 11
        ("ref 4010232137", False),
        ("case no. 4010232137", False),
        ("invoice 4010232137", False),
        ("https://x.sharepoint.com/sites/qa/4010232137", False),
        ("4010232137", True),
    ],
)
def test_nhs_number(text: str, found: bool) -> None:
    assert ("nhs_number" in signals(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("DOB 4/5/15", True),
        ("d.o.b.: 2015-05-04", True),
        ("born 4 May 2015", True),
        ("b. 12.05.2016", True),
        ("May 4, 2015 (DOB)", True),
        ("dob 05/2015", True),
        ("babies born 01/04/2016 to 31/03/2017", False),
        ("due 12/03/2027", False),
        ("2016-17 priorities", False),
        ("children born in 2015: 43", False),
    ],
)
def test_date_of_birth(text: str, found: bool) -> None:
    assert ("date_of_birth" in signals(text)) is found


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("AB123456C", True),
        ("ab 12 34 56 c", True),
        ("AB-12-34-56-C", True),
        ("QQ123456C", False),  # Q is never a prefix letter
        ("AO123456C", False),  # O is never the second letter
        ("GB123456A", False),  # GB, BG, NK, KN, TN, NT, ZZ are never issued
        ("TN123456A", False),
        ("AB123456E", False),  # the suffix is A to D
    ],
)
def test_national_insurance_rules(value: str, valid: bool) -> None:
    assert nino_valid(value) is valid
    assert ("ni_number" in signals(f"NI {value} on file")) is valid


def test_upn_check_letter_is_the_dfe_algorithm() -> None:
    # weights 2..13 over the 12 characters after the check letter, mod 23, in A-Z less I, O, S
    body = "801200013001"
    total = sum(int(c) * w for c, w in zip(body, range(2, 14), strict=True))
    assert upn_check_letter(body) == "ABCDEFGHJKLMNPQRTUVWXYZ"[total % 23] == "P"
    assert upn_valid("P801200013001") and not upn_valid("Q801200013001")
    assert upn_check_letter("80120001300A") == "A"  # a temporary UPN ends in a letter
    assert "upn" in signals("pupil P801200013001 moved") and "upn" not in signals("doc Q801200013001")
    assert "upn" in signals("UPN Q801200013001")  # labelled: refused with a wrong check letter


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Jayden Smith, GU1 4LH", True),
        ("jayden smith gu14lh", True),
        ("Family at SW1A 1AA Smith household", True),
        ("Mrs Okafor, RH1 1AA", True),
        ("mum now at ec1a 1bb", True),
        ("Kingston Faith Forum office at GU1 4LH", False),
        ("Kingsgate Conference Centre LS1 4AP", False),
        ("QA1 1AA is not a postcode area beside Jayden Smith", False),
    ],
)
def test_postcode_beside_a_name_or_family_word(text: str, found: bool) -> None:
    assert ("postcode" in signals(text)) is found


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Jayden Smith, 7", "name_with_age"),
        ("Jayden Smith (7)", "name_with_age"),
        ("7-year-old Jayden Smith", "name_with_age"),
        ("Jayden, aged 7", "name_with_age"),
        ("Visit Jayden Smith aged 7", "name_with_age"),
        ("Ciara McDonald, 9", "name_with_age"),
        ("Harvey MacLeod, 9", "name_with_age"),
        ("Liam O'Brien, 9", "name_with_age"),
        ("Jayden Smith Year 4 at St Mary's", "name_with_school"),
        ("Jayden Smith attends Oakwood Primary", "name_with_school"),
        ("Jayden Year 4 at St Mary's", "name_with_school"),
    ],
)
def test_child_name_beside_age_or_school(text: str, signal: str) -> None:
    assert signal in signals(text)


@pytest.mark.parametrize(
    "text",
    [
        "Strategy Discussions, 7 held",
        "Kingston Police, 7",
        "Sarah Smith, 7",
        "Year 4 at St Mary's",
        "Sarah Jones, DSL at Oakwood Primary",
        "Child A, 7",
        "Will review, 7",
    ],
)
def test_names_that_are_not_a_child_beside_an_age(text: str) -> None:
    assert signals(text) & {"name_with_age", "name_with_school"} == set()


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("visit 14 Acacia Avenue", True),
        ("7 oak road", True),
        ("Flat 2, 5 Park Way", True),
        ("Quadrant Court, 35 Guildford Road", False),
        ("10 cases close this week", False),
        # Where someone lives, a number and a name is an address without a street type.
        ("Home visit to 485 Payne harbors for the family", True),
        ("She lives at 7 Oakfield with her nan", True),
        ("Home visit to Studio 49X\nTaylor groves", True),
        ("home address: Flat 3\nMarcus tunnel", True),
        ("Staff living in 12 boroughs", False),
        ("The family lives at home", False),
        ("The review was moved to 10 March; she lives at home", False),
        ("visited at 10 am with the social worker", False),
    ],
)
def test_home_address(text: str, found: bool) -> None:
    assert ("home_address" in signals(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("mobile 07700 900123", True),
        ("+44 7700 900123", True),
        ("mum on 01632 960321", True),
        ("call 01632 960321 to book", False),
        ("0300 123 4567", False),
        ("0808 800 5000 for Jayden Smith's mum", False),
    ],
)
def test_phone_numbers_of_individuals(text: str, found: bool) -> None:
    assert ("phone" in signals(text)) is found


def test_numbers_and_addresses_the_board_lists_pass() -> None:
    board = BoardVocabulary.build(phones=["07700 900555"], emails=["sarah.smith@kingston.gov.uk"])
    assert check("duty mobile 07700 900 555 or sarah.smith@kingston.gov.uk", board) == []
    assert "email" in signals("tom.baker@kingston.gov.uk", board)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("kelly.jones82@hotmail.co.uk", True),
        ("jayden.smith@school.sch.uk", True),
        ("safeguarding@kingston.gov.uk", False),
        ("mash.referrals@kingston.gov.uk", False),
        ("info@faithforum.org.uk", False),
    ],
)
def test_email_addresses_of_individuals(text: str, found: bool) -> None:
    assert ("email" in signals(text)) is found


@pytest.mark.parametrize(
    "text",
    [
        "NHS 9\u00ad43 476 5919",  # soft hyphen
        "NHS 943\u2060476\u20605919",  # word joiner
        "NHS \ufeff943 476 5919",  # BOM
        "NHS 943\u200b476\u200b5919",  # zero-width space
        "NHS ９４３ ４７６ ５９１９",  # full-width digits
        "DOB ０４／０５／２０１５",  # full-width slashes
        "Jay\u00addenSmith".replace("Smith", " Smith") + ", 7",
    ],
)
def test_invisible_and_full_width_characters_do_not_hide_anything(text: str) -> None:
    assert check(text, BOARD), normalise(text)


def test_a_word_before_the_name_does_not_hide_it() -> None:
    assert "postcode" in signals("Visit Jayden Smith at GU21 6AB about the referral")
    assert "postcode" in signals("VISIT JAYDEN SMITH AT GU21 6AB")


def test_a_member_or_agency_name_never_whitelists_a_child_sharing_one_word() -> None:
    board = BoardVocabulary.build(agencies=["Smith Family Trust"], members=["Sarah Smith", "Jayden Jones"])
    assert "postcode" in signals("Jayden Smith KT1 2AB neglect concerns", board)
    assert check("Sarah Smith to present from KT1 2AB", board) == []


def test_the_refusal_names_what_was_found_in_the_boards_own_words() -> None:
    hits = check("Jayden Smith KT1 2AB, NHS 943 476 5919", BOARD)
    assert describe_findings(hits, excerpts=False) == "a full postcode beside a name and an NHS number"
    message = refusal_message(hits, BOARD)
    assert "a family in Kingston" in message and "Surrey" not in message and "Guildford" not in message
    assert "943 476 5919" not in message and "KT1 2AB" not in message


def test_the_anonymised_suggestion_uses_initials_a_case_code_and_placeholders() -> None:
    text = "Visit Jayden Smith at GU21 6AB, DOB 04/05/2015, mum on 07700 900123"
    suggestion = anonymise(text, BOARD, case_code="2027-014")
    assert suggestion == (
        "Visit Child J.S. (case 2027-014) at [postcode], [date of birth], mum on [phone number]"
    )
    assert check(suggestion, BOARD) == []
    assert anonymise("Review the audit", BOARD) == "Review the audit"
    assert anonymise("Mrs Okafor, RH1 1AA", BOARD) == "Mrs O., [postcode]"


def test_name_lists_read_from_fakers_files_are_fakers_own_lists() -> None:
    from commands.guard import wordlists

    first, last = wordlists.person_lists()
    imported_first, imported_last = wordlists.person_lists(use_source=False)
    assert first == imported_first and len(first) > 8000
    assert len(last ^ imported_last) <= 2 and len(last) > 8000
    assert wordlists.lorem_words() == wordlists.lorem_words(use_source=False)
    assert {"jayden", "muhammad", "isla", "freya"} <= wordlists.first_names()


def test_without_its_name_lists_the_guard_stops_rather_than_passing_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from commands.guard import wordlists

    monkeypatch.setattr(wordlists, "_from_source", lambda provider: {})
    monkeypatch.setattr(wordlists, "_from_import", lambda provider: {})
    with pytest.raises(RuntimeError, match="no name lists"):
        wordlists.person_lists.__wrapped__()
