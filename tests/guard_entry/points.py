"""Every free-text entry point of the bot, as a function that sends one text through it the way
a person (or SharePoint, or the board file) would. Used by tests/test_guard_entry_points.py and
by benchmarks/guard_bench.py (figures per entry point).

Each runner returns (refused, kept): whether the text was refused, and what the entry point kept
outside the database (a file name, a history file). What it kept in the database is read by
`stored_texts`.
"""

from __future__ import annotations

import json
import re
import typing
from collections.abc import Callable
from datetime import UTC, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands import catalog, document_guard, guard
from commands.board_file import parse_board_file
from commands.errors import ConfigError
from integrations.console.history import GuardedHistory
from store.documents import ItemRecord
from store.models import (
    Action,
    AgendaItem,
    AuditEvent,
    Document,
    Finding,
    Meeting,
    OutboxMessage,
    ProcessedDelivery,
    S11Score,
    ThreadReply,
)
from tests.conftest import FIXTURES
from tests.guard_cases import MUST_NOT_TRIP, MUST_TRIP
from tests.guard_entry.corrections import CORRECTION_FORMS, CORRECTION_LINES
from tests.guard_entry.harness import Harness, Outcome, Runner, form, line, refused

__all__ = ["ENTRY_POINTS", "FORM_FIELDS", "PASS", "STORES_IN_DB", "TRIP", "Harness", "stored_texts"]

# Words the command grammars read (owner, due date, agency, meeting, tags): such texts are
# left to the unit table, as in test_guard_table.py.
_GRAMMAR = re.compile(r"[#@/]|\b(?:due|agency|meeting|rag|owner|text|extension|extend)\b", re.I)


def _per_signal(cases: list[typing.Any], n: int) -> list[str]:
    taken: dict[str, list[str]] = {}
    for c in cases:
        clean_enough = not _GRAMMAR.search(c.text) and '"' not in c.text and ":" not in c.text
        if clean_enough and len(taken.setdefault(c.signal, [])) < n:
            taken[c.signal].append(c.text)
    return [t for texts in taken.values() for t in texts]


TRIP = [
    "Visit Jayden Smith at GU21 6AB about the referral",
    "Jayden Smith DOB 04.05.2015 NHS 943 476 5919",
    *_per_signal(MUST_TRIP, 1),
]
PASS = [
    "Kingsgate Conference Centre LS1 4AP",
    "43 of 50 cases audited in 2016-17",
    *[t for t in _per_signal(MUST_NOT_TRIP, 1) if not guard.check(t, guard.BoardVocabulary())],
]


def _meeting_line(h: Harness, text: str) -> Outcome:
    h.serial += 1  # one meeting a day: a second at the same time is refused as a duplicate
    day = 1 + h.serial % 28
    return refused(h.say("qa", f"/qa meeting add subgroup {day}/03/2027 10:00 Panel on {text}")), []


def _update_text(h: Harness, text: str) -> Outcome:
    return refused(h.say("qa", f"/action update A-{h.new_action()} text {text}")), []


def _done_note(h: Harness, text: str) -> Outcome:
    return refused(h.say("qa", f"/action done A-{h.new_action()} {text}")), []


def _agenda_reply(handle: str, *, started: bool = False) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        meeting = h.meeting_id("QA&E sub-group")
        mid = h.root("agenda", ("meeting", meeting), "C0QAE01")
        before = h.clock.now()
        if started:
            h.clock.set(datetime(2027, 1, 14, 10, 30, tzinfo=UTC))
        try:
            r = h.say(handle, text, thread_id=mid, channel="C0QAE01", chatter=True)
        finally:
            h.clock.set(before)
        return refused(r), []

    return run


def _s11_reply(prefix: str) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        from tests.sharepoint.conftest import open_s11_return

        with h.sessions() as s:
            from store.models import S11Return

            found = s.scalars(select(S11Return.id)).first()
        ret = found or open_s11_return(h.sessions, "Surrey Police", 2027, h.clock.now())
        mid = h.root("s11_reminder", ("s11_return", ret), "C0POL001")
        r = h.say("pol", prefix + text, thread_id=mid, channel="C0POL001", chatter=True)
        return refused(r), []

    return run


def _s11_open(h: Harness) -> None:
    """Surrey Police's 2027 return, opened once, for the scores to be recorded against."""
    from tests.sharepoint.conftest import open_s11_return

    with h.sessions() as s:
        from store.models import S11Return

        found = s.scalars(select(S11Return.id)).first()
    if found is None:
        open_s11_return(h.sessions, "Surrey Police", 2027, h.clock.now())


