"""Per change set: check out, apply the codemods, check every edit, diff. Many change sets run concurrently."""

from __future__ import annotations

import logging
import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field

from bot.campaign.model import ChangeSet
from bot.checks import VALIDATORS, CheckResult, ValidationContext, check_files
from bot.errors import BotError
from bot.rollout.changes import apply_steps
from bot.rollout.planning import Planned, plan_steps
from bot.rollout.results_cache import ResultsCache
from bot.workspace import lockfiles
from bot.workspace.checkout import Checkout, Workspace

log = logging.getLogger(__name__)

FAILED = "failed"


@dataclass
class Result:
    change: ChangeSet
    status: str  # dry-run | unchanged | not-applicable | failed (publishing adds more)
    reason: str = ""  # why it failed or was skipped
    diff: str = ""
    files: list[str] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    skipped_steps: list[str] = field(default_factory=list)
    lockfile_notes: list[str] = field(default_factory=list)
    lockfiles: list[lockfiles.LockReport] = field(
        default_factory=list
    )  # regenerated locks, with their churn
    discovered: list[str] = field(default_factory=list)  # what the change set's planner found
    warnings: list[str] = field(default_factory=list)  # e.g. labels the token could not set
    base_sha: str = ""
    seconds: float = 0.0
    pr_url: str = ""

    @property
    def failed(self) -> bool:
        return self.status == FAILED


Publisher = Callable[[Checkout, Result], Result]


def run_change(
    change: ChangeSet,
    workspace: Workspace,
    publish: Publisher | None = None,
    locks: lockfiles.LockSettings | None = None,
    cache: ResultsCache | None = None,
) -> Result:
    """Never raises: every failure becomes a failed Result with its reason. Without `locks`, lockfiles
    are not regenerated and the result notes which ones need it. With `cache` (dry-runs only), an
    unchanged change set is answered from it."""
    started = time.monotonic()
    try:
        if cache is not None and publish is None and not change.skip:
            result = _cached_run(change, workspace, locks, cache)
        else:
            result = _run(change, workspace, publish, locks)
    except BotError as exc:
        result = Result(change, FAILED, reason=str(exc))
    except Exception as exc:  # noqa: BLE001 - one broken change set must not stop the others
        log.debug("%s crashed:\n%s", change.id, traceback.format_exc())
        result = Result(change, FAILED, reason=f"internal error: {type(exc).__name__}: {exc}")
    result.seconds = time.monotonic() - started
    return result


def _run(
    change: ChangeSet,
    workspace: Workspace,
    publish: Publisher | None,
    locks: lockfiles.LockSettings | None,
) -> Result:
    if change.skip:
        return Result(change, "not-applicable", reason=change.skip)
    with workspace.checkout(change.repo, only=needed_paths(change, locks)) as checkout:
        planned = plan_steps(change.plan, checkout.path) if change.plan else Planned()
        if planned.error:
            return Result(change, FAILED, reason=planned.error, base_sha=checkout.base_sha)
        edits = apply_steps(change.steps + planned.steps, checkout.path)
        result = Result(change, "dry-run", skipped_steps=edits.skipped, base_sha=checkout.base_sha)
        result.discovered = planned.notes
        if edits.failed:
            result.status, result.reason = FAILED, edits.error
            return result
        result.files = checkout.changed_files()
        ignored = sorted(set(edits.files) - set(result.files))
        if ignored:  # git add skips ignored paths: the edit would silently vanish from the PR
            result.status, result.reason = (
                FAILED,
                f"edited files are ignored by git (.gitignore): {', '.join(ignored)}",
            )
            return result
        if not result.files:
            result.status = "unchanged" if not edits.skipped else "not-applicable"
            result.reason = "; ".join(edits.skipped)
            return result
        result.checks = check_files(edits.files) + _validate(change, checkout)
        if locks is None or any(check.status == "failed" for check in result.checks):
            result.lockfile_notes = lockfiles.notes(checkout.path, result.files)
        else:
            _regenerate_locks(checkout, result, locks)
        result.diff = checkout.diff()
        failed = [check for check in result.checks if check.status == "failed"]
        if failed:
            result.status, result.reason = FAILED, "; ".join(check.line() for check in failed)
        elif publish is not None:
            result = publish(checkout, result)
        return result


def _cached_run(
    change: ChangeSet,
    workspace: Workspace,
    locks: lockfiles.LockSettings | None,
    cache: ResultsCache,
) -> Result:
    commit, tree = workspace.base(change.repo)
    key = cache.key(change, tree)
    stored = cache.load(key)
    if stored is not None:
        return Result(change, base_sha=commit, **stored)
    result = _run(change, workspace, None, locks)
    if result.base_sha == commit:  # not a newer base another run fetched meanwhile
        cache.store(key, result)
    return result


