"""Files a reply carries (the Board report .docx) are uploaded to Slack with files_upload_v2."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import docx
import pytest

from commands.types import Reply
from tests.fakes.slack_api import FakeSlack
from tests.slack.conftest import QA_CHANNEL, Slack
from tests.slack.test_commands import blocks_text


def log_meeting_items(slack: Slack) -> None:
    """An action and a finding tied to the QA&E sub-group meeting of 14 Jan 2027."""
    slack.command(
        "U0QAOFF1", "/action", "add Audit the MASH referrals <@U0POL001> due 12/03/2027 meeting 14/01/2027"
    )
    slack.command(
        "U0QAOFF1", "/finding", "add Strategy meetings lack police input rag amber meeting 14/01/2027"
    )
    slack.idle()
    assert len(slack.fake.posts(QA_CHANNEL)) == 2  # both logged


def docx_text(data: bytes) -> tuple[str, list[list[str]]]:
    """The paragraphs and the first table's rows of a Word document."""
    document = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    rows = [[c.text for c in row.cells] for row in document.tables[0].rows] if document.tables else []
    return text, rows


def test_qa_report_uploads_the_word_document_in_the_confirmations_thread(slack: Slack) -> None:
    log_meeting_items(slack)
    resp = slack.command("U0QAOFF1", "/qa", "report 14/01/2027")
    assert resp.status_code == 200  # acknowledged (within 3 s: Slack.post checks) before the report is made
    slack.idle()

    confirmation = slack.fake.posts(QA_CHANNEL)[-1]
    assert "Board report: QA&E sub-group" in blocks_text(confirmation)
    assert "not attached" not in blocks_text(confirmation)
    ts = next(m["ts"] for m in slack.fake.messages(QA_CHANNEL) if m.get("text") == confirmation["text"])

    (upload,) = slack.fake.uploads()
    assert upload.channel == QA_CHANNEL and upload.thread_ts == ts
    assert upload.filename.endswith(".docx") and upload.filename.startswith(
        "board-report-subgroup-2027-01-14"
    )
    assert upload.data is not None and len(upload.data) == upload.length
    text, rows = docx_text(upload.data)
    assert "Report to the Board: QA&E sub-group" in text
    assert rows[0] == ["Ref", "Action", "Owner", "Agency", "Due", "Status"]
    assert rows[1][:2] == ["A-1", "Audit the MASH referrals"] and rows[1][4] == "12 Mar 2027"
    assert "F-1" in text  # the finding is in the outcome summary
    # Slack shows the file in the thread as a message from the bot.
    shared = [m for m in slack.fake.messages(QA_CHANNEL) if m.get("files")]
    assert [(m["thread_ts"], m["files"][0]["name"]) for m in shared] == [(ts, upload.filename)]
    assert slack.fake.ephemerals() == []
    # Uploaded: no copy is left in the bot's private reports directory.
    from commands import scratch

    assert not (scratch.private_dir("reports") / upload.filename).exists()


@pytest.mark.parametrize(
    ("method", "failure", "said"),
    [
        ("files.getUploadURLExternal", {"error": "file_uploads_disabled"}, "file_uploads_disabled"),
        (FakeSlack.UPLOAD, {"status": 500}, "HTTP 500"),
        ("files.completeUploadExternal", {"error": "not_in_channel"}, "not_in_channel"),
    ],
)
def test_a_failed_upload_is_told_to_the_person_and_nothing_crashes(
    slack: Slack, method: str, failure: dict[str, Any], said: str
) -> None:
    log_meeting_items(slack)
    slack.fake.fail(method, **failure)
    slack.command("U0QAOFF1", "/qa", "report 14/01/2027")
    slack.idle()
    assert slack.fake.uploads() == []
    assert "Board report: QA&E sub-group" in blocks_text(slack.fake.posts(QA_CHANNEL)[-1])
    (told,) = slack.fake.ephemerals("U0QAOFF1")
    assert told["channel"] == QA_CHANNEL and not told.get("thread_ts")  # where they typed it
    shown = blocks_text(told)
    assert "could not be attached" in shown and said in shown and ".docx" in shown

    # The bot carries on: the next report is uploaded.
    slack.command("U0QAOFF1", "/qa", "report 14/01/2027")
    slack.idle()
    assert len(slack.fake.uploads(QA_CHANNEL)) == 1


def test_a_file_that_cannot_be_uploaded_is_named_in_the_message(slack: Slack, tmp_path: Path) -> None:
    present = tmp_path / "minutes.docx"
    present.write_bytes(b"PK\x03\x04 not really a document")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    reply = Reply(
        title="Papers",
        files=[str(present), str(tmp_path / "gone.docx"), str(empty)],
        visibility="channel",
    )
    slack.adapter.delivery.show(reply, channel=QA_CHANNEL, user="U0QAOFF1")
    (post,) = slack.fake.posts(QA_CHANNEL)
    shown = blocks_text(post)
    assert "File not attached in Slack: gone.docx" in shown
    assert "File not attached in Slack: empty.docx" in shown
    assert "minutes.docx" not in shown
    (upload,) = slack.fake.uploads(QA_CHANNEL)
    assert upload.filename == "minutes.docx" and upload.data == present.read_bytes()


def test_a_private_reply_with_a_file_sends_it_to_the_persons_direct_messages(
    slack: Slack, tmp_path: Path
) -> None:
    path = tmp_path / "my-actions.docx"
    path.write_bytes(b"PK\x03\x04 private")
    slack.adapter.delivery.show(
        Reply(title="Your actions", files=[str(path)]), channel=QA_CHANNEL, user="U0QAOFF1"
    )
    assert slack.fake.posts() == [] and len(slack.fake.ephemerals("U0QAOFF1")) == 1
    (upload,) = slack.fake.uploads()
    assert upload.channel == "D0QAOFF1" and upload.thread_ts is None  # not the channel
    assert upload.initial_comment == "Your actions"


def test_a_chart_is_uploaded_with_its_text_alternative(slack: Slack, tmp_path: Path) -> None:
    """/s11 panel's grid (commands.charts): Slack gets its words for a screen reader as alt text."""
    path = tmp_path / "s11-grid-1.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n chart")
    alt = "Section 11 2027 (statutory). Surrey Police: no scores yet."
    slack.adapter.delivery.show(
        Reply(title="Panel", files=[str(path)], data={"alt_texts": {path.name: alt}}),
        channel=QA_CHANNEL,
        user="U0QAOFF1",
    )
    (upload,) = slack.fake.uploads()
    assert upload.filename == "s11-grid-1.png" and upload.alt_txt == alt
