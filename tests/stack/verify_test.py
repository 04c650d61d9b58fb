"""`bot verify` against the fake stack, with data sent the way the real pipeline sends it: browser payloads
through the fake faro.receiver (to Loki and Tempo), workloads in the fake Kubernetes API."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
import requests

from bot.campaign.load import load_campaign
from bot.cli import main
from tests.fake_stack.kube import workload
from tests.fake_stack.stack import FakeStack
from tests.stack.sdk_test import ROOT

NAMESPACE = "ca7f8f-dev"
TRACE = "0af7651916cd43dd8448eb211c80319c"


def verify(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict[str, dict]]:
    code = main(["verify", "--env", "dev", "--json", "--timeout", "30", *args])
    criteria = json.loads(capsys.readouterr().out)["criteria"]
    return code, {c["criterion"]: c for c in criteria}


def otlp(service: str, **span: str) -> dict:
    """One span of `service` in the browser's trace, as OTLP/JSON."""
    resource = {"attributes": [{"key": "service.name", "value": {"stringValue": service}}]}
    return {
        "resourceSpans": [
            {"resource": resource, "scopeSpans": [{"spans": [{"traceId": TRACE, **span}]}]}
        ]
    }


def browser_session(
    stack: FakeStack, app: str, *, errors: bool = True, vitals: bool = True
) -> None:
    """What the Faro web SDK posts: an exception, Web Vitals and a fetch span, through faro.receiver."""
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    payload = {
        "meta": {"app": {"name": app, "version": "1.0.0", "environment": "dev"}},
        "exceptions": [{"type": "TypeError", "value": "x is undefined", "timestamp": now}] if errors else [],
        "measurements": [{"type": "web-vitals", "values": {"lcp": 1200.5, "cls": 0.01}, "timestamp": now}] if vitals else [],
        "traces": otlp(app, spanId="b7ad6b7169203331", name="HTTP GET", startTimeUnixNano="1"),
    }  # fmt: skip
    assert requests.post(f"{stack.faro.url}/collect", json=payload, timeout=5).status_code == 202


def backend_span(stack: FakeStack, service: str) -> None:
    """A traced backend joins the browser's trace (what the plan's Phase 2 assumed)."""
    span = otlp(
        service, spanId="00f067aa0ba902b7", parentSpanId="b7ad6b7169203331", name="GET /api"
    )
    assert requests.post(f"{stack.tempo.url}/v1/traces", json=span, timeout=5).status_code == 200


def test_browser_data_in_loki_and_tempo(stack: FakeStack, capsys) -> None:
    browser_session(stack, "traction-tenant-ui")
    code, verdicts = verify(capsys, "--service", "traction", "--change", "rum")
    assert code == 0
    loki = verdicts["Browser errors and Web Vitals appear in Loki as structured log entries"]
    assert loki["verdict"] == "passed", loki
    assert loki["evidence"]["query"] == (
        '{app_name="traction-tenant-ui", kind="exception"} ; '
        '{app_name="traction-tenant-ui", kind="measurement"} |~ "\\\\b(lcp|cls|inp|fcp|ttfb|fid)="'
    )
    assert (loki["evidence"]["count"], loki["evidence"]["window"]) == (2, "last 60 min")
    tempo = verdicts[
        "Browser-side traces (XHR/Fetch spans) appear in Tempo linked to backend spans"
    ]
    assert tempo["verdict"] == "blocked"
    assert "none with a backend span: the backends are not traced" in tempo["evidence"]["detail"]
    cors = verdicts["Proxy route forwards correctly without CORS errors in browser console"]
    assert cors["verdict"] == "manual" and "bot verify --browser URL" in cors["evidence"]["detail"]


def test_backend_spans_in_the_browser_trace_pass_the_linkage(stack: FakeStack, capsys) -> None:
    browser_session(stack, "traction-tenant-ui")
    backend_span(stack, "traction-tenant-ui-server")
    _, verdicts = verify(capsys, "--service", "traction", "--change", "rum")
    tempo = verdicts[
        "Browser-side traces (XHR/Fetch spans) appear in Tempo linked to backend spans"
    ]
    assert (tempo["verdict"], tempo["evidence"]["detail"]) == (
        "passed",
        "1 traces reach a backend span",
    )


def test_missing_web_vitals_fail_with_the_query(stack: FakeStack, capsys) -> None:
    browser_session(stack, "bc-wallet-demo-frontend", vitals=False)
    code, verdicts = verify(capsys, "--service", "bc-wallet", "--change", "rum")
    assert code == 1
    loki = verdicts["React app browser errors and Web Vitals appear in Loki"]
    assert loki["verdict"] == "failed"
    assert loki["evidence"]["detail"].startswith("none for: bc-wallet-demo-frontend measurement.")


