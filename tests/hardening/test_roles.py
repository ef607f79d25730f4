"""The role matrix: every command of every group against every role.

Roles on the test board: @ic (chair), @qa (QA officer), @bm (board member), @pol (lead of
Surrey Police, the agency the items belong to, but not their owner: @pol2 owns them), @cs
(lead of another agency, Surrey Children's Services), and "stranger" (not on the board).

Outcomes: ok, permission (refused, saying why), not_found (a lead of another agency is told
the item does not exist: it is not even confirmed), not_on_board. Every refusal changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands import router
from commands.clock import FixedClock
from tests.conftest import Say
from tests.hardening.conftest import outcome, table_counts

ROLES = ("ic", "qa", "bm", "pol", "cs", "stranger")

OK, DENY, HIDDEN, OUT = "ok", "permission", "not_found", "not_on_board"


def everyone(**over: str) -> dict[str, str]:
    base = dict.fromkeys(ROLES, OK) | {"stranger": OUT}
    return base | over


# What each may do to an item of Surrey Police owned by @pol2.
CHANGE = everyone(bm=DENY, cs=HIDDEN)
SEE = everyone(cs=HIDDEN)
OFFICERS_AND_MEMBERS = everyone(pol=DENY, cs=DENY)
OFFICERS = everyone(bm=DENY, pol=DENY, cs=DENY)

# (group, subcommand, command with {A}/{F} for the police item, expected outcome per role)
MATRIX: list[tuple[str, str, str, dict[str, str]]] = [
    # a lead logs actions for their own agency only
    ("action", "add", "/action add Check training records agency Surrey Police", everyone(cs=DENY)),
    ("action", "list", "/action list all", everyone()),
    ("action", "show", "/action show {A}", SEE),
    ("action", "done", "/action done {A} finished", CHANGE),
    ("action", "update", "/action update {A} due 12/02/2027", CHANGE),
    ("action", "update", "/action update {A} text Review the revised training plan", CHANGE),
    ("action", "update", "/action update {A} owner @bm", CHANGE),
    ("action", "snooze", "/action snooze {A} 14", CHANGE),
    ("action", "cancel", "/action cancel {A} duplicate of another action", CHANGE),
    ("action", "reopen", "/action reopen {A} more to do", CHANGE),
    ("action", "hold", "/action hold {A} requested by the rapid review", OFFICERS),
    ("action", "reassign-all", "/action reassign-all @pol @pol2", OFFICERS),
    (
        "finding",
        "add",
        "/finding add Referrals not always acknowledged agency Surrey Police",
        OFFICERS_AND_MEMBERS,
    ),
    ("finding", "list", "/finding list", everyone()),
    ("finding", "show", "/finding show {F}", SEE),
    ("finding", "update", "/finding update {F} rag amber because the re-audit", OFFICERS_AND_MEMBERS),
    ("finding", "withdraw", "/finding withdraw {F} recorded twice", OFFICERS_AND_MEMBERS),
    ("finding", "hold", "/finding hold {F} subject of a complaint", OFFICERS),
    # an agency lead's status, agenda preview and summary hold only their agencies' items
    # (tests/test_visibility.py shows what each sees); the Board report is not theirs
    ("qa", "status", "/qa status", everyone()),
    ("qa", "meeting", "/qa meeting add subgroup {D} 10:00 Extra QA&E meeting", OFFICERS),
    ("qa", "meeting move", "/qa meeting move {D} {D} 15:00", OFFICERS),
    ("qa", "meeting cancel", "/qa meeting cancel {D} not quorate", OFFICERS),
    ("qa", "meetings", "/qa meetings", everyone()),
    ("qa", "agenda", "/qa agenda 14/01/2027", everyone()),
    ("qa", "agenda add", "/qa agenda add Review the neglect audit findings meeting 14/01/2027", everyone()),
    ("qa", "summary", "/qa summary 14/01/2027", everyone()),
    ("qa", "report", "/qa report 14/01/2027", OFFICERS_AND_MEMBERS),
    ("qa", "redact", "/qa redact {A} a pupil's name was typed in full", OFFICERS),
    ("qa", "help", "/qa help", everyone()),
    # the chair's papers and the digest (docs/chair.md, docs/operations.md)
    ("qa", "digest", "/qa digest", OFFICERS),
    ("qa", "pack", "/qa pack inspection", OFFICERS),
    ("qa", "annual-report", "/qa annual-report 2025", OFFICERS),
    # rapid reviews: the chair and the QA officer only (agency leads answer in their threads);
    # {N} is the role's own review, opened by the QA officer first (RR-2026-9N)
    ("review", "open", "/review open RR-2026-0{N} aware 20/11/2026 agencies Surrey Police", OFFICERS),
    ("review", "notified", "/review notified RR-2026-9{N} 23/11/2026", OFFICERS),
    ("review", "meeting", "/review meeting RR-2026-9{N} 30/11/2026", OFFICERS),
    ("review", "sent", "/review sent RR-2026-9{N} 25/11/2026", OFFICERS),
    ("review", "panel", "/review panel RR-2026-9{N} no-lcspr 26/11/2026", OFFICERS),
    ("review", "status", "/review status", OFFICERS),
    ("review", "timeline", "/review timeline RR-2026-9{N}", OFFICERS),
    ("review", "lcspr", "/review lcspr RR-2026-9{N} terms due 20/12/2026", OFFICERS),
    ("review", "recommend", "/review recommend RR-2026-9{N} Audit strategy meetings owner @pol due 20/12/2026", OFFICERS),
    ("review", "close", "/review close RR-2026-9{N}", OFFICERS),
    ("review", "hold", "/review hold RR-2026-9{N} requested by the coroner", OFFICERS),
    # Anyone on the board may ask; who may correct a given reply (who wrote it, their agency,
    # an officer) is checked on the reply itself (tests/test_review_slack.py,
    # tests/teams/test_review_buttons.py). A reply that does not exist is not found for all.
    ("review", "correct", "/review correct R-999999 undo", everyone(**dict.fromkeys(ROLES[:5], HIDDEN))),
]


def _police_items(say: Say) -> tuple[str, str]:
    a = say("qa", "/action add Audit police strategy meetings @pol2 due 12/01/2027 #cp")
    f = say("qa", "/finding add Police attendance at strategy meetings low agency Surrey Police rag red")
    assert a.data.get("ref") and f.data.get("ref"), (a.text(), f.text())
    return str(a.data["ref"]), str(f.data["ref"])


def _item_state(sessions: sessionmaker[Session], ref: str) -> tuple[object, ...]:
    from store import items
    from store.models import Action, Finding
    from store.visibility import BOARD

    n = int(ref.split("-")[1])
    with sessions() as s:
        row: Action | Finding | None = (
            items.get_action(s, n, BOARD) if ref.startswith("A") else items.get_finding(s, n, BOARD)
        )
        assert row is not None
        return tuple(getattr(row, c.key) for c in row.__table__.columns)


def test_matrix_covers_every_command() -> None:
    """A new subcommand in these groups must be added to the matrix before this passes."""
    covered = {(g, sc) for g, sc, _, _ in MATRIX}
    for group in ("action", "finding", "qa", "review"):
        for sc in router.subcommands(group):
            assert (group, sc.name) in covered, f"/{group} {sc.name} is missing from the role matrix"


@pytest.mark.parametrize(("group", "sub", "line", "expected"), MATRIX, ids=[m[2] for m in MATRIX])
def test_role_matrix(
    board: sessionmaker[Session], say: Say, group: str, sub: str, line: str, expected: dict[str, str]
) -> None:
    got: dict[str, str] = {}
    for n, role in enumerate(ROLES):
        ref_a, ref_f = _police_items(say)  # a fresh item per role: one role's change never masks another's
        cmd = line.format(A=ref_a, F=ref_f, D=f"{10 + n}/02/2027", N=n)
        if sub in ("meeting move", "meeting cancel"):  # a meeting of its own to move or cancel
            assert say("qa", f"/qa meeting add challenge {10 + n}/02/2027 09:00").ok
        if group == "review" and "{N}" in line and sub != "open":  # a review of its own
            assert say("qa", f"/review open RR-2026-9{n} aware 20/11/2026 agencies Surrey Police").ok
            if sub in ("panel", "lcspr"):
                assert say("qa", f"/review sent RR-2026-9{n} 25/11/2026").ok
            if sub == "lcspr":
                assert say("qa", f"/review panel RR-2026-9{n} lcspr 26/11/2026").ok
        before = table_counts(board), _item_state(board, ref_a), _item_state(board, ref_f)
        reply = say(role, cmd)
        got[role] = outcome(reply)
        after = table_counts(board), _item_state(board, ref_a), _item_state(board, ref_f)
        if got[role] != OK:
            assert after == before, f"{role}: {cmd!r} was refused ({got[role]}) but changed something"
            assert "Traceback" not in reply.text()
            if got[role] == HIDDEN:
                # Not found, and not a word about the item: no text, owner or agency leaks.
                assert "police strategy" not in reply.text().lower()
                assert "strategy meetings low" not in reply.text().lower()
            if got[role] == DENY:
                assert (
                    "because" in reply.text().lower()
                    or "only" in reply.text().lower()
                    or "cannot" in (reply.text().lower())
                ), reply.text()
    assert got == expected


def test_lead_of_another_agency_sees_none_of_its_items(board: sessionmaker[Session], say: Say) -> None:
    ref_a, ref_f = _police_items(say)
    cs_item = say("qa", "/action add Review the MASH front door @cs due 20/01/2027")
    assert cs_item.ok
    for line in (
        "/action list all",
        "/action list open",
        "/action list overdue",
        "/action list done",
        "/action list agency Surrey Police",
        "/finding list",
        "/finding list agency Surrey Police",
    ):
        text = say("cs", line).text()
        assert ref_a not in text and "police strategy" not in text.lower(), (line, text)
        assert ref_f not in text and "attendance" not in text.lower(), (line, text)
    for line in (f"/action show {ref_a}", f"/finding show {ref_f}"):
        reply = say("cs", line)
        assert outcome(reply) == HIDDEN, (line, reply.text())
        assert "police" not in reply.text().lower(), (line, reply.text())
    mine = say("cs", "/action list all").text()
    assert cs_item.data["ref"] in mine
    # The police lead sees the police items and not the other agency's.
    text = say("pol", "/action list all").text()
    assert ref_a in text and str(cs_item.data["ref"]) not in text
    assert ref_f in say("pol", "/finding list").text()


def test_lead_of_another_agency_changes_nothing(
    board: sessionmaker[Session], say: Say, counts: Callable[[], dict[str, int]]
) -> None:
    ref_a, _ = _police_items(say)
    before, state = counts(), _item_state(board, ref_a)
    attempts = [
        f"/action done {ref_a}",
        f"/action close {ref_a} not ours",
        f"/action update {ref_a} text rewritten by another agency",
        f"/action update {ref_a} owner @cs",
        f"/action update {ref_a} agency Surrey Children's Services",
        f"/action edit {ref_a} #cse",
        f"/action snooze {ref_a} 365",
    ]
    for line in attempts:
        reply = say("cs", line)
        assert outcome(reply) == HIDDEN, (line, reply.text())
    assert counts() == before
    assert _item_state(board, ref_a) == state


def test_owner_who_is_a_plain_member_may_change_their_own_action(
    board: sessionmaker[Session], say: Say
) -> None:
    ref = say("qa", "/action add Draft the neglect toolkit briefing @bm").data["ref"]
    assert outcome(say("bm", f"/action snooze {ref}")) == OK
    assert outcome(say("bm", f"/action done {ref} sent to the group")) == OK
    assert (
        "DONE" in say("bm", f"/action show {ref}").text() or "done" in say("bm", f"/action show {ref}").text()
    )


# ---------------------------------------------------------------------------- Section 11 and documents

# (group, subcommand, command; {Y} is a fresh odd year per role, expected outcome per role)
MATRIX_S11_DOCS: list[tuple[str, str, str, dict[str, str]]] = [
    ("s11", "launch", "/s11 launch {Y} statutory deadline 30/04/{Y}", OFFICERS),
    ("s11", "status", "/s11 status 2027", everyone()),
    ("s11", "extend", "/s11 extend Surrey Police 30/05/2027", OFFICERS),
    ("s11", "refuse", "/s11 refuse Surrey Police", OFFICERS),
    ("s11", "rate", "/s11 rate Surrey Police 1 amber", everyone(bm=DENY, cs=DENY)),
    ("s11", "rate", "/s11 rate Surrey Police 2 red moderated", OFFICERS),
    # the agency's own people and the officers score, confirm and fill in its form
    ("s11", "score", "/s11 score Surrey Police 1.1 2 evidence https://sp.example/1-1.docx", everyone(bm=DENY, cs=DENY)),
    ("s11", "confirm", "/s11 confirm Surrey Police all", everyone(bm=DENY, cs=DENY)),
    ("s11", "form", "/s11 form Surrey Police", everyone(bm=DENY, cs=DENY)),
    ("s11", "panel", "/s11 panel 2027", OFFICERS_AND_MEMBERS),
    # Onto the panel meeting's agenda: this cycle has no panel date, so the officers are told
    # that (and nothing changes); the others are refused before it is looked at.
    ("s11", "panel", "/s11 panel 2027 agenda", everyone(ic="usage", qa="usage", bm=DENY, pol=DENY, cs=DENY)),
    ("s11", "moderate", "/s11 moderate Surrey Police 1.1 2", OFFICERS),  # no section11.panel in the file
    ("s11", "challenge", "/s11 challenge 2027 17/06/2027", OFFICERS),
    ("s11", "template", "/s11 template Surrey Police", everyone(bm=DENY, cs=DENY)),
    ("s11", "export", "/s11 export 2027", OFFICERS),  # no section11.panel in the file
    ("s11", "letters", "/s11 letters 2027", OFFICERS),
    ("s11", "deadline", "/s11 deadline 2027 statutory 20/04/2027", OFFICERS),
    ("s11", "cancel", "/s11 cancel {Y} statutory replaced by the joint audit", OFFICERS),
    ("s11", "add", "/s11 add Surrey Faith Forum 2027", OFFICERS),
    ("s11", "remove", "/s11 remove Surrey Faith Forum added by mistake", OFFICERS),
    # Who replied (the police lead), their agency's lead or substitute, the chair, the QA officer.
    ("s11", "correct", "/s11 correct {R} undo", everyone(bm=DENY, cs=DENY)),
    ("s11", "help", "/s11 help", everyone()),
    ("docs", "search", "/docs search return", everyone()),
    ("docs", "recent", "/docs recent", everyone()),
    ("docs", "link", "/docs link D-1 {A}", everyone(pol=DENY, cs=DENY)),
    ("docs", "help", "/docs help", everyone()),
    (
        "docs",
        "map",
        '/docs map "Police evidence {Y}" Surrey Police',
        everyone(bm=DENY, pol=DENY, cs=DENY),
    ),
]


def _launch_2027(board: sessionmaker[Session], say: Say, core: BotCore, clock: FixedClock) -> str:
    """Launch the 2027 statutory cycle, send its posts (console) and add a police document;
    returns the police launch post's id (its thread is where the police lead replies)."""
    import io

    from bot.outbox import Dispatcher
    from integrations.console.sender import ConsoleSender
    from store.db import transaction
    from store.models import Document, OutboxMessage

    reply = say("qa", "/s11 launch 2027 statutory deadline 30/04/2027")
    assert reply.ok, reply.text()
    Dispatcher(board, {"console": ConsoleSender(io.StringIO())}, clock).dispatch()
    with transaction(board) as s:
        s.add(
            Document(
                drive_item_id="doc-police-1",
                name="Police Section 11 return 2027.docx",
                path="/Section 11/2027/Surrey Police/Police Section 11 return 2027.docx",
            )
        )
        posts = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_launch")))
    [police] = [p for p in posts if p.channel == "#Surrey Police"]
    assert police.message_id
    return police.message_id


