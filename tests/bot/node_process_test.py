"""The long-lived node parser processes: same results as before, one process per run, no hangs."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.checks import CheckResult, check_files, node_process
from bot.checks.kubernetes import check_manifests
from bot.checks.node import check_sources
from tests.helpers import node

APP = """apiVersion: argoproj.io/v1alpha1
kind: Application
metadata: {name: demo}
spec:
  project: default
  source: {repoURL: 'https://example.invalid/repo.git', path: charts/demo}
  destination: {server: 'https://kubernetes.default.svc', namespace: demo}
"""


def test_parsers_answer_every_file_with_the_same_results_as_one_shot_runs() -> None:
    node.require("esbuild", "@vue/compiler-sfc")
    files = {
        "a.ts": "export const a: number = 1\n",
        "b.ts": "export const = 1\n",
        "c.vue": "<template><div>{{ a }}</div></template>\n<script setup>const a = 1</script>\n",
        "d.vue": "<template><div></template>\n",
    }
    assert check_sources(files) == [
        CheckResult("esbuild", "a.ts", "passed", ""),
        CheckResult("esbuild", "b.ts", "failed", 'line 1:14: Expected identifier but found "="'),
        CheckResult("@vue/compiler-sfc", "c.vue", "passed", ""),
        CheckResult("@vue/compiler-sfc", "d.vue", "failed", "Element is missing end tag."),
    ]


def test_one_process_serves_every_change_set_and_restarts_when_it_died() -> None:
    tools = node.require("esbuild")
    check_sources({"a.ts": "export {}\n"})
    served = node_process.process("check-syntax.mjs", tools)
    first = served._process
    check_sources({"b.ts": "export {}\n"})
    assert first is not None and served._process is first  # not a new process per change set
    first.kill()
    first.wait()
    assert check_sources({"c.ts": "export {}\n"}) == [CheckResult("esbuild", "c.ts", "passed", "")]
    assert served._process is not first


def test_argo_cd_objects_are_checked_in_the_shared_process() -> None:
    node.require("@kubernetes-models/argo-cd")
    broken = APP.replace("project: default", "project: 7")
    [valid, invalid] = check_manifests({"app.yaml": APP, "bad.yaml": broken})
    assert valid.status == "passed"
    assert (invalid.status, invalid.detail) == (
        "failed",
        "Application demo: data/spec/project must be string",
    )


def _fake_runtime(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str) -> None:
    (tmp_path / "fake.mjs").write_text(source)
    (tmp_path / "serve.mjs").write_text((node_process.RUNTIME / "serve.mjs").read_text())
    monkeypatch.setattr(node_process, "RUNTIME", tmp_path)


def test_a_script_that_does_not_answer_is_killed_and_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    node.require()
    _fake_runtime(tmp_path, monkeypatch, "const answer = () => new Promise(() => {})\n")
    served = node_process.NodeProcess("fake.mjs", tmp_path)
    with pytest.raises(node_process.NodeError, match=r"fake\.mjs timed out after 0\.5s"):
        served.request([], timeout=0.5)
    assert served._process is None


def test_a_script_that_dies_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    node.require()
    _fake_runtime(tmp_path, monkeypatch, "console.error('no such tool'); process.exit(3)\n")
    served = node_process.NodeProcess("fake.mjs", tmp_path)
    with pytest.raises(node_process.NodeError, match=r"fake\.mjs failed: no such tool"):
        served.request([], timeout=10)


def test_a_missing_parser_is_skipped_with_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BOT_NODE_TOOLS_DIR", str(tmp_path))
    [result] = check_files({"a.ts": "export {}\n"})
    assert result.status == "skipped"
    assert "esbuild is not in the node tools" in result.detail
