"""The national list: organisations and places every board's text mentions whose names look
like a person's ("Lucy Faithfull Foundation", "Milton Keynes", "Stanley"). A board adds its own
agencies, places and venues through `BoardVocabulary`.

Multi-word entries are whole phrases: only the phrase itself is passed over, never one of its
words elsewhere. Single-word places only stop a lone word being read as a first name.
"""

from __future__ import annotations

from commands.guard.normalise import word_set

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
