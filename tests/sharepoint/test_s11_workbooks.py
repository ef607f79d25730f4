"""A Section 11 workbook's round trip through the real SharePoint sync (the real
GraphServiceClient against the fake Graph, Graph's own payloads): /s11 template gives the
agency its workbook, the agency fills it in and saves it in its folder, the sync reads it —
a wrong cell stores nothing and the thread and /s11 status say which; the corrected copy
saved over it is read again and the return marked submitted; the same version never twice;
another agency's workbook, a file that is not a workbook, an ordinary spreadsheet."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from commands.types import Reply
from store.models import Member, S11Return, S11Score, S11WorkbookImport
from tests.sharepoint.conftest import Library, pdf_bytes, xlsx_bytes
from tests.workbooks.filling import filled

FOLDER = "Section 11/2027/Surrey Police"


def _launch(lib: Library) -> None:
    reply = lib.say("qa", "/s11 launch 2027 deadline 04/05/2027")
    assert reply.ok, reply.lines


def _template(lib: Library, who: str = "pol", agency: str = "Surrey Police") -> tuple[Reply, bytes]:
    reply = lib.say(who, f"/s11 template {agency}")
    assert reply.ok, reply.lines
    return reply, Path(reply.files[0]).read_bytes()


def _lines(lib: Library, kind: str = "s11_workbook") -> list[list[str]]:
    return [[p.payload.get("title", ""), *p.payload.get("lines", [])] for p in lib.posts(kind)]


def _police_return(lib: Library) -> S11Return:
    with lib.sessions() as s:
        return s.scalars(
            select(S11Return).join(S11Return.agency).where(S11Return.agency.has(name="Surrey Police"))
        ).one()


def _scores(lib: Library) -> list[S11Score]:
    with lib.sessions() as s:
        return list(s.scalars(select(S11Score)))


def test_a_wrong_cell_then_the_corrected_copy(lib: Library) -> None:
    _launch(lib)
    reply, blank = _template(lib)
    assert reply.lines[0].startswith(
        "Excel workbook: Section 11 2027 - Surrey Police.xlsx — one sheet per standard"
    )
    name = f"{FOLDER}/Section 11 2027 - Surrey Police.xlsx"
    item = lib.graph.add_file(name, filled(blank, wrong={("5 ", "D5"): 4, ("5 ", "H4"): "31/02/2027"}))
    lib.sync()
    [[title, *lines]] = _lines(lib)
    assert title == "Section 11 workbook not read — Surrey Police"
    assert (
        lines[0]
        == "Read Section 11 2027 - Surrey Police.xlsx v1: 2 errors, so nothing from it was stored and the return is unchanged."
    )
    assert lines[1] == "Sheet '5 Training on safeguarding' cell H4: '31/02/2027' is not a real date"
    assert lines[2] == "Sheet '5 Training on safeguarding' cell D5: '4' is not on the scale 0–3"
    assert _scores(lib) == [] and _police_return(lib).status == "document_received"
    status = lib.say("qa", "/s11 status 2027")
    assert any(
        line.startswith("Surrey Police — workbook Section 11 2027 - Surrey Police.xlsx v1 read")
        and "2 errors, nothing stored — Sheet '5 Training on safeguarding' cell H4" in line
        for line in status.lines
    )

    lib.graph.update_file(item, filled(blank))  # corrected, saved under the same name
    lib.sync()
    assert _lines(lib)[1][1:3] == [
        "Read Section 11 2027 - Surrey Police.xlsx v2: 25 answers stored, return marked submitted.",
        "No more reminders will be sent for it.",
    ]
    scores = _scores(lib)
    assert (
        len(scores) == 25
        and {s.self_score for s in scores} == {2}
        and {s.source for s in scores} == {"workbook"}
    )
    assert _police_return(lib).status == "submitted"
    status = lib.say("pol", "/s11 status 2027")
    assert any("v2 read" in line and line.endswith(": 25 answers stored") for line in status.lines)

    lib.sync()  # the same version is never read twice
    assert len(_lines(lib)) == 2
    with lib.sessions() as s:
        assert [(r.version_no, r.outcome) for r in s.scalars(select(S11WorkbookImport))] == [
            (1, "errors"),
            (2, "stored"),
        ]


def test_another_agencys_workbook_and_files_that_are_not_workbooks(lib: Library) -> None:
    _launch(lib)
    _, health = _template(lib, "nhs", "Surrey Health")
    lib.graph.add_file(f"{FOLDER}/health copy.xlsx", filled(health))
    lib.graph.add_file(f"{FOLDER}/return.xlsx", pdf_bytes("not a spreadsheet"))
    lib.graph.add_file(
        f"{FOLDER}/training tracker.xlsx", xlsx_bytes([["Name", "Course"], ["PC Smith", "Level 3"]])
    )
    lib.sync()
    said = {lines[1].split(":")[0]: lines[2] for lines in _lines(lib)}
    assert said["Read health copy.xlsx v1"] == (
        "This workbook is Surrey Health's, not Surrey Police's: nothing was read. "
        "Use Surrey Police's own workbook (/s11 template Surrey Police)."
    )
    assert said["Read return.xlsx v1"].startswith("The file is not an Excel workbook (.xlsx).")
    assert len(said) == 2  # the tracker is evidence ("document received"), not a failed return
    assert _scores(lib) == []


def test_the_template_saved_to_sharepoint_is_not_read_back(lib: Library) -> None:
    _launch(lib)
    reply, _ = _template(lib)
    saved = lib.connector.report_saver()(reply)
    assert saved.lines[-1].startswith(
        f"Saved to SharePoint ({FOLDER}/Section 11 2027 - Surrey Police.xlsx): https://"
    )
    lib.sync()
    assert _lines(lib) == [] and _lines(lib, "s11_document") == []
    item = lib.graph.find(f"{FOLDER}/Section 11 2027 - Surrey Police.xlsx")
    assert item is not None
    blank = item.content
    lib.graph.update_file(item.id, filled(blank, only="1 "))  # being filled in, in SharePoint
    lib.sync()
    assert _lines(lib)[0] == [
        "Section 11 workbook in progress — Surrey Police",
        "Read Section 11 2027 - Surrey Police.xlsx v2: 3 of 25 questions have a self-score; "
        "nothing is stored until every question has one.",
        "Still to score: 2.1, 2.2, 2.3, 3.1, 3.2, 3.3, 4.1, 4.2, 4.3, 5.1, 5.2, 5.3, 5.4, 6.1, 6.2, 6.3, "
        "7.1, 7.2, 7.3, 8.1 and 2 more.",
    ]
    status = lib.say("pol", "/s11 status 2027")
    assert any(
        line.endswith("v2 read 26 Nov 2026 10:00: in progress, 22 questions still to score, nothing stored")
        for line in status.lines
    ), status.lines
    lib.graph.update_file(item.id, filled(blank))
    lib.sync()
    assert _lines(lib)[1][1] == (
        "Read Section 11 2027 - Surrey Police.xlsx v3: 25 answers stored, return marked submitted."
    )


def test_the_answers_name_who_last_saved_the_file(lib: Library) -> None:
    """lastModifiedBy, as the sync keeps it: a board member's name is that member (who answered
    and submitted); another name is said; with none, the folder itself is named."""
    _launch(lib)
    _, blank = _template(lib)
    lib.graph.add_file(f"{FOLDER}/ours.xlsx", filled(blank), modified_by="Police Lead")
    lib.sync()
    assert (
        _lines(lib)[0][3] == "Answers recorded as by Police Lead, who last saved it in the SharePoint folder."
    )
    with lib.sessions() as s:
        lead = s.scalars(select(Member).where(Member.handle == "pol")).one().id
    assert {s.self_by_id for s in _scores(lib)} == {lead} and _police_return(lib).submitted_by_id == lead

    item = lib.graph.add_file(f"{FOLDER}/theirs.xlsx", filled(blank, score=1), modified_by="A Temp")
    lib.sync()
    assert _lines(lib)[1][2] == "Answers recorded as by A Temp, who last saved it in the SharePoint folder."
    assert {s.self_by_id for s in _scores(lib)} == {None}
    lib.graph.items[item].modified_by = ""  # SharePoint names no one
    lib.graph.update_file(item, filled(blank))
    lib.sync()
    assert _lines(lib)[2][2] == (
        "Answers recorded as from the SharePoint folder (SharePoint did not say who saved it)."
    )


def test_template_refused_to_another_agency(lib: Library) -> None:
    _launch(lib)
    reply = lib.say("nhs", "/s11 template Surrey Police")
    assert not reply.ok
    assert (
        reply.lines[0]
        == "Only Surrey Police's own people, the QA officer or the chair can have its workbook."
    )
