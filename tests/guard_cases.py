"""The measured table: texts a practitioner might type, each labelled with the signal that must
trip the guard, or with the signal it resembles and must NOT trip (board vocabulary: due dates,
meeting dates, statistics, years, references, venue addresses, agency numbers, links).

Used by tests/test_guard_table.py (recall and false-positive targets) and by
benchmarks/guard_bench.py (figures per signal).
"""

from __future__ import annotations

from typing import NamedTuple

from commands.guard import BoardVocabulary


class Case(NamedTuple):
    text: str
    signal: str  # the signal that must trip, or that a must-not-trip text resembles
    trips: bool


# A board that is not Surrey's, with a member whose surname a child may share.
VOCABULARY = BoardVocabulary.build(
    board_name="Riverside Safeguarding Children Partnership",
    agencies=[
        "Riverside Police",
        "Riverside Children's Services",
        "Riverside Clinical Commissioning Group",
        "Riverside Faith Forum",
        "Kingsgate Family Centre",
        "St Mary's Hospice",
    ],
    places=["Riverside", "Milton Keynes", "Ashley Green"],
    venues=["Kingsgate Conference Centre", "Civic Offices", "Harvey Building"],
    members=["Sarah Smith", "Grace Okafor", "Independent Chair"],
    phones=["01632 960 100", "07700 900 555"],
    emails=["sarah.smith@riverside.gov.uk"],
)

T, F = True, False

