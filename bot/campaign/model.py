"""The campaign as frozen data: repositories, services, tracking items and change sets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal, NamedTuple

ForkMode = Literal["auto", "always", "never"]


@dataclass(frozen=True)
class Repo:
    key: str  # short name used in recipes, e.g. 'owf-charts'
    full_name: str  # 'owner/name'
    base: str  # default branch PRs target
    title: str = "{type}: {subject}"  # PR title and commit subject template
    lowercase: bool = False  # commitlint subject-case: lower-case subject
    draft: bool = False  # open PRs as drafts (non-draft PRs deploy environments)
    fork: ForkMode = "auto"  # auto: fork when the token cannot push; always; never
    placeholder: bool = False  # the real name is not known yet: dry-runs only, publishing refuses

    @property
    def owner(self) -> str:
        return self.full_name.split("/")[0]

    @property
    def name(self) -> str:
        return self.full_name.split("/")[1]


@dataclass(frozen=True)
class Environment:
    """A deployment environment of the stack (dev, test, prod): where gate and verify look."""

    name: str
    namespace: str  # Kubernetes namespace of the services and the observability stack
    pyroscope_url: str  # Pyroscope query API (single binary, or the query-frontend)
    alloy_profile_url: str  # Alloy pyroscope.receive_http (SDKs push here)
    faro_url: str  # Alloy faro.receiver collect URL (.../collect)
    loki_url: str
    tempo_url: str
    grafana_url: str = ""  # optional: the datasource health check needs it (and BOT_GRAFANA_TOKEN)
    releases: dict[str, str] = field(default_factory=dict)  # service -> Helm release of its chart

    def release(self, service: str, chart: str) -> str:
        """The release name a service's chart is deployed under (default: the chart's name)."""
        return self.releases.get(service, chart)


@dataclass(frozen=True)
class Item:
    """A tracking item of the plan."""

    id: str
    title: str
    labels: tuple[str, ...]
    effort: str
    requirements: tuple[str, ...]
    acceptance: tuple[str, ...]
    description: str = ""
    service: str | None = None
    issue: int | None = None


@dataclass(frozen=True)
class Step:
    codemod: str  # registry key
    path: str  # repo-relative file
    params: NamedTuple
    create: bool = False  # a missing file starts empty instead of failing the change set


@dataclass(frozen=True)
class Check:
    name: str  # registry key in bot.checks.VALIDATORS
    params: NamedTuple


@dataclass(frozen=True)
class Workload:
    chart: str  # the chart that is released: 'acapy' from charts/acapy (the parent of a subchart)
    name: str  # its app.kubernetes.io/name: the chart, or the subchart the template belongs to
    kind: str  # Deployment | StatefulSet
    container: str  # rendered container name
    env: tuple[str, ...]  # variables the change set adds to that container


@dataclass(frozen=True)
class Targets:
    profile_apps: tuple[str, ...] = ()
    faro_apps: tuple[str, ...] = ()
    workloads: tuple[Workload, ...] = ()


@dataclass(frozen=True)
class PlanCall:
    """A planner (codemods.PLANNERS) that reads the checkout and decides steps (pattern discovery)."""

    name: str  # registry key, e.g. 'gitops.plan_pyroscope'
    params: NamedTuple


@dataclass(frozen=True)
class ChangeSet:
    service: str
    key: str  # e.g. 'profiling-helm'
    item: Item
    repo: Repo
    branch: str
    subject: str
    type: str = "feat"
    scope: str = ""
    why: str = ""
    deviations: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    steps: tuple[Step, ...] = ()
    validate: tuple[Check, ...] = ()
    skip: str = ""  # reason this item needs no change here (not-applicable)
    environment: str = ""  # the environment this change set deploys to, if any (infrastructure)
    requires: tuple[str, ...] = ()  # gates that must pass before publishing, e.g. 'gate:dev'
    plan: PlanCall | None = None  # steps found in the checkout, run after `steps`
    targets: Targets = Targets()  # what bot verify looks for (bot/campaign/targets.py)

    @property
    def id(self) -> str:
        return f"{self.service}/{self.key}"

    @property
    def title(self) -> str:
        subject = (
            self.subject[:1].lower() + self.subject[1:] if self.repo.lowercase else self.subject
        )
        title = self.repo.title.format(type=self.type, scope=self.scope, subject=subject)
        return title.replace("(): ", ": ")  # a template with {scope} and no scope given


@dataclass(frozen=True)
class Service:
    name: str
    repo: Repo
    changes: tuple[ChangeSet, ...]


@dataclass(frozen=True)
class Campaign:
    root: Path  # directory of recipes.yaml
    name: str
    plan: str
    tracking_repo: Repo  # where the tracking issues and the dashboard live (key 'tracking_repo')
    settings: dict[str, Any]
    repos: dict[str, Repo]
    items: dict[str, Item]
    services: dict[str, Service] = field(default_factory=dict)
    environments: dict[str, Environment] = field(default_factory=dict)

    def gates_for(self, change: ChangeSet) -> tuple[str, ...]:
        """The gates a change set waits for before publishing: its own `requires`, and for a per-service
        change set (no `environment`) the campaign's `settings.service_gate` (e.g. gate:dev)."""
        service_gate = self.settings.get("service_gate") or ""
        implied = (f"gate:{service_gate}",) if service_gate and not change.environment else ()
        return tuple(dict.fromkeys(implied + change.requires))

    def change_sets(self, services: list[str] | None = None) -> list[ChangeSet]:
        names = services if services is not None else list(self.services)
        return [change for name in names for change in self.services[name].changes]

    def with_issues(self, numbers: Mapping[str, int]) -> Campaign:
        """The campaign with the tracking issue numbers found on GitHub; recipes.yaml's `issue:` wins."""
        items = {
            key: item if item.issue or key not in numbers else replace(item, issue=numbers[key])
            for key, item in self.items.items()
        }
        services = {
            name: replace(
                service,
                changes=tuple(replace(c, item=items[c.item.id]) for c in service.changes),
            )
            for name, service in self.services.items()
        }
        return replace(self, items=items, services=services)
