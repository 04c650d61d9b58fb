"""The CLI end to end, on real temporary git repositories served over file://."""

import copy
import json
from typing import NamedTuple

import git
import pytest

from bot.cli import main
from codemods import CODEMODS
from tests.helpers.campaign import PYROSCOPE_STEPS, SERVICE_FILES, campaign, item, write_campaign
from tests.helpers.git import make_remote, url_template


@pytest.fixture
def two_services(tmp_path):
    """Campaign with services 'good' and 'gone'; only 'good' has a repository."""
    items = [item("good-profiling", "good"), item("gone-profiling", "gone")]
    recipes = {
        name: {"service": name, "changes": {"profiling": {
            "item": f"{name}-profiling", "subject": "add profiling", "steps": copy.deepcopy(PYROSCOPE_STEPS)}}}
        for name in ("good", "gone")
    }  # fmt: skip
    root = write_campaign(
        tmp_path / "campaign",
        campaign({"good": "example/good", "gone": "example/gone"}, items),
        recipes,
    )
    remote = make_remote(tmp_path / "remotes", "example/good", SERVICE_FILES)
    args = [
        "--campaign",
        str(root),
        "--workspace",
        str(tmp_path / "ws"),
        "--clone-url-template",
        url_template(tmp_path / "remotes"),
    ]
    return root, remote, args


def _refs(bare):
    return git.Repo(bare).git.for_each_ref()


def test_one_failing_service_does_not_stop_the_others(two_services, capsys, tmp_path):
    _, remote, args = two_services
    before = _refs(remote)
    code = main(["apply", "--all", "--dry-run", "--output-dir", str(tmp_path / "out"), *args])
    out, _err = capsys.readouterr()
    assert code == 1
    assert "good/profiling" in out and "would open PR: feat: add profiling" in out
    assert "FAILED gone/profiling: [example/gone] cannot get main from file://" in out
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert [(c["service"], c["status"]) for c in summary["change_sets"]] == [
        ("good", "dry-run"),
        ("gone", "failed"),
    ]
    assert _refs(remote) == before  # dry-run pushed nothing


def test_summary_and_patch_bundle(two_services, capsys, tmp_path):
    _, remote, args = two_services
    assert (
        main(
            [
                "apply",
                "--service",
                "good",
                "--dry-run",
                "--output-dir",
                str(tmp_path / "out"),
                *args,
            ]
        )
        == 0
    )
    (change,) = json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    assert change == {
        "service": "good", "change": "profiling", "item": "good-profiling", "repo": "example/good", "base": "main",
        "branch": "phase-3/good-profiling", "title": "feat: add profiling", "labels": ["phase-3"], "draft": False,
        "files": ["app/main.py", "pyproject.toml"], "patch": "patches/good-profiling.patch", "status": "dry-run",
        "reason": "", "deviations": [],
        "notes": ["poetry.lock must be regenerated for pyproject.toml: run `poetry lock` in the repository root"],
        "checks": [
            {"name": "ast", "target": "app/main.py", "status": "passed", "detail": ""},
            {"name": "toml", "target": "pyproject.toml", "status": "passed", "detail": ""},
        ],
        "waits_for": [], "lockfiles": [], "pr_url": None,
        "tracking": "Tracking item `good-profiling` in example/tracking (issue not filed yet: `bot track`)",
    }  # fmt: skip
    clone = git.Repo.clone_from(str(remote), tmp_path / "fresh")
    clone.git.apply("--check", str(tmp_path / "out" / change["patch"]))


def test_unknown_service_is_a_usage_error(two_services, capsys):
    _, _, args = two_services
    assert main(["apply", "--service", "nope", "--dry-run", *args]) == 2
    assert "error: --service: unknown service 'nope' (known: good, gone)" in capsys.readouterr().err


