"""Load-time chart rules (bot/campaign/charts.py): code change sets leave charts alone, and every
chart a Helm change set edits has a helm_render check that renders it whole."""

import copy
import shutil
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.campaign.charts import chart_of
from bot.campaign.load import load_campaign
from bot.errors import ConfigError
from tests.helpers.campaign import PYROSCOPE_STEPS, campaign, item, write_campaign

ROOT = Path(__file__).resolve().parents[2]
CADDY_STEP = {
    "codemod": "caddy.add_route",
    "path": "charts/app/files/caddyfile.tpl",
    "with": {"path": "/faro", "proxied": ["pass"]},
}
VALUES_STEP = {
    "codemod": "helm.set_value",
    "path": "charts/app/values.yaml",
    "with": {"key": "faro", "value": {"enabled": False}},
}
RENDER = {
    "helm_render": {"chart": "charts/app", "enable": {"faro": {"enabled": True}}, "expect": []}
}


def _problems(tmp_path, changes):
    items = [item("svc-rum", "svc"), item("svc-rum-helm", "svc", ["phase-3", "helm"])]
    recipe = {"service": "svc", "changes": changes}
    root = write_campaign(tmp_path, campaign({"svc": "example/svc"}, items), {"svc": recipe})
    with pytest.raises(ConfigError) as error:
        load_campaign(root)
    return error.value.problems


def _change(item_id, steps, validate=()):
    return {
        "item": item_id,
        "subject": "x",
        "steps": copy.deepcopy(steps),
        "validate": list(validate),
    }


@pytest.mark.parametrize(
    ("path", "chart"),
    [
        ("charts/showcase/files/caddyfile.tpl", "charts/showcase"),
        ("charts/traction/charts/acapy/templates/deployment.yaml", "charts/traction"),
        ("deploy/charts/app/values.yaml", "deploy/charts/app"),
        ("helm/app/values.yaml", "helm/app"),  # named by a helm_render check
        ("frontend/Caddyfile", None),
        ("deploy/traction/values-pr.yaml", None),  # an overlay, outside any chart
        ("charts/README.md", None),
    ],
)
def test_chart_directories_from_paths(path, chart):
    assert chart_of(path, {"helm/app"}) == chart


def test_a_code_change_set_that_edits_a_chart_fails_with_file_and_key(tmp_path):
    problems = _problems(
        tmp_path,
        {
            "rum": _change("svc-rum", [*PYROSCOPE_STEPS, CADDY_STEP]),
            "rum-helm": _change("svc-rum-helm", [VALUES_STEP], [RENDER]),
        },
    )
    assert problems == [
        (
            "recipes/svc.yaml:20: changes.rum.steps[2].path: charts/app/files/caddyfile.tpl is inside "
            "the chart charts/app, but item 'svc-rum' is not a -helm item: chart edits go in the "
            "service's -helm change set, behind a switch that is off by default"
        )
    ]


def test_a_helm_codemod_in_a_code_change_set_fails(tmp_path):
    overlay = {**VALUES_STEP, "path": "deploy/values-dev.yaml"}
    problems = _problems(
        tmp_path,
        {
            "rum": _change("svc-rum", [overlay]),
            "rum-helm": _change("svc-rum-helm", [VALUES_STEP], [RENDER]),
        },
    )
    assert problems == [
        (
            "recipes/svc.yaml:7: changes.rum.steps[0].codemod: helm.set_value edits Helm charts, "
            "but item 'svc-rum' is not a -helm item"
        )
    ]


def test_a_helm_change_set_must_render_every_chart_it_edits(tmp_path):
    other = {**VALUES_STEP, "path": "charts/other/values.yaml"}
    problems = _problems(
        tmp_path,
        {
            "rum": _change("svc-rum", PYROSCOPE_STEPS),
            "rum-helm": _change("svc-rum-helm", [VALUES_STEP, CADDY_STEP, other], [RENDER]),
        },
    )
    assert problems == [
        (
            "recipes/svc.yaml:39: changes.rum-helm.validate: edits the chart charts/other but no "
            "helm_render check renders it; add one with chart: charts/other so its default render is "
            "compared whole, before and after"
        )
    ]


def test_the_bc_wallet_chart_route_in_the_rum_change_set_is_refused(tmp_path):
    """Issue 15 as it was: the rum code change set edited charts/showcase/files/caddyfile.tpl."""
    shutil.copytree(ROOT / "recipes", tmp_path / "recipes")
    shutil.copy(ROOT / "recipes.yaml", tmp_path / "recipes.yaml")
    yaml = YAML()
    path = tmp_path / "recipes" / "bc-wallet.yaml"
    recipe = yaml.load(path)
    (chart_step,) = [
        s for s in recipe["changes"]["rum-helm"]["steps"] if s["codemod"] == "caddy.add_route"
    ]
    recipe["changes"]["rum"]["steps"].append(chart_step)
    yaml.dump(recipe, path)
    with pytest.raises(ConfigError) as error:
        load_campaign(tmp_path)
    (problem,) = error.value.problems
    assert problem.startswith("recipes/bc-wallet.yaml:")
    assert "changes.rum.steps[" in problem
    assert "charts/showcase/files/caddyfile.tpl is inside the chart charts/showcase" in problem
