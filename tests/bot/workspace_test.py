from concurrent.futures import ThreadPoolExecutor

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
