"""Issue 4's change sets (recipes/*.yaml) applied to samples/ by the engine (bot.campaign.load loads them,
bot.rollout.changes applies them): every edited file parses, passes the repository's own formatter/linter
settings (prettier, biome, ruff), and a second run changes nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot.workspace import lockfiles
from bot.rollout.changes import apply_steps
from bot.campaign.model import ChangeSet
from bot.campaign.load import load_campaign
from tests.helpers.ruff import ruff_for
from tests.helpers import node
from tests.helpers.parsers import assert_parses

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CAMPAIGN = load_campaign(ROOT)

# (service, change, formatter); the sample is the change set's repository
CHANGE_SETS = [
    ("traction", "profiling", "prettier"),
    ("traction", "rum", "prettier"),
    ("bc-wallet", "profiling", "prettier"),
    ("bc-wallet", "rum", "prettier"),
    ("mediator", "profiling", "biome"),
    ("credo", "profiling", "biome"),
    ("vc-authn", "rum", "ruff-vc-authn"),
    ("didwebvh", "rum", "ruff-didwebvh"),
]
# Where each repository runs its JS formatter (with that directory's ignore file), innermost first.
FORMAT_ROOTS = {
    "bcgov+traction": ["services/tenant-ui/frontend", "services/tenant-ui"],
    "bcgov+BC-Wallet-Demo": ["."],
    "openwallet-foundation+didcomm-mediator-credo": ["."],
    "openwallet-foundation+credo-ts": ["."],
}
# each repository's [tool.ruff] (line length, then the lint rules CI enforces)
RUFF = {
    "ruff-vc-authn": ("88", ["--select", "E,F,I,W", "--ignore", "E501"]),
    "ruff-didwebvh": (
        "100",
        [
            "--select",
            "B006,C,D,E,F,PLC0415",
            "--ignore",
            "D203,D204,D213,D215,D400,D401,D404,D406,D407,D408,D409,D413,D202,D104",
        ],
    ),
}
# The lockfiles the real repositories keep for the dependency files each change set edits
# (services.md, Lockfiles). Where a sample lacks one, the test adds an empty one to its copy.
LOCKFILES = {
    ("traction", "profiling"): {
        "plugins/traction_innkeeper/poetry.lock",
        "services/tenant-ui/package-lock.json",
    },
    ("traction", "rum"): {"services/tenant-ui/frontend/package-lock.json"},
    ("bc-wallet", "profiling"): {"yarn.lock"},
    ("bc-wallet", "rum"): {"yarn.lock"},
    ("mediator", "profiling"): {"pnpm-lock.yaml"},
    ("credo", "profiling"): {"pnpm-lock.yaml"},
    ("vc-authn", "rum"): {"demo/nuxt/package-lock.json"},
    ("didwebvh", "rum"): set(),
}


def _change(service: str, key: str) -> ChangeSet:
    return next(c for c in CAMPAIGN.change_sets([service]) if c.key == key)


def _sample(change: ChangeSet) -> str:
    return change.repo.full_name.replace("/", "+")


def _applied(service: str, key: str, into: Path) -> tuple[ChangeSet, Path, dict[str, str]]:
    """A copy of the change set's sample with the change applied: (change, repo, path -> new text)."""
    change = _change(service, key)
    repo = shutil.copytree(SAMPLES / _sample(change), into)
    edits = apply_steps(change.steps, repo)
    assert not edits.error, edits.error
    return change, repo, edits.files


@pytest.mark.parametrize(("service", "change", "formatter"), CHANGE_SETS)
def test_change_set_applies_parses_and_is_idempotent(tmp_path, service, change, formatter):
    change_set, repo, edited = _applied(service, change, tmp_path / "repo")
    assert set(edited) == {step.path for step in change_set.steps}, "a step changed nothing"
    for path, text in edited.items():
        assert_parses(path, text)
    again = apply_steps(change_set.steps, repo)
    assert (again.error, again.files) == ("", {}), "a second run changed something"


