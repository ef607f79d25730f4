"""Shortcuts, modals, buttons and the App Home tab."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select

from store.models import Action, Finding
from tests.slack.conftest import QA_CHANNEL, Slack, fixture
from tests.slack.test_commands import blocks_text, count_actions


def submission(
    slack: Slack, view: dict[str, Any], values: dict[str, dict[str, Any]], user: str = "U0QAOFF1"
) -> Any:
    """Submit a modal the bot opened, as Slack would (the view's state holds the values)."""
    payload = fixture("view_submission")
    payload["user"]["id"] = user
    payload["view"].update(
        id=view["id"],
        callback_id=view["callback_id"],
        private_metadata=view["private_metadata"],
        blocks=view["blocks"],
        state={"values": {block: {"value": v} for block, v in values.items()}},
    )
    return slack.interaction(payload)


def text_input(v: str) -> dict[str, Any]:
    return {"type": "plain_text_input", "value": v}


def initial_text(view: dict[str, Any]) -> str:
    block = next(b for b in view["blocks"] if b["block_id"] == "text")
    return str(block["element"].get("initial_value", ""))


def test_log_as_action_opens_a_prefilled_modal_and_keeps_the_permalink(slack: Slack) -> None:
    shortcut = fixture("message_action")
    assert slack.interaction(shortcut).status_code == 200
    slack.idle()
    (view,) = slack.fake.views
    assert view["trigger_id"] == shortcut["trigger_id"]
    assert view["title"]["text"] == "Log an action"
    assert initial_text(view) == "Police to confirm @pol attends every strategy meeting & records it"

    resp = submission(
        slack,
        view,
        {
            "text": text_input(initial_text(view)),
            "owner": {"type": "users_select", "selected_user": "U0POL001"},
            "due": {"type": "datepicker", "selected_date": "2027-03-12"},
            "priority": {
                "type": "static_select",
                "selected_option": {
                    "value": "cp",
                    "text": {"type": "plain_text", "text": "Child Protection"},
                },
            },
            "agency": {"type": "static_select", "selected_option": None},
        },
    )
    assert resp.status_code == 200 and resp.text == ""  # the modal closes
    slack.idle()
    with slack.rt.sessions() as s:
        a = s.scalars(select(Action)).one()
        assert a.text == "Police to confirm @pol attends every strategy meeting & records it"
        assert a.owner is not None and a.owner.handle == "pol"
        assert a.due_date == date(2027, 3, 12) and a.priority == "Child Protection"
        assert a.source_url == slack.fake.permalink(QA_CHANNEL, shortcut["message"]["ts"])
    (post,) = slack.fake.posts(QA_CHANNEL)
    assert post["thread_ts"] == shortcut["message"]["ts"] and "Logged A-1" in blocks_text(post)


def test_a_modal_with_a_problem_shows_it_under_the_field_and_stores_nothing(slack: Slack) -> None:
    slack.interaction(fixture("message_action"))
    slack.idle()
    (view,) = slack.fake.views
    past = (date(2026, 11, 26) - timedelta(days=3)).isoformat()
    resp = submission(
        slack,
        view,
        {"text": text_input("Review the rota"), "due": {"type": "datepicker", "selected_date": past}},
    )
    assert resp.status_code == 200
    answer = resp.json()
    assert answer["response_action"] == "errors"
    assert "in the past" in answer["errors"]["due"]
    slack.idle()
    assert count_actions(slack) == 0 and slack.fake.posts() == []


def test_log_as_finding_and_slash_add_without_text_open_modals(slack: Slack) -> None:
    slack.interaction(fixture("message_action", callback_id="log_as_finding"))
    slack.idle()  # one at a time: the pool would otherwise open the two modals in either order
    slack.command("U0QAOFF1", "/action", "add")
    slack.idle()
    finding_view, action_view = slack.fake.views
    assert finding_view["callback_id"] == "qabot_add_finding"
    assert action_view["callback_id"] == "qabot_add_action"
    assert {b["block_id"] for b in action_view["blocks"]} == {"text", "owner", "due", "priority", "agency"}
    agency_block = next(b for b in action_view["blocks"] if b["block_id"] == "agency")
    assert "Surrey Police" in [o["value"] for o in agency_block["element"]["options"]]

    resp = submission(
        slack,
        finding_view,
        {
            "text": text_input(initial_text(finding_view)),
            "agency": {"type": "static_select", "selected_option": {"value": "Surrey Police"}},
            "rag": {"type": "static_select", "selected_option": {"value": "amber"}},
        },
    )
    assert resp.text == ""
    slack.idle()
    with slack.rt.sessions() as s:
        f = s.scalars(select(Finding)).one()
        assert (
            f.rag == "amber"
            and f.source_url is not None
            and f.source_url.startswith("https://sscb.slack.com/")
        )


def click(slack: Slack, user: str, post: dict[str, Any], label: str, *, ephemeral: bool = False) -> Any:
    """Click a button on a message the bot posted (its blocks as the fake recorded them)."""
    actions = next(b for b in post["blocks"] if b["type"] == "actions")
    button = next(e for e in actions["elements"] if e["text"]["text"] == label)
    payload = fixture("block_actions")
    payload["user"]["id"] = user
    payload["trigger_id"] = slack.trigger()
    payload["response_url"] = slack.fake.response_url(f"click-{payload['trigger_id']}")
    ts = post.get("ts") or "1790000999.000999"  # an ephemeral message's ts, as Slack gives it
    payload["message"].update(ts=ts, blocks=post["blocks"], text=post["text"])
    payload["container"].update(message_ts=ts, is_ephemeral=ephemeral)
    if ephemeral:
        del payload["message"]  # Slack sends no copy of an ephemeral message
    payload["actions"] = [
        dict(payload["actions"][0], action_id=button["action_id"], value=button["value"], text=button["text"])
    ]
    return slack.interaction(payload)


def test_buttons_done_snooze_and_reassign_change_the_action(slack: Slack) -> None:
    slack.command("U0QAOFF1", "/action", "add Review the rota <@U0POL001> due 12/03/2027")
    slack.idle()
    (logged,) = slack.fake.messages(QA_CHANNEL)

    click(slack, "U0POL001", logged, "Snooze a week")
    slack.idle()
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.due_date)).one() == date(2027, 3, 19)
    snoozed = slack.fake.posts(QA_CHANNEL)[-1]
    assert snoozed["thread_ts"] == logged["ts"] and "Snoozed A-1 to 19 Mar 2027" in blocks_text(snoozed)

    click(slack, "U0POL001", logged, "Reassign")
    slack.idle()
    view = slack.fake.views[-1]
    assert view["callback_id"] == "qabot_reassign" and view["title"]["text"] == "Reassign A-1"
    resp = submission(
        slack, view, {"owner": {"type": "users_select", "selected_user": "U0POL002"}}, user="U0POL001"
    )
    assert resp.text == ""
    slack.idle()
    with slack.rt.sessions() as s:
        a = s.scalars(select(Action)).one()
        assert a.owner is not None and a.owner.handle == "pol2"
    assert "Updated A-1" in blocks_text(slack.fake.posts(QA_CHANNEL)[-1])

    click(slack, "U0POL002", logged, "Done")
    slack.idle()
    with slack.rt.sessions() as s:
        assert s.scalars(select(Action.status)).one() == "done"
    closed = slack.fake.posts(QA_CHANNEL)[-1]
    assert closed["thread_ts"] == logged["ts"] and "Closed A-1" in blocks_text(closed)

    # A board member who may not close it is told why, privately.
    slack.command("U0QAOFF1", "/action", "add Another one <@U0POL001>")
    slack.idle()
    second = slack.fake.messages(QA_CHANNEL)[-1]
    click(slack, "U0SCHL01", second, "Done")
    slack.idle()
    with slack.rt.sessions() as s:
        assert s.get(Action, 2).status == "open"  # type: ignore[union-attr]
    assert slack.fake.ephemerals("U0SCHL01")


