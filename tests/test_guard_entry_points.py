"""Every free-text entry point is guarded, proved by a table (tests/guard_entry/points.py):
must-trip texts are refused and nothing identifying is stored, posted or logged; ordinary board
text passes. A new command with a free-text field, or a new thread-reply handler, fails here
until it is in the table."""

from __future__ import annotations

import logging
import typing
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands import catalog, guard
from commands.clock import FixedClock
from commands.common import board_vocabulary
from store.models import Action, AuditEvent, Finding, ProcessedDelivery
from tests.guard_entry.points import (
    ENTRY_POINTS,
    FORM_FIELDS,
    PASS,
    STORES_IN_DB,
    TRIP,
    Harness,
    stored_texts,
)

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

# Commands with no typed request: the help pages, which take no text. A new one fails
# test_every_command_is_classified.
UNTYPED: dict[tuple[str, str], str] = {
    ("qa", "help"): "no text",
    ("s11", "help"): "no text",
    ("docs", "help"): "no text",
}
# Request fields that name something the board already holds (resolved, never kept as typed).
REFERENCE_FIELDS = {"owner", "agency", "priority", "rag", "kind", "ref"}
# Request fields typed as text that are not free text: each is read into something the board
# holds (an error names what was not found, and an error is never stored), with where.
NOT_FREE_TEXT: dict[tuple[str, str, str], str] = {
    ("docs", "link", "document"): "a D- number or a stored document's name, resolved to that "
    "document (commands/docs.py _document); the link and its audit keep the stored name",
    ("s11", "rate", "standard"): "a number or words resolved to one of the board's standards "
    "(commands/section11/ratings.py _standard); the rating keeps that standard's own name",
    **{
        ("s11", command, "sub"): "a sub-question label such as 1.1, resolved to one of the board's "
        "(commands/section11/standards.py find_sub); an unknown label is an error naming the valid ones"
        for command in ("score", "confirm", "form")
    },
    **{
        ("s11", "moderate", field): "a sub-question label or a value on the board's scale (a number or "
        "its name), resolved by commands/section11/standards.py (find_sub, Scale.parse); anything else "
        "is an error naming the valid ones"
        for field in ("sub", "score")
    },
    ("s11", "deadline", "year"): "'<year> [cohort]', parsed to an open cycle "
    "(commands/section11/corrections.py _open_cycle)",
    ("s11", "cancel", "year"): "'<year> [cohort]', parsed to an open cycle "
    "(commands/section11/corrections.py _open_cycle)",
    ("docs", "map", "folder"): "a SharePoint folder's own name (no '/', so most ordinary texts "
    "are refused as no folder name): guarded in commands/docs_map.py map_folder, proved by "
    "test_a_docs_map_folder_that_identifies_a_child_is_refused_and_not_kept",
    **{
        ("review", command, "code"): "a board case code such as RR-2027-03: its shape is checked "
        "(commands/reviews/reading.py CaseCode) and the whole line is guarded before it is read, "
        "proved by tests/test_review_clocks.py test_a_childs_name_is_refused_and_nothing_is_kept"
        for command in (
            "open", "notified", "meeting", "sent", "panel", "status", "timeline", "close", "lcspr", "recommend",
            "hold",
        )
    },
    **{
        ("action", "reassign-all", side): "a member named by handle, mention or name, resolved to "
        "a board member (commands/actions/reassign.py); an unknown one is an error, never kept"
        for side in ("old", "new")
    },
    ("review", "lcspr", "milestone"): "a milestone's name resolved to the fixed ones or the board "
    "file's lcspr_milestones (commands/reviews/lcspr.py lcspr); an unknown name is an error, never kept",
    **{
        key: "a measure's id or name, or a period, resolved to the board file's measures and their "
        "periods (commands/kpi/reading.py measure_named, period_in: guarded first, an unknown one is "
        "an error, never kept)"
        for key in (("kpi", "set", "measure"), ("kpi", "set", "period"), ("kpi", "trend", "measure"))
    },
    ("review", "open", "agencies"): "names resolved to the board's agencies "
    "(commands/reviews/reading.py agencies_in); an unknown name is an error, never kept",
}
THREAD_ENTRY_POINTS = {
    "agenda": "agenda thread reply",
    "s11": "s11 thread reply",
    "review_request": "review thread reply",
    "review_chaser": "review thread reply",
    "kpi_ask": "kpi thread reply",
    "kpi_chaser": "kpi thread reply",
    "s11_moderation": "s11 moderation thread reply",
}


