"""Change sets with a planner (`plan:`), `${env.*}` references, and one item served per environment."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import Campaign
from bot.errors import ConfigError
from tests.helpers.campaign import campaign, item, write_campaign

DEV = {
    "namespace": "ca7f8f-dev",
    "pyroscope_url": "http://pyroscope.ca7f8f-dev.svc:4040",
    "alloy_profile_url": "http://alloy.ca7f8f-dev.svc:9999",
    "faro_url": "http://alloy.ca7f8f-dev.svc:12347/collect",
    "loki_url": "http://loki-gateway.ca7f8f-dev.svc",
    "tempo_url": "http://tempo.ca7f8f-dev.svc:3200",
}
PLAN = {
    "gitops.plan_pyroscope": {
        "environment": "dev", "namespace": "${env.namespace}", "chart_version": "2.2.1", "mode": "single-binary",
        "resources": {"cpu": "100m", "memory": "256Mi", "volume": "1Gi"}, "profile_port": "${profile_port}",
        "cors_origins": "${origins.dev}",
    }
}  # fmt: skip


def _load(tmp_path: Path, changes: dict) -> Campaign:
    data = campaign({"platform": "example/gitops"}, [item("deploy", "platform")])
    data["environments"] = {"dev": DEV, "test": DEV | {"namespace": "ca7f8f-test"}}
    data["settings"] |= {"profile_port": 9999, "origins": {"dev": ["https://a.example"]}}
    recipes = {"platform": {"service": "platform", "changes": changes}}
    return load_campaign(write_campaign(tmp_path, data, recipes))


def _change(environment: str | None = "dev", plan: dict | None = None) -> dict:
    change = {"item": "deploy", "subject": "deploy", "plan": copy.deepcopy(plan or PLAN)}
    return change | ({"environment": environment} if environment else {})


def test_plan_parameters_resolve_settings_and_the_environment_with_their_types(
    tmp_path: Path,
) -> None:
    (change,) = _load(tmp_path, {"dev": _change()}).change_sets()
    assert change.plan is not None and change.plan.name == "gitops.plan_pyroscope"
    assert (change.plan.params.namespace, change.plan.params.profile_port, change.plan.params.cors_origins) == (
        "ca7f8f-dev", 9999, ["https://a.example"])  # fmt: skip


def test_one_item_is_served_once_per_environment(tmp_path: Path) -> None:
    loaded = _load(tmp_path, {"dev": _change("dev"), "test": _change("test")})
    assert [c.environment for c in loaded.change_sets()] == ["dev", "test"]
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, {"dev": _change("dev"), "again": _change("dev")})
    assert error.value.problems[-1].endswith(
        "changes.again.item: item 'deploy' is already served by change 'dev'"
    )


def test_bad_plans_name_the_key(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, {
            "a": _change(plan={"gitops.plan_pyroscop": {}}),
            "b": _change("test", plan={"gitops.plan_pyroscope": {**PLAN["gitops.plan_pyroscope"], "mode": "ha"}}),
            "c": _change(None),
        })  # fmt: skip
    problems = [p.split(": ", 1)[1] for p in error.value.problems]
    assert (
        "changes.a.plan: unknown planner 'gitops.plan_pyroscop' (did you mean 'gitops.plan_pyroscope'?)"
        in problems
    )
    assert (
        "changes.b.plan.gitops.plan_pyroscope.mode: expected one of 'single-binary', 'microservices', got 'ha'"
        in problems
    )
    assert (
        "changes.c.plan.gitops.plan_pyroscope.namespace: ${env.namespace} is not a field of the change set's "
        "environment (does it name one with `environment:`?)"
    ) in problems
