"""Issue 13's speed goals, P1-P4, measured side by side in one invocation. It prints figures and asserts nothing.

    python scripts/bench.py                      # the bundled sample repos
    python scripts/bench.py --clone-url-template 'file:///srv/mirrors/{owner}+{repo}.git' --runs 3

Each round, interleaved so that machine load hits every figure alike:
- floor: shallow bare clones of every campaign repo, all at once (what any multi-repo tool pays);
- cold:  `bot apply --all --dry-run --no-diff --no-lockfiles` in an empty workspace;
- warm:  the same command again in that workspace, nothing changed upstream.
P1 = cold / floor (goal <= 1.3), P2 = warm / cold (goal <= 0.3), medians over the rounds.
P3 = CPU seconds of the codemods alone over the campaign (scripts/bench_codemods.py; goal <= 0.5 s).
P4 = requests per newly opened PR and per unchanged change set on the fake GitHub (scripts/bench_github.py;
goals <= 5, and <= 2 with 0 writes).

Lockfiles are off in cold and warm: regenerating them runs the package managers for minutes and is
measured apart (docs/lockfiles.md). The node tools come from tools/node (`npm ci --prefix tools/node`).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.campaign.load import load_campaign  # noqa: E402
from bot.campaign.model import Campaign  # noqa: E402
from bot.workspace import samples  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clone-url-template", help="default: the bundled samples, built once")
    parser.add_argument("--runs", type=int, default=3, help="rounds of floor, cold and warm")
    parser.add_argument("--jobs", type=int, default=4, help="bot apply --jobs")
    parser.add_argument("--skip", action="append", default=[], choices=["P1P2", "P3", "P4"])
    options = parser.parse_args()
    campaign = load_campaign(ROOT)
    with tempfile.TemporaryDirectory(prefix="bot-bench-") as scratch:
        template = options.clone_url_template or samples.build(campaign, Path(scratch) / "samples")
        source = options.clone_url_template or "bundled samples"
        print(f"source: {source}; {len(_repo_urls(campaign, template))} repos; jobs {options.jobs}")
        if "P1P2" not in options.skip:
            _wall_times(campaign, template, options, Path(scratch))
        if "P3" not in options.skip:
            _optional("bench_codemods", "P3", lambda module: _print_p3(module, template))
        if "P4" not in options.skip:
            _optional("bench_github", "P4", _print_p4)


def _wall_times(
    campaign: Campaign, template: str, options: argparse.Namespace, scratch: Path
) -> None:
    floor, cold, warm = [], [], []
    for round_number in range(1, options.runs + 1):
        floor.append(_parallel_clones(campaign, template, scratch / f"floor-{round_number}"))
        workspace = scratch / f"workspace-{round_number}"
        args = [
            "apply", "--all", "--dry-run", "--no-diff", "--no-lockfiles", "--jobs", str(options.jobs),
            "--workspace", str(workspace), "--clone-url-template", template,
        ]  # fmt: skip
        cold.append(_timed_bot(args))
        warm.append(_timed_bot(args))
        shutil.rmtree(workspace, ignore_errors=True)
        print(
            f"  round {round_number}: floor {floor[-1]:.2f}s  cold {cold[-1]:.2f}s  warm {warm[-1]:.2f}s"
        )
    for name, values in (("floor", floor), ("cold", cold), ("warm", warm)):
        print(
            f"{name:>5}: median {statistics.median(values):.2f}s  "
            f"min {min(values):.2f}s  max {max(values):.2f}s  ({len(values)} runs)"
        )
    p1 = statistics.median(cold) / statistics.median(floor)
    p2 = statistics.median(warm) / statistics.median(cold)
    print(f"P1 cold / floor = {p1:.2f}  (goal <= 1.3)")
    print(f"P2 warm / cold  = {p2:.2f}  (goal <= 0.3)")


def _repo_urls(campaign: Campaign, template: str) -> dict[str, tuple[str, str]]:
    """Each distinct repository the campaign's change sets use: name -> (url, base branch)."""
    repos = {change.repo.full_name: change.repo for change in campaign.change_sets()}
    return {
        name: (template.format(owner=repo.owner, repo=repo.name), repo.base)
        for name, repo in repos.items()
    }


def _parallel_clones(campaign: Campaign, template: str, target: Path) -> float:
    urls = _repo_urls(campaign, template)

    def clone(name: str) -> None:
        url, base = urls[name]
        subprocess.run(
            ["git", "clone", "--quiet", "--bare", "--depth", "1", "--no-tags", "--branch", base,
             url, str(target / f"{name.replace('/', '+')}.git")],
            check=True, env={**os.environ, "GIT_TERMINAL_PROMPT": "0"},
        )  # fmt: skip

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=len(urls)) as pool:
        list(pool.map(clone, urls))
    seconds = time.perf_counter() - started
    shutil.rmtree(target, ignore_errors=True)
    return seconds


def _timed_bot(args: list[str]) -> float:
    """Seconds for one run; a failed run is not a measurement, so it stops the benchmark."""
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    if run.returncode not in (0, 1):  # 1: some change set failed its checks; still a full run
        sys.exit(f"bot exited with {run.returncode}:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return time.perf_counter() - started


def _optional(name: str, goal: str, report: Callable[[ModuleType], None]) -> None:
    path = ROOT / "scripts" / f"{name}.py"
    if not path.is_file():
        print(f"{goal}: skipped: scripts/{name}.py is not there")
        return
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    report(module)


def _print_p3(module: ModuleType, template: str) -> None:
    figures: dict[str, Any] = module.measure(clone_url_template=template)
    print(
        f"P3 codemod CPU  = {figures['cpu_seconds']:.3f}s over {figures['calls']} calls  (goal <= 0.5)"
    )


def _print_p4(module: ModuleType) -> None:
    figures: dict[str, Any] = module.measure()
    print(
        f"P4 requests per new PR = {figures['requests_per_new_pr']:.1f}  (goal <= 5); "
        f"per unchanged change set = {figures['requests_per_unchanged']:.1f}, "
        f"writes {figures['writes_per_unchanged']:.0f}  (goal <= 2, 0 writes)"
    )


if __name__ == "__main__":
    main()
