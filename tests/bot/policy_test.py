"""bot.policy: repo policies from recipes.yaml, titles, commit messages, recognising the bot's commits."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from bot.credentials import Identity
from bot.errors import ConfigError
from bot.forge import CommitInfo
from bot.policy import RepoPolicy, branch_name, commit_message, edited_by, format_title, is_bot_commit, trailers

ROOT = Path(__file__).resolve().parents[2]
BOT = Identity("Rollout Bot", "rollout-bot@example.org")
BRANCH = "phase-3/acapy-profiling"


def recipes_repos() -> dict:
    return YAML(typ="safe").load((ROOT / "recipes.yaml").read_text())["repos"]


def policies() -> dict[str, RepoPolicy]:
    return {key: RepoPolicy.from_mapping(key, data) for key, data in recipes_repos().items()}


def test_every_repo_policy_in_recipes_yaml_loads() -> None:
    loaded = policies()
    assert set(loaded) == set(recipes_repos())
    assert {k for k, p in loaded.items() if p.draft} == {"traction", "bc-wallet"}
    assert {k for k, p in loaded.items() if p.lowercase} == {"owf-charts"}


@pytest.mark.parametrize(
    ("repo", "scope", "title"),
    [
        ("acapy", None, "feat: add Pyroscope continuous profiling"),
        ("credo", None, "feat: add Pyroscope continuous profiling"),
        ("owf-charts", "acapy", "feat(acapy): add pyroscope continuous profiling"),
        ("dif-charts", "didwebvh-server", "feat(didwebvh-server): add Pyroscope continuous profiling"),
        ("traction", None, "Add Pyroscope continuous profiling"),
    ],
)
def test_titles_follow_each_repo_s_rules(repo: str, scope: str | None, title: str) -> None:
    assert format_title(policies()[repo], type="feat", scope=scope, subject="add Pyroscope continuous profiling") == title


def test_a_scoped_template_needs_a_scope() -> None:
    with pytest.raises(ConfigError, match=r"^openwallet-foundation/helm-charts: the title template .* needs a scope"):
        format_title(policies()["owf-charts"], type="feat", subject="x")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"repo": "a/b", "labels": []}, "recipes.yaml: repos.k: unexpected key 'labels'"),
        ({"repo": "ab"}, "recipes.yaml: repos.k.repo: expected owner/name"),
        ({"repo": "a/b", "draft": "yes"}, "recipes.yaml: repos.k.draft: expected true or false"),
        ({"repo": "a/b", "title": "{kind}: {subject}"}, "a/b: bad title template '{kind}: {subject}': unknown placeholder 'kind'"),
    ],
)
def test_policy_errors(data: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        RepoPolicy.from_mapping("k", data)
    assert str(caught.value) == message


def test_branch_name() -> None:
    assert branch_name("phase-3", "acapy", "profiling") == BRANCH


def test_commit_message_has_body_then_trailers_git_can_parse() -> None:
    message = commit_message("feat: add profiling", BRANCH, BOT, body="Why:\n\n# not a comment\n")

    assert message == (
        "feat: add profiling\n\nWhy:\n\n# not a comment\n\n"
        f"Rollout-Change: {BRANCH}\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"
    )
    parsed = subprocess.run(["git", "interpret-trailers", "--parse"], input=message, text=True,
                            capture_output=True, check=True).stdout
    assert parsed == f"Rollout-Change: {BRANCH}\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"
    assert trailers(message) == [("Rollout-Change", BRANCH), ("Signed-off-by", "Rollout Bot <rollout-bot@example.org>")]


def commit(author: str = BOT.email, committer: str = BOT.email, message: str | None = None,
           names: tuple[str, str] = ("Rollout Bot", "Rollout Bot")) -> CommitInfo:
    text = commit_message("feat: x", BRANCH, BOT) if message is None else message
    return CommitInfo("0" * 40, names[0], author, names[1], committer, text)


@pytest.mark.parametrize(
    ("c", "ours"),
    [
        (commit(), True),
        (commit(author="ROLLOUT-BOT@example.org"), True),  # emails compare case-insensitively
        (commit(committer="alice@example.org", names=("Rollout Bot", "Alice")), False),  # amended/rebased by Alice
        (commit(message="feat: x\n\nSigned-off-by: Rollout Bot <rollout-bot@example.org>\n"), False),  # no marker
        (commit(message=commit_message("feat: x", "phase-3/other", BOT)), False),  # another branch's commit
        (commit(author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")), False),
    ],
)
def test_is_bot_commit(c: CommitInfo, ours: bool) -> None:
    assert is_bot_commit(c, BOT, BRANCH) is ours


def test_edited_by_names_the_people_once() -> None:
    commits = [
        commit(),
        commit(author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")),
        commit(committer="bob@example.org", names=("Rollout Bot", "Bob")),
        commit(author="alice@example.org", committer="alice@example.org", names=("Alice", "Alice")),
    ]
    assert edited_by(commits, BOT, BRANCH) == ["Alice", "Bob"]