MUST_TRIP = [
    # NHS number: modulus 11, spaced, dashed or run together; labelled even when mistyped.
    Case("Follow up on 943 476 5919 at the next panel", "nhs_number", T),
    Case("NHS no 9434765919 referred twice", "nhs_number", T),
    Case("nhs number: 943-476-5919 please check the GP record", "nhs_number", T),
    Case("Baby's NHS number 401 023 2137 not on the plan", "nhs_number", T),
    Case("4010232137 seen at A&E three times", "nhs_number", T),
    Case("NHS# 943 476 5918 (typo?) for the sibling", "nhs_number", T),
    Case("Health to check 943\u00a0476\u00a05919 before the panel", "nhs_number", T),
    Case("Record ９４３ ４７６ ５９１９ is wrong", "nhs_number", T),
    Case("Follow up 943\u00ad476\u00ad5919 with the school nurse", "nhs_number", T),
    Case("Ask GP about 943\u2060476\u20605919", "nhs_number", T),
    # Date of birth in every common UK form.
    Case("Child seen on 3 May, DOB 12/03/2015", "date_of_birth", T),
    Case("DOB 4/5/15 - seen by health visitor", "date_of_birth", T),
    Case("d.o.b.: 2015-05-04, missing from the referral", "date_of_birth", T),
    Case("Sibling born 4 May 2015 not on the plan", "date_of_birth", T),
    Case("b. 12.05.2016 - no health checks since", "date_of_birth", T),
    Case("date of birth: 01/02/2016 missing from the form", "date_of_birth", T),
    Case("Born on the 4th of May 2015, youngest of three", "date_of_birth", T),
    Case("DoB 04.05.15 to be checked with the school", "date_of_birth", T),
    Case("Referral says May 4, 2015 (DOB) but health says otherwise", "date_of_birth", T),
    Case("Birth date 2016/09/01 on the referral form", "date_of_birth", T),
    Case("dob：０４／０５／２０１５ on the MASH form", "date_of_birth", T),
    Case("DOB 4th May 2015", "date_of_birth", T),
    Case("Unborn baby, mother b. 3/2/99, pre-birth conference", "date_of_birth", T),
    Case("D.O.B - 11 Nov 2014, CP plan", "date_of_birth", T),
    # National Insurance number: HMRC prefix and suffix rules.
    Case("Mother's NI number AB 12 34 56 C on file", "ni_number", T),
    Case("NINO: JH123456A for the father", "ni_number", T),
    Case("ni no ce-12-34-56-d on the benefits form", "ni_number", T),
    Case("Dad's National Insurance NA 12 34 56 B", "ni_number", T),
    Case("NI number pe 99 88 77 a", "ni_number", T),
    Case("Carer's NI SK123456D given at the visit", "ni_number", T),
    # Unique Pupil Number: letter + 12 digits with its DfE check letter.
    Case("UPN A801200013001 moved schools twice", "upn", T),
    Case("Pupil D801200013002 missing education", "upn", T),
    Case("School gave t 801 2000 13 003 as the pupil number", "upn", T),
    Case("UPN: B123456789012 (check letter to confirm)", "upn", T),
    Case("Temporary A80120001300A on roll", "upn", T),
    # Full postcode beside a name or a family word, any format, any case.
    Case("Jayden Smith lives at GU1 4LH with his mother", "postcode", T),
    Case("Visit to Mrs Okafor, RH1 1AA, overdue", "postcode", T),
    Case("Visit Jane Smith at GU21 6AB about the referral", "postcode", T),
    Case("Family at SW1A 1AA Smith household", "postcode", T),
    Case("jayden smith gu1 4lh neglect concerns", "postcode", T),
    Case("Jayden Smith KT1 2AB neglect concerns", "postcode", T),
    Case("Household at kt12ab known to police", "postcode", T),
    Case("Mum moved to M1 1AE last week", "postcode", T),
    Case("Home address now EC1A 1BB, school not told", "postcode", T),
    Case("Ask Aisha Khan's family (B33 8TH) about the move", "postcode", T),
    Case("The Kowalski family, LS1 4AP", "postcode", T),
    Case("Grandparents at CF10 1EP are the kinship carers", "postcode", T),
    Case("Liam O'Connor BT1 5GS strategy meeting", "postcode", T),
    Case("Visit Ms McDonald at G2 1DY", "postcode", T),
    # A child's full name beside an age.
    Case("Jayden Smith, 7", "name_with_age", T),
    Case("Jayden Smith (7) missing from school", "name_with_age", T),
    Case("Concerns about Olivia Brown aged 4", "name_with_age", T),
    Case("7-year-old Jayden Smith seen at A&E", "name_with_age", T),
    Case("Mohammed Ali, 14, reported missing twice", "name_with_age", T),
    Case("Zainab Hussain age 3 not brought to appointments", "name_with_age", T),
    Case("jayden smith, 7 - neglect", "name_with_age", T),
    Case("Oliwia Nowak, 9 years old, home educated", "name_with_age", T),
    Case("Jayden, aged 7, left with a neighbour", "name_with_age", T),
    Case("Freya (6 months) not seen by the health visitor", "name_with_age", T),
    Case("Visit Jayden Smith 7yo at home", "name_with_age", T),
    Case("Harvey McGregor, 15, CSE risk", "name_with_age", T),
    Case("Strategy discussion for Kai O'Neill, 12", "name_with_age", T),
    Case("Isla Smith, 8, and her brother", "name_with_age", T),
    # A child's full name beside a school year or a school.
    Case("Jayden Smith Year 4 at St Mary's", "name_with_school", T),
    Case("Amelia Jones in Y6 at Oakwood Primary", "name_with_school", T),
    Case("Noah Williams attends Hillside Academy, not seen since June", "name_with_school", T),
    Case("Ethan Taylor, year 10, excluded twice", "name_with_school", T),
    Case("Ruby Evans Reception class, bruising noted", "name_with_school", T),
    Case("Leo Patel at St John's C of E school, poor attendance", "name_with_school", T),
    Case("Sophie Walsh Yr 9 Riverside High School", "name_with_school", T),
    Case("Jayden Year 4 at St Mary's, free school meals", "name_with_school", T),
    # A home address: a house number and a street.
    Case("Visit 14 Acacia Avenue about the referral", "home_address", T),
    Case("Family now at 22 Mill Lane", "home_address", T),
    Case("Flat 3, 22 High Street - overcrowding", "home_address", T),
    Case("police called to 7 oak road twice", "home_address", T),
    Case("Child living at 41b Station Road with an uncle", "home_address", T),
    Case("Home visit to 9 Elm Close, no answer", "home_address", T),
    Case("Mum's new tenancy: 118 Park Crescent", "home_address", T),
    # Phone numbers of individuals.
    Case("Mum's mobile 07700 900123", "phone", T),
    Case("Call dad on 07700900456 after school", "phone", T),
    Case("Carer's number +44 7700 900789", "phone", T),
    Case("Contact Jayden Smith's family on 01632 960 321", "phone", T),
    Case("Grandmother on 020 7946 0123 will take the children", "phone", T),
    Case("Text 07700-900-999 for the foster carer", "phone", T),
    # E-mail addresses of individuals.
    Case("Mum's email kelly.jones82@hotmail.co.uk", "email", T),
    Case("Father contacted from dazza1985@gmail.com", "email", T),
    Case("Send to jayden.smith@student.riverside.sch.uk", "email", T),
    Case("Social worker tom.baker@othercouncil.gov.uk shared the plan", "email", T),
]

