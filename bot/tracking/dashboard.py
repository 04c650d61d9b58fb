"""The campaign dashboard: one issue showing where every tracking item stands.

A Mermaid pie of items by state (GitHub renders it), a task list linking every item's issue (GitHub
shows each one's title and state), a table of items with their PRs' state, review and checks and the
latest gate/verify verdicts, and the failed criteria with links to their evidence. The PR states the
bot last read are kept as hidden JSON, so a command that reads only some PRs refreshes the rest from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from bot.campaign.model import Campaign, Item
from bot.forge.pr_state import ChangeStatus
from bot.tracking.item_issue import DASH, bot_name, cell, pr_ref, pr_state
from bot.tracking.markers import Marker, read_hidden
from bot.tracking.progress import LEGEND, STATES, State, serving
from bot.tracking.verdicts import SYMBOLS, Recorded


@dataclass(frozen=True)
class ItemView:
    """What the dashboard shows of one item."""

    item: Item
    number: int | None  # its issue, once filed
    state: State
    recorded: Mapping[str, Recorded]  # latest verdict per criterion


def dashboard_marker(campaign: Campaign) -> Marker:
    return Marker(bot_name(campaign), "dashboard", campaign.name)


def dashboard_labels(campaign: Campaign) -> tuple[str, ...]:
    labels = (campaign.settings.get("tracking") or {}).get("dashboard_labels")
    return tuple(labels) if labels is not None else (campaign.name,)


def pr_change_ids(campaign: Campaign) -> set[str]:
    """The change sets that can have a PR: only their states are kept (a skipped one has none)."""
    return {change.id for change in campaign.change_sets() if not change.skip}


def stored_rows(campaign: Campaign, region: str | None) -> dict[str, ChangeStatus]:
    """The PR states the dashboard last showed, for change sets the campaign still has."""
    data = read_hidden(region, dashboard_marker(campaign), "rows") if region else None
    known = pr_change_ids(campaign)
    rows = {}
    for change_id, entry in (data or {}).items() if isinstance(data, dict) else ():
        try:
            if change_id in known:
                rows[change_id] = ChangeStatus.from_dict(entry)
        except TypeError:  # an entry a person edited: read it again next time
            continue
    return rows


def render_dashboard(
    campaign: Campaign,
    views: list[ItemView],
    rows: Mapping[str, ChangeStatus],
    done_ticked: set[str],
) -> str:
    """The bot's region of the dashboard; `done_ticked` are the task-list lines ticked already."""
    marker = dashboard_marker(campaign)
    lines = [marker.begin(campaign.plan, dashboard_labels(campaign)), _summary(views), ""]
    lines += ["```mermaid", *_pie(campaign, views), "```", ""]
    lines += ["### Tracking items", *_task_list(views, done_ticked), ""]
    lines += ["### Pull requests", *_table(campaign, views, rows), ""]
    failed = _failed(views)
    if failed:
        lines += ["### Failed criteria", *failed, ""]
    lines.append(
        f"<sub>Kept up to date by {marker.bot}: `bot track`, and every `bot apply`, `bot status`, "
        "`bot gate --report` and `bot verify --report`. It rewrites only the text between its "
        "markers; anything you write outside them stays.</sub>"
    )
    stored = {change_id: row.as_dict() for change_id, row in sorted(rows.items())}
    lines += [marker.hidden("rows", stored), marker.end]
    return "\n".join(lines)


def task_line(view: ItemView) -> str:
    """The task-list entry without its box: `#12`, which GitHub renders with the issue's title."""
    if view.number is not None:
        return f"#{view.number}"
    return f"`{view.item.id}` {view.item.title} (issue not filed yet: `bot track`)"


def _summary(views: list[ItemView]) -> str:
    counts = _counts(views)
    failing = sum(1 for v in views if any(r.verdict == "failed" for r in v.recorded.values()))
    parts = [f"**{counts['done']} of {len(views)} items done**"]
    parts += [f"{n} {LEGEND[s].lower()}" for s, n in counts.items() if n and s != "done"]
    if failing:
        parts.append(f"{failing} with failed criteria")
    return " · ".join(parts)


def _counts(views: list[ItemView]) -> dict[State, int]:
    return {state: sum(1 for v in views if v.state == state) for state in STATES}


def _pie(campaign: Campaign, views: list[ItemView]) -> list[str]:
    slices = [f'    "{LEGEND[s]}" : {n}' for s, n in _counts(views).items() if n]
    return ["pie showData", f"    title {len(views)} tracking items of {campaign.plan}", *slices]


def _task_list(views: list[ItemView], done_ticked: set[str]) -> list[str]:
    lines = []
    for view in views:
        line = task_line(view)
        box = "x" if view.state == "done" or line in done_ticked else " "
        lines.append(f"- [{box}] {line}")
    return lines


def _table(
    campaign: Campaign, views: list[ItemView], rows: Mapping[str, ChangeStatus]
) -> list[str]:
    lines = [
        "| Item | Service | Pull request | State | Review | Checks | Gate / verify |",
        "|---|---|---|---|---|---|---|",
    ]
    for view in views:
        changes = serving(campaign, view.item)
        prs = [pr_ref(rows.get(c.id)) for c in changes] or [DASH]
        states = [pr_state(c, rows.get(c.id), why=False) for c in changes] or ["no change set"]
        reviews = [_or_dash(rows.get(c.id), "review") for c in changes] or [DASH]
        checks = [_or_dash(rows.get(c.id), "checks") for c in changes] or [DASH]
        item = f"#{view.number} `{view.item.id}`" if view.number else f"`{view.item.id}`"
        cells = [item, view.item.service or DASH, *map(_stack, (prs, states, reviews, checks))]
        lines.append("| " + " | ".join([*cells, _verdicts(view)]) + " |")
    return lines


def _stack(values: list[str]) -> str:
    """Several PRs of one item in one cell, one per line."""
    return "<br>".join(cell(v) for v in values)


def _or_dash(row: ChangeStatus | None, field: str) -> str:
    value: Any = getattr(row, field) if row is not None else None
    return str(value) if value else DASH


def _verdicts(view: ItemView) -> str:
    if not view.recorded:
        return DASH
    parts = []
    for verdict in ("passed", "failed", "blocked", "manual"):
        found = [r for r in view.recorded.values() if r.verdict == verdict]
        if found:
            link = f" ([evidence]({found[-1].comment}))" if verdict == "failed" else ""
            parts.append(f"{SYMBOLS[verdict]} {len(found)} {verdict}{link}")
    return " · ".join(parts)


def _failed(views: list[ItemView]) -> list[str]:
    lines = []
    for view in views:
        where = f"#{view.number}" if view.number else f"`{view.item.id}`"
        for criterion in view.item.acceptance:
            recorded = view.recorded.get(criterion)
            if recorded is not None and recorded.verdict == "failed":
                lines.append(
                    f"- {where} {criterion}: ❌ failed · `{recorded.source}` · {recorded.at} · "
                    f"[evidence]({recorded.comment})"
                )
    return lines
