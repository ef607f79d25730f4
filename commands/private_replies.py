"""Replies the visibility policy sent to a person's 1:1 chat (commands.policy.places): the
post is the answer to a command they typed elsewhere, so a reply under it is conversation."""

from __future__ import annotations

from commands.policy.places import PRIVATE_REPLY
from commands.registry import no_thread_reply

no_thread_reply(PRIVATE_REPLY, "an answer sent privately; a reply under it is conversation")