def _is_text(annotation: object) -> bool:
    if annotation is str:
        return True
    return any(_is_text(a) for a in typing.get_args(annotation) if a is not type(None))


def free_text_fields() -> set[tuple[str, str, str]]:
    registry = catalog.load()
    found = set()
    for g in registry.groups():
        for c in registry.commands(g.name):
            for name, info in c.request.model_fields.items() if c.request else ():
                if name not in REFERENCE_FIELDS and _is_text(info.annotation):
                    found.add((g.name, c.name, name))
    assert set(NOT_FREE_TEXT) <= found, set(NOT_FREE_TEXT) - found  # no stale exclusion
    return found - set(NOT_FREE_TEXT)


def test_every_free_text_field_of_every_typed_command_is_in_the_table() -> None:
    assert free_text_fields() == set(FORM_FIELDS)
    for group, command, field in FORM_FIELDS:
        assert f"form {group} {command} {field}" in ENTRY_POINTS
        if command != "meeting":  # "/qa meeting add …" is the typed line of qa meeting
            assert any(k.startswith(f"/{group} {command}") for k in ENTRY_POINTS), (group, command)


def test_every_command_is_classified() -> None:
    registry = catalog.load()
    untyped = {
        (g.name, c.name) for g in registry.groups() for c in registry.commands(g.name) if not c.request
    }
    assert untyped == set(UNTYPED)


def test_every_thread_reply_handler_is_in_the_table() -> None:
    registry = catalog.load()
    handled = set(registry._thread_replies)  # the registry lists no public view
    assert handled == set(THREAD_ENTRY_POINTS)
    for prefix in THREAD_ENTRY_POINTS.values():
        assert any(k.startswith(prefix) for k in ENTRY_POINTS)


@pytest.fixture
def harness(core: BotCore, board: sessionmaker[Session], clock: FixedClock, tmp_path: Path) -> Harness:
    return Harness(core=core, sessions=board, clock=clock, tmp=tmp_path)


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_identifying_text_is_refused_and_never_stored_posted_or_logged(
    harness: Harness, entry: str, caplog: pytest.LogCaptureFixture
) -> None:
    run = ENTRY_POINTS[entry]
    caplog.set_level(logging.DEBUG)
    with harness.sessions() as s:
        vocabulary = board_vocabulary(s)
    board_file_rows = set(stored_texts(harness.sessions))  # the import's own audit (Teams ids)
    for text in TRIP:
        refused, kept = run(harness, text)
        assert refused, (entry, text)
        for k in kept:
            assert text not in k and guard.check(k, vocabulary) == [], (entry, text, k)
    for stored in set(stored_texts(harness.sessions)) - board_file_rows:
        assert guard.check(stored, vocabulary) == [], (entry, stored)
        assert not [t for t in TRIP if t in stored], (entry, stored)
    for record in caplog.records:
        message = record.getMessage()
        assert not [t for t in TRIP if t in message] and guard.check(message, vocabulary) == [], message


@pytest.mark.parametrize("entry", list(ENTRY_POINTS))
def test_ordinary_board_text_passes(harness: Harness, entry: str) -> None:
    run = ENTRY_POINTS[entry]
    for text in PASS:
        refused, kept = run(harness, text)
        assert not refused, (entry, text)
        where = stored_texts(harness.sessions) if entry in STORES_IN_DB else kept
        assert any(text in k for k in where), (entry, text)


