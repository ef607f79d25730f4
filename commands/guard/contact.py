"""Phone numbers and e-mail addresses of individuals.

The rule: a mobile number (07…, +44 7…) is a person's and is refused; a landline or a service
number (0300, 0800, 0845…) is an agency's published number and passes, unless a person's name or
a family word stands beside it; numbers the board lists for its agencies always pass.
An e-mail address passes when it is a role mailbox (its local part is made of role words:
safeguarding@, mash.referrals@, info@) or a board member's own address; any other address is an
individual's and is refused.
"""

from __future__ import annotations

import re

from commands.guard.context import clause, household_word_in, people_in, professional
from commands.guard.hits import EMAIL, PHONE, GuardHit, hit
from commands.guard.normalise import word_set
from commands.guard.people import Person
from commands.guard.vocabulary import BoardVocabulary, phone_digits

_PHONE = re.compile(r"(?<![\w+/.-])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)\d[\d\s)-]{7,13}\d(?![\w/-])")
_SERVICE_PREFIXES = ("0300", "0330", "0333", "0343", "0344", "0345", "0370", "0800", "0808", "0843", "0844",
                     "0845", "0870", "0871")


def phone_hits(text: str, people: list[Person], vocabulary: BoardVocabulary) -> list[GuardHit]:
    out = []
    for m in _PHONE.finditer(text):
        digits = phone_digits(m.group(0))
        if not 10 <= len(digits) <= 11 or digits in vocabulary.phones:
            continue
        if digits.startswith("07"):
            kind = "a personal phone number"
        else:
            lo, hi = clause(text, m.start(), m.end())
            named = [p for p in people_in(people, lo, hi) if p.kind != "unlisted"]
            named = [p for p in named if not professional(text, p)]
            beside = named or household_word_in(text, lo, hi)
            if digits.startswith(_SERVICE_PREFIXES) or not beside:
                continue
            kind = "a phone number beside a name or family word"
        out.append(hit(PHONE, kind, text, m.start(), m.end()))
    return out


_EMAIL = re.compile(r"(?<![\w.%+-])([\w.%+-]+)@([\w-]+(?:\.[\w-]+)+)")
_ROLE_PARTS = word_set(
    """info enquiries enquiry admin administration contact contactus office duty qa lscb lscp sscb scb
    scp board partnership safeguarding safeguard mash referrals referral team helpdesk help desk
    noreply no-reply donotreply support hello reception secretary secretariat clerk governors
    headteacher head dsl senco school hr data dpo foi complaints feedback communications comms media
    press training events bookings finance accounts earlyhelp early cse police health council
    services service hub unit centre center group forum panel review audit mail post designated
    nurse doctor lado edt ooh cp childprotection children childrens families family youth
    adoption fostering s11 section11 business support practice learning quality assurance
    """
)


def _role_mailbox(local: str) -> bool:
    parts = [p for p in re.split(r"[._+-]", local.lower()) if p and not p.isdigit()]
    if not parts:
        return False
    return all(p in _ROLE_PARTS or any(p.startswith(r) and len(r) > 4 for r in _ROLE_PARTS) for p in parts)


def email_hits(text: str, vocabulary: BoardVocabulary) -> list[GuardHit]:
    out = []
    for m in _EMAIL.finditer(text):
        if m.group(0).lower() in vocabulary.emails or _role_mailbox(m.group(1)):
            continue
        out.append(hit(EMAIL, "a personal e-mail address", text, m.start(), m.end()))
    return out
