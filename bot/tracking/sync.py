"""File and refresh the tracking issues and the dashboard. Safe to re-run: nothing changes, nothing is written.

For each of the campaign's items, then the dashboard: render the bot's region (keeping every ticked
box and the recorded verdicts), compare it with the issue as it is, and write only what differs. A
missing issue is filed only by `bot track` (create=True); the other commands refresh what exists.
Finally an item whose boxes are all ticked and whose PRs are all merged is closed with a comment
(settings.tracking.close_done_items), once: an item a person reopened after that stays open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.campaign.model import Campaign, Item
from bot.errors import ForgeError
from bot.forge.api import Forge, IssueInfo, IssueSpec, LabelColors
from bot.forge.pr_state import ChangeStatus
from bot.tracking.dashboard import (
    ItemView,
    dashboard_labels,
    dashboard_marker,
    pr_change_ids,
    render_dashboard,
    stored_rows,
)
from bot.tracking.index import Found, find_issues
from bot.tracking.item_issue import bot_name, item_marker, pr_ref, render_item
from bot.tracking.markers import (
    Marker,
    find_region,
    meta_digest,
    normalized,
    read_hidden,
    ticked,
    with_region,
)
from bot.tracking.progress import item_state, publishable
from bot.tracking.verdicts import Recorded, load_recorded

Action = Literal[
    "filed", "updated", "unchanged", "closed", "not filed", "failed",
    "would file", "would update", "would close", "commented",
]  # fmt: skip


@dataclass(frozen=True)
class IssueResult:
    key: str  # an item id, or "dashboard"
    action: Action
    number: int | None = None
    url: str | None = None
    detail: str = ""
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Amendment:
    """What a gate/verify report adds to an item: boxes it proved, and the verdicts to record."""

    ticks: frozenset[str] = frozenset()
    recorded: Mapping[str, Recorded] = field(default_factory=dict)


@dataclass
class Outcome:
    results: list[IssueResult]
    numbers: dict[str, int]  # item id -> issue number
    dashboard: IssueInfo | None
    notes: list[str]

    @property
    def failed(self) -> bool:
        return any(result.action == "failed" for result in self.results)


@dataclass
class _Sync:
    forge: Forge
    campaign: Campaign
    colors: LabelColors
    create: bool
    dry_run: bool
    results: list[IssueResult] = field(default_factory=list)

    def put(
        self, key: str, issue: IssueInfo | None, marker: Marker, spec: IssueSpec
    ) -> IssueInfo | None:
        """Make the issue hold `spec` (its body is the bot's region): file, update or leave it."""
        try:
            return self._put(key, issue, marker, spec)
        except ForgeError as e:
            self.results.append(IssueResult(key, "failed", *_where(issue), detail=str(e)))
            return issue

    def _put(
        self, key: str, issue: IssueInfo | None, marker: Marker, spec: IssueSpec
    ) -> IssueInfo | None:
        repo = self.campaign.tracking_repo.full_name
        if issue is None:
            if not self.create or self.dry_run:
                action: Action = "would file" if self.create else "not filed"
                self.results.append(IssueResult(key, action, detail="`bot track` files it"))
                return None
            body = spec.body + "\n"
            made = self.forge.create_issue(
                repo, IssueSpec(spec.title, body, spec.labels), marker.identity, self.colors
            )
            self.results.append(
                IssueResult(key, "filed", *_where(made.issue), warnings=made.warnings)
            )
            return made.issue
        old = find_region(issue.body, marker)
        renamed = old is None or old.meta != meta_digest(spec.title, spec.labels)
        body = with_region(issue.body, marker, spec.body)
        title = spec.title if renamed and issue.title != spec.title else None
        labels = spec.labels if renamed else ()
        lacking = {n.lower() for n in labels} - {n.lower() for n in issue.labels}
        if body == normalized(issue.body) and title is None and not lacking:
            self.results.append(IssueResult(key, "unchanged", *_where(issue)))
            return issue
        if self.dry_run:
            self.results.append(IssueResult(key, "would update", *_where(issue)))
            return issue
        changed = body if body != normalized(issue.body) else None
        done = self.forge.update_issue(
            issue, title=title, body=changed, labels=labels, colors=self.colors
        )
        self.results.append(
            IssueResult(key, "updated", *_where(done.issue), warnings=done.warnings)
        )
        return done.issue


def sync(
    forge: Forge,
    campaign: Campaign,
    rows: Mapping[str, ChangeStatus],
    *,
    create: bool,
    colors: LabelColors,
    dry_run: bool = False,
    found: Found | None = None,
    amend: Mapping[str, Amendment] | None = None,
) -> Outcome:
    """Bring every item's issue and the dashboard up to date; `rows` are the PR states just read."""
    found = found if found is not None else find_issues(forge, campaign)
    run = _Sync(forge, campaign, colors, create, dry_run)
    dash = found.dashboard
    dash_region = find_region(dash.body, dashboard_marker(campaign)) if dash else None
    fresh = {
        change_id: row for change_id, row in rows.items() if change_id in pr_change_ids(campaign)
    }
    known = {**stored_rows(campaign, dash_region.text if dash_region else None), **fresh}
    issues: dict[str, IssueInfo] = {}
    views = []
    for item in campaign.items.values():
        issue = _sync_item(run, item, found.items.get(item.id), known, (amend or {}).get(item.id))
        views.append(_view(campaign, item, issue, known))
        if issue is not None:
            issues[item.id] = issue
    done = ticked(dash_region.text) if dash_region else set()
    region = render_dashboard(campaign, views, known, done)
    spec = IssueSpec(campaign.plan, region, dashboard_labels(campaign))
    dashboard = run.put("dashboard", dash, dashboard_marker(campaign), spec)
    _close_done(run, views, issues, known)
    numbers = {item_id: issue.number for item_id, issue in issues.items()}
    return Outcome(run.results, numbers, dashboard, found.notes)


def _sync_item(
    run: _Sync,
    item: Item,
    issue: IssueInfo | None,
    rows: Mapping[str, ChangeStatus],
    amendment: Amendment | None,
) -> IssueInfo | None:
    marker = item_marker(run.campaign, item)
    region = find_region(issue.body, marker) if issue else None
    ticks = ticked(region.text) if region else set()
    recorded = load_recorded(read_hidden(region.text, marker, "results")) if region else {}
    if amendment is not None:
        ticks |= amendment.ticks
        recorded = {**recorded, **amendment.recorded}
    text = render_item(run.campaign, item, rows, ticks, recorded)
    return run.put(item.id, issue, marker, IssueSpec(item.title, text, item.labels))


def _view(
    campaign: Campaign, item: Item, issue: IssueInfo | None, rows: Mapping[str, ChangeStatus]
) -> ItemView:
    marker = item_marker(campaign, item)
    region = find_region(issue.body, marker) if issue else None
    ticks = ticked(region.text) if region else set()
    recorded = load_recorded(read_hidden(region.text, marker, "results")) if region else {}
    number = issue.number if issue else None
    return ItemView(item, number, item_state(campaign, item, rows, ticks), recorded)


def _close_done(
    run: _Sync,
    views: list[ItemView],
    issues: dict[str, IssueInfo],
    rows: Mapping[str, ChangeStatus],
) -> None:
    if not (run.campaign.settings.get("tracking") or {}).get("close_done_items", True):
        return
    marker = f"<!-- {bot_name(run.campaign)}:closed -->"
    for view in views:
        issue = issues.get(view.item.id)
        if view.state != "done" or issue is None or issue.state != "open":
            continue
        try:
            if any(marker in c.body for c in run.forge.issue_comments(issue)):
                continue  # the bot closed it once and a person reopened it: theirs to close
            if run.dry_run:
                run.results.append(IssueResult(view.item.id, "would close", *_where(issue)))
                continue
            run.forge.comment_once(
                issue, _closing_comment(run.campaign, view.item, rows, marker), marker
            )
            closed = run.forge.update_issue(issue, state="closed")
            issues[view.item.id] = closed.issue
            run.results.append(IssueResult(view.item.id, "closed", *_where(issue)))
        except ForgeError as e:
            run.results.append(IssueResult(view.item.id, "failed", *_where(issue), detail=str(e)))


def _closing_comment(
    campaign: Campaign, item: Item, rows: Mapping[str, ChangeStatus], marker: str
) -> str:
    prs = [pr_ref(rows.get(change.id)) for change in publishable(campaign, item)]
    merged = f" and its pull requests are merged ({', '.join(prs)})" if prs else ""
    return (
        f"{marker}\nEvery acceptance criterion of `{item.id}` is ticked{merged}: closing it as "
        "completed. Reopen it to keep it open; the bot will not close it again "
        "(`settings.tracking.close_done_items: false` in recipes.yaml turns closing off).\n"
    )


def _where(issue: IssueInfo | None) -> tuple[int | None, str | None]:
    return (issue.number, issue.url) if issue is not None else (None, None)
