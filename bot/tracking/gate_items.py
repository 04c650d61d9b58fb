"""`bot gate --report`: the gate's checks as findings on the plan's go/no-go item (validation-gate).

Its criteria name ca7f8f-dev, so only the gate of `settings.service_gate` (dev) reports. A check proves
the criterion whose text it matches; the others (reachable "from within the namespace", "network
policy or RBAC issues resolved") stay for a person. A skipped check proves nothing and is not reported.
"""

from __future__ import annotations

import re

from bot.campaign.model import Campaign
from bot.tracking.verdicts import Finding
from bot.verify.gate import PLAN_ITEM, GateReport

PROVES = {
    "pyroscope-ready": re.compile(r"/ready\b"),
    "faro-collect": re.compile(r"faro\.receiver accepts", re.I),
    "faro-loki": re.compile(r"Faro payload visible .*Loki", re.I),
}


def gate_findings(campaign: Campaign, report: GateReport) -> dict[str, list[Finding]]:
    """{validation-gate: findings} for the service gate's environment; {} for any other."""
    item = campaign.items.get(PLAN_ITEM)
    if item is None or report.env != campaign.settings.get("service_gate"):
        return {}
    findings = []
    for check in report.checks:
        pattern = PROVES.get(check.name)
        criterion = next((c for c in item.acceptance if pattern and pattern.search(c)), None)
        if criterion is not None and check.status in ("passed", "failed"):
            evidence = f"`{check.name}`: {check.reason} ({check.seconds:.1f} s)"
            findings.append(Finding(criterion, check.status, evidence))  # type: ignore[arg-type]
    return {item.id: findings}
