"""Where a tracking item stands, from its change sets' PRs and its ticked acceptance criteria.

One state per item, the slices of the dashboard's chart:
- done: every PR merged and every box ticked (an item without change sets: every box ticked);
- merged: every PR merged, boxes still open (being verified);
- in review: a PR is open (or a draft);
- in progress: some PRs merged, none open, some not opened (or closed unmerged);
- not started: no PR opened yet (or only closed unmerged ones);
- by hand: no change set serves the item (work outside the bot), boxes still open;
- not applicable: every change set serving the item is skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

from bot.campaign.model import Campaign, ChangeSet, Item
from bot.forge.pr_state import ChangeStatus

State = Literal[
    "done", "merged", "in review", "in progress", "not started", "by hand", "not applicable"
]
STATES: tuple[State, ...] = (
    "done", "merged", "in review", "in progress", "not started", "by hand", "not applicable",
)  # fmt: skip
LEGEND: dict[State, str] = {
    "done": "Done",
    "merged": "Merged, being verified",
    "in review": "In review",
    "in progress": "Partly merged",
    "not started": "Not started",
    "by hand": "Work outside the bot",
    "not applicable": "Not applicable",
}


def serving(campaign: Campaign, item: Item) -> list[ChangeSet]:
    """The change sets that serve `item`, in the recipes' order."""
    return [change for change in campaign.change_sets() if change.item.id == item.id]


def publishable(campaign: Campaign, item: Item) -> list[ChangeSet]:
    """The change sets that become PRs for `item` (skipped ones do not)."""
    return [change for change in serving(campaign, item) if not change.skip]


def all_ticked(item: Item, ticked: set[str]) -> bool:
    return bool(item.acceptance) and all(c.strip() in ticked for c in item.acceptance)


def item_state(
    campaign: Campaign, item: Item, rows: Mapping[str, ChangeStatus], ticked: set[str]
) -> State:
    changes = serving(campaign, item)
    prs = [change for change in changes if not change.skip]
    if not changes:
        return "done" if all_ticked(item, ticked) else "by hand"
    if not prs:
        return "not applicable"
    states = [rows[c.id].state if c.id in rows else "missing" for c in prs]
    if all(state == "merged" for state in states):
        return "done" if all_ticked(item, ticked) else "merged"
    if any(state in ("open", "draft") for state in states):
        return "in review"
    return "in progress" if "merged" in states else "not started"
