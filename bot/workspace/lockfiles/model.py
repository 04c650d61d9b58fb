"""The data of lockfile regeneration: settings, one lock to regenerate, what came of it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from bot.checks import CheckResult
from bot.errors import BotError


class LockError(BotError):
    """A lockfile could not be regenerated; the message says why and, where it can, what to do."""


@dataclass(frozen=True)
class LockSettings:
    """Where tools are cached and which environment (registry config, PATH) the tools see."""

    tools_dir: Path  # <workspace>/tools: one directory per tool and version, reused between runs
    environ: Mapping[
        str, str
    ]  # pip/uv/npm read their registry settings from here, never from the bot
    timeout: float = 900.0  # seconds for one tool command


class Entry(NamedTuple):
    """One resolved package in a lockfile."""

    name: str
    version: str

    def __str__(self) -> str:
        return f"{self.name} {self.version}"


@dataclass(frozen=True)
class LockJob:
    """One lockfile to regenerate because dependency files it covers were edited."""

    root: Path  # the checkout
    lock: PurePosixPath  # repo-relative, e.g. server/uv.lock
    manifests: tuple[PurePosixPath, ...]  # the edited dependency files it covers

    @property
    def directory(self) -> Path:
        return self.root / self.lock.parent

    @property
    def path(self) -> Path:
        return self.root / self.lock


@dataclass(frozen=True)
class Tool:
    """The command that runs a package manager at one version (and the Python it resolves for)."""

    name: str  # poetry, uv, npm, pnpm, yarn
    version: str
    argv: tuple[str, ...]  # the executable (and interpreter) to prefix every command with
    python: str = ""  # the version of the interpreter Poetry/uv resolve with, e.g. 3.13.0
    interpreter: str = ""  # its path

    def label(self) -> str:
        python = f" (Python {self.python})" if self.python else ""
        return f"{self.name} {self.version}{python}"


@dataclass
class LockReport:
    """One regenerated lockfile, for the report, summary.json and the closing figures."""

    lock: str
    tool: str = ""  # e.g. "poetry 2.4.1 (Python 3.13.0)"
    seconds: float = 0.0
    added: int = 0  # lock lines added
    removed: int = 0  # lock lines removed: the churn measure
    new_packages: list[str] = field(default_factory=list)
    drift: list[str] = field(
        default_factory=list
    )  # packages stale before the change, fixed by regenerating
    failed: bool = False  # the relock itself failed (the change set's checks say why)

    def as_dict(self) -> dict:
        return {
            "lock": self.lock, "tool": self.tool, "seconds": round(self.seconds, 1), "added": self.added,
            "removed": self.removed, "new_packages": self.new_packages, "drift": self.drift, "failed": self.failed,
        }  # fmt: skip


@dataclass
class Outcome:
    """Everything regeneration adds to a change set."""

    reports: list[LockReport] = field(default_factory=list)
    checks: list[CheckResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failure: str = ""  # set: the change set fails with this reason
