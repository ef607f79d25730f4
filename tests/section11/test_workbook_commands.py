"""/s11 template and /s11 export as members type them: the file handed out (opened with
openpyxl, as the agency or the panel would), last cycle's answers pre-filled, who may have
which, and a workbook posted in the thread answered with where it is read."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.types import Attachment, Inbound
from store import s11_scores
from store.db import transaction
from store.models import Agency, S11Cycle, S11Return
from store.models import Board as BoardRow
from tests.conftest import Say
from tests.section11.conftest import RecordingSender, Tick

AT = datetime(2026, 11, 26, 10, 0, tzinfo=UTC)


def _return(board: sessionmaker[Session], year: int, agency: str = "Surrey Police") -> int:
    with board() as s:
        stmt = (
            select(S11Return.id)
            .join(S11Cycle, S11Return.cycle_id == S11Cycle.id)
            .join(Agency, S11Return.agency_id == Agency.id)
            .where(S11Cycle.year == year, Agency.name == agency)
        )
        found = s.scalar(stmt)
        assert found is not None
        return found


def test_template_prefilled_with_last_cycles_answers(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/s11 launch 2025 deadline 04/05/2027").ok
    with transaction(board) as s:
        answer = s11_scores.Answer("1.1", 2, evidence="Safeguarding policy 2025", agency_action="Review it")
        s11_scores.replace_answers(s, _return(board, 2025), [answer], "chat", None, AT)
        s.get_one(S11Cycle, 1).status = "closed"
    assert say("qa", "/s11 launch 2027 deadline 04/05/2027").ok
    reply = say("pol2", "/s11 template police")
    assert reply.ok, reply.text()
    assert reply.title == "Section 11 2027 (statutory) workbook: Surrey Police"
    assert reply.lines[1] == "Pre-filled with your 2025 answers (1 question): confirm, update or change them."
    wb = load_workbook(Path(reply.files[0]))
    ws = wb["1 Senior management commitment"]
    assert [ws[f"{c}4"].value for c in "ABDEG"] == ["1.1", "1.1", 2, "Safeguarding policy 2025", "Review it"]
    assert (
        ws["D5"].value is None
        and next(dv.formula1 for dv in ws.data_validations.dataValidation) == '"0,1,2,3"'
    )
    assert [wb["About"][f"B{r}"].value for r in (3, 4, 5)] == [
        "Surrey Safeguarding Children Board",
        "Surrey Police",
        "Section 11 2027 (statutory)",
    ]


def test_template_refusals(say: Say) -> None:
    assert say("qa", "/s11 template Surrey Police").lines == [
        "Surrey Police has no Section 11 return: it is not in a launched cycle.",
        "Usage:",
        "/s11 template <agency>",
    ]
    assert say("qa", "/s11 launch 2027 deadline 04/05/2027").ok
    other = say("nhs", "/s11 template Surrey Police")
    assert not other.ok and "Only Surrey Police's own people" in other.text()
    bad = say("qa", "/s11 template Surrey Police please")
    assert (
        not bad.ok
        and '"please" has no place after the agency.' in bad.text()
        and "/s11 template <agency>" in bad.text()
    )


def test_export_for_the_panel(say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/s11 launch 2027 deadline 04/05/2027").ok
    police = _return(board, 2027)
    with transaction(board) as s:
        s11_scores.save_self(s, police, "1.1", 3, by_id=None, at=AT, source="chat", evidence="https://x/p")
        s11_scores.save_moderated(s, police, "1.1", 1, note="Not evidenced", by_id=None, at=AT)
    reply = say("ic", "/s11 export 2027")
    assert reply.ok, reply.text()
    assert reply.lines == [
        "Excel workbook: Section 11 2027 statutory - panel.xlsx — 3 agencies × 25 questions; "
        "1 self-scored, 1 differing from the moderated score by a point or more."
    ]
    rows = list(load_workbook(Path(reply.files[0]))["Scores"].iter_rows(values_only=True))
    assert len(rows) == 1 + 3 * 25
    police_11 = next(r for r in rows if r[0] == "Surrey Police" and r[1] == "1.1")
    assert police_11[4:9] == (3, 1, 2, "https://x/p", "Not evidenced")
    assert {r[0] for r in rows[1:]} == {"Surrey Children's Services", "Surrey Health", "Surrey Police"}
    lead = say("pol", "/s11 export 2027")
    assert not lead.ok
    member = say("bm", "/s11 export 2027")
    assert member.lines == [
        "Only the chair, the QA officer or a member of the Section 11 panel can export the cycle."
    ]
    assert say("qa", "/s11 export").data.get("field") == "year"
    with transaction(board) as s:  # the board file names bm on the Section 11 panel
        found = s.get_one(BoardRow, 1)
        found.config = {**found.config, "section11": {**found.config.get("section11", {}), "panel": ["bm"]}}
    assert say("bm", "/s11 export 2027").ok


def test_a_workbook_posted_in_the_thread_is_told_where_it_is_read(
    say: Say, core: BotCore, tick: Tick, recorder: RecordingSender
) -> None:
    assert say("qa", "/s11 launch 2027 deadline 04/05/2027").ok
    tick("2026-11-26T10:01")
    launch = recorder.launch_of("Surrey Police")
    reply = core.handle(
        Inbound(
            platform="console",
            user_id="pol",
            text="our self-assessment is attached",
            channel=launch.channel,
            thread_id=launch.message_id,
            attachments=[
                Attachment(name="Section 11 2027 - Surrey Police.xlsx", url="https://files.example/F1")
            ],
        )
    )
    assert (
        "Section 11 2027 - Surrey Police.xlsx: a workbook posted here is not read. Save it in "
        "Section 11/2027/Surrey Police in SharePoint, where it is read, every cell checked, "
        "and the outcome posted in this thread."
    ) in reply.lines
