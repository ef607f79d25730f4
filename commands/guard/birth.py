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
_LABEL_RE = re.compile(rf"(?<![\w.])(?:{_LABEL})", re.I)
_STRONG_RE = re.compile(rf"(?:{_STRONG_LABEL})$", re.I)
_DATE_AFTER_LABEL = re.compile(rf"\s*[:=-]?\s*\(?\s*(?:{DATE})", re.I)
_MONTH_YEAR_AFTER_LABEL = re.compile(rf"\s*[:=-]?\s*(?:{_MONTH_YEAR})", re.I)
_DATE_RE = re.compile(rf"(?<![\w/.-]){DATE}", re.I)
_LABEL_AFTER_DATE = re.compile(rf"\s*\(?\s*(?:{_STRONG_LABEL})(?!\w)\)?", re.I)
# A range of dates is a cohort: "born 01/04/2016 to 31/03/2017", "DOB 1/9/15-31/8/16".
_RANGE_AFTER = re.compile(rf"\s*(?:-|to|until|till|through|and|&)\s*{DATE}", re.I)


def _spans(text: str) -> list[tuple[int, int]]:
    found = []
    for label in _LABEL_RE.finditer(text):  # "DOB 4/5/15", "born 4 May 2015", "dob 05/2015"
        date = _DATE_AFTER_LABEL.match(text, label.end())
        if date is None and _STRONG_RE.match(label.group(0)):
            date = _MONTH_YEAR_AFTER_LABEL.match(text, label.end())
        if date is not None:
            found.append((label.start(), date.end()))
    if "dob" in text.lower() or "birth" in text.lower() or "d.o.b" in text.lower():
        for date in _DATE_RE.finditer(text):  # "May 4, 2015 (DOB)"
            after = _LABEL_AFTER_DATE.match(text, date.end())
            if after is not None:
                found.append((date.start(), after.end()))
    return found


def dob_hits(text: str) -> list[GuardHit]:
    if not any(map(str.isdigit, text)):  # the same test, without a Python frame per character
        return []
    return [
        hit(DATE_OF_BIRTH, "a date of birth", text, start, end)
        for start, end in _spans(text)
        if not _RANGE_AFTER.match(text, end)
    ]
