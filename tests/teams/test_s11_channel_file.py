"""A filled Section 11 workbook posted in the agency's Teams channel thread, where the bot's
activity does not carry the file: only the message's HTML, with an `<attachment id>` tag
(tests/fixtures/teams/channel_reply_file_in_html.json). Through the real Agents SDK endpoint,
the bot finds the file on Graph's copy of the message (`GET /teams/{group}/channels/{channel}/
messages/{root}/replies/{reply}`, tests/fixtures/graph/channel_reply_message.json) and reads
it through the shares API, with the real msgraph-sdk client against the fake Graph. 403 (no
ChannelMessage.Read.*), 404, a tag Graph does not list and Graph not set up are said in the
thread (and the permission or settings to the QA channel); other threads are never looked up."""

from __future__ import annotations

from urllib.parse import unquote

import pytest
from sqlalchemy import select

from store.models import S11WorkbookImport
from tests.fakes.bot_connector import FakeBotConnector
from tests.fakes.graph import FakeGraph
from tests.teams.conftest import MakeRuntime, Serve, Served, activity
from tests.teams.test_s11_posted_workbook import (
    HEALTH,
    NAME,
    QA_CHANNEL,
    SITE,
    _answers,
    _filled,
    _health,
    _health_thread,
    _runtime,
)

GROUP = "7d8e0000-0000-4000-8000-00000000beef"  # the team's group id (channelData.team.aadGroupId)
FILE_ID = "5e32f195-168a-474f-a273-0000000000a1"
REPLY = "1764154800000"


def _post(
    web: Served,
    connector: FakeBotConnector,
    root: str,
    text: str = "",
    file_id: str = FILE_ID,
    html: str | None = None,
    reply: str = REPLY,
) -> None:
    """The agency lead replies in the thread with the file: the activity shows only its tag."""
    body = activity(
        "channel_reply_file_in_html", connector.url, ROOT_MESSAGE_ID=root, ATTACHMENT_ID=file_id, TEXT=text
    )
    if html is not None:
        body["attachments"][0]["content"] = html
    body["id"] = reply
    assert web.post(body).status_code == 202
    web.idle()


def _message_requests(graph: FakeGraph) -> list[str]:
    return [unquote(p) for m, p in graph.requests if m == "GET" and "/teams/" in p]


def _reply_path(root: str) -> str:
    return f"/v1.0/teams/{GROUP}/channels/{HEALTH}/messages/{root}/replies/{REPLY}"