def test_wrong_loki_tenant_finds_nothing_and_says_why(
    stack: FakeStack, capsys, monkeypatch
) -> None:
    browser_session(stack, "didwebvh-explorer")
    monkeypatch.setenv("BOT_LOKI_TENANT", "another-team")
    code, verdicts = verify(capsys, "--service", "didwebvh", "--change", "rum")
    assert code == 1
    loki = verdicts["Web Explorer browser events appear in Loki"]
    assert (
        loki["verdict"] == "failed"
        and "empty 200 for a wrong BOT_LOKI_TENANT" in loki["evidence"]["detail"]
    )


def test_browser_flag_without_chromium_stays_manual(stack: FakeStack, capsys, monkeypatch) -> None:
    monkeypatch.setenv(
        "BOT_CHROMIUM", "/nonexistent/chromium"
    )  # no browser, and no lookup of the host
    _, verdicts = verify(
        capsys, "--service", "vc-authn", "--change", "rum", "--browser", "https://app.example.org"
    )
    cors = verdicts["No CORS errors in browser console"]
    detail = cors["evidence"]["detail"]
    assert cors["verdict"] == "manual" and "headless Chromium" in detail
    assert "BOT_CHROMIUM=/nonexistent/chromium: no such file" in detail


def test_env_var_in_the_deployed_container(stack: FakeStack, capsys) -> None:
    labels = {"app.kubernetes.io/name": "acapy", "app.kubernetes.io/instance": "acapy"}
    stack.kube.add(
        NAMESPACE,
        workload(
            "Deployment",
            "acapy",
            labels,
            {"acapy": {"env": {"PYROSCOPE_SERVER_ADDRESS": "http://alloy:9999"}}},
        ),
    )
    stack.pyroscope.profiles.clear()
    code, verdicts = verify(capsys, "--service", "acapy", "--change", "profiling-helm")
    pod = verdicts["PYROSCOPE_SERVER_ADDRESS env var present in deployed pod"]
    assert pod["verdict"] == "passed", pod["evidence"]
    assert pod["evidence"]["query"] == (
        "apps/v1 -l app.kubernetes.io/name=acapy,app.kubernetes.io/instance=acapy container acapy"
    )
    assert pod["evidence"]["window"] == "now, namespace ca7f8f-dev"
    data = verdicts[
        "Profiling data visible in Pyroscope"
    ]  # the service's app: acapy-agent, not yet sending
    assert (code, data["verdict"]) == (1, "failed")
    assert data["evidence"]["detail"].startswith("not in Pyroscope: acapy-agent")


def test_env_var_through_a_config_map_and_a_release_name(
    stack: FakeStack, capsys, tmp_path
) -> None:
    """traction: tenant-ui has the variable in env; the ACA-Py subchart loads it from a ConfigMap."""
    instance = "traction"
    ui = {"app.kubernetes.io/name": "traction", "app.kubernetes.io/instance": instance}
    acapy = {"app.kubernetes.io/name": "acapy", "app.kubernetes.io/instance": instance}
    stack.kube.add(
        NAMESPACE,
        workload(
            "Deployment",
            "traction-tenant-ui",
            ui,
            {"tenant-ui": {"env": {"PYROSCOPE_SERVER_ADDRESS": "x"}}},
        ),
    )
    stack.kube.add(
        NAMESPACE,
        workload(
            "StatefulSet",
            "traction-acapy",
            acapy,
            {"acapy": {"config_maps": ["traction-acapy-pyroscope"]}},
        ),
    )
    stack.kube.config_maps[(NAMESPACE, "traction-acapy-pyroscope")] = {
        "PYROSCOPE_SERVER_ADDRESS": "http://alloy:9999"
    }
    code, verdicts = verify(capsys, "--service", "traction", "--change", "profiling-helm")
    assert code == 0, verdicts
    assert verdicts["Env var present in both pods"]["evidence"]["count"] == 2


