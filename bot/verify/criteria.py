"""Which check proves an acceptance criterion: the plan's own text, matched by what it talks about.
The first rule that matches decides; a criterion no rule knows is `manual`, never passed."""

from __future__ import annotations

import re
from typing import NamedTuple


class Rule(NamedTuple):
    kind: str
    pattern: re.Pattern[str]


RULES = [
    Rule("performance", re.compile(r"performance regression", re.I)),
    Rule("cors", re.compile(r"\bCORS\b")),
    Rule("flame-graphs", re.compile(r"flame ?graphs?", re.I)),
    Rule("profiles", re.compile(r"profil\w* data|profiles? .*Pyroscope", re.I)),
    Rule("env-in-pod", re.compile(r"\bpods?\b", re.I)),
    Rule("tempo", re.compile(r"\bTempo\b")),
    Rule("loki", re.compile(r"\bLoki\b")),
    Rule("chart-default", re.compile(r"\bby default\b", re.I)),
    Rule("chart-enabled", re.compile(r"when enabled|\binjected\b|activated when", re.I)),
    Rule("pyroscope-ready", re.compile(r"/ready\b")),
    Rule("grafana-datasource", re.compile(r"\bdatasources?\b", re.I)),
]

MANUAL_REASONS = {
    "performance": "a person compares latency and CPU before and after the change (no baseline the bot can read)",
    "chart-default": "a chart property: `bot apply` checks it before the PR (helm template with default values "
    "renders byte-identical); the namespace only shows the values in use",
    "chart-enabled": "a chart property: `bot apply` renders the chart with the switch on and checks the result "
    "before the PR; in the namespace it shows only where the switch is on",
    "unknown": "no automatic check for this criterion: a person judges it",
}
_VARIABLE = re.compile(r"\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b")


def kind(criterion: str) -> str:
    return next((rule.kind for rule in RULES if rule.pattern.search(criterion)), "unknown")


def variables(criterion: str) -> set[str]:
    """Environment variable names a criterion mentions, e.g. PYROSCOPE_SERVER_ADDRESS."""
    return set(_VARIABLE.findall(criterion))


# Web Vitals measurements carry these values as logfmt keys (faro.receiver writes one key per value)
WEB_VITALS = r"\b(lcp|cls|inp|fcp|ttfb|fid)="


def loki_kinds(criterion: str) -> list[tuple[str, str]]:
    """(Faro `kind` label, LogQL regex line filter) per kind of entry the criterion asks for: errors are
    exceptions, Web Vitals are measurements with Web Vitals values; plain 'events' are any kind."""
    wanted = []
    if re.search(r"\berrors?\b", criterion, re.I):
        wanted.append(("exception", ""))
    if re.search(r"web vitals", criterion, re.I):
        wanted.append(("measurement", WEB_VITALS))
    return wanted or [("", "")]
