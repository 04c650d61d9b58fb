"""Verdicts on acceptance criteria, as `bot gate --report` and `bot verify --report` hand them over,
and as an item's issue records the latest one per criterion (hidden JSON in the bot's region)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, Literal, NamedTuple, Protocol, get_args

Verdict = Literal["passed", "failed", "manual", "blocked"]
VERDICTS: tuple[str, ...] = get_args(Verdict)
SYMBOLS = {"passed": "✅", "failed": "❌", "manual": "✋", "blocked": "⛔"}


class Finding(NamedTuple):
    """One criterion's verdict with its evidence: the query, the count, the window."""

    criterion: str  # the plan's own text, as in recipes.yaml items[].acceptance
    verdict: Verdict
    evidence: str  # markdown; newlines and pipes are fine


@dataclass(frozen=True)
class Recorded:
    """The latest verdict on one criterion, where it came from and the comment holding its evidence."""

    verdict: Verdict
    source: str  # e.g. "bot verify --env dev"
    at: str  # UTC, "2026-03-01 10:00 UTC"
    comment: str  # URL of the evidence comment

    def line(self) -> str:
        return f"{SYMBOLS[self.verdict]} {self.verdict} · `{self.source}` · {self.at} · [evidence]({self.comment})"


def as_findings(values: list[Finding] | list[tuple[str, str, str]]) -> list[Finding]:
    """Plain (criterion, verdict, evidence) tuples accepted too; an unknown verdict is a ValueError."""
    findings = []
    for criterion, verdict, evidence in values:
        if verdict not in VERDICTS:
            raise ValueError(
                f"verdict {verdict!r} for {criterion!r}: expected one of {', '.join(VERDICTS)}"
            )
        findings.append(Finding(criterion, verdict, evidence))  # type: ignore[arg-type]
    return findings


class EvidenceLike(Protocol):
    @property
    def query(self) -> str: ...
    @property
    def count(self) -> int | None: ...
    @property
    def window(self) -> str: ...
    @property
    def detail(self) -> str: ...


class VerdictLike(Protocol):
    """What `bot verify` produces per criterion (bot.verify.verdicts.Verdict has this shape)."""

    @property
    def item(self) -> str: ...
    @property
    def criterion(self) -> str: ...
    @property
    def verdict(self) -> str: ...
    @property
    def evidence(self) -> EvidenceLike: ...


def findings_by_item(verdicts: Iterable[VerdictLike]) -> dict[str, list[Finding]]:
    """Verify's verdicts grouped for report_results, the evidence as one markdown line."""
    grouped: dict[str, list[Finding]] = {}
    for v in verdicts:
        text = evidence_text(v.evidence)
        grouped.setdefault(v.item, []).extend(as_findings([(v.criterion, v.verdict, text)]))
    return grouped


def evidence_text(evidence: EvidenceLike) -> str:
    """`query`: count N, window W. detail"""
    parts = [f"`{evidence.query}`"] if evidence.query else []
    if evidence.count is not None:
        parts.append(f"count {evidence.count}")
    if evidence.window:
        parts.append(f"window {evidence.window}")
    text = ", ".join(parts)
    if evidence.detail:
        text = f"{text}. {evidence.detail}" if text else evidence.detail
    return text or "(no evidence given)"


def load_recorded(data: Any) -> dict[str, Recorded]:
    """From the hidden JSON; whatever does not fit (a person's edit) is dropped, not fatal."""
    if not isinstance(data, dict):
        return {}
    recorded = {}
    for criterion, entry in data.items():
        try:
            if entry["verdict"] in VERDICTS:
                recorded[criterion] = Recorded(**entry)
        except (KeyError, TypeError):
            continue
    return recorded


def dump_recorded(recorded: dict[str, Recorded]) -> dict[str, dict[str, str]]:
    return {criterion: asdict(entry) for criterion, entry in sorted(recorded.items())}