def _s11_score_line(option: str) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        _s11_open(h)
        return refused(h.say("pol", f"/s11 score Surrey Police 1.1 2 {option} {text}")), []

    return run


def _s11_score_request(field: str) -> Callable[[Harness, str], BaseModel]:
    def build(h: Harness, text: str) -> BaseModel:
        _s11_open(h)
        values = {"agency": "Surrey Police", "sub": "1.1", "score": 2, "form": True, field: text}
        return catalog.load().build_request("s11", "score", values)

    return build


def _s11_moderate_line(h: Harness, text: str) -> Outcome:
    _s11_open(h)
    return refused(h.say("qa", f"/s11 moderate Surrey Police 1.1 1 note {text}")), []


def _s11_moderate_request(h: Harness, text: str) -> BaseModel:
    _s11_open(h)
    values = {"agency": "Surrey Police", "sub": "1.1", "score": "1", "note": text}
    return catalog.load().build_request("s11", "moderate", values)


def _s11_moderation_reply(h: Harness, text: str) -> Outcome:
    """The agency's answer in the thread the panel's disagreement opened (a scored sub-question)."""
    from store import s11_moderation

    _s11_open(h)
    with h.sessions() as s:
        found = s.scalars(select(S11Score.id)).first()
    if found is None:
        assert h.say("pol", "/s11 score Surrey Police 1.1 3").ok
        with h.sessions() as s:
            found = s.scalars(select(S11Score.id)).one()
    mid = h.root(s11_moderation.THREAD_KIND, (s11_moderation.SUBJECT, found), "C0POL001")
    return refused(h.say("pol", text, thread_id=mid, channel="C0POL001", chatter=True)), []


def _unmatched_thread_reply(h: Harness, text: str) -> Outcome:
    """A reply in a Teams thread of an agency's channel that is none of the bot's: answered,
    and told to the QA officer with the words only if the guard passes them."""
    from commands import unclear_threads
    from commands.types import Inbound

    h.serial += 1
    reply = h.core.handle(
        Inbound(
            platform="teams",
            user_id="0c1a0000-0000-4000-8000-000000000010",
            text=text,
            channel="19:health@thread.tacv2",
            thread_id=f"thread-{h.serial}",
            message_id=f"reply-{h.serial}",
            delivery_key=f"u{h.serial}",
            chatter=True,
        )
    )
    assert reply.lines == [unclear_threads.CANNOT_MATCH], reply
    with h.sessions() as s:
        notice = s.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == unclear_threads.NOTICE).order_by(OutboxMessage.id.desc())
        ).first()
    assert notice is not None
    said = " ".join(notice.payload["lines"])
    return unclear_threads.WITHHELD in said, [said]


def _review_reply(prefix: str) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        from store.models import ReviewAgency

        with h.sessions() as s:
            found = s.scalars(select(ReviewAgency.id)).first()
        if found is None:
            assert h.say("qa", "/review open RR-2026-01 aware 20/11/2026 agencies Surrey Police").ok
            with h.sessions() as s:
                found = s.scalars(select(ReviewAgency.id)).one()
        mid = h.root("review_request", ("review_agency", found), "C0POL001")
        r = h.say("pol", prefix + text, thread_id=mid, channel="C0POL001", chatter=True)
        return refused(r), []

    return run


def _open_review(h: Harness) -> str:
    """RR-2026-01, opened once per harness: a recommendation needs an open review."""
    from store.models import Review

    with h.sessions() as s:
        opened = s.scalars(select(Review.id)).first() is not None
    if not opened:  # said after the session is closed: the core writes in its own
        assert h.say("qa", "/review open RR-2026-01 aware 20/11/2026 agencies Surrey Police").ok
    return "RR-2026-01"


def _recommend_line(h: Harness, text: str) -> Outcome:
    code = _open_review(h)
    return refused(h.say("qa", f"/review recommend {code} {text} owner @pol due 30/12/2026")), []


def _recommend_request(h: Harness, text: str) -> BaseModel:
    return catalog.load().build_request(
        "review", "recommend", {"code": _open_review(h), "text": text, "owner": "pol", "due": "2026-12-30"}
    )


