"""A filled Section 11 workbook posted as a file in the agency's Slack thread (Slack's
file_share event, its published file object) is downloaded with the bot token from the fake
Slack and read like one saved in SharePoint: a clean one stores every answer and marks the
return submitted; a wrong cell stores nothing and names the cell; the same version posted
again is not read twice; without files:read the thread and the QA officer are told."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from commands.clock import FixedClock
from store.models import Member, S11Score, S11WorkbookImport
from tests.slack.conftest import QA_CHANNEL, TOKEN, Slack
from tests.slack.test_commands import blocks_text
from tests.slack.test_reading import POLICE, bot_replies_in, in_thread, police_return, police_thread
from tests.workbooks.filling import filled

FILE_ID = "F0S11POL1"
NAME = "surrey-police-s11-2027.xlsx"


def police_template(slack: Slack) -> bytes:
    """The Surrey Police workbook /s11 template gives (as the bot uploaded it to Slack)."""
    slack.command("U0POL001", "/s11", "template Surrey Police")
    slack.idle()
    upload = [u for u in slack.fake.uploads() if u.filename.endswith(".xlsx")][-1]
    assert upload.data
    return upload.data


def post_workbook(
    slack: Slack, root: str, data: bytes, *, text: str = "", event_id: str = "Ev0FILE00001"
) -> None:
    """The agency lead posts the workbook in the thread: Slack's file_share event."""
    payload: dict[str, Any] = in_thread("event_file_share", root)
    payload["event_id"] = event_id
    payload["event"]["text"] = text
    f = payload["event"]["files"][0]
    f["size"] = len(data)
    f["url_private_download"] = slack.fake.file_url(FILE_ID, NAME)
    slack.fake.share_file(FILE_ID, data)
    slack.event(payload)
    slack.idle()


def scores(slack: Slack) -> list[S11Score]:
    with slack.rt.sessions() as s:
        return list(s.scalars(select(S11Score)))


def test_a_clean_workbook_in_the_thread_is_stored_and_the_return_submitted(
    slack: Slack, clock: FixedClock
) -> None:
    root = police_thread(slack, clock)
    data = filled(police_template(slack))
    post_workbook(slack, root, data)

    ret = police_return(slack)
    assert ret.status == "submitted"
    stored = scores(slack)
    assert stored and all(s.self_score is not None for s in stored)
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert f"Read {NAME} v1: {len(stored)} answers stored, return marked submitted" in answer
    # The member who posted it (the event's user, the Police Lead) is who answered and submitted.
    assert "Answers recorded as by Police Lead (@pol), who posted the workbook." in answer
    with slack.rt.sessions() as s:
        lead = s.scalars(select(Member).where(Member.handle == "pol")).one().id
    assert ret.submitted_by_id == lead and {s.self_by_id for s in stored} == {lead}
    # Downloaded once, with the bot token as a bearer.
    assert slack.fake.downloads == [(FILE_ID, f"Bearer {TOKEN}")]

    # The same version posted again (a second message with the same file) is not read twice.
    post_workbook(slack, root, data, text="here it is again", event_id="Ev0FILE00002")
    with slack.rt.sessions() as s:
        assert len(list(s.scalars(select(S11WorkbookImport)))) == 1
    assert len(scores(slack)) == len(stored)
    again = bot_replies_in(slack, POLICE, root)[-1]
    assert f"{NAME}: this version was read already" in again


def test_a_wrong_cell_is_named_and_nothing_is_stored(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    post_workbook(slack, root, filled(police_template(slack), wrong={("5 ", "D5"): 4}), text="submitted")

    assert police_return(slack).status != "submitted"
    assert scores(slack) == []
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert f"Read {NAME} v1: 1 error, so nothing from it was stored" in answer
    assert "D5" in answer
    assert "post the workbook again in this thread" in answer


def test_without_files_read_the_thread_and_the_qa_officer_are_told(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    slack.fake.no_files_read = True
    post_workbook(slack, root, filled(police_template(slack)), text="our return")

    assert scores(slack) == []
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert "the bot cannot read files: the Slack app needs the files:read permission" in answer
    assert "ask the admin to reinstall" in answer
    told = [blocks_text(p) for p in slack.fake.posts(QA_CHANNEL)]
    assert any("files:read" in t and "Surrey Police" in t for t in told)


def test_a_deleted_file_is_said(slack: Slack, clock: FixedClock) -> None:
    root = police_thread(slack, clock)
    payload: dict[str, Any] = in_thread("event_file_share", root)
    payload["event"]["files"][0]["url_private_download"] = slack.fake.file_url("F0GONE001", NAME)
    slack.event(payload)
    slack.idle()
    (answer,) = bot_replies_in(slack, POLICE, root)
    assert f"{NAME} was not read: the file was deleted or cannot be found" in answer


def test_a_workbook_in_any_other_thread_is_never_downloaded(slack: Slack, clock: FixedClock) -> None:
    police_thread(slack, clock)
    other = "1764150000.000100"  # a conversation in the police channel the bot did not start
    post_workbook(slack, other, filled(police_template(slack)), text="our figures")
    assert slack.fake.downloads == []
    assert scores(slack) == []


def test_the_token_goes_only_to_slack_and_big_or_old_files_are_not_fetched() -> None:
    from integrations.slack.files import MAX_BYTES, download_url, fetch

    slack_api = "https://slack.com/api/"
    url = "https://files.slack.com/files-pri/T0SSCB001-F0S11POL1/download/a.xlsx"
    assert download_url(url, slack_api) == url
    assert download_url("https://evil.example/files-pri/x/download/a.xlsx", slack_api) is None
    assert download_url("http://files.slack.com/files-pri/x/a.xlsx", slack_api) is None  # never plain http
    big = {
        "id": "F1",
        "name": "a.xlsx",
        "filetype": "xlsx",
        "size": MAX_BYTES + 1,
        "url_private_download": url,
    }
    assert fetch(big, TOKEN, slack_api) == (None, "too_big")
    old = {"id": "F2", "name": "a.xls", "filetype": "xls", "size": 10, "url_private_download": url}
    assert fetch(old, TOKEN, slack_api) == (None, "not_workbook")
