"""Where gate and verify look: an environment of recipes.yaml, with flags and BOT_* variables over each
endpoint, and the secrets (tenants, tokens, keys), which come from BOT_* variables only."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.campaign.model import Campaign, Environment
from bot.campaign.specs import unknown, url_problem
from bot.errors import ConfigError
from bot.secrets import Secret
from bot.stack import faro, grafana
from bot.stack.http import Deadline, Service

# Environment field -> (flag, env var). The flag wins over the variable, the variable over recipes.yaml.
OVERRIDES = {
    "pyroscope_url": ("--pyroscope-url", "BOT_PYROSCOPE_URL"),
    "alloy_profile_url": ("--alloy-profile-url", "BOT_ALLOY_PROFILE_URL"),
    "faro_url": ("--faro-url", "BOT_FARO_URL"),
    "loki_url": ("--loki-url", "BOT_LOKI_URL"),
    "tempo_url": ("--tempo-url", "BOT_TEMPO_URL"),
    "grafana_url": ("--grafana-url", "BOT_GRAFANA_URL"),
}
KUBE_CONTEXT = ("--kube-context", "BOT_KUBE_CONTEXT")
SECRETS = ("BOT_LOKI_TENANT", "BOT_TEMPO_TENANT", "BOT_GRAFANA_TOKEN", "BOT_FARO_API_KEY")


@dataclass(frozen=True)
class Endpoints:
    environment: Environment  # URLs with the overrides applied
    kube_context: str = ""
    loki_tenant: Secret | None = None
    tempo_tenant: Secret | None = None
    grafana_token: Secret | None = None
    faro_api_key: Secret | None = None
    overridden: tuple[str, ...] = ()  # the settings given by flag or variable (for messages)

    @property
    def name(self) -> str:
        return self.environment.name

    def setting(self, field: str) -> str:
        flag, variable = OVERRIDES[field]
        return f"{flag} / {variable} (or environments.{self.name}.{field})"

    def pyroscope(self, deadline: Deadline) -> Service:
        return Service(
            "Pyroscope", self.environment.pyroscope_url, self.setting("pyroscope_url"), deadline
        )

    def alloy_profiles(self, deadline: Deadline) -> Service:
        return Service(
            "Alloy pyroscope.receive_http", self.environment.alloy_profile_url,
            self.setting("alloy_profile_url"), deadline,
        )  # fmt: skip

    def faro(self, deadline: Deadline) -> Service:
        headers: dict[str, Secret | str] = (
            {"X-API-Key": self.faro_api_key} if self.faro_api_key else {}
        )
        return Service(
            "Alloy faro.receiver", self.environment.faro_url, self.setting("faro_url"), deadline,
            headers=headers, hints=faro.HINTS,
        )  # fmt: skip

    def loki(self, deadline: Deadline) -> Service:
        return self._multi_tenant("Loki", "loki_url", self.loki_tenant, "BOT_LOKI_TENANT", deadline)

    def tempo(self, deadline: Deadline) -> Service:
        return self._multi_tenant(
            "Tempo", "tempo_url", self.tempo_tenant, "BOT_TEMPO_TENANT", deadline
        )

    def _multi_tenant(
        self, name: str, field: str, tenant: Secret | None, variable: str, deadline: Deadline
    ) -> Service:
        """Loki and Tempo: the tenant goes in X-Scope-OrgID; a 401 means one is needed."""
        headers: dict[str, Secret | str] = {"X-Scope-OrgID": tenant} if tenant else {}
        hints = {401: f"{name} wants a tenant: set {variable} (sent as X-Scope-OrgID)"}
        url = getattr(self.environment, field)
        return Service(name, url, self.setting(field), deadline, headers=headers, hints=hints)

    def grafana(self, deadline: Deadline) -> Service | None:
        if not (self.environment.grafana_url and self.grafana_token):
            return None
        headers: dict[str, Secret | str] = {
            "Authorization": Secret(f"Bearer {self.grafana_token.reveal()}")
        }
        return Service(
            "Grafana", self.environment.grafana_url, self.setting("grafana_url"), deadline,
            headers=headers, hints=grafana.HINTS,
        )  # fmt: skip


def resolve(
    campaign: Campaign, name: str, flags: Mapping[str, str | None], environ: Mapping[str, str]
) -> Endpoints:
    """The environment `name` with overrides; ConfigError naming the flag or variable that is wrong.
    `flags` maps Environment fields (and 'kube_context') to flag values (None: not given)."""
    if name not in campaign.environments:
        raise ConfigError(
            [f"--env: {unknown('environment', name, campaign.environments)} in recipes.yaml"]
        )
    environment = campaign.environments[name]
    changes: dict[str, Any] = {}
    problems, given = [], []
    for field, (flag, variable) in OVERRIDES.items():
        value, source = (
            (flags.get(field), flag) if flags.get(field) else (environ.get(variable), variable)
        )
        if not value:
            continue
        if problem := url_problem(value):
            problems.append(f"{source}: {problem}")
        changes[field] = value
        given.append(source)
    if problems:
        raise ConfigError(problems)
    secrets = {variable: Secret(environ[variable]) for variable in SECRETS if environ.get(variable)}
    context = flags.get("kube_context") or environ.get(KUBE_CONTEXT[1], "")
    return Endpoints(
        replace(environment, **changes), context or "",
        secrets.get("BOT_LOKI_TENANT"), secrets.get("BOT_TEMPO_TENANT"),
        secrets.get("BOT_GRAFANA_TOKEN"), secrets.get("BOT_FARO_API_KEY"), tuple(given),
    )  # fmt: skip
