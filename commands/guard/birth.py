"""Dates of birth in every common UK form: "DOB 4/5/15", "d.o.b.: 2015-05-04", "born 4 May 2015",
"b. 12.05.2016", "May 4, 2015 (DOB)". A cohort ("babies born 01/04/2016 to 31/03/2017") or a
statistic is not a date of birth."""

from __future__ import annotations

import re

from commands.guard.hits import DATE_OF_BIRTH, GuardHit, hit

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
DATE = (
    r"(?:\d{1,2}\s?[/.-]\s?\d{1,2}\s?[/.-]\s?(?:\d{4}|\d{2})(?!\d)"  # 4/5/15, 04.05.2015
    r"|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}(?!\d)"  # 2015-05-04
    rf"|{_DAY}(?:\s+of)?[\s-]+{_MONTH}[\s,-]+(?:\d{{4}}|'?\d{{2}})(?!\d)"  # 4(th) (of) May 2015
    rf"|{_MONTH}\s+{_DAY},?\s+\d{{4}}(?!\d))"  # May 4, 2015
)
_MONTH_YEAR = rf"(?:\d{{1,2}}[/.-]\d{{4}}|{_MONTH}\s+\d{{4}})(?!\d)"
_STRONG_LABEL = r"(?:d\.?\s?o\.?\s?b\.?|date\s+of\s+birth|birth\s?date|birthday|dob)"
_LABEL = rf"(?:{_STRONG_LABEL}|born(?:\s+on)?(?:\s+the)?|b\.)"
_DOB = re.compile(
    rf"(?<![\w.])(?:{_LABEL})\s*[:=-]?\s*\(?\s*(?P<date>{DATE})"
    rf"|(?P<date2>{DATE})\s*\(?\s*(?:{_STRONG_LABEL})(?!\w)\)?"
    rf"|(?<![\w.]){_STRONG_LABEL}\s*[:=-]?\s*(?P<month>{_MONTH_YEAR})",
    re.I,
)
# A range of dates is a cohort: "born 01/04/2016 to 31/03/2017", "DOB 1/9/15-31/8/16".
_RANGE_AFTER = re.compile(rf"\s*(?:-|to|until|till|through|and|&)\s*{DATE}", re.I)


def dob_hits(text: str) -> list[GuardHit]:
    out = []
    for m in _DOB.finditer(text):
        if _RANGE_AFTER.match(text, m.end()):
            continue
        out.append(hit(DATE_OF_BIRTH, "a date of birth", text, m.start(), m.end()))
    return out