def test_a_refusal_offers_the_anonymised_version_and_one_click_stores_it(
    harness: Harness, board: sessionmaker[Session]
) -> None:
    r = harness.say("qa", "/action add Visit Jayden Smith at GU21 6AB about the referral @pol due 12/03/2027")
    assert not r.ok and "Child J.S." in r.text() and "[postcode]" in r.text()
    assert "Jayden" not in r.text() and "GU21" not in r.text()
    [button] = r.buttons
    assert (
        button.command
        == "action add Visit Child J.S. (case 2026-001) at [postcode] about the referral @pol due 12/03/2027"
    )
    with board() as s:
        assert s.scalars(select(ProcessedDelivery)).all() == []  # the refused delivery is not kept
        refusal = s.scalars(select(AuditEvent).where(AuditEvent.entity == "guard")).one()
        assert refusal.verb == "refused" and refusal.actor_label == "@qa"
        assert refusal.after == {"signals": ["postcode"], "where": "action add", "offered": True}
        assert refusal.before is None
    accepted = harness.say("qa", button.command)
    assert accepted.ok, accepted.lines
    with board() as s:
        action = s.scalars(select(Action)).one()
        assert action.text == "Visit Child J.S. (case 2026-001) at [postcode] about the referral"
        assert action.owner is not None and action.owner.handle == "pol"


def test_a_thread_reply_is_offered_the_anonymised_version_without_a_button(harness: Harness) -> None:
    mid = harness.root("agenda", ("meeting", harness.meeting_id("QA&E sub-group")), "C0QAE01")
    r = harness.say("visitor", "Discuss Jayden Smith, 7", thread_id=mid, channel="C0QAE01", chatter=True)
    assert (
        not r.ok
        and r.buttons == []
        and "Child J.S. (case 2026-001), 7" in r.text()
        and "Jayden" not in r.text()
    )


def test_replying_yes_runs_the_offered_version_once(harness: Harness, board: sessionmaker[Session]) -> None:
    refused = harness.say("qa", "/finding add Jayden Smith, 7, not seen by the school nurse")
    assert not refused.ok and refused.buttons
    accepted = harness.say("qa", "yes")
    assert accepted.ok, accepted.lines
    with board() as s:
        assert [f.text for f in s.scalars(select(Finding))] == [
            "Child J.S. (case 2026-001), 7, not seen by the school nurse"
        ]
        assert "Jayden" not in str([e.after for e in s.scalars(select(AuditEvent))])
    again = harness.say("qa", "yes")  # the offer is used up: no second finding
    assert not again.ok
    with board() as s:
        assert len(s.scalars(select(Finding)).all()) == 1


def test_a_forms_refusal_is_audited_with_its_request_and_no_text(
    harness: Harness, board: sessionmaker[Session]
) -> None:
    from commands.actions.add import ActionAddRequest

    r = harness.form(ActionAddRequest(text="Jayden Smith DOB 04.05.2015"))
    assert not r.ok and r.data == {"error": "usage", "field": "text"}
    with board() as s:
        refusal = s.scalars(select(AuditEvent).where(AuditEvent.entity == "guard")).one()
        assert refusal.after == {
            "signals": ["date_of_birth"],
            "where": "form ActionAddRequest",
            "offered": True,
        }
        assert refusal.actor_label == "@qa"


def test_each_refusal_of_the_year_gets_the_next_case_code(harness: Harness) -> None:
    first = harness.say("qa", "/finding add Jayden Smith, 7, missed school")
    second = harness.say("qa", "/finding add Amelia Jones, 9, missed school")
    assert "Child J.S. (case 2026-001), 7" in first.text()
    assert "Child A.J. (case 2026-002), 9" in second.text()


def test_a_docs_map_folder_that_identifies_a_child_is_refused_and_not_kept(harness: Harness) -> None:
    folders = [t for t in TRIP if "/" not in t and '"' not in t]
    assert len(folders) >= 5
    for text in folders:
        reply = harness.say("qa", f'/docs map "{text}" Surrey Police')
        assert not reply.ok and "could identify a child or family" in reply.text(), text
    for stored in stored_texts(harness.sessions):
        assert not [t for t in folders if t in stored], stored
    ok = harness.say("qa", '/docs map "Police - evidence" Surrey Police')
    assert ok.ok and "Police - evidence" in ok.text()