def test_the_file_is_found_on_the_message_and_read(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    item = graph.add_file(f"General/{NAME}", _filled(rt))
    graph.add_channel_reply(GROUP, HEALTH, root, REPLY, [(FILE_ID, NAME, graph.sharing_url(item))])
    _post(web, connector, root)

    ret, scores, nurse = _health(rt)
    assert ret.status == "submitted" and ret.submitted_by_id == nurse
    assert len(scores) == 25 and {s.self_score for s in scores} == {2}
    [answer] = _answers(connector, root)
    assert f"Read {NAME} v1: 25 answers stored, return marked submitted" in answer
    assert _message_requests(graph) == [_reply_path(root)]
    assert any("/shares/" in p and p.endswith("/content") for _, p in graph.requests)


def test_a_reply_with_nothing_in_it_is_looked_up_too(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    """A file posted alone can reach the bot as an empty text/html attachment and no text
    (microsoft/botbuilder-dotnet#6710): any file on Graph's copy of the message is read."""
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    item = graph.add_file(f"General/{NAME}", _filled(rt))
    graph.add_channel_reply(GROUP, HEALTH, root, REPLY, [(FILE_ID, NAME, graph.sharing_url(item))])
    _post(web, connector, root, html="")

    assert len(_health(rt)[1]) == 25
    with rt.sessions() as s:
        reads = s.scalars(select(S11WorkbookImport).where(S11WorkbookImport.outcome != "template"))
        assert [(r.file_name, r.outcome) for r in reads] == [(NAME, "stored")]


def test_no_permission_to_read_the_message_is_said_with_the_permission_to_grant(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    graph.messages_forbidden = True
    _post(web, connector, root, text="submitted, our return attached")

    [answer] = _answers(connector, root)
    assert "The file on this message was not read: the bot may not read this channel message" in answer
    assert "(Microsoft Graph answered 403)" in answer and "Nothing from it was stored." in answer
    told = [m.text for m in connector.channel_created(QA_CHANNEL)]
    assert any(
        "ChannelMessage.Read.All" in t and "ChannelMessage.Read.Group" in t and "Surrey Health" in t
        for t in told
    )
    ret, scores, _ = _health(rt)
    assert scores == [] and ret.status == "submitted"  # the words are still the agency's answer
    assert not any("/shares/" in p for _, p in graph.requests)


def test_a_deleted_message_and_a_file_graph_does_not_list_are_said(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    root = _health_thread(web, connector)
    _post(web, connector, root)  # Graph has no such message
    [answer] = _answers(connector, root)
    assert "The file on this message was not read: Microsoft Graph found no such message (404)" in answer

    other = graph.add_file("General/other.xlsx", b"x")
    again = "1764154900000"
    graph.add_channel_reply(
        GROUP, HEALTH, root, again, [("another-id", "other.xlsx", graph.sharing_url(other))]
    )
    _post(web, connector, root, text="again", reply=again)
    assert "Microsoft Graph's copy of this message lists no such file" in _answers(connector, root)[-1]
    assert not any("/shares/" in p for _, p in graph.requests)
    assert _health(rt)[1] == []


def test_without_graph_the_thread_and_the_qa_officer_are_told(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector
) -> None:
    rt = _runtime(make_runtime, None)
    web = serve(rt)
    root = _health_thread(web, connector)
    _post(web, connector, root)
    [answer] = _answers(connector, root)
    assert "The file on this message was not read: I can't read files from Teams here" in answer
    told = [m.text for m in connector.channel_created(QA_CHANNEL)]
    assert any("SHAREPOINT_SITE" in t and "Surrey Health" in t for t in told)


def test_other_threads_are_never_looked_up(
    make_runtime: MakeRuntime, serve: Serve, connector: FakeBotConnector, graph: FakeGraph
) -> None:
    rt = _runtime(make_runtime, graph)
    web = serve(rt)
    _health_thread(web, connector)
    _post(web, connector, "1764150000000")  # a person's own thread in the agency's channel
    assert _message_requests(graph) == []
    assert _answers(connector, "1764150000000") == []

    # Said to the bot there (its mention and the file, no words): answered with help, as before.
    body = activity(
        "channel_reply_file_in_html",
        connector.url,
        ROOT_MESSAGE_ID="1764150000000",
        ATTACHMENT_ID=FILE_ID,
        TEXT="",
    )
    body["id"], body["text"] = "1764154900000", "<at>QA Bot</at>"
    bot = {"id": "28:00000000-0000-4000-8000-0000000b0700", "name": "QA Bot"}
    body["entities"].append({"mentioned": bot, "text": "<at>QA Bot</at>", "type": "mention"})
    assert web.post(body).status_code == 202
    web.idle()
    assert _message_requests(graph) == []
    [helped] = _answers(connector, "1764150000000")
    assert helped.startswith("QA Bot commands")


def test_which_channel_replies_need_the_lookup() -> None:
    from integrations.teams.channel_files import wanted
    from integrations.teams.inbound import to_inbound

    url = "https://smba.trafficmanager.net/emea/"
    tagged = activity(
        "channel_reply_file_in_html", url, ROOT_MESSAGE_ID="1764150000001", ATTACHMENT_ID="a1", TEXT=""
    )
    w = wanted(tagged)
    assert w is not None and (w.team_id, w.channel_id, w.root_id, w.reply_id, w.ids) == (
        GROUP,
        HEALTH,
        "1764150000001",
        REPLY,
        ("a1",),
    )
    found = to_inbound(tagged)  # kept, with no words, for the adapter to look up
    assert found is not None and found.text == "" and found.thread_id == "1764150000001"
    # The file on the activity itself (the reference attachment, tagged the same): no lookup.
    carried = activity(
        "channel_reply_file", url, ROOT_MESSAGE_ID="1764150000001", CONTENT_URL="https://x/a.xlsx"
    )
    assert wanted(carried) is None
    # Words and no tag: an ordinary reply.
    said = activity("channel_reply_file_in_html", url, ROOT_MESSAGE_ID="1", ATTACHMENT_ID="a1", TEXT="done")
    said["attachments"] = [{"contentType": "text/html", "content": "<p>done</p>"}]
    assert wanted(said) is None
    # A 1:1 chat carries its files itself.
    assert wanted(activity("personal_message", url)) is None


def test_doctor_says_when_graph_is_not_the_bots_own_app(
    graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The team's ChannelMessage.Read.Group consent is the bot's Entra app's: with Graph called
    as another app, `qabot doctor` names the permission that app needs. (The Bot Framework
    token check itself is stood in for: it is not what this test is about.)"""
    from integrations.connector import OK, WARN, Health
    from integrations.sharepoint.settings import SharePointSettings
    from integrations.teams import connector as teams_connector
    from integrations.teams.settings import TeamsSettings

    bot = "00000000-0000-4000-8000-0000000b0700"
    monkeypatch.setattr(teams_connector, "check_credentials", lambda s: Health(OK, "token ok."))
    teams = TeamsSettings(CONNECTIONS__SERVICE_CONNECTION__SETTINGS__CLIENTID=bot)

    def doctor(graph_app: str) -> Health:
        sp = SharePointSettings(
            SHAREPOINT_SITE=SITE, GRAPH_BASE_URL=graph.base_url, GRAPH_AUTH="none", AZURE_CLIENT_ID=graph_app
        )
        c = teams_connector.TeamsConnector(teams, conversations=None, bind_host="127.0.0.1", sharepoint=sp)  # type: ignore[arg-type]
        return c.health()

    other = doctor("00000000-0000-4000-8000-0000000000aa")
    assert other.status == WARN
    assert (
        "ChannelMessage.Read.All" in other.detail and "00000000-0000-4000-8000-0000000000aa" in other.detail
    )
    assert doctor(bot.upper()) == Health(OK, "token ok.")