def test_malformed_recipe_exits_2_naming_file_and_key(two_services, capsys):
    root, _, args = two_services
    text = (
        (root / "recipes" / "good.yaml")
        .read_text()
        .replace("python.add_startup_call", "python.add_startup")
    )
    (root / "recipes" / "good.yaml").write_text(text)
    assert main(["apply", "--all", "--dry-run", *args]) == 2
    assert (
        "error: recipes/good.yaml:12: changes.profiling.steps[1].codemod: unknown codemod 'python.add_startup'"
        in (capsys.readouterr().err)
    )


def test_unparsable_target_fails_that_change_set(two_services, capsys, tmp_path):
    _root, _, args = two_services
    make_remote(
        tmp_path / "remotes", "example/gone", {**SERVICE_FILES, "app/main.py": "def main(:\n"}
    )
    assert main(["apply", "--all", "--dry-run", *args]) == 1
    out = capsys.readouterr().out
    assert (
        "FAILED gone/profiling: python.add_startup_call on app/main.py: app/main.py does not parse as Python"
        in out
    )


def test_second_run_on_an_already_patched_repo_changes_nothing(two_services, capsys, tmp_path):
    _, remote, args = two_services
    main(["apply", "--service", "good", "--dry-run", "--output-dir", str(tmp_path / "out"), *args])
    work = git.Repo.clone_from(str(remote), tmp_path / "maintainer")
    work.git.apply(str(tmp_path / "out" / "patches" / "good-profiling.patch"))
    work.git.add("--all")
    work.git.commit("-m", "merge the bot's change")
    work.git.push("origin", "main")
    capsys.readouterr()
    assert main(["apply", "--service", "good", "--dry-run", *args]) == 0
    assert "1 change sets: 1 unchanged" in capsys.readouterr().out


def test_apply_needs_exactly_one_selection(two_services, capsys):
    _, _, args = two_services
    assert main(["apply", "--dry-run", *args]) == 2
    assert "give --service NAME (repeatable) or --all" in capsys.readouterr().err


def test_list_shows_services_changes_items_and_labels(two_services, capsys):
    root, _, _ = two_services
    assert main(["list", "--campaign", str(root)]) == 0
    out = capsys.readouterr().out
    assert (
        "good  (example/good)" in out
        and "profiling        good-profiling" in out
        and "labels: phase-3" in out
    )
    assert main(["list", "--json", "--campaign", str(root)]) == 0
    rows = json.loads(capsys.readouterr().out)["change_sets"]
    assert [(r["service"], r["change"], r["repo"], r["branch"]) for r in rows] == [
        ("good", "profiling", "example/good", "phase-3/good-profiling"),
        ("gone", "profiling", "example/gone", "phase-3/gone-profiling"),
    ]


def test_help_lists_commands_with_examples(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for expected in ("apply", "list", "validate", "bot apply --service traction --dry-run"):
        assert expected in out


class _WriteFile:
    """A stand-in codemod that writes fixed content (the engine, not the codemod, is under test)."""

    DESCRIPTION = "write a file"
    FILES = ("*", "**/*")

    class Params(NamedTuple):
        content: str

    @staticmethod
    def apply(params, path, text):
        return params.content


def test_a_new_file_on_a_gitignored_path_fails_instead_of_vanishing(
    two_services, capsys, tmp_path, monkeypatch
):
    root, _, args = two_services
    monkeypatch.setitem(CODEMODS, "test.write_file", _WriteFile)
    make_remote(tmp_path / "remotes", "example/gone", {**SERVICE_FILES, ".gitignore": "build/\n"})
    recipe = (root / "recipes" / "gone.yaml").read_text()
    step = "    - codemod: test.write_file\n      path: build/out.txt\n      create: true\n      with: {content: x}\n"
    (root / "recipes" / "gone.yaml").write_text(recipe + step)
    assert main(["apply", "--service", "gone", "--dry-run", *args]) == 1
    assert "edited files are ignored by git (.gitignore): build/out.txt" in capsys.readouterr().out


def test_github_step_summary_gets_a_table(two_services, capsys, tmp_path, monkeypatch):
    _, _, args = two_services
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(tmp_path / "summary.md"))
    assert main(["apply", "--all", "--dry-run", "--no-diff", *args]) == 1
    table = (tmp_path / "summary.md").read_text().splitlines()
    assert table[:4] == [
        "### Phase 3 Profiling and RUM", "",
        "| Change set | Repository | Status | Pull request | Reason |", "|---|---|---|---|---|",
    ]  # fmt: skip
    assert table[4] == "| good/profiling | example/good | dry-run |  |  |"
    assert table[5].startswith(
        "| gone/profiling | example/gone | failed |  | [example/gone] cannot get main from file://"
    )


