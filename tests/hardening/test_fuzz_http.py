"""Property test over the HTTP endpoints of the real web app: signed but malformed or odd
Slack requests (form bodies, events, interactions) and junk to every route. Never a 5xx,
never a half-written record."""

from __future__ import annotations

import json
from urllib.parse import urlencode

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hardening.conftest import Web, half_written

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
users = st.sampled_from(["U0QAOFF1", "U0POL001", "U0CSLD01", "UNOBODY01", "", "<@U0QAOFF1>"])
commands = st.sampled_from(["/action", "/finding", "/qa", "/s11", "/docs", "/nope", ""])
texts = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        ["add", "add x due 31/02/2027", "list all", "show A-1", "done A-1", "help", "launch 2027"]
    ),
)


@st.composite
def slash(draw: st.DrawFn) -> tuple[bytes, str]:
    form = {
        "user_id": draw(users),
        "command": draw(commands),
        "text": draw(texts),
        "channel_id": draw(st.sampled_from(["C0QAE01", "D0DIRECT1", "", "C0POL001"])),
        "team_id": "T0SSCB001",
    }
    if draw(st.booleans()):
        form["trigger_id"] = draw(st.text(min_size=1, max_size=20))
    if draw(st.booleans()):
        form["response_url"] = "http://127.0.0.1:9/response"
    return urlencode(form).encode(), "application/x-www-form-urlencoded"


@st.composite
def event(draw: st.DrawFn) -> tuple[bytes, str]:
    ev = draw(
        st.dictionaries(
            st.sampled_from(
                [
                    "type",
                    "user",
                    "text",
                    "ts",
                    "thread_ts",
                    "channel",
                    "subtype",
                    "bot_id",
                    "channel_type",
                    "item",
                    "reaction",
                    "tab",
                ]
            ),
            json_values,
            max_size=8,
        )
    )
    ev.setdefault(
        "type", draw(st.sampled_from(["message", "app_home_opened", "reaction_added", "app_mention", "x"]))
    )
    body = {
        "type": draw(st.sampled_from(["event_callback", "url_verification", "nonsense"])),
        "event": ev,
        "event_id": draw(st.text(max_size=12)),
        "team_id": "T0SSCB001",
        "challenge": "c",
    }
    return json.dumps(body).encode(), "application/json"


@st.composite
def interaction(draw: st.DrawFn) -> tuple[bytes, str]:
    """Slack-shaped interaction payloads (the right types, odd values)."""
    kind = draw(st.sampled_from(["block_actions", "view_submission", "message_action", "shortcut", "?"]))
    payload: dict[str, object] = {
        "type": kind,
        "user": {"id": draw(users)},
        "team": {"id": "T0SSCB001"},
        "trigger_id": draw(st.text(max_size=20)),
        "channel": {"id": draw(st.sampled_from(["C0QAE01", "D0DIRECT1", ""]))},
    }
    if kind == "block_actions":
        action_id = draw(
            st.sampled_from(
                ["qabot:action_done", "qabot:action_snooze", "qabot:action_reassign", "qabot:?", "other"]
            )
        )
        payload["actions"] = [
            {
                "action_id": action_id,
                "value": draw(texts),
                "type": "button",
                "block_id": "b",
                "action_ts": "1.2",
            }
        ]
        payload["container"] = {"type": "message", "message_ts": "1.2", "channel_id": "C0QAE01"}
        payload["message"] = {"ts": "1.2", "text": draw(texts)}
    elif kind == "view_submission":
        payload["view"] = {
            "id": draw(st.text(max_size=8)),
            "type": "modal",  # always there from Slack; Bolt fails without it (a signed one of the wrong shape is answered 400)
            "callback_id": draw(
                st.sampled_from(["qabot_add_action", "qabot_add_finding", "qabot_reassign", "?"])
            ),
            "private_metadata": draw(st.sampled_from(["", "{}", "not json", '{"channel": "C0QAE01"}'])),
            "state": {
                "values": draw(
                    st.dictionaries(
                        st.text(max_size=8),
                        st.dictionaries(
                            st.text(max_size=8),
                            st.fixed_dictionaries({"type": st.just("plain_text_input"), "value": texts}),
                            max_size=2,
                        ),
                        max_size=3,
                    )
                )
            },
        }
    else:
        payload["callback_id"] = draw(st.sampled_from(["log_as_action", "log_as_finding", "?"]))
        payload["message"] = {"ts": "1.2", "text": draw(texts), "user": draw(users)}
    return urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"


junk = st.binary(max_size=300).map(lambda b: (b, "application/octet-stream"))
requests = st.one_of(slash(), slash(), event(), interaction(), junk)


@settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(req=requests)
def test_signed_odd_requests_never_give_a_server_error(web: Web, req: tuple[bytes, str]) -> None:
    body, ctype = req
    resp = web.post_signed(body, ctype)
    assert resp.status_code < 500, (body[:200], resp.status_code, resp.text[:200])
    assert web.idle()
    assert half_written(web.rt.sessions) == []


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(["/slack/events", "/api/messages", "/healthz", "/", "/slack/events/../x"]),
    method=st.sampled_from(["GET", "POST", "PUT", "DELETE"]),
    body=st.binary(max_size=200),
)
def test_unsigned_junk_to_any_route_never_gives_a_server_error(
    web: Web, path: str, method: str, body: bytes
) -> None:
    resp = httpx.request(method, web.url + path, content=body, timeout=20)
    assert resp.status_code < 500, (method, path, resp.status_code)
    assert half_written(web.rt.sessions) == []


@pytest.mark.parametrize("signed", [True, False])
def test_a_payload_that_is_not_json_is_a_client_error(web: Web, signed: bool) -> None:
    body = b"payload=%7Bnot-json"
    if signed:
        resp = web.post_signed(body, "application/x-www-form-urlencoded")
    else:
        resp = httpx.post(
            f"{web.url}/slack/events",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            timeout=20,
        )
    assert resp.status_code in (400, 401)


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "block_actions", "actions": None},
        {"type": "view_submission", "user": {"id": "U0QAOFF1"}, "view": {"callback_id": "qabot_add_action"}},
    ],
)
def test_a_signed_payload_of_the_wrong_shape_is_a_client_error(web: Web, payload: dict[str, object]) -> None:
    body = urlencode({"payload": json.dumps(payload)}).encode()
    assert web.post_signed(body, "application/x-www-form-urlencoded").status_code == 400
