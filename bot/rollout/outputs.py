"""The run's files: the review bundle (--output-dir) and GitHub's job summary ($GITHUB_STEP_SUMMARY).

Writing them never raises. Pre-flight proved both paths writable, so a failure here is the disk filling
up or the directory vanishing mid-run: the problem comes back as a message for after the totals, and
a bundle that cannot go where it was asked goes to the workspace instead, so the record of what the run
did (which PRs it opened) survives.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from bot.campaign.model import Campaign
from bot.rollout import report
from bot.rollout.apply import Result


@dataclass
class Written:
    bundle: Path | None = None  # summary.json of the bundle, wherever it went
    lost: list[str] = field(default_factory=list)  # what could not be written, one message each


@dataclass(frozen=True)
class Outputs:
    bundle_dir: Path | None  # --output-dir
    step_summary: Path | None  # $GITHUB_STEP_SUMMARY
    # the workspace: a bundle that cannot go to bundle_dir goes to <fallback_root>/reports/<time>/
    fallback_root: Path | None = None

    def write(self, campaign: Campaign, results: list[Result]) -> Written:
        written = Written()
        if self.bundle_dir is not None:
            self._bundle(campaign, results, written)
        if self.step_summary is not None:
            try:
                with open(self.step_summary, "a", encoding="utf-8") as summary:
                    summary.write(f"### {campaign.plan}\n\n{report.markdown_table(results)}\n")
            except OSError as exc:
                written.lost.append(
                    f"GITHUB_STEP_SUMMARY: the run's table was not appended to {self.step_summary}: "
                    f"{_reason(exc)}"
                )
        return written

    def _bundle(self, campaign: Campaign, results: list[Result], written: Written) -> None:
        assert self.bundle_dir is not None
        try:
            written.bundle = report.write_bundle(campaign, results, self.bundle_dir)
            return
        except OSError as exc:
            problem = f"review bundle: not written to {self.bundle_dir}: {_reason(exc)}"
        if self.fallback_root is None:
            written.lost.append(problem)
            return
        stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        fallback = self.fallback_root / "reports" / f"{stamp}-{os.getpid()}"
        try:
            written.bundle = report.write_bundle(campaign, results, fallback)
            written.lost.append(f"{problem}; written to {fallback} instead")
        except OSError as exc:
            written.lost.append(f"{problem}; nor to {fallback}: {_reason(exc)}")


def _reason(exc: OSError) -> str:
    where = f" ({exc.filename})" if exc.filename else ""
    return f"{exc.strerror or exc}{where}"
