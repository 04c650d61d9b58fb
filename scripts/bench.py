"""Wall time of `bot apply --all --dry-run`, cold (empty workspace) and warm (cached clones).

    python scripts/bench.py                      # on the bundled samples
    python scripts/bench.py --clone-url-template 'file:///srv/mirrors/{owner}+{repo}.git' --runs 3

Prints figures; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(args: list[str]) -> float:
    """Seconds for one run; a failed run is not a measurement, so it stops the benchmark."""
    started = time.perf_counter()
    run = subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, check=False
    )
    if run.returncode != 0:
        sys.exit(f"bot exited with {run.returncode}:\n{run.stdout[-2000:]}{run.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clone-url-template", help="default: the bundled samples")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, default=4)
    options = parser.parse_args()
    source = (
        ["--clone-url-template", options.clone_url_template]
        if options.clone_url_template
        else ["--samples"]
    )
    cold, warm = [], []
    for _ in range(options.runs):
        workspace = Path(tempfile.mkdtemp(prefix="bot-bench-"))
        args = [
            "apply",
            "--all",
            "--dry-run",
            "--no-diff",
            "--jobs",
            str(options.jobs),
            "--workspace",
            str(workspace),
            *source,
        ]
        try:
            if options.clone_url_template is None:
                timed(
                    args
                )  # build the sample repos once, so "cold" measures clones, not sample building
                shutil.rmtree(workspace / "cache")
            cold.append(timed(args))
            warm.append(timed(args))
        finally:
            shutil.rmtree(workspace, ignore_errors=True)
    print(f"source: {options.clone_url_template or 'bundled samples'}; jobs {options.jobs}")
    for name, values in (("cold", cold), ("warm", warm)):
        print(
            f"{name}: median {statistics.median(values):.2f}s  min {min(values):.2f}s  max {max(values):.2f}s  ({len(values)} runs)"
        )


if __name__ == "__main__":
    main()
