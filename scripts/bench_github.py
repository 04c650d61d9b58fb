"""HTTP requests a publish costs, counted on the loopback fake GitHub (tests/fake_github).

    python scripts/bench_github.py            # the whole campaign on the bundled samples
    python scripts/bench_github.py --json

Runs `bot track` (the tracking issues, not counted), then `bot apply --all` publishing every change set
of the bundled samples (PRs opened, pushes over file://), then the same apply again with nothing
changed. Prints the requests per newly opened PR (reads and writes, by endpoint), the requests and
writes per unchanged change set on the re-run, and apart from those the pre-flight (the credentials
check) and the dashboard refresh, which are paid once per run, not per PR.

Prints figures; it asserts nothing (request budgets are tested in tests/bot/request_budget_test.py).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.cli import main as bot  # noqa: E402
from bot.rollout import publisher  # noqa: E402
from tests.fake_github import FakeGitHub, Logged  # noqa: E402
from tests.helpers.publishing import bot_environment, serve_samples  # noqa: E402
from tests.helpers.tracking import TRACKING, add_tracking_repo, write_tracked_campaign  # noqa: E402

TOKEN = "ghp_" + "benchtoken".ljust(36, "0")  # token-shaped, assembled: no token-like literal
PREFLIGHT = ("/rate_limit",)  # the credentials check before any work
SHA = re.compile(r"/[0-9a-f]{40}(?=/|$)")


def endpoint(request: Logged) -> str:
    """`GET /repos/{o}/{r}/pulls?head&state`: the request with names and numbers left out."""
    path = re.sub(r"^/repos/[^/]+/[^/]+", "/repos/{o}/{r}", request.path)
    path = SHA.sub("/{sha}", re.sub(r"/\d+(?=/|$)", "/{n}", path))
    path = re.sub(r"(/git/refs/heads/|/labels/).+$", r"\1{name}", path)
    query = "&".join(sorted(k for k in request.query if k not in ("per_page", "page")))
    return f"{request.method} {path}" + (f"?{query}" if query else "")


def _kinds(requests: list[Logged], refresh_from: int) -> list[str]:
    """Each request's part of the run: the pre-flight (credentials check, reading the tracking
    issues to link them), the publishing, and the dashboard refresh (from `refresh_from` on)."""
    kinds = []
    for i, request in enumerate(requests):
        if i >= refresh_from:
            kinds.append("dashboard")
        elif request.path in PREFLIGHT or request.path.lower().startswith(f"/repos/{TRACKING}/"):
            kinds.append("preflight")
        else:
            kinds.append("publish")
    return kinds


def _figures(requests: list[Logged], refresh_from: int, per: int) -> dict[str, Any]:
    """Requests of one run split by part; the publish part also per change set (`per` of them)."""
    parts: dict[str, Any] = {}
    kinds = _kinds(requests, refresh_from)
    for name in ("preflight", "publish", "dashboard"):
        mine = [r for r, k in zip(requests, kinds, strict=True) if k == name]
        writes = [r for r in mine if r.write]
        parts[name] = {
            "requests": len(mine),
            "reads": len(mine) - len(writes),
            "writes": len(writes),
            "by_endpoint": dict(Counter(endpoint(r) for r in mine).most_common()),
        }
    publish = parts["publish"]
    publish["per_change_set"] = round(publish["requests"] / per, 2) if per else None
    publish["reads_per_change_set"] = round(publish["reads"] / per, 2) if per else None
    publish["writes_per_change_set"] = round(publish["writes"] / per, 2) if per else None
    return parts


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _bot(*args: str) -> str:
    """One in-process `bot` command; its report (stdout) for the counts, stderr kept for errors."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = bot(list(args))
    if code != 0:
        sys.exit(
            f"bot {args[0]} exited with {code}:\n{out.getvalue()[-3000:]}{err.getvalue()[-3000:]}"
        )
    return out.getvalue()


def _count(report: str, status: str) -> int:
    found = re.search(rf"(\d+) {status}\b", report)
    return int(found[1]) if found else 0


def measure(jobs: int = 4) -> dict[str, Any]:
    """Two publishing runs of the whole campaign on a fresh fake GitHub: the goals' three figures
    (requests_per_new_pr, requests_per_unchanged, writes_per_unchanged) and each run's details."""
    with (
        tempfile.TemporaryDirectory(prefix="bot-bench-github-") as tmp,
        FakeGitHub(Path(tmp) / "github", validate=False) as fake,
    ):
        fake.add_user("rollout-bot", TOKEN)
        serve_samples(fake, "rollout-bot")
        add_tracking_repo(fake)
        campaign = write_tracked_campaign(Path(tmp) / "campaign")
        apply = ["apply", "--all", "--no-diff", "--no-lockfiles", "--skip-gate", "--jobs", str(jobs),
                 "--workspace", str(Path(tmp) / "ws")]  # fmt: skip
        env = {**bot_environment(fake, TOKEN), "BOT_CAMPAIGN": str(campaign)}
        refreshes: list[int] = []  # where each run's dashboard refresh began in the fake's log
        status_rows = publisher.status_rows

        def marked(*args: Any, **kwargs: Any) -> Any:
            refreshes.append(len(fake.requests))
            return status_rows(*args, **kwargs)

        with _environment(env), _patched(publisher, "status_rows", marked):
            _bot("track")
            refreshes.clear()
            start = len(fake.requests)
            first = _bot(*apply)
            middle = len(fake.requests)
            second = _bot(*apply)
        opened, unchanged = _count(first, "opened"), _count(second, "up-to-date")
        log = fake.requests
        first_run = {"opened": opened, **_figures(log[start:middle], refreshes[0] - start, opened)}
        re_run = {
            "unchanged": unchanged,
            **_figures(log[middle:], refreshes[1] - middle, unchanged),
        }
        return {
            # the goals' figures (scripts/bench.py prints them): the publish part only
            "requests_per_new_pr": first_run["publish"]["per_change_set"],
            "requests_per_unchanged": re_run["publish"]["per_change_set"],
            "writes_per_unchanged": re_run["publish"]["writes_per_change_set"],
            "first_run": first_run,
            "re_run": re_run,
        }


@contextlib.contextmanager
def _patched(module: Any, name: str, value: Any) -> Iterator[None]:
    saved = getattr(module, name)
    setattr(module, name, value)
    try:
        yield
    finally:
        setattr(module, name, saved)


def _print(figures: dict[str, Any]) -> None:
    first, again = figures["first_run"], figures["re_run"]
    for title, run, per, noun in (
        ("first run", first, first["opened"], "newly opened PR"),
        ("re-run, nothing changed", again, again["unchanged"], "unchanged change set"),
    ):
        publish = run["publish"]
        print(f"{title}: {per} change sets")
        print(f"  per {noun}: {publish['per_change_set']} requests "
              f"({publish['reads_per_change_set']} reads, {publish['writes_per_change_set']} writes); "
              f"{publish['requests']} in all")  # fmt: skip
        for name, count in publish["by_endpoint"].items():
            print(f"    {count:4}  {name}")
        for part in ("preflight", "dashboard"):
            figures_ = run[part]
            print(f"  {part} (once per run, not per PR): {figures_['requests']} requests, "
                  f"{figures_['writes']} writes")  # fmt: skip
            for name, count in figures_["by_endpoint"].items():
                print(f"    {count:4}  {name}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--json", action="store_true", help="the figures as JSON")
    options = parser.parse_args()
    figures = measure(options.jobs)
    if options.json:
        print(json.dumps(figures, indent=2))
    else:
        _print(figures)


if __name__ == "__main__":
    main()
