"""Numbers issued to one person: NHS number (modulus 11), National Insurance number (HMRC's
prefix and suffix rules) and Unique Pupil Number (DfE check letter)."""

from __future__ import annotations

import re

from commands.guard.hits import NHS_NUMBER, NI_NUMBER, UPN, GuardHit, hit

_NHS = re.compile(r"(?<![\w£$€./,-])(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?![\w/%-]|[.,]\d)")
# A digit run labelled as something else is that thing: "ref 4010232137", "case no. …", "invoice …".
_OTHER_LABEL = re.compile(
    r"(?:\b(?:ref(?:erence)?|case|invoice|inv|order|po|purchase order|ticket|incident|crime|job|"
    r"account|acct|a/c|claim|booking|file|report|request|application|serial|tel(?:ephone)?|phone|"
    r"mobile|fax|call|ext|sort code|batch|transaction|receipt|item|isbn|id\s+ref)"
    r"\.?\s*(?:no\.?|num(?:ber)?|ref(?:erence)?|id)?\.?\s*[:#.]?\s*)$",
    re.I,
)
_NHS_LABEL = re.compile(r"\b(?:nhs|chi)\s*(?:no\.?|num(?:ber)?|#)?\s*[:.#-]?\s*$", re.I)


def nhs_number_valid(digits: str) -> bool:
    """NHS numbers carry a modulus-11 check digit; 10 is never a valid check digit."""
    if len(digits) != 10 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def nhs_hits(text: str) -> list[GuardHit]:
    out = []
    for m in _NHS.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        labelled = bool(_NHS_LABEL.search(before))
        if not labelled and (_OTHER_LABEL.search(before) or not nhs_number_valid("".join(m.groups()))):
            continue
        out.append(hit(NHS_NUMBER, "an NHS number", text, m.start(), m.end()))
    return out


# HMRC: first letter not D F I Q U V; second not D F I O Q U V; never BG GB KN NK NT TN ZZ;
# six digits; suffix A-D. Spaced, hyphenated or run together; any case.
_NINO = re.compile(
    r"(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])[ -]?(\d{2})[ -]?(\d{2})[ -]?(\d{2})[ -]?([A-D])"
    r"(?![A-Za-z0-9])",
    re.I,
)
_NOT_ISSUED = {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"}


def nino_valid(value: str) -> bool:
    m = _NINO.fullmatch(value.strip())
    return m is not None and m.group(1).upper() not in _NOT_ISSUED


def nino_hits(text: str) -> list[GuardHit]:
    return [
        hit(NI_NUMBER, "a National Insurance number", text, m.start(), m.end())
        for m in _NINO.finditer(text)
        if m.group(1).upper() not in _NOT_ISSUED
    ]


# DfE: check letter + LA code (3) + establishment (4) + year (2) + serial (3); a temporary UPN
# ends in a letter. The check letter is sum(weight 2..13 × character) mod 23 in this alphabet.
_UPN_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_UPN = re.compile(
    r"(?<![A-Za-z0-9])([A-Z])[ -]?(\d{3})[ -]?(\d{4})[ -]?(\d{2})[ -]?(\d{2}[0-9A-Z])(?![A-Za-z0-9])", re.I
)
_UPN_LABEL = re.compile(r"\b(?:upn|pupil\s+(?:no\.?|number))\s*[:.#-]?\s*$", re.I)


def upn_check_letter(body: str) -> str | None:
    """The check letter for the 12 characters after it (None when they cannot be a UPN)."""
    body = body.upper()
    if len(body) != 12 or not body[:11].isdigit():
        return None
    values = [int(c) for c in body[:11]]
    last = body[11]
    if last.isdigit():
        values.append(int(last))
    elif last in _UPN_ALPHABET:
        values.append(_UPN_ALPHABET.index(last))
    else:
        return None
    return _UPN_ALPHABET[sum(v * w for v, w in zip(values, range(2, 14), strict=True)) % 23]


def upn_valid(upn: str) -> bool:
    upn = re.sub(r"[ -]", "", upn).upper()
    return len(upn) == 13 and upn_check_letter(upn[1:]) == upn[0]


def upn_hits(text: str) -> list[GuardHit]:
    out = []
    for m in _UPN.finditer(text):
        body = "".join(m.groups()[1:])
        labelled = bool(_UPN_LABEL.search(text[max(0, m.start() - 20) : m.start()]))
        if labelled or upn_check_letter(body) == m.group(1).upper():
            out.append(hit(UPN, "a Unique Pupil Number", text, m.start(), m.end()))
    return out
