from concurrent.futures import ThreadPoolExecutor
from threading import Barrier

import git
import pytest

from bot.campaign.model import Repo
from bot.errors import CloneError, ConfigError
from bot.forge.urls import check_url_template, default_url_template
from bot.workspace.checkout import Workspace
from tests.helpers.git import commit_to_remote, make_remote, url_template

REPO = Repo("svc", "example/svc", "main")


@pytest.fixture
def remote(tmp_path):
    return make_remote(tmp_path / "remotes", REPO.full_name, {"a.txt": "one\n"})


def test_cold_clone_is_shallow_and_cached_then_warm_run_fetches(tmp_path, remote):
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with workspace.checkout(REPO) as checkout:
        assert (checkout.path / "a.txt").read_text() == "one\n"
    cache = tmp_path / "ws" / "cache" / "example+svc.git"
    assert (cache / "shallow").is_file()
    new_sha = commit_to_remote(remote, {"a.txt": "two\n"}, "upstream moved")
    warm = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with warm.checkout(REPO) as checkout:
        assert checkout.base_sha == new_sha
        assert (checkout.path / "a.txt").read_text() == "two\n"
    assert list((tmp_path / "ws" / "tmp").iterdir()) == []  # worktrees cleaned up


def test_diff_covers_new_files_and_base_copy_is_pristine(tmp_path, remote):
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with workspace.checkout(REPO) as checkout:
        (checkout.path / "a.txt").write_text("changed\n")
        (checkout.path / "new" / "b.txt").parent.mkdir()
        (checkout.path / "new" / "b.txt").write_text("new\n")
        assert checkout.changed_files() == ["a.txt", "new/b.txt"]
        diff = checkout.diff()
        assert "+++ b/new/b.txt" in diff and "-one" in diff and "+changed" in diff
        assert (checkout.base_dir() / "a.txt").read_text() == "one\n"


def test_concurrent_checkouts_of_one_repo_are_independent(tmp_path, remote):
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))

    def edit(n):
        with workspace.checkout(REPO) as checkout:
            (checkout.path / "a.txt").write_text(f"{n}\n")
            return [
                line
                for line in checkout.diff().splitlines()
                if line[:1] in "+-" and line[:3] not in ("+++", "---")
            ]

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(edit, range(8))) == [["-one", f"+{n}"] for n in range(8)]


def test_clone_error_names_repo_and_reason(tmp_path):
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "nowhere"))
    expected = (
        r"\[example/svc\] cannot get main from file://\S+: fatal: '\S+' does not appear to be a git"
        r" repository fatal: Could not read from remote repository\.$"
    )
    with pytest.raises(CloneError, match=expected), workspace.checkout(REPO):
        pass
    assert not (tmp_path / "ws" / "cache" / "example+svc.git").exists()


def test_url_templates():
    assert default_url_template({}) == "https://github.com/{owner}/{repo}.git"
    assert (
        default_url_template({"GITHUB_SERVER_URL": "https://ghe.example/"})
        == "https://ghe.example/{owner}/{repo}.git"
    )
    assert default_url_template(
        {"BOT_CLONE_URL_TEMPLATE": "file:///m/{owner}+{repo}.git", "GITHUB_SERVER_URL": "x"}
    ) == ("file:///m/{owner}+{repo}.git")
    with pytest.raises(ConfigError, match="must not contain credentials"):
        check_url_template("https://x-access-token:ghp_secret@github.com/{owner}/{repo}.git")
    with pytest.raises(ConfigError, match=r"has no \{repo\}"):
        check_url_template("https://github.com/{owner}/fixed.git")


def test_prefetch_clones_every_repo_at_once_and_checkouts_find_them_fresh(tmp_path, monkeypatch):
    repos = [Repo(name, f"example/{name}", "main") for name in ("one", "two", "three")]
    for repo in repos:
        make_remote(tmp_path / "remotes", repo.full_name, {"a.txt": f"{repo.name}\n"})
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    all_started = Barrier(len(repos), timeout=60)  # breaks unless the three clones overlap
    clone, fetches = Workspace._clone, []

    def clone_together(self, path, repo):
        all_started.wait()
        return clone(self, path, repo)

    monkeypatch.setattr(Workspace, "_clone", clone_together)
    monkeypatch.setattr(Workspace, "_fetch", lambda self, cache, repo: fetches.append(repo))
    with workspace.prefetch([*repos, repos[0]]):
        pass
    for repo in repos:
        with workspace.checkout(repo) as checkout:
            assert (checkout.path / "a.txt").read_text() == f"{repo.name}\n"
    assert fetches == []  # fresh from the prefetch: no second round trip


def test_a_failed_prefetch_surfaces_in_each_checkout_with_the_same_message(tmp_path):
    def message(workspace):
        with pytest.raises(CloneError) as raised, workspace.checkout(REPO):
            pass
        return str(raised.value)

    unfetched = message(Workspace(tmp_path / "ws1", url_template(tmp_path / "nowhere")))
    workspace = Workspace(tmp_path / "ws2", url_template(tmp_path / "nowhere"))
    with workspace.prefetch([REPO]):
        pass
    assert unfetched.startswith("[example/svc] cannot get main from file://")
    assert [message(workspace), message(workspace)] == [unfetched] * 2


def test_base_dir_copies_only_the_paths_asked_for_and_grows(tmp_path):
    files = {"a.txt": "one\n", "charts/app/Chart.yaml": "name: app\n", "charts/other/x": "x\n"}
    make_remote(tmp_path / "remotes", REPO.full_name, {**files, "odd[*].txt": "glob chars\n"})
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with workspace.checkout(REPO) as checkout:
        (checkout.path / "charts/app/Chart.yaml").write_text("changed\n")
        base = checkout.base_dir("charts/app", "charts/new-in-this-change")
        assert sorted(p.relative_to(base).as_posix() for p in base.rglob("*") if p.is_file()) == [
            "charts/app/Chart.yaml"
        ]
        assert (base / "charts/app/Chart.yaml").read_text() == "name: app\n"
        assert checkout.base_dir("odd[*].txt") == base  # a path, not a pattern
        assert not (base / "a.txt").exists() and (base / "odd[*].txt").is_file()
        assert (checkout.base_dir() / "a.txt").read_text() == "one\n"
        assert (base / "charts/other/x").is_file()


def test_base_dir_copies_everything_when_a_link_could_lead_out_of_the_paths(tmp_path):
    remote = make_remote(tmp_path / "remotes", REPO.full_name, {"shared/values.yaml": "a: 1\n"})
    work = git.Repo.clone_from(str(remote), tmp_path / "maintainer")
    (tmp_path / "maintainer" / "chart").mkdir()
    (tmp_path / "maintainer" / "chart" / "values.yaml").symlink_to("../shared/values.yaml")
    work.git.add("--all")
    work.git.commit("-m", "link", "--no-gpg-sign")
    work.git.push("origin", "main")
    workspace = Workspace(tmp_path / "ws", url_template(tmp_path / "remotes"))
    with workspace.checkout(REPO) as checkout:
        assert (checkout.base_dir("chart") / "chart" / "values.yaml").read_text() == "a: 1\n"
