"""Load one service's recipe file (recipes/<service>.yaml) into its change sets."""

from __future__ import annotations

import fnmatch
import re
from typing import Any

from bot.campaign import charts
from bot.campaign.model import Campaign, ChangeSet, Check, PlanCall, Repo, Service, Step, Targets
from bot.campaign.specs import (
    CHANGE_KEY,
    REFERENCE,
    ChangeSpec,
    RecipeSpec,
    StepSpec,
    section,
    unknown,
)
from bot.campaign.targets import derive
from bot.campaign.yamlfile import Document, KeyPath, Problems, load
from bot.checks import VALIDATORS
from bot.checks.helm import Params as HelmRender
from codemods import CODEMODS, PLANNERS


def load_service(campaign: Campaign, name: str, repo: Repo, problems: Problems) -> Service:
    path = campaign.root / "recipes" / f"{name}.yaml"
    if not path.is_file():
        problems.items.append(f"recipes.yaml: services.{name}: no recipes/{name}.yaml")
        return Service(name, repo, ())
    doc = load(path, f"recipes/{name}.yaml")
    spec = section(RecipeSpec, doc.data, doc, (), problems)
    if spec is None:
        return Service(name, repo, ())
    if spec.service != name:
        problems.add(
            doc, ("service",), f"is {spec.service!r}, but the file is for service {name!r}"
        )
    changes: list[ChangeSet] = []
    used_items: dict[str, str] = {}
    for key, value in (spec.changes or {}).items():
        change = _change(campaign, name, repo, key, value, doc, problems)
        if change is None:
            continue
        if change.item.id in used_items and not _per_environment(change, changes):
            problems.add(
                doc,
                ("changes", key, "item"),
                f"item {change.item.id!r} is already served by change {used_items[change.item.id]!r}",
            )
        used_items[change.item.id] = key
        changes.append(change)
    return Service(name, repo, tuple(changes))


def _per_environment(change: ChangeSet, others: list[ChangeSet]) -> bool:
    """One item may be served once per environment (dev, test, prod: one PR each)."""
    same_item = [other for other in others if other.item.id == change.item.id]
    return bool(change.environment) and all(
        other.environment and other.environment != change.environment for other in same_item
    )


def _change(
    campaign: Campaign,
    service: str,
    default_repo: Repo,
    key: str,
    value: Any,
    doc: Document,
    problems: Problems,
) -> ChangeSet | None:
    path: KeyPath = ("changes", key)
    if not CHANGE_KEY.match(key):
        problems.add(doc, path, "change keys are kebab-case (they name the branch)")
    if isinstance(value, dict) and "item" not in value:
        problems.add(doc, path, "missing key 'item' (the tracking item this change set serves)")
        return None
    spec = section(ChangeSpec, value, doc, path, problems)
    if spec is None:
        return None
    item = campaign.items.get(spec.item)
    if item is None:
        problems.add(doc, path + ("item",), unknown("tracking item", spec.item, campaign.items))
        return None
    if item.service != service:
        problems.add(
            doc,
            path + ("item",),
            f"item {spec.item!r} belongs to service {item.service!r}, not {service!r}",
        )
    repo = default_repo
    if spec.repo is not None:
        repo = campaign.repos.get(spec.repo) or default_repo
        if spec.repo not in campaign.repos:
            problems.add(doc, path + ("repo",), unknown("repo", spec.repo, campaign.repos))
    if bool(spec.skip) == bool(spec.steps or spec.plan):
        problems.add(doc, path, "needs either steps or a skip reason (not both)")
    if (spec.steps or spec.plan) and not spec.subject:
        problems.add(doc, path + ("subject",), "missing: the PR title and commit subject")
    references = _references(campaign, spec.environment)
    indexed = [
        (index, step)
        for index, raw in enumerate(spec.steps)
        if (step := _step(references, raw, doc, path + ("steps", index), problems)) is not None
    ]
    steps = tuple(step for _, step in indexed)
    plan = _plan(references, spec.plan, doc, path + ("plan",), problems) if spec.plan else None
    checks = tuple(
        check
        for index, raw in enumerate(spec.validate)
        if (check := _check(raw, doc, path + ("validate", index), problems)) is not None
    )
    rendered = [check.params.chart for check in checks if isinstance(check.params, HelmRender)]
    for where, problem in charts.problems(item.id, indexed, rendered):
        problems.add(doc, path + where, problem)
    _check_environment_refs(campaign, spec, doc, path, problems)
    targets = derive(steps, checks)
    if not spec.skip and len(steps) == len(spec.steps):  # a broken step is reported already
        _check_targets(item.labels, targets, doc, path, problems)
    branch = f"{campaign.settings.get('branch_prefix', 'phase-3')}/{service}-{key}"
    return ChangeSet(
        service, key, item, repo, branch, spec.subject, spec.type, spec.scope, spec.why.strip(),
        tuple(spec.deviations), tuple(spec.notes), steps, checks, spec.skip,
        spec.environment or "", tuple(spec.requires), plan, targets,
    )  # fmt: skip


def _check_environment_refs(
    campaign: Campaign, spec: ChangeSpec, doc: Document, path: KeyPath, problems: Problems
) -> None:
    """`environment:` names an environment; each `requires:` entry is `gate:<environment>`."""
    known = campaign.environments
    if spec.environment is not None and spec.environment not in known:
        problems.add(doc, path + ("environment",), unknown("environment", spec.environment, known))
    for index, requirement in enumerate(spec.requires):
        kind, _, env = requirement.partition(":")
        if kind != "gate" or not env:
            problems.add(
                doc, path + ("requires", index), f"expected gate:<environment>, got {requirement!r}"
            )
        elif env not in known:
            problems.add(doc, path + ("requires", index), unknown("environment", env, known))


