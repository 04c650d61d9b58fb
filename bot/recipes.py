"""Load and validate recipes.yaml and recipes/*.yaml into a Campaign, reporting every problem at once.

Each section of the files is described by a NamedTuple below and checked by bot.params, so
the messages read the same everywhere: `<file>:<line>: <key path>: <what is wrong>`.
"""

from __future__ import annotations

import difflib
import fnmatch
import re
from pathlib import Path
from typing import Any, Literal, NamedTuple

from bot import params
from bot.campaign import charts
from bot.checks import VALIDATORS
from bot.model import Campaign, ChangeSet, Check, Item, Repo, Service, Step
from bot.yamlfile import Document, KeyPath, Problems, load
from codemods import CODEMODS

CHANGE_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
REFERENCE = re.compile(r"\$\{([^}]+)\}")


class CampaignSpec(NamedTuple):
    campaign: str
    plan: str
    tracking_repo: str
    settings: dict[str, Any]
    repos: dict[str, dict]
    services: dict[str, dict]
    items: list[dict]


class SettingsSpec(NamedTuple):
    branch_prefix: str
    packages: dict[str, str]
    label_colors: dict[str, str]
    default_label_color: str
    profiling_env: str
    faro_upstream: str


class RepoSpec(NamedTuple):
    repo: str
    base: str
    title: str = "{type}: {subject}"
    lowercase: bool = False
    draft: bool = False
    fork: Literal["auto", "always", "never"] = "auto"


class ServiceSpec(NamedTuple):
    repo: str


class ItemSpec(NamedTuple):
    id: str
    title: str
    labels: list[str]
    effort: str
    requirements: list[str]
    acceptance: list[str]
    description: str = ""
    service: str | None = None
    issue: int | None = None


class RecipeSpec(NamedTuple):
    service: str
    changes: dict[str, dict] | None


class ChangeSpec(NamedTuple):
    item: str
    subject: str = ""
    type: str = "feat"
    scope: str = ""
    repo: str | None = None
    why: str = ""
    deviations: list[str] = []
    notes: list[str] = []
    steps: list[dict] = []
    validate: list[dict] = []
    skip: str = ""


class StepSpec(NamedTuple):
    codemod: str
    path: str
    create: bool = False
    with_: dict[str, Any] = {}


def load_campaign(root: Path) -> Campaign:
    """Parse and validate the whole campaign; raises ConfigError listing every problem."""
    problems = Problems()
    doc = load(root / "recipes.yaml", "recipes.yaml")
    spec = _section(CampaignSpec, doc.data, doc, (), problems)
    if spec is None:
        problems.raise_if_any()
    settings = _settings(spec.settings, doc, problems)
    repos = _repos(spec.repos, doc, problems)
    items = _items(spec.items, spec.services, doc, problems)
    services_spec = {}
    for name, value in spec.services.items():
        service = _section(ServiceSpec, value, doc, ("services", name), problems)
        if service and service.repo not in repos:
            problems.add(doc, ("services", name, "repo"), _unknown("repo", service.repo, repos))
        elif service:
            services_spec[name] = repos[service.repo]
    campaign = Campaign(root, spec.campaign, spec.plan, spec.tracking_repo, settings, repos, items)
    services = {
        name: _service(campaign, name, repo, problems) for name, repo in services_spec.items()
    }
    _check_recipe_files(root, spec.services, problems)
    if not problems.items:  # otherwise a broken change set would also be reported as missing
        _check_items_covered(campaign, services, problems)
        _check_branches_unique(services, problems)
    problems.raise_if_any()
    return Campaign(**{**campaign.__dict__, "services": services})


def _section(spec: type, value: Any, doc: Document, path: KeyPath, problems: Problems) -> Any:
    built, found = params.check(spec, value)
    for key, problem in found:
        key = "with" if key == "with_" else key  # StepSpec's field for the recipe's `with:`
        problems.add(doc, path + ((key,) if key else ()), problem.replace("with_", "with"))
    return built


