"""The agenda: posted by the clock three working days before, once; its contents; replies in
its thread; /qa agenda and /qa agenda add."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound
from store.models import AgendaItem, OutboxMessage, ThreadReply
from tests.conftest import Say
from tests.meetings.conftest import RecordingSender, Tick, london


def agenda_items(sessions: sessionmaker[Session]) -> list[tuple[int, str, int | None]]:
    with sessions() as s:
        rows = s.execute(
            select(AgendaItem.meeting_id, AgendaItem.text, AgendaItem.added_by_id).order_by(AgendaItem.id)
        )
        return [(m, t, a) for m, t, a in rows]


def test_thursday_meeting_agenda_posts_monday_0900_once(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    # The board file has a QA&E sub-group on Thursday 14 January 2027 at 10:00.
    tick(2027, 1, 8, 9, 0)  # Friday before: too early
    tick(2027, 1, 11, 8, 59)  # Monday 08:59: not yet
    assert sender.of_kind("agenda") == []
    result = tick(2027, 1, 11, 9, 0)
    posts = sender.of_kind("agenda")
    assert len(posts) == 1 and result.dispatch.sent >= 1
    post = posts[0]
    assert post.kind == "agenda" and post.thread_id is None
    assert post.channel == "#QA&E sub-group"
    assert post.title == "Agenda: QA&E sub-group — Thu 14 Jan 2027 10:00"
    assert post.lines[:2] == ["1. Apologies", "2. Minutes of the last meeting and matters arising"]
    tick(2027, 1, 11, 9, 1)
    tick(2027, 1, 12, 9, 0)
    assert len(sender.of_kind("agenda")) == 1
    with board() as s:
        rows = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "agenda")))
        assert [(r.key, r.thread_key, r.status) for r in rows] == [
            ("agenda:1:console", "agenda:1:console", "sent")
        ]


def test_bank_holidays_move_it_earlier_and_a_late_bot_catches_up_once(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    # Thursday 1 April 2027: three working days back skips Easter Monday (29 Mar) and Good
    # Friday (26 Mar), so the agenda is due Thursday 25 March at 09:00, not Monday 29th.
    assert say("qa", "/qa meeting add subgroup 01/04/2027 10:00 Spring QA&E sub-group").ok
    tick(2027, 3, 25, 8, 59)
    assert sender.of_kind("agenda") == []
    tick(2027, 3, 25, 9, 0)
    posts = sender.of_kind("agenda")
    assert [p.title for p in posts] == ["Agenda: Spring QA&E sub-group — Thu 1 Apr 2027 10:00"]
    # The 14 January meeting had passed before any tick ran: no agenda for it, ever.
    assert all("14 Jan" not in (p.title or "") for p in sender.posts)

    # A bot that was down at the posting instant catches up once before the meeting ...
    assert say("qa", "/qa meeting add board 08/04/2027 14:00").ok  # agenda due Mon 5 Apr 09:00
    tick(2027, 4, 6, 16, 0)  # the first tick after that instant
    tick(2027, 4, 6, 16, 5)
    board_posts = [p for p in sender.of_kind("agenda") if p.title and p.title.startswith("Agenda: Board")]
    assert len(board_posts) == 1
    # ... but a meeting already under way gets nothing.
    assert say("qa", "/qa meeting add challenge 15/04/2027 10:00").ok
    tick(2027, 4, 15, 10, 30)
    assert not any(p.title and "challenge" in p.title.lower() for p in sender.of_kind("agenda"))


def test_agenda_lists_overdue_first_with_references(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender, clock: FixedClock
) -> None:
    assert say("qa", "/qa meeting add subgroup 03/12/2026 10:00 December QA&E sub-group").ok
    say("qa", "/action add Refresh the audit @pol due 20/01/2027 meeting 03/12/2026 #cp")
    say("qa", "/action add Long overdue @cs due 10/12/2026 meeting 03/12/2026")
    say("qa", "/action add Recently overdue @nhs due 05/01/2027 meeting 03/12/2026")
    say("qa", "/action add Undated follow-up meeting 03/12/2026")
    say("qa", "/action add Circulate the dataset @school due 13/01/2027")
    say("qa", "/action add Later piece of work @pol due 25/01/2027")
    say("qa", "/action add Closed already @pol due 11/12/2026 meeting 03/12/2026")
    say("qa", "/action done A-7")
    say("ic", "/finding add Older finding agency Surrey Police rag green")  # F-1, before 3 Dec
    clock.set(london(2026, 12, 4, 10, 0))
    say("ic", "/finding add Thresholds applied inconsistently agency Surrey Police rag red #cp")  # F-2
    say("qa", "/qa agenda add Neglect strategy refresh meeting 14/01/2027")

    tick(2027, 1, 11, 9, 0)
    posts = [p for p in sender.of_kind("agenda") if "14 Jan" in (p.title or "")]
    assert len(posts) == 1
    lines = posts[0].lines
    start = lines.index("3. Open actions from earlier meetings (4)")
    assert lines[start + 1 : start + 5] == [
        "   A-2 · Long overdue · @cs · Surrey Children's Services · due 10 Dec 2026 · OVERDUE 32 days",
        "   A-3 · Recently overdue · @nhs · Surrey Health · due 5 Jan 2027 · OVERDUE 6 days",
        "   A-1 · Refresh the audit · @pol · Surrey Police · due 20 Jan 2027 · Child Protection",
        "   A-4 · Undated follow-up · no owner · no due date",
    ]
    assert lines[start + 5] == "4. Other actions due by 14 Jan 2027 (1)"
    assert lines[start + 6].startswith("   A-5 · Circulate the dataset · @school")
    assert "5. Findings since the last QA&E sub-group (1)" in lines
    assert "   F-2 · Thresholds applied inconsistently · Surrey Police · Child Protection · RED" in lines
    assert "   - Neglect strategy refresh (@qa)" in lines
    assert "   None filed yet." in lines  # papers: SharePoint not connected in tests
    text = "\n".join(lines)
    assert "A-6" not in text and "A-7" not in text and "F-1" not in text


def test_reply_in_the_agenda_thread_adds_an_item(
    core: BotCore, say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    tick(2027, 1, 11, 9, 0)
    root = sender.of_kind("agenda")[0]
    r = say("bm", "Update on the CSE dataset please", thread_id=root.message_id, chatter=True)
    assert r.ok and r.title == "Added to the agenda"
    assert r.lines == ["QA&E sub-group, Thu 14 Jan 2027 10:00: Update on the CSE dataset please"]
    with board() as s:
        bm = s.scalar(select(ThreadReply.member_id).where(ThreadReply.interpretation == "agenda_item"))
    assert agenda_items(board) == [(1, "Update on the CSE dataset please", bm)]
    preview = say("ic", "/qa agenda")
    assert "   - Update on the CSE dataset please (@bm)" in preview.lines
    assert preview.lines[0].startswith("Preview: the agenda was posted")

    # Someone not on the board: recorded with the thread, the agenda unchanged.
    guest = core.handle(
        Inbound(
            platform="console", user_id="visitor", text="Can I come?", thread_id=root.message_id, chatter=True
        )
    )
    assert guest.data.get("ignored") is True
    assert len(agenda_items(board)) == 1
    with board() as s:
        assert (
            s.scalar(select(func.count()).select_from(ThreadReply).where(ThreadReply.member_id.is_(None)))
            == 1
        )

    # Text that could identify a child is refused, nothing stored.
    bad = say("bm", "Discuss Jayden Smith GU1 4LH", thread_id=root.message_id, chatter=True)
    assert not bad.ok and len(agenda_items(board)) == 1


def test_agenda_add_and_preview(say: Say, board: sessionmaker[Session]) -> None:
    r = say("pol", "/qa agenda add Police data on missing children #cse")
    assert r.ok and r.lines == ["QA&E sub-group, Thu 14 Jan 2027 10:00: Police data on missing children #cse"]
    r = say("qa", "/qa agenda add Section 11 timetable meeting 20/05/2027")
    assert r.ok and r.lines[0].startswith("Section 11 scrutiny panel, Thu 20 May 2027 10:00")
    assert [(m, t) for m, t, _ in agenda_items(board)] == [
        (1, "Police data on missing children #cse"),
        (2, "Section 11 timetable"),
    ]
    preview = say("qa", "/qa agenda 20/05/2027")
    assert preview.visibility == "ephemeral"
    assert preview.lines[0] == "Preview: posts to the meeting's channel Mon 17 May 2027 09:00."
    assert "   - Section 11 timetable (@qa)" in preview.lines
    assert not say("qa", "/qa agenda add meeting 20/05/2027").ok
    assert "There is no meeting on 21 May 2027" in say("qa", "/qa agenda add X meeting 21/05/2027").lines[0]
    # An agency lead previews their agencies' part: the meeting's items, and no other agency's.
    lead = say("pol", "/qa agenda")
    assert lead.ok and lead.title == "Agenda: QA&E sub-group — Thu 14 Jan 2027 10:00"
    assert lead.lines[1].startswith("Shown for Surrey Police: ")
    assert "   - Police data on missing children #cse (@pol)" in lead.lines
    assert len(agenda_items(board)) == 2


def test_apologies_thanks_and_questions_in_the_agenda_thread_are_not_items(
    say: Say, board: sessionmaker[Session], tick: Tick, sender: RecordingSender
) -> None:
    tick(2027, 1, 11, 9, 0)
    root = sender.of_kind("agenda")[0]

    def reply(who: str, text: str) -> list[str]:
        return say(who, text, thread_id=root.message_id, chatter=True).lines

    assert reply("pol", "Apologies from me, I cannot make Thursday") == [
        "Recorded: apologies from Police Lead (@pol) for QA&E sub-group, Thu 14 Jan 2027 10:00; "
        "listed under Apologies on the agenda and the summary."
    ]
    assert reply("pol", "Sorry - apologies again, I won't be there")[0].endswith("(already noted).")
    assert reply("bm", "Thanks!") == [] and reply("nhs", "👍") == [] and reply("cs", "Diolch") == []
    assert reply("bm", "Is it in the usual room?")[0].startswith("Recorded as a question, not an agenda item")
    assert agenda_items(board) == []
    assert reply("nhs", "Can we add the CSE dashboard?") != []
    assert [t for _, t, _ in agenda_items(board)] == ["Can we add the CSE dashboard?"]
    preview = say("ic", "/qa agenda").lines
    at = preview.index("1. Apologies")
    assert preview[at + 1 : at + 3] == [
        "   Police Lead (@pol)",
        "2. Minutes of the last meeting and matters arising",
    ]
    with board() as s:
        said = s.scalars(select(ThreadReply.interpretation).order_by(ThreadReply.id)).all()
    assert said == ["apology", "apology", "ack", "ack", "ack", "question", "agenda_item"]

    # "undo": the person's own last item, or their apologies, are taken back.
    assert reply("nhs", "undo") == ["“Can we add the CSE dashboard?” is no longer on the agenda."]
    assert agenda_items(board) == []
    assert reply("pol", "undo") == ["Your apologies for QA&E sub-group, Thu 14 Jan 2027 10:00 are withdrawn."]
    preview = say("ic", "/qa agenda").lines
    at = preview.index("1. Apologies")
    assert preview[at + 1].startswith("2. Minutes")
    assert reply("bm", "undo")[0].startswith("There is no agenda item or apology of yours in this thread")
