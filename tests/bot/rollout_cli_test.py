"""`bot apply` (publishing), `bot status` and `bot close` end to end: the whole campaign on the sample
repos, served by the fake GitHub (real HTTP on loopback, OpenAPI-validated) with pushes over file://."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.cli import main
from tests.fake_github import FakeGitHub
from tests.fake_stack.stack import running
from tests.helpers.publishing import bot_environment, serve_samples

ROOT = Path(__file__).resolve().parents[2]
CANARY = "ghp_" + "canary".ljust(
    36, "0"
)  # token-shaped, assembled: no token-like literal in the source


@pytest.fixture
def github(
    fake: FakeGitHub, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[FakeGitHub]:
    fake.add_user("rollout-bot", CANARY)
    serve_samples(fake, "rollout-bot")
    for name, value in bot_environment(fake, CANARY).items():
        monkeypatch.setenv(name, value)
    with running(
        tmp_path
    ) as stack:  # publishing waits for `bot gate --env dev`: a healthy fake stack
        for name, value in stack.environ().items():
            monkeypatch.setenv(name, value)
        yield fake


def _real_services() -> list[str]:
    """Every service whose repository is real: publishing to a placeholder repo refuses (exit 2)."""
    return [
        name
        for name, service in load_campaign(ROOT).services.items()
        if not service.repo.placeholder
    ]


def _apply(tmp_path: Path, *args: str) -> int:
    selected = [arg for name in _real_services() for arg in ("--service", name)]
    return main(["apply", *selected, "--no-diff", "--workspace", str(tmp_path / "ws"), *args])


def test_first_run_opens_every_pr_once_labelled_and_linked_then_rerun_writes_nothing(
    github, tmp_path, capsys
):
    campaign = load_campaign(ROOT)
    selected = campaign.change_sets(_real_services())
    publishable = [c for c in selected if not c.skip]

    assert _apply(tmp_path, "--output-dir", str(tmp_path / "out")) == 0
    first_out, first_err = capsys.readouterr()
    pulls = {
        pull.head_ref: (repo, pull) for repo in github.world.pulls for pull in github.pulls(repo)
    }
    assert sorted(pulls) == sorted(c.branch for c in publishable)
    for change in publishable:
        repo, pull = pulls[change.branch]
        assert repo == change.repo.full_name.lower()
        assert pull.title == change.title
        own_repo = change.repo.owner == "bcgov"
        assert (
            pull.head_repo.startswith("rollout-bot/") != own_repo
        )  # fork mode where the bot cannot push
        # labels need triage access; from a fork the PR is opened unlabelled and the run says so
        assert sorted(pull.labels) == (sorted(change.item.labels) if own_repo else [])
        assert pull.draft == change.repo.draft
        assert pull.body.startswith(f"<!-- phase-3-bot:{change.id} body:")
        assert f"### Acceptance criteria (`{change.item.id}`)" in pull.body
        assert "- `bot gate --env dev` passed before this PR was published" in pull.body
        assert (
            "  - passed: faro-collect (faro.receiver answers 202 Accepted, not the plan's 200"
            in pull.body
        )
        assert (  # recipes.yaml's tracking_repo is still a placeholder: no link, one warning
            f"Tracking item `{change.item.id}` (no link: recipes.yaml's tracking_repo is a placeholder)"
            in pull.body
        )
    assert {
        pulls[c.branch][1].draft for c in publishable if c.repo.key in ("traction", "bc-wallet")
    } == {True}
    assert first_err.count("tracking_repo") == 1
    assert (
        "warning: recipes.yaml: tracking_repo: bcgov/dts-observability is a placeholder"
        in first_err
    )
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    assert {c["status"] for c in summary} == {"opened", "not-applicable"}
    assert all(c["pr_url"] for c in summary if c["status"] == "opened")
    assert sorted(
        repo for repo in github.world.repos if repo.startswith("rollout-bot/helm-charts")
    ) == [
        "rollout-bot/helm-charts",
        "rollout-bot/helm-charts-1",  # two upstreams called helm-charts
    ]
    first_requests = len(github.requests)

    assert _apply(tmp_path) == 0
    second_out, _ = capsys.readouterr()
    assert [str(r) for r in github.requests[first_requests:] if r.write] == []
    assert len(github.pushes()) == len(publishable)  # one push per PR, none on the re-run
    assert (
        f"{len(selected)} change sets: 3 not-applicable, {len(publishable)} up-to-date"
        in second_out
    )
    assert sum(
        1 for c in publishable for pull in [pulls[c.branch][1]] if pull.state == "open"
    ) == len(publishable)

    assert main(["status", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["change_sets"]
    states = {(row["service"], row["change"]): row["state"] for row in rows}
    assert states[("traction", "rum")] == "draft" and states[("acapy", "profiling")] == "open"
    assert states[("credo", "rum")] == "missing"

    for text in (
        first_out,
        first_err,
        second_out,
        *(p.read_text(errors="replace") for p in (tmp_path / "out").rglob("*") if p.is_file()),
    ):
        assert CANARY not in text
    configs = [
        p
        for p in (tmp_path / "ws").rglob("config")
        if p.parent.name.endswith(".git") or p.parent.name == "cache"
    ]
    assert configs and all(CANARY not in p.read_text() for p in configs)


def test_a_human_commit_survives_and_close_keeps_its_branch(github, tmp_path, capsys):
    apply = ["apply", "--service", "traction", "--change", "profiling", "--change", "rum", "--no-diff",
             "--workspace", str(tmp_path / "ws")]  # fmt: skip
    assert main(apply) == 0
    github.commit("bcgov/traction", "phase-3/traction-profiling", {"NOTE.md": "reviewer fix\n"},
                  message="Reviewer tweak", author=("Rev Iewer", "rev@example.org"))  # fmt: skip
    human_tip = github.repo("bcgov/traction").ref_sha("phase-3/traction-profiling")
    capsys.readouterr()

    assert main(apply) == 0
    out = capsys.readouterr().out
    assert "EDITED traction/profiling: edited by Rev Iewer" in out
    assert github.repo("bcgov/traction").ref_sha("phase-3/traction-profiling") == human_tip

    assert main(["status", "--service", "traction"]) == 0
    assert "Rev Iewer" in capsys.readouterr().out

    assert (
        main(
            ["close", "--service", "traction", "--change", "profiling", "--change", "rum", "--yes"]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "traction/profiling" in out and "branch kept: edited by Rev Iewer" in out
    assert "traction/rum" in out and "branch deleted" in out
    assert {pull.state for pull in github.pulls("bcgov/traction")} == {"closed"}
    assert github.repo("bcgov/traction").ref_sha("phase-3/traction-rum") is None


def test_publishing_without_credentials_is_a_config_error_before_any_work(
    github, tmp_path, capsys, monkeypatch
):
    monkeypatch.delenv("GITHUB_TOKEN")
    assert main(["apply", "--service", "traction", "--workspace", str(tmp_path / "ws")]) == 2
    assert "no GitHub credentials" in capsys.readouterr().err
    assert github.requests == [] and not (tmp_path / "ws" / "cache").exists()


def test_git_subprocesses_never_get_the_token_on_their_command_line(github, tmp_path, monkeypatch):
    seen: list[list[str]] = []
    real_popen = subprocess.Popen.__init__

    def spy(self, args, *rest, **kwargs):
        seen.append([str(a) for a in (args if isinstance(args, (list, tuple)) else [args])])
        return real_popen(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", spy)
    assert (
        main(
            [
                "apply",
                "--service",
                "bc-wallet",
                "--change",
                "profiling",
                "--no-diff",
                "--workspace",
                str(tmp_path / "ws"),
            ]
        )
        == 0
    )
    assert any("push" in args for args in seen)
    assert not [args for args in seen if any(CANARY in a for a in args)]


def test_answering_no_to_close_closes_nothing(github, tmp_path, capsys, monkeypatch):
    assert (
        main(
            [
                "apply",
                "--service",
                "bc-wallet",
                "--change",
                "profiling",
                "--no-diff",
                "--workspace",
                str(tmp_path / "ws"),
            ]
        )
        == 0
    )
    monkeypatch.setattr("click.confirm", lambda *args, **kwargs: False)
    capsys.readouterr()
    assert main(["close", "--service", "bc-wallet"]) == 0
    assert "nothing closed" in capsys.readouterr().out
    assert {pull.state for pull in github.pulls("bcgov/BC-Wallet-Demo")} == {"open"}


def test_a_github_app_key_that_does_not_load_is_a_config_error(
    github, tmp_path, capsys, monkeypatch
):
    key = tmp_path / "app.pem"
    key.write_text("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----\n")
    monkeypatch.delenv("GITHUB_TOKEN")
    for name, value in {
        "GITHUB_APP_ID": "1",
        "GITHUB_APP_PRIVATE_KEY_FILE": str(key),
        "GITHUB_APP_INSTALLATION_ID": "2",
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["apply", "--service", "bc-wallet", "--workspace", str(tmp_path / "ws")]) == 2
    assert "error: GitHub credentials:" in capsys.readouterr().err
    assert not (tmp_path / "ws" / "cache").exists()
