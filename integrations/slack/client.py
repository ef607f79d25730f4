"""The Slack Web API client, with retries that never block for long.

slack_sdk's built-in retry handlers sleep between attempts; a rate-limit retry sleeps for
the whole Retry-After. A clock tick or a listener must not hang for minutes, so a 429 is
retried here only when Slack asks for a short wait; otherwise the SlackApiError reaches the
caller (the outbox keeps the post and tries again after Retry-After).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

if TYPE_CHECKING:
    from bot.settings import Settings

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
    return [
        ConnectionErrorRetryHandler(max_retry_count=1),
        ServerErrorRetryHandler(max_retry_count=1),
        ShortRateLimitRetry(),
    ]


def make_web_client(settings: Settings, *, timeout: int = TIMEOUT_SECONDS) -> WebClient:
    if settings.slack_bot_token is None:
        from commands.errors import ConfigError

        raise ConfigError("SLACK_BOT_TOKEN is not set")
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=timeout,
        retry_handlers=retry_handlers(),
    )
