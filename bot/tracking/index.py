"""Find the campaign's issues again, open or closed, by the marker in their bodies; cheaply.

1. The issues the token's user opened in the tracking repo: one listing (100 a page), consistent.
2. Only when something is still missing: one search for the bot's name (another token filed them,
   or a GitHub App token, which has no user to list by). GitHub's search index lags a little
   behind new issues; a create that failed is looked up among the newest issues instead.
3. An item's `issue:` number in recipes.yaml wins over its marker (read by number when needed).
Two issues with one marker (two runs at once): the older one is used, the other reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.campaign.model import Campaign
from bot.forge.api import Forge, IssueInfo
from bot.tracking.item_issue import bot_name
from bot.tracking.markers import keys


@dataclass
class Found:
    items: dict[str, IssueInfo] = field(default_factory=dict)  # item id -> its issue
    dashboard: IssueInfo | None = None
    notes: list[str] = field(default_factory=list)  # duplicates, overrides that point nowhere

    def numbers(self) -> dict[str, int]:
        return {item_id: issue.number for item_id, issue in self.items.items()}


def find_issues(forge: Forge, campaign: Campaign) -> Found:
    repo, bot = campaign.tracking_repo.full_name, bot_name(campaign)
    login = forge.token_owner()
    found = Found()
    if login is not None:
        _collect(found, campaign, forge.list_issues(repo, creator=login))
    if _missing(found, campaign):
        _collect(found, campaign, forge.search_issues(repo, f'"{bot}" in:body'))
    _apply_overrides(found, forge, campaign)
    return found


def _missing(found: Found, campaign: Campaign) -> bool:
    wanted = {i for i, item in campaign.items.items() if item.issue is None}
    return found.dashboard is None or not wanted <= set(found.items)


def _collect(found: Found, campaign: Campaign, issues: list[IssueInfo]) -> None:
    bot = bot_name(campaign)
    for issue in sorted(issues, key=lambda i: i.number):
        for item_id in keys(issue.body, bot, "item"):
            if item_id in campaign.items:
                _keep(found.items, item_id, issue, found.notes)
        if campaign.name in keys(issue.body, bot, "dashboard"):
            kept = {"dashboard": found.dashboard} if found.dashboard else {}
            _keep(kept, "dashboard", issue, found.notes)
            found.dashboard = kept["dashboard"]


def _keep(into: dict[str, IssueInfo], key: str, issue: IssueInfo, notes: list[str]) -> None:
    have = into.get(key)
    if have is None:
        into[key] = issue
    elif have.number != issue.number:
        notes.append(f"{issue.url} duplicates {have.url} ({key}): the bot uses #{have.number}")


def _apply_overrides(found: Found, forge: Forge, campaign: Campaign) -> None:
    repo = campaign.tracking_repo.full_name
    for index, item in enumerate(campaign.items.values()):
        if item.issue is None or (
            item.id in found.items and found.items[item.id].number == item.issue
        ):
            continue
        where = f"recipes.yaml: items[{index}].issue"
        issue = forge.get_issue(repo, item.issue)
        if issue is None:
            found.notes.append(f"{where}: {repo}#{item.issue} does not exist (or is a PR)")
            continue
        if item.id in found.items:
            marked = found.items[item.id].url
            found.notes.append(
                f"{marked} carries the marker of {item.id}; {where} says #{item.issue}: using that"
            )
        found.items[item.id] = issue
