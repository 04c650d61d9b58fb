"""Third-party Helm charts for render checks: a local cache, filled by `helm pull` only when asked.

The cache holds what `helm pull` writes (`<chart>-<version>.tgz`) or an unpacked chart directory
(`<chart>-<version>/` or `<chart>/` whose Chart.yaml has that version). Charts never go into this
repository. Pulling needs the network, so it happens only with `--pull-charts` / BOT_PULL_CHARTS=1.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

CACHE_ENV, PULL_ENV = "BOT_CHART_CACHE", "BOT_PULL_CHARTS"
_TIMEOUT = 120


@dataclass(frozen=True)
class ChartSource:
    cache: Path | None  # None: no cache configured
    pull: bool = False  # try `helm pull` into the cache when the chart is missing

    def find(self, helm: str, repo_url: str, chart: str, version: str) -> tuple[Path | None, str]:
        """(the chart: a .tgz or a directory, '') or (None, why it is not available)."""
        if self.cache is None:
            return None, f"no chart cache (set --chart-cache or {CACHE_ENV})"
        found = _cached(self.cache, chart, version)
        if found is not None:
            return found, ""
        if not self.pull:
            return None, (
                f"{chart} {version} is not in the chart cache {self.cache.name}/ "
                f"(run `helm pull {chart} --repo {repo_url} --version {version} -d <cache>`, or use --pull-charts)"
            )
        self.cache.mkdir(parents=True, exist_ok=True)
        command = [
            helm,
            "pull",
            chart,
            "--repo",
            repo_url,
            "--version",
            version,
            "--destination",
            str(self.cache),
        ]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=_TIMEOUT, check=False
            )
        except subprocess.TimeoutExpired:
            return None, f"helm pull {chart} {version} timed out"
        if done.returncode != 0:
            return (
                None,
                f"helm pull {chart} {version} failed: {' '.join(done.stderr.split())[:300]}",
            )
        return _cached(self.cache, chart, version), ""


def _cached(cache: Path, chart: str, version: str) -> Path | None:
    packaged = cache / f"{chart}-{version}.tgz"
    if packaged.is_file():
        return packaged
    for directory in (cache / f"{chart}-{version}", cache / chart):
        if _version(directory) == version:
            return directory
    return None


def _version(directory: Path) -> str | None:
    try:
        meta = YAML(typ="safe", pure=True).load((directory / "Chart.yaml").read_text())
    except (OSError, YAMLError):
        return None
    return str(meta.get("version")) if isinstance(meta, dict) else None
