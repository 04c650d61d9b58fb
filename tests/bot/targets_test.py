"""What `bot verify` looks for is derived from the recipes at load time; what a change set waits for
comes from settings.service_gate and `requires:`."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import Workload
from bot.errors import ConfigError
from tests.bot.environments_test import DEV
from tests.helpers.campaign import PYROSCOPE_STEPS, campaign, item, write_campaign

ROOT = Path(__file__).resolve().parents[2]


def _load(tmp_path: Path, steps: list, labels: list[str], **settings: str):
    data = campaign({"svc": "example/svc"}, [item("svc-x", "svc", labels)])
    data["settings"].update(settings)
    data["environments"] = {"dev": DEV}
    recipe = {"item": "svc-x", "subject": "do it", "steps": steps}
    return load_campaign(
        write_campaign(tmp_path, data, {"svc": {"service": "svc", "changes": {"x": recipe}}})
    )


def test_the_real_campaign_names_what_each_change_set_deploys() -> None:
    changes = {c.id: c for c in load_campaign(ROOT).change_sets()}
    assert changes["traction/profiling"].targets.profile_apps == (
        "traction-acapy",
        "traction-tenant-ui",
    )
    assert changes["bc-wallet/rum"].targets.faro_apps == (
        "bc-wallet-demo-frontend",
    )  # from initFaro({ name })
    assert changes["vc-authn/rum"].targets.faro_apps == ("vc-authn-oidc", "vc-authn-oidc-demo")
    assert changes["traction/profiling-helm"].targets.workloads == (
        Workload("traction", "traction", "Deployment", "tenant-ui", ("PYROSCOPE_SERVER_ADDRESS",)),
        Workload(
            "traction", "acapy", "Deployment", "acapy", ("PYROSCOPE_SERVER_ADDRESS",)
        ),  # the subchart
    )
    assert changes["acapy/profiling"].targets.workloads == ()


def test_a_profiling_change_set_without_an_application_name_is_a_load_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, copy.deepcopy(PYROSCOPE_STEPS[:1]), ["phase-3", "profiling"])
    assert [p.split(": ", 1)[1] for p in error.value.problems] == [
        (
            "changes.x.steps: no Pyroscope application name (python.add_startup_call application_name, or "
            "values.app_name of pyroscope-init.ts): bot verify needs one"
        )
    ]


def test_per_service_change_sets_wait_for_the_service_gate(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path, copy.deepcopy(PYROSCOPE_STEPS), ["phase-3", "profiling"], service_gate="dev"
    )
    (change,) = loaded.change_sets()
    assert loaded.gates_for(change) == ("gate:dev",)
    with pytest.raises(ConfigError) as error:
        _load(tmp_path, copy.deepcopy(PYROSCOPE_STEPS), ["phase-3", "profiling"], service_gate="qa")
    assert error.value.problems[0].endswith(
        "settings.service_gate: unknown environment 'qa' (known: dev)"
    )