def _unknown(what: str, name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"
    return f"unknown {what} {name!r}{hint}"


def _settings(value: dict, doc: Document, problems: Problems) -> dict[str, Any]:
    # Extra keys are allowed (recipes may refer to them); the ones the engine uses are checked.
    known = {key: value[key] for key in SettingsSpec._fields if key in value}
    _section(SettingsSpec, known, doc, ("settings",), problems)
    return value


def _repos(value: dict, doc: Document, problems: Problems) -> dict[str, Repo]:
    repos = {}
    for key, entry in value.items():
        spec = _section(RepoSpec, entry, doc, ("repos", key), problems)
        if spec is None:
            # keep a placeholder so references to this repo do not repeat the problem
            repos[key] = Repo(key, "invalid/invalid", "main")
            continue
        if not FULL_NAME.match(spec.repo):
            problems.add(doc, ("repos", key, "repo"), f"expected owner/name, got {spec.repo!r}")
        try:
            spec.title.format(type="feat", scope="x", subject="y")
        except (KeyError, IndexError, ValueError) as exc:
            problems.add(doc, ("repos", key, "title"), f"bad template ({exc}); use {{type}}, {{scope}}, {{subject}}")
        repos[key] = Repo(key, spec.repo, spec.base, spec.title, spec.lowercase, spec.draft, spec.fork)
    return repos


def _items(value: list, services: dict, doc: Document, problems: Problems) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for index, entry in enumerate(value):
        spec = _section(ItemSpec, entry, doc, ("items", index), problems)
        if spec is None:
            continue
        if spec.id in items:
            problems.add(doc, ("items", index, "id"), f"duplicate item id {spec.id!r}")
        if spec.service is not None and spec.service not in services:
            problems.add(doc, ("items", index, "service"), _unknown("service", spec.service, services))
        items[spec.id] = Item(
            spec.id, spec.title, tuple(spec.labels), spec.effort, tuple(spec.requirements),
            tuple(spec.acceptance), spec.description, spec.service, spec.issue,
        )  # fmt: skip
    return items


def _service(campaign: Campaign, name: str, repo: Repo, problems: Problems) -> Service:
    path = campaign.root / "recipes" / f"{name}.yaml"
    if not path.is_file():
        problems.items.append(f"recipes.yaml: services.{name}: no recipes/{name}.yaml")
        return Service(name, repo, ())
    doc = load(path, f"recipes/{name}.yaml")
    spec = _section(RecipeSpec, doc.data, doc, (), problems)
    if spec is None:
        return Service(name, repo, ())
    if spec.service != name:
        problems.add(doc, ("service",), f"is {spec.service!r}, but the file is for service {name!r}")
    changes = []
    used_items: dict[str, str] = {}
    for key, value in (spec.changes or {}).items():
        change = _change(campaign, name, repo, key, value, doc, problems)
        if change is None:
            continue
        if change.item.id in used_items:
            problems.add(doc, ("changes", key, "item"), f"item {change.item.id!r} is already served by change {used_items[change.item.id]!r}")
        used_items[change.item.id] = key
        changes.append(change)
    return Service(name, repo, tuple(changes))


def _change(
    campaign: Campaign, service: str, default_repo: Repo, key: str, value: Any, doc: Document, problems: Problems
) -> ChangeSet | None:
    path: KeyPath = ("changes", key)
    if not CHANGE_KEY.match(key):
        problems.add(doc, path, "change keys are kebab-case (they name the branch)")
    if isinstance(value, dict) and "item" not in value:
        problems.add(doc, path, "missing key 'item' (the tracking item this change set serves)")
        return None
    spec = _section(ChangeSpec, value, doc, path, problems)
    if spec is None:
        return None
    item = campaign.items.get(spec.item)
    if item is None:
        problems.add(doc, path + ("item",), _unknown("tracking item", spec.item, campaign.items))
        return None
    if item.service != service:
        problems.add(doc, path + ("item",), f"item {spec.item!r} belongs to service {item.service!r}, not {service!r}")
    repo = default_repo
    if spec.repo is not None:
        repo = campaign.repos.get(spec.repo) or default_repo
        if spec.repo not in campaign.repos:
            problems.add(doc, path + ("repo",), _unknown("repo", spec.repo, campaign.repos))
    if bool(spec.skip) == bool(spec.steps):
        problems.add(doc, path, "needs either steps or a skip reason (not both)")
    if spec.steps and not spec.subject:
        problems.add(doc, path + ("subject",), "missing: the PR title and commit subject")
    indexed = [
        (index, step)
        for index, raw in enumerate(spec.steps)
        if (step := _step(campaign, raw, doc, path + ("steps", index), problems)) is not None
    ]
    steps = tuple(step for _, step in indexed)
    checks = tuple(
        check
        for index, raw in enumerate(spec.validate)
        if (check := _check(raw, doc, path + ("validate", index), problems)) is not None
    )
    rendered = [check.params.chart for check in checks if check.name == "helm_render"]
    for where, problem in charts.problems(item.id, indexed, rendered):
        problems.add(doc, path + where, problem)
    branch = f"{campaign.settings.get('branch_prefix', 'phase-3')}/{service}-{key}"
    return ChangeSet(
        service, key, item, repo, branch, spec.subject, spec.type, spec.scope, spec.why.strip(),
        tuple(spec.deviations), tuple(spec.notes), steps, checks, spec.skip,
    )  # fmt: skip


def _step(campaign: Campaign, raw: Any, doc: Document, path: KeyPath, problems: Problems) -> Step | None:
    if isinstance(raw, dict) and "with" in raw:
        raw = {("with_" if key == "with" else key): value for key, value in raw.items()}
    spec = _section(StepSpec, raw, doc, path, problems)
    if spec is None:
        return None
    codemod = CODEMODS.get(spec.codemod)
    if codemod is None:
        problems.add(doc, path + ("codemod",), _unknown("codemod", spec.codemod, CODEMODS))
        return None
    if not any(_matches(spec.path, pattern) for pattern in codemod.FILES):
        problems.add(doc, path + ("path",), f"{spec.codemod} is for {', '.join(codemod.FILES)}, not {spec.path!r}")
    values = _resolve(spec.with_, campaign.settings, doc, path + ("with",), problems)
    built = _section(codemod.Params, values, doc, path + ("with",), problems)
    return Step(spec.codemod, spec.path, built, spec.create) if built is not None else None


def _check(raw: Any, doc: Document, path: KeyPath, problems: Problems) -> Check | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        problems.add(doc, path, "expected a mapping with one key: the validator's name")
        return None
    (name, values), = raw.items()
    validator = VALIDATORS.get(name)
    if validator is None:
        problems.add(doc, path, _unknown("validator", name, VALIDATORS))
        return None
    built = _section(validator.Params, values, doc, path + (name,), problems)
    return Check(name, built) if built is not None else None


def _matches(path: str, pattern: str) -> bool:
    # '**/' also matches no directory at all, as in most glob dialects
    return fnmatch.fnmatch(path, pattern) or (pattern.startswith("**/") and fnmatch.fnmatch(path, pattern[3:]))


def _resolve(value: Any, settings: dict, doc: Document, path: KeyPath, problems: Problems) -> Any:
    """Replace ${a.b} with settings[a][b] inside every string of a step's parameters."""
    if isinstance(value, dict):
        return {key: _resolve(item, settings, doc, path + (key,), problems) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item, settings, doc, path + (index,), problems) for index, item in enumerate(value)]
    if not isinstance(value, str):
        return value

    def lookup(match: re.Match) -> str:
        head, _, rest = match.group(1).partition(".")
        found = settings.get(head)
        if rest and isinstance(found, dict):
            found = found.get(rest)
        if found is None or isinstance(found, (dict, list)):
            problems.add(doc, path, f"${{{match.group(1)}}} is not a value in recipes.yaml settings")
            return match.group(0)
        return str(found)

    return REFERENCE.sub(lookup, value)


def _check_recipe_files(root: Path, services: dict, problems: Problems) -> None:
    for path in sorted((root / "recipes").glob("*.yaml")):
        if path.stem not in services:
            problems.items.append(f"recipes/{path.name}: {_unknown('service', path.stem, services)} in recipes.yaml")


def _check_branches_unique(services: dict[str, Service], problems: Problems) -> None:
    """`a` + change `b-c` and `a-b` + change `c` would share phase-3/a-b-c."""
    seen: dict[tuple[str, str], str] = {}
    for change in (c for service in services.values() for c in service.changes):
        key = (change.repo.full_name, change.branch)
        if key in seen:
            problems.items.append(
                f"recipes/{change.service}.yaml: changes.{change.key}: branch {change.branch} in "
                f"{change.repo.full_name} is also the branch of {seen[key]}"
            )
        seen[key] = change.id


def _check_items_covered(campaign: Campaign, services: dict[str, Service], problems: Problems) -> None:
    """A service's item with no change set would silently drop out of the rollout."""
    served = {change.item.id for service in services.values() for change in service.changes}
    for item in campaign.items.values():
        if item.service in services and item.id not in served:
            problems.items.append(
                f"recipes/{item.service}.yaml: changes: no change set for tracking item {item.id!r}"
            )