def _format_failures(repo: Path, files: list[str], sample: str, formatter: str) -> set[str]:
    """The files the repository's formatter or linter rejects (each checked from its format root)."""
    failing = set()
    for path in files:
        if formatter.startswith("ruff"):
            if not path.endswith(".py"):
                continue
            ruff = ruff_for(repo / path)
            line_length, rules = RUFF[formatter]
            for command in (["format", "--check"], ["check", *rules]):
                args = [
                    ruff, *command, "--isolated", "--no-cache", "--line-length", line_length, path
                ]  # fmt: skip
                if subprocess.run(args, cwd=repo, capture_output=True, check=False).returncode:
                    failing.add(path)
            continue
        if not path.endswith((".ts", ".tsx", ".json", ".vue")):
            continue
        root = next(r for r in FORMAT_ROOTS[sample] if r == "." or path.startswith(r + "/"))
        relative = path if root == "." else path[len(root) + 1 :]
        if formatter == "prettier":
            node.require("prettier")
            args = [node.bin_path("prettier"), "--check", relative]
        else:
            node.require("@biomejs/biome")
            args = [node.bin_path("biome"), "check", "--vcs-enabled=false", relative]
        if node.run(args, cwd=repo / root).returncode:
            failing.add(path)
    return failing


@pytest.mark.parametrize(("service", "change", "formatter"), CHANGE_SETS)
def test_edited_code_passes_the_repositorys_formatter(tmp_path, service, change, formatter):
    """New files pass the repo's formatter and linter; edited files pass when they did before."""
    change_set, repo, edited = _applied(service, change, tmp_path / "repo")
    sample = _sample(change_set)
    existing = [path for path in edited if (SAMPLES / sample / path).is_file()]
    before = _format_failures(SAMPLES / sample, existing, sample, formatter)
    after = _format_failures(repo, list(edited), sample, formatter)
    assert after <= before, (
        f"the change set leaves unformatted or failing files: {sorted(after - before)}"
    )


@pytest.mark.parametrize(("service", "change", "formatter"), CHANGE_SETS)
def test_the_engine_notes_each_lockfile_to_regenerate(tmp_path, service, change, formatter):
    sample = _sample(_change(service, change))
    repo = shutil.copytree(SAMPLES / sample, tmp_path / "repo")
    for lockfile in LOCKFILES[(service, change)]:
        (repo / lockfile).touch()
    edits = apply_steps(_change(service, change).steps, repo)
    notes = lockfiles.notes(repo, list(edits.files))
    named = {note.split(" must be regenerated for ")[0] for note in notes}
    assert named == LOCKFILES[(service, change)], notes


def test_credo_rum_is_skipped_with_a_reason():
    rum = _change("credo", "rum")
    assert rum.item.id == "credo-rum"
    assert "no web root" in rum.skip and rum.steps == ()


@pytest.mark.parametrize(("service", "change"), sorted({(s, c) for s, c, _ in CHANGE_SETS}))
def test_change_sets_follow_the_recipe_format(service, change):
    change_set = _change(service, change)
    assert change_set.item.id == f"{service}-{change}"
    assert change_set.subject and change_set.subject[:1] == change_set.subject[:1].lower()
    assert change_set.why
    assert change_set.deviations and all("\n" not in line for line in change_set.deviations)
    assert not any("regenerate" in note.lower() for note in change_set.notes), (
        "the engine adds the lockfile notes (bot/workspace/lockfiles/)"
    )
    if (service, change) == ("traction", "profiling"):  # both components, in why and deviations
        assert "src/profiling.ts" in change_set.why and "setup(context)" in change_set.why
        assert any("tracing.ts" in line for line in change_set.deviations)


@pytest.mark.parametrize("service", ["traction", "bc-wallet", "vc-authn"])
def test_faro_starts_without_holding_up_the_app(tmp_path, service):
    """No call site waits for initFaro: a slow or failed SDK chunk must not delay or stop rendering."""
    _, _, edited = _applied(service, "rum", tmp_path / "repo")
    callers = {
        path: text
        for path, text in edited.items()
        if "initFaro(" in text and "export async function initFaro" not in text
    }
    assert callers
    for path, text in callers.items():
        assert "await initFaro" not in text, path


def test_no_recipe_names_the_nonexistent_pyroscope_package():
    for recipe in (ROOT / "recipes").glob("*.yaml"):
        for line in recipe.read_text().splitlines():
            if "@grafana/pyroscope-nodejs" in line:
                assert "does not exist" in line, f"{recipe.name}: {line.strip()}"
