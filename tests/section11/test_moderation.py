"""Moderation in chat: /s11 moderate, the thread it opens with the agency where the panel and
the agency disagree by a point or more, the agency's response recorded there; the panel's
matrix and agenda; the challenge event. On SQLite and PostgreSQL; posts are caught by the
recording sender, as in test_cycle.py."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from commands.clock import FixedClock
from store import s11_scores
from store.models import (
    Agency,
    AgendaItem,
    AuditEvent,
    Board,
    OutboxMessage,
    S11ChallengeInvite,
    S11Return,
    S11Score,
    ThreadReply,
)
from tests.conftest import Say
from tests.section11.conftest import Answer, RecordingSender, Tick, at
from tests.section11.test_cycle import launched

NOON = "2027-05-10T12:00"


def self_scores(sessions: sessionmaker[Session], clock: FixedClock, agency: str, **subs: int) -> None:
    """The agency's own scores, as /s11 score or its workbook would record them."""
    with sessions() as s, s.begin():
        ret = s.scalar(select(S11Return).join(Agency).where(Agency.name == agency))
        assert ret is not None
        for sub, score in subs.items():
            s11_scores.save_self(s, ret.id, sub.lstrip("_").replace("_", "."), score, by_id=None, at=clock.now(), source="chat")


def panel_of(sessions: sessionmaker[Session], *handles: str) -> None:
    with sessions() as s, s.begin():
        board = s.scalars(select(Board)).one()
        config = dict(board.config or {})
        config["section11"] = {**(config.get("section11") or {}), "panel": list(handles)}
        board.config = config
        flag_modified(board, "config")


def score_of(sessions: sessionmaker[Session], agency: str, sub: str) -> S11Score:
    with sessions() as s:
        found = s.scalar(
            select(S11Score).join(S11Return).join(Agency).where(Agency.name == agency, S11Score.sub == sub)
        )
        assert found is not None
        return found


