"""Issue 4's change sets (recipes/*.yaml) applied to samples/: every edited file parses, passes the
repository's own formatter/linter settings (prettier, biome, ruff), and a second run changes nothing.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot import lockfiles
from tests.helpers import node
from tests.helpers.parsers import assert_parses
from tests.helpers.recipes import ROOT, apply_change, change_sets

SAMPLES = ROOT / "samples"

# (service, change, sample repository, formatter)
CHANGE_SETS = [
    ("traction", "profiling", "bcgov+traction", "prettier"),
    ("traction", "rum", "bcgov+traction", "prettier"),
    ("bc-wallet", "profiling", "bcgov+BC-Wallet-Demo", "prettier"),
    ("bc-wallet", "rum", "bcgov+BC-Wallet-Demo", "prettier"),
    ("mediator", "profiling", "openwallet-foundation+didcomm-mediator-credo", "biome"),
    ("credo", "profiling", "openwallet-foundation+credo-ts", "biome"),
    ("vc-authn", "rum", "openwallet-foundation+acapy-vc-authn-oidc", "ruff-vc-authn"),
    ("didwebvh", "rum", "decentralized-identity+didwebvh-server-py", "ruff-didwebvh"),
]
# Where each repository runs its JS formatter (with that directory's ignore file), innermost first.
FORMAT_ROOTS = {
    "bcgov+traction": ["services/tenant-ui/frontend", "services/tenant-ui"],
    "bcgov+BC-Wallet-Demo": ["."],
    "openwallet-foundation+didcomm-mediator-credo": ["."],
    "openwallet-foundation+credo-ts": ["."],
}
# Files the lead writes in these samples (Python parts); until then their steps are skipped.
OTHER_OWNERS = {
    "openwallet-foundation+acapy-vc-authn-oidc": {
        "oidc-controller/api/main.py",
        "oidc-controller/api/core/config.py",
    },
    "decentralized-identity+didwebvh-server-py": {"server/app/__init__.py"},
    "bcgov+traction": {
        "plugins/traction_innkeeper/pyproject.toml",
        "plugins/traction_innkeeper/traction_innkeeper/v1_0/__init__.py",
    },
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


def _materialise(sample: str, edited: dict[str, str], into: Path) -> Path:
    shutil.copytree(SAMPLES / sample, into, dirs_exist_ok=True)
    for path, text in edited.items():
        (into / path).parent.mkdir(parents=True, exist_ok=True)
        (into / path).write_text(text, encoding="utf-8")
    return into


def _step_paths(service: str, change: str) -> set[str]:
    return {step["path"] for step in change_sets(service)[change]["steps"]}


@pytest.mark.parametrize(("service", "change", "sample", "formatter"), CHANGE_SETS)
def test_change_set_applies_parses_and_is_idempotent(tmp_path, service, change, sample, formatter):
    edited = apply_change(service, change, SAMPLES / sample, only_existing=True)
    skipped = _step_paths(service, change) - set(edited)
    assert skipped <= OTHER_OWNERS.get(sample, set()), f"steps skipped for missing files: {skipped}"
    assert edited and all(text != _original(sample, path) for path, text in edited.items())
    for path, text in edited.items():
        assert_parses(path, text)
    repo = _materialise(sample, edited, tmp_path / "repo")
    assert apply_change(service, change, repo, only_existing=True) == {
        path: (repo / path).read_text() for path in edited
    }, "a second run changed something"


def _original(sample: str, path: str) -> str | None:
    file = SAMPLES / sample / path
    return file.read_text() if file.is_file() else None


def _format_failures(repo: Path, files: list[str], sample: str, formatter: str) -> set[str]:
    """The files the repository's formatter or linter rejects (each checked from its format root)."""
    failing = set()
    for path in files:
        if formatter.startswith("ruff"):
            if not path.endswith(".py"):
                continue
            ruff = shutil.which("ruff") or pytest.skip("ruff is not installed")
            line_length, rules = RUFF[formatter]
            for command in (["format", "--check"], ["check", *rules]):
                args = [ruff, *command, "--isolated", "--line-length", line_length, path]
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


