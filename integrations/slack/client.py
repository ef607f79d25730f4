"""The Slack Web API client, with retries that never block for long, and Slack's errors in words.

slack_sdk's built-in retry handlers sleep between attempts; a rate-limit retry sleeps for
the whole Retry-After. A clock tick or a listener must not hang for minutes, so a 429 is
retried here only when Slack asks for a short wait; otherwise the SlackApiError reaches the
caller (the outbox keeps the post and tries again after Retry-After).
"""

from __future__ import annotations

import urllib.error
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

if TYPE_CHECKING:
    from integrations.slack.settings import SlackSettings

# Per HTTP call; with one retry of each kind a call blocks for well under half a minute.
TIMEOUT_SECONDS = 8
MAX_RATE_LIMIT_WAIT = 2.0


class ShortRateLimitRetry(RateLimitErrorRetryHandler):
    """Retry a 429 once, and only when Retry-After is short."""

    def __init__(self, max_wait: float = MAX_RATE_LIMIT_WAIT) -> None:
        super().__init__(max_retry_count=1)
        self.max_wait = max_wait

    def _can_retry(self, *, state: Any, request: Any, response: Any = None, error: Any = None) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return retry_after(response.headers) <= self.max_wait


def retry_after(headers: Any) -> float:
    """Seconds from a Retry-After header (slack_sdk gives header values as lists)."""
    if not headers:
        return 1.0
    for k, v in dict(headers).items():
        if str(k).lower() == "retry-after":
            value = v[0] if isinstance(v, list | tuple) else v
            try:
                return max(0.0, float(value))
            except (TypeError, ValueError):
                return 1.0
    return 1.0


def retry_handlers() -> list[RetryHandler]:
    """For calls that are safe to repeat (look-ups, joins: qabot doctor and membership)."""
    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=1),
        ShortRateLimitRetry(),
    ]


def posting_retry_handlers() -> list[RetryHandler]:
    """For every client that posts (the outbox's, and the listeners' answering a person): a
    429 is a clear "not taken, later", but a 5xx or a lost connection may come after Slack
    took the post; resending then, inside the SDK, before anyone can look for it, is how posts
    were doubled. Those reach the outbox (or integrations/slack/delivery.py) as "maybe sent"."""
    return [ShortRateLimitRetry()]


def make_web_client(
    settings: SlackSettings,
    *,
    timeout: int = TIMEOUT_SECONDS,
    handlers: list[RetryHandler] | None = None,
) -> WebClient:
    if settings.slack_bot_token is None:
        from commands.errors import ConfigError

        raise ConfigError("SLACK_BOT_TOKEN is not set")
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers() if handlers is None else handlers,
    )


def error_code(e: SlackApiError) -> str:
    """Slack's own name for what went wrong ("channel_not_found"), or "" when it gave none."""
    data = getattr(e.response, "data", None)
    if isinstance(data, dict):
        return str(data.get("error") or "")
    return ""


def why(e: Exception) -> str:
    """A failed Slack call in a few words, for logs and for telling a person (never a token)."""
    if isinstance(e, SlackApiError):
        return error_code(e) or f"HTTP {getattr(e.response, 'status_code', '?')}"
    if isinstance(e, urllib.error.HTTPError):  # the upload URL of files_upload_v2
        return f"HTTP {e.code}"
    if isinstance(e, SlackRequestError):
        return "the upload was refused"
    return type(e).__name__
