"""The live stack as `bot verify` reads it: each question asked once per run (criteria share answers),
every request within the command's deadline."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from bot.stack import loki, pyroscope, tempo
from bot.stack.http import Deadline, StackError
from bot.verify.endpoints import Endpoints

if (
    TYPE_CHECKING
):  # the kubernetes client takes half a second to import: only when a criterion needs it
    from bot.stack import kube


@dataclass(frozen=True)
class BrowserEvidence:
    """What a headless browser saw on a live page: console CORS errors and the Faro POSTs' statuses."""

    url: str
    cors_errors: tuple[str, ...] = ()
    faro_statuses: tuple[int, ...] = ()
    unavailable: str = (
        ""  # why no browser ran (no Chromium, no bot.stack.browser): the verdict is manual
    )


@dataclass
class Probe:
    endpoints: Endpoints
    deadline: Deadline
    window_minutes: int = 60
    browser: BrowserEvidence | None = None
    _kube: Any = field(default=None, repr=False)  # kube.Kube once connected, or the StackError

    def __post_init__(self) -> None:
        now = time.time()
        self.start_s, self.end_s = int(now - self.window_minutes * 60), int(now + 60)
        self._pyroscope = self.endpoints.pyroscope(self.deadline)
        self._loki = self.endpoints.loki(self.deadline)
        self._tempo = self.endpoints.tempo(self.deadline)
        # functools.cache per instance: the same query is answered once per run
        self.service_present = cache(self._service_present)
        self.profile_types = cache(self._profile_types)
        self.flamegraph = cache(self._flamegraph)
        self.loki_count = cache(self._loki_count)
        self.traces = cache(self._traces)
        self.trace_services = cache(self._trace_services)
        self.containers = cache(self._containers)
        self.config_map_keys = cache(self._config_map_keys)

    @property
    def window(self) -> str:
        return f"last {self.window_minutes} min"

    @property
    def requests(self) -> int:
        kube_requests = (
            0 if self._kube is None or isinstance(self._kube, StackError) else self._kube.requests
        )
        return self._pyroscope.sent + self._loki.sent + self._tempo.sent + kube_requests

    def _ms(self) -> tuple[int, int]:
        return self.start_s * 1000, self.end_s * 1000

    def _service_present(self, app: str) -> bool:
        matcher = f'{{service_name="{app}"}}'
        return app in pyroscope.label_values(
            self._pyroscope, "service_name", *self._ms(), [matcher]
        )

    def _profile_types(self, app: str) -> tuple[str, ...]:
        matcher = f'{{service_name="{app}"}}'
        return tuple(
            pyroscope.label_values(self._pyroscope, "__profile_type__", *self._ms(), [matcher])
        )

    def _flamegraph(self, app: str, profile_type: str) -> pyroscope.FlameGraph:
        selector = f'{{service_name="{app}"}}'
        return pyroscope.select_merge_stacktraces(
            self._pyroscope, profile_type, selector, *self._ms()
        )

    def _loki_count(self, query: str) -> int:
        start, end = self.start_s * 10**9, self.end_s * 10**9
        return len(loki.query_range(self._loki, query, start, end, limit=1000))

    def _traces(self, traceql: str) -> tuple[tempo.TraceSummary, ...]:
        return tuple(tempo.search(self._tempo, traceql, self.start_s, self.end_s))

    def _trace_services(self, trace_id: str) -> frozenset[str]:
        return frozenset(tempo.trace_services(self._tempo, trace_id))

    def _client(self) -> kube.Kube:
        from bot.stack import kube

        if self._kube is None:
            try:
                self._kube = kube.connect(self.endpoints.kube_context, self.deadline)
            except StackError as exc:
                self._kube = exc
        if isinstance(self._kube, StackError):
            raise self._kube
        return self._kube

    def _containers(self, labels: tuple[tuple[str, str], ...]) -> tuple[kube.Container, ...]:
        return tuple(self._client().containers(self.endpoints.environment.namespace, dict(labels)))

    def _config_map_keys(self, name: str) -> frozenset[str]:
        return frozenset(self._client().config_map_keys(self.endpoints.environment.namespace, name))
