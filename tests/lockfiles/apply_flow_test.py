"""Through the apply flow: the regenerated lock is in the change set's own patch, a failing tool fails
only its change set, and a re-run over a base that has the change finds nothing to do."""

from __future__ import annotations

import git

from bot.campaign.load import load_campaign
from bot.rollout.apply import run_all
from bot.workspace.checkout import Workspace
from tests.helpers.campaign import campaign, item, write_campaign
from tests.helpers.git import commit_to_remote, make_remote, url_template
from tests.lockfiles import fixtures


def _recipe(service: str, path: str) -> dict:
    step = {
        "codemod": "node.add_dependency",
        "path": path,
        "with": {"name": "tiny-new", "version": "^2.0.0"},
    }
    return {
        "service": service,
        "changes": {"rum": {"item": f"{service}-rum", "subject": "add tiny-new", "steps": [step]}},
    }


def test_lock_in_the_same_patch_failures_isolated_and_reruns_idempotent(
    base_repos, lock_settings, tmp_path
):
    remotes = tmp_path / "remotes"
    make_remote(remotes, "example/frontend", base_repos["npm"])
    broken = dict(base_repos["pnpm"])  # no packageManager pin: the pnpm version is unknown
    broken["package.json"] = fixtures.package_json("mono", {})
    make_remote(remotes, "example/mono", broken)
    items = [item("frontend-rum", "frontend"), item("mono-rum", "mono")]
    root = write_campaign(
        tmp_path / "campaign",
        campaign({"frontend": "example/frontend", "mono": "example/mono"}, items),
        {
            "frontend": _recipe("frontend", "frontend/package.json"),
            "mono": _recipe("mono", "packages/app/package.json"),
        },
    )
    changes = load_campaign(root).change_sets()
    workspace = Workspace(tmp_path / "ws", url_template(remotes))

    good, bad = run_all(changes, workspace, jobs=2, locks=lock_settings)

    assert (good.status, bad.status) == ("dry-run", "failed"), (good.reason, bad.reason)
    assert good.files == ["frontend/package-lock.json", "frontend/package.json"]
    assert (
        "+++ b/frontend/package-lock.json" in good.diff and '"node_modules/tiny-new"' in good.diff
    )
    assert [report.lock for report in good.lockfiles] == ["frontend/package-lock.json"]
    assert (
        "failed: lockfile pnpm-lock.yaml: package.json has no `packageManager: pnpm@<version>`"
        in bad.reason
    )

    (again,) = run_all(changes[:1], workspace, jobs=1, locks=lock_settings)
    assert again.diff == good.diff  # the same change, the same lock: a re-run would be up to date

    # once the PR is merged, the base has the dependency and its lock: nothing left to do
    patched = _apply(good.diff, base_repos["npm"], tmp_path / "merged")
    commit_to_remote(remotes / "example+frontend.git", patched, "merge the bot's PR")
    fresh = Workspace(tmp_path / "ws", url_template(remotes))  # a new run fetches the merged base
    (after,) = run_all(changes[:1], fresh, jobs=1, locks=lock_settings)
    assert after.status == "unchanged" and after.diff == ""


def _apply(diff: str, files: dict[str, str], directory) -> dict[str, str]:
    """The files after `git apply` of the bot's patch."""
    fixtures.write(directory, files)
    repo = git.Repo.init(directory)
    (directory / "change.patch").write_text(diff)
    repo.git.apply("change.patch")
    (directory / "change.patch").unlink()
    return {path: (directory / path).read_text() for path in files}
