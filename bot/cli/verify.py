"""`bot verify`: the acceptance criteria of the selected change sets, judged against the live stack."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from bot import tracking
from bot.cli import track
from bot.cli.options import EXIT_FAILED, EXIT_OK, campaign_option, selection_options
from bot.cli.preflight import Preflight
from bot.cli.stack_options import (
    endpoint_options,
    env_option,
    output_and_timeout,
    pop_overrides,
)
from bot.stack.http import Deadline
from bot.verify.browser_cors import browser_evidence
from bot.verify.evaluate import evaluate
from bot.verify.probe import BrowserEvidence, Probe
from bot.verify.verdicts import BLOCKED, FAILED, MANUAL, PASSED, VERDICTS, Verdict

COLOURS = {PASSED: "green", FAILED: "red", MANUAL: "yellow", BLOCKED: "magenta"}


@click.command()
@campaign_option
@env_option
@selection_options("verify")
@click.option(
    "--window",
    type=click.IntRange(1, 7 * 24 * 60),
    default=60,
    show_default=True,
    help="Minutes back to look for profiles, log entries and traces.",
)
@click.option(
    "--browser",
    "browser_url",
    metavar="URL",
    help="Open this live page in headless Chromium for the 'no CORS errors' criteria.",
)
@click.option(
    "--report",
    is_flag=True,
    help="Write the verdicts to the items' tracking issues: tick what passed, one evidence comment "
    "per item, refresh the dashboard (see docs/tracking.md). Without it nothing is written.",
)
@output_and_timeout
@endpoint_options
def verify(campaign_dir: Path, env_name: str, services: tuple[str, ...], all_services: bool,
           change_keys: tuple[str, ...], window: int, browser_url: str | None, report: bool, as_json: bool,
           timeout: float, **kwargs: Any) -> int:  # fmt: skip
    """Check each acceptance criterion of the selected change sets' tracking items against the stack.

    Every criterion gets exactly one verdict, with its evidence (query, count, time window):
    passed, failed, manual (a person must judge it) or blocked (a precondition the plan assumed is
    missing, e.g. backend spans while the backends are not traced). Exit 0 when nothing failed (manual
    and blocked are listed under the totals), 1 otherwise, 2 on a configuration error.

    \b
    Examples:
      bot verify --env dev --all
      bot verify --env dev --service acapy --change profiling --json
      bot verify --env dev --service traction --change rum --browser https://tenant-ui.example.org
    """
    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    selected = check.selection(campaign, services, all_services, change_keys)
    resolved = check.endpoints(campaign, env_name, pop_overrides(kwargs))
    if report:
        check.tracking_repo(campaign, "`bot verify --report`")
    check.done()
    assert (
        campaign is not None and selected is not None and resolved is not None
    )  # else done() raised
    github = check.github(None) if report else None
    changes = []
    for change in selected:
        if (
            change.environment and change.environment != env_name
        ):  # infrastructure of another environment
            click.echo(
                f"{change.id} deploys to {change.environment}: verify it with --env {change.environment}",
                err=True,
            )
        else:
            changes.append(change)
    deadline = Deadline(timeout)
    probe = Probe(resolved, deadline, window, _browser(browser_url, timeout))
    verdicts = evaluate(campaign, changes, probe)
    if as_json:
        click.echo(
            json.dumps({"env": env_name, "criteria": [v.as_json() for v in verdicts]}, indent=2)
        )
    else:
        click.echo(render(env_name, verdicts))
    # an item deployed per environment (dev, test, prod) is not proved by one environment's verdicts
    per_env = {change.item.id for change in changes if change.environment}
    findings = tracking.findings_by_item(verdicts)
    source = f"bot verify --env {env_name}"
    if github is not None and not track.write_back(campaign, github, findings, source, per_env):
        return EXIT_FAILED
    return EXIT_FAILED if any(v.verdict == FAILED for v in verdicts) else EXIT_OK


def _browser(url: str | None, timeout: float) -> BrowserEvidence | None:
    """What headless Chromium saw on the live page (bot.stack.browser), or why it could not look."""
    return None if url is None else browser_evidence(url, timeout)


def render(env: str, verdicts: list[Verdict]) -> str:
    lines = []
    for change in dict.fromkeys(v.change for v in verdicts):
        lines.append(click.style(f"━━ {change}", bold=True))
        for v in (v for v in verdicts if v.change == change):
            lines.append(f"  {click.style(f'{v.verdict:7}', fg=COLOURS[v.verdict])}  {v.criterion}")
            evidence = v.evidence
            if evidence.query:
                lines.append(f"           query:  {evidence.query}")
            counted = f"count {evidence.count}, " if evidence.count is not None else ""
            if counted or evidence.window:
                lines.append(f"           {counted}window {evidence.window or '-'}")
            if evidence.detail:
                lines.append(f"           {evidence.detail}")
    counts = {verdict: sum(v.verdict == verdict for v in verdicts) for verdict in VERDICTS}
    lines.append(
        f"verify {env}: {len(verdicts)} criteria: "
        + ", ".join(f"{n} {k}" for k, n in counts.items())
    )
    for v in verdicts:
        if v.verdict in (MANUAL, BLOCKED):
            lines.append(f"{v.verdict.upper()} {v.change}: {v.criterion}: {v.evidence.detail}")
    return "\n".join(lines)
