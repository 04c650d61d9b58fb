"""Each ecosystem's real tool regenerates its lock against the loopback registries: the new package
and its dependencies come in, existing pins stay although newer releases exist, the lock keeps its
conventions, the consistency check passes, and a second run changes nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from bot.workspace.lockfiles import LockSettings, Outcome, regenerate
from tests.lockfiles import fixtures

# ecosystem -> (the text to find in the manifest, what the change set puts there)
EDITS = {
    "poetry": ('legacy-lib = "^3.0"\n', 'legacy-lib = "^3.0"\nnewpkg = "^1.4"\n'),
    "uv": ('    "beta>=2",\n', '    "beta>=2",\n    "newpkg>=1.4",\n'),
    "npm": ('"tiny-b": "^1.0.0"', '"tiny-b": "^1.0.0",\n    "tiny-new": "^2.0.0"'),
    "pnpm": ('"tiny-b": "^1.0.0"', '"tiny-b": "^1.0.0",\n    "tiny-new": "^2.0.0"'),
    "yarn": ('"tiny-a": "^1.0.0"', '"tiny-a": "^1.0.0",\n    "tiny-new": "^2.0.0"'),
}
NEW = {"python": {"newpkg 1.4.0", "gamma 0.5.0"}, "node": {"tiny-new 2.0.0", "tiny-c 1.0.0"}}
KEPT = {
    "python": "alpha 1.0.0",
    "node": "tiny-a 1.0.0",
}  # 1.1.0 exists since the base lock was made


def setup_repo(
    tmp_path: Path, files: dict[str, str], name: str, edit: tuple[str, str] | None
) -> tuple[Path, Path]:
    """(base copy, worktree with the change set's edit)."""
    base = fixtures.write(tmp_path / "base", files)
    repo = Path(shutil.copytree(base, tmp_path / "repo"))
    if edit:
        manifest = repo / fixtures.REPOS[name]["manifest"]
        text = manifest.read_text()
        assert edit[0] in text
        manifest.write_text(text.replace(edit[0], edit[1], 1))
    return base, repo


def run(repo: Path, base: Path, name: str, settings: LockSettings) -> Outcome:
    return regenerate(repo, [fixtures.REPOS[name]["manifest"]], settings, lambda: base)


def statuses(outcome: Outcome) -> dict[str, str]:
    return {check.name: check.status for check in outcome.checks}


@pytest.mark.parametrize("name", list(fixtures.REPOS))
def test_the_new_package_is_locked_and_nothing_else_moves(
    name, base_repos, lock_settings, tmp_path
):
    base, repo = setup_repo(tmp_path, base_repos[name], name, EDITS[name])
    lock = fixtures.REPOS[name]["lock"]
    before = (repo / lock).read_text()

    outcome = run(repo, base, name, lock_settings)

    assert outcome.checks and all(check.status == "passed" for check in outcome.checks), (
        outcome.checks
    )
    (report,) = outcome.reports
    kind = "python" if name in ("poetry", "uv") else "node"
    assert set(report.new_packages) == NEW[kind]
    after = (repo / lock).read_text()
    assert report.removed <= 3 and report.added >= 4, (report, after)
    assert _locked(after, KEPT[kind]), after  # the existing pin, not the newer release
    assert not report.drift and not outcome.notes
    _assert_conventions(name, before, after)

    # idempotent: regenerating the regenerated tree changes nothing
    again = run(repo, Path(shutil.copytree(repo, tmp_path / "base2")), name, lock_settings)
    assert (repo / lock).read_text() == after
    assert (again.reports[0].added, again.reports[0].removed) == (0, 0)
    assert all(check.status == "passed" for check in again.checks), again.checks
    leftovers = sorted(p.name for p in repo.rglob("*") if p.name in ("node_modules", ".venv"))
    assert leftovers == [], "the tools left installs behind in the worktree"


def _locked(lock: str, entry: str) -> bool:
    name, version = entry.split()
    patterns = [
        rf'name = "{name}"\nversion = "{version}"',  # poetry, uv
        rf'"node_modules/{name}": {{\n\s+"version": "{version}"',  # npm
        rf"\n  {name}@{version}:",  # pnpm
        rf'\n{name}@[^\n]*:\n  version "{version}"',  # yarn
    ]
    return any(re.search(pattern, lock) for pattern in patterns)


def _assert_conventions(name: str, before: str, after: str) -> None:
    """The lock keeps its own format, whatever the local tool configuration says."""
    if name == "npm":  # this machine's npm omits resolved URLs; the repo's lock has them
        packages = json.loads(after)["packages"]
        assert json.loads(after)["lockfileVersion"] == json.loads(before)["lockfileVersion"] == 3
        assert all("resolved" in p and "integrity" in p for key, p in packages.items() if key)
    if name == "poetry":
        assert after.splitlines()[0] == before.splitlines()[0] == fixtures.POETRY_HEADER.strip()
        assert "[package.source]" not in after  # the temporary simple-index source left no trace
    if name == "uv":
        assert after.splitlines()[:2] == before.splitlines()[:2] == ["version = 1", "revision = 3"]
    if name == "pnpm":
        assert after.startswith("lockfileVersion: '9.0'") and "catalogs:" in after
    if name == "yarn":
        assert "# yarn lockfile v1" in after and after.count("resolved ") == after.count(
            "\n  version "
        )


def test_a_relock_that_moves_an_unrelated_package_fails_with_the_count(
    base_repos, lock_settings, tmp_path
):
    # tiny-bump needs tiny-a ^1.1.0: npm must move the existing tiny-a pin to add it
    base, repo = setup_repo(
        tmp_path,
        base_repos["npm"],
        "npm",
        ('"tiny-b": "^1.0.0"', '"tiny-b": "^1.0.0",\n    "tiny-bump": "^1.0.0"'),
    )
    outcome = run(repo, base, "npm", lock_settings)
    churn = next(check for check in outcome.checks if check.name == "lock churn")
    assert churn.status == "failed"
    assert (
        "1 unrelated packages re-resolved" in churn.detail
        and "tiny-a 1.0.0 -> 1.1.0" in churn.detail
    )
    assert re.search(r"\+\d+ -[1-9]\d* lock lines", churn.detail)


def test_drift_the_base_already_had_is_named_not_blamed(base_repos, lock_settings, tmp_path):
    files = dict(
        base_repos["npm"]
    )  # the manifest moved on without a relock: the base lock is stale
    files["frontend/package.json"] = files["frontend/package.json"].replace(
        '"tiny-a": "^1.0.0"', '"tiny-a": "^1.1.0"'
    )
    base, repo = setup_repo(tmp_path, files, "npm", EDITS["npm"])
    outcome = run(repo, base, "npm", lock_settings)
    assert all(check.status == "passed" for check in outcome.checks), outcome.checks
    assert outcome.reports[0].drift == ["tiny-a 1.0.0 -> 1.1.0"]
    (note,) = outcome.notes
    assert (
        "frontend/package-lock.json was already out of date" in note
        and "tiny-a 1.0.0 -> 1.1.0" in note
    )


def test_a_missing_interpreter_fails_naming_the_version_and_how_to_provide_it(
    lock_settings, tmp_path
):
    files = {
        "pyproject.toml": fixtures.poetry_pyproject({"alpha": "^1.0"}, python="^3.19"),
        "poetry.lock": fixtures.POETRY_HEADER
        + '\n[metadata]\nlock-version = "2.1"\npython-versions = "^3.19"\ncontent-hash = ""\n',
    }
    base, repo = setup_repo(
        tmp_path, files, "poetry", ('alpha = "^1.0"\n', 'alpha = "^1.0"\nnewpkg = "^1.4"\n')
    )
    outcome = run(repo, base, "poetry", lock_settings)
    (check,) = outcome.checks
    assert check.status == "failed" and check.target == "poetry.lock"
    assert (
        "needs Python 3.19" in check.detail
        and "BOT_PYTHON_3_19=/path/to/python3.19" in check.detail
    )
    assert (repo / "poetry.lock").read_text() == files[
        "poetry.lock"
    ]  # left as it was, and the change set fails


def test_a_package_the_registry_lacks_is_named(base_repos, lock_settings, pypi, tmp_path):
    base, repo = setup_repo(tmp_path, base_repos["poetry"], "poetry", EDITS["poetry"])
    pypi.remove("legacy-lib")  # a mirror behind the public registry: the repo already depends on it
    try:
        outcome = run(repo, base, "poetry", lock_settings)
    finally:
        pypi.add("legacy-lib", "3.0.0")
    failed = [check for check in outcome.checks if check.status == "failed"]
    assert failed and "has no release of legacy-lib" in failed[0].detail, outcome.checks
    (report,) = outcome.reports  # the failed relock still reports its tool and the time it took
    assert report.failed and report.tool.startswith("poetry ") and report.seconds > 0
    assert report.as_dict()["failed"] is True


def test_an_added_package_the_registry_lacks_is_named(base_repos, lock_settings, tmp_path):
    edit = ('"tiny-b": "^1.0.0"', '"tiny-b": "^1.0.0",\n    "tiny-missing": "^1.0.0"')
    base, repo = setup_repo(tmp_path, base_repos["npm"], "npm", edit)
    outcome = run(repo, base, "npm", lock_settings)
    (check,) = outcome.checks
    assert check.status == "failed" and "has no release of tiny-missing" in check.detail, check
    assert lock_settings.environ["npm_config_registry"] in check.detail  # the registry it asked