def test_a_gap_opens_a_thread_with_the_agency_and_its_response_is_recorded(
    say: Say, tick: Tick, recorder: RecordingSender, answer: Answer, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    at(clock, NOON)
    assert say("pol", "/s11 score Surrey Police 1.1 3 evidence https://sp.example/minutes.docx").ok
    assert say("pol", "/s11 score Surrey Police 1.2 2").ok
    r = say("qa", "/s11 moderate Surrey Police 1.1 1 note No board reports seen since 2025")
    assert r.ok, r.text()
    assert r.title == "Moderated Surrey Police 1.1: 1 Partially met"
    assert r.lines == [
        "Surrey Police · 1.1: self 3 · moderated 1 ▼2",
        "Surrey Police is asked for its response in a new thread for 1.1.",
    ]
    (post,) = [p for p in tick(NOON) if p.kind == "s11_moderation"]
    assert post.channel == "#Surrey Police"
    assert post.post.reply.title == (
        "Section 11 2027 (statutory): the panel's score for 1.1 differs from yours (▼2)"
    )
    text = post.text
    assert "Your self-score: 3 Exceeded/embedded — Embedded in everyday practice" in text
    assert "The panel's moderated score: 1 Partially met — Some arrangements in place" in text
    assert "Moderator's note: “No board reports seen since 2025”" in text
    assert "For the attention of Police Lead (@pol)." in text

    # The agency answers in the thread: recorded, answered with what was understood.
    at(clock, "2027-05-11T09:00")
    said = answer("pol", post, "The board minutes of March 2027 cover it; we can send them")
    assert said.lines[0].startswith("Recorded (R-")
    assert "Surrey Police's response on 1.1 — “The board minutes of March 2027 cover it; we can send them”" in (
        said.lines[0]
    )
    assert "For the information of the substitute, Police Deputy (@pol2)." in said.lines
    ref = said.data["reply_ref"]
    with board() as s:
        row = s.scalar(select(ThreadReply).where(ThreadReply.id == int(ref[2:])))
        assert row is not None and row.interpretation == "moderation_response"
    told = [p for p in tick("2027-05-11T09:00") if p.channel == "#qa"]
    assert told and told[0].post.reply.title == "Surrey Police responded on the moderation of 1.1"
    # Another agency's lead changes nothing there.
    assert "does not change" in answer("cs", post, "We disagree too").lines[0]

    # The panel's view shows the gap, the response, and the agenda order.
    panel = say("ic", "/s11 panel 2027")
    assert "    1: 1.1 3/1 ▼2 · 1.2 2/– · 1.3 –/–" in panel.lines
    assert "  Surrey Health" in panel.lines and panel.lines[panel.lines.index("  Surrey Health") + 1] == (
        "    no scores yet"
    )
    assert panel.data["agenda"] == ["Surrey Police 1.1: self 3, moderated 1 (▼2)"]
    assert f"     response {ref}: “The board minutes of March 2027 cover it; we can send them”" in panel.lines
    # The chart of the scores: a column per sub-question, every agency, its words for a screen reader.
    alt = panel.data["chart_alt_text"].splitlines()
    assert alt[0].startswith(
        "Section 11 2027 (statutory): self-assessed vs moderated scores. A grid of 3 agencies by 25 sub-questions"
    )
    assert "Surrey Health: no scores yet." in alt
    police = next(line for line in alt if line.startswith("Surrey Police:"))
    assert police.startswith("Surrey Police: self 1.1 3, 1.2 2, 1.3 –, 2.1 –")
    assert "; moderated 1.1 1, 1.2 –, 1.3 –, 2.1 –" in police

    # Moderating again continues the same thread; the same score again posts nothing.
    r = say("qa", "/s11 moderate Surrey Police 1.1 2")
    assert r.lines[-1] == "Surrey Police is asked for its response in its existing thread for 1.1."
    (again,) = [p for p in tick("2027-05-11T09:00") if p.kind == "s11_moderation"]
    assert again.post.thread_id == post.message_id
    assert "the panel has updated its moderation of 1.1 (▼1)" in (again.post.reply.title or "")
    r = say("qa", "/s11 moderate Surrey Police 1.1 2")
    assert r.lines[-1] == "The same score as before: nothing new was posted in the agency's thread."
    assert [p for p in tick("2027-05-11T09:00") if p.kind == "s11_moderation"] == []
    # Agreement closes it in the same thread; a sub with no gap opens none.
    assert say("qa", "/s11 moderate Surrey Police 1.1 3").lines[-1] == (
        "Surrey Police is told in its thread for 1.1 that the panel now agrees with it."
    )
    assert say("qa", "/s11 moderate Surrey Police 1.2 2").lines[-1] == (
        "It agrees with the agency's self-score: no thread needed."
    )
    assert say("qa", "/s11 moderate Surrey Police 1.3 2").lines[-1] == (
        "Surrey Police has no self-score for 1.3 yet, so there is nothing to compare."
    )
    with board() as s:
        audits = s.scalars(select(AuditEvent.verb).where(AuditEvent.entity == "s11_score")).all()
        assert audits.count("moderated") == 6 and "moderation response" in audits
        threads = s.scalar(
            select(func.count(func.distinct(OutboxMessage.thread_key))).where(OutboxMessage.kind == "s11_moderation")
        )
        assert threads == 1
    assert score_of(board, "Surrey Police", "1.1").moderator_note == "No board reports seen since 2025"


def test_undo_sets_the_response_aside(
    say: Say, tick: Tick, answer: Answer, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    at(clock, NOON)
    self_scores(board, clock, "Surrey Police", _2_1=1)
    assert say("ic", "/s11 moderate police 2.1 3").ok  # the panel thinks better of it: ▲2
    (post,) = [p for p in tick(NOON) if p.kind == "s11_moderation"]
    assert "(▲2)" in (post.post.reply.title or "")
    first = answer("pol", post, "Thank you, we will update our policy page")
    r = answer("pol", post, "undo")
    assert r.lines == [f"Set aside: {first.data['reply_ref']} is no longer Surrey Police's response on 2.1."]
    assert not any(line.startswith("     response") for line in say("qa", "/s11 panel").lines)


def test_who_may_moderate_and_what_is_refused(
    say: Say, tick: Tick, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    at(clock, NOON)
    self_scores(board, clock, "Surrey Police", _1_1=3)
    before = [score_of(board, "Surrey Police", "1.1").moderated_score]
    r = say("bm", "/s11 moderate Surrey Police 1.1 1")
    assert r.data["error"] == "permission" and "section11.panel" in r.text()
    assert say("pol", "/s11 moderate Surrey Police 1.1 1").data["error"] == "permission"
    bad = say("qa", "/s11 moderate Surrey Police 9.9 1")
    assert bad.data["field"] == "sub" and "There is no sub-question 9.9" in bad.text()
    bad = say("qa", "/s11 moderate Surrey Police 1.1 7")
    assert bad.data["field"] == "score" and "0 Not met, 1 Partially met, 2 Met or 3 Exceeded/embedded" in bad.text()
    assert say("qa", "/s11 moderate Surrey Police").data["error"] == "usage"
    assert say("qa", "/s11 moderate Surrey Police 1.1 1 note").data["field"] == "note"
    refused = say("qa", "/s11 moderate Surrey Police 1.1 1 note Seen with DOB 01/02/2015")
    assert not refused.ok and "a date of birth" in refused.text()
    assert [score_of(board, "Surrey Police", "1.1").moderated_score] == before  # nothing stored
    panel_of(board, "bm", "pol")
    assert say("bm", "/s11 moderate Surrey Police 1.1 met").ok  # a named panel member, by the name
    assert score_of(board, "Surrey Police", "1.1").moderated_score == 2
    own = say("pol", "/s11 moderate Surrey Police 1.1 1")  # on the panel, but not for their own agency
    assert own.data["error"] == "permission" and "You act for Surrey Police" in own.text()


def test_panel_agenda_goes_onto_the_panel_meeting_once(
    say: Say, tick: Tick, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    at(clock, NOON)
    self_scores(board, clock, "Surrey Police", _1_1=3, _1_2=2)
    self_scores(board, clock, "Surrey Health", _5_1=0, _5_2=3)
    assert say("qa", "/s11 moderate Surrey Police 1.1 2").ok  # gap 1
    assert say("qa", "/s11 moderate Surrey Health 5.2 0").ok  # gap 3, and red
    panel = say("qa", "/s11 panel 2027 agenda")
    assert panel.ok, panel.text()
    assert panel.data["agenda"] == [
        "Surrey Health 5.2: self 3, moderated 0 (▼3)",
        "Surrey Police 1.1: self 3, moderated 2 (▼1)",
        "Surrey Health 5.1: red (self-assessed 0, not yet moderated)",
    ]
    assert panel.lines[-1] == "Agenda of Section 11 scrutiny panel (20/05/2027 10:00): 3 added, 0 reworded, 0 already there."

    def items() -> list[str]:
        with board() as s:
            return list(s.scalars(select(AgendaItem.text).order_by(AgendaItem.id)))

    assert items() == [
        "Section 11: Surrey Health 5.2: self 3, moderated 0 (▼3)",
        "Section 11: Surrey Police 1.1: self 3, moderated 2 (▼1)",
        "Section 11: Surrey Health 5.1: red (self-assessed 0, not yet moderated)",
    ]
    assert say("qa", "/s11 panel 2027 agenda").lines[-1].endswith("0 added, 0 reworded, 3 already there.")
    assert say("qa", "/s11 moderate Surrey Police 1.1 1").ok
    assert say("ic", "/s11 panel agenda").lines[-1].endswith("0 added, 1 reworded, 2 already there.")
    assert len(items()) == 3 and "Section 11: Surrey Police 1.1: self 3, moderated 1 (▼2)" in items()
    assert say("bm", "/s11 panel 2027 agenda").data["error"] == "permission"
    assert say("bm", "/s11 panel 2027").ok  # seeing it stays open to board members
    assert len(items()) == 3


def test_challenge_invites_the_most_reds_with_their_slots_once(
    say: Say, tick: Tick, recorder: RecordingSender, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    launched(say, tick)
    at(clock, NOON)
    self_scores(board, clock, "Surrey Police", _1_1=0, _1_2=0)  # two reds
    self_scores(board, clock, "Surrey Health", _5_1=3)
    assert say("qa", "/s11 moderate Surrey Health 5.1 1").ok  # gap 2, no red
    self_scores(board, clock, "Surrey Children's Services", _3_1=2)  # nothing to challenge
    r = say("ic", "/s11 challenge 2027 17/06/2027 slots 3 from 13:30 length 40")
    assert r.ok, r.text()
    assert r.title == "Section 11 2027 (statutory) challenge event, 17 Jun 2027: 2 agencies invited now"
    assert r.lines == [
        "Invited: Surrey Police — 13:30–14:10 (2 reds, total gap 0)",
        "Invited: Surrey Health — 14:10–14:50 (0 reds, total gap 2)",
    ]
    sent = [p for p in tick(NOON) if p.kind == "s11_challenge"]
    assert sorted(p.channel for p in sent) == ["#Surrey Health", "#Surrey Police"]
    police = next(p for p in sent if p.channel == "#Surrey Police")
    assert police.post.thread_id == recorder.launch_of("Surrey Police").message_id  # its own S11 thread
    assert "your slot 13:30–14:10" in police.text and "2 reds, total gap 0" in police.text

    again = say("ic", "/s11 challenge 2027 17/06/2027 slots 3 from 13:30 length 40")
    assert again.data["invited"] == [] and again.lines[-1] == "The list is the same as before."
    assert [p for p in tick(NOON) if p.kind == "s11_challenge"] == []
    # Children's Services now has three reds: top of the list; with one slot, the list changed.
    self_scores(board, clock, "Surrey Children's Services", _3_1=0, _3_2=0, _3_3=0)
    changed = say("qa", "/s11 challenge 2027 17/06/2027 slots 1 length 40")
    assert changed.lines[0] == "Invited: Surrey Children's Services — 14:50–15:30 (3 reds, total gap 0)"
    assert changed.lines[-1] == (
        "The list has changed since: no longer among the top now: Surrey Police, Surrey Health "
        "(still invited; tell them in their thread if they need not come)."
    )
    with board() as s:
        assert s.scalar(select(func.count()).select_from(S11ChallengeInvite)) == 3
    assert say("bm", "/s11 challenge 2027 17/06/2027").data["error"] == "permission"
    bad = say("qa", "/s11 challenge 2027 17/06/2027 slots many")
    assert bad.data["field"] == "slots"
    assert say("qa", "/s11 challenge 2027 17/06/2027 from 25:00").data["field"] == "start"


def test_an_agency_nobody_can_reach_is_said_and_the_qa_officer_told(
    board: sessionmaker[Session], clock: FixedClock, recorder: RecordingSender
) -> None:
    """On Slack, Surrey Faith Forum has no channel and its lead no Slack id: not reached."""
    from bot.core import BotCore
    from bot.outbox import Dispatcher
    from bot.services import board_services
    from bot.tick import run_tick
    from commands.types import Inbound

    core = BotCore(sessions=board, clock=clock, platforms=("slack",), services=board_services())

    def qa(line: str) -> list[str]:
        r = core.handle(Inbound(platform="slack", user_id="U0QAOFF1", text=line))
        assert r.ok, r.text()
        return r.lines

    at(clock, "2027-11-01T10:00")
    qa("/s11 launch 2028 deadline 01/03/2028")  # the non-statutory cohort
    at(clock, "2028-03-10T10:00")
    self_scores(board, clock, "Surrey Faith Forum", _1_1=3, _1_2=0)
    assert qa("/s11 moderate Surrey Faith Forum 1.1 1")[-1] == (
        "Surrey Faith Forum has no channel or lead to reach on any platform, so the thread could not "
        "be opened; the QA officer is told."
    )
    assert qa("/s11 challenge 2028 20/03/2028") == [
        "Could not be reached (no channel or lead on any platform; the QA officer is told): "
        "Surrey Faith Forum — 10:00–10:30 (1 red, total gap 2)"
    ]
    with board() as s:
        kept = s.scalars(select(OutboxMessage.status).where(OutboxMessage.kind == "s11_moderation")).all()
        assert kept == ["unreachable"]
    run_tick(board, clock, Dispatcher(board, {"slack": recorder}, clock), ("slack",))
    notices = [p for p in recorder.sent if p.kind == "delivery_problem"]
    assert any(p.post.reply.title == "Not reached: Surrey Faith Forum" for p in notices)


def test_closed_gaps_leave_the_panel_agenda(
    say: Say, tick: Tick, answer: Answer, clock: FixedClock, board: sessionmaker[Session]
) -> None:
    """A gap is closed when the panel accepts the agency's response in the thread, or when the
    moderated score comes to equal the self-score: it leaves the agenda, and /s11 panel says so."""
    launched(say, tick)
    at(clock, NOON)
    panel_of(board, "bm")
    self_scores(board, clock, "Surrey Police", _1_1=3, _1_2=3)
    assert say("qa", "/s11 moderate Surrey Police 1.1 1").ok
    assert say("qa", "/s11 moderate Surrey Police 1.2 2").ok
    posts = {p.post.reply.title: p for p in tick(NOON) if p.kind == "s11_moderation"}
    (first,) = [p for t, p in posts.items() if "1.1" in (t or "")]
    assert say("qa", "/s11 panel 2027").data["agenda"] == [
        "Surrey Police 1.1: self 3, moderated 1 (▼2)",
        "Surrey Police 1.2: self 3, moderated 2 (▼1)",
    ]

    response = answer("pol", first, "The board minutes of March 2027 cover it")
    assert "accepted" not in response.text().lower()
    # Only the panel accepts: the agency's own "accepted" is its response, not a closure.
    assert answer("pol", first, "accepted").data["interpretation"] == "moderation_response"
    ok = answer("bm", first, "Response accepted.")  # a panel member named in the board file
    assert ok.data["interpretation"] == "moderation_accepted"
    assert ok.lines[0].startswith(
        f"Accepted ({ok.data['reply_ref']}): the panel accepts Surrey Police's response on 1.1; the gap is closed"
    )
    assert say("qa", "/s11 moderate Surrey Police 1.2 3").ok  # the panel now agrees on 1.2
    panel = say("ic", "/s11 panel 2027")
    assert panel.data["agenda"] == []
    closed = panel.lines[panel.lines.index("Gaps closed (not on the agenda):") + 1 :]
    assert closed[:2] == [
        f"  Surrey Police 1.1: the panel accepted the response ({ok.data['reply_ref']})",
        "  Surrey Police 1.2: the moderated score now equals the self-score",
    ]
    # Someone neither on the panel nor for the agency accepts nothing; "undo" reopens the gap.
    assert "does not change" in answer("cs", first, "accepted").lines[0]
    undone = answer("bm", first, "undo")
    assert undone.lines == [
        f"Set aside: {ok.data['reply_ref']}; the gap on 1.1 is open again and back on the panel's agenda."
    ]
    assert say("qa", "/s11 panel 2027").data["agenda"] == ["Surrey Police 1.1: self 3, moderated 1 (▼2)"]
