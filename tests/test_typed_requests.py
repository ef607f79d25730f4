"""Typed requests: the command line parsed into a request, or a form's values built into one,
give the same result; a field's problem names the field; leftover words keep their order.
Every command that takes a request is here (tests/test_registry.py lists those that do not)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from bot.core import BotCore
from bot.services import board_services
from commands import catalog, registry, router
from commands.actions.add import ActionAddRequest
from commands.actions.browse import ActionListRequest
from commands.actions.change import ActionUpdateRequest
from commands.board_file import Section11Settings
from commands.clock import FixedClock
from commands.context import Context
from commands.digest.command import QaDigestRequest
from commands.docs import DocsLinkRequest, DocsRecentRequest, DocsSearchRequest
from commands.docs_map import DocsMapRequest
from commands.errors import FieldError
from commands.findings import FindingAddRequest, FindingListRequest
from commands.grammar import clean
from commands.kpi.reading import KpiScorecardRequest, KpiSetRequest, KpiTrendRequest
from commands.papers.commands import AnnualReportRequest, PackRequest
from commands.qa import QaMeetingsRequest, QaStatusRequest
from commands.qa_outcomes import AgendaAddRequest, AgendaPreviewRequest, ReportRequest, SummaryRequest
from commands.reviews.commands import ReviewOpenRequest
from commands.reviews.lcspr import ReviewLcsprRequest
from commands.reviews.recommend import ReviewRecommendRequest
from commands.reviews.views import ReviewStatusRequest
from commands.section11.carried import S11ConfirmRequest
from commands.section11.challenge import S11ChallengeRequest
from commands.section11.commands import S11LaunchRequest, S11StatusRequest
from commands.section11.form import S11FormRequest
from commands.section11.letters import S11LettersRequest
from commands.section11.moderation import S11ModerateRequest
from commands.section11.ratings import S11PanelRequest, S11RateRequest
from commands.section11.scores import S11ScoreRequest
from commands.section11.workbook import S11ExportRequest, S11TemplateRequest
from commands.types import Inbound, Reply, mention_token
from store import documents as doc_store
from store import members
from store.db import make_engine, migrate, session_factory, transaction
from store.documents import ItemRecord
from store.models import Action, Finding
from store.models import Board as BoardRow
from tests.conftest import Say, load_board


def _action(board: sessionmaker[Session], ref: str) -> Action:
    with board() as s:
        a = s.scalars(select(Action).where(Action.id == int(ref.split("-")[1]))).one()
        _ = a.agency, a.owner
        return a


def _from_slack(core: BotCore, user: str, request: object) -> Reply:
    return core.handle_request(Inbound(platform="slack", user_id=user, text=""), request)  # type: ignore[arg-type]


def test_leftover_words_stay_in_the_order_they_were_typed(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/action add Check the files due 12/03/2027 for the agency Surrey Police team")
    assert r.ok, r.text()
    a = _action(board, r.data["ref"])
    assert a.text == "Check the files for the team"
    assert a.due_date == date(2027, 3, 12) and a.agency is not None and a.agency.name == "Surrey Police"


def test_finding_leftovers_keep_their_order_too(say: Say, board: sessionmaker[Session]) -> None:
    r = say("qa", "/finding add Referrals rag amber not acknowledged agency Surrey Police quickly")
    assert r.ok, r.text()
    with board() as s:
        f = s.scalars(select(Finding)).one()
        assert (f.text, f.rag) == ("Referrals not acknowledged quickly", "amber")


def test_the_registry_names_the_request_of_each_typed_command() -> None:
    assert registry.request_type("action", "add") is ActionAddRequest
    assert registry.request_type("action", "update") is ActionUpdateRequest
    assert registry.request_type("finding", "add") is FindingAddRequest
    assert registry.request_type("action", "list") is ActionListRequest
    assert registry.request_type("qa", "help") is None  # help is text only (see test_registry)


def test_a_request_built_from_a_form_stores_what_the_command_line_would(
    core: BotCore, say: Say, board: sessionmaker[Session]
) -> None:
    typed = say("qa", "/action add Review MASH referral audit @pol due 12/03/2027 #cp agency Surrey Police")
    form = registry.build_request(
        "action",
        "add",
        {
            "text": "Review MASH referral audit",
            "owner": mention_token("slack", "U0POL001"),
            "due": "2027-03-12",
            "priority": "cp",
            "agency": "Surrey Police",
        },
    )
    built = _from_slack(core, "U0QAOFF1", form)
    assert built.ok and typed.ok, built.text()
    assert built.title == "Logged A-2" and built.lines == [typed.lines[0].replace("A-1", "A-2")]
    one, two = _action(board, "A-1"), _action(board, "A-2")
    assert (one.text, one.owner_id, one.agency_id, one.due_date, one.priority) == (
        two.text,
        two.owner_id,
        two.agency_id,
        two.due_date,
        two.priority,
    )
    assert two.source == "slack"


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"text": "Check the files", "priority": "urgent"}, "priority", "is not a business-plan priority"),
        ({"text": "Check the files", "due": "soon"}, "due", "date"),
        ({"text": "Check the files", "colour": "red"}, "colour", "Extra inputs"),
    ],
)
def test_a_form_value_that_cannot_be_read_names_its_field(
    values: dict[str, str], field: str, says: str
) -> None:
    with pytest.raises(FieldError) as caught:
        registry.build_request("action", "add", values)
    assert caught.value.field == field and says in caught.value.problem


@pytest.mark.parametrize(
    ("request_", "field", "says"),
    [
        (ActionAddRequest(text="Check the files", due=date(2020, 1, 1)), "due", "is in the past"),
        (
            ActionAddRequest(text="Check the files", agency="Atlantis"),
            "agency",
            'No agency matches "Atlantis"',
        ),
        (
            ActionAddRequest(text="Check the files", owner="nobody"),
            "owner",
            "There is no board member @nobody",
        ),
        (ActionAddRequest(text="Check the files", meeting=date(2027, 1, 15)), "meeting", "no meeting on"),
        (ActionAddRequest(text="  "), "text", "needs some text"),
        (ActionAddRequest(text="Child seen on 3 May, DOB 12/03/2015"), "text", "Nothing was saved"),
    ],
)
def test_a_problem_with_a_field_comes_back_naming_it(
    core: BotCore, board: sessionmaker[Session], request_: ActionAddRequest, field: str, says: str
) -> None:
    reply = _from_slack(core, "U0QAOFF1", request_)
    assert not reply.ok and reply.data == {"error": "usage", "field": field}
    assert says in reply.text(), reply.text()
    with board() as s:
        assert s.scalars(select(Action)).all() == []


def test_the_command_line_names_the_field_too(say: Say) -> None:
    r = say("qa", "/action add Check the files due 31/02/2027")
    assert not r.ok and r.data.get("field") == "due" and "February 2027 has 28 days" in r.text()
    assert say("qa", "/action add Check the files #cp #da").data.get("field") == "priority"


def test_typed_requests_are_checked_like_commands(core: BotCore, board: sessionmaker[Session]) -> None:
    lead = _from_slack(core, "U0POL001", FindingAddRequest(text="Referrals not acknowledged"))
    assert not lead.ok and lead.data.get("error") == "permission"
    assert "Agency leads cannot record findings" in lead.text()
    stranger = _from_slack(core, "U0NOBODY", FindingAddRequest(text="Referrals not acknowledged"))
    assert stranger.data.get("error") == "not_on_board"
    ok = _from_slack(core, "U0BMEM01", FindingAddRequest(text="Referrals not acknowledged", rag="AMBER"))
    assert ok.ok and "AMBER" in ok.text().upper()


def test_a_reassign_form_updates_the_owner(core: BotCore, say: Say, board: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Audit strategy meetings @pol").ok
    req = registry.build_request("action", "update", {"ref": "A-1", "owner": mention_token("slack", "U0BMEM01")})
    reply = _from_slack(core, "U0QAOFF1", req)
    assert reply.ok and reply.title == "Updated A-1", reply.text()
    owner = _action(board, "A-1").owner
    assert owner is not None and owner.handle == "bm"


def test_without_a_report_writer_the_report_command_says_so(
    board: sessionmaker[Session], clock: FixedClock
) -> None:
    core = BotCore(sessions=board, clock=clock)  # wired without services
    reply = core.handle(Inbound(platform="console", user_id="qa", text="/qa report 14/01/2027"))
    assert not reply.ok and reply.data.get("error") == "config"
    assert "no Board report writer configured" in reply.text() and "Traceback" not in reply.text()


def test_a_meeting_form_is_checked_like_the_command_line(core: BotCore, board: sessionmaker[Session]) -> None:
    def add(values: dict[str, str]) -> Reply:
        return _from_slack(core, "U0QAOFF1", registry.build_request("qa", "meeting", values))

    needs = add({"kind": "priority", "starts": "2027-02-11T10:00:00+00:00"})
    assert needs.data == {"error": "usage", "field": "priority"} and "needs its priority" in needs.text()
    past = add({"kind": "board", "starts": "2020-01-01T10:00:00+00:00"})
    assert past.data.get("field") == "starts" and "is in the past" in past.text()
    with pytest.raises(FieldError) as caught:
        registry.build_request(
            "qa", "meeting", {"kind": "fortnightly", "starts": "2027-02-11T10:00:00+00:00"}
        )
    assert caught.value.field == "kind"
    added = add({"kind": "panel", "starts": "2027-02-11T10:00:00+00:00", "priority": "cse"})
    assert added.ok and added.title == "Added the priority scrutiny panel: CSE scrutiny panel", added.text()


def test_the_meeting_command_line_names_its_fields(say: Say) -> None:
    assert say("qa", "/qa meeting add board 31/02/2027 10:00").data.get("field") == "starts"
    assert say("qa", "/qa meeting add fortnightly 11/02/2027 10:00").data.get("field") == "kind"


# ── every converted command: text → request, a bad value names its field, and the request
#    run directly answers exactly as the typed line does ──────────────────────────────────────

NOW = datetime(2026, 11, 26, 10, tzinfo=UTC)
STANDARD_1 = Section11Settings().standard_titles()[0]
LAUNCH_2027 = "/s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"


def _items(say: Say, sessions: sessionmaker[Session]) -> None:
    assert say("qa", "/action add Audit strategy meetings @pol due 12/03/2027 #cp agency Surrey Police").ok
    assert say("qa", "/finding add Referrals acknowledged late agency Surrey Police rag amber #cp").ok


def _document(say: Say, sessions: sessionmaker[Session]) -> None:
    record = ItemRecord(
        item_id="doc-1",
        parent_id="root",
        name="Neglect audit.docx",
        is_folder=False,
        modified_at=NOW,
        content_text="The neglect audit found gaps in supervision.",
    )
    with transaction(sessions) as s:
        doc_store.apply_items(s, [record], "root", NOW)


def _cycle(say: Say, sessions: sessionmaker[Session]) -> None:
    assert say("qa", LAUNCH_2027).ok


Prepare = Callable[[Say, sessionmaker[Session]], None]


def _nothing(say: Say, sessions: sessionmaker[Session]) -> None:
    return None


def _lcspr_review(say: Say, sessions: sessionmaker[Session]) -> None:
    assert say("qa", "/review open RR-2026-01 aware 20/11/2026 agencies Surrey Police").ok
    assert say("qa", "/review sent RR-2026-01 25/11/2026").ok
    assert say("qa", "/review panel RR-2026-01 lcspr 26/11/2026").ok


def _measures(say: Say, sessions: sessionmaker[Session]) -> None:
    """The test board again, with its performance measures (tests/fixtures/board_kpi.yaml)."""
    load_board(sessions, FixedClock(datetime(2026, 11, 26, 10, 0, tzinfo=UTC)), "board_kpi.yaml")


# (the command line, the request it parses into, (a bad line, the field it names) or None,
#  what the board needs first)
CASES: list[tuple[str, BaseModel, tuple[str, str] | None, Prepare]] = [
    (
        "/action list @pol agency Surrey Police #cp",
        ActionListRequest(owner="pol", agency="Surrey Police", priority="Child Protection"),
        ("/action list agency Atlantis", "agency"),
        _items,
    ),
    ("/action list closed mine", ActionListRequest(status="done", mine=True), ("/action list #urgent", "priority"), _items),
    (
        "/finding list amber agency Surrey Police #cp",
        FindingListRequest(rag="amber", agency="Surrey Police", priority="Child Protection"),
        ("/finding list #urgent", "priority"),
        _items,
    ),
    ("/qa status", QaStatusRequest(), None, _items),
    ("/qa digest", QaDigestRequest(), None, _items),
    ("/qa meetings", QaMeetingsRequest(), None, _nothing),
    (
        "/qa agenda 14/01/2027",
        AgendaPreviewRequest(meeting=date(2027, 1, 14)),
        ("/qa agenda 15/01/2027", "meeting"),
        _items,
    ),
    (
        "/qa agenda add Neglect strategy meeting 14/01/2027 refresh",
        AgendaAddRequest(text="Neglect strategy refresh", meeting=date(2027, 1, 14)),  # words kept in order
        ("/qa agenda add meeting 14/01/2027", "text"),
        _nothing,
    ),
    (
        "/qa summary 14/01/2027",
        SummaryRequest(meeting=date(2027, 1, 14)),
        ("/qa summary 14/01/2027 afternoon", "meeting"),
        _items,
    ),
    ("/qa report 14/01/2027", ReportRequest(meeting=date(2027, 1, 14)), ("/qa report 31/02/2027", "meeting"), _items),
    (
        "/qa pack inspection from 01/04/2026",
        PackRequest(since=date(2026, 4, 1)),
        ("/qa pack inspection from 31/02/2026", "since"),
        _items,
    ),
    ("/qa annual-report 2026-27", AnnualReportRequest(year=2026), ("/qa annual-report 2031", "year"), _items),
    (
        "/docs search neglect audit",
        DocsSearchRequest(words=["neglect", "audit"]),
        ("/docs search " + " ".join(["word"] * 11), "words"),
        _document,
    ),
    ("/docs recent", DocsRecentRequest(), None, _document),
    (
        "/docs link D-1 meeting 14/01/2027",
        DocsLinkRequest(document="D-1", meeting=date(2027, 1, 14)),
        ("/docs link D-9 A-1", "document"),
        _document,
    ),
    (
        '/docs map "Surrey Police - evidence" Surrey Police',
        DocsMapRequest(folder="Surrey Police - evidence", agency="Surrey Police"),
        ('/docs map "Evidence" Atlantis', "agency"),
        _nothing,
    ),
    (
        LAUNCH_2027,
        S11LaunchRequest(year=2027, deadline=date(2027, 5, 4), panel=date(2027, 5, 20)),
        ("/s11 launch 2027 deadline 04/05/2027 panel 01/05/2027", "panel"),
        _nothing,
    ),
    (
        "/s11 status 2027 statutory",
        S11StatusRequest(year=2027, cohort="statutory"),
        ("/s11 status 2027 private", "cohort"),
        _cycle,
    ),
    (
        "/s11 rate Surrey Police 1 amber",
        S11RateRequest(agency="Surrey Police", standard=STANDARD_1, rag="amber"),
        ("/s11 rate Surrey Police 99 amber", "standard"),
        _cycle,
    ),
    ("/s11 panel", S11PanelRequest(), ("/s11 panel 1999", "year"), _cycle),
    ("/s11 panel 2027 agenda", S11PanelRequest(year=2027, agenda=True), ("/s11 panel 27 agenda", "year"), _cycle),
    (
        "/s11 moderate Surrey Police 1.1 2 note Evidence thin",
        S11ModerateRequest(agency="Surrey Police", sub="1.1", score="2", note="Evidence thin"),
        ("/s11 moderate Surrey Police 1.9 2", "sub"),
        _cycle,
    ),
    (
        "/s11 challenge 2027 17/06/2027 slots 3 from 13:30 length 40",
        S11ChallengeRequest(year=2027, on=date(2027, 6, 17), slots=3, start=time(13, 30), length=40),
        ("/s11 challenge 2027 17/06/2027 slots 0", "slots"),
        _cycle,
    ),
    (
        "/s11 template Surrey Police",
        S11TemplateRequest(agency="Surrey Police"),
        ("/s11 template Atlantis", "agency"),
        _cycle,
    ),
    ("/s11 export 2027", S11ExportRequest(year=2027), ("/s11 export 1999", "year"), _cycle),
    (
        "/s11 score Surrey Police 1.1 2 evidence https://sp.example/a.docx note Minutes missing",
        S11ScoreRequest(
            agency="Surrey Police", sub="1.1", score=2, evidence="https://sp.example/a.docx", note="Minutes missing"
        ),
        ("/s11 score Surrey Police 9.9 2", "sub"),
        _cycle,
    ),
    (
        "/s11 score Surrey Police 1.1 1 action Minute safeguarding reports by 30/06/2027",
        S11ScoreRequest(
            agency="Surrey Police", sub="1.1", score=1, action="Minute safeguarding reports", deadline=date(2027, 6, 30)
        ),
        ("/s11 score Surrey Police 1.1 1 by 30/06/2027", "deadline"),
        _cycle,
    ),
    ("/s11 confirm Surrey Police all", S11ConfirmRequest(agency="Surrey Police"), ("/s11 confirm police 9.9", "sub"), _cycle),
    ("/s11 form Surrey Police 1.2", S11FormRequest(agency="Surrey Police", sub="1.2"), ("/s11 form police 9.9", "sub"), _cycle),
    (
        "/s11 letters 2027 Surrey Police",
        S11LettersRequest(year=2027, agency="Surrey Police"),
        ("/s11 letters 2027 Atlantis", "agency"),
        _cycle,
    ),
    (
        "/review open RR-2026-01 aware 20/11/2026 agencies Surrey Police, Surrey Health #cp",
        ReviewOpenRequest(
            code="RR-2026-01",
            aware=date(2026, 11, 20),
            agencies=("Surrey Police", "Surrey Health"),
            priority="Child Protection",
        ),
        ("/review open RR-2026-01 aware 20/11/2026 agencies Atlantis", "agencies"),
        _nothing,
    ),
    ("/review status", ReviewStatusRequest(), ("/review status RR-1", "code"), _nothing),
    (
        "/review lcspr RR-2026-01 terms due 20/12/2026",
        ReviewLcsprRequest(code="RR-2026-01", milestone="terms", verb="due", on=date(2026, 12, 20)),
        ("/review lcspr RR-2026-01 terms 20/12/2026", "verb"),
        _lcspr_review,
    ),
    (
        "/review recommend RR-2026-01 Audit strategy meetings owner @pol due 20/12/2026",
        ReviewRecommendRequest(code="RR-2026-01", text="Audit strategy meetings", owner="pol", due=date(2026, 12, 20)),
        ("/review recommend RR-2026-01 Audit strategy meetings due 20/12/2026", "owner"),
        _lcspr_review,
    ),
    (
        "/kpi set rereferrals Oct 2026 21.5% note After the audit",
        KpiSetRequest(measure="rereferrals", period="Oct 2026", value=21.5, note="After the audit"),
        ("/kpi set rereferrals Oct 2026 many", "value"),
        _measures,
    ),
    ("/kpi scorecard", KpiScorecardRequest(), ("/kpi scorecard all of them", "text"), _measures),
    ("/kpi trend Re-referrals", KpiTrendRequest(measure="rereferrals"), ("/kpi trend nothing", "measure"), _measures),
]


@dataclass
class Board:
    core: BotCore
    sessions: sessionmaker[Session]

    def say(self, handle: str, line: str) -> Reply:
        return self.core.handle(Inbound(platform="console", user_id=handle, text=line))


@pytest.fixture
def two_boards(tmp_path: Path, clock: FixedClock) -> Iterator[tuple[Board, Board]]:
    """Two fresh boards: one answers the typed line, the other the request (so a command that
    changes something answers both the first time)."""
    engines = [make_engine(f"sqlite:///{tmp_path / name}") for name in ("typed.db", "request.db")]
    boards = []
    for engine in engines:
        migrate(engine)
        sessions = session_factory(engine)
        load_board(sessions, clock)
        core = BotCore(sessions=sessions, clock=clock, platforms=("console",), services=board_services())
        boards.append(Board(core, sessions))
    yield boards[0], boards[1]
    for engine in engines:
        engine.dispose()


def _parsed(board: Board, clock: FixedClock, line: str) -> BaseModel:
    group, name, rest = router.split(clean(line))
    command = catalog.load().find(group or "", name or "")
    assert command is not None and command.parse is not None, line
    with board.sessions() as s:
        actor, found = members.by_handle(s, "qa"), s.get(BoardRow, 1)
        assert actor is not None and found is not None
        ctx = Context(
            session=s,
            clock=clock,
            board=found,
            actor=actor,
            inbound=Inbound(platform="console", user_id="qa", text=line),
        )
        return command.parse(ctx, rest)


def _shown(reply: Reply) -> tuple[object, ...]:
    """What the person sees (a report's file name carries a random suffix)."""
    text = re.sub(r"-[0-9a-f]{6}\.docx", ".docx", reply.text())
    return reply.ok, text, reply.fields, reply.buttons, reply.visibility


@pytest.mark.parametrize(("line", "expected", "bad", "prepare"), CASES, ids=[c[0] for c in CASES])
def test_each_command_reads_its_request_and_runs_it_as_typed(
    two_boards: tuple[Board, Board],
    clock: FixedClock,
    line: str,
    expected: BaseModel,
    bad: tuple[str, str] | None,
    prepare: Prepare,
) -> None:
    typed, direct = two_boards
    for board in two_boards:
        prepare(board.say, board.sessions)
    assert _parsed(typed, clock, line) == expected
    by_line = typed.say("qa", line)
    by_request = direct.core.handle_request(Inbound(platform="console", user_id="qa", text=""), expected)
    assert by_line.ok, by_line.text()
    assert _shown(by_request) == _shown(by_line)
    if bad is not None:
        bad_line, field = bad
        refused = typed.say("qa", bad_line)
        assert not refused.ok and refused.data.get("field") == field, (bad_line, refused.text())


@pytest.mark.parametrize(("line", "expected"), [c[:2] for c in CASES], ids=[c[0] for c in CASES])
def test_a_form_gives_the_same_request_and_a_field_it_does_not_take_is_named(
    line: str, expected: BaseModel
) -> None:
    group, name, _ = router.split(clean(line))
    assert group is not None and name is not None
    values = expected.model_dump(mode="json", exclude_defaults=True)
    assert registry.build_request(group, name, values) == expected
    with pytest.raises(FieldError) as caught:
        registry.build_request(group, name, values | {"colour": "red"})
    assert caught.value.field == "colour"


def test_form_values_are_read_as_the_command_line_reads_them() -> None:
    assert registry.build_request("docs", "search", {"words": 'neglect "case audit"'}) == DocsSearchRequest(
        words=["neglect", "case audit"]
    )
    assert registry.build_request("action", "list", {"status": "Closed", "priority": "#cp"}) == ActionListRequest(
        status="done", priority="Child Protection"
    )
    assert registry.build_request("s11", "status", {"year": "2027", "cohort": "Non statutory"}) == S11StatusRequest(
        year=2027, cohort="non-statutory"
    )
    for values, field in [
        ({"status": "someday"}, "status"),
        ({"year": "1999", "deadline": "2027-05-04"}, "year"),
        ({"year": "2027", "cohort": "private", "deadline": "2027-05-04"}, "cohort"),
        ({"year": "2027"}, "deadline"),
    ]:
        command = "list" if "status" in values else "launch"
        with pytest.raises(FieldError) as caught:
            registry.build_request("action" if command == "list" else "s11", command, values)
        assert caught.value.field == field, values


def test_a_request_problem_found_when_it_runs_names_its_field(core: BotCore) -> None:
    def run(request: BaseModel) -> Reply:
        return core.handle_request(Inbound(platform="console", user_id="qa", text=""), request)

    past = run(S11LaunchRequest(year=2026, deadline=date(2026, 1, 5)))
    assert past.data == {"error": "usage", "field": "deadline"} and "is not in the future" in past.text()
    assert run(S11StatusRequest(cohort="statutory")).data.get("field") == "year"
    assert run(DocsLinkRequest(document="D-1")).data.get("field") == "document"  # no such document
    assert run(AgendaAddRequest(text="Neglect", meeting=date(2027, 1, 15))).data.get("field") == "meeting"
    assert run(ActionListRequest(owner="nobody")).data.get("field") == "owner"
    assert run(DocsSearchRequest(words=[])).data.get("field") == "words"
