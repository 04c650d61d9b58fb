"""The GitHub request budget of publishing (issue 13, P4), counted on the fake GitHub: a newly opened
PR costs at most 5 requests, and a re-run over unchanged change sets at most 2 each, all reads.

A small campaign of one run: three change sets in a repository the bot pushes to (labelled PRs, one
label already there) and two in one it cannot push to (PRs from its fork). The repository's reads
(itself, its open PRs, its labels, the fork) are paid once per run and shared by its change sets;
scripts/bench_github.py prints the same figures for the whole campaign."""

from __future__ import annotations

from pathlib import Path

from tests.fake_github import FakeGitHub
from tests.fake_github.clients import TOKEN, forge_for
from tests.helpers.publishing import BASE_FILES, CHANGED, REPO, Runner, change

FORKED = "hyperledger/aries-agent-test-harness"
CHANGE_SETS = [(REPO, "profiling"), (REPO, "rum"), (REPO, "helm"), (FORKED, "profiling"), (FORKED, "rum")]  # fmt: skip


def _publish_all(fake: FakeGitHub, run: Runner) -> tuple[list[str], int]:
    """One run over CHANGE_SETS with one forge; the statuses and the requests it sent."""
    before, forge = len(fake.requests), forge_for(fake)
    statuses = []
    for repo, key in CHANGE_SETS:
        files = {"pyproject.toml": CHANGED["pyproject.toml"] + f"# {key}\n"}
        publication = run(
            files,
            repo=repo,
            forge=forge,
            change=change(repo=repo, branch=f"phase-3/acapy-{key}", title=f"feat: {key}"),
        )
        statuses.append(publication.status)
    return statuses, len(fake.requests) - before


def test_new_prs_cost_at_most_5_requests_each_and_an_unchanged_rerun_at_most_2_reads_each(
    fake: FakeGitHub, tmp_path: Path
) -> None:
    fake.add_user("rollout-bot", TOKEN)
    fake.add_repo(REPO, BASE_FILES, roles={"rollout-bot": "write"})
    fake.add_label(REPO, "Python", "3572a5")
    fake.add_repo(FORKED, BASE_FILES, roles={"rollout-bot": "read"})
    run = Runner(fake, tmp_path)

    statuses, first = _publish_all(fake, run)

    assert statuses == ["opened"] * len(CHANGE_SETS)
    assert first <= 5 * len(CHANGE_SETS), "\n".join(fake.log_lines())

    writes_before, pushes = len(fake.writes), fake.pushes()
    statuses, again = _publish_all(fake, run)

    assert statuses == ["up-to-date"] * len(CHANGE_SETS)
    assert again <= 2 * len(CHANGE_SETS), "\n".join(fake.log_lines()[-again:])
    assert fake.writes[writes_before:] == [] and fake.pushes() == pushes