def needed_paths(change: ChangeSet, locks: lockfiles.LockSettings | None) -> tuple[str, ...] | None:
    """What the change set reads: its steps' files, the lockfiles they may invalidate (for the notes),
    and what its validators ask for; None (the whole tree) for a planner, which searches the repo, a
    validator that does not say, or a dependency file whose lockfile is regenerated (the package
    managers read the whole project)."""
    if change.plan is not None:
        return None
    if locks is not None and any(lockfiles.candidates(step.path) for step in change.steps):
        return None
    paths = [step.path for step in change.steps]
    paths += [lock for step in change.steps for lock in lockfiles.candidates(step.path)]
    for check in change.validate:
        needed = VALIDATORS[check.name].paths(check.params)
        if needed is None:
            return None
        paths += needed
    return tuple(dict.fromkeys(paths))


def _regenerate_locks(checkout: Checkout, result: Result, locks: lockfiles.LockSettings) -> None:
    """Relock in the worktree, so the lockfiles land in the same commit and patch as the edits."""
    outcome = lockfiles.regenerate(checkout.path, result.files, locks, checkout.base_dir)
    result.checks += outcome.checks
    result.lockfile_notes, result.lockfiles = outcome.notes, outcome.reports
    edited = set(result.files)
    result.files = checkout.changed_files()
    stray = sorted(set(result.files) - edited - {report.lock for report in outcome.reports})
    if stray:  # a tool wrote something besides its lockfile: never let it into the PR
        detail = f"the package managers also changed {', '.join(stray[:10])}"
        result.checks.append(CheckResult("lockfile", "(worktree)", "failed", detail))


def _validate(change: ChangeSet, context: ValidationContext) -> list[CheckResult]:
    results = []
    for check in change.validate:
        try:
            results += VALIDATORS[check.name].run(check.params, context)
        except Exception as exc:  # noqa: BLE001 - a validator bug fails this change set only
            results.append(
                CheckResult(check.name, change.id, "failed", f"{type(exc).__name__}: {exc}")
            )
    return results


class Interrupted(KeyboardInterrupt):
    """Ctrl-C during a run: the results so far, the rest marked `interrupted`."""

    def __init__(self, results: list[Result]):
        super().__init__()
        self.results = results


def run_all(
    changes: list[ChangeSet],
    workspace: Workspace,
    *,
    jobs: int,
    publish: Publisher | None = None,
    progress: Callable[[int, int, Result], None] | None = None,
    locks: lockfiles.LockSettings | None = None,
    cache: ResultsCache | None = None,
) -> list[Result]:
    """Run change sets on a bounded pool; results come back in the order of `changes`.

    On Ctrl-C no further change set starts and none not yet publishing will publish; raises
    Interrupted with what finished. Every repository is cloned or fetched up front, all at once."""
    with workspace.prefetch(change.repo for change in changes if not change.skip):
        return _run_pool(changes, workspace, jobs, publish, progress, locks, cache)


def _run_pool(
    changes: list[ChangeSet],
    workspace: Workspace,
    jobs: int,
    publish: Publisher | None,
    progress: Callable[[int, int, Result], None] | None,
    locks: lockfiles.LockSettings | None,
    cache: ResultsCache | None,
) -> list[Result]:
    results: dict[int, Result] = {}
    stop = threading.Event()
    guarded = _stoppable(publish, stop) if publish is not None else None
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="change")
    futures = {
        pool.submit(_unless_stopped, stop, change, workspace, guarded, locks, cache): i
        for i, change in enumerate(changes)
    }
    try:
        for done, future in enumerate(as_completed(futures), start=1):
            results[futures[future]] = future.result()
            if progress:
                progress(done, len(changes), results[futures[future]])
    except KeyboardInterrupt:
        stop.set()
        pool.shutdown(wait=False, cancel_futures=True)
        raise Interrupted(
            [results.get(i) or _interrupted(change) for i, change in enumerate(changes)]
        ) from None
    pool.shutdown()
    return [results[i] for i in range(len(changes))]


def _interrupted(change: ChangeSet) -> Result:
    return Result(
        change, "interrupted", reason="stopped by Ctrl-C before it finished (see `bot status`)"
    )


def _unless_stopped(
    stop: threading.Event, change: ChangeSet, workspace: Workspace, publish: Publisher | None,
    locks: lockfiles.LockSettings | None, cache: ResultsCache | None,
) -> Result:  # fmt: skip
    if stop.is_set():
        return _interrupted(change)
    return run_change(change, workspace, publish, locks, cache)


def _stoppable(publish: Publisher, stop: threading.Event) -> Publisher:
    def publish_unless_stopped(checkout: Checkout, result: Result) -> Result:
        return _interrupted(result.change) if stop.is_set() else publish(checkout, result)

    return publish_unless_stopped
