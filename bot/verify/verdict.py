"""A criterion's verdict: passed, failed, manual (a person must check) or blocked (cannot be checked
yet), always with the evidence that decided it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Status = Literal["passed", "failed", "manual", "blocked"]


@dataclass(frozen=True)
class Verdict:
    criterion: str
    status: Status
    evidence: str

    def line(self) -> str:
        return f"{self.status}: {self.criterion}: {self.evidence}"
