"""The shapes of recipes.yaml and recipes/*.yaml, and how a section is checked against its shape.

Each section is a NamedTuple checked by bot.campaign.params, so every message reads the same:
`<file>:<line>: <key path>: <what is wrong>`.
"""

from __future__ import annotations

import difflib
import re
import typing
from typing import Any, Literal, NamedTuple
from urllib.parse import urlsplit

from bot.campaign import params
from bot.campaign.yamlfile import Document, KeyPath, Problems

CHANGE_KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
FULL_NAME = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")
REFERENCE = re.compile(r"\$\{([^}]+)\}")
DNS_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")
INVALID = "(invalid)"  # title of a placeholder item whose entry has problems (already reported)


class CampaignSpec(NamedTuple):
    campaign: str
    plan: str
    tracking_repo: str | dict[str, Any]
    settings: dict[str, Any]
    repos: dict[str, dict]
    services: dict[str, dict]
    items: list[dict]
    environments: dict[str, dict] = {}  # noqa: RUF012 - read-only spec, never mutated


class TrackingRepoSpec(NamedTuple):
    repo: str
    placeholder: bool = False


class EnvironmentSpec(NamedTuple):
    namespace: str
    pyroscope_url: str
    alloy_profile_url: str
    faro_url: str
    loki_url: str
    tempo_url: str
    grafana_url: str = ""
    releases: dict[str, str] = {}  # noqa: RUF012 - read-only spec, never mutated


class SettingsSpec(NamedTuple):
    branch_prefix: str
    packages: dict[str, str]
    label_colors: dict[str, str]
    default_label_color: str
    profiling_env: str
    faro_upstream: str
    service_gate: str = ""  # environment whose gate every per-service change set waits for (dev)
    tracking: dict[str, Any] = {}  # noqa: RUF012 - read-only spec, never mutated


class TrackingSettingsSpec(NamedTuple):
    """settings.tracking: the tracking issues and the campaign dashboard (bot/tracking)."""

    close_done_items: bool = True  # close an item's issue once every box is ticked and PRs merged
    dashboard_labels: list[str] | None = None  # default: [<campaign name>]


class RepoSpec(NamedTuple):
    repo: str
    base: str
    title: str = "{type}: {subject}"
    lowercase: bool = False
    draft: bool = False
    fork: Literal["auto", "always", "never"] = "auto"
    placeholder: bool = False


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
    deviations: list[str] = []  # noqa: RUF012 - read-only spec, never mutated
    notes: list[str] = []  # noqa: RUF012 - read-only spec, never mutated
    steps: list[dict] = []  # noqa: RUF012 - read-only spec, never mutated
    validate: list[dict] = []  # noqa: RUF012 - read-only spec, never mutated
    skip: str = ""
    environment: str | None = None
    requires: list[str] = []  # noqa: RUF012 - read-only spec, never mutated
    plan: dict[str, Any] | None = None  # {planner: {parameters}}: steps discovered in the checkout


class StepSpec(NamedTuple):
    codemod: str
    path: str
    create: bool = False
    with_: dict[str, Any] = {}  # noqa: RUF012 - read-only spec, never mutated


def section(spec: type, value: Any, doc: Document, path: KeyPath, problems: Problems) -> Any:
    built, found = params.check(spec, value)
    for field_name, problem in found:
        key = (
            "with" if field_name == "with_" else field_name
        )  # StepSpec's field for the recipe's `with:`
        problems.add(doc, path + ((key,) if key else ()), problem.replace("with_", "with"))
    return built


def whole_file(spec: type, doc: Document, problems: Problems) -> Any:
    """A file's top level: an empty file or a list gets a message saying what the file should hold."""
    if not isinstance(doc.data, dict):
        found = "the file is empty" if doc.data is None else f"found {params.describe(doc.data)}"
        keys = ", ".join(typing.get_type_hints(spec))
        problems.add(doc, (), f"{found}; expected a mapping with the keys {keys}")
        return None
    return section(spec, doc.data, doc, (), problems)


def unknown(what: str, name: str, known: Any) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (known: {', '.join(sorted(known))})"
    return f"unknown {what} {name!r}{hint}"


def url_problem(url: str) -> str | None:
    """What is wrong with an endpoint URL: not http(s), no host, or credentials inside it."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"expected an http(s) URL, got {url!r}"
    if "@" in parts.netloc:
        return "credentials must not be part of the URL (secrets come from BOT_* environment variables)"
    return None
