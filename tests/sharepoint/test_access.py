"""Who sees which document, as each member would: Section 11 evidence by its path, SharePoint's
own permissions, board-restricted folders; on SQLite and PostgreSQL, against the fake Graph."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from commands.clock import FixedClock
from store.models import Agency, Board, Document, S11Return
from tests.sharepoint.conftest import Library, docx_bytes

LAUNCH_2027 = "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"


def evidence(lib: Library) -> dict[str, str]:
    g = lib.graph
    return {
        "police": g.add_file(
            "Section 11/2027/Surrey Police/Police self-assessment.docx", docx_bytes("Kestrel police evidence")
        ),
        "health": g.add_file(
            "Section 11/2027/Surrey Health/Health return.docx", docx_bytes("Kestrel health evidence")
        ),
        "loose": g.add_file(
            "Section 11/2027/Surrey Police - evidence/Extra.docx", docx_bytes("Kestrel extra evidence")
        ),
        "minutes": g.add_file("Minutes/Board minutes.docx", docx_bytes("Kestrel minutes")),
    }


def test_section11_evidence_is_seen_by_its_agency_only_before_any_cycle(lib: Library) -> None:
    evidence(lib)
    assert lib.sync().ok
    assert lib.found("pol", "kestrel") == ["Board minutes.docx", "Police self-assessment.docx"]
    assert lib.found("nhs", "kestrel") == ["Board minutes.docx", "Health return.docx"]
    assert lib.found("bm", "kestrel") == ["Board minutes.docx"]  # members who are not leads: none
    assert lib.found("qa", "kestrel") == [
        "Board minutes.docx",
        "Extra.docx",
        "Health return.docx",
        "Police self-assessment.docx",
    ]
    # No snippet of another agency's text, by name or by text.
    police_reply = lib.say("pol", "/docs search kestrel evidence").text()
    assert "Police self-assessment" in police_reply and "health" not in police_reply.lower()
    assert "Health return" not in lib.say("pol", "/docs recent").text()
    health_id = next(i for i in lib.say("qa", "/docs search health").data["ids"])
    assert "There is no document" in lib.say("bm", f"/docs link D-{health_id} A-1").text()

    # The folder naming no agency: the QA officer is told once, even after another sync.
    told = lib.posts("s11_unmapped_folder")
    assert len(told) == 1 and '/docs map "Surrey Police - evidence"' in "\n".join(told[0].payload["lines"])
    lib.graph.add_file("Section 11/2027/Surrey Police - evidence/More.docx", docx_bytes("Kestrel more"))
    assert lib.sync().ok
    assert len(lib.posts("s11_unmapped_folder")) == 1

    # Only an officer maps it; then the police leads see it.
    refused = lib.say("pol", '/docs map "Surrey Police - evidence" Surrey Police')
    assert not refused.ok and "Only the chair or the QA officer" in refused.text()
    mapped = lib.say("qa", '/docs map "Surrey Police - evidence" Surrey Police')
    assert mapped.ok, mapped.text()
    assert "Extra.docx" in lib.found("pol2", "kestrel") and "More.docx" in lib.found("pol", "kestrel")
    assert "Extra.docx" not in lib.found("nhs", "kestrel")


def test_renamed_agency_folder_is_hidden_again_and_launch_marks_evidence_received(lib: Library) -> None:
    ids = evidence(lib)
    assert lib.sync().ok
    # A cycle launched after the files arrived: the evidence marks the return.
    assert lib.say("qa", LAUNCH_2027).ok
    with lib.sessions() as s:
        police = s.scalars(select(Agency).where(Agency.name == "Surrey Police")).one()
        ret = s.scalars(select(S11Return).where(S11Return.agency_id == police.id)).one()
        assert ret.status == "document_received"
    # The agency folder is renamed to something naming no agency: hidden from its leads too.
    folder = lib.graph.find("Section 11/2027/Surrey Police")
    assert folder is not None
    lib.graph.rename(folder.id, "Constabulary papers")
    assert lib.sync().ok
    assert lib.found("pol", "kestrel") == ["Board minutes.docx"]
    assert lib.found("nhs", "kestrel") == ["Board minutes.docx", "Health return.docx"]
    assert any(
        "Constabulary papers" in "\n".join(p.payload["lines"]) for p in lib.posts("s11_unmapped_folder")
    )
    with lib.sessions() as s:
        doc = s.scalars(select(Document).where(Document.drive_item_id == ids["police"])).one()
        assert doc.access == "unmapped" and doc.s11_return_id is None


def test_sharepoint_unique_permissions_and_restricted_folders_are_names_only_for_officers(
    lib: Library,
) -> None:
    g = lib.graph
    review = g.add_folder("Case Reviews/CR-2027-04")
    g.add_file("Case Reviews/CR-2027-04/Merlin chronology.docx", docx_bytes("Merlin timeline of contacts"))
    own = g.add_file("Minutes/Merlin note.docx", docx_bytes("Merlin private note"))
    g.add_file("Minutes/Merlin agenda.docx", docx_bytes("Merlin open agenda"))
    g.add_file("Panel/Merlin panel notes.docx", docx_bytes("Merlin panel text"))
    g.set_unique(review)
    g.set_unique(own)
    with lib.sessions() as s:  # the board file restricts the panel's folder to the chair
        board = s.get_one(Board, 1)
        board.config = {
            **(board.config or {}),
            "sharepoint": {"restricted_folders": [{"path": "Panel", "roles": ["chair"]}]},
        }
        s.commit()
    assert lib.sync().ok
    # Only the roots of permission hierarchies (a `shared` facet under Prefer: hierarchicalsharing)
    # are asked for their permissions: the folder and the note, not the other files.
    assert g.count("/permissions") == 2
    for lead in ("pol", "bm", "nhs"):
        assert lib.found(lead, "merlin") == ["Merlin agenda.docx"]
    # The officers find them by name, never by their text (which is not kept).
    assert lib.found("qa", "merlin") == ["Merlin agenda.docx", "Merlin chronology.docx", "Merlin note.docx"]
    assert lib.found("qa", "timeline") == []
    assert lib.found("ic", "merlin") == [
        "Merlin agenda.docx",
        "Merlin chronology.docx",
        "Merlin note.docx",
        "Merlin panel notes.docx",
    ]
    assert "private note" not in lib.say("qa", "/docs search merlin note").text()
    with lib.sessions() as s:
        texts = {
            d.name: d.content_text for d in s.scalars(select(Document).where(Document.name.like("Merlin%")))
        }
    assert texts["Merlin chronology.docx"] in ("", None) and texts["Merlin note.docx"] in ("", None)
    assert "open agenda" in (texts["Merlin agenda.docx"] or "")


def test_snippets_are_redacted_by_the_guard(lib: Library) -> None:
    # The sync stores a file's text through the guard: the number is never kept...
    lib.graph.add_file("Minutes/Falcon.docx", docx_bytes("Falcon audit: NHS number 943 476 5919 was shared"))
    assert lib.sync().ok
    shown = lib.say("bm", "/docs search audit").text()
    assert "Falcon.docx" in shown and "[NHS number]" in shown and "5919" not in shown
    # ...and text stored before the guard read documents is redacted as its snippet is shown.
    with lib.sessions() as s, s.begin():
        doc = s.scalar(select(Document).where(Document.name == "Falcon.docx"))
        assert doc is not None
        doc.content_text = "Falcon audit: NHS number 943 476 5919 was shared"
    shown = lib.say("bm", "/docs search audit").text()
    assert "Falcon.docx" in shown and "[redacted]" in shown and "5919" not in shown


def test_stale_documents_say_as_of_the_last_good_sync(lib: Library, clock: FixedClock) -> None:
    lib.graph.add_file("Minutes/Osprey.docx", docx_bytes("Osprey"))
    assert lib.sync().ok
    assert "as of" not in lib.say("bm", "/docs recent").text()
    lib.graph.fail_next(503, 100, retry_after=1)
    clock.advance(timedelta(minutes=31))
    assert not lib.sync().ok
    assert "Documents as of 26 Nov 2026 10:00" in lib.say("bm", "/docs search osprey").text()
    agenda = lib.say("qa", "/qa agenda 14/01/2027")
    assert agenda.ok and "Documents as of 26 Nov 2026 10:00" in agenda.text(), agenda.text()


def test_a_folder_opened_up_in_sharepoint_is_read_at_the_next_sync(lib: Library) -> None:
    g = lib.graph
    folder = g.add_folder("Reviews")
    g.add_file("Reviews/Plover review.docx", docx_bytes("Plover findings"))
    g.set_unique(folder)
    assert lib.sync().ok
    assert lib.found("bm", "plover") == [] and lib.found("qa", "findings") == []
    g.set_unique(folder, False)  # inheritance restored: the folder shows up in the delta
    assert lib.sync().ok
    assert lib.found("bm", "plover") == ["Plover review.docx"]
    assert lib.sync().ok  # the text, dropped while restricted, is read again
    assert lib.found("bm", "findings") == ["Plover review.docx"]
