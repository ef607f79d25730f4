"""A filled Section 11 workbook posted as a file in the agency's Teams thread, through the real
Agents SDK endpoint: Teams hands the bot the file's SharePoint address (a "reference"
attachment, tests/fixtures/teams/channel_reply_file.json), and the bot reads it through
Microsoft Graph (`/shares/u!…/driveItem`, then `/content`) with the real msgraph-sdk client
against the fake Graph on loopback. It is read like one saved in the agency's SharePoint
folder: a clean one stores every answer, names who posted it, and marks the return
submitted; a wrong cell stores nothing and names the sheet and cell; 403 and 404 are said;
without Graph set up the thread and the QA officer are told; a file that is not a workbook,
or a workbook in any other thread, is never fetched."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

from sqlalchemy import select

from bot.runtime import Runtime
from commands.types import Inbound
from integrations.teams.files import share_token
from store.models import Member, S11Return, S11Score, S11WorkbookImport
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.graph import FakeGraph
from tests.teams.conftest import GRAPH_SITE, MakeRuntime, Serve, Served, activity
from tests.workbooks.filling import filled

HEALTH = "19:health@thread.tacv2"
QA_CHANNEL = "19:abc@thread.tacv2"
NAME = "Section 11 2027 - Surrey Health.xlsx"
SITE = GRAPH_SITE


def _runtime(make_runtime: MakeRuntime, graph: FakeGraph | None) -> Runtime:
    if graph is None:
        return make_runtime(TEAMS_ALLOW_ANONYMOUS="true")
    return make_runtime(
        TEAMS_ALLOW_ANONYMOUS="true", SHAREPOINT_SITE=SITE, GRAPH_BASE_URL=graph.base_url, GRAPH_AUTH="none"
    )


def _health_thread(web: Served, connector: FakeBotConnector) -> str:
    """Launch a cycle from the chair's 1:1 chat: the id of the post starting Surrey Health's thread."""
    assert web.post(activity("install_team", connector.url)).status_code == 202
    launch = activity("personal_message", connector.url)
    launch["text"] = "s11 launch 2027 deadline 04/05/2027 panel 20/05/2027"
    assert web.post(launch).status_code == 202
    assert web.idle()
    (created,) = connector.channel_created(HEALTH)
    assert created.conversation_id is not None
    connector.requests.clear()
    return created.conversation_id.split(";messageid=")[1]


def _filled(rt: Runtime, wrong: dict[tuple[str, str], object] | None = None) -> bytes:
    """Surrey Health's own workbook (/s11 template), every question scored 2 with a link, as a
    person would in Excel; then any wrong cells."""
    reply = rt.core.handle(Inbound(platform="console", user_id="nhs", text="s11 template Surrey Health"))
    assert reply.ok, reply.lines
    return filled(Path(reply.files[0]).read_bytes(), wrong=wrong)


def _post(
    web: Served,
    connector: FakeBotConnector,
    root: str,
    url: str,
    name: str = NAME,
    message_id: str = "1764154800000",
) -> None:
    """The agency lead (Designated Nurse) replies in the thread with the file attached."""
    body = activity(
        "channel_reply_file", connector.url, ROOT_MESSAGE_ID=root, CONTENT_URL=url, FILE_NAME=name
    )
    body["id"] = message_id
    assert web.post(body).status_code == 202
    web.idle()


def _answers(connector: FakeBotConnector, root: str) -> list[str]:
    return [m.text for m in connector.messages() if m.conversation_id == f"{HEALTH};messageid={root}"]


def _health(rt: Runtime) -> tuple[S11Return, list[S11Score], int]:
    with rt.sessions() as s:
        ret = next(r for r in s.scalars(select(S11Return)) if r.agency.name == "Surrey Health")
        nurse = s.scalars(select(Member).where(Member.handle == "nhs")).one()
        scores = list(s.scalars(select(S11Score).where(S11Score.return_id == ret.id)))
        s.expunge_all()
        return ret, scores, nurse.id


def _share_requests(graph: FakeGraph) -> list[str]:
    """The shares API requests Graph received (the SDK sends "u!" as "u%21": the same path)."""
    return [unquote(p) for m, p in graph.requests if m == "GET" and "/shares/" in p]


def test_a_clean_workbook_is_read_through_graph_and_the_poster_named(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    item = graph.add_file(f"General/{NAME}", _filled(rt))
    url = graph.sharing_url(item)
    _post(web, connector, root, url)

    ret, scores, nurse = _health(rt)
    assert ret.status == "submitted" and ret.submitted_by_id == nurse
    assert len(scores) == 25 and {s.self_score for s in scores} == {2}
    assert {(s.source, s.self_by_id) for s in scores} == {("workbook", nurse)}
    [answer] = _answers(connector, root)
    assert f"Read {NAME} v1: 25 answers stored, return marked submitted" in answer
    assert "Answers recorded as by Designated Nurse (@nhs), who posted the workbook." in answer
    # Read through the shares API, by the sharing URL encoded as Graph's docs say.
    token = share_token(url)
    assert _share_requests(graph) == [
        f"/v1.0/shares/{token}/driveItem",
        f"/v1.0/shares/{token}/driveItem/content",
    ]

    # Posted again in another message: the same version is not read twice.
    _post(web, connector, root, url, message_id="1764154900000")
    with rt.sessions() as s:
        reads = s.scalars(select(S11WorkbookImport).where(S11WorkbookImport.outcome != "template"))
        assert [(r.file_name, r.version_no, r.outcome) for r in reads] == [(NAME, 1, "stored")]
    assert f"{NAME}: this version was read already" in _answers(connector, root)[-1]


def test_a_wrong_cell_is_named_and_nothing_is_stored(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    item = graph.add_file(f"General/{NAME}", _filled(rt, wrong={("5 ", "D5"): 4}))
    _post(web, connector, root, graph.sharing_url(item))

    ret, scores, _ = _health(rt)
    assert scores == [] and ret.status != "submitted"
    [answer] = _answers(connector, root)
    assert f"Read {NAME} v1: 1 error, so nothing from it was stored" in answer
    assert "Sheet '5 Training on safeguarding' cell D5: '4' is not on the scale 0–3" in answer
    assert "post the workbook again in this thread" in answer


def test_forbidden_and_missing_files_are_said(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    item = graph.add_file(f"General/{NAME}", _filled(rt))
    graph.forbidden.add(item)
    _post(web, connector, root, graph.sharing_url(item))
    [answer] = _answers(connector, root)
    assert f"{NAME} was not read: the bot may not open it (Microsoft Graph answered 403)" in answer
    assert "Nothing from it was stored." in answer
    told = [m.text for m in connector.channel_created(QA_CHANNEL)]
    assert any("Files.Read.All" in t and "Surrey Health" in t for t in told)
    assert _health(rt)[1] == []

    gone = "https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/General/deleted.xlsx"
    _post(web, connector, root, gone, name="deleted.xlsx", message_id="1764154900000")
    assert (
        "deleted.xlsx was not read: Microsoft Graph found no such file (404)" in _answers(connector, root)[-1]
    )


def test_without_graph_the_thread_and_the_qa_officer_are_told_and_the_reply_is_kept(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = _runtime(make_runtime, None)
    web = serve(rt)
    root = _health_thread(web, connector)
    url = "https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/General/return.xlsx"
    _post(web, connector, root, url, name="return.xlsx")

    [answer] = _answers(connector, root)
    assert "return.xlsx was not read: I can't read files from Teams here" in answer
    told = [m.text for m in connector.channel_created(QA_CHANNEL)]
    assert any("SHAREPOINT_SITE" in t and "Surrey Health" in t for t in told)
    ret, scores, _ = _health(rt)
    # The words are still the agency's answer ("submitted, our return attached"), as today.
    assert scores == [] and ret.status == "submitted" and ret.last_reply_text


def test_other_files_and_other_threads_are_never_fetched(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    doc = graph.add_file("General/policy.docx", b"not read")
    _post(web, connector, root, graph.sharing_url(doc), name="policy.docx")
    assert _share_requests(graph) == []
    ret, _, _ = _health(rt)
    assert ret.status == "submitted" and ret.evidence_url == graph.sharing_url(doc)  # kept as evidence

    # A workbook in a thread that is not a Section 11 return's: not downloaded, not read.
    item = graph.add_file(f"General/{NAME}", _filled(rt))
    _post(web, connector, "1764150000000", graph.sharing_url(item), message_id="1764154900000")
    assert _share_requests(graph) == []


def test_doctor_says_when_teams_cannot_read_posted_workbooks(graph: FakeGraph) -> None:
    from integrations.connector import OK, WARN
    from integrations.sharepoint.settings import SharePointSettings
    from integrations.teams.connector import NO_GRAPH, TeamsConnector
    from integrations.teams.settings import TeamsSettings

    teams = TeamsSettings(TEAMS_ALLOW_ANONYMOUS="true")
    graph_set = SharePointSettings(SHAREPOINT_SITE=SITE, GRAPH_BASE_URL=graph.base_url, GRAPH_AUTH="none")
    without = TeamsConnector(teams, conversations=None, bind_host="127.0.0.1")  # type: ignore[arg-type]
    found = without.health()
    assert found.status == WARN and NO_GRAPH in found.detail
    with_graph = TeamsConnector(teams, conversations=None, bind_host="127.0.0.1", sharepoint=graph_set)  # type: ignore[arg-type]
    assert NO_GRAPH not in with_graph.health().detail and with_graph.health().status in (OK, WARN)


def test_files_in_a_personal_chat_and_in_a_channel_are_taken_from_the_activity() -> None:
    """Both shapes Teams uses: "reference" (a channel or group chat, the fixture) and
    "application/vnd.microsoft.teams.file.download.info" (a 1:1 chat with the bot; its shape
    from msteams-docs bots-filesv4, "Message activity with file attachment example")."""
    from integrations.teams.inbound import to_inbound

    url = "https://contoso.sharepoint.com/sites/SSCB/Shared%20Documents/General/a.xlsx"
    channel = activity("channel_reply_file", "https://smba.trafficmanager.net/emea/", CONTENT_URL=url)
    channel["text"] = ""  # the file alone, no words
    found = to_inbound(channel)
    assert found is not None and found.thread_id == "ROOT_MESSAGE_ID"
    assert [(a.name, a.url) for a in found.attachments] == [("FILE_NAME", url)]
    personal = activity("personal_message", "https://smba.trafficmanager.net/emea/")
    mine = "https://contoso-my.sharepoint.com/personal/nurse_contoso_org/Documents/Applications/return.xlsx"
    personal["attachments"] = [
        {
            "contentType": "application/vnd.microsoft.teams.file.download.info",
            "contentUrl": mine,
            "name": "return.xlsx",
            "content": {"downloadUrl": "https://download.link", "uniqueId": "1150D938", "fileType": "xlsx"},
        }
    ]
    got = to_inbound(personal)
    assert got is not None and [a.url for a in got.attachments] == [mine]
