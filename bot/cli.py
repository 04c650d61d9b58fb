"""Command line: parsing and rendering only. Exit codes are decided here and nowhere else:
0 everything ok, 1 some change set failed, 2 usage or configuration error, 130 interrupted."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import click

from bot import report, rollout, samples
from bot.credentials import git_auth_env
from bot.apply import Interrupted, Result, run_all
from bot.errors import BotError, ConfigError
from bot.model import Campaign, ChangeSet
from bot.recipes import load_campaign
from bot.urls import default_url_template
from bot.workspace.checkout import Workspace
from bot.workspace.lockfiles import LockSettings
from codemods import CODEMODS

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130
ATTENTION = ("failed", "edited", "closed", "interrupted")  # statuses listed again under the totals, with their reason
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_campaign() -> Path:
    if os.environ.get("BOT_CAMPAIGN"):
        return Path(os.environ["BOT_CAMPAIGN"])
    return Path.cwd() if (Path.cwd() / "recipes.yaml").is_file() else PROJECT_ROOT


def _default_workspace() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "phase3-bot"


campaign_option = click.option(
    "--campaign", "campaign_dir", type=click.Path(file_okay=False, path_type=Path), default=_default_campaign,
    show_default="$BOT_CAMPAIGN, ./ if it has recipes.yaml, else the bot's checkout",
    help="Directory with recipes.yaml and recipes/.",
)  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("-v", "--verbose", count=True, help="Show git commands (-v) and debug details (-vv).")
def cli(verbose: int) -> None:
    """Phase 3 rollout bot: turns the Phase 3 Profiling and RUM plan into reviewable PRs.

    \b
    Examples:
      bot list                                   the campaign: services, change sets, items, labels
      bot validate                               check recipes.yaml and recipes/*.yaml
      bot apply --service traction --dry-run     diffs and PR previews for one service
      bot apply --all --dry-run --output-dir out patches + out/summary.json for every service
      bot apply --all --dry-run --samples        the same, offline, on the bundled sample repos
    """
    level = {0: logging.WARNING, 1: logging.INFO}.get(verbose, logging.DEBUG)
    logging.basicConfig(level=level, format="%(message)s", stream=sys.stderr)
    # PyGithub installs its own stderr handler at INFO ("Request POST ... failed"): route it through ours.
    # Never DEBUG: its request log prints response bodies, and those carry App installation tokens.
    pygithub = logging.getLogger("github")
    pygithub.handlers.clear()
    pygithub.setLevel(logging.INFO if verbose >= 2 else logging.WARNING)


@cli.command()
@campaign_option
def validate(campaign_dir: Path) -> int:
    """Load and validate the campaign; list every problem (exit 2) or say it is valid."""
    campaign = load_campaign(campaign_dir)
    changes = campaign.change_sets()
    click.echo(f"ok: {len(campaign.items)} tracking items, {len(campaign.services)} services, {len(changes)} change sets")
    return EXIT_OK


@cli.command("list")
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
        click.echo(json.dumps({"campaign": campaign.name, "change_sets": rows, "unassigned_items": _unassigned(campaign)}, indent=2))
        return EXIT_OK
    for service in campaign.services.values():
        click.echo(click.style(f"{service.name}", bold=True) + f"  ({service.repo.full_name})")
        for row in (r for r in rows if r["service"] == service.name):
            target = row["repo"] + (" [draft]" if row["draft"] else "")
            state = f"skip: {row['skip']}" if row["skip"] else f"{row['steps']} steps -> {target}"
            click.echo(f"  {row['change']:16} {row['item']:26} {state}")
            click.echo(f"  {'':16} labels: {', '.join(row['labels']) or '(none)'}")
    for item in _unassigned(campaign):
        click.echo(f"(no change set) {item['id']}: {item['title']}  labels: {', '.join(item['labels']) or '(none)'}")
    return EXIT_OK


def _list_row(campaign: Campaign, change: ChangeSet) -> dict:
    return {
        "service": change.service, "change": change.key, "item": change.item.id, "title": change.title,
        "repo": change.repo.full_name, "base": change.repo.base, "branch": change.branch, "draft": change.repo.draft,
        "labels": list(change.item.labels), "steps": len(change.steps), "skip": change.skip,
        "tracking": report.tracking_ref(campaign, change),
    }  # fmt: skip


def _unassigned(campaign: Campaign) -> list[dict]:
    served = {change.item.id for change in campaign.change_sets()}
    return [
        {"id": item.id, "title": item.title, "labels": list(item.labels)}
        for item in campaign.items.values()
        if item.id not in served
    ]


@cli.command()
@campaign_option
@click.option("-s", "--service", "services", multiple=True, help="Service to roll out (repeatable).")
@click.option("--all", "all_services", is_flag=True, help="Every service of the campaign.")
@click.option("-c", "--change", "change_keys", multiple=True, help="Only these change sets, e.g. profiling-helm.")
@click.option("--dry-run", is_flag=True, help="Show diffs and PR previews; push nothing, write nothing remote.")
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), help="Write patches and summary.json here.")
@click.option("--workspace", "workspace_dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="BOT_WORKSPACE", default=_default_workspace, show_default="$BOT_WORKSPACE or ~/.cache/phase3-bot",
              help="Clone cache and scratch space, kept between runs.")  # fmt: skip
@click.option("--clone-url-template", envvar="BOT_CLONE_URL_TEMPLATE",
              help="Clone URL with {owner} and {repo}, e.g. file:///srv/mirrors/{owner}+{repo}.git "
                   "[default: $GITHUB_SERVER_URL/{owner}/{repo}.git, else https://github.com/...]")  # fmt: skip
@click.option("--samples", "use_samples", is_flag=True, help="Use the bundled sample repos (offline demo).")
@click.option("-j", "--jobs", type=click.IntRange(1, 32), default=4, show_default=True, help="Change sets processed at once.")
@click.option("--diff/--no-diff", "show_diff", default=True, help="Print the full report per change set.")
@click.option("--reopen", is_flag=True, help="Reopen the bot's PRs that were closed without merging.")
@click.option("--lockfiles/--no-lockfiles", "regenerate_locks", default=None, envvar="BOT_LOCKFILES",
              help="Regenerate the lockfiles of edited dependency files with each repo's own tool "
                   "[default: on; off with --samples]. Off: a note names the lockfile to regenerate.")  # fmt: skip
def apply(
    campaign_dir: Path, services: tuple[str, ...], all_services: bool, change_keys: tuple[str, ...], dry_run: bool,
    output_dir: Path | None, workspace_dir: Path, clone_url_template: str | None, use_samples: bool, jobs: int,
    show_diff: bool, reopen: bool, regenerate_locks: bool | None,
) -> int:  # fmt: skip
    """Apply the recipes of one or more services: clone, apply codemods, check, diff, and open PRs.

    Without --dry-run each change set that passes its checks is committed (signed off) on
    phase-3/<service>-<change>, pushed, and opened or updated as a labelled PR. Needs GITHUB_TOKEN
    or GitHub App credentials; see the README.

    \b
    Examples:
      bot apply --service acapy --dry-run
      bot apply --service traction --change rum --dry-run --output-dir review/
      bot apply --all --dry-run --samples
      GITHUB_TOKEN=... bot apply --service acapy
    """
    campaign = load_campaign(campaign_dir)
    changes = _select(campaign, services, all_services, change_keys)
    if use_samples:
        if not dry_run:
            raise click.UsageError("--samples is an offline demo: add --dry-run")
        clone_url_template = samples.build(campaign, workspace_dir / "samples")
    template = clone_url_template or default_url_template(dict(os.environ))
    github = None if dry_run else rollout.connect_github(os.environ, template)  # config errors before any work
    git_env = git_auth_env(github.forge.push_token(), template.format(owner="o", repo="r")) if github else None
    workspace = Workspace(workspace_dir, template, git_env=git_env)
    publish = rollout.publisher(campaign, github, reopen=reopen) if github else None
    mode = "dry-run" if dry_run else "publishing"
    click.echo(f"{len(changes)} change sets ({mode}), {jobs} at a time, from {template}", err=True)
    locks = _lock_settings(workspace_dir, use_samples, regenerate_locks)
    try:
        results = run_all(changes, workspace, jobs=jobs, publish=publish, progress=_progress, locks=locks)
    except Interrupted as stopped:
        click.echo("interrupted: no further change set will start or publish", err=True)
        _report(campaign, stopped.results, output_dir, show_diff=False)
        return EXIT_INTERRUPTED
    return _report(campaign, results, output_dir, show_diff)


def _lock_settings(workspace_dir: Path, use_samples: bool, regenerate: bool | None) -> LockSettings | None:
    """On unless --no-lockfiles; --samples (the offline demo) turns it off unless --lockfiles asks."""
    if regenerate is None and use_samples:
        click.echo("lockfiles: not regenerated with --samples (the offline demo needs no registry); each change set "
                   "notes which lockfile to regenerate; add --lockfiles to regenerate them", err=True)  # fmt: skip
        return None
    if regenerate is False:
        click.echo("lockfiles: not regenerated (--no-lockfiles); each change set notes which lockfile to regenerate", err=True)
        return None
    tools = workspace_dir / "tools"
    click.echo(f"lockfiles: regenerated with each repo's own tool and version (tool cache: {tools})", err=True)
    return LockSettings(tools_dir=tools, environ=dict(os.environ))


def _select(
    campaign: Campaign, services: tuple[str, ...], all_services: bool, change_keys: tuple[str, ...]
) -> list[ChangeSet]:
    if bool(services) == all_services:
        raise click.UsageError("give --service NAME (repeatable) or --all")
    names = list(campaign.services) if all_services else list(dict.fromkeys(services))
    unknown = [name for name in names if name not in campaign.services]
    if unknown:
        known = ", ".join(campaign.services)
        raise ConfigError([f"--service: unknown service {name!r} (known: {known})" for name in unknown])
    changes = [c for c in campaign.change_sets(names) if not change_keys or c.key in change_keys]
    missing = set(change_keys) - {change.key for change in campaign.change_sets(names)}
    if missing:
        raise ConfigError([f"--change: no change set {key!r} in {', '.join(names)}" for key in sorted(missing)])
    return changes


def _progress(done: int, total: int, result: Result) -> None:
    colour = report.STATUS_COLOURS.get(result.status, "cyan")
    status = click.style(result.status, fg=colour)
    reason = f"  {result.reason}" if result.reason and result.status in ATTENTION else ""
    click.echo(f"[{done:>2}/{total}] {result.change.id:28} {status} ({result.seconds:.1f}s){reason}", err=True)


def _report(campaign: Campaign, results: list[Result], output_dir: Path | None, show_diff: bool) -> int:
    if show_diff:
        for result in results:
            click.echo(report.render(campaign, result) + "\n")
    if output_dir is not None:
        click.echo(f"review bundle: {report.write_bundle(campaign, results, output_dir)}", err=True)
    if os.environ.get("GITHUB_STEP_SUMMARY"):  # GitHub Actions: the run as a table on the job page
        with open(os.environ["GITHUB_STEP_SUMMARY"], "a", encoding="utf-8") as summary:
            summary.write(f"### {campaign.plan}\n\n{report.markdown_table(results)}\n")
    failed = [result for result in results if result.failed]
    click.echo(f"{len(results)} change sets: {report.totals(results)}")
    for result in results:
        if result.status in ATTENTION:  # left alone, or broken: a person should look
            colour = report.STATUS_COLOURS.get(result.status, "cyan")
            click.echo(click.style(f"{result.status.upper()} {result.change.id}: ", fg=colour, bold=True) + result.reason)
    return EXIT_FAILED if failed else EXIT_OK


@cli.command()
@campaign_option
@click.option("-s", "--service", "services", multiple=True, help="Only these services (default: all).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def status(campaign_dir: Path, services: tuple[str, ...], as_json: bool) -> int:
    """Show every change set's PR: URL, state, review decision, checks, human edits.

    States: missing, open, draft, merged, closed. Reads GitHub only (no clone).

    \b
    Examples:
      bot status
      bot status --service traction --json
    """
    campaign = load_campaign(campaign_dir)
    changes = _select(campaign, services, not services, ())
    github = rollout.connect_github(os.environ, None)
    rows = rollout.status_rows(github, changes)
    if as_json:
        click.echo(json.dumps({"change_sets": [_status_dict(change, row) for change, row in rows]}, indent=2))
    else:
        click.echo(f"{'CHANGE SET':28} {'STATE':10} {'REVIEW':18} {'CHECKS':9} {'EDITED BY':16} PR")
        for change, row in rows:
            click.echo(_status_line(change, row))
    return EXIT_FAILED if any(isinstance(row, str) for _, row in rows) else EXIT_OK


def _status_dict(change: ChangeSet, row: object) -> dict:
    base = {"service": change.service, "change": change.key, "item": change.item.id}
    if isinstance(row, str):
        return {**base, "repo": change.repo.full_name, "branch": change.branch, "state": "failed", "error": row}
    return {**base, **row.as_dict()}


def _status_line(change: ChangeSet, row: object) -> str:
    if isinstance(row, str):
        return f"{change.id:28} {click.style(row, fg='red')}"
    edited = ", ".join(row.edited_by) or "-"
    return f"{change.id:28} {row.state:10} {row.review or '-':18} {row.checks or '-':9} {edited:16} {row.url or '-'}"


@cli.command()
@campaign_option
@click.option("-s", "--service", "services", multiple=True, required=True, help="Service whose PRs to close.")
@click.option("-c", "--change", "change_keys", multiple=True, help="Only these change sets.")
@click.option("-y", "--yes", is_flag=True, help="Do not ask for confirmation.")
def close(campaign_dir: Path, services: tuple[str, ...], change_keys: tuple[str, ...], yes: bool) -> int:
    """Close the bot's open PRs and delete their branches (a branch with human commits is kept).

    \b
    Examples:
      bot close --service traction --change rum
      bot close --service acapy --yes
    """
    campaign = load_campaign(campaign_dir)
    changes = _select(campaign, services, False, change_keys)
    github = rollout.connect_github(os.environ, None)
    click.echo("\n".join(f"  {c.id}: {c.repo.full_name} {c.branch}" for c in changes))
    if not yes and not click.confirm(f"Close these {len(changes)} change sets' PRs and delete their branches?"):
        click.echo("nothing closed")
        return EXIT_OK
    rows = rollout.close_rows(github, changes)
    for change, row in rows:
        if isinstance(row, str):
            click.echo(f"{change.id:28} {click.style(row, fg='red')}")
        else:
            done = f"closed {row.url}" if row.url else "nothing to close"
            branch = "branch deleted" if row.branch_deleted else row.detail
            click.echo(f"{change.id:28} {done}; {branch}")
    return EXIT_FAILED if any(isinstance(row, str) for _, row in rows) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    try:
        return cli.main(args=argv, prog_name="bot", standalone_mode=False) or EXIT_OK
    except click.exceptions.Abort:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED
    except click.ClickException as exc:  # usage errors: unknown option, missing argument, ...
        exc.show()
        return EXIT_USAGE
    except ConfigError as exc:
        for problem in exc.problems:
            click.echo(f"error: {problem}", err=True)
        return EXIT_USAGE
    except BotError as exc:
        click.echo(f"error: {exc}", err=True)
        return EXIT_FAILED
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return EXIT_INTERRUPTED


if __name__ == "__main__":
    sys.exit(main())
