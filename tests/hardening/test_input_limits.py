"""Input limits: over-long text, control characters, chat markup in what people type."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.grammar import MAX_LINE, MAX_TEXT
from integrations.slack.inbound import text_for_core
from store.models import Action
from tests.conftest import Say
from tests.hardening.conftest import half_written, outcome


def _texts(sessions: sessionmaker[Session]) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Action.text).order_by(Action.id)))


def test_over_long_action_text_is_refused_and_nothing_stored(
    board: sessionmaker[Session], say: Say, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()
    reply = say("qa", "/action add " + "x" * (MAX_TEXT + 1))
    assert outcome(reply) == "usage"
    assert f"{MAX_TEXT:,}" in reply.text() and "Usage:" in reply.text()
    assert counts() == before
    ok = say("qa", "/action add " + "y" * MAX_TEXT)  # the limit itself is allowed
    assert ok.ok and _texts(board) == ["y" * MAX_TEXT]


def test_over_long_line_is_refused_before_anything_else(
    board: sessionmaker[Session], say: Say, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()
    for line in ("/action add " + "word " * MAX_LINE, "/finding add " + "z" * (MAX_LINE + 1), "w" * 100_000):
        reply = say("qa", line)
        assert outcome(reply) == "usage", reply.text()
        assert f"{MAX_LINE:,}" in reply.text()
        assert len(reply.text()) < 1000  # the refusal does not echo the text back
    assert counts() == before


def test_over_long_note_leaves_the_action_open(board: sessionmaker[Session], say: Say) -> None:
    ref = say("qa", "/action add Check the LADO referrals @pol").data["ref"]
    reply = say("qa", f"/action done {ref} " + "n" * (MAX_TEXT + 1))
    assert outcome(reply) == "usage"
    assert "open" in say("qa", f"/action show {ref}").text().lower()


def test_control_characters_are_removed_before_storing(board: sessionmaker[Session], say: Say) -> None:
    # NUL, BEL, ESC, DEL, zero-width space, right-to-left override, bidi isolates, CR/LF/TAB.
    dirty = "/action add Check\x00 the\x07 \x1b[31mMASH\x7f audit\u200b \u202eevil\u202c\u2066x\u2069\r\nnow\tplease"
    reply = say("qa", dirty)
    assert reply.ok, reply.text()
    [text] = _texts(board)
    assert text == "Check the [31mMASH audit evilx now please"
    # What the person sees back is as clean as what was stored.
    assert "\x00" not in reply.text() and "\u202e" not in reply.text()


def test_unicode_is_normalised(board: sessionmaker[Session], say: Say) -> None:
    decomposed = "Cafe\u0301 meeting with the Ro\u0308ssler team"
    assert say("qa", f"/action add {decomposed}").ok
    assert _texts(board) == ["Café meeting with the Rössler team"]


def test_chat_markup_in_action_text_is_stored_as_text(board: sessionmaker[Session], say: Say) -> None:
    """`<!channel>`, `<!here>`, links and mentions inside the text are kept as typed, as text;
    they never become an owner, a broadcast or a link in what the bot stores."""
    lines = [
        "/action add Tell <!channel> about the audit",
        "/action add Remind <!here> and <!everyone> of the deadline",
        '/action add "Ask <@U0POL001> to check <https://evil.example|the portal>" due 12/03/2027',
        "/action add Check <https://evil.example|this link> and <#C0QAE01|qa>",
    ]
    for line in lines:
        reply = say("qa", line)
        assert reply.ok, (line, reply.text())
    texts = _texts(board)
    assert texts[0] == "Tell <!channel> about the audit"
    assert texts[1] == "Remind <!here> and <!everyone> of the deadline"
    assert texts[2] == "Ask <@U0POL001> to check <https://evil.example|the portal>"
    assert texts[3] == "Check <https://evil.example|this link> and <#C0QAE01|qa>"
    with board() as s:
        owners = list(s.scalars(select(Action.owner_id)))
    assert owners == [None, None, None, None]  # a mention quoted inside the text is not an owner
    assert half_written(board) == []


def test_a_real_mention_becomes_the_owner_not_text(board: sessionmaker[Session], say: Say) -> None:
    # Slack's escaped mention, as the Slack integration hands it to the core.
    reply = say("qa", text_for_core("/action add Review the audit <@U0POL001|pol>"))
    assert reply.ok
    assert "@pol" in reply.text()
    assert _texts(board) == ["Review the audit"]


def test_unknown_slack_mention_is_refused_not_stored(
    board: sessionmaker[Session], say: Say, counts: Callable[[], dict[str, int]]
) -> None:
    before = counts()
    reply = say("qa", text_for_core("/action add Review the audit <@UNOBODY99>"))
    assert outcome(reply) == "not_found"
    assert counts() == before
