"""The target repos' own frozen-install checks on patches that `bot apply --lockfiles` wrote.

For every change set in the review bundles that regenerated a lockfile: a fresh clone of the base,
`git apply` of the patch, then the repo's own frozen check with the tool the bot locked with (from the
bot's tool cache, so the same version): `poetry check --lock`, `uv lock --check`, `npm ci
--ignore-scripts` (a real install into the clone), `pnpm install --frozen-lockfile --lockfile-only
--ignore-scripts`, `yarn install --frozen-lockfile --ignore-scripts --ignore-engines` (engines name the Node version
of the repo's CI, not this machine's) plus an unchanged yarn.lock.
Prints one Markdown row per lockfile (the table in docs/lockfiles.md); it asserts nothing.

    python scripts/lock_frozen_check.py --workspace .workspace/lock \\
        --clone-url-template 'file:///srv/mirrors/{owner}+{repo}.git' review/lock-acapy review/lock-credo ...
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

_LABEL = re.compile(
    r"^(?P<name>\S+) (?P<version>\S+)(?: \(Python (?P<python>(?P<minor>\d+\.\d+)[.\d]*)\))?$"
)
_ENV = {"POETRY_VIRTUALENVS_CREATE": "false", "POETRY_NO_INTERACTION": "1", "UV_PYTHON_DOWNLOADS": "never",
        "npm_config_manage_package_manager_versions": "false", "COREPACK_ENABLE_STRICT": "0"}  # fmt: skip


def tool_path(tools: Path, label: str) -> tuple[str, str, list[str]]:
    """(tool name, executable, options after the command) of the tool a lock report names, from the
    bot's tool cache."""
    match = _LABEL.match(label)
    if match is None:
        raise SystemExit(f"cannot read the tool label {label!r}")
    name, version, python = match["name"], match["version"], match["python"]
    if name == "poetry":
        return name, str(tools / "poetry" / f"{version}-py{match['minor']}" / "bin" / "poetry"), []
    if name == "uv":
        return (
            name,
            str(tools / "uv" / version / "bin" / "uv"),
            ["--python", interpreter(python or "3")],
        )
    cached = tools / name / version / "node_modules" / ".bin" / name
    return name, str(cached) if cached.is_file() else name, []


def interpreter(version: str) -> str:
    """pyenv's interpreter of that exact version (the bot finds the same one), else the version for uv to find."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    path = root / "versions" / version / "bin" / "python3"
    return str(path) if path.is_file() else version


def command(name: str) -> list[str]:
    return {
        "poetry": ["check", "--lock"],
        "uv": ["lock", "--check"],
        "npm": ["ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        "pnpm": ["install", "--frozen-lockfile", "--lockfile-only", "--ignore-scripts"],
        "yarn": [
            "install",
            "--frozen-lockfile",
            "--ignore-scripts",
            "--ignore-engines",
            "--non-interactive",
        ],
    }[name]


def frozen_check(clone: Path, lock: str, tools: Path, label: str) -> tuple[str, str]:
    """('pass' or 'FAIL: ...', the command) for one lockfile in the patched clone."""
    name, executable, options = tool_path(tools, label)
    argv = [executable, *command(name), *options]
    directory = clone / Path(lock).parent
    before = (clone / lock).read_bytes()
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")} | _ENV
    result = subprocess.run(argv, cwd=directory, env=env, capture_output=True, text=True, timeout=1800, check=False)  # fmt: skip
    shown = " ".join([name, *command(name)])
    if result.returncode != 0:
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        return "FAIL: " + " | ".join(lines[-4:]), shown
    if (clone / lock).read_bytes() != before:
        return "FAIL: the install rewrote the lock", shown
    return "pass", shown


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)  # fmt: skip
    parser.add_argument(
        "--workspace", type=Path, required=True, help="the --workspace the dry-runs used"
    )
    parser.add_argument("--clone-url-template", required=True)
    parser.add_argument(
        "bundles", nargs="+", type=Path, help="--output-dir folders of `bot apply --dry-run`"
    )
    options = parser.parse_args()
    print("| repo | change set | lockfile | tool | seconds | lock lines | frozen check | result |")
    print("|---|---|---|---|---|---|---|---|")
    for bundle in options.bundles:
        summary = json.loads((bundle / "summary.json").read_text(encoding="utf-8"))
        for change in summary["change_sets"]:
            for report in change["lockfiles"]:
                row = [change["repo"], f"{change['service']}/{change['change']}", report["lock"], report["tool"],
                       f"{report['seconds']:.0f}", f"+{report['added']} -{report['removed']}"]  # fmt: skip
                if report.get("failed") or change["status"] == "failed":
                    print("| " + " | ".join([*row, "-", f"not run: {change['status']}"]) + " |")
                    continue
                owner, repo = change["repo"].split("/")
                with tempfile.TemporaryDirectory(prefix="frozen-") as scratch:
                    clone = Path(scratch) / repo
                    url = options.clone_url_template.format(owner=owner, repo=repo)
                    subprocess.run(["git", "clone", "-q", url, str(clone)], check=True)
                    patch = bundle / "patches" / f"{change['service']}-{change['change']}.patch"
                    subprocess.run(["git", "apply", str(patch.resolve())], cwd=clone, check=True)
                    result, shown = frozen_check(
                        clone, report["lock"], options.workspace / "tools", report["tool"]
                    )
                    shutil.rmtree(clone, ignore_errors=True)
                print("| " + " | ".join([*row, f"`{shown}`", result]) + " |", flush=True)


if __name__ == "__main__":
    main()