def test_missing_variable_and_missing_workload_fail_with_what_was_searched(
    stack: FakeStack, capsys
) -> None:
    labels = {
        "app.kubernetes.io/name": "vc-authn-oidc",
        "app.kubernetes.io/instance": "vc-authn-oidc",
    }
    stack.kube.add(
        NAMESPACE,
        workload(
            "Deployment", "vc-authn-oidc", labels, {"vc-authn-oidc": {"env": {"LOG_LEVEL": "INFO"}}}
        ),
    )
    code, verdicts = verify(
        capsys, "--service", "vc-authn", "--service", "endorser", "--change", "profiling-helm"
    )
    assert code == 1
    missing = verdicts["PYROSCOPE_SERVER_ADDRESS env var present in deployed pod"]["evidence"][
        "detail"
    ]
    assert (
        missing == "Deployment/vc-authn-oidc container vc-authn-oidc lacks PYROSCOPE_SERVER_ADDRESS"
    )
    absent = verdicts["PYROSCOPE_SERVER_ADDRESS present in deployed pod"]["evidence"]["detail"]
    assert absent.startswith(
        "no Deployment/StatefulSet with {'app.kubernetes.io/name': 'endorser-service'"
    )
    assert "environments.dev.releases.<service>" in absent


def test_kubernetes_rbac_refusal_is_explained(stack: FakeStack, capsys) -> None:
    stack.kube.forbidden = True
    code, verdicts = verify(capsys, "--service", "mediator", "--change", "profiling-helm")
    assert code == 1
    detail = verdicts["PYROSCOPE_SERVER_ADDRESS present in deployed pod"]["evidence"]["detail"]
    assert (
        "403 Forbidden" in detail
        and "needs get/list on apps deployments and statefulsets" in detail
    )


def test_all_gives_one_verdict_per_criterion_and_lists_manual_and_blocked(
    stack: FakeStack, capsys
) -> None:
    campaign = load_campaign(ROOT)
    code = main(["verify", "--env", "dev", "--all", "--timeout", "60"])
    out = capsys.readouterr().out
    expected = sum(
        len(change.item.acceptance)
        for change in campaign.change_sets()
        if change.environment in ("", "dev")
    )
    assert f"verify dev: {expected} criteria: " in out
    assert code == 1  # an empty stack: nothing has arrived yet
    assert (
        "BLOCKED credo/rum: Browser events from consumer app appear in Loki: no change set here"
        in out
    )
    assert "MANUAL acapy/profiling: No measurable performance regression: a person compares" in out
    assert "Traceback" not in out


def test_tempo_tenant_is_required(stack: FakeStack, capsys, monkeypatch) -> None:
    monkeypatch.delenv("BOT_TEMPO_TENANT")
    _, verdicts = verify(capsys, "--service", "credo", "--service", "vc-authn", "--change", "rum")
    tempo = verdicts["Browser traces appear in Tempo"]
    assert tempo["verdict"] == "failed" and "set BOT_TEMPO_TENANT" in tempo["evidence"]["detail"]


def test_unreachable_kubernetes_api_is_a_failed_verdict_with_the_address(
    stack: FakeStack, capsys, tmp_path, monkeypatch
) -> None:
    from tests.fake_stack.kube import FakeKube
    from tests.fake_stack.server import closed_port_url

    nowhere = FakeKube("unused")
    nowhere.url = closed_port_url()
    monkeypatch.setenv("KUBECONFIG", str(nowhere.kubeconfig(tmp_path / "nowhere")))
    code, verdicts = verify(capsys, "--service", "didwebvh", "--change", "profiling-helm")
    assert code == 1
    detail = verdicts["PYROSCOPE_SERVER_ADDRESS present in deployed pod"]["evidence"]["detail"]
    assert detail.startswith(
        "Kubernetes API: cannot list Deployments in ca7f8f-dev: connection refused (127.0.0.1:"
    )


def test_infrastructure_change_sets_are_verified_in_their_own_environment(
    stack: FakeStack, capsys
) -> None:
    code = main(["verify", "--env", "dev", "--json", "--timeout", "30", "--service", "platform"])
    out, err = capsys.readouterr()
    assert "platform/pyroscope-test deploys to test: verify it with --env test" in err
    criteria = {c["criterion"]: c for c in json.loads(out)["criteria"]}
    assert {c["change"] for c in criteria.values()} == {"platform/pyroscope-dev"}
    ready = criteria["Pyroscope /ready endpoint returns healthy in all three namespaces"]
    assert (ready["verdict"], ready["evidence"]["detail"]) == ("passed", "dev: 'ready'")
    datasources = criteria[
        "Pyroscope (dev), Pyroscope (test), Pyroscope (prod) datasources visible and queryable in Grafana"
    ]
    assert (datasources["verdict"], datasources["evidence"]["detail"]) == (
        "passed",
        "Data source is working",
    )
    (ha,) = [c for text, c in criteria.items() if text.startswith("Prod HA:")]
    assert ha["verdict"] == "manual"
    assert code == 0
