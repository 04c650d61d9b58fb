"""The dry-run results cache (bot/rollout/results_cache.py) on real git repositories over file://."""

from __future__ import annotations

import copy
import json
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import cast

import pytest

import bot.workspace.checkout
from bot.campaign.load import load_campaign
from bot.campaign.model import ChangeSet
from bot.checks import CheckResult
from bot.checks.charts import ChartSource
from bot.cli import main
from bot.rollout import results_cache
from bot.rollout.apply import Result, run_change
from bot.rollout.results_cache import ResultsCache
from bot.workspace.checkout import Workspace
from tests.helpers.campaign import PYROSCOPE_STEPS, SERVICE_FILES, campaign, item, write_campaign
from tests.helpers.git import commit_to_remote, make_remote, url_template


class Setup:
    def __init__(self, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
        self.tmp_path, self.capsys = tmp_path, capsys
        self.root = tmp_path / "campaign"
        self.write_recipe(copy.deepcopy(PYROSCOPE_STEPS))
        self.remote = make_remote(tmp_path / "remotes", "example/good", SERVICE_FILES)
        self.workspace = tmp_path / "ws"
        self.checkouts = 0

    def write_recipe(self, steps: list[dict]) -> None:
        recipe = {"service": "good", "changes": {"profiling": {
            "item": "good-profiling", "subject": "add profiling", "steps": steps}}}  # fmt: skip
        data = campaign({"good": "example/good"}, [item("good-profiling", "good")])
        write_campaign(self.root, data, {"good": recipe})

    def run(self, *extra: str) -> tuple[str, str, str]:
        """(stdout, summary.json, the patch) of `bot apply --all --dry-run`."""
        out = self.tmp_path / "out"
        args = [
            "apply",
            "--all",
            "--dry-run",
            "--campaign",
            str(self.root),
            "--output-dir",
            str(out),
        ]
        args += ["--workspace", str(self.workspace)]
        args += ["--clone-url-template", url_template(self.tmp_path / "remotes"), *extra]
        code = main(args)
        stdout = self.capsys.readouterr().out
        assert code == 0, stdout
        patch = out / "patches" / "good-profiling.patch"
        return stdout, (out / "summary.json").read_text(), patch.read_text()

    def entries(self) -> list[Path]:
        return sorted((self.workspace / "results").glob("*.json"))


@pytest.fixture
def setup(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    """A one-service campaign whose worktree checkouts are counted (a cache hit makes none)."""
    state = Setup(tmp_path, capsys)
    real = Workspace.checkout

    def counted(self, repo, *args, **kwargs):
        state.checkouts += 1
        return real(self, repo, *args, **kwargs)

    monkeypatch.setattr(bot.workspace.checkout.Workspace, "checkout", counted)
    return state


def test_a_warm_run_is_answered_from_the_cache_with_identical_output(setup):
    cold = setup.run()
    assert setup.checkouts == 1 and len(setup.entries()) == 1
    warm = setup.run()
    assert setup.checkouts == 1  # no checkout, no codemod, no check
    assert warm == cold
    assert "+++ b/app/main.py" in cold[2]


def test_an_upstream_commit_on_the_base_branch_invalidates(setup, tmp_path):
    _, _, cold_patch = setup.run()
    main_py = SERVICE_FILES["app/main.py"].replace("import os", "import os\nimport sys")
    sha = commit_to_remote(setup.remote, {"app/main.py": main_py}, "upstream moved")
    moved = setup.run()
    assert setup.checkouts == 2 and len(setup.entries()) == 2
    assert moved[2] != cold_patch and "+import sys" not in moved[2] and " import sys" in moved[2]
    assert setup.run() == moved and setup.checkouts == 2
    (change,) = load_campaign(setup.root).change_sets(["good"])
    workspace = Workspace(setup.workspace, url_template(tmp_path / "remotes"))
    cache = ResultsCache(setup.workspace / "results", lockfiles=False)
    assert run_change(change, workspace, cache=cache).base_sha == sha  # a hit names the new base


def test_a_recipe_parameter_invalidates(setup):
    _, _, before = setup.run()
    steps = copy.deepcopy(PYROSCOPE_STEPS)
    steps[1]["with"]["application_name"] = "renamed"
    setup.write_recipe(steps)
    _, _, after = setup.run()
    assert setup.checkouts == 2
    assert "renamed" in after and "renamed" not in before


@pytest.mark.parametrize("digest", ["code_digest", "tools_digest"])
def test_the_bots_code_and_the_tools_invalidate(setup, monkeypatch, digest):
    setup.run()
    monkeypatch.setattr(results_cache, digest, lambda: "something else")
    setup.run()
    assert setup.checkouts == 2


def test_the_lockfile_setting_and_the_chart_cache_are_part_of_the_key(setup, tmp_path):
    (change,) = load_campaign(setup.root).change_sets(["good"])
    cache = ResultsCache(tmp_path / "results", lockfiles=False)
    assert cache.key(change, "tree") != ResultsCache(tmp_path, lockfiles=True).key(change, "tree")
    assert cache.key(change, "tree") != cache.key(change, "another tree")
    charts = tmp_path / "charts"
    charts.mkdir()
    before = results_cache.chart_digest(ChartSource(charts))
    (charts / "pyroscope-1.0.0.tgz").write_bytes(b"chart")
    assert results_cache.chart_digest(ChartSource(charts)) != before
    assert results_cache.chart_digest(ChartSource(charts, pull=True)) != before


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # a partial write
        lambda text: "",
        lambda text: json.dumps({**json.loads(text), "files": "not a list"}),
        lambda text: json.dumps({**json.loads(text), "status": "failed"}),
        lambda text: json.dumps({**json.loads(text), "key": "another key"}),
    ],
)
def test_a_damaged_entry_is_ignored_and_rewritten(setup, damage):
    cold = setup.run()
    (entry,) = setup.entries()
    entry.write_text(damage(entry.read_text()))
    assert setup.run() == cold
    assert setup.checkouts == 2
    assert setup.run() == cold and setup.checkouts == 2  # rewritten whole


