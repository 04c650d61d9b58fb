"""Pre-flight: what a command needs, checked before it clones, writes or publishes anything.

Every check names where its value came from (`--workspace`, `BOT_WORKSPACE`, `recipes.yaml: repos.x`,
...). Local checks (paths, campaign, templates) all run and report together; the network check of
the credentials runs only when they passed. Any problem is a ConfigError: exit 2, nothing cloned.

A new command builds a Preflight, calls the checks it needs (add one here when a new kind of input
appears: an environment name, an endpoint, a tracking repository), then `done()`:

    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    workspace = check.directory(workspace_dir, "workspace_dir")
    check.done()                      # exit 2 listing every problem so far
    github = check.github(template)   # one authenticated request, a few seconds at most

or, for one value, `campaign = check.ready(check.campaign(campaign_dir))`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import ParamSpec, TypeVar

import click
from click.core import ParameterSource

from bot import tracking
from bot.campaign.load import load_campaign
from bot.campaign.model import Campaign, ChangeSet
from bot.cli.options import select
from bot.errors import ConfigError
from bot.forge.urls import check_url_template, default_template_source, default_url_template
from bot.rollout import publisher
from bot.verify.endpoints import Endpoints, resolve
from bot.workspace.paths import absolute, appendable_file, remove_if_unused, writable_dir

P = ParamSpec("P")
T = TypeVar("T")

BUNDLE_SUMMARY = "summary.json"  # bot.rollout.report.write_bundle's files: patches/ and this


@dataclass
class Preflight:
    ctx: click.Context  # knows whether each option came from its flag, its variable or the default
    environ: Mapping[str, str]
    problems: list[str] = field(default_factory=list)
    created: list[Path] = field(default_factory=list)  # directories and files the checks made

    @classmethod
    def start(cls) -> Preflight:
        return cls(click.get_current_context(), os.environ)

    def setting(self, param: str) -> str:
        """The name a user set a value under: `--flag`, `ENV_VAR`, or `--flag (default)`."""
        option = next(p for p in self.ctx.command.params if p.name == param)
        flag = max(option.opts, key=len)
        source = self.ctx.get_parameter_source(param)
        if source is ParameterSource.ENVIRONMENT and isinstance(option, click.Option):
            return str(option.envvar)
        if source in (ParameterSource.DEFAULT, ParameterSource.DEFAULT_MAP):
            return f"{flag} (default)"
        return flag

    def check(self, run: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T | None:
        """`run`'s result, or None with its problems kept for done()."""
        try:
            return run(*args, **kwargs)
        except ConfigError as exc:
            self.problems += exc.problems
            return None

    def done(self) -> None:
        """Exit 2 listing every problem found, leaving nothing behind on disk."""
        if self.problems:
            remove_if_unused(self.created)
            raise ConfigError(self.problems)

    def ready(self, value: T | None) -> T:
        """done(), then a check's result (None only when that check found a problem)."""
        self.done()
        assert value is not None
        return value

    # -- the checks ----------------------------------------------------------------------------

    def campaign(self, campaign_dir: Path, param: str = "campaign_dir") -> Campaign | None:
        """The campaign, loaded and validated; a wrong directory says which directory was searched."""
        root, setting = absolute(campaign_dir), self.setting(param)
        if not root.is_dir():
            what = "is not a directory" if root.exists() else "does not exist"
            self.problems.append(f"{setting}: {root} {what} (expected the recipes.yaml directory)")
            return None
        if not (root / "recipes.yaml").exists() and not (root / "recipes.yaml").is_symlink():
            self.problems.append(f"{setting}: no recipes.yaml in {root}")
            return None
        return self.check(load_campaign, root)

    def selection(
        self, campaign: Campaign | None, services: tuple[str, ...], all_services: bool,
        change_keys: tuple[str, ...],
    ) -> list[ChangeSet] | None:  # fmt: skip
        """The change sets --service/--all and --change pick; unknown names are problems."""
        if campaign is None:
            return None
        return self.check(select, campaign, services, all_services, change_keys)

    def endpoints(
        self, campaign: Campaign | None, env_name: str, overrides: dict[str, str | None]
    ) -> Endpoints | None:
        """The stack of environment `env_name` (--env), with --*-url flags and BOT_*_URL variables."""
        if campaign is None:
            return None
        return self.check(resolve, campaign, env_name, overrides, dict(self.environ))

    def tracking_repo(self, campaign: Campaign | None, command: str) -> None:
        """Commands that write to the tracking issues need the real tracking_repo, not a placeholder."""
        if campaign is not None:
            self.check(tracking.refuse_placeholder, campaign, command)

    def directory(self, path: Path, param: str) -> Path | None:
        """An absolute directory the bot may write in, created when missing."""
        return self.check(writable_dir, path, self.setting(param), self.created)

    def chart_cache(self, path: Path | None, pull: bool, param: str = "chart_cache") -> Path | None:
        """The Helm chart cache: written to with --pull-charts, else only read (it may be missing)."""
        if path is None:
            return None
        if pull:
            return self.check(writable_dir, path, self.setting(param), self.created)
        target = absolute(path)
        if target.exists() and not target.is_dir():
            self.problems.append(f"{self.setting(param)}: {path} is not a directory")
        return target

    def output_dir(self, path: Path | None, param: str = "output_dir") -> Path | None:
        """The review bundle's directory with its patches/ directory; summary.json may be replaced."""
        if path is None:
            return None
        setting = self.setting(param)
        root = self.check(writable_dir, path, setting, self.created)
        patches = root and self.check(writable_dir, root / "patches", setting, self.created)
        if root is None or patches is None:
            return None
        if (root / BUNDLE_SUMMARY).is_dir():
            self.problems.append(f"{setting}: {root / BUNDLE_SUMMARY} is a directory")
            return None
        return root

    def step_summary(self) -> Path | None:
        """GitHub Actions' $GITHUB_STEP_SUMMARY, when set: a file the run's table is appended to."""
        value = self.environ.get("GITHUB_STEP_SUMMARY", "")
        if not value:
            return None
        return self.check(appendable_file, Path(value), "GITHUB_STEP_SUMMARY", self.created)

    def clone_template(self, value: str | None, param: str = "clone_url_template") -> str | None:
        """--clone-url-template, else its variables' rule; problems name the flag or variable used."""
        environ = dict(self.environ)
        source = self.setting(param) if value else default_template_source(environ)
        return self.check(check_url_template, value or default_url_template(environ), source)

    def github(self, clone_url_template: str | None) -> publisher.GitHub:
        """Credentials from the environment, proven by one request; call after done()."""
        self.done()
        try:
            return publisher.connect_github(self.environ, clone_url_template)
        except ConfigError:
            remove_if_unused(self.created)
            raise