def test_the_app_home_shows_my_actions_and_what_is_overdue(slack: Slack) -> None:
    slack.command("U0QAOFF1", "/action", "add Send the Police return <@U0POL001> due 30/11/2026")
    slack.command("U0QAOFF1", "/action", "add Update the escalation protocol <@U0QAOFF1>")
    slack.idle()
    slack.rt.clock.advance(timedelta(days=10))  # type: ignore[attr-defined]
    slack.event(fixture("event_app_home_opened"))
    slack.idle()
    view = slack.fake.published["U0POL001"]
    assert view["type"] == "home"
    shown = json.dumps(view["blocks"])
    assert "Open actions owned by you (1)" in shown and "Send the Police return" in shown
    assert "Overdue actions" in shown and "OVERDUE 6 days" in shown
    assert "Update the escalation protocol" not in shown.split("Overdue actions")[0]

    slack.event(fixture("event_app_home_opened", event={"user": "U0STRANGR"}, event_id="Ev0HOME00002"))
    slack.idle()
    assert "not on this board" in json.dumps(slack.fake.published["U0STRANGR"])


def test_a_modal_is_its_typed_request_so_the_text_is_kept_as_typed_and_errors_name_their_field(
    slack: Slack,
) -> None:
    slack.interaction(fixture("message_action"))
    slack.idle()
    (view,) = slack.fake.views
    typed = 'Check the "MASH" rota #cp — due soon, agency leads to sign off'
    unknown = submission(
        slack,
        view,
        {"text": text_input(typed), "owner": {"type": "users_select", "selected_user": "U0NOBODY"}},
    )
    assert unknown.json()["response_action"] == "errors"
    assert list(unknown.json()["errors"]) == ["owner"]  # the field the request named
    assert count_actions(slack) == 0

    resp = submission(slack, view, {"text": text_input(typed)})
    assert resp.status_code == 200 and resp.text == ""
    slack.idle()
    with slack.rt.sessions() as s:
        a = s.scalars(select(Action)).one()
        # Not re-typed as a command line: quotes, "#cp", "due" and "agency" are the person's words.
        assert a.text == typed and a.priority is None and a.due_date is None and a.agency is None


