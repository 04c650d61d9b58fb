"""The credentials check before any work: one cheap authenticated request, no retries, a short timeout."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import TypeVar

import requests
from github import Auth, Github, GithubException

from bot.errors import ConfigError
from bot.forge.credentials import AppAuth, GitHubSettings, TokenAuth
from bot.forge.github_base import build_auth, message

T = TypeVar("T")

RATE = "/rate_limit"  # the cheapest authenticated request: it does not count against the limit


def check_access(settings: GitHubSettings, *, timeout: float) -> None:
    """One cheap authenticated request (GET /rate_limit; a GitHub App first gets its installation
    token), without retries: a wrong token, a wrong API URL or an unreachable server fails here
    within `timeout` seconds, before any clone, instead of after every change set's retries."""
    auth = build_auth(settings)
    client = Github(
        base_url=settings.api_url, auth=auth, retry=None, timeout=max(1, math.ceil(timeout)),
        seconds_between_requests=None, seconds_between_writes=None,
    )  # fmt: skip
    if isinstance(auth, Auth.AppInstallationAuth):
        _probe(settings, timeout, "GitHub App credentials", lambda: auth.token)
    who = "GITHUB_TOKEN" if isinstance(settings.auth, TokenAuth) else "GitHub App credentials"
    answer = _probe(
        settings, timeout, who, lambda: client.requester.requestJsonAndCheck("GET", RATE)
    )
    if not isinstance(answer[1], dict) or "resources" not in answer[1]:
        api = f"GITHUB_API_URL: {settings.api_url}"
        raise ConfigError([f"{api}: GET {RATE} did not answer like GitHub's REST API"])


def _probe(settings: GitHubSettings, timeout: float, who: str, request: Callable[[], T]) -> T:
    """`request`'s answer, or ConfigError naming what to fix: the credentials (401, 404 for an app's
    installation) or GITHUB_API_URL (anything else: not GitHub, down, unreachable, too slow)."""
    api = f"GITHUB_API_URL: {settings.api_url}"
    try:
        return request()
    except GithubException as e:
        if e.status == 401:
            problem = f"{who}: refused by {settings.api_url}: {message(e)}"
        elif e.status == 404 and who != "GITHUB_TOKEN":
            problem = f"{who}: no installation {_installation(settings)} of the app: {message(e)}"
        else:
            problem = f"{api}: answered {message(e)}; is this GitHub's REST API?"
    except requests.Timeout:
        problem = f"{api}: no answer within {timeout:g}s (BOT_GITHUB_CHECK_TIMEOUT)"
    except requests.RequestException as e:
        problem = f"{api}: cannot reach it: {_network_reason(e)}"
    raise ConfigError([problem])


def _installation(settings: GitHubSettings) -> str:
    return str(settings.auth.installation_id) if isinstance(settings.auth, AppAuth) else "?"


def _network_reason(e: requests.RequestException) -> str:
    """`Connection refused` out of urllib3's nested wrappers, else the exception's own words."""
    found = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(e))
    return found.group(1).strip() if found else f"{type(e).__name__}: {e}"
