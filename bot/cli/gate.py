"""`bot gate`: the go/no-go checks for an environment, as a table or JSON; or the Job that runs them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from ruamel.yaml import YAML

from bot.cli import track
from bot.cli.options import EXIT_FAILED, EXIT_OK, campaign_option
from bot.cli.preflight import Preflight
from bot.cli.stack_options import (
    endpoint_options,
    env_option,
    output_and_timeout,
    pop_overrides,
)
from bot.tracking.gate_items import gate_findings
from bot.verify import job
from bot.verify.gate import FAILED, PASSED, GateReport, run_gate

COLOURS = {PASSED: "green", FAILED: "red", "skipped": "yellow"}


@click.command()
@campaign_option
@env_option
@click.option(
    "--print-job",
    is_flag=True,
    help="Print a Kubernetes Job that runs this gate inside the namespace, and exit.",
)
@click.option(
    "--image",
    envvar="BOT_IMAGE",
    default="phase3-bot:latest",
    show_default=True,
    help="--print-job: an image with the bot and this campaign installed (see the README). [env: BOT_IMAGE]",
)
@click.option(
    "--secret",
    "secret_name",
    default="phase3-bot-gate",
    show_default=True,
    help="--print-job: Secret with the optional keys loki-tenant, tempo-tenant, grafana-token, faro-api-key.",
)
@click.option(
    "--report",
    is_flag=True,
    help="Write the results to the go/no-go item's tracking issue (the service gate's environment: "
    "dev) and refresh the dashboard (see docs/tracking.md). Without it nothing is written.",
)
@output_and_timeout
@endpoint_options
def gate(campaign_dir: Path, env_name: str, as_json: bool, timeout: float, print_job: bool, image: str,
         secret_name: str, report: bool, **kwargs: Any) -> int:  # fmt: skip
    """The go/no-go gate: is the stack of an environment ready for Phase 3 data?

    \b
    Checks (one row each, with the reason and the latency):
      pyroscope-ready     GET /ready answers 200 "ready" (a 503 shows Pyroscope's reason)
      pyroscope-query     the Connect query API answers (LabelValues service_name)
      faro-collect        a Faro payload with a fresh nonce is accepted by Alloy's faro.receiver
                          (it answers 202, not the plan's 200: any 2xx passes)
      faro-loki           Loki is polled until the nonce shows up (faro.receiver answers 202 even when
                          its Loki write fails, so this is the real proof)
      profile-roundtrip   a synthetic profile named after a nonce goes to Alloy's /ingest; Pyroscope is
                          polled until the name is in service_name (beyond the plan)
      grafana-datasource  the "Pyroscope (<env>)" datasource is healthy (skipped without URL and token)

    Exit 0 when every check that ran passed (a skipped one does not fail the gate), 1 when one failed,
    2 on a configuration error. Secrets come only from BOT_LOKI_TENANT, BOT_TEMPO_TENANT,
    BOT_GRAFANA_TOKEN and BOT_FARO_API_KEY.

    \b
    Examples:
      bot gate --env dev
      bot gate --env dev --pyroscope-url http://localhost:4040 --json
      bot gate --env dev --print-job | kubectl create -f -
    """
    check = Preflight.start()
    campaign = check.campaign(campaign_dir)
    resolved = check.endpoints(campaign, env_name, pop_overrides(kwargs))
    if report:
        check.tracking_repo(campaign, "`bot gate --report`")
    check.done()
    assert campaign is not None and resolved is not None  # else done() raised
    if print_job:
        environment = campaign.environments[
            env_name
        ]  # in-cluster URLs: the Job runs in the namespace
        manifest = job.manifest(environment, image=image, secret=secret_name, timeout=timeout)
        YAML().dump(manifest, sys.stdout)
        return EXIT_OK
    github = check.github(None) if report else None
    click.echo(f"gate {env_name}: up to {timeout:g} s", err=True)
    result = run_gate(resolved, timeout)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
    else:
        click.echo(render(result))
    if github is not None:
        findings = gate_findings(campaign, result)
        if not findings:
            click.echo(f"gate {env_name}: the go/no-go item covers the service gate only", err=True)
        elif not track.write_back(campaign, github, findings, f"bot gate --env {env_name}"):
            return EXIT_FAILED
    return EXIT_OK if result.passed else EXIT_FAILED


def render(report: GateReport) -> str:
    width = max(len(check.name) for check in report.checks)
    lines = [f"{'check':{width}}  {'status':7}  {'seconds':>7}  reason"]
    for check in report.checks:
        status = click.style(f"{check.status:7}", fg=COLOURS.get(check.status))
        lines.append(f"{check.name:{width}}  {status}  {check.seconds:7.2f}  {check.reason}")
    verdict = "GO" if report.passed else "NO-GO"
    failed = len(report.failures())
    lines.append(f"gate {report.env}: {verdict} ({failed} failed, {report.seconds:.1f} s)")
    return "\n".join(lines)
