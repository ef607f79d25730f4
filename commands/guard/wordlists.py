"""First names and surnames from Faker's person providers (a maintained package that ships its
name lists; nothing is downloaded), and the ordinary words that are not names in board text.

The lists are read from Faker's installed provider files on first use (milliseconds, once per
process); Faker itself is imported only if those files ever stop looking like name lists.
"""

from __future__ import annotations

import pkgutil
import re
from collections.abc import Iterable
from functools import cache
from importlib import metadata
from pathlib import Path

from commands.guard.normalise import fold_accents, word_set

# English-speaking locales plus the largest communities of UK families from elsewhere.
_LOCALES = ("en_GB", "en_IE", "en_US", "en_NZ", "en_IN", "en_PK", "en", "pl_PL", "ro_RO", "lt_LT")

# Words a first-name list also holds ("Will", "Mark", "Amber", "Chase", "Faith"): they count as a
# first name only when written with a capital and followed by a surname.
AMBIGUOUS_FIRST = word_set(
    """will mark may june april august summer autumn winter dawn eve hope faith grace joy charity
    mercy patience prudence honor honour justice liberty unity trinity destiny harmony heaven precious
    amber ruby jade crystal pearl holly ivy lily daisy rose iris violet hazel heather fern poppy willow
    sky star sunny sandy storm river brook dale glen cliff lane page reed bill art pat sue rob guy jack
    frank earl dean drew grant rich ray max miles wade chase carol penny king queen prince princess
    major general doctor sister son baby friend true early case price reason rock spring job author
    lawyer media sing else less add carry chance unknown north south east west little long royal saint
    london red green white black brown grey gray young sterling fleet stone grove hale wells sharp
    hunter archer mason carter baker cook bishop parson major marshal bond cash gay lord noble
    """
)

# Words of board business that are never a person's name or surname.
BOARD_WORDS = word_set(
    """the a an and or of for to in on at by with from into onto via per re about after before
    this that these those their there our your his her its my we they he she it i you is are was were
    be been being has have had do does did not no yes all any each every some most more less very
    police surrey county council children childrens child's children's services service health nhs
    trust foundation hospital clinical commissioning group board safeguarding section panel scrutiny
    help protection neglect domestic abuse sexual exploitation schools school colleges college
    voluntary sector third faith forum office offices house road street lane avenue centre center
    court review reviews audit audits action actions finding findings meeting meetings independent
    chair officer lead team unit hub local authority partnership probation fire rescue ambulance youth
    offending housing education academy primary secondary community mash cse qa qae sscb lscb lscp
    please next end due agency agencies update report plan send share check ask chase visit meet write
    contact confirm strategy discussion discussions data return returns training learning practice
    performance priority priorities rapid serious incident notification framework quality assurance
    evaluation standard standards evidence self assessment moderated moderation rating rag red amber
    green challenge event minutes agenda item items apologies thanks cases case file files referral
    referrals re-referrals plans plan looked after missing episodes interviews threshold thresholds
    figures figure measure measures term year years month months week weeks day days today tomorrow
    designated nurse doctor named gp practitioner worker workers social care manager managers director
    deputy head teacher headteacher governor governors staff member members parents parent carers carer
    family families household home mother father mum dad sibling siblings brother sister boy girl baby
    infant young person people adult adults victim victims perpetrator perpetrators offender
    national regional area district borough city town village north south east west central upper lower
    new old great little st saint mount hill park green square close drive way place gardens grove
    terrace crescent view rise walk row mews ward wing floor building buildings library station church
    mosque temple surgery clinic unit units ltd limited plc cic charity
    monday tuesday wednesday thursday friday saturday sunday january february march april may june
    july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec
    early inspection jtai ofsted cafcass lcspr scr dhr s11 sub-group subgroup yr yrs yo age aged
    reception nursery hall chambers lodge manor tower towers plaza arcade quay wharf castle abbey
    priory gate cross bridge market civic conference suite
    """
)


# `name = (` or `name: Dict[str, float] = OrderedDict(` opening a literal list of names.
_BLOCK = re.compile(r"^(?P<indent> +)(?P<attr>\w+)\s*(?::[^=\n]*)?=\s*(?:OrderedDict\(\s*)?\(\s*$", re.M)
_QUOTED = re.compile(r"\"([^\"\\\n]+)\"|'([^'\\\n]+)'")
Lists = dict[str, set[str]]  # attribute name → the words it lists


def _from_source(provider: str) -> Lists:
    """The literal word lists of a Faker provider ("person/en_GB"), read as text: importing
    Faker itself costs 0.2-1 s (it scans every provider for locales); reading costs milliseconds."""
    try:  # the installed distribution's files, without importing the package
        faker = metadata.distribution("faker")
        path = Path(str(faker.locate_file(f"faker/providers/{provider}/__init__.py")))
        source = path.read_text(encoding="utf-8")
    except (metadata.PackageNotFoundError, OSError):
        return {}
    lists: Lists = {}
    for block in _BLOCK.finditer(source):
        close = source.find("\n" + block.group("indent") + ")", block.end())
        words = {a or b for a, b in _QUOTED.findall(source, block.end(), close)}
        lists.setdefault(block.group("attr"), set()).update(words)
    return lists


def _from_import(provider: str) -> Lists:
    """The same lists through Faker's own import (if its source layout ever changes)."""
    try:
        # A data provider of a third-party package, not one of our modules by name.
        cls = pkgutil.resolve_name("faker.providers." + provider.replace("/", ".") + ":Provider")
    except ImportError:  # a locale a future Faker drops: the others still serve
        return {}
    lists: Lists = {}
    for attr in dir(cls):
        value = getattr(cls, attr, ())
        if isinstance(value, tuple | list | dict):
            lists[attr] = {n for n in value if isinstance(n, str)}
    return lists


def _clean(names: Iterable[str]) -> frozenset[str]:
    keys = (n.lower() if n.isascii() else fold_accents(n) for n in names)
    return frozenset(k for k in keys if len(k) > 1 and k.replace("-", "").replace("'", "").isalpha())


@cache
def person_lists(*, use_source: bool = True) -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) of every locale; each provider file is read once."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        lists = _from_source(f"person/{locale}") if use_source else {}
        if not any(a.startswith("first_names") for a in lists):
            lists = _from_import(f"person/{locale}")
        for attr, words in lists.items():
            if attr.startswith("first_names"):
                first |= words
            elif "last_names" in attr:
                last |= words
    if not first or not last:
        # Never a quietly weaker guard: without the lists no name beside an age would trip.
        raise RuntimeError(
            "The safeguarding guard found no name lists (the faker package is missing or has "
            "changed shape): reinstall from the lock file with `make venv`."
        )
    return _clean(first), _clean(last)


@cache
def lorem_words(*, use_source: bool = True) -> frozenset[str]:
    words = (_from_source("lorem/en_US") if use_source else {}).get("word_list")
    if not words:
        words = _from_import("lorem/en_US").get("word_list", set())
    return frozenset(w.lower() for w in words)


@cache
def common_words() -> frozenset[str]:
    """Ordinary English words (Faker's lorem list) and the board's own words."""
    return lorem_words() | BOARD_WORDS | AMBIGUOUS_FIRST


@cache
def first_names() -> frozenset[str]:
    return person_lists()[0] - BOARD_WORDS - {"unknown"}


@cache
def surnames() -> frozenset[str]:
    return person_lists()[1] - BOARD_WORDS


def is_ambiguous_first(word: str) -> bool:
    return word in common_words()