def _measures(h: Harness) -> None:
    """The test board's performance measures (tests/fixtures/board_kpi.yaml), imported once."""
    from store.models import Board

    with h.sessions() as s:
        board = s.get(Board, 1)
        present = board is not None and bool((board.config or {}).get("measures"))
    if not present:
        from tests.conftest import load_board

        load_board(h.sessions, h.clock, "board_kpi.yaml")


def _kpi_reply(h: Harness, text: str) -> Outcome:
    """A reply in the thread asking for the narrative behind a red figure."""
    from store.models import KpiNarrative

    _measures(h)
    with h.sessions() as s:
        found = s.scalars(select(KpiNarrative.id)).first()
    if found is None:
        assert h.say("qa", "/kpi set rereferrals Oct 2026 30").ok
        with h.sessions() as s:
            found = s.scalars(select(KpiNarrative.id)).one()
    mid = h.root("kpi_ask", ("kpi_narrative", found), "C0CSERV1")
    return refused(h.say("cs", text, thread_id=mid, channel="C0CSERV1", chatter=True)), []


def _kpi_note_line(h: Harness, text: str) -> Outcome:
    _measures(h)
    return refused(h.say("qa", f"/kpi set rereferrals Oct 2026 20 note {text}")), []


def _kpi_note_request(h: Harness, text: str) -> BaseModel:
    _measures(h)
    values = {"measure": "rereferrals", "period": "Oct 2026", "value": 20, "note": text}
    return catalog.load().build_request("kpi", "set", values)


def _board_file(h: Harness, text: str) -> Outcome:
    yaml = (FIXTURES / "board.yaml").read_text()
    yaml = yaml.replace("title: Section 11 scrutiny panel", f"title: {json.dumps(text)}", 1)
    try:
        bf = parse_board_file(yaml, name="board.yaml")
    except ConfigError:
        return True, []
    return False, [m.title for m in bf.meetings]


def _board_file_alias(h: Harness, text: str) -> Outcome:
    yaml = (FIXTURES / "board.yaml").read_text()
    faith = "{name: Surrey Faith Forum, sector: non-statutory, lead: faith"
    yaml = yaml.replace(faith, f"{faith}, aliases: [{json.dumps(text)}]", 1)
    try:
        bf = parse_board_file(yaml, name="board.yaml")
    except ConfigError:
        return True, []
    return False, [x for a in bf.agencies for x in a.aliases]


def _sharepoint(field: str) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        from commands.common import board_vocabulary

        values = {"name": f"{text}.docx"} if field == "name" else {"name": "notes.docx", field: text}
        record = ItemRecord(item_id="item-1", parent_id=None, **values)  # type: ignore[arg-type]
        with h.sessions() as s:
            kept, withheld = document_guard.screen([record], board_vocabulary(s))
        r = kept[0]
        return bool(withheld), [r.name, r.web_url or "", r.content_text or ""]

    return run


def _console_history(h: Harness, text: str) -> Outcome:
    from integrations.console.history import board_vocabulary

    path = h.tmp / "history"
    path.unlink(missing_ok=True)
    history = GuardedHistory(str(path), board_vocabulary(h.core))
    history.append_string(f"/action add {text}")
    kept = path.read_text() if path.exists() else ""
    return f"/action add {text}" not in kept, [kept]


def _meeting_request(h: Harness, text: str) -> BaseModel:
    h.serial += 1
    starts = datetime(2027, 4, 1 + h.serial % 28, 10, 0, tzinfo=UTC)
    return catalog.load().build_request(
        "qa", "meeting", {"kind": "subgroup", "starts": starts, "title": text}
    )


# Typed requests' free-text fields: (group, command, field) → how a form fills the rest.
FORM_FIELDS: dict[tuple[str, str, str], Callable[[Harness, str], BaseModel]] = {
    ("action", "add", "text"): lambda h, t: catalog.load().build_request("action", "add", {"text": t}),
    ("action", "done", "note"): lambda h, t: catalog.load().build_request(
        "action", "done", {"ref": h.new_action(), "note": t}
    ),
    ("action", "update", "text"): lambda h, t: catalog.load().build_request(
        "action", "update", {"ref": h.new_action(), "text": t}
    ),
    ("finding", "add", "text"): lambda h, t: catalog.load().build_request("finding", "add", {"text": t}),
    ("qa", "meeting", "title"): _meeting_request,
    ("review", "recommend", "text"): _recommend_request,
    ("kpi", "set", "note"): _kpi_note_request,
    ("qa", "redact", "reason"): lambda h, t: catalog.load().build_request(
        "qa", "redact", {"ref": f"A-{h.new_action()}", "reason": t}
    ),
    ("s11", "score", "evidence"): _s11_score_request("evidence"),
    ("s11", "score", "note"): _s11_score_request("note"),
    ("s11", "score", "action"): _s11_score_request("action"),
    ("s11", "moderate", "note"): _s11_moderate_request,
    **CORRECTION_FORMS,
}

