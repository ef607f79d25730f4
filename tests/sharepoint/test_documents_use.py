"""Using the synced documents: /docs search, link, recent; Section 11 evidence."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from commands.clock import FixedClock
from commands.types import Inbound, Reply
from store.models import AuditEvent, DocumentLink, OutboxMessage, S11Return
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import Sync, docx_bytes, open_s11_return, pdf_bytes, xlsx_bytes

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def say(sp_sessions: sessionmaker[Session], clock: FixedClock):  # type: ignore[no-untyped-def]
    core = BotCore(sessions=sp_sessions, clock=clock, platforms=("slack",))

    def _say(handle: str, line: str) -> Reply:
        return core.handle(Inbound(platform="console", user_id=handle, text=line))

    return _say


def test_docs_search_finds_words_inside_word_pdf_and_excel(graph: FakeGraph, sync: Sync, say) -> None:  # type: ignore[no-untyped-def]
    graph.add_file(
        "Audits/Case file audit.docx",
        docx_bytes("Findings", "Chronologies were missing in the Kestrel cases"),
    )
    graph.add_file("Audits/Panel summary.pdf", pdf_bytes("The panel noted strong Marigold practice"))
    graph.add_file(
        "Tracking/Actions tracker.xlsx",
        xlsx_bytes([["Ref", "Action"], ["A-1", "Refresh the Juniper toolkit"]]),
    )
    graph.add_file("Audits/Unrelated.docx", docx_bytes("Nothing to see"))
    assert sync().ok

    r = say("qa", "/docs search kestrel")
    assert r.ok and r.title == 'Documents matching "kestrel" (1)'
    assert (
        "Audits/Case file audit.docx" in r.text()
        and "Chronologies were missing in the Kestrel cases" in r.text()
    )

    r = say("qa", "/docs search marigold")
    assert "Audits/Panel summary.pdf" in r.text()
    r = say("bm", "/docs search juniper toolkit")
    assert "Tracking/Actions tracker.xlsx" in r.text()
    r = say("qa", "/docs search panel")  # a word in the name
    assert "Panel summary.pdf" in r.text() and "Case file audit" not in r.text()
    r = say("qa", "/docs search zebra")
    assert r.title == 'No documents match "zebra"'
    r = say("qa", "/docs search")
    assert not r.ok and "Say what to look for" in r.text() and "/docs search <words>" in r.text()


def test_docs_recent_and_link(graph: FakeGraph, sync: Sync, say, sp_sessions: sessionmaker[Session]) -> None:  # type: ignore[no-untyped-def]
    graph.add_file("Audits/Case file audit.docx", docx_bytes("Chronologies"))
    sync()
    recent = say("qa", "/docs recent")
    assert "Audits/Case file audit.docx" in recent.text()
    doc_id = recent.data["ids"][0]

    action = say("qa", "/action add Chase the chronology audit @pol due 12/03/2027")
    ref = action.data["ref"]
    r = say("qa", f"/docs link D-{doc_id} {ref}")
    assert r.ok and r.title == f"Linked D-{doc_id} to {ref}"
    again = say("qa", f"/docs link Case file audit.docx {ref}")
    assert again.title == f"D-{doc_id} was already linked to {ref}"
    r = say("qa", f"/docs link D-{doc_id} meeting 14/01/2027")
    assert r.ok and "QA&E sub-group" in (r.title or "")
    bad = say("qa", f"/docs link D-{doc_id} F-999")
    assert not bad.ok and "There is no finding F-999" in bad.text()
    nothing = say("qa", "/docs link D-9999 A-1")
    assert not nothing.ok and "no document D-9999" in nothing.text()
    lead = say("pol", f"/docs link D-{doc_id} {ref}")
    assert not lead.ok and "Agency leads cannot link documents" in lead.text()
    with sp_sessions() as s:
        links = {(x.target_type, x.document_id) for x in s.scalars(select(DocumentLink))}
        assert links == {("action", doc_id), ("meeting", doc_id)}
        assert (
            s.scalar(select(AuditEvent).where(AuditEvent.entity == "document", AuditEvent.verb == "linked"))
            is not None
        )


def test_file_in_agency_section11_folder_marks_return_and_tells_qa_in_thread(
    graph: FakeGraph, sync: Sync, say, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    return_id = open_s11_return(sp_sessions, "Surrey Police", 2027, clock.now())
    other = open_s11_return(sp_sessions, "Surrey Children's Services", 2027, clock.now())
    graph.add_folder("Section 11/2027/Surrey Police")
    sync()
    with sp_sessions() as s:
        assert s.get(S11Return, return_id).status == "not_started"  # an empty folder is not a document

    clock.advance(timedelta(minutes=15))
    item = graph.add_file(
        "Section 11/2027/Surrey Police/Police self-assessment.docx", docx_bytes("Standard 1: green")
    )
    report = sync()
    assert report.ok and report.received == ["Police self-assessment.docx"]
    with sp_sessions() as s:
        ret = s.get(S11Return, return_id)
        assert ret is not None and ret.status == "document_received"
        assert ret.document_received_at == clock.now()
        assert s.get(S11Return, other).status == "not_started"
        posts = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_document")))
        assert len(posts) == 1
        post = posts[0]
        assert post.key == f"s11doc:{item}:slack"
        assert post.channel == "C0POL001" and post.platform == "slack"
        assert post.thread_key == f"s11:{ret.cycle_id}:{ret.agency_id}:slack"
        assert (post.subject_type, post.subject_id) == ("s11_return", return_id)
        text = "\n".join(post.payload["lines"])
        assert "Police self-assessment.docx" in text and "@qa" in text
        assert s.scalar(
            select(AuditEvent).where(
                AuditEvent.entity == "s11_return", AuditEvent.verb == "document_received"
            )
        )

    # The file is edited later: no second post. A second file: its own post.
    graph.update_file(item, docx_bytes("Standard 1: amber"))
    graph.add_file(
        "Section 11/2027/Surrey Police/Evidence/Training log.xlsx", xlsx_bytes([["course", "2027"]])
    )
    sync()
    with sp_sessions() as s:
        posts = list(s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_document")))
        assert len(posts) == 2


def test_submitted_return_stays_submitted(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    return_id = open_s11_return(sp_sessions, "Surrey Police", 2027, clock.now())
    with sp_sessions() as s, s.begin():
        ret = s.get(S11Return, return_id)
        assert ret is not None
        ret.status, ret.submitted_at = "submitted", clock.now()
    graph.add_file("Section 11/2027/surrey police/Late evidence.pdf", pdf_bytes("late"))
    sync()
    with sp_sessions() as s:
        ret = s.get(S11Return, return_id)
        assert ret is not None and ret.status == "submitted" and ret.document_received_at == clock.now()


def test_agency_lead_does_not_see_other_agencies_section11_papers(
    graph: FakeGraph, sync: Sync, say, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:  # type: ignore[no-untyped-def]
    open_s11_return(sp_sessions, "Surrey Police", 2027, clock.now())
    open_s11_return(sp_sessions, "Surrey Health", 2027, clock.now())
    graph.add_file("Section 11/2027/Surrey Police/Police return.docx", docx_bytes("Osprey evidence"))
    graph.add_file("Section 11/2027/Surrey Health/Health return.docx", docx_bytes("Osprey evidence"))
    sync()
    assert "(2)" in (say("qa", "/docs search osprey").title or "")
    mine = say("pol", "/docs search osprey")
    assert "Police return.docx" in mine.text() and "Health return.docx" not in mine.text()
