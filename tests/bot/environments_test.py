"""recipes.yaml environments, placeholder repositories and change-set requirements: loaded and checked."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import Campaign
from bot.errors import ConfigError
from tests.helpers.campaign import PYROSCOPE_STEPS, campaign, item, write_campaign

ITEMS = [item("svc-profiling", "svc", ["phase-3", "profiling"])]
DEV = {
    "namespace": "ca7f8f-dev",
    "pyroscope_url": "http://pyroscope.ca7f8f-dev.svc:4040",
    "alloy_profile_url": "http://alloy.ca7f8f-dev.svc:9999",
    "faro_url": "http://alloy.ca7f8f-dev.svc:12347/collect",
    "loki_url": "http://loki-gateway.ca7f8f-dev.svc",
    "tempo_url": "http://tempo.ca7f8f-dev.svc:3200",
}


def _load(tmp_path: Path, change: dict | None = None, **top: object) -> Campaign:
    data = campaign({"svc": "example/svc"}, copy.deepcopy(ITEMS)) | top
    recipe = {
        "item": "svc-profiling",
        "subject": "add profiling",
        "steps": copy.deepcopy(PYROSCOPE_STEPS),
    }
    recipes = {"svc": {"service": "svc", "changes": {"profiling": recipe | (change or {})}}}
    return load_campaign(write_campaign(tmp_path, data, recipes))


def _problems(tmp_path: Path, change: dict | None = None, **top: object) -> list[str]:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, change, **top)
    return error.value.problems


def test_environments_load_with_defaults(tmp_path: Path) -> None:
    loaded = _load(tmp_path, environments={"dev": DEV | {"releases": {"svc": "svc-dev"}}})
    dev = loaded.environments["dev"]
    assert (dev.namespace, dev.grafana_url, dev.faro_url) == (
        "ca7f8f-dev",
        "",
        "http://alloy.ca7f8f-dev.svc:12347/collect",
    )
    assert dev.release("svc", chart="svc-chart") == "svc-dev"
    assert dev.release("other", chart="other-chart") == "other-chart"


def test_bad_environment_entries_name_file_and_key(tmp_path: Path) -> None:
    bad = DEV | {
        "namespace": "Not_A_Namespace",
        "loki_url": "loki:3100",
        "tempo_url": "http://user:pw@tempo:3200",
        "releases": {"nope": "x"},
    }
    del bad["faro_url"]
    problems = _problems(tmp_path, environments={"dev": bad})
    assert [p.split(": ", 1)[1] for p in problems] == [
        "environments.dev.faro_url: missing required parameter",
    ]
    problems = _problems(tmp_path, environments={"dev": bad | {"faro_url": DEV["faro_url"]}})
    assert [p.split(": ", 1)[1] for p in problems] == [
        "environments.dev.namespace: not a Kubernetes namespace name: 'Not_A_Namespace'",
        "environments.dev.loki_url: expected an http(s) URL, got 'loki:3100'",
        (
            "environments.dev.tempo_url: credentials must not be part of the URL (secrets come from BOT_* "
            "environment variables)"
        ),
        "environments.dev.releases.nope: unknown service 'nope' (known: svc)",
    ]
    assert all(p.startswith("recipes.yaml:") for p in problems)


def test_tracking_repo_takes_a_name_or_a_placeholder_entry(tmp_path: Path) -> None:
    assert _load(tmp_path).tracking_repo.placeholder is False
    entry = {"repo": "example/tracking", "placeholder": True}
    loaded = _load(tmp_path, tracking_repo=entry)
    assert (loaded.tracking_repo.full_name, loaded.tracking_repo.placeholder) == (
        "example/tracking",
        True,
    )
    problems = _problems(tmp_path, tracking_repo={"repo": "no-slash"})
    assert [p.split(": ", 1)[1] for p in problems] == [
        "tracking_repo.repo: expected owner/name, got 'no-slash'"
    ]


def test_change_sets_name_their_environment_and_the_gates_they_wait_for(tmp_path: Path) -> None:
    change = {"environment": "dev", "requires": ["gate:dev"]}
    (loaded,) = _load(tmp_path, change, environments={"dev": DEV}).change_sets()
    assert (loaded.environment, loaded.requires) == ("dev", ("gate:dev",))
    change = {"environment": "prod", "requires": ["gate:stage", "verify:dev"]}
    problems = _problems(tmp_path, change, environments={"dev": DEV})
    assert [p.split(": ", 1)[1] for p in problems] == [
        "changes.profiling.environment: unknown environment 'prod' (known: dev)",
        "changes.profiling.requires[0]: unknown environment 'stage' (known: dev)",
        "changes.profiling.requires[1]: expected gate:<environment>, got 'verify:dev'",
    ]
    assert all(p.startswith("recipes/svc.yaml:") for p in problems)
