"""Wall time of `bot gate` against the loopback fake stack (tests/fake_stack), and the requests each
check sends (counted by the bot) and each fake server received.

    python scripts/bench_gate.py            # 5 runs
    python scripts/bench_gate.py --runs 20

Prints figures; it asserts nothing (speed goals are read, not tested).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.campaign.load import load_campaign  # noqa: E402
from bot.verify.endpoints import resolve  # noqa: E402
from bot.verify.gate import run_gate  # noqa: E402
from tests.fake_stack.stack import running  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    campaign = load_campaign(ROOT)
    walls: list[float] = []
    per_check: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as tmp, running(Path(tmp)) as stack:
        os.environ.update(stack.environ())
        for _ in range(args.runs):
            before = {server.name: len(server.log) for server in stack.servers}
            started = time.perf_counter()
            report = run_gate(resolve(campaign, "dev", {}, dict(os.environ)), timeout=60)
            walls.append(time.perf_counter() - started)
            if not report.passed:
                sys.exit(f"the gate failed against the fakes: {report.failures()}")
            for check in report.checks:
                per_check.setdefault(check.name, []).append(check.requests)
            received = Counter({s.name: len(s.log) - before[s.name] for s in stack.servers})
    print(f"bot gate against the fake stack, {args.runs} runs: median {statistics.median(walls):.3f} s, "
          f"min {min(walls):.3f} s, max {max(walls):.3f} s")  # fmt: skip
    print("requests per check (median):")
    for name, counts in per_check.items():
        print(f"  {name:20} {statistics.median(counts):g}")
    print("requests each fake received in the last run:", dict(received))


if __name__ == "__main__":
    main()
