"""`bot apply`: clone, apply the recipes, check, diff; publish the PRs unless --dry-run."""

from __future__ import annotations

import os
from pathlib import Path

import click

from bot.campaign.model import Campaign
from bot.checks import node_tools
from bot.checks.charts import CACHE_ENV, PULL_ENV, ChartSource
from bot.cli import holds, track
from bot.cli.options import (
    EXIT_FAILED,
    EXIT_INTERRUPTED,
    EXIT_OK,
    EXIT_REPORT_LOST,
    campaign_option,
    default_workspace,
    refuse_placeholders,
    require_selection,
    select,
    selection_options,
)
from bot.cli.preflight import Preflight
from bot.forge.credentials import git_auth_env
from bot.rollout import publisher, report, results_cache
from bot.rollout.apply import Interrupted, Result, run_all
from bot.rollout.outputs import Outputs
from bot.verify.endpoints import Endpoints
from bot.workspace import samples
from bot.workspace.checkout import Workspace
from bot.workspace.lockfiles import LockSettings

ATTENTION = (
    "failed",
    "edited",
    "closed",
    "interrupted",
)  # statuses listed again under the totals, with their reason


@click.command()
@campaign_option
@selection_options("roll out")
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show diffs and PR previews; push nothing, write nothing remote.",
)
@click.option(
    "-o",
    "--output-dir",
    type=click.Path(path_type=Path),
    help="Write patches and summary.json here.",
)
@click.option("--workspace", "workspace_dir", type=click.Path(path_type=Path),
              envvar="BOT_WORKSPACE", default=default_workspace, show_default="$BOT_WORKSPACE or ~/.cache/phase3-bot",
              help="Clone cache and scratch space, kept between runs.")  # fmt: skip
@click.option("--clone-url-template", envvar="BOT_CLONE_URL_TEMPLATE",
              help="Clone URL with {owner} and {repo}, e.g. file:///srv/mirrors/{owner}+{repo}.git "
                   "[default: $GITHUB_SERVER_URL/{owner}/{repo}.git, else https://github.com/...]")  # fmt: skip
@click.option(
    "--samples", "use_samples", is_flag=True, help="Use the bundled sample repos (offline demo)."
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="Change sets processed at once.",
)
@click.option(
    "--diff/--no-diff", "show_diff", default=True, help="Print the full report per change set."
)
@click.option(
    "--reopen", is_flag=True, help="Reopen the bot's PRs that were closed without merging."
)
@click.option("--lockfiles/--no-lockfiles", "regenerate_locks", default=None, envvar="BOT_LOCKFILES",
              help="Regenerate the lockfiles of edited dependency files with each repo's own tool "
                   "[default: on; off with --samples]. Off: a note names the lockfile to regenerate.")  # fmt: skip
@click.option("--chart-cache", type=click.Path(path_type=Path), envvar=CACHE_ENV,
              show_default="$BOT_CHART_CACHE, else <workspace>/charts",
              help="Third-party Helm charts for render checks (helm pull output); never committed.")  # fmt: skip
@click.option("--pull-charts", is_flag=True, envvar=PULL_ENV,
              help="`helm pull` a missing chart into the chart cache (needs the network).")  # fmt: skip
@click.option("--cache/--no-cache", "use_cache", default=True, show_default=True,
              help="Dry-runs: answer a change set whose inputs have not changed (base tree, recipe, bot, "
                   "tools) from <workspace>/results; BOT_RESULTS_CACHE=0 turns it off.")  # fmt: skip
