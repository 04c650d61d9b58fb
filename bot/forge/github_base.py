"""What every part of the PyGithub forge shares: its state, GitHub's error messages, and writes
that are never repeated blindly (after a failure that may have happened server-side, look first)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

import requests
from github import Auth, Github, GithubException
from github.PullRequest import PullRequest

from bot.errors import ConfigError, ForgeError
from bot.forge.api import PrInfo, RepoInfo
from bot.forge.credentials import AppAuth, GitHubSettings, TokenAuth, no_credentials

log = logging.getLogger("bot.forge.github")

T = TypeVar("T")


def build_auth(settings: GitHubSettings) -> Auth.Auth:
    """PyGithub's auth for a token or a GitHub App installation; ConfigError without credentials."""
    if isinstance(settings.auth, TokenAuth):
        return Auth.Token(settings.auth.token.reveal())
    if isinstance(settings.auth, AppAuth):
        app = Auth.AppAuth(settings.auth.app_id, settings.auth.private_key.reveal())
        return app.get_installation_auth(settings.auth.installation_id)
    raise ConfigError([no_credentials({})])


class ForgeBase:
    """The client, the auth and what one run has read (permissions spare futile writes)."""

    def __init__(
        self,
        client: Github,
        auth: Auth.Auth,
        *,
        write_attempts: int = 3,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._gh = client
        self._auth = auth
        self._write_attempts = write_attempts
        self._sleep = sleep
        self._repos: dict[str, RepoInfo] = {}  # as read by repository(), once per run
        self._forks: dict[str, RepoInfo] = {}  # upstream -> the token owner's fork, once found
        self._open: dict[str, dict[str, PrInfo]] = {}  # repo -> owner:branch -> its open PR
        self._pulls: dict[tuple[str, int], PullRequest] = {}  # (repo, number) -> PR read this run
        self._owner: str | None = None  # the token's login, once read
        self._labels: dict[str, set[str]] = {}  # repo -> its label names (lower case), once listed

    def _write(self, what: str, write: Callable[[], T], lookup: Callable[[], T | None]) -> T:
        """Run `write`; after a failure that may have happened server-side, look before trying again."""
        last: Exception | None = None
        for attempt in range(self._write_attempts):
            if attempt:
                self._sleep(2.0 ** (attempt - 1))
                found = lookup()
                if found is not None:
                    log.info("%s: done by an earlier attempt", what)
                    return found
            try:
                return write()
            except (GithubException, requests.RequestException) as e:
                if not transient(e):
                    raise ForgeError(f"cannot {what}: {describe(e)}") from None
                log.warning("cannot %s (attempt %d): %s", what, attempt + 1, describe(e))
                last = e
        raise ForgeError(f"cannot {what}: {describe(last)} (tried {self._write_attempts} times)")

    def _read(self, what: str, read: Callable[[], T]) -> T:
        """A read whose failure becomes a ForgeError naming what could not be read."""
        try:
            return read()
        except (GithubException, requests.RequestException) as e:
            raise ForgeError(f"cannot {what}: {describe(e)}") from None


def message(e: GithubException) -> str:
    data = e.data if isinstance(e.data, dict) else {}
    details = "; ".join(
        str(err.get("message") or err.get("code"))
        for err in data.get("errors") or []
        if isinstance(err, dict)
    )
    text = data.get("message") or (e.data if isinstance(e.data, str) else "") or "no message"
    return f"{e.status} {text}" + (f" ({details})" if details else "")


def describe(e: Exception | None) -> str:
    if isinstance(e, GithubException):
        return message(e)
    return f"{type(e).__name__}: {e}"


def transient(e: Exception) -> bool:
    """May the server have failed (or succeeded) without telling us? Then look, and try again."""
    if isinstance(e, GithubException):
        return e.status >= 500
    return isinstance(e, requests.RequestException)
