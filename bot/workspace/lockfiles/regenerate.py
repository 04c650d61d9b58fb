"""Regenerate each lockfile a change set's edits invalidate, in the change set's own worktree.

Per lockfile: find the repo's tool and version (installed into the tool cache if needed), look for
drift the base already had (its own consistency check, then a relock of the base to name the packages),
relock the worktree, measure the churn, fail when unrelated packages re-resolved, and run the
ecosystem's consistency check plus a lock entry for every added dependency."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from bot.checks import CheckResult
from bot.workspace.lockfiles import churn, find
from bot.workspace.lockfiles.base import Ecosystem
from bot.workspace.lockfiles.model import (
    LockError,
    LockJob,
    LockReport,
    LockSettings,
    Outcome,
    Tool,
)
from bot.workspace.lockfiles.npm import Npm
from bot.workspace.lockfiles.pnpm import Pnpm
from bot.workspace.lockfiles.poetry import Poetry
from bot.workspace.lockfiles.tools import ToolCache
from bot.workspace.lockfiles.uv import Uv
from bot.workspace.lockfiles.yarn import Yarn

log = logging.getLogger(__name__)

ECOSYSTEMS: dict[str, Ecosystem] = {e.lockfile: e for e in (Poetry(), Uv(), Npm(), Pnpm(), Yarn())}


def regenerate(
    root: Path, edited: list[str], settings: LockSettings, base_dir: Callable[[], Path]
) -> Outcome:
    """Regenerate in place under `root`; `base_dir()` is a pristine copy of the base commit."""
    outcome = Outcome()
    cache = ToolCache(settings.tools_dir, settings.environ, settings.timeout)
    for job in find.jobs(root, edited):
        ecosystem = ECOSYSTEMS[job.lock.name]
        report = LockReport(str(job.lock))
        try:
            outcome.checks += _regenerate(ecosystem, job, cache, settings, base_dir(), report)
        except LockError as exc:
            outcome.checks.append(CheckResult("lockfile", str(job.lock), "failed", str(exc)))
        if report.tool:
            outcome.reports.append(report)
        if report.drift:
            outcome.notes.append(
                f"{job.lock} was already out of date before this change; regenerating it also fixes that "
                f"drift: {', '.join(report.drift)}"
            )
    return outcome


def _regenerate(
    ecosystem: Ecosystem,
    job: LockJob,
    cache: ToolCache,
    settings: LockSettings,
    base: Path,
    report: LockReport,
) -> list[CheckResult]:
    tool = ecosystem.tool(job, cache, settings)
    report.tool = tool.label()
    old = job.path.read_text(encoding="utf-8")
    drift = _drift(ecosystem, base / job.lock.parent, tool, settings)
    report.drift = [f"{name} {change}" for name, change in drift.items()]
    started = time.monotonic()
    try:
        ecosystem.relock(job.directory, tool, settings)
    except LockError:
        report.failed = True
        raise
    finally:  # a failed relock reports its time too: a slow mirror or resolver shows in the figures
        report.seconds = time.monotonic() - started
    new = job.path.read_text(encoding="utf-8")
    report.added, report.removed = churn.line_churn(old, new)
    old_entries, new_entries = ecosystem.entries(old), ecosystem.entries(new)
    report.new_packages = sorted(str(entry) for entry in new_entries - old_entries)
    edited = _edited_dependencies(ecosystem, job, base)
    checks = [
        _churn_guard(job, churn.moved(old_entries, new_entries), set(drift) | set(edited), report)
    ]
    checks.append(_named(ecosystem.check(job.directory, tool, settings), job))
    checks.append(_entries_check(job, tool, edited, new_entries, old_entries))
    return checks


def _drift(
    ecosystem: Ecosystem, base_directory: Path, tool: Tool, settings: LockSettings
) -> dict[str, str]:
    """Packages the base's lock had wrong before the change (empty when its own check passes)."""
    if ecosystem.check(base_directory, tool, settings).status == "passed":
        return {}
    lock = base_directory / ecosystem.lockfile
    original = lock.read_bytes()
    try:
        ecosystem.relock(base_directory, tool, settings)
        relocked = lock.read_text(encoding="utf-8")
    finally:
        lock.write_bytes(original)  # the base copy stays pristine for the other checks
    changes = churn.moved(ecosystem.entries(original.decode("utf-8")), ecosystem.entries(relocked))
    return changes or {"(lock metadata)": "out of date"}


def _edited_dependencies(ecosystem: Ecosystem, job: LockJob, base: Path) -> dict[str, str]:
    """Dependencies the change set added or whose constraint it changed: name -> new constraint."""
    edited: dict[str, str] = {}
    for manifest in job.manifests:
        before = ecosystem.declared(base / manifest)
        after = ecosystem.declared(job.root / manifest)
        edited.update({name: spec for name, spec in after.items() if before.get(name) != spec})
    return edited


def _churn_guard(
    job: LockJob, moved: dict[str, str], explained: set[str], report: LockReport
) -> CheckResult:
    stray = churn.unrelated(moved, explained)
    figures = f"+{report.added} -{report.removed} lock lines"
    if stray:
        listed = ", ".join(f"{name} {change}" for name, change in list(stray.items())[:12])
        more = f" and {len(stray) - 12} more" if len(stray) > 12 else ""
        detail = f"{len(stray)} unrelated packages re-resolved ({figures}): {listed}{more}"
        return CheckResult("lock churn", str(job.lock), "failed", detail)
    return CheckResult(
        "lock churn", str(job.lock), "passed", f"{figures}; no unrelated package moved"
    )


def _named(check: CheckResult, job: LockJob) -> CheckResult:
    return CheckResult(check.name, str(job.lock), check.status, check.detail)


def _entries_check(
    job: LockJob, tool: Tool, edited: dict[str, str], new_entries: set, old_entries: set
) -> CheckResult:
    """The consistency checks trust hashes (Poetry) or miss workspaces (Yarn 1): look for the entries."""
    locked = {entry.name for entry in new_entries}
    missing = sorted(name for name in edited if name not in locked)
    if missing:
        return CheckResult(
            "lock entries",
            str(job.lock),
            "failed",
            f"{tool.label()}: no lock entry for {', '.join(missing)}",
        )
    names = ", ".join(sorted(edited)) or "no dependency added"
    return CheckResult("lock entries", str(job.lock), "passed", f"locked: {names}")
