"""Posts for the console: printed, with their thread, so a member can reply in it."""

from __future__ import annotations

import sys
from typing import TextIO

from commands.outbound import EditedPost, OutgoingPost, SentRef
from integrations.console.render import render


class ConsoleSender:
    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream

    def send(self, post: OutgoingPost) -> SentRef:
        out = self.stream or sys.stdout
        message_id = f"post-{post.outbox_id}"
        thread = f" (in the thread of {post.thread_id})" if post.thread_id else ""
        print(f"── {message_id} to {post.channel}{thread} ──", file=out)
        print(render(post.reply), file=out)
        print(f"   reply in this thread with: /reply {post.thread_id or message_id} <text>", file=out)
        out.flush()
        return SentRef(message_id=message_id, channel=post.channel)

    def find_sent(self, post: OutgoingPost) -> SentRef | None:
        return None  # printing cannot be looked up; a crash mid-print reprints

    def edit(self, post: EditedPost) -> None:
        """A printed post cannot be unprinted: its new text is printed, marked as the edit."""
        out = self.stream or sys.stdout
        print(f"── {post.message_id} edited (it now reads) ──", file=out)
        print(render(post.reply), file=out)
        out.flush()
