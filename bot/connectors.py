"""Every platform the bot knows, built from Settings, and the ports each is handed.

This is the one place that names the platforms: runtime (senders), web (mounts), scheduler
(the document sync), `qabot run` (start/stop) and `qabot doctor` loop over what it builds.
Building is cheap: no platform SDK is imported until a connector sends, mounts or starts.

To add a platform: give it a settings slice (a field of bot.settings.Settings), a Connector
(integrations/connector.py), and build it in `build_connectors`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, TextIO

from sqlalchemy.orm import Session, sessionmaker

from commands.clock import Clock
from commands.conversations import StoredConversations
from commands.document_library import StoredLibrary
from integrations.connector import Connector, DocumentSource, Lifecycle
from integrations.console.connector import ConsoleConnector
from integrations.sharepoint.connector import SharePointConnector
from integrations.slack.connector import SlackConnector
from integrations.teams.connector import TeamsConnector

if TYPE_CHECKING:
    from bot.settings import Settings


@dataclass
class Connectors:
    chat: list[Connector]  # in the order the board's posts are addressed
    documents: list[DocumentSource]
    console: ConsoleConnector  # also in `chat`; typed here for `qabot chat`

    def everything(self) -> Iterator[Lifecycle]:
        yield from self.chat
        yield from self.documents

    def enabled(self) -> Iterator[Lifecycle]:
        return (c for c in self.everything() if c.enabled)

    def named(self, name: str) -> Lifecycle:
        for c in self.everything():
            if c.name == name:
                return c
        raise KeyError(name)


def build_connectors(
    settings: Settings,
    sessions: sessionmaker[Session],
    clock: Clock,
    *,
    console_stream: TextIO | None = None,
) -> Connectors:
    platforms = settings.platforms
    console = ConsoleConnector(primary=platforms == ("console",))
    console.stream = console_stream
    chat: list[Connector] = [
        SlackConnector(settings.slack),
        TeamsConnector(
            settings.teams,
            StoredConversations(sessions, clock),
            bind_host=settings.host,
            sharepoint=settings.sharepoint,
        ),
        console,
    ]
    library = StoredLibrary(sessions, clock, platforms)
    documents: list[DocumentSource] = [SharePointConnector(settings.sharepoint, library, clock)]
    return Connectors(chat=chat, documents=documents, console=console)
