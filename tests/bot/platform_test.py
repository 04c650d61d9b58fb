"""The platform change sets end to end: planner -> steps -> checks -> three PRs, on the sample GitOps repo."""

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.campaign.load import load_campaign
from bot.campaign.model import PlanCall
from bot.cli import main
from bot.rollout.planning import plan_steps
from codemods.gitops import plan_pyroscope
from tests.codemods.gitops import layout_b
from tests.conftest import PROJECT_ROOT
from tests.helpers.gitops import params, sample_files, write_tree


@pytest.fixture(scope="module")
def campaign():
    return load_campaign(PROJECT_ROOT)


def test_bot_list_shows_the_item_with_three_change_sets(capsys):
    assert main(["list", "--campaign", str(PROJECT_ROOT), "--json"]) == 0
    rows = [
        r
        for r in json.loads(capsys.readouterr().out)["change_sets"]
        if r["item"] == "pyroscope-deploy"
    ]
    assert [(r["service"], r["change"], r["repo"]) for r in rows] == [
        ("platform", f"pyroscope-{env}", "bcgov-c/tenant-gitops-ca7f8f")
        for env in ("dev", "test", "prod")
    ]


def test_change_sets_deploy_in_order_and_wait_for_the_previous_gate(campaign):
    changes = {c.key: c for c in campaign.services["platform"].changes}
    assert [(c.environment, c.requires) for c in changes.values()] == [
        ("dev", ()), ("test", ("gate:dev",)), ("prod", ("gate:test",))]  # fmt: skip
    assert changes["pyroscope-prod"].plan.params.mode == "microservices"
    assert changes["pyroscope-dev"].plan.params.namespace == "ca7f8f-dev"  # ${env.namespace}
    assert (
        changes["pyroscope-dev"].plan.params.profile_port == 9999
    )  # ${alloy_profile_port}, an integer
    assert (
        changes["pyroscope-test"].plan.params.cors_origins
        == campaign.settings["faro_cors_origins"]["test"]
    )


def test_environment_urls_are_where_the_change_sets_deploy(campaign):
    """recipes.yaml environments (used by gate/verify) name the Services these PRs create."""
    files = sample_files()
    for env_name, env in campaign.environments.items():
        change = next(c for c in campaign.services["platform"].changes if c.environment == env_name)
        plan = plan_pyroscope.plan(change.plan.params, files)
        assert f"queries via {env.pyroscope_url}" in plan.notes[0]
        assert env.alloy_profile_url.endswith(f":{campaign.settings['alloy_profile_port']}")
        assert env.faro_url.rsplit(":", 1)[1].startswith(str(campaign.settings["faro_port"]))


def test_dry_run_shows_three_prs_offline(tmp_path, capsys):
    code = main(["apply", "--service", "platform", "--dry-run", "--samples", "--campaign", str(PROJECT_ROOT),
                 "--workspace", str(tmp_path / "ws"), "--output-dir", str(tmp_path / "out")])  # fmt: skip
    out = capsys.readouterr().out
    assert code == 0
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    assert [(c["change"], c["status"]) for c in summary] == [
        (f"pyroscope-{e}", "dry-run") for e in ("dev", "test", "prod")
    ]
    assert "waits for: gate:dev" in out and "waits for: gate:test" in out
    assert (
        "placeholder: bcgov-c/tenant-gitops-ca7f8f is not the real name (repos.gitops.placeholder)"
        in out
    )
    prod = summary[2]
    assert any("plan row Store-gateway x2 (150m, 512Mi) dropped" in d for d in prod["deviations"])
    render = next(c for c in prod["checks"] if c["name"] == "helm template (grafana/pyroscope)")
    assert render["status"] == "skipped" and "not in the chart cache" in render["detail"]
    assert {c["name"] for c in prod["checks"]} >= {"alloy", "kubernetes-validate", "yaml"}


def test_publishing_to_the_placeholder_repo_refuses(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("GITHUB_TOKEN", "x" * 4)
    code = main(["apply", "--service", "platform", "--campaign", str(PROJECT_ROOT), "--workspace", str(tmp_path / "ws"),
                 "--clone-url-template", (tmp_path / "none").as_uri() + "/{owner}+{repo}.git"])  # fmt: skip
    assert code == 2
    err = capsys.readouterr().err
    assert "repos.gitops" in err and "placeholder" in err
    assert not (tmp_path / "ws").exists() or not any((tmp_path / "ws").rglob("*.git"))


def test_a_repository_without_the_pattern_fails_before_writing(tmp_path, campaign):
    change = next(c for c in campaign.services["platform"].changes if c.environment == "dev")
    root = write_tree(tmp_path / "repo", layout_b.files(tempo=False))
    before = {p: p.read_text() for p in root.rglob("*") if p.is_file()}
    planned = plan_steps(change.plan, root)
    assert planned.error.startswith(
        "gitops.plan_pyroscope: no Tempo Application for namespace ca7f8f-dev"
    )
    assert {p: p.read_text() for p in root.rglob("*") if p.is_file()} == before


def test_planned_steps_are_checked_like_recipe_steps(tmp_path, campaign):
    change = next(c for c in campaign.services["platform"].changes if c.environment == "dev")
    root = write_tree(tmp_path / "repo", layout_b.files())
    planned = plan_steps(PlanCall(change.plan.name, params("dev", namespace=layout_b.NS)), root)
    assert planned.error == ""
    assert [s.codemod for s in planned.steps][:2] == [
        "gitops.add_list_item",
        "gitops.add_documents",
    ]
    assert all(hasattr(step.params, "_fields") for step in planned.steps)
    assert planned.notes[0].startswith("Pyroscope dev-pyroscope (single-binary) in ca7f8f-dev")


def test_sample_values_style_is_one_and_the_same(tmp_path):
    """The sample repo uses $values value files for every Helm Application (one consistent style)."""
    yaml = YAML(typ="safe")
    for path in Path(PROJECT_ROOT / "samples" / "bcgov-c+tenant-gitops-ca7f8f").rglob("*.yaml"):
        for doc in yaml.load_all(path.read_text()):
            for source in (
                (doc or {}).get("spec", {}).get("sources", [])
                if (doc or {}).get("kind") == "Application"
                else []
            ):
                if source.get("chart"):
                    assert set(source["helm"]) == {"releaseName", "valueFiles"}, path