def test_failures_are_never_stored(setup, tmp_path):
    commit_to_remote(setup.remote, {"app/main.py": "def main(:\n"}, "broken upstream")
    code = main(["apply", "--all", "--dry-run", "--campaign", str(setup.root), "--workspace",
                 str(setup.workspace), "--clone-url-template", url_template(tmp_path / "remotes")])  # fmt: skip
    assert code == 1 and setup.checkouts == 1 and setup.entries() == []


def test_no_cache_flag_and_variable_turn_it_off(setup, monkeypatch):
    setup.run("--no-cache")
    setup.run("--no-cache")
    assert setup.checkouts == 2 and setup.entries() == []
    monkeypatch.setenv(results_cache.ENV, "0")
    setup.run()
    assert setup.checkouts == 3 and setup.entries() == []


def test_publishing_never_reads_or_writes_the_cache(setup, tmp_path):
    (change,) = load_campaign(setup.root).change_sets(["good"])
    workspace = Workspace(setup.workspace, url_template(tmp_path / "remotes"))
    cache = ResultsCache(setup.workspace / "results", lockfiles=False)
    published = []

    def publish(checkout, result):
        published.append(result.change.id)
        return replace(result, status="opened")

    for _ in range(2):
        assert run_change(change, workspace, publish=publish, cache=cache).status == "opened"
    assert published == ["good/profiling"] * 2 and setup.entries() == []


def test_concurrent_writers_never_leave_a_partial_entry(tmp_path):
    cache = ResultsCache(tmp_path / "results", lockfiles=False)
    change = cast(ChangeSet, None)  # only the stored fields matter here
    results = [
        Result(change, "dry-run", diff=f"{n}" * 50_000, files=[f"f{n}"],
               checks=[CheckResult("ast", f"f{n}", "passed")])
        for n in range(8)
    ]  # fmt: skip
    seen: list[dict | None] = []
    stop = threading.Event()

    def read() -> None:
        while not stop.is_set():
            seen.append(cache.load("k"))

    reader = threading.Thread(target=read)
    reader.start()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda r: [cache.store("k", r) for _ in range(20)], results))
    stop.set()
    reader.join()
    loaded = [entry for entry in [*seen, cache.load("k")] if entry is not None]
    assert loaded, "the reader never saw an entry"
    for entry in loaded:  # always one writer's whole result, never a mix or a torn file
        n = entry["files"][0][1:]
        assert entry["diff"] == n * 50_000 and entry["checks"] == [
            CheckResult("ast", f"f{n}", "passed")
        ]
    assert [path.name for path in (tmp_path / "results").iterdir()] == ["k.json"]


@pytest.mark.parametrize(
    "detail",
    [
        "check-syntax.mjs timed out after 120s",
        "check-syntax.mjs failed: node exited with 1",
        "installing the bot's node tools failed (npm ci: code ECONNREFUSED); run the bot once ...",
        "helm pull pyroscope 2.2.1 failed: connection refused",
        "render check skipped: the base chart does not render: helm template timed out after 120s",
    ],
)
def test_a_skip_caused_by_the_moment_is_never_stored(tmp_path, detail):
    cache = ResultsCache(tmp_path / "results", lockfiles=False)
    skipped = CheckResult("esbuild", "a.ts", "skipped", detail)
    cache.store("k", Result(cast(ChangeSet, None), "dry-run", files=["a.ts"], checks=[skipped]))
    assert skipped.transient and cache.load("k") is None


def test_a_skip_the_inputs_decide_is_stored(tmp_path):
    cache = ResultsCache(tmp_path / "results", lockfiles=False)
    skipped = [
        CheckResult("helm template (defaults)", "charts/acapy", "skipped",
                    "render check skipped: chart dependencies not available offline: postgresql"),
        CheckResult("helm template (grafana/pyroscope)", "gitops", "skipped",
                    "pyroscope 2.2.1 is not in the chart cache charts/ (run `helm pull pyroscope ...`)"),
    ]  # fmt: skip
    cache.store("k", Result(cast(ChangeSet, None), "dry-run", files=["x"], checks=skipped))
    stored = cache.load("k")
    assert not any(check.transient for check in skipped)
    assert stored is not None and stored["checks"] == skipped


def test_entries_no_run_used_for_a_month_are_pruned_and_hits_stay(tmp_path):
    directory = tmp_path / "results"
    cache = ResultsCache(directory, lockfiles=False)
    for key in ("old", "used"):
        cache.store(key, Result(cast(ChangeSet, None), "dry-run", files=[key]))
    month_ago = time.time() - (results_cache.UNUSED_DAYS + 1) * 86400
    for key in ("old", "used"):
        os.utime(directory / f"{key}.json", (month_ago, month_ago))
    assert cache.load("used") is not None  # a hit marks the entry as in use
    ResultsCache(directory, lockfiles=False)  # the next run prunes
    assert sorted(path.name for path in directory.glob("*.json")) == ["used.json"]
