"""The real campaign pointed at a tracking repository on a FakeGitHub, and the shortcuts tracking tests share."""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import replace
from functools import cache
from pathlib import Path

from ruamel.yaml import YAML

from bot.campaign.load import load_campaign
from bot.campaign.model import Campaign, Repo
from bot.forge.api import LabelColors
from bot.forge.pr_state import ChangeStatus
from bot.tracking import Outcome, sync
from tests.fake_github import FakeGitHub
from tests.fake_github.clients import forge_for
from tests.fake_github.state import Issue

ROOT = Path(__file__).resolve().parents[2]
TRACKING = "example/tracking"
COLORS = LabelColors({"phase-3": "5319e7"}, "ededed")


@cache
def _loaded() -> Campaign:
    return load_campaign(ROOT)


def tracked_campaign(**settings: object) -> Campaign:
    """The project's campaign (28 items) with a real tracking repository and optional settings.tracking."""
    campaign = _loaded()
    merged = {
        **campaign.settings,
        "tracking": {**campaign.settings.get("tracking", {}), **settings},
    }
    return replace(campaign, tracking_repo=Repo("tracking_repo", TRACKING, "main"), settings=merged)


def write_tracked_campaign(directory: Path, tracking_repo: str | dict = TRACKING) -> Path:
    """recipes.yaml (tracking_repo replaced, no placeholder repos) and recipes/ copied into `directory`."""
    shutil.copytree(ROOT / "recipes", directory / "recipes")
    yaml = YAML()
    data = yaml.load(ROOT / "recipes.yaml")
    data["tracking_repo"] = tracking_repo
    for repo in data[
        "repos"
    ].values():  # the GitOps repo too: `bot apply --all` publishes everything
        repo.pop("placeholder", None)
    with (directory / "recipes.yaml").open("w") as handle:
        yaml.dump(data, handle)
    return directory


def add_tracking_repo(fake: FakeGitHub, login: str = "rollout-bot", role: str = "write") -> None:
    fake.add_repo(TRACKING, roles={login: role})


def run_sync(
    fake: FakeGitHub,
    campaign: Campaign,
    rows: Mapping[str, ChangeStatus] | None = None,
    *,
    create: bool = True,
    dry_run: bool = False,
) -> Outcome:
    """One `bot track` (create) or refresh, as a fresh run: a new forge, so nothing is cached."""
    return sync(
        forge_for(fake), campaign, rows or {}, create=create, colors=COLORS, dry_run=dry_run
    )


def issue_of(fake: FakeGitHub, key: str) -> Issue:
    """The issue whose body carries the marker of `key` (an item id, or "dashboard")."""
    kind = "dashboard:phase-3" if key == "dashboard" else f"item:{key}"
    found = [i for i in fake.issues(TRACKING) if f"phase-3-bot:{kind} begin" in (i.body or "")]
    assert len(found) == 1, [i.number for i in found]
    return found[0]


def merged_rows(campaign: Campaign, item_id: str) -> dict[str, ChangeStatus]:
    """Every PR of the item merged (as `bot status` would read them)."""
    return {
        change.id: ChangeStatus(change.repo.full_name, change.branch, "merged", "u", number=7)
        for change in campaign.change_sets()
        if change.item.id == item_id and not change.skip
    }
