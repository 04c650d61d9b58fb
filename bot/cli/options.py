"""What several commands share: exit codes, the campaign and workspace options, change-set selection."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from bot.campaign.model import Campaign, ChangeSet
from bot.errors import ConfigError

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _default_campaign() -> Path:
    if os.environ.get("BOT_CAMPAIGN"):
        return Path(os.environ["BOT_CAMPAIGN"])
    return Path.cwd() if (Path.cwd() / "recipes.yaml").is_file() else PROJECT_ROOT


def default_workspace() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "phase3-bot"


campaign_option = click.option(
    "--campaign", "campaign_dir", type=click.Path(file_okay=False, path_type=Path), default=_default_campaign,
    show_default="$BOT_CAMPAIGN, ./ if it has recipes.yaml, else the bot's checkout",
    help="Directory with recipes.yaml and recipes/.",
)  # fmt: skip


def selection_options(verb: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--service (repeatable), --all and --change: which change sets a command works on."""

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        command = click.option(
            "-c",
            "--change",
            "change_keys",
            multiple=True,
            help="Only these change sets, e.g. profiling-helm.",
        )(command)
        command = click.option(
            "--all", "all_services", is_flag=True, help="Every service of the campaign."
        )(command)
        return click.option(
            "-s", "--service", "services", multiple=True, help=f"Service to {verb} (repeatable)."
        )(command)

    return decorate


def select(
    campaign: Campaign, services: tuple[str, ...], all_services: bool, change_keys: tuple[str, ...]
) -> list[ChangeSet]:
    if bool(services) == all_services:
        raise click.UsageError("give --service NAME (repeatable) or --all")
    names = list(campaign.services) if all_services else list(dict.fromkeys(services))
    unknown = [name for name in names if name not in campaign.services]
    if unknown:
        known = ", ".join(campaign.services)
        raise ConfigError(
            [f"--service: unknown service {name!r} (known: {known})" for name in unknown]
        )
    changes = [c for c in campaign.change_sets(names) if not change_keys or c.key in change_keys]
    missing = set(change_keys) - {change.key for change in campaign.change_sets(names)}
    if missing:
        raise ConfigError(
            [f"--change: no change set {key!r} in {', '.join(names)}" for key in sorted(missing)]
        )
    return changes


def refuse_placeholders(changes: list[ChangeSet]) -> None:
    """Publishing needs real repositories: a placeholder entry names the key to set (exit 2)."""
    repos = {change.repo.key: change.repo for change in changes if change.repo.placeholder}
    if repos:
        raise ConfigError([
            f"recipes.yaml: repos.{key}: {repo.full_name} is a placeholder; set repos.{key}.repo to the "
            "real repository and remove `placeholder: true` before publishing (dry-runs work as they are)"
            for key, repo in sorted(repos.items())
        ])  # fmt: skip
