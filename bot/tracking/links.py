"""What the other commands need from the tracking repo: item numbers for PR bodies and `bot status`,
the refusal for a placeholder tracking_repo, and the one warning when apply/status go on without it."""

from __future__ import annotations

from collections.abc import Iterable

from bot.campaign.model import Campaign, ChangeSet
from bot.errors import ConfigError
from bot.forge.api import Forge
from bot.forge.pr_state import ChangeStatus
from bot.tracking.index import Found, find_issues


def refuse_placeholder(campaign: Campaign, command: str) -> None:
    """Commands that write to the tracking repo need its real name (exit 2, naming the key)."""
    repo = campaign.tracking_repo
    if repo.placeholder:
        problem = (
            f"recipes.yaml: tracking_repo: {repo.full_name} is a placeholder; set tracking_repo.repo "
            f"to the repository the tracking issues live in and remove `placeholder: true` before {command}"
        )
        raise ConfigError([problem])


def placeholder_warning(campaign: Campaign) -> str | None:
    """The one line apply and status print instead of linking and refreshing, or None."""
    repo = campaign.tracking_repo
    if not repo.placeholder:
        return None
    return (
        f"recipes.yaml: tracking_repo: {repo.full_name} is a placeholder: no links to tracking issues "
        "and no dashboard refresh until it names the real repository"
    )


def linked(forge: Forge, campaign: Campaign) -> tuple[Campaign, Found]:
    """The campaign with every filed item's issue number (recipes.yaml's `issue:` wins)."""
    found = find_issues(forge, campaign)
    return campaign.with_issues(found.numbers()), found


def rows_by_change(rows: Iterable[tuple[ChangeSet, ChangeStatus | str]]) -> dict[str, ChangeStatus]:
    """status_rows() output keyed by change id; rows that could not be read (errors) are left out."""
    return {change.id: row for change, row in rows if isinstance(row, ChangeStatus)}
