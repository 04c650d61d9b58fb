"""The dashboard's text: item states, the Mermaid chart (read by Mermaid's own parser), several PRs per item."""

from __future__ import annotations

from bot.forge.pr_state import ChangeStatus
from bot.tracking.dashboard import ItemView, render_dashboard, stored_rows
from bot.tracking.progress import item_state
from bot.tracking.verdicts import Recorded
from tests.helpers.node import parse_mermaid_pie
from tests.helpers.tracking import tracked_campaign

CAMPAIGN = tracked_campaign()
INFRA = CAMPAIGN.items["pyroscope-deploy"]


def row(
    change_id: str, state: str, number: int | None = None, **kwargs
) -> tuple[str, ChangeStatus]:
    change = next(c for c in CAMPAIGN.change_sets() if c.id == change_id)
    url = f"https://github.com/{change.repo.full_name}/pull/{number}" if number else None
    return change_id, ChangeStatus(
        change.repo.full_name, change.branch, state, url, number=number, **kwargs
    )  # type: ignore[arg-type]


def test_an_item_with_three_prs_is_in_review_until_all_are_merged_and_done_once_ticked() -> None:
    every = set(INFRA.acceptance)
    rows = dict(
        [row("platform/pyroscope-dev", "merged", 7), row("platform/pyroscope-test", "open", 8)]
    )
    assert item_state(CAMPAIGN, INFRA, rows, set()) == "in review"
    rows |= dict([row("platform/pyroscope-test", "merged", 8)])
    assert item_state(CAMPAIGN, INFRA, rows, set()) == "in progress"  # prod not opened yet
    rows |= dict([row("platform/pyroscope-prod", "merged", 9)])
    assert item_state(CAMPAIGN, INFRA, rows, every - {INFRA.acceptance[0]}) == "merged"
    assert item_state(CAMPAIGN, INFRA, rows, every) == "done"
    gate = CAMPAIGN.items["validation-gate"]  # no change set: the boxes alone decide
    assert item_state(CAMPAIGN, gate, {}, set()) == "by hand"
    assert item_state(CAMPAIGN, gate, {}, set(gate.acceptance)) == "done"
    assert item_state(CAMPAIGN, CAMPAIGN.items["credo-rum"], {}, set()) == "not applicable"


def test_the_dashboard_stacks_an_items_prs_and_links_failed_evidence() -> None:
    rows = dict([
        row("platform/pyroscope-dev", "merged", 7),
        row("platform/pyroscope-test", "open", 8, review="approved", checks="pending"),
    ])  # fmt: skip
    failed = Recorded(
        "failed",
        "bot verify --env dev",
        "2026-03-01 10:00 UTC",
        "https://x/issues/1#issuecomment-5",
    )
    views = [
        ItemView(item, number, item_state(CAMPAIGN, item, rows, set()), recorded)
        for number, item in enumerate(CAMPAIGN.items.values(), start=1)
        for recorded in [{item.acceptance[0]: failed} if item.id == "pyroscope-deploy" else {}]
    ]

    text = render_dashboard(CAMPAIGN, views, rows, {"#2"})

    infra = next(line for line in text.splitlines() if "`pyroscope-deploy`" in line)
    repo = CAMPAIGN.services["platform"].repo.full_name
    assert infra == (
        f"| #1 `pyroscope-deploy` | platform | {repo}#7<br>{repo}#8<br>\u2013 | merged<br>open<br>not read yet "
        "(`bot status` reads it) | \u2013<br>approved<br>\u2013 | \u2013<br>pending<br>\u2013 | "
        "❌ 1 failed ([evidence](https://x/issues/1#issuecomment-5)) |"
    )
    assert "- [x] #2\n" in text and "- [ ] #3\n" in text  # a person's tick on the task list stays
    assert f"- #1 {INFRA.acceptance[0]}: ❌ failed · `bot verify --env dev`" in text
    pie = parse_mermaid_pie(text.split("```mermaid\n")[1].split("```")[0])
    assert dict(pie["sections"]) == {
        "In review": 1, "Not started": 23, "Work outside the bot": 1, "Not applicable": 3,
    }  # fmt: skip
    assert pie["title"] == "28 tracking items of Phase 3 Profiling and RUM"
    assert stored_rows(CAMPAIGN, text) == rows  # what the next command reads back
