"""A dry-run's answers kept on disk: an unchanged change set is not checked out, edited or checked again.

An entry is keyed on everything its result depends on: the change set itself (its steps, parameters
and validators, all frozen data with a stable repr), the tree of its repository's base branch, the
bot's own code (`bot/` and `codemods/`, package data included), the tools the checks run (helm,
node and the node tools' lock, kubernetes-validate, Python), whether lockfiles are regenerated, and
the chart cache when a validator reads it. A change in any of them is a different key, so stale
entries are never read, only left behind. Entries are written whole (a temporary file renamed into
place), so concurrent runs never see half of one; one that does not parse is ignored.
Only results worth repeating are stored: no failure, no regenerated lockfile.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Protocol, cast, get_args

import bot
import codemods
from bot.campaign.model import ChangeSet
from bot.checks import VALIDATORS, CheckResult, Status, node_tools
from bot.checks.charts import ChartSource
from bot.checks.helm import find_helm

log = logging.getLogger(__name__)

ENV = "BOT_RESULTS_CACHE"  # 0: never read or write the cache
FORMAT = 1  # bump when the stored fields change
CACHEABLE = ("dry-run", "unchanged", "not-applicable")
# Result fields kept as they are (strings and lists of strings); checks are stored as mappings
TEXT_FIELDS = ("status", "reason", "diff")
LIST_FIELDS = ("files", "skipped_steps", "lockfile_notes", "discovered", "warnings")


class Cached(Protocol):
    """What is read from a Result (bot/rollout/apply.py) to store it."""

    status: str
    reason: str
    diff: str
    files: list[str]
    checks: list[CheckResult]
    skipped_steps: list[str]
    lockfile_notes: list[str]
    lockfiles: list[Any]
    discovered: list[str]
    warnings: list[str]


UNUSED_DAYS = 30


def enabled(flag: bool) -> bool:
    """--cache/--no-cache, and BOT_RESULTS_CACHE=0 turns it off whatever the flag says."""
    return flag and os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


class ResultsCache:
    def __init__(self, directory: Path, *, lockfiles: bool, charts: ChartSource | None = None):
        self.directory = directory
        self.lockfiles = lockfiles
        self.charts = charts
        self._prune()

    def _prune(self) -> None:
        """Entries no run has used for UNUSED_DAYS go: every moved base branch or new bot version leaves a
        set behind. A hit touches its entry (load), so what re-runs use stays."""
        oldest = time.time() - UNUSED_DAYS * 86400
        for entry in self.directory.glob("*.json"):
            with contextlib.suppress(OSError):  # another run may prune or replace it meanwhile
                if entry.stat().st_mtime < oldest:
                    entry.unlink()

    def key(self, change: ChangeSet, base_tree: str) -> str:
        parts = [
            f"format {FORMAT}",
            repr(change),
            f"base tree {base_tree}",
            f"code {code_digest()}",
            f"tools {tools_digest()}",
            f"lockfiles {self.lockfiles}",
        ]
        if any(VALIDATORS[check.name].uses_charts for check in change.validate):
            parts.append(f"charts {chart_digest(self.charts)}")
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def load(self, key: str) -> dict[str, Any] | None:
        """The stored fields of a Result, or None (no entry, or one that is unreadable or malformed)."""
        try:
            entry = self.directory / f"{key}.json"
            data = _decode(json.loads(entry.read_text(encoding="utf-8")), key)
            os.utime(entry)  # in use: not pruned
            return data
        except FileNotFoundError:
            return None
        except (OSError, ValueError, TypeError, KeyError) as exc:
            log.debug("ignoring results cache entry %s: %s", key, exc)
            return None

    def store(self, key: str, result: Cached) -> None:
        if result.status not in CACHEABLE or result.lockfiles:
            return
        if any(check.transient for check in result.checks):  # the next run may get further
            return
        data: dict[str, Any] = {"format": FORMAT, "key": key}
        data |= {name: getattr(result, name) for name in TEXT_FIELDS + LIST_FIELDS}
        data["checks"] = [check.__dict__ for check in result.checks]
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{key}-", dir=self.directory)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as out:
                    json.dump(data, out)
                os.replace(temporary, self.directory / f"{key}.json")
            finally:
                if os.path.exists(temporary):
                    os.unlink(temporary)
        except OSError as exc:  # a cache that cannot be written costs time, not results
            log.warning("results cache: cannot write %s: %s", self.directory, exc)


def _decode(data: Any, key: str) -> dict[str, Any]:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("key") != key:
        raise ValueError("not an entry of this format and key")
    fields: dict[str, Any] = {}
    for name in TEXT_FIELDS:
        fields[name] = _text(data[name])
    for name in LIST_FIELDS:
        fields[name] = [_text(item) for item in _list(data[name])]
    fields["checks"] = [_check(check) for check in _list(data["checks"])]
    if fields["status"] not in CACHEABLE:
        raise ValueError(f"status {fields['status']!r} is never stored")
    return fields


def _check(data: Any) -> CheckResult:
    status = _text(data["status"])
    if status not in get_args(Status):
        raise ValueError(f"check status {status!r}")
    return CheckResult(
        _text(data["name"]), _text(data["target"]), cast(Status, status), _text(data["detail"])
    )


def _text(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {type(value).__name__}")
    return value


def _list(value: Any) -> list[Any]:
    if not isinstance(value, list):
        raise TypeError(f"expected a list, got {type(value).__name__}")
    return value


@functools.cache
def code_digest() -> str:
    """Every file of the bot's own packages (sources and package data), once per process."""
    digest = hashlib.sha256()
    for package in (bot, codemods):
        root = Path(package.__file__ or "").parent
        for path in sorted(root.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(f"{package.__name__}/{path.relative_to(root).as_posix()}\0".encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()


@functools.cache
def tools_digest() -> str:
    """The versions of what the checks run and the code reads with: git, helm, node and its tools, every
    installed Python distribution. A missing tool is part of it (its checks say `skipped`)."""
    helm = find_helm()
    tools = node_tools.current()  # never installs: a dry-run without node files needs no npm
    parts = [
        f"python {sys.version}",
        f"git {_output(['git', '--version'])}",
        f"helm {helm} {_output([helm, 'version', '--short']) if helm else 'missing'}",
        f"node {_output(['node', '--version'])}",
        f"node tools {tools} {_file_digest(tools / 'package-lock.json')}",
        f"node modules {_file_digest(tools / 'node_modules' / '.package-lock.json')}",
    ]
    parts += _distributions()
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _distributions() -> list[str]:
    """Every installed distribution's `<name>-<version>.dist-info` on the import path: the names carry
    the versions, and listing them is far cheaper than reading each one's metadata."""
    found: set[str] = set()
    for entry in sys.path:
        with contextlib.suppress(OSError):
            found.update(path.name for path in Path(entry or ".").glob("*.dist-info"))
    return sorted(found)


def chart_digest(charts: ChartSource | None) -> str:
    """The chart cache's entries (name, size, time) and whether missing charts are pulled."""
    if charts is None or charts.cache is None:
        return "none"
    listing = [f"pull {charts.pull}", str(charts.cache)]
    if charts.cache.is_dir():
        for path in sorted(charts.cache.rglob("*")):
            stat = path.lstat()
            listing.append(f"{path.relative_to(charts.cache)} {stat.st_size} {stat.st_mtime_ns}")
    return hashlib.sha256("\n".join(listing).encode()).hexdigest()


def _output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"unavailable ({type(exc).__name__})"
    return f"{done.returncode} {done.stdout.strip()}"


def _file_digest(path: Path) -> str:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return "missing"