def test_ctrl_c_stops_starting_change_sets_reports_and_exits_130(
    two_services, capsys, tmp_path, monkeypatch
):
    import bot.rollout.apply

    _, _, args = two_services
    real = bot.rollout.apply.run_change

    def interrupt_on_the_second(change, workspace, publish=None, locks=None, cache=None):
        if change.service == "gone":
            raise KeyboardInterrupt  # as if Ctrl-C arrived while this one was running
        return real(change, workspace, publish, locks, cache)

    monkeypatch.setattr(bot.rollout.apply, "run_change", interrupt_on_the_second)
    code = main(
        ["apply", "--all", "--dry-run", "--jobs", "1", "--output-dir", str(tmp_path / "out"), *args]
    )
    out, err = capsys.readouterr()
    assert code == 130
    assert "interrupted: no further change set will start or publish" in err
    statuses = [
        c["status"]
        for c in json.loads((tmp_path / "out" / "summary.json").read_text())["change_sets"]
    ]
    assert statuses == ["dry-run", "interrupted"]
    assert "INTERRUPTED gone/profiling: stopped by Ctrl-C before it finished" in out


def test_verbose_never_lets_pygithub_log_response_bodies(two_services, capsys):
    import logging

    root, _, _ = two_services
    assert main(["-vv", "list", "--campaign", str(root)]) == 0
    # PyGithub's DEBUG request log prints response bodies, including App installation tokens
    assert logging.getLogger("github").getEffectiveLevel() >= logging.INFO


def test_a_bundle_holds_only_this_runs_patches(two_services, capsys, tmp_path):
    _, _, args = two_services
    (tmp_path / "out" / "patches").mkdir(parents=True)
    (tmp_path / "out" / "patches" / "old-change.patch").write_text("from an earlier run\n")
    main(
        [
            "apply",
            "--service",
            "good",
            "--dry-run",
            "--no-diff",
            "--output-dir",
            str(tmp_path / "out"),
            *args,
        ]
    )
    assert sorted(p.name for p in (tmp_path / "out" / "patches").iterdir()) == [
        "good-profiling.patch"
    ]


def test_publishing_to_a_placeholder_repo_refuses_before_any_work(tmp_path, capsys, monkeypatch):
    data = campaign({"good": "example/good"}, [item("good-profiling", "good")])
    data["repos"]["good"]["placeholder"] = True
    recipe = {
        "item": "good-profiling",
        "subject": "add profiling",
        "steps": copy.deepcopy(PYROSCOPE_STEPS),
    }
    root = write_campaign(
        tmp_path / "c", data, {"good": {"service": "good", "changes": {"profiling": recipe}}}
    )
    remote = make_remote(tmp_path / "remotes", "example/good", SERVICE_FILES)
    args = ["--campaign", str(root), "--workspace", str(tmp_path / "ws")]
    args += ["--clone-url-template", url_template(tmp_path / "remotes")]
    monkeypatch.setenv("GITHUB_TOKEN", "unused-because-refused-first")
    before = _refs(remote)

    assert main(["apply", "--service", "good", *args]) == 2
    err = capsys.readouterr().err
    assert "recipes.yaml: repos.good: example/good is a placeholder; set repos.good.repo" in err
    assert not (tmp_path / "ws").exists()  # nothing cloned

    assert main(["apply", "--service", "good", "--dry-run", *args]) == 0  # a dry-run still works
    assert "would open PR" in capsys.readouterr().out
    assert _refs(remote) == before  # nothing pushed by either run
