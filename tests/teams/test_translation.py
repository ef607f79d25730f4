"""Activity JSON -> Inbound, and Reply -> Adaptive Card, on the Teams fixtures."""

from __future__ import annotations

from commands.types import Button, Reply
from integrations.teams import cards
from integrations.teams.inbound import card_command, reference, split_conversation, to_inbound
from tests.teams.conftest import activity

URL = "http://127.0.0.1:9/teams/"


def test_channel_mention_becomes_a_command_without_the_mention() -> None:
    inbound = to_inbound(activity("channel_mention", URL))
    assert inbound is not None
    assert inbound.platform == "teams"
    assert inbound.user_id == "0c1a0000-0000-4000-8000-000000000010"
    assert (
        inbound.text == "action add Audit the MASH referral backlog agency Surrey Health due 12/03/2027 #cp"
    )
    assert inbound.channel == "19:health@thread.tacv2"
    assert inbound.thread_id == "1764150000000"
    assert inbound.message_id == "1764151200123"
    assert inbound.delivery_key == "teams:19:health@thread.tacv2:1764151200123"
    assert inbound.chatter is False


def test_a_new_channel_post_is_not_a_thread_reply() -> None:
    data = activity("channel_mention", URL)
    data["conversation"]["id"] = f"19:health@thread.tacv2;messageid={data['id']}"
    inbound = to_inbound(data)
    assert inbound is not None and inbound.thread_id is None


def test_other_peoples_mentions_become_handles() -> None:
    data = activity("channel_mention", URL)
    data["text"] = "<at>QA Bot</at> action add Review the CSE audit <at>Police Lead</at> due 12/03/2027"
    data["entities"].append(
        {
            "type": "mention",
            "text": "<at>Police Lead</at>",
            "mentioned": {"id": "29:1pol", "name": "Police Lead"},
        }
    )
    inbound = to_inbound(data, {"Police Lead": "pol"})
    assert inbound is not None
    assert inbound.text == "action add Review the CSE audit @pol due 12/03/2027"


def test_channel_message_without_a_mention_is_chatter_and_a_personal_one_is_not() -> None:
    chatter = to_inbound(activity("channel_reply_no_mention", URL, ROOT_MESSAGE_ID="42"))
    assert chatter is not None and chatter.chatter is True and chatter.thread_id == "42"
    personal = to_inbound(activity("personal_message", URL))
    assert personal is not None and personal.chatter is False
    assert personal.text == "qa status" and personal.channel == "a:1personalChatWithTheChairQwErTy"


def test_card_actions_carry_their_command_split_from_the_group_word() -> None:
    submit = to_inbound(activity("card_submit", URL))
    assert submit is not None
    assert (submit.command, submit.text) == ("action", "done A-1")
    invoke = to_inbound(activity("card_invoke", URL))
    assert invoke is not None
    assert (invoke.command, invoke.text) == ("action", "snooze A-1")
    reassign = activity("card_submit", URL)
    reassign["value"] = {"qabot_command": "action update A-1 owner", "qabot_owner": "@pol"}
    assert card_command(reassign) == "action update A-1 owner @pol"


def test_install_reference_keeps_team_tenant_and_bot() -> None:
    ref = reference(activity("install_team", URL))
    assert ref["conversation"]["id"] == "19:team-general@thread.tacv2"
    assert ref["conversation"]["tenantId"] == "5e1f0000-0000-4000-8000-00000000aaaa"
    assert ref["teamId"] == "19:team-general@thread.tacv2"
    assert ref["serviceUrl"] == URL
    assert ref["bot"]["id"].startswith("28:")
    assert split_conversation("19:a@thread.tacv2;messageid=7") == ("19:a@thread.tacv2", "7")
    assert split_conversation("a:1xyz") == ("a:1xyz", None)


def test_reply_becomes_an_adaptive_card() -> None:
    reply = Reply(
        title="A-3",
        fields=[("Owner", "@pol"), ("Due", "12 Mar 2027")],
        lines=["Review the CSE audit"],
        buttons=[
            Button(action="action_done", label="Done", command="action done A-3", style="primary"),
            Button(action="action_reassign", label="Reassign", command="action update A-3 owner"),
        ],
    )
    card = cards.render(reply, people=[("pol", "Police Lead"), ("nhs", "Designated Nurse")])
    assert card["version"] == "1.5" and card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "A-3"
    assert card["body"][1] == {
        "type": "FactSet",
        "facts": [{"title": "Owner", "value": "@pol"}, {"title": "Due", "value": "12 Mar 2027"}],
    }
    assert card["body"][2]["text"] == "Review the CSE audit"
    done, reassign = card["actions"]
    assert done == {
        "type": "Action.Submit",
        "title": "Done",
        "data": {"qabot_command": "action done A-3"},
        "style": "positive",
    }
    assert reassign["type"] == "Action.ShowCard"
    [choice] = reassign["card"]["body"]
    assert choice["type"] == "Input.ChoiceSet" and choice["id"] == "qabot_owner"
    assert [c["value"] for c in choice["choices"]] == ["pol", "nhs"]
    assert reassign["card"]["actions"][0]["data"] == {"qabot_command": "action update A-3 owner"}
    # Without a member list the form asks for a handle.
    text_form = cards.render(reply)["actions"][1]["card"]["body"][0]
    assert text_form["type"] == "Input.Text"


def test_a_huge_reply_is_cut_to_fit_a_teams_message() -> None:
    reply = Reply(title="All actions", lines=[f"A-{i} · " + "x" * 200 for i in range(400)])
    card = cards.render(reply)
    import json

    assert len(json.dumps(card).encode()) <= cards.MAX_CARD_BYTES + 200
    assert "more line(s) not shown" in card["body"][-1]["text"]


def test_an_error_reply_is_marked() -> None:
    card = cards.render(Reply(title="That didn't work", lines=["Say what needs doing."], ok=False))
    assert card["body"][0]["color"] == "Attention"


def test_a_markdown_link_typed_by_a_member_is_shown_as_text_not_as_a_link() -> None:
    typed = "Evidence is on [the portal](https://portal.example.net/login) now"
    reply = Reply(title="[Click](https://a.example)", lines=[typed], fields=[("Title", "[x] (https://b.example)")])
    card = cards.render(reply)
    texts = [block["text"] for block in card["body"] if block["type"] == "TextBlock"]
    facts = [f["value"] for block in card["body"] if block["type"] == "FactSet" for f in block["facts"]]
    for shown in texts + facts:
        # Markdown makes a link only when "(" follows "]" (spaces aside): never so in a card.
        assert "](" not in shown.replace(" ", "")
    # What the member reads is what they typed (the separator is a zero-width space).
    assert texts[1].replace("\u200b", "") == typed
