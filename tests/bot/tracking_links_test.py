"""PR bodies link their item's issue: a closing keyword only for an item's only PR."""

from __future__ import annotations

from dataclasses import replace

from bot.rollout.report import tracking_ref
from tests.helpers.tracking import TRACKING, tracked_campaign


def test_an_items_only_pr_closes_it_and_one_of_several_only_refers_to_it() -> None:
    campaign = tracked_campaign().with_issues({"acapy-profiling": 2, "pyroscope-deploy": 1})
    by_id = {change.id: change for change in campaign.change_sets()}

    assert tracking_ref(campaign, by_id["acapy/profiling"]) == f"Closes {TRACKING}#2"
    for env in ("dev", "test", "prod"):  # the GitOps change sets of the infrastructure item
        assert tracking_ref(campaign, by_id[f"platform/pyroscope-{env}"]) == (
            f"Refs {TRACKING}#1 (one of the item's 3 pull requests: none closes it alone)"
        )
    assert tracking_ref(campaign, by_id["acapy/profiling-helm"]) == (
        f"Tracking item `acapy-profiling-helm` in {TRACKING} (issue not filed yet: `bot track`)"
    )


def test_an_issue_number_in_recipes_wins_over_the_one_found() -> None:
    campaign = tracked_campaign()
    pinned = replace(campaign.items["acapy-profiling"], issue=40)
    campaign = replace(campaign, items={**campaign.items, "acapy-profiling": pinned})
    linked = campaign.with_issues({"acapy-profiling": 2, "vc-authn-profiling": 5})

    assert (
        linked.items["acapy-profiling"].issue == 40
        and linked.items["vc-authn-profiling"].issue == 5
    )
    changes = {change.id: change for change in linked.change_sets()}
    assert changes["vc-authn/profiling"].item.issue == 5  # change sets carry the linked item


def test_a_placeholder_tracking_repo_links_nothing() -> None:
    campaign = tracked_campaign().with_issues({"acapy-profiling": 2})
    placeholder = replace(campaign, tracking_repo=replace(campaign.tracking_repo, placeholder=True))
    change = placeholder.services["acapy"].changes[0]

    assert tracking_ref(placeholder, change) == (
        "Tracking item `acapy-profiling` (no link: recipes.yaml's tracking_repo is a placeholder)"
    )