MUST_NOT_TRIP = [
    # Resemble an NHS number: references, links, statistics, phone numbers.
    Case("Reference 1234567890 from the audit tool", "nhs_number", F),
    Case("ref 4010232137 for the invoice", "nhs_number", F),
    Case("Case no. 4010232137 closed at the panel", "nhs_number", F),
    Case("Invoice 9434765919 paid by health", "nhs_number", F),
    Case("See https://riverside.sharepoint.com/sites/QA/Shared%20Documents/4010232137/report.docx", "nhs_number", F),
    Case("Crime ref 9434765919 shared with the MASH", "nhs_number", F),
    Case("Ticket #4010232137 raised with IT", "nhs_number", F),
    Case("Call 01483 517 000 to book the challenge event", "nhs_number", F),
    Case("43 of 50 cases had a strategy discussion within 1 working day", "nhs_number", F),
    Case("Budget 1,234,567,890 across the partnership", "nhs_number", F),
    Case("Order number 4010232137 for training places", "nhs_number", F),
    Case("Link: www.riverside.gov.uk/lscp/9434765919", "nhs_number", F),
    # Resemble a date of birth: due dates, meeting dates, cohorts, statistics, years.
    Case("Review MASH referral audit due 12/03/2027", "date_of_birth", F),
    Case("Riverside Police to present the Section 11 return by 31/03/2027", "date_of_birth", F),
    Case("Deadline moved to 1 Feb 2027 after the bank holiday", "date_of_birth", F),
    Case("Babies born 01/04/2016 to 31/03/2017 in the cohort", "date_of_birth", F),
    Case("Children born between April 2016 and March 2017: 412", "date_of_birth", F),
    Case("Meeting on 14 Jan 2027 at 10:00", "date_of_birth", F),
    Case("Business plan priorities 2016-17 agreed", "date_of_birth", F),
    Case("Born in 2015: 43 children on plans", "date_of_birth", F),
    Case("Data to 30.09.2026 from the performance report", "date_of_birth", F),
    Case("Panel date 2027-05-20 confirmed", "date_of_birth", F),
    Case("DOB field missing in 12% of referrals", "date_of_birth", F),
    Case("Children aged 7 to 11 in the audit sample", "date_of_birth", F),
    Case("Births 2016/17 up 4% on the year", "date_of_birth", F),
    Case("Extension to 4 May 2027 agreed by the chair", "date_of_birth", F),
    # Resemble an NI number or a UPN: references, codes.
    Case("ni qq123456c", "ni_number", F),
    Case("Standard 1 to 8: see A-12 and F-3", "ni_number", F),
    Case("Form AB-12 completed by 3 agencies", "ni_number", F),
    Case("Code TN 12 34 56 A is a test prefix", "ni_number", F),
    Case("Document B801200013000 from the archive", "upn", F),
    Case("Batch B123456789012X uploaded", "upn", F),
    # Resemble a postcode beside a name: agency offices, venues.
    Case("Chase Riverside Faith Forum for their return, office at GU1 4LH", "postcode", F),
    Case("Kingsgate Conference Centre LS1 4AP", "postcode", F),
    Case("Meeting at Civic Offices, 1 Saxon Gate East, Milton Keynes MK9 3EJ", "postcode", F),
    Case("Challenge event at Kingsgate Family Centre, KT1 2AB", "postcode", F),
    Case("Riverside Police HQ, GU3 1HG, room 2", "postcode", F),
    Case("Sarah Smith to present from KT1 2DN offices", "postcode", F),
    Case("Venue: Harvey Building, EC1A 1BB", "postcode", F),
    Case("Post the returns to the QA Officer, PO Box 10, RH1 1AA", "postcode", F),
    Case("Training at St Mary's Hospice, GU2 7XX", "postcode", F),
    Case("Audit of 30 families in the GU21 area", "postcode", F),
    # Resemble a name beside an age or a school: board business, members, agencies.
    Case("Strategy Discussions held within 1 working day in 43 of 50 cases", "name_with_age", F),
    Case("Surrey Police, 7 actions outstanding", "name_with_age", F),
    Case("Sarah Smith, 7 actions to chase", "name_with_age", F),
    Case("Child A and Child B: learning from the case review", "name_with_age", F),
    Case("Child J.S. (case 2027-014), 7, seen at home", "name_with_age", F),
    Case("Grace Okafor, 3 returns still due", "name_with_age", F),
    Case("Early Help, 12 referrals this quarter", "name_with_age", F),
    Case("Will Smith's report: 8 of 10 standards met", "name_with_age", F),
    Case("Amber Green rating for standard 4", "name_with_age", F),
    Case("Mark as done, 3 left", "name_with_age", F),
    Case("Year 4 pupils at St Mary's took part in the survey", "name_with_school", F),
    Case("Sarah Smith, DSL at Oakwood Primary, to present", "name_with_school", F),
    Case("Schools Lead to share Year 2 data from the academy", "name_with_school", F),
    Case("Audit 25 case files for CSE risk screening", "name_with_school", F),
    Case("Year 1 of the S11 cycle: statutory partners", "name_with_school", F),
    Case("Headteacher Jane Doe at Hillside Academy agreed to host", "name_with_school", F),
    Case("Reception at Riverside Children's Services closes at 5", "name_with_school", F),
    Case("Milton Keynes College to join the panel", "name_with_school", F),
    Case("Florence Nightingale Ward staff trained in year 2", "name_with_school", F),
    # Resemble a home address: venue addresses of agencies, statistics.
    Case("Meet at Quadrant Court, 35 Guildford Road, Woking GU22 7QQ", "home_address", F),
    Case("Riverside Police HQ, 12 Station Road", "home_address", F),
    Case("Kingsgate Family Centre, 4 Market Street", "home_address", F),
    Case("10 cases close this week", "home_address", F),
    Case("14 Street Triage referrals in March", "home_address", F),
    Case("3 way conversation with health and police", "home_address", F),
    Case("Venue: Civic Offices, 1 Saxon Gate East", "home_address", F),
    Case("2 Early Help park events planned", "home_address", F),
    Case("5 agencies way behind on returns", "home_address", F),
    # Resemble a phone number of an individual: agency and service numbers.
    Case("MASH on 01632 960 100 for consultations", "phone", F),
    Case("Out of hours: 0300 123 4567", "phone", F),
    Case("NSPCC helpline 0808 800 5000", "phone", F),
    Case("Duty mobile 07700 900 555 (on the board file)", "phone", F),
    Case("Riverside Children's Services switchboard 020 7946 0000", "phone", F),
    Case("Call 111 or 999 in an emergency", "phone", F),
    Case("Childline 0800 1111", "phone", F),
    # Resemble an individual's e-mail address: role mailboxes, members.
    Case("Send returns to safeguarding@riverside.gov.uk", "email", F),
    Case("MASH referrals: mash.referrals@riverside.gov.uk", "email", F),
    Case("Queries to sarah.smith@riverside.gov.uk", "email", F),
    Case("Copy lscp.business@riverside.gov.uk into the thread", "email", F),
    Case("info@riversidefaithforum.org.uk for the faith groups", "email", F),
    # SharePoint links and ordinary board text.
    Case("Minutes: https://riverside.sharepoint.com/sites/QAE/Minutes/2027-01-14.docx", "nhs_number", F),
    Case("Self-assessment at https://riverside.sharepoint.com/:w:/r/sites/S11/Jayden%20Fund%202027.docx", "name_with_age", F),
    Case("Riverside Clinical Commissioning Group to report on 12 month re-referrals", "name_with_age", F),
    Case("Independent Chair, 2 items for the Board", "name_with_age", F),
    Case("Police data on missing children #cse", "name_with_age", F),
    Case("Return interviews after missing episodes: 61% within 72 hours", "date_of_birth", F),
    Case("Section 11 standard 5: training for all staff, moderated green", "date_of_birth", F),
    Case("Chase Riverside Faith Forum by 20/12/2026", "date_of_birth", F),
]

CASES = MUST_TRIP + MUST_NOT_TRIP
