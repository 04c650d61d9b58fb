"""The whole fake stack, wired like the real one: SDKs → Alloy pyroscope.receive_http → Pyroscope;
browser payloads → Alloy faro.receiver → Loki (tenant) and Tempo; plus Grafana and the Kubernetes API."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.fake_stack.alloy_faro import FakeFaroReceiver
from tests.fake_stack.grafana import FakeGrafana
from tests.fake_stack.kube import FakeKube
from tests.fake_stack.loki import FakeLoki
from tests.fake_stack.pyroscope import FakeAlloyProfiles, FakePyroscope
from tests.fake_stack.server import FakeServer, serve
from tests.fake_stack.tempo import FakeTempo

TENANT = "ca7f8f"


def _token(*parts: str) -> str:
    return "-".join(parts)  # assembled: no token-shaped literal in the source


@dataclass
class FakeStack:
    pyroscope: FakePyroscope
    alloy_profiles: FakeAlloyProfiles
    faro: FakeFaroReceiver
    loki: FakeLoki
    tempo: FakeTempo
    grafana: FakeGrafana
    kube: FakeKube
    kubeconfig: Path

    @property
    def servers(self) -> list[FakeServer]:
        return [
            self.pyroscope,
            self.alloy_profiles,
            self.faro,
            self.loki,
            self.tempo,
            self.grafana,
            self.kube,
        ]

    def environ(self) -> dict[str, str]:
        """BOT_* variables pointing `bot gate` / `bot verify` at the fakes, with the secrets."""
        return {
            "BOT_PYROSCOPE_URL": self.pyroscope.url,
            "BOT_ALLOY_PROFILE_URL": self.alloy_profiles.url,
            "BOT_FARO_URL": f"{self.faro.url}/collect",
            "BOT_LOKI_URL": self.loki.url,
            "BOT_TEMPO_URL": self.tempo.url,
            "BOT_GRAFANA_URL": self.grafana.url,
            "BOT_LOKI_TENANT": TENANT,
            "BOT_TEMPO_TENANT": TENANT,
            "BOT_GRAFANA_TOKEN": self.grafana.token,
            "KUBECONFIG": str(self.kubeconfig),
        }

    def environment(self, namespace: str = "ca7f8f-dev") -> dict[str, str]:
        """An environments: entry of recipes.yaml with the fakes' URLs."""
        return {
            "namespace": namespace, "pyroscope_url": self.pyroscope.url, "alloy_profile_url": self.alloy_profiles.url,
            "faro_url": f"{self.faro.url}/collect", "loki_url": self.loki.url, "tempo_url": self.tempo.url,
        }  # fmt: skip

    def request_counts(self) -> dict[str, int]:
        return {server.name: len(server.log) for server in self.servers}


@contextmanager
def running(tmp_path: Path) -> Iterator[FakeStack]:
    with ExitStack() as stack:
        loki = stack.enter_context(serve(FakeLoki()))
        tempo = stack.enter_context(serve(FakeTempo(tenant=TENANT)))
        pyroscope = stack.enter_context(serve(FakePyroscope()))
        alloy_profiles = stack.enter_context(serve(FakeAlloyProfiles(pyroscope.url)))
        faro = stack.enter_context(serve(FakeFaroReceiver(loki.url, tempo.url, tenant=TENANT)))
        grafana = stack.enter_context(serve(FakeGrafana(_token("glsa", "fake", "grafana"))))
        grafana.datasources["Pyroscope (dev)"] = {"uid": "pyroscope-dev"}
        kube = stack.enter_context(serve(FakeKube(_token("fake", "kube", "token"))))
        tmp_path.mkdir(parents=True, exist_ok=True)
        kubeconfig = kube.kubeconfig(tmp_path / "kubeconfig")
        yield FakeStack(pyroscope, alloy_profiles, faro, loki, tempo, grafana, kube, kubeconfig)
