"""An item's issue: the plan's description, effort, requirements, the acceptance criteria as a
checklist (with their latest verdicts), and the change sets serving it with their PRs' states."""

from __future__ import annotations

from collections.abc import Mapping

from bot.campaign.model import Campaign, ChangeSet, Item
from bot.forge.pr_state import ChangeStatus
from bot.tracking.markers import Marker
from bot.tracking.progress import serving
from bot.tracking.verdicts import Recorded, dump_recorded

DASH = "\u2013"  # an en dash: "nothing here" in a table cell
PR_STATES = {
    "missing": "not opened yet",
    "open": "open",
    "draft": "draft",
    "merged": "merged",
    "closed": "closed without merging",
}


def bot_name(campaign: Campaign) -> str:
    return f"{campaign.name}-bot"


def item_marker(campaign: Campaign, item: Item) -> Marker:
    return Marker(bot_name(campaign), "item", item.id)


def cell(text: str) -> str:
    """Text safe inside a markdown table cell."""
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def pr_ref(row: ChangeStatus | None) -> str:
    """`owner/repo#N`, which GitHub links and titles; a dash while there is no PR."""
    if row is None or row.number is None:
        return DASH
    return f"{row.repo}#{row.number}"


def pr_state(change: ChangeSet, row: ChangeStatus | None, *, why: bool = True) -> str:
    """The PR's state in words; a skipped change set's reason only where there is room (`why`)."""
    if change.skip:
        return f"not applicable: {change.skip}" if why else "not applicable"
    if row is None:
        return "not read yet (`bot status` reads it)"
    return PR_STATES.get(row.state, row.state)


def render_item(
    campaign: Campaign,
    item: Item,
    rows: Mapping[str, ChangeStatus],
    ticked: set[str],
    recorded: Mapping[str, Recorded],
) -> str:
    """The bot's region of the item's issue, markers included."""
    marker = item_marker(campaign, item)
    head = f"Tracking item `{item.id}` of **{campaign.plan}**"
    facts = [
        head,
        *([f"service `{item.service}`"] if item.service else []),
        f"effort {item.effort}",
    ]
    lines = [marker.begin(item.title, item.labels), " · ".join(facts), ""]
    if item.description:
        lines += [item.description.strip(), ""]
    if item.requirements:
        lines += ["### Requirements", *[f"- {r}" for r in item.requirements], ""]
    lines += ["### Acceptance criteria", *_criteria(item, ticked, recorded), ""]
    lines += ["### Pull requests", *_pull_requests(campaign, item, rows), ""]
    lines.append(
        f"<sub>Kept up to date by {marker.bot} from recipes.yaml: it rewrites only the text between "
        "its markers and never unticks a box. Anything you write outside them stays.</sub>"
    )
    known = {c: r for c, r in recorded.items() if c in item.acceptance}
    if known:
        lines.append(marker.hidden("results", dump_recorded(known)))
    lines.append(marker.end)
    return "\n".join(lines)


def _criteria(item: Item, ticked: set[str], recorded: Mapping[str, Recorded]) -> list[str]:
    lines = []
    for criterion in item.acceptance:
        box = "x" if criterion.strip() in ticked else " "
        lines.append(f"- [{box}] {criterion}")
        if criterion in recorded:
            lines.append(f"  - {recorded[criterion].line()}")
    return lines


def _pull_requests(campaign: Campaign, item: Item, rows: Mapping[str, ChangeStatus]) -> list[str]:
    changes = serving(campaign, item)
    if not changes:
        return [
            (
                "No change set in the recipes serves this item: its work happens outside the bot. "
                "Tick its boxes by hand, or let `bot gate --report` / `bot verify --report` tick "
                "what they prove."
            )
        ]
    lines = ["| Change set | Repository | Pull request | State |", "|---|---|---|---|"]
    for change in changes:
        row = rows.get(change.id)
        cells = [f"`{change.id}`", change.repo.full_name, pr_ref(row), pr_state(change, row)]
        lines.append("| " + " | ".join(cell(c) for c in cells) + " |")
    return lines
