"""The gates a publishing run waits for: `bot apply` (without --dry-run) runs each required gate first,
and pushes nothing when one fails. What each PR body says about its gate comes from here."""

from __future__ import annotations

import os

import click

from bot.campaign.model import Campaign, ChangeSet
from bot.cli.gate import render
from bot.cli.stack_options import DEFAULT_TIMEOUT
from bot.errors import ConfigError
from bot.verify.endpoints import Endpoints, resolve
from bot.verify.gate import pr_lines, run_gate, skipped_pr_lines


def required(campaign: Campaign, changes: list[ChangeSet]) -> list[str]:
    """The gates (gate:<env>) the publishable change sets wait for, in order."""
    return list(dict.fromkeys(g for c in changes if not c.skip for g in campaign.gates_for(c)))


def gate_endpoints(campaign: Campaign, changes: list[ChangeSet]) -> list[Endpoints]:
    """Where each gate the change sets wait for looks; ConfigError before any work when a
    BOT_* endpoint override is malformed, or would apply to several environments."""
    gates = required(campaign, changes)
    found = [resolve(campaign, gate.removeprefix("gate:"), {}, dict(os.environ)) for gate in gates]
    overridden = sorted({name for endpoints in found for name in endpoints.overridden})
    if overridden and len(found) > 1:
        problem = (
            f"{', '.join(overridden)}: endpoint overrides apply to one environment, but the selected "
            f"change sets wait for {', '.join(gates)}; publish them one environment at a time"
        )
        raise ConfigError([problem])
    return found


def run_required(gates: list[Endpoints], *, skip: bool) -> dict[str, list[str]] | None:
    """PR-body lines per gate, or None when a gate failed (the reasons are printed; publish nothing)."""
    if skip:
        for endpoints in gates:
            click.echo(
                f"--skip-gate: not running `bot gate --env {endpoints.name}`; each PR body says so",
                err=True,
            )
        return {f"gate:{endpoints.name}": skipped_pr_lines(endpoints.name) for endpoints in gates}
    notes = {}
    for endpoints in gates:
        env = endpoints.name
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