@pytest.mark.parametrize(("service", "change", "sample", "formatter"), CHANGE_SETS)
def test_edited_code_passes_the_repositorys_formatter(tmp_path, service, change, sample, formatter):
    """New files pass the repo's formatter and linter; edited files pass when they did before."""
    edited = apply_change(service, change, SAMPLES / sample, only_existing=True)
    repo = _materialise(sample, edited, tmp_path / "repo")
    existing = [path for path in edited if (SAMPLES / sample / path).is_file()]
    before = _format_failures(SAMPLES / sample, existing, sample, formatter)
    after = _format_failures(repo, list(edited), sample, formatter)
    assert after <= before, (
        f"the change set leaves unformatted or failing files: {sorted(after - before)}"
    )


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


@pytest.mark.parametrize(("service", "change", "sample", "formatter"), CHANGE_SETS)
def test_the_engine_notes_each_lockfile_to_regenerate(tmp_path, service, change, sample, formatter):
    repo = _materialise(sample, {}, tmp_path / "repo")
    for lockfile in LOCKFILES[(service, change)]:
        (repo / lockfile).touch()
    edited = apply_change(service, change, repo, only_existing=True)
    notes = lockfiles.notes(repo, list(edited))
    named = {note.split(" must be regenerated for ")[0] for note in notes}
    assert named == LOCKFILES[(service, change)], notes


def test_credo_rum_is_skipped_with_a_reason():
    rum = change_sets("credo")["rum"]
    assert rum["item"] == "credo-rum"
    assert "no web root" in rum["skip"] and "steps" not in rum


@pytest.mark.parametrize(("service", "change"), sorted({(s, c) for s, c, _, _ in CHANGE_SETS}))
def test_change_sets_follow_the_recipe_format(service, change):
    change_set = change_sets(service)[change]
    assert change_set["item"] == f"{service}-{change}"
    assert (
        change_set["subject"]
        and change_set["subject"] == change_set["subject"].lower()[:1] + change_set["subject"][1:]
    )
    assert change_set["why"].strip()
    if service == "traction" and change == "profiling":  # both components, in why and deviations
        assert "src/profiling.ts" in change_set["why"] and "setup(context)" in change_set["why"]
        assert any("tracing.ts" in line for line in change_set["deviations"])
    assert change_set["deviations"] and all(
        isinstance(line, str) and "\n" not in line for line in change_set["deviations"]
    )
    assert not any("regenerate" in note.lower() for note in change_set.get("notes", [])), (
        "the engine adds the lockfile notes (bot/lockfiles.py)"
    )
    for step in change_set["steps"]:
        assert set(step) <= {"codemod", "path", "create", "with"}


def test_no_recipe_names_the_nonexistent_pyroscope_package():
    for recipe in (ROOT / "recipes").glob("*.yaml"):
        for line in recipe.read_text().splitlines():
            if "@grafana/pyroscope-nodejs" in line:
                assert "does not exist" in line, f"{recipe.name}: {line.strip()}"


@pytest.mark.parametrize(
    ("service", "sample"),
    [
        ("traction", "bcgov+traction"),
        ("bc-wallet", "bcgov+BC-Wallet-Demo"),
        ("vc-authn", "openwallet-foundation+acapy-vc-authn-oidc"),
    ],
)
def test_faro_starts_without_holding_up_the_app(service, sample):
    """No call site waits for initFaro: a slow or failed SDK chunk must not delay or stop rendering."""
    edited = apply_change(service, "rum", SAMPLES / sample, only_existing=True)
    callers = {path: text for path, text in edited.items() if "initFaro(" in text and "export async function initFaro" not in text}
    assert callers
    for path, text in callers.items():
        assert "await initFaro" not in text, path
