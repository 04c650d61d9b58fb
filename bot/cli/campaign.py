"""`bot validate` and `bot list`: the campaign as loaded, without touching any repository."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bot.campaign.load import load_campaign
from bot.campaign.model import Campaign, ChangeSet
from bot.cli.options import EXIT_OK, campaign_option
from bot.rollout import report
from codemods import CODEMODS


@click.command()
@campaign_option
def validate(campaign_dir: Path) -> int:
    """Load and validate the campaign; list every problem (exit 2) or say it is valid."""
    campaign = load_campaign(campaign_dir)
    changes = campaign.change_sets()
    click.echo(
        f"ok: {len(campaign.items)} tracking items, {len(campaign.services)} services, {len(changes)} change sets"
    )
    return EXIT_OK


@click.command("list")
@campaign_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--codemods", is_flag=True, help="List the registered codemods instead.")
def list_(campaign_dir: Path, as_json: bool, codemods: bool) -> int:
    """Show the campaign: services, change sets, target repos, tracking items and labels.

    \b
    Examples:
      bot list
      bot list --json | jq '.change_sets[] | select(.service == "traction")'
    """
    if codemods:
        for key, module in sorted(CODEMODS.items()):
            click.echo(f"{key:32} {module.DESCRIPTION}")
        return EXIT_OK
    campaign = load_campaign(campaign_dir)
    rows = [_list_row(campaign, change) for change in campaign.change_sets()]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "campaign": campaign.name,
                    "change_sets": rows,
                    "unassigned_items": _unassigned(campaign),
                },
                indent=2,
            )
        )
        return EXIT_OK
    for service in campaign.services.values():
        click.echo(click.style(f"{service.name}", bold=True) + f"  ({service.repo.full_name})")
        for row in (r for r in rows if r["service"] == service.name):
            target = row["repo"] + (" [draft]" if row["draft"] else "")
            work = (
                f"plan {row['plan']} ({row['environment']})"
                if row["plan"]
                else f"{row['steps']} steps"
            )
            state = f"skip: {row['skip']}" if row["skip"] else f"{work} -> {target}"
            if row["requires"]:
                state += f", waits for {', '.join(row['requires'])}"
            click.echo(f"  {row['change']:16} {row['item']:26} {state}")
            click.echo(f"  {'':16} labels: {', '.join(row['labels']) or '(none)'}")
    for item in _unassigned(campaign):
        click.echo(
            f"(no change set) {item['id']}: {item['title']}  labels: {', '.join(item['labels']) or '(none)'}"
        )
    return EXIT_OK


def _list_row(campaign: Campaign, change: ChangeSet) -> dict:
    return {
        "service": change.service, "change": change.key, "item": change.item.id, "title": change.title,
        "repo": change.repo.full_name, "base": change.repo.base, "branch": change.branch, "draft": change.repo.draft,
        "labels": list(change.item.labels), "steps": len(change.steps), "skip": change.skip,
        "plan": change.plan.name if change.plan else None, "environment": change.environment or None,
        "requires": list(change.requires),
        "tracking": report.tracking_ref(campaign, change),
    }  # fmt: skip


def _unassigned(campaign: Campaign) -> list[dict]:
    served = {change.item.id for change in campaign.change_sets()}
    return [
        {"id": item.id, "title": item.title, "labels": list(item.labels)}
        for item in campaign.items.values()
        if item.id not in served
    ]