def _check_targets(
    labels: tuple[str, ...], targets: Targets, doc: Document, path: KeyPath, problems: Problems
) -> None:
    """`bot verify` finds what a change set deploys through its steps: each kind must name something.
    Infrastructure change sets deploy the stack itself, not an application: nothing to name."""
    if "infrastructure" in labels:
        return
    if "helm" in labels:
        if "profiling" in labels and not targets.workloads:
            problems.add(
                doc,
                path + ("validate",),
                "no helm_render expect names a Deployment/StatefulSet "
                "container with a variable the steps add: bot verify cannot find the workload",
            )
    elif "profiling" in labels and not targets.profile_apps:
        problems.add(
            doc,
            path + ("steps",),
            "no Pyroscope application name (python.add_startup_call "
            "application_name, or values.app_name of pyroscope-init.ts): bot verify needs one",
        )
    elif "rum" in labels and not targets.faro_apps:
        problems.add(
            doc,
            path + ("steps",),
            "no Faro app name (values.app_name of a faro-* template, or "
            "initFaro({ name: '...' }) in inserted code): bot verify needs one",
        )


def _references(campaign: Campaign, environment: str | None) -> dict[str, Any]:
    """What `${...}` may name: settings, and `env.<field>` of the change set's environment."""
    env = campaign.environments.get(environment or "")
    return {**campaign.settings, **({"env": env.__dict__} if env is not None else {})}


def _plan(
    references: dict[str, Any], raw: Any, doc: Document, path: KeyPath, problems: Problems
) -> PlanCall | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.add(doc, path, "expected a mapping with one key: the planner's name")
        return None
    ((name, values),) = raw.items()
    planner = PLANNERS.get(name)
    if planner is None:
        problems.add(doc, path, unknown("planner", name, PLANNERS))
        return None
    resolved = _resolve(values, references, doc, path + (name,), problems)
    built = section(planner.Params, resolved, doc, path + (name,), problems)
    return PlanCall(name, built) if built is not None else None


def _step(
    references: dict[str, Any], raw: Any, doc: Document, path: KeyPath, problems: Problems
) -> Step | None:
    if isinstance(raw, dict) and "with" in raw:
        raw = {("with_" if key == "with" else key): value for key, value in raw.items()}
    spec = section(StepSpec, raw, doc, path, problems)
    if spec is None:
        return None
    codemod = CODEMODS.get(spec.codemod)
    if codemod is None:
        problems.add(doc, path + ("codemod",), unknown("codemod", spec.codemod, CODEMODS))
        return None
    if not any(_matches(spec.path, pattern) for pattern in codemod.FILES):
        problems.add(
            doc,
            path + ("path",),
            f"{spec.codemod} is for {', '.join(codemod.FILES)}, not {spec.path!r}",
        )
    values = _resolve(spec.with_, references, doc, path + ("with",), problems)
    built = section(codemod.Params, values, doc, path + ("with",), problems)
    return Step(spec.codemod, spec.path, built, spec.create) if built is not None else None


def _check(raw: Any, doc: Document, path: KeyPath, problems: Problems) -> Check | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.add(doc, path, "expected a mapping with one key: the validator's name")
        return None
    ((name, values),) = raw.items()
    validator = VALIDATORS.get(name)
    if validator is None:
        problems.add(doc, path, unknown("validator", name, VALIDATORS))
        return None
    built = section(validator.Params, values, doc, path + (name,), problems)
    return Check(name, built) if built is not None else None


def _matches(path: str, pattern: str) -> bool:
    # '**/' also matches no directory at all, as in most glob dialects
    return fnmatch.fnmatch(path, pattern) or (
        pattern.startswith("**/") and fnmatch.fnmatch(path, pattern[3:])
    )


def _resolve(value: Any, settings: dict, doc: Document, path: KeyPath, problems: Problems) -> Any:
    """Replace ${a.b} with settings[a][b] inside every string of a step's parameters.

    A string that is one reference and nothing else takes the value as it is (a number, a list),
    so `profile_port: ${alloy_profile_port}` stays an integer."""
    if isinstance(value, dict):
        return {
            key: _resolve(item, settings, doc, path + (key,), problems)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [
            _resolve(item, settings, doc, path + (index,), problems)
            for index, item in enumerate(value)
        ]
    if not isinstance(value, str):
        return value

    whole = REFERENCE.fullmatch(value)
    if whole and (found := _lookup(settings, whole.group(1))) is not None:
        return found

    def lookup(match: re.Match) -> str:
        found = _lookup(settings, match.group(1))
        if found is None or isinstance(found, (dict, list)):
            where = (
                "a field of the change set's environment (does it name one with `environment:`?)"
                if match.group(1).startswith("env.")
                else "a value in recipes.yaml settings"
            )
            problems.add(doc, path, f"${{{match.group(1)}}} is not {where}")
            return match.group(0)
        return str(found)

    return REFERENCE.sub(lookup, value)


def _lookup(settings: dict, reference: str) -> Any:
    head, _, rest = reference.partition(".")
    found = settings.get(head)
    if rest and isinstance(found, dict):
        found = found.get(rest)
    return found