ENTRY_POINTS: dict[str, Runner] = {
    "/action add text": line("/action add {text}"),
    "/finding add text": line("/finding add {text}"),
    # "owner"/"agency" that name no one stay text; a second person named stays text.
    "/action add text with owner and agency as words": line(
        "/action add Agency leads and the owner of the data to check {text}"
    ),
    "/action add text naming a second person": line("/action add {text} with @pol and @cs"),
    "/finding add text naming a person": line("/finding add Raised by @pol {text}"),
    "/action update A-n text": _update_text,
    "/action done A-n note": _done_note,
    "/qa meeting add title": _meeting_line,
    "/qa agenda add text": line("/qa agenda add {text}"),
    "/review recommend text": _recommend_line,
    "/kpi set note": _kpi_note_line,
    "/qa redact A-n reason": lambda h, t: (refused(h.say("qa", f"/qa redact A-{h.new_action()} {t}")), []),
    "/s11 score evidence": _s11_score_line("evidence"),
    "/s11 score note": _s11_score_line("note"),
    "/s11 score action": _s11_score_line("action"),
    "/s11 moderate note": _s11_moderate_line,
    **CORRECTION_LINES,
    **{f"form {g} {c} {f}": form(build) for (g, c, f), build in FORM_FIELDS.items()},
    "agenda thread reply (member)": _agenda_reply("bm"),
    "agenda thread reply (not on the board)": _agenda_reply("visitor"),
    "agenda thread reply (meeting started)": _agenda_reply("bm", started=True),
    "s11 thread reply (comment)": _s11_reply(""),
    "s11 thread reply (extension request)": _s11_reply("We need an extension to 30/06/2027 because "),
    "unmatched thread reply (told to the QA officer)": _unmatched_thread_reply,
    "review thread reply (comment)": _review_reply(""),
    "review thread reply (extension request)": _review_reply("We need an extension to 30/12/2026 because "),
    "kpi thread reply (narrative)": _kpi_reply,
    "s11 moderation thread reply (response)": _s11_moderation_reply,
    "board file meeting title": _board_file,
    "board file agency alias": _board_file_alias,
    "sharepoint file name": _sharepoint("name"),
    "sharepoint link": _sharepoint("web_url"),
    "sharepoint extracted text": _sharepoint("content_text"),
    "console history file": _console_history,
}

# Entry points whose text reaches the database (the others keep it only where `kept` says).
STORES_IN_DB = {k for k in ENTRY_POINTS if not k.startswith(("board file", "sharepoint", "console"))}


def _json(value: object) -> str:
    """A JSON column as its text is stored: an apostrophe stays one (str() of a dict escapes it)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def stored_texts(sessions: sessionmaker[Session]) -> list[str]:
    """Every text the database keeps that a person or SharePoint wrote, or the bot posted."""
    out: list[str] = []
    with sessions() as s:
        for a in s.scalars(select(Action)):
            out += [a.text, a.closing_note or ""]
        out += [f"{f.text} {f.withdrawn_reason or ''}" for f in s.scalars(select(Finding))]
        out += [_json(e.before) + " " + _json(e.after) for e in s.scalars(select(AuditEvent))]
        out += [r.text for r in s.scalars(select(ThreadReply))]
        out += [_json(o.payload) for o in s.scalars(select(OutboxMessage))]
        out += [_json(d.reply) for d in s.scalars(select(ProcessedDelivery))]
        out += [i.text for i in s.scalars(select(AgendaItem))]
        out += [f"{m.title} {m.cancel_reason or ''}" for m in s.scalars(select(Meeting))]
        out += [f"{d.name} {d.path} {d.content_text or ''}" for d in s.scalars(select(Document))]
        out += [
            f"{r.evidence or ''} {r.improvement or ''} {r.agency_action or ''} {r.moderator_note or ''}"
            for r in s.scalars(select(S11Score))
        ]
    return [t for t in out if t]
