"""The entry points of the correction commands (cancel, reopen, hold, withdraw, move, remove, a
changed deadline) and of the agenda and document search: each reason or text as typed on the
command line and as a form sends it, on board state the harness sets up first."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from pydantic import BaseModel
from sqlalchemy import select

from commands import catalog
from store.models import S11Cycle
from tests.guard_entry.harness import S11_AGENCY, Harness, Outcome, Runner, refused

Build = Callable[[Harness, str], BaseModel]


def _said(make: Callable[[Harness, str], str]) -> Runner:
    def run(h: Harness, text: str) -> Outcome:
        return refused(h.say("qa", make(h, text))), []

    return run


def _request(group: str, command: str, fields: Callable[[Harness, str], dict[str, object]]) -> Build:
    return lambda h, t: catalog.load().build_request(group, command, fields(h, t))


def _s11_deadline(h: Harness) -> date:
    """A day after the cycle's deadline: a change (the same day is answered "already due")."""
    h.s11_return()
    with h.sessions() as s:
        current = s.scalars(select(S11Cycle.deadline).where(S11Cycle.year == 2027)).one()
    return current + timedelta(days=1)


def _s11_remove(h: Harness) -> str:
    h.s11_return()  # put back after the last text removed it
    return S11_AGENCY


def _review(h: Harness) -> str:
    """A new open rapid review to put under legal hold (a held one would keep its first reason)."""
    h.serial += 1
    code = f"RR-2026-{100 + h.serial % 9000}"
    h.say("qa", f"/review open {code} aware {h.clock.now():%d/%m/%Y} agencies Surrey Police")
    return code


CORRECTION_LINES: dict[str, Runner] = {
    "/action cancel A-n reason": _said(lambda h, t: f"/action cancel A-{h.new_action()} {t}"),
    "/action reopen A-n reason": _said(lambda h, t: f"/action reopen A-{h.done_action()} {t}"),
    "/action hold A-n reason": _said(lambda h, t: f"/action hold A-{h.new_action()} {t}"),
    "/finding update F-n text": _said(lambda h, t: f"/finding update F-{h.new_finding()} text {t}"),
    "/finding update F-n rag amber because reason": _said(
        lambda h, t: f"/finding update F-{h.new_finding()} rag amber because {t}"
    ),
    "/finding withdraw F-n reason": _said(lambda h, t: f"/finding withdraw F-{h.new_finding()} {t}"),
    "/finding hold F-n reason": _said(lambda h, t: f"/finding hold F-{h.new_finding()} {t}"),
    "/review hold code reason": _said(lambda h, t: f"/review hold {_review(h)} {t}"),
    "/qa meeting move date to because reason": _said(
        lambda h, t: f"/qa meeting move {h.new_meeting():%d/%m/%Y} {h.free_day():%d/%m/%Y %H:%M} because {t}"
    ),
    "/qa meeting cancel date reason": _said(
        lambda h, t: f"/qa meeting cancel {h.new_meeting():%d/%m/%Y} {t}"
    ),
    "/s11 deadline year date because reason": _said(
        lambda h, t: f"/s11 deadline 2027 statutory {_s11_deadline(h):%d/%m/%Y} because {t}"
    ),
    "/s11 cancel year reason": _said(lambda h, t: f"/s11 cancel {h.open_cycle()} {t}"),
    "/s11 remove agency reason": _said(lambda h, t: f"/s11 remove {_s11_remove(h)} {t}"),
    # Quoted, so a sentence is searched as one phrase (and the ten-word limit is no refusal).
    "/docs search words": _said(lambda h, t: f'/docs search "{t}"'),
}

CORRECTION_FORMS: dict[tuple[str, str, str], Build] = {
    ("action", "cancel", "reason"): _request(
        "action", "cancel", lambda h, t: {"ref": h.new_action(), "reason": t}
    ),
    ("action", "reopen", "reason"): _request(
        "action", "reopen", lambda h, t: {"ref": h.done_action(), "reason": t}
    ),
    ("action", "hold", "reason"): _request(
        "action", "hold", lambda h, t: {"ref": h.new_action(), "hold": True, "reason": t}
    ),
    ("finding", "update", "text"): _request(
        "finding", "update", lambda h, t: {"ref": h.new_finding(), "text": t}
    ),
    ("finding", "update", "reason"): _request(
        "finding", "update", lambda h, t: {"ref": h.new_finding(), "rag": "amber", "reason": t}
    ),
    ("finding", "withdraw", "reason"): _request(
        "finding", "withdraw", lambda h, t: {"ref": h.new_finding(), "reason": t}
    ),
    ("finding", "hold", "reason"): _request(
        "finding", "hold", lambda h, t: {"ref": h.new_finding(), "hold": True, "reason": t}
    ),
    ("review", "hold", "reason"): _request(
        "review", "hold", lambda h, t: {"code": _review(h), "hold": True, "reason": t}
    ),
    ("qa", "agenda add", "text"): _request("qa", "agenda add", lambda h, t: {"text": t}),
    ("qa", "meeting move", "reason"): _request(
        "qa", "meeting move", lambda h, t: {"day": h.new_meeting(), "to": h.free_day(), "reason": t}
    ),
    ("qa", "meeting cancel", "reason"): _request(
        "qa", "meeting cancel", lambda h, t: {"day": h.new_meeting(), "reason": t}
    ),
    ("s11", "deadline", "reason"): _request(
        "s11", "deadline", lambda h, t: {"year": "2027 statutory", "to": _s11_deadline(h), "reason": t}
    ),
    ("s11", "cancel", "reason"): _request(
        "s11", "cancel", lambda h, t: {"year": h.open_cycle(), "reason": t}
    ),
    ("s11", "remove", "reason"): _request(
        "s11", "remove", lambda h, t: {"agency": _s11_remove(h), "reason": t}
    ),
    ("docs", "search", "words"): _request("docs", "search", lambda h, t: {"words": [t]}),
}
