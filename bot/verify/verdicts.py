"""A criterion's verdict and its evidence."""

from __future__ import annotations

from dataclasses import dataclass

PASSED, FAILED, MANUAL, BLOCKED = "passed", "failed", "manual", "blocked"
VERDICTS = (PASSED, FAILED, MANUAL, BLOCKED)


@dataclass(frozen=True)
class Evidence:
    query: str = ""
    count: int | None = None
    window: str = ""
    detail: str = ""

    def as_json(self) -> dict:
        return {
            "query": self.query,
            "count": self.count,
            "window": self.window,
            "detail": self.detail,
        }


@dataclass(frozen=True)
class Verdict:
    item: str
    change: str
    criterion: str
    verdict: str
    evidence: Evidence

    def as_json(self) -> dict:
        return {
            "item": self.item, "change": self.change, "criterion": self.criterion,
            "verdict": self.verdict, "evidence": self.evidence.as_json(),
        }  # fmt: skip


Outcome = tuple[str, Evidence]
