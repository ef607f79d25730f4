"""The anonymised version offered instead of a refused text: names become initials ("Child J.S.
(case 2027-014)"), identifiers become placeholders ("[postcode]"). A pure function: the same
text, vocabulary and case code always give the same suggestion, and the guard passes it."""

from __future__ import annotations

from collections.abc import Iterable

from commands.guard import hits as signals
from commands.guard.detector import scan
from commands.guard.people import Person
from commands.guard.vocabulary import BoardVocabulary, as_vocabulary

PLACEHOLDERS = {
    signals.NHS_NUMBER: "[NHS number]",
    signals.DATE_OF_BIRTH: "[date of birth]",
    signals.NI_NUMBER: "[NI number]",
    signals.UPN: "[UPN]",
    signals.POSTCODE: "[postcode]",
    signals.HOME_ADDRESS: "[address]",
    signals.PHONE: "[phone number]",
    signals.EMAIL: "[e-mail address]",
}


def _name_for(person: Person, case_code: str | None, first: bool) -> str:
    if person.kind == "title":
        return f"{person.words[0]} {person.words[1][0].upper()}."
    label = f"Child {person.initials()}"
    return f"{label} (case {case_code})" if case_code and first else label


def anonymise(
    text: str, vocabulary: BoardVocabulary | Iterable[str] = (), *, case_code: str | None = None
) -> str:
    """The text with every identifying detail replaced (unchanged when nothing was found)."""
    vocab = as_vocabulary(vocabulary)
    result = text
    # A placeholder never leaves a detail another signal would still find: look again (twice at most).
    for _ in range(3):
        replaced = _replace_once(result, vocab, case_code)
        if replaced is None:
            return result
        result, case_code = replaced, None
    return result


def _replace_once(text: str, vocab: BoardVocabulary, case_code: str | None) -> str | None:
    norm, people, found = scan(text, vocab)
    if not found:
        return None
    spans: list[tuple[int, int, str]] = []
    children = 0
    flagged = {(h.start, h.end) for h in found}
    for p in people:
        if p.kind == "unlisted" and (p.start, p.end) not in flagged:
            continue  # two capitalised words are a name only where a hit said so
        spans.append((p.start, p.end, _name_for(p, case_code, children == 0)))
        children += p.kind != "title"
    spans += [(h.start, h.end, PLACEHOLDERS[h.signal]) for h in found if h.signal in PLACEHOLDERS]
    named = {(p.start, p.end) for p in people}
    for h in found:  # a name only a hit knows ("daughter Oliwia, 6")
        if h.signal in (signals.NAME_WITH_AGE, signals.NAME_WITH_SCHOOL) and (h.start, h.end) not in named:
            words = tuple(norm[h.start : h.end].split())
            spans.append((h.start, h.end, _name_for(Person(h.start, h.end, "first", words), None, False)))
    out, cursor = [], 0
    for start, end, replacement in sorted(spans, key=lambda s: (s[0], -s[1])):
        if end <= cursor:
            continue  # inside a span already replaced (a postcode inside an address)
        if start < cursor:  # overlapping one: replace what is left of it too
            out.append(" " + replacement if norm[cursor - 1 : cursor] != " " else replacement)
            cursor = end
            continue
        out += [norm[cursor:start], replacement]
        cursor = end
    return "".join([*out, norm[cursor:]])