@click.option(
    "--skip-gate",
    is_flag=True,
    help="Publish without running the gates the change sets wait for (`bot gate`); each PR body says so.",
)
def apply(
    campaign_dir: Path, services: tuple[str, ...], all_services: bool, change_keys: tuple[str, ...], dry_run: bool,
    output_dir: Path | None, workspace_dir: Path, clone_url_template: str | None, use_samples: bool, jobs: int,
    show_diff: bool, reopen: bool, chart_cache: Path | None, pull_charts: bool,
    regenerate_locks: bool | None, use_cache: bool, skip_gate: bool,
) -> int:  # fmt: skip
    """Apply the recipes of one or more services: clone, apply codemods, check, diff, and open PRs.

    Without --dry-run each change set that passes its checks is committed (signed off) on
    phase-3/<service>-<change>, pushed, and opened or updated as a labelled PR. Needs GITHUB_TOKEN
    or GitHub App credentials; see the README. Publishing first runs the gates the change sets wait
    for (settings.service_gate for per-service change sets, `requires:` for the others): if one
    fails, nothing is pushed (exit 1); --skip-gate publishes anyway and says so in each PR body.

    \b
    Examples:
      bot apply --service acapy --dry-run
      bot apply --service traction --change rum --dry-run --output-dir review/
      bot apply --all --dry-run --samples
      GITHUB_TOKEN=... bot apply --service acapy
    """
    if use_samples and not dry_run:
        raise click.UsageError("--samples is an offline demo: add --dry-run")
    require_selection(services, all_services)
    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    changes = check.selection(campaign, services, all_services, change_keys)
    gates: list[Endpoints] | None = []
    if campaign and changes and not dry_run:
        check.check(refuse_placeholders, changes)
        gates = check.check(holds.gate_endpoints, campaign, changes)
    root = check.directory(workspace_dir, "workspace_dir")
    chart_dir = check.chart_cache(chart_cache, pull_charts)
    outputs = Outputs(check.output_dir(output_dir), check.step_summary(), root)
    template = None if use_samples else check.clone_template(clone_url_template)
    check.done()
    assert campaign is not None and changes is not None and root is not None  # else done() raised
    node_tools.configure(root)  # the parsers' packages, when installed on first use
    if use_samples:
        template = samples.build(campaign, root / "samples")
    assert template is not None
    github = None if dry_run else check.github(template)
    git_env = (
        git_auth_env(github.forge.push_token(), template.format(owner="o", repo="r"))
        if github
        else None
    )
    gate_notes: dict[str, list[str]] = {}
    found = None
    if github is not None:
        notes = holds.run_required(gates or [], skip=skip_gate)
        if notes is None:
            return EXIT_FAILED  # a gate failed: nothing cloned, nothing pushed
        gate_notes = notes
        campaign, found = track.link(campaign, github)  # PR bodies link the items' issues
        changes = select(campaign, services, all_services, change_keys)
    charts = ChartSource(chart_dir or root / "charts", pull=pull_charts)
    workspace = Workspace(root, template, git_env=git_env, charts=charts)
    publish = (
        publisher.publisher(campaign, github, reopen=reopen, gate_notes=gate_notes)
        if github
        else None
    )
    mode = "dry-run" if dry_run else "publishing"
    click.echo(f"{len(changes)} change sets ({mode}), {jobs} at a time, from {template}", err=True)
    locks = _lock_settings(root, use_samples, regenerate_locks)
    cache = None
    if dry_run and results_cache.enabled(use_cache):  # publishing always does the work
        cache = results_cache.ResultsCache(
            root / "results", lockfiles=locks is not None, charts=charts
        )
    try:
        results = run_all(
            changes, workspace, jobs=jobs, publish=publish, progress=_progress, locks=locks,
            cache=cache,
        )  # fmt: skip
    except Interrupted as stopped:
        click.echo("interrupted: no further change set will start or publish", err=True)
        _report(campaign, stopped.results, outputs, show_diff=False)
        return EXIT_INTERRUPTED
    code = _report(
        campaign, results, outputs, show_diff
    )  # the report first: nothing below can lose it
    if github is not None and found is not None:  # no tracking issues: no PR states to read
        published = [change for change in changes if not change.skip]
        track.refresh(campaign, github, found, publisher.status_rows(github, published))
    return code


def _lock_settings(
    workspace_dir: Path, use_samples: bool, regenerate: bool | None
) -> LockSettings | None:
    """On unless --no-lockfiles; --samples (the offline demo) turns it off unless --lockfiles asks."""
    if regenerate is None and use_samples:
        click.echo("lockfiles: not regenerated with --samples (the offline demo needs no registry); each change set "
                   "notes which lockfile to regenerate; add --lockfiles to regenerate them", err=True)  # fmt: skip
        return None
    if regenerate is False:
        click.echo(
            "lockfiles: not regenerated (--no-lockfiles); each change set notes which lockfile to regenerate",
            err=True,
        )
        return None
    tools = workspace_dir / "tools"
    click.echo(
        f"lockfiles: regenerated with each repo's own tool and version (tool cache: {tools})",
        err=True,
    )
    return LockSettings(tools_dir=tools, environ=dict(os.environ))


def _progress(done: int, total: int, result: Result) -> None:
    colour = report.STATUS_COLOURS.get(result.status, "cyan")
    status = click.style(result.status, fg=colour)
    reason = f"  {result.reason}" if result.reason and result.status in ATTENTION else ""
    click.echo(
        f"[{done:>2}/{total}] {result.change.id:28} {status} ({result.seconds:.1f}s){reason}",
        err=True,
    )


def _report(campaign: Campaign, results: list[Result], outputs: Outputs, show_diff: bool) -> int:
    """Files first (a closed stdout cannot lose them), then the terminal report, then what could not be
    written, after the totals so it is the last thing a reader sees."""
    written = outputs.write(campaign, results)
    if show_diff:
        for result in results:
            click.echo(report.render(campaign, result) + "\n")
    click.echo(f"{len(results)} change sets: {report.totals(results)}")
    for result in results:
        if result.status in ATTENTION:  # left alone, or broken: a person should look
            colour = report.STATUS_COLOURS.get(result.status, "cyan")
            click.echo(
                click.style(f"{result.status.upper()} {result.change.id}: ", fg=colour, bold=True)
                + result.reason
            )
    if written.bundle is not None:
        click.echo(f"review bundle: {written.bundle}", err=True)
    for problem in written.lost:
        click.echo(click.style("error: ", fg="red", bold=True) + problem, err=True)
    if written.lost:
        return EXIT_REPORT_LOST
    return EXIT_FAILED if any(result.failed for result in results) else EXIT_OK