def test_a_form_is_submitted_without_a_slack_call_before_its_acknowledgement(slack: Slack) -> None:
    """The message's permalink is looked up when the form opens; submitting it calls Slack
    only after the acknowledgement (to show the confirmation), so a slow or failing Slack
    cannot make a saved action look like an error."""
    shortcut = fixture("message_action")
    slack.interaction(shortcut)
    slack.idle()
    (view,) = slack.fake.views
    assert len(slack.fake.calls_to("chat.getPermalink")) == 1
    before = len(slack.fake.calls)
    slack.fake.fail("chat.getPermalink", times=5)  # Slack in trouble from here on
    resp = submission(slack, view, {"text": text_input("Review the strategy meeting rota")})
    assert resp.status_code == 200 and resp.text == ""  # the modal closes
    slack.idle()
    after = [c.method for c in slack.fake.calls[before:]]
    assert after == ["chat.postMessage"], after  # only the confirmation, after the ack
    with slack.rt.sessions() as s:
        a = s.scalars(select(Action)).one()
        assert a.source_url == slack.fake.permalink(QA_CHANNEL, shortcut["message"]["ts"])


def test_someone_who_may_not_record_findings_is_told_so_instead_of_a_form(slack: Slack) -> None:
    slack.command("U0POL001", "/finding", "add")  # an agency lead
    slack.interaction(fixture("message_action", callback_id="log_as_finding", user={"id": "U0POL001"}))
    slack.idle()
    assert slack.fake.views == []
    told = [str(e.get("text")) for e in slack.fake.ephemerals("U0POL001")]
    assert len(told) == 2 and all("Agency leads cannot record findings" in t for t in told), told
