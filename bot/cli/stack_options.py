"""Options `bot gate`, `bot verify` and `bot apply` share: the environment and its endpoint overrides."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import click

from bot.campaign.model import Campaign
from bot.verify.endpoints import KUBE_CONTEXT, OVERRIDES, Endpoints, resolve

# More than the Node SDK's 60 s flush interval, and the 2 minutes observability.md advises polling
# Pyroscope for (its ingest-to-query latency is unmeasured).
DEFAULT_TIMEOUT = 180.0
TIMEOUT_HELP = (
    "Seconds for the whole command, each request included: a server that never answers gives a failed "
    "row, not a hang. Default 180: longer than the Node SDK's 60 s flush and the 2 minutes Pyroscope "
    "ingest-to-query may take."
)


def endpoint_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--pyroscope-url ... --grafana-url and --kube-context; values arrive in `overrides`."""
    specs = [*OVERRIDES.items(), ("kube_context", KUBE_CONTEXT)]
    for field, (flag, variable) in reversed(specs):
        what = "Kubernetes context of the kubeconfig" if field == "kube_context" else "URL"
        command = click.option(
            flag, field, default=None, metavar="URL" if field != "kube_context" else "NAME",
            help=f"{what} instead of recipes.yaml's environments.<env>.{field} [env: {variable}]",
        )(command)  # fmt: skip
    return command


def output_and_timeout(command: Callable[..., Any]) -> Callable[..., Any]:
    """--json and --timeout, as gate and verify take them."""
    command = click.option(
        "--timeout",
        type=click.FloatRange(min=1),
        default=DEFAULT_TIMEOUT,
        show_default=True,
        help=TIMEOUT_HELP,
    )(command)
    return click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")(
        command
    )


def env_option(command: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--env", "env_name", default="dev", show_default=True, help="Environment of recipes.yaml."
    )(command)


def endpoints(campaign: Campaign, env_name: str, overrides: dict[str, str | None]) -> Endpoints:
    return resolve(campaign, env_name, overrides, dict(os.environ))


def pop_overrides(kwargs: dict[str, Any]) -> dict[str, str | None]:
    return {field: kwargs.pop(field) for field in [*OVERRIDES, "kube_context"]}
