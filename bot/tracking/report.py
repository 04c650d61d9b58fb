"""Results written back: what `bot gate --report` and `bot verify --report` hand to the tracking issues.

    from bot.tracking import Finding, report_results
    outcome = report_results(forge, campaign, {"acapy-profiling": [
        Finding("CPU flame graphs visible and navigable", "passed", "`{service_name=...}`: 12 profiles, last 1h"),
        Finding("No measurable performance regression", "manual", "a person compares the dashboards"),
    ]}, source="bot verify --env dev")

Per item whose verdicts differ from the ones its issue records: ONE comment with the evidence (the
query, the count, the window, the time), looked for by its marker before it is posted; then the boxes
of the criteria that passed are ticked. A box is never unticked (a person's tick stays, even against a
failed verdict) and a `manual`, `blocked` or failed criterion is never ticked. The latest verdict per
criterion is recorded in the issue, shown under its box and on the dashboard (failed ones linking to
their evidence). Then the dashboard is refreshed and finished items are closed. Verdicts equal to the
recorded ones write nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime

from bot.campaign.model import Campaign, Item
from bot.errors import ForgeError
from bot.forge.api import Forge, IssueInfo, LabelColors
from bot.tracking.index import find_issues
from bot.tracking.item_issue import bot_name, cell, item_marker
from bot.tracking.links import refuse_placeholder
from bot.tracking.markers import find_region, read_hidden
from bot.tracking.sync import Amendment, IssueResult, Outcome, sync
from bot.tracking.verdicts import (
    SYMBOLS,
    Finding,
    Recorded,
    as_findings,
    dump_recorded,
    load_recorded,
)


def report_results(
    forge: Forge,
    campaign: Campaign,
    findings: Mapping[str, Sequence[Finding] | Sequence[tuple[str, str, str]]],
    *,
    source: str,
    at: datetime | None = None,
    colors: LabelColors | None = None,
    no_tick: Collection[str] = (),
) -> Outcome:
    """Write verdicts back to their items' issues (item id -> findings), then refresh the dashboard.

    Items in `no_tick` get their verdicts recorded but no box ticked: verified in one environment,
    an item deployed to several (the infrastructure: dev, test, prod) is not proved by it.
    ConfigError (exit 2) for a placeholder tracking_repo; ValueError for an unknown item or verdict.
    """
    refuse_placeholder(campaign, f"`{source} --report`")
    checked = {item_id: as_findings(list(values)) for item_id, values in findings.items()}
    unknown = sorted(set(checked) - set(campaign.items))
    if unknown:
        raise ValueError(f"no tracking item {', '.join(map(repr, unknown))} in recipes.yaml")
    found = find_issues(forge, campaign)
    stamp = (at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    results: list[IssueResult] = []
    amend: dict[str, Amendment] = {}
    for item_id, item_findings in checked.items():
        item, issue = campaign.items[item_id], found.items.get(item_id)
        if issue is None:
            detail = "no issue yet (`bot track` files it): the verdicts are not recorded"
            results.append(IssueResult(item_id, "not filed", detail=detail))
            continue
        try:
            ticks = item_id not in no_tick
            result, amendment = _report_item(
                forge, campaign, item, issue, item_findings, source, stamp, ticks
            )
        except ForgeError as e:
            result, amendment = (
                IssueResult(item_id, "failed", issue.number, issue.url, str(e)),
                None,
            )
        results.append(result)
        if amendment is not None:
            amend[item_id] = amendment
    outcome = sync(
        forge, campaign, {}, create=False, colors=colors or LabelColors(), found=found, amend=amend
    )
    outcome.results[:0] = results
    return outcome


def _report_item(
    forge: Forge,
    campaign: Campaign,
    item: Item,
    issue: IssueInfo,
    findings: list[Finding],
    source: str,
    stamp: str,
    ticks: bool = True,
) -> tuple[IssueResult, Amendment | None]:
    marker = item_marker(campaign, item)
    region = find_region(issue.body, marker)
    recorded = load_recorded(read_hidden(region.text, marker, "results")) if region else {}
    verdicts = {f.criterion: f.verdict for f in findings if f.criterion in item.acceptance}
    strays = [f.criterion for f in findings if f.criterion not in item.acceptance]
    warnings = tuple(f"not an acceptance criterion of {item.id}: {c!r}" for c in strays)
    if all(c in recorded and recorded[c].verdict == v for c, v in verdicts.items()):
        detail = "verdicts as recorded: nothing to write"
        return IssueResult(item.id, "unchanged", issue.number, issue.url, detail, warnings), None
    report_id = _report_id(item, source, recorded, verdicts)
    comment_marker = f"<!-- {bot_name(campaign)}:report:{report_id} -->"
    body = _evidence(comment_marker, source, stamp, findings, item, ticks)
    comment = forge.comment_once(issue, body, comment_marker)
    new = {c: Recorded(v, source, stamp, comment.url) for c, v in verdicts.items()}
    passed = frozenset(c.strip() for c, v in verdicts.items() if v == "passed" and ticks)
    result = IssueResult(item.id, "commented", issue.number, comment.url, warnings=warnings)
    return result, Amendment(passed, new)


def _report_id(
    item: Item, source: str, recorded: dict[str, Recorded], verdicts: Mapping[str, str]
) -> str:
    """Same report on the same recorded state, same id: a retry after a crash finds its comment."""
    state = json.dumps([item.id, source, dump_recorded(recorded), sorted(verdicts.items())])
    return hashlib.sha256(state.encode()).hexdigest()[:16]


def _evidence(
    marker: str, source: str, stamp: str, findings: list[Finding], item: Item, ticks: bool
) -> str:
    lines = [marker, f"### `{source}`, {stamp}", ""]
    lines += ["| Acceptance criterion | Verdict | Evidence |", "|---|---|---|"]
    for finding in findings:
        criterion = (
            finding.criterion
            if finding.criterion in item.acceptance
            else f"(not a criterion) {finding.criterion}"
        )
        verdict = f"{SYMBOLS[finding.verdict]} {finding.verdict}"
        lines.append(f"| {cell(criterion)} | {verdict} | {cell(finding.evidence)} |")
    passed = sum(1 for f in findings if f.verdict == "passed" and f.criterion in item.acceptance)
    ticked = (
        f"Ticked: the {passed} passed criteria."
        if ticks
        else "Nothing ticked: this item deploys to several environments and this report covers one."
    )
    rule = "Failed, `manual` and `blocked` criteria are never ticked, and no box is ever unticked."
    lines += ["", f"{ticked} {rule}"]
    return "\n".join(lines) + "\n"