def _police_return(board: sessionmaker[Session]) -> tuple[object, ...]:
    from store.models import Agency, S11Cycle, S11Return

    with board() as s:
        stmt = (
            select(S11Return)
            .join(Agency)
            .join(S11Cycle)
            .where(Agency.name == "Surrey Police", S11Cycle.year == 2027)
        )
        ret = s.scalars(stmt).one()
        return tuple(getattr(ret, c.key) for c in ret.__table__.columns)


@pytest.mark.skipif(
    not {"s11", "docs"} <= set(router.groups()), reason="Section 11 or documents not installed"
)
def test_matrix_covers_every_s11_and_docs_command() -> None:
    covered = {(g, sc) for g, sc, _, _ in MATRIX_S11_DOCS}
    for group in ("s11", "docs"):
        for sc in router.subcommands(group):
            assert (group, sc.name) in covered, f"/{group} {sc.name} is missing from the role matrix"


@pytest.mark.skipif(
    not {"s11", "docs"} <= set(router.groups()), reason="Section 11 or documents not installed"
)
@pytest.mark.parametrize(
    ("group", "sub", "line", "expected"), MATRIX_S11_DOCS, ids=[m[2] for m in MATRIX_S11_DOCS]
)
def test_role_matrix_s11_and_docs(
    board: sessionmaker[Session],
    say: Say,
    core: BotCore,
    clock: FixedClock,
    group: str,
    sub: str,
    line: str,
    expected: dict[str, str],
) -> None:
    thread = _launch_2027(board, say, core, clock)
    got: dict[str, str] = {}
    for n, role in enumerate(ROLES):
        ref_a, _ = _police_items(say)
        if sub == "refuse":  # something to refuse: the police lead asks for more time in the thread
            asked = say("pol", "extension to 30/05/2027 please", thread_id=thread)
            assert asked.ok, asked.text()
        ref_r = ""
        if sub == "correct":  # something to correct: a fresh reply from the police lead
            said = say("pol", "Which template should we use?", thread_id=thread)
            assert said.ok, said.text()
            ref_r = said.data["reply_ref"]
        cmd = line.format(Y=2031 + 2 * n, A=ref_a, R=ref_r)
        if sub == "cancel":  # a cycle of its own to cancel
            assert say("qa", f"/s11 launch {2031 + 2 * n} statutory deadline 30/04/{2031 + 2 * n}").ok
        if sub == "remove":  # an agency to take out again
            assert say("qa", "/s11 add Surrey Faith Forum 2027").ok
        before = table_counts(board), _police_return(board)
        reply = say(role, cmd)
        got[role] = outcome(reply)
        if got[role] != OK:
            after = table_counts(board), _police_return(board)
            assert after == before, f"{role}: {cmd!r} was refused ({got[role]}) but changed something"
            assert "Traceback" not in reply.text()
    assert got == expected


@pytest.mark.skipif("s11" not in router.groups(), reason="Section 11 not installed")
def test_another_agency_cannot_see_or_change_a_return(
    board: sessionmaker[Session], say: Say, core: BotCore, clock: FixedClock
) -> None:
    thread = _launch_2027(board, say, core, clock)
    before = _police_return(board)
    # The lead of another agency answers in the police return's thread: recorded at most, nothing changes.
    for text in ("submitted https://evil.example/fake-return", "extension to 30/06/2027", "done"):
        say("cs", text, thread_id=thread)
    # ...and tries the commands on it.
    for line in (
        "/s11 extend Surrey Police 30/06/2027",
        "/s11 refuse Surrey Police",
        "/s11 rate Surrey Police 1 green",
        "/s11 rate Surrey Police 1 green moderated",
    ):
        assert outcome(say("cs", line)) == DENY, line
    assert _police_return(board) == before
    status = say("cs", "/s11 status 2027").text()
    assert "Surrey Police" not in status, status
    # The police lead's own reply does change it (so the refusals above were not vacuous).
    assert say("pol", "submitted https://sharepoint.example/police-2027", thread_id=thread).ok
    assert _police_return(board) != before
