"""Load and validate recipes.yaml and recipes/*.yaml into a Campaign, reporting every problem at once."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.campaign.model import Campaign, Environment, Item, Repo, Service
from bot.campaign.recipes import load_service
from bot.campaign.specs import (
    CHANGE_KEY,
    DNS_LABEL,
    FULL_NAME,
    INVALID,
    CampaignSpec,
    EnvironmentSpec,
    ItemSpec,
    RepoSpec,
    ServiceSpec,
    SettingsSpec,
    TrackingRepoSpec,
    TrackingSettingsSpec,
    section,
    unknown,
    url_problem,
    whole_file,
)  # fmt: skip
from bot.campaign.yamlfile import Document, KeyPath, Problems, load


def load_campaign(root: Path) -> Campaign:
    """Parse and validate the whole campaign; raises ConfigError listing every problem."""
    problems = Problems()
    doc = load(root / "recipes.yaml", "recipes.yaml")
    spec = whole_file(CampaignSpec, doc, problems)
    if spec is None:
        problems.raise_if_any()
    settings = _settings(spec.settings, doc, problems)
    repos = _repos(spec.repos, doc, problems)
    items = _items(spec.items, spec.services, doc, problems)
    services_spec = {}
    for name, value in spec.services.items():
        service = section(ServiceSpec, value, doc, ("services", name), problems)
        if service and service.repo not in repos:
            problems.add(doc, ("services", name, "repo"), unknown("repo", service.repo, repos))
        elif service:
            services_spec[name] = repos[service.repo]
    tracking = _tracking_repo(spec.tracking_repo, doc, problems)
    environments = _environments(spec.environments, spec.services, doc, problems)
    gate = settings.get("service_gate")
    if gate and isinstance(gate, str) and gate not in environments:
        problems.add(doc, ("settings", "service_gate"), unknown("environment", gate, environments))
    campaign = Campaign(
        root, spec.campaign, spec.plan, tracking, settings, repos, items, environments=environments
    )
    services = {
        name: load_service(campaign, name, repo, problems) for name, repo in services_spec.items()
    }
    _check_recipe_files(root, spec.services, problems)
    if not problems.items:  # otherwise a broken change set would also be reported as missing
        _check_items_covered(campaign, services, problems)
        _check_branches_unique(services, problems)
    problems.raise_if_any()
    return Campaign(**{**campaign.__dict__, "services": services})


def _settings(value: dict, doc: Document, problems: Problems) -> dict[str, Any]:
    # Extra keys are allowed (recipes may refer to them); the ones the engine uses are checked.
    known = {key: value[key] for key in SettingsSpec._fields if key in value}
    if section(SettingsSpec, known, doc, ("settings",), problems) is not None:
        tracking = value.get("tracking") or {}
        section(TrackingSettingsSpec, tracking, doc, ("settings", "tracking"), problems)
    return value


def _repos(value: dict, doc: Document, problems: Problems) -> dict[str, Repo]:
    repos = {}
    for key, entry in value.items():
        spec = section(RepoSpec, entry, doc, ("repos", key), problems)
        if spec is None:
            # keep a placeholder so references to this repo do not repeat the problem
            repos[key] = Repo(key, "invalid/invalid", "main")
            continue
        if not FULL_NAME.match(spec.repo):
            problems.add(doc, ("repos", key, "repo"), f"expected owner/name, got {spec.repo!r}")
        try:
            spec.title.format(type="feat", scope="x", subject="y")
        except (KeyError, IndexError, ValueError) as exc:
            problems.add(
                doc,
                ("repos", key, "title"),
                f"bad template ({exc}); use {{type}}, {{scope}}, {{subject}}",
            )
        repos[key] = Repo(
            key, spec.repo, spec.base, spec.title, spec.lowercase, spec.draft, spec.fork,
            spec.placeholder,
        )  # fmt: skip
    return repos


def _tracking_repo(value: str | dict, doc: Document, problems: Problems) -> Repo:
    """`owner/name`, or `{repo: owner/name, placeholder: true}` until the real one is known."""
    path: KeyPath = ("tracking_repo",)
    spec = (
        TrackingRepoSpec(value)
        if isinstance(value, str)
        else section(TrackingRepoSpec, value, doc, path, problems)
    )
    if spec is None:
        return Repo("tracking_repo", "invalid/invalid", "main", placeholder=True)
    if not FULL_NAME.match(spec.repo):
        problems.add(
            doc,
            path + (() if isinstance(value, str) else ("repo",)),
            f"expected owner/name, got {spec.repo!r}",
        )
    return Repo("tracking_repo", spec.repo, "main", placeholder=spec.placeholder)


def _environments(
    value: dict, services: dict, doc: Document, problems: Problems
) -> dict[str, Environment]:
    environments = {}
    for name, entry in value.items():
        path: KeyPath = ("environments", name)
        spec = section(EnvironmentSpec, entry, doc, path, problems)
        if spec is None:
            continue
        if not CHANGE_KEY.match(name):
            problems.add(doc, path, "environment names are kebab-case (dev, test, prod)")
        if not DNS_LABEL.match(spec.namespace):
            problems.add(
                doc, path + ("namespace",), f"not a Kubernetes namespace name: {spec.namespace!r}"
            )
        for key in (
            "pyroscope_url",
            "alloy_profile_url",
            "faro_url",
            "loki_url",
            "tempo_url",
            "grafana_url",
        ):
            url = getattr(spec, key)
            if (url or key != "grafana_url") and (problem := url_problem(url)):
                problems.add(doc, path + (key,), problem)
        for service in spec.releases:
            if service not in services:
                problems.add(
                    doc, path + ("releases", service), unknown("service", service, services)
                )
        environments[name] = Environment(name, **spec._asdict())
    return environments


def _items(value: list, services: dict, doc: Document, problems: Problems) -> dict[str, Item]:
    items: dict[str, Item] = {}
    for index, entry in enumerate(value):
        spec = section(ItemSpec, entry, doc, ("items", index), problems)
        if spec is None:
            _keep_invalid_item(entry, items)
            continue
        if spec.id in items:
            problems.add(doc, ("items", index, "id"), f"duplicate item id {spec.id!r}")
        if spec.service is not None and spec.service not in services:
            problems.add(
                doc, ("items", index, "service"), unknown("service", spec.service, services)
            )
        items[spec.id] = Item(
            spec.id, spec.title, tuple(spec.labels), spec.effort, tuple(spec.requirements),
            tuple(spec.acceptance), spec.description, spec.service, spec.issue,
        )  # fmt: skip
    return items


def _keep_invalid_item(entry: Any, items: dict[str, Item]) -> None:
    """An item with a bad field still has its id: change sets naming it must not also say 'unknown item'."""
    if isinstance(entry, dict) and isinstance(entry.get("id"), str) and entry["id"] not in items:
        items[entry["id"]] = Item(entry["id"], INVALID, (), "", (), ())


def _check_recipe_files(root: Path, services: dict, problems: Problems) -> None:
    for path in sorted((root / "recipes").glob("*.yaml")):
        if path.stem not in services:
            problems.items.append(
                f"recipes/{path.name}: {unknown('service', path.stem, services)} in recipes.yaml"
            )


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


def _check_items_covered(
    campaign: Campaign, services: dict[str, Service], problems: Problems
) -> None:
    """A service's item with no change set would silently drop out of the rollout."""
    served = {change.item.id for service in services.values() for change in service.changes}
    for item in campaign.items.values():
        if item.service in services and item.id not in served:
            problems.items.append(
                f"recipes/{item.service}.yaml: changes: no change set for tracking item {item.id!r}"
            )
