"""`bot track`: the tracking items and the campaign dashboard as issues; and the refresh that
`bot apply` and `bot status` run after their own work."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

import click

from bot import tracking
from bot.campaign.model import Campaign, ChangeSet
from bot.cli.options import EXIT_FAILED, EXIT_OK, campaign_option
from bot.cli.preflight import Preflight
from bot.errors import ForgeError
from bot.forge.pr_state import ChangeStatus
from bot.rollout import publisher
from bot.tracking.index import Found

COLOURS = {
    "failed": "red",
    "filed": "green",
    "updated": "green",
    "closed": "magenta",
    "commented": "cyan",
}


@click.command()
@campaign_option
@click.option("--dry-run", is_flag=True, help="Show what would be filed or updated; write nothing.")
def track(campaign_dir: Path, dry_run: bool) -> int:
    """File the plan's tracking items and the campaign dashboard as issues in tracking_repo.

    Each item's issue holds the plan's title and labels, the description, effort, requirements,
    the acceptance criteria as a checklist, and the change sets serving it with their PRs' states.
    The dashboard issue (titled after the plan) links every item and shows its PRs' state, review,
    checks and the latest gate/verify verdicts, with a chart of items by state. Issues are found
    again by a hidden marker, open or closed; re-runs rewrite only the bot's text between its
    markers, and only where it changed. Reads every change set's PR (as `bot status` does).

    \b
    Examples:
      bot track --dry-run
      GITHUB_TOKEN=... bot track
    """
    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    check.tracking_repo(campaign, "`bot track`")
    github = check.github(None)
    assert campaign is not None  # else check.github() raised
    github.forge.repository(campaign.tracking_repo.full_name)  # a clear error if it is unreadable
    changes = [change for change in campaign.change_sets() if not change.skip]
    rows = tracking.rows_by_change(publisher.status_rows(github, changes))
    colors = publisher.label_colors(campaign)
    outcome = tracking.sync(
        github.forge, campaign, rows, create=True, colors=colors, dry_run=dry_run
    )
    mode = " (dry-run: nothing written)" if dry_run else ""
    click.echo(f"tracking issues in {campaign.tracking_repo.full_name}{mode}:")
    for result in outcome.results:
        click.echo(f"  {_line(result)}")
    click.echo(f"{len(campaign.items) + 1} issues: {_totals(outcome)}")
    _notes(outcome)
    return EXIT_FAILED if outcome.failed else EXIT_OK


def link(campaign: Campaign, github: publisher.GitHub) -> tuple[Campaign, Found | None]:
    """The campaign with its items' issue numbers, or as it is (with one warning) when the
    tracking repo is a placeholder or cannot be read: publishing and status go on without links."""
    warning = tracking.placeholder_warning(campaign)
    if warning is None:
        try:
            return tracking.linked(github.forge, campaign)
        except ForgeError as e:
            warning = f"tracking issues not linked and the dashboard not refreshed: {e}"
    click.echo(click.style("warning: ", fg="yellow") + warning, err=True)
    return campaign, None


def refresh(
    campaign: Campaign,
    github: publisher.GitHub,
    found: Found | None,
    rows: list[tuple[ChangeSet, ChangeStatus | str]],
) -> None:
    """Bring the item issues and the dashboard up to date with `rows`; a summary line on stderr.
    A failure here is a warning: the command's own work is done."""
    if found is None:
        return
    try:
        outcome = tracking.sync(
            github.forge,
            campaign,
            tracking.rows_by_change(rows),
            create=False,
            colors=publisher.label_colors(campaign),
            found=found,
        )
    except ForgeError as e:
        click.echo(
            click.style("warning: ", fg="yellow") + f"dashboard not refreshed: {e}", err=True
        )
        return
    where = (
        f" {outcome.dashboard.url}" if outcome.dashboard else " (none yet: `bot track` files it)"
    )
    click.echo(f"dashboard{where}: {_totals(outcome)}", err=True)
    for result in outcome.results:
        if result.action in ("closed", "failed"):
            click.echo(f"  {_line(result)}", err=True)
    _notes(outcome, err=True)


def write_back(
    campaign: Campaign,
    github: publisher.GitHub,
    findings: Mapping[str, Sequence[tracking.Finding]],
    source: str,
    no_tick: Collection[str] = (),
) -> bool:
    """Write verdicts to the items' issues and refresh the dashboard; what happened goes to stderr.
    False when a write failed (the command then exits 1)."""
    colors = publisher.label_colors(campaign)
    try:
        outcome = tracking.report_results(
            github.forge, campaign, findings, source=source, colors=colors, no_tick=no_tick
        )
    except ForgeError as e:
        click.echo(click.style("error: ", fg="red") + f"verdicts not written back: {e}", err=True)
        return False
    for result in outcome.results:
        if result.action != "unchanged" or result.warnings:
            click.echo(f"  {_line(result)}", err=True)
    click.echo(f"tracking issues: {_totals(outcome)}", err=True)
    _notes(outcome, err=True)
    return not outcome.failed


def _line(result: tracking.IssueResult) -> str:
    action = click.style(f"{result.action:12}", fg=COLOURS.get(result.action))
    number = f"#{result.number}" if result.number else "-"
    text = f"{action} {number:6} {result.key:26} {result.url or ''}".rstrip()
    if result.detail:
        text += f"  {result.detail}"
    return text + "".join(f"\n    warning: {w}" for w in result.warnings)


def _totals(outcome: tracking.Outcome) -> str:
    counts: dict[str, int] = {}
    for result in outcome.results:
        counts[result.action] = counts.get(result.action, 0) + 1
    return ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to do"


def _notes(outcome: tracking.Outcome, *, err: bool = False) -> None:
    for note in outcome.notes:
        click.echo(click.style("note: ", fg="yellow") + note, err=err)
