"""CPU time of the codemods alone over the whole campaign (issue 13, P3): no git, checks or renders.

    python scripts/bench_codemods.py --samples                 # the bundled sample repos
    python scripts/bench_codemods.py --clone-url-template 'file:///srv/mirrors/{owner}+{repo}.git'
    python scripts/bench_codemods.py --samples --dump /tmp/before   # every codemod output, to diff

Each repository's base branch is shallow-cloned once (not timed). Each run is a fresh process that
imports the codemods (not timed) and then, per change set, runs its planner and its steps in order
the way bot/rollout/planning.py and bot/rollout/changes.py do, timing only the planner and codemod
calls with time.process_time(): a parser's first-call warm-up counts, file reads do not.
Prints figures; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def measure(
    campaign_dir: Path = ROOT,
    clone_url_template: str | None = None,
    runs: int = 3,
    dump: Path | None = None,
) -> dict[str, Any]:
    """Clone once, then run the codemods `runs` times, each in a fresh process.

    Returns {"cpu_seconds": median of the runs, "runs": [cpu seconds per run], "calls": total
    calls, "by_codemod": {key: median s}, "calls_by_codemod": {key: count},
    "failed": [change set errors], "source": str}."""
    sys.path.insert(0, str(ROOT))
    from bot.campaign.load import load_campaign
    from bot.workspace import samples

    campaign = load_campaign(campaign_dir.resolve())
    scratch = Path(tempfile.mkdtemp(prefix="bot-bench-codemods-"))
    try:
        template = clone_url_template or samples.build(campaign, scratch / "samples")
        checkouts = {}
        for change in campaign.change_sets():
            repo = change.repo
            if change.skip or repo.key in checkouts:
                continue
            target = scratch / "checkouts" / repo.key
            url = template.format(owner=repo.owner, repo=repo.name)
            subprocess.run(
                [
                    "git",
                    "clone",
                    "--quiet",
                    "--depth",
                    "1",
                    "--branch",
                    repo.base,
                    url,
                    str(target),
                ],
                check=True,
            )
            checkouts[repo.key] = str(target)
        spec = {
            "campaign": str(campaign_dir.resolve()),
            "checkouts": checkouts,
            "dump": str(dump) if dump else "",
        }
        results = [_child(spec, dump if n == 0 else None) for n in range(runs)]
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    keys = sorted({key for result in results for key in result["cpu"]})
    return {
        "source": clone_url_template or "bundled samples",
        "cpu_seconds": statistics.median(result["total"] for result in results),
        "runs": [result["total"] for result in results],
        "by_codemod": {
            key: statistics.median(result["cpu"].get(key, 0.0) for result in results)
            for key in keys
        },
        "calls": sum(results[0]["calls"].values()),
        "calls_by_codemod": results[0]["calls"],
        "failed": results[0]["failed"],
    }


def _child(spec: dict[str, Any], dump: Path | None) -> dict[str, Any]:
    env = dict(
        os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    )
    spec = dict(spec, dump=str(dump) if dump else "")
    run = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if run.returncode != 0:
        sys.exit(f"the measuring process exited with {run.returncode}:\n{run.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _run_child(spec: dict[str, Any]) -> dict[str, Any]:
    """In a fresh process: everything imported first, then only the codemod calls are timed."""
    from bot.campaign import params as param_check
    from bot.campaign.load import load_campaign
    from bot.campaign.model import Step
    from bot.checks.files import RepoFiles
    from codemods import CODEMODS, PLANNERS, CodemodError, NotApplicable

    campaign = load_campaign(Path(spec["campaign"]))
    dump = Path(spec["dump"]) if spec["dump"] else None
    cpu: dict[str, float] = defaultdict(float)
    calls: dict[str, int] = defaultdict(int)
    failed: list[str] = []

    def timed(key: str, call: Any, *args: Any) -> Any:
        started = time.process_time()
        try:
            return call(*args)
        finally:
            cpu[key] += time.process_time() - started
            calls[key] += 1

    for change in campaign.change_sets():
        if change.skip:
            continue
        root = Path(spec["checkouts"][change.repo.key])
        record = _Recorder(dump / f"{change.service}+{change.key}" if dump else None)
        steps = list(change.steps)
        if change.plan is not None:
            files = dict(
                RepoFiles(root)
            )  # read up front: a planner's file reads are not codemod time
            try:
                plan = timed(
                    change.plan.name, PLANNERS[change.plan.name].plan, change.plan.params, files
                )
            except CodemodError as exc:
                failed.append(f"{change.id}: {change.plan.name}: {exc}")
                record.write(change.plan.name, "plan", f"!CodemodError: {exc}")
                continue
            record.write(change.plan.name, "plan", repr(plan))
            for planned in plan.steps:
                built, problems = param_check.check(
                    CODEMODS[planned.codemod].Params, planned.params
                )
                if built is None:
                    failed.append(f"{change.id}: planned bad parameters: {problems}")
                    break
                steps.append(Step(planned.codemod, planned.path, built, planned.create))
        texts: dict[str, str] = {}
        for step in steps:
            if step.path not in texts:
                target = root / step.path
                if not target.is_file() and not step.create:
                    failed.append(f"{change.id}: missing target file {step.path}")
                    break
                texts[step.path] = target.read_bytes().decode("utf-8") if target.is_file() else ""
            codemod = CODEMODS[step.codemod]
            try:
                texts[step.path] = timed(
                    step.codemod, codemod.apply, step.params, step.path, texts[step.path]
                )
                record.write(step.codemod, step.path, texts[step.path])
            except NotApplicable as exc:
                record.write(step.codemod, step.path, f"!NotApplicable: {exc}")
            except CodemodError as exc:
                record.write(step.codemod, step.path, f"!CodemodError: {exc}")
                failed.append(f"{change.id}: {step.codemod} on {step.path}: {exc}")
                break
    return {"total": sum(cpu.values()), "cpu": dict(cpu), "calls": dict(calls), "failed": failed}


class _Recorder:
    """Writes each call's output as <dir>/<nn>-<codemod>--<path>, so two runs compare with diff -r."""

    def __init__(self, directory: Path | None):
        self.directory = directory
        self.count = 0

    def write(self, key: str, path: str, text: str) -> None:
        if self.directory is None:
            return
        self.count += 1
        self.directory.mkdir(parents=True, exist_ok=True)
        name = f"{self.count:02d}-{key}--{path.replace('/', '+')}"
        (self.directory / name).write_bytes(text.encode("utf-8"))


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--child":
        print(json.dumps(_run_child(json.loads(sys.argv[2]))))
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--samples", action="store_true", help="the bundled sample repos")
    source.add_argument("--clone-url-template", help="e.g. file:///srv/mirrors/{owner}+{repo}.git")
    parser.add_argument("--campaign", type=Path, default=ROOT, help="directory of recipes.yaml")
    parser.add_argument("--runs", type=int, default=3, help="fresh processes (default 3)")
    parser.add_argument("--top", type=int, default=10, help="codemods listed (default 10)")
    parser.add_argument("--dump", type=Path, help="write every codemod output here (first run)")
    options = parser.parse_args()
    figures = measure(options.campaign, options.clone_url_template, options.runs, options.dump)
    runs = ", ".join(f"{total:.3f}" for total in figures["runs"])
    print(f"source: {figures['source']}")
    print(
        f"codemod CPU: median {figures['cpu_seconds']:.3f}s over {len(figures['runs'])} runs ({runs}); "
        f"{figures['calls']} calls"
    )
    top = sorted(figures["by_codemod"].items(), key=lambda item: -item[1])[: options.top]
    for key, seconds in top:
        print(f"  {seconds:7.3f}s  {figures['calls_by_codemod'][key]:4d} calls  {key}")
    for failure in figures["failed"]:
        print(f"  failed: {failure}")


if __name__ == "__main__":
    main()
