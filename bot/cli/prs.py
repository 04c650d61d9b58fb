"""`bot status` and `bot close`: the bot's PRs as GitHub shows them, read or closed without cloning."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.campaign.model import Campaign, ChangeSet
from bot.cli import track
from bot.cli.options import EXIT_FAILED, EXIT_OK, campaign_option, select
from bot.cli.preflight import Preflight
from bot.forge.pr_state import ChangeStatus
from bot.rollout import publisher


@click.command()
@campaign_option
@click.option(
    "-s", "--service", "services", multiple=True, help="Only these services (default: all)."
)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(campaign_dir: Path, services: tuple[str, ...], as_json: bool) -> int:
    """Show every change set's PR: URL, state, review decision, checks, human edits.

    States: missing, open, draft, merged, closed. Reads GitHub only (no clone).

    \b
    Examples:
      bot status
      bot status --service traction --json
    """
    campaign, _, github = _preflight(campaign_dir, services, not services, ())
    campaign, found = track.link(campaign, github)
    changes = select(campaign, services, not services, ())
    rows = publisher.status_rows(github, changes)
    if as_json:
        click.echo(
            json.dumps(
                {"change_sets": [_status_dict(change, row) for change, row in rows]}, indent=2
            )
        )
    else:
        click.echo(
            f"{'CHANGE SET':28} {'ITEM':6} {'STATE':10} {'REVIEW':18} {'CHECKS':9} {'EDITED BY':16} PR"
        )
        for change, row in rows:
            click.echo(_status_line(change, row))
    track.refresh(campaign, github, found, rows)
    return EXIT_FAILED if any(isinstance(row, str) for _, row in rows) else EXIT_OK


def _preflight(
    campaign_dir: Path, services: tuple[str, ...], all_services: bool, change_keys: tuple[str, ...]
) -> tuple[Campaign, list[ChangeSet], publisher.GitHub]:
    """The campaign, the selected change sets and a GitHub client whose credentials answered
    (one request), or exit 2 before anything else is asked of GitHub."""
    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    changes = check.selection(campaign, services, all_services, change_keys)
    github = check.github(None)
    assert campaign is not None and changes is not None  # else check.github() raised
    return campaign, changes, github


def _status_dict(change: ChangeSet, row: ChangeStatus | str) -> dict:
    base = {
        "service": change.service,
        "change": change.key,
        "item": change.item.id,
        "issue": change.item.issue,
    }
    if isinstance(row, str):
        return {
            **base,
            "repo": change.repo.full_name,
            "branch": change.branch,
            "state": "failed",
            "error": row,
        }
    return {**base, **row.as_dict()}


def _status_line(change: ChangeSet, row: ChangeStatus | str) -> str:
    item = f"#{change.item.issue}" if change.item.issue else "-"
    if isinstance(row, str):
        return f"{change.id:28} {item:6} {click.style(row, fg='red')}"
    edited = ", ".join(row.edited_by) or "-"
    review, checks = row.review or "-", row.checks or "-"
    return f"{change.id:28} {item:6} {row.state:10} {review:18} {checks:9} {edited:16} {row.url or '-'}"


@click.command()
@campaign_option
@click.option(
    "-s", "--service", "services", multiple=True, required=True, help="Service whose PRs to close."
)
@click.option("-c", "--change", "change_keys", multiple=True, help="Only these change sets.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
def close(
    campaign_dir: Path, services: tuple[str, ...], change_keys: tuple[str, ...], yes: bool
) -> int:
    """Close the bot's open PRs and delete their branches (a branch with human commits is kept).

    \b
    Examples:
      bot close --service traction --change rum
      bot close --service acapy --yes
    """
    _, changes, github = _preflight(campaign_dir, services, False, change_keys)
    click.echo("\n".join(f"  {c.id}: {c.repo.full_name} {c.branch}" for c in changes))
    if not yes and not click.confirm(
        f"Close these {len(changes)} change sets' PRs and delete their branches?"
    ):
        click.echo("nothing closed")
        return EXIT_OK
    rows = publisher.close_rows(github, changes)
    for change, row in rows:
        if isinstance(row, str):
            click.echo(f"{change.id:28} {click.style(row, fg='red')}")
        else:
            done = f"closed {row.url}" if row.url else "nothing to close"
            branch = "branch deleted" if row.branch_deleted else row.detail
            click.echo(f"{change.id:28} {done}; {branch}")
    return EXIT_FAILED if any(isinstance(row, str) for _, row in rows) else EXIT_OK
