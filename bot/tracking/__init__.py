"""Tracking issues and the campaign dashboard (see docs/tracking.md).

The entry points: `sync` (file or refresh every item's issue and the dashboard), `report_results`
(gate/verify verdicts written back), `linked` (item numbers for PR bodies and `bot status`)."""

from bot.tracking.links import linked, placeholder_warning, refuse_placeholder, rows_by_change
from bot.tracking.report import report_results
from bot.tracking.sync import IssueResult, Outcome, sync
from bot.tracking.verdicts import Finding, Verdict, findings_by_item

__all__ = [
    "Finding",
    "IssueResult",
    "Outcome",
    "Verdict",
    "findings_by_item",
    "linked",
    "placeholder_warning",
    "refuse_placeholder",
    "report_results",
    "rows_by_change",
    "sync",
]
