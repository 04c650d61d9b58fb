"""The gates a publishing run waits for: `bot apply` (without --dry-run) runs each required gate first,
and pushes nothing when one fails. What each PR body says about its gate comes from here."""

from __future__ import annotations

import os

import click

from bot.campaign.model import Campaign, ChangeSet
from bot.cli.gate import render
from bot.cli.stack_options import DEFAULT_TIMEOUT
from bot.errors import ConfigError
from bot.verify.endpoints import resolve
from bot.verify.gate import pr_lines, run_gate, skipped_pr_lines


def required(campaign: Campaign, changes: list[ChangeSet]) -> list[str]:
    """The gates (gate:<env>) the publishable change sets wait for, in order."""
    return list(dict.fromkeys(g for c in changes if not c.skip for g in campaign.gates_for(c)))


def run_required(
    campaign: Campaign, changes: list[ChangeSet], *, skip: bool
) -> dict[str, list[str]] | None:
    """PR-body lines per gate, or None when a gate failed (the reasons are printed; publish nothing)."""
    gates = required(campaign, changes)
    environments = [gate.removeprefix("gate:") for gate in gates]
    if skip:
        for env in environments:
            click.echo(
                f"--skip-gate: not running `bot gate --env {env}`; each PR body says so", err=True
            )
        return {f"gate:{env}": skipped_pr_lines(env) for env in environments}
    notes = {}
    for env in environments:
        endpoints = resolve(campaign, env, {}, dict(os.environ))
        if endpoints.overridden and len(environments) > 1:
            problem = (
                f"{', '.join(endpoints.overridden)}: endpoint overrides apply to one environment, but the "
                f"selected change sets wait for {', '.join(gates)}; publish them one environment at a time"
            )
            raise ConfigError([problem])
        click.echo(
            f"publishing waits for `bot gate --env {env}` (up to {DEFAULT_TIMEOUT:g} s)", err=True
        )
        report = run_gate(endpoints, DEFAULT_TIMEOUT)
        click.echo(render(report), err=True)
        if not report.passed:
            failed = ", ".join(f"{c.name} ({c.reason})" for c in report.failures())
            click.echo(
                f"nothing pushed: the gate for {env} failed: {failed}. Fix the stack and re-run, or publish "
                "anyway with --skip-gate (each PR body then says the gate was skipped)"
            )
            return None
        notes[f"gate:{env}"] = pr_lines(report)
    return notes
