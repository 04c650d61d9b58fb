"""Glue between the apply flow and GitHub: the publisher for `bot apply`, and `status` / `close` rows."""

from __future__ import annotations

import math
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from jwt import PyJWTError
from requests import RequestException

from bot.campaign.model import Campaign, ChangeSet
from bot.errors import ConfigError, ForgeError
from bot.forge.api import Forge, LabelColors
from bot.forge.credentials import GitHubSettings, load_github_settings, no_credentials
from bot.forge.github import connect
from bot.forge.github_access import check_access
from bot.forge.pr_state import ChangeStatus, Closed, change_status, close_change
from bot.rollout import report
from bot.rollout.apply import FAILED, Publisher, Result
from bot.rollout.publish import Change, publish
from bot.workspace.checkout import Checkout

CHECK_TIMEOUT = 10.0  # seconds for the credentials check: a wrong or unreachable API fails fast


@dataclass(frozen=True)
class GitHub:
    settings: GitHubSettings
    forge: Forge


def connect_github(environ: Mapping[str, str], clone_url_template: str | None) -> GitHub:
    """Settings and client from the environment (GitHub Actions conventions); ConfigError when incomplete.

    BOT_GITHUB_REQUEST_INTERVAL / BOT_GITHUB_WRITE_INTERVAL pace requests (seconds, default 0.25 / 1.0,
    GitHub's advice against secondary rate limits); a local test server can use 0. One request checks
    the credentials and the API URL first, answered within BOT_GITHUB_CHECK_TIMEOUT seconds (default 10).
    """
    settings = load_github_settings(environ, clone_url_template=clone_url_template)
    if settings.auth is None:
        raise ConfigError([no_credentials(environ)])
    timeout = _interval(environ, "BOT_GITHUB_CHECK_TIMEOUT", CHECK_TIMEOUT) or CHECK_TIMEOUT
    try:
        check_access(settings, timeout=timeout)  # seconds, not a retry loop per change set
        forge = connect(
            settings,
            seconds_between_requests=_interval(environ, "BOT_GITHUB_REQUEST_INTERVAL", 0.25),
            seconds_between_writes=_interval(environ, "BOT_GITHUB_WRITE_INTERVAL", 1.0),
        )
        forge.push_token()  # a GitHub App's installation token is fetched here: bad keys fail now
    except (
        ForgeError,
        RequestException,
        PyJWTError,
        ValueError,
    ) as exc:  # GitHub's refusals arrive as ForgeError
        raise ConfigError([f"GitHub credentials: {type(exc).__name__}: {exc}"]) from None
    return GitHub(settings, forge)


def _interval(environ: Mapping[str, str], name: str, default: float) -> float | None:
    try:
        value = float(environ.get(name, default))
    except ValueError:
        value = math.nan
    if not 0 <= value < math.inf:
        raise ConfigError([f"{name}: expected seconds (0 or more), got {environ[name]!r}"])
    return value or None


def label_colors(campaign: Campaign) -> LabelColors:
    """settings.label_colors and default_label_color: for labels the bot has to create."""
    return LabelColors(
        campaign.settings.get("label_colors", {}),
        campaign.settings.get("default_label_color", "ededed"),
    )


def publisher(
    campaign: Campaign,
    github: GitHub,
    *,
    reopen: bool,
    gate_notes: dict[str, list[str]] | None = None,
) -> Publisher:
    """Commit, push and open or update the PR of each change set that passed its checks.
    `gate_notes`: per gate (gate:dev) the lines its PR bodies carry (passed, or skipped on purpose)."""
    colors = label_colors(campaign)
    one_at_a_time = threading.Lock()  # GitHub asks for serial writes; the client is shared

    def publish_result(checkout: Checkout, result: Result) -> Result:
        gates = [
            line
            for gate in campaign.gates_for(result.change)
            for line in (gate_notes or {}).get(gate, [])
        ]
        change = Change.for_change_set(result.change, report.pr_body(campaign, result, gates))
        with one_at_a_time:
            publication = publish(
                checkout.path,
                change,
                forge=github.forge,
                settings=github.settings,
                colors=colors,
                reopen=reopen,
            )
        result.status, result.pr_url, result.reason = (
            publication.status,
            publication.url or "",
            publication.detail,
        )
        result.warnings += list(publication.warnings)
        return result

    return publish_result


Row = TypeVar("Row")


def status_rows(
    github: GitHub, changes: list[ChangeSet]
) -> list[tuple[ChangeSet, ChangeStatus | str]]:
    """Each change set with its PR's status, or the error that kept it from being read."""
    return _each(github, changes, change_status)


def close_rows(github: GitHub, changes: list[ChangeSet]) -> list[tuple[ChangeSet, Closed | str]]:
    """Each change set with what closing did, or the error that stopped it."""
    return _each(github, changes, close_change)


def _each(
    github: GitHub, changes: list[ChangeSet], action: Callable[..., Row]
) -> list[tuple[ChangeSet, Row | str]]:
    rows: list[tuple[ChangeSet, Row | str]] = []
    for change in changes:
        row: Row | str
        try:
            row = action(
                github.forge,
                change.repo.full_name,
                change.branch,
                github.settings.identity,
                fork=change.repo.fork,
            )
        except Exception as exc:  # noqa: BLE001 - one unreadable repo must not hide the others
            row = f"{FAILED}: {exc}"
        rows.append((change, row))
    return rows
