"""SharePoint file names, folder names, links and extracted text pass the safeguarding guard
before they are stored, linked to a return or posted (commands/document_guard.py). The files
come through the real msgraph-sdk against the Graph fake, as in test_documents_use.py."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from commands.clock import FixedClock
from store.models import AuditEvent, Document, OutboxMessage, S11Return
from tests.fakes.graph import FakeGraph
from tests.sharepoint.conftest import Sync, docx_bytes, open_s11_return

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

IDENTIFYING = "Jayden Smith DOB 04.05.2015 NHS 943 476 5919.docx"
SECRETS = ("Jayden", "Smith", "943 476 5919", "9434765919", "04.05.2015")


def everything_stored(s: Session) -> str:
    """Every stored document field, outbox payload and audit snapshot, as one text."""
    parts: list[str] = []
    for d in s.scalars(select(Document)):
        parts += [d.name, d.path, d.web_url or "", d.content_text or ""]
    for o in s.scalars(select(OutboxMessage)):
        parts.append(str(o.payload))
    for a in s.scalars(select(AuditEvent)):
        parts += [str(a.before), str(a.after)]
    return "\n".join(parts)


def test_an_identifying_file_name_is_withheld_and_the_qa_officer_told_with_an_anonymised_name(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    return_id = open_s11_return(sp_sessions, "Surrey Police", 2027, clock.now())
    graph.add_file(f"Section 11/2027/Surrey Police/{IDENTIFYING}", docx_bytes("Standard 1: green"))
    report = sync()
    assert report.ok
    with sp_sessions() as s:
        stored = everything_stored(s)
        assert not [x for x in SECRETS if x in stored], stored
        ret = s.get(S11Return, return_id)
        assert ret is not None and ret.status == "not_started" and ret.evidence_url is None
        doc = s.scalars(select(Document).where(Document.is_folder.is_(False))).one()
        assert doc.name == "Child J.S. [date of birth] NHS [NHS number].docx"
        assert doc.web_url is None and doc.s11_return_id is None
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "s11_document")).all() == []
        notice = s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "document_withheld")).one()
        text = "\n".join(notice.payload["lines"])
        assert "@qa" in text and "Child J.S." in text and "not linked to any return" in text


def test_a_folder_named_after_a_child_never_reaches_a_path_or_a_link(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    graph.add_file("Case files/Jayden Smith, 7/notes.docx", docx_bytes("Strategy discussion notes"))
    sync()
    with sp_sessions() as s:
        stored = everything_stored(s)
        assert "Jayden" not in stored and "Smith" not in stored, stored
        note = s.scalars(select(Document).where(Document.name == "notes.docx")).one()
        assert note.path == "Case files/Child J.S., 7/notes.docx"
        # (The fake's links are by item id; a real SharePoint webUrl spells the folder names,
        # and such a link is withheld: see test_a_link_that_spells_a_childs_name_is_dropped.)


def test_a_link_that_spells_a_childs_name_is_dropped() -> None:
    from commands.document_guard import screen
    from commands.guard import BoardVocabulary
    from store.documents import ItemRecord

    link = "https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/Case%20files/Jayden%20Smith%2C%207/notes.docx"
    kept, withheld = screen(
        [ItemRecord(item_id="1", parent_id=None, name="notes.docx", web_url=link)], BoardVocabulary.build()
    )
    assert kept[0].web_url is None and kept[0].name == "notes.docx" and withheld == {"1": ("name_with_age",)}


def test_identifying_text_inside_a_file_is_anonymised_before_it_is_indexed(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session]
) -> None:
    graph.add_file("Meetings/notes.docx", docx_bytes("Visit Jayden Smith at GU21 6AB about the referral"))
    sync()
    with sp_sessions() as s:
        doc = s.scalars(select(Document).where(Document.name == "notes.docx")).one()
        assert doc.content_text is not None and "Jayden" not in doc.content_text
        assert "[postcode]" in doc.content_text


def test_ordinary_board_file_names_pass_unchanged(
    graph: FakeGraph, sync: Sync, sp_sessions: sessionmaker[Session], clock: FixedClock
) -> None:
    return_id = open_s11_return(sp_sessions, "Surrey Police", 2027, clock.now())
    names = [
        "Police self-assessment 2027.docx",
        "S11 return v2 (final).docx",
        "Strategy_Discussions_audit_2016-17.docx",
    ]
    for name in names:
        graph.add_file(f"Section 11/2027/Surrey Police/{name}", docx_bytes("Standard 1: 43 of 50 cases"))
    sync()
    with sp_sessions() as s:
        stored = {d.name for d in s.scalars(select(Document))}
        assert set(names) <= stored
        assert s.scalars(select(OutboxMessage).where(OutboxMessage.kind == "document_withheld")).all() == []
        assert s.get(S11Return, return_id).status == "document_received"  # type: ignore[union-attr]
