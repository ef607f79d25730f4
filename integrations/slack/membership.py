"""Is the bot in every channel it posts into? Join the public ones; say who must invite it to
the private ones.

With chat:write.public a post to a public channel succeeds without membership, but Slack then
never sends the bot the replies in that post's thread, so an agency's "submitted" would go
unheard. `qabot import` joins every configured public channel (conversations.join, scope
channels:join) and `qabot doctor` checks membership (conversations.info is_member, scopes
channels:read and groups:read). Shapes and errors: docs.slack.dev reference/methods/
conversations.join and conversations.info.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from integrations.slack.client import error_code, make_web_client

if TYPE_CHECKING:
    from integrations.slack.settings import SlackSettings

INVITE = "/invite @QA Bot"


@dataclass(frozen=True)
class ChannelProblem:
    label: str  # e.g. "Surrey Police's channel"
    channel: str
    problem: str

    def __str__(self) -> str:
        return f"{self.label} ({self.channel}): {self.problem}"


def is_channel(address: str) -> bool:
    """A channel id (public C…, private G…), not a person (U…/W…, reached by direct message)."""
    return address[:1] in ("C", "G")


def _words(code: str) -> str:
    return {
        "channel_not_found": f"not found: it was deleted, or it is private and the bot is not in it "
        f"(type {INVITE} in it)",
        "is_archived": "archived: unarchive it or give a new channel in the board file",
        "method_not_supported_for_channel_type": f"private: the bot cannot join it, someone must type "
        f"{INVITE} in it",
        "missing_scope": "the app lacks a scope (channels:join, channels:read, groups:read): "
        "reinstall it from integrations/slack/manifest.yml",
        "ratelimited": "Slack said to slow down: run it again in a minute",
    }.get(code, code or "no answer")


def join_all(settings: SlackSettings, channels: dict[str, str]) -> list[ChannelProblem]:
    """Join every public channel given (label -> id); the ones that could not be joined."""
    from slack_sdk.errors import SlackApiError

    client = make_web_client(settings)
    problems = []
    for label, channel in channels.items():
        if not is_channel(channel):
            continue
        try:
            client.conversations_join(channel=channel)
        except SlackApiError as e:
            problems.append(ChannelProblem(label, channel, _words(error_code(e))))
        except Exception as e:  # the network: say so, the import itself stands
            problems.append(
                ChannelProblem(label, channel, f"Slack could not be reached ({type(e).__name__})")
            )
    return problems


def check_all(settings: SlackSettings, channels: dict[str, str]) -> list[ChannelProblem]:
    """Every channel given (label -> id) that the bot is not a member of, with what to do."""
    from slack_sdk.errors import SlackApiError

    client = make_web_client(settings)
    problems = []
    for label, channel in channels.items():
        if not is_channel(channel):
            continue
        try:
            info = client.conversations_info(channel=channel)["channel"]
        except SlackApiError as e:
            problems.append(ChannelProblem(label, channel, _words(error_code(e))))
            continue
        except Exception as e:
            problems.append(
                ChannelProblem(label, channel, f"Slack could not be reached ({type(e).__name__})")
            )
            continue
        if info.get("is_archived"):
            problems.append(ChannelProblem(label, channel, _words("is_archived")))
        elif not info.get("is_member"):
            if info.get("is_private"):
                problems.append(
                    ChannelProblem(label, channel, f"private, and the bot is not in it: type {INVITE} in it")
                )
            else:
                problems.append(
                    ChannelProblem(
                        label,
                        channel,
                        "the bot is not a member (replies in its threads would go unheard): "
                        f"run `qabot import` again to join it, or type {INVITE} in it",
                    )
                )
    return problems
