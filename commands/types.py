"""The neutral types every platform adapter translates to and from."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

Visibility = Literal["channel", "ephemeral"]

# A person picked on a chat platform, as an integration writes them into Inbound.text or
# after a button's command: `<@platform:address>`, the platform's name and the person's id
# there, e.g. `<@slack:U0POL001>` (a Slack user id) or `<@teams:0c1a…-…0001>` (an Entra
# object id). Commands resolve it through the addresses table; each integration translates
# its own mention syntax into it, so nothing in commands/ parses a platform's markup.
# On the console people type `@handle`, which needs no token.
_MENTION_TOKEN = re.compile(r"<@([a-z][a-z0-9_-]{0,15}):([^\s<>]{1,300})>")


def mention_token(platform: str, address: str) -> str:
    return f"<@{platform}:{address}>"


def mentioned(token: str) -> tuple[str, str] | None:
    """(platform, address) when the token is a mention token, else None."""
    m = _MENTION_TOKEN.fullmatch(token)
    return (m.group(1), m.group(2)) if m else None


# Why a platform could not hand over an attached file's bytes (the core words it):
# no_access (the app lacks the permission, e.g. Slack's files:read), gone (deleted or not
# found), too_big, not_workbook (not a kind the bot reads), not_configured (the bot has no way
# to fetch files on this platform here, e.g. Teams without Microsoft Graph), failed (anything else).
# Where the file is found only on the platform's copy of the message (a Teams channel reply):
# message_no_access (may not read the message), message_gone, not_on_message (the message does
# not list the file); such an attachment has no name of its own.
FileProblem = Literal[
    "no_access",
    "gone",
    "too_big",
    "not_workbook",
    "not_configured",
    "failed",
    "message_no_access",
    "message_gone",
    "not_on_message",
]


class Attachment(BaseModel):
    """A file a person attached to their message: its name and the platform's link to it.
    A platform that fetches the file itself (Slack, for a spreadsheet in a thread reply) also
    gives its bytes (`content`) or why it could not (`problem`), with the platform's file id
    and a `version` tag (e.g. upload time and size) so one version is read once."""

    name: str
    url: str
    file_id: str | None = None
    version: str | None = None
    content: bytes | None = Field(default=None, exclude=True, repr=False)
    problem: FileProblem | None = None


class Inbound(BaseModel):
    """One thing a person said to the bot, whatever the platform."""

    platform: str  # console | slack | teams
    user_id: str  # the platform's id for the person (Slack user id, Entra object id, console handle)
    text: str
    workspace: str | None = None
    channel: str | None = None
    thread_id: str | None = None  # set when the message is a reply in a thread
    # When the thread's root was posted, where the platform's ids tell (Teams: read from the
    # root id; used only beside other evidence, commands/unclear_threads.py).
    thread_root_time: datetime | None = None
    # Who posted the thread's root, where the platform says (Slack's parent_user_id); None
    # where it does not (Teams: the bot keeps the ids of people's top-level posts instead).
    thread_started_by: Literal["bot", "person"] | None = None
    message_id: str | None = None
    delivery_key: str | None = None  # platform-unique id of this delivery, for de-duplication
    source_url: str | None = None  # permalink of the message the item came from
    command: str | None = None  # when the platform already split off the command word (/action)
    # An ordinary channel message rather than something said to the bot: acted on only when
    # it is a reply in the thread of one of the bot's posts; otherwise ignored silently.
    chatter: bool = False
    # Said to the bot itself (an @mention of it, a direct message): when it starts with a
    # command word it runs that command, even in the thread of one of the bot's posts.
    addressed: bool = False
    attachments: list[Attachment] = Field(default_factory=list)
    # Not a new message: the person edited ("edited") or deleted ("deleted") the message
    # `message_id`; `text` is what it says now.
    change: Literal["edited", "deleted"] | None = None
    # Whether the platform can show a reply to this person only, where they typed (a Slack
    # ephemeral message). A Teams channel or group chat cannot: a reply the policy keeps from
    # the channel goes to the person's 1:1 chat instead (commands.policy.places).
    private_replies: bool = True

    def text_and_files(self) -> str:
        """The text followed by each attached file's link: a reader that takes the first link
        (e.g. as evidence) finds a typed one first, else the first file."""
        return " ".join([self.text, *(a.url for a in self.attachments)]).strip()


class Form(BaseModel):
    """What a button asks for before it runs, as the typed request it submits: the command
    (`group`, `name`, for commands.registry.build_request), the `values` it already knows
    (e.g. {"ref": "A-12"}) and the one field the person fills in (`asks`, e.g. "owner")."""

    group: str
    name: str
    values: dict[str, str] = Field(default_factory=dict)
    asks: str


class Button(BaseModel):
    """A button under a reply. Clicking it runs `command` as the person who clicked, so every
    platform handles every button the same way. A button with a `form` (Reassign) first asks
    for one value; a platform that can show the form (a Teams card) submits the form's typed
    request, one that cannot appends the value to `command` (`@handle` or a mention token,
    see mention_token)."""

    action: str  # action_done | action_snooze | action_reassign | s11_grant | s11_refuse | ...
    label: str
    command: str  # e.g. "action done A-12"
    style: Literal["primary", "danger"] | None = None
    form: Form | None = None


class Reply(BaseModel):
    """What the bot answers. Plain text only: each adapter escapes and formats it."""

    title: str | None = None
    lines: list[str] = Field(default_factory=list)
    fields: list[tuple[str, str]] = Field(default_factory=list)
    buttons: list[Button] = Field(default_factory=list)
    visibility: Visibility = "ephemeral"
    # The agencies a public reply is about, for where it may be posted (commands.policy.places):
    # none named is board-wide content, posted publicly only in the QA or a meeting's channel.
    about_agencies: list[int] = Field(default_factory=list)
    ok: bool = True
    # Files to attach (paths on this machine), e.g. the Board report .docx.
    files: list[str] = Field(default_factory=list)
    # Machine-readable facts for adapters and tests (e.g. {"ref": "A-12"}); never shown.
    data: dict[str, Any] = Field(default_factory=dict)

    def text(self) -> str:
        """The reply as plain text, used by the console and as a notification fallback."""
        out: list[str] = []
        if self.title:
            out.append(self.title)
        out.extend(f"{k}: {v}" for k, v in self.fields)
        out.extend(self.lines)
        return "\n".join(out)
