"""`bot gate` against the fake stack: the happy path, then each fault with its verdict and message."""

from __future__ import annotations

import json

import pytest

from bot.cli import main
from tests.fake_stack.server import closed_port_url
from tests.fake_stack.stack import FakeStack


def gate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["gate", "--env", "dev", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


def rows(report: dict) -> dict[str, tuple[str, str]]:
    return {check["name"]: (check["status"], check["reason"]) for check in report["checks"]}


def test_every_check_passes_against_a_healthy_stack(stack: FakeStack, capsys) -> None:
    code, report = gate(capsys, "--timeout", "30")
    assert code == 0, report
    assert report["env"] == "dev"
    assert [c["name"] for c in report["checks"]] == [
        "pyroscope-ready", "pyroscope-query", "faro-collect", "faro-loki", "profile-roundtrip", "grafana-datasource",
    ]  # fmt: skip
    assert {c["status"] for c in report["checks"]} == {"passed"}
    assert all(set(c) == {"name", "status", "reason", "seconds"} for c in report["checks"])
    collect = rows(report)["faro-collect"][1]
    assert ": 202;" in collect and "not the plan's 200" in collect
    # the nonce really went through Alloy to Loki (tenant) and through Alloy to Pyroscope
    assert any("faro-gate-" in line for _, _, line in stack.loki.streams["ca7f8f"])
    assert any(
        p.labels["service_name"].startswith("phase3-gate-") for p in stack.pyroscope.profiles
    )


def test_table_output_names_each_check_and_the_verdict(stack: FakeStack, capsys) -> None:
    assert main(["gate", "--env", "dev", "--timeout", "30"]) == 0
    out = capsys.readouterr().out
    assert "gate dev: GO (0 failed" in out
    assert "faro-collect        passed" in out


def test_grafana_without_a_token_is_skipped_not_failed(
    stack: FakeStack, capsys, monkeypatch
) -> None:
    monkeypatch.delenv("BOT_GRAFANA_TOKEN")
    code, report = gate(capsys, "--timeout", "30")
    assert code == 0
    assert rows(report)["grafana-datasource"] == ("skipped", "no BOT_GRAFANA_TOKEN")


def test_pyroscope_not_ready_shows_its_own_reason(stack: FakeStack, capsys) -> None:
    stack.pyroscope.not_ready = "Some services are not Running:\nStarting: 1"
    code, report = gate(capsys, "--timeout", "30")
    assert code == 1
    status, reason = rows(report)["pyroscope-ready"]
    assert status == "failed"
    assert reason == "Pyroscope is not ready (503): Some services are not Running:\nStarting: 1"


def test_connection_refused_names_the_setting_to_fix(stack: FakeStack, capsys, monkeypatch) -> None:
    monkeypatch.setenv("BOT_PYROSCOPE_URL", closed_port_url())
    code, report = gate(capsys, "--timeout", "20")
    assert code == 1
    status, reason = rows(report)["pyroscope-ready"]
    assert status == "failed"
    assert (
        "connection refused by Pyroscope" in reason
        and "--pyroscope-url / BOT_PYROSCOPE_URL" in reason
    )
    assert rows(report)["profile-roundtrip"][0] == "failed"  # the profile cannot be found either


def test_loki_never_shows_the_entry(stack: FakeStack, capsys) -> None:
    stack.faro.loki_url = closed_port_url()  # Alloy's Loki write fails; it still answers 202
    code, report = gate(capsys, "--timeout", "6")
    assert code == 1
    assert rows(report)["faro-collect"][0] == "passed"
    status, reason = rows(report)["faro-loki"]
    assert status == "failed"
    assert (
        reason.startswith("no Loki entry after ")
        and '{app_name="phase3-gate"} |= "faro-gate-' in reason
    )
    assert "faro_receiver_exporter_errors_total" in reason
    assert stack.faro.exporter_errors == 1


def test_unlabelled_faro_entries_are_found_and_explained(stack: FakeStack, capsys) -> None:
    stack.faro.labels = (
        False  # faro.receiver without extra_log_labels: Loki files them as unknown_service
    )
    code, report = gate(capsys, "--timeout", "6")
    assert code == 1
    assert (
        "The entry IS in Loki, without app_name: set extra_log_labels"
        in rows(report)["faro-loki"][1]
    )


def test_wrong_tenant_gets_an_empty_answer_and_a_clear_failure(
    stack: FakeStack, capsys, monkeypatch
) -> None:
    monkeypatch.setenv("BOT_LOKI_TENANT", "someone-else")
    code, report = gate(capsys, "--timeout", "6")
    assert code == 1
    reason = rows(report)["faro-loki"][1]
    assert "BOT_LOKI_TENANT is set" in reason and "empty 200 for a wrong tenant" in reason
    assert "someone-else" not in json.dumps(report)  # the tenant is a secret


def test_missing_tenant_is_a_401_with_advice(stack: FakeStack, capsys, monkeypatch) -> None:
    monkeypatch.delenv("BOT_LOKI_TENANT")
    code, report = gate(capsys, "--timeout", "10")
    assert code == 1
    assert (
        "answered 401: no org id; Loki wants a tenant: set BOT_LOKI_TENANT"
        in rows(report)["faro-loki"][1]
    )


@pytest.mark.parametrize(
    ("fault", "expected"),
    [
        ("api_key", "answered 401: api key not provided or incorrect; faro.receiver has an api_key: set BOT_FARO_API_KEY"),
        ("max_payload", "answered 413: request entity too large; the payload is over faro.receiver's max_allowed_payload_size"),
    ],
)  # fmt: skip
def test_alloy_refusals_are_explained(stack: FakeStack, capsys, fault: str, expected: str) -> None:
    setattr(stack.faro, fault, "s3cr3t-key" if fault == "api_key" else 10)
    code, report = gate(capsys, "--timeout", "10")
    assert code == 1
    status, reason = rows(report)["faro-collect"]
    assert (status, expected in reason) == ("failed", True), reason
    assert rows(report)["faro-loki"] == ("skipped", "nothing to look for: the Faro POST failed")


def test_the_faro_api_key_is_sent_and_never_shown(stack: FakeStack, capsys, monkeypatch) -> None:
    stack.faro.api_key = "s3cr3t-key"
    monkeypatch.setenv("BOT_FARO_API_KEY", "s3cr3t-key")
    code, report = gate(capsys, "--timeout", "30")
    assert code == 0, report
    assert "s3cr3t-key" not in json.dumps(report)


def test_a_server_that_never_answers_gives_a_failed_row_within_the_timeout(
    stack: FakeStack, capsys
) -> None:
    import time

    stack.pyroscope.delay = 30
    started = time.monotonic()
    code, report = gate(capsys, "--timeout", "4")
    assert time.monotonic() - started < 12
    assert code == 1
    status, reason = rows(report)["pyroscope-ready"]
    assert status == "failed" and "did not answer within" in reason


def test_synthetic_profile_lost_between_alloy_and_pyroscope(stack: FakeStack, capsys) -> None:
    stack.pyroscope.store = False
    code, report = gate(capsys, "--timeout", "5")
    assert code == 1
    status, reason = rows(report)["profile-roundtrip"]
    assert status == "failed" and "pyroscope.write's endpoint url" in reason


def test_unhealthy_grafana_datasource_fails(stack: FakeStack, capsys) -> None:
    stack.grafana.datasources["Pyroscope (dev)"] = {
        "uid": "pyroscope-dev",
        "healthy": False,
        "message": "connection refused",
    }
    code, report = gate(capsys, "--timeout", "30")
    assert code == 1
    assert rows(report)["grafana-datasource"] == (
        "failed",
        "datasource 'Pyroscope (dev)' is unhealthy: connection refused",
    )


def test_bad_override_is_a_usage_error(stack: FakeStack, capsys, monkeypatch) -> None:
    monkeypatch.setenv("BOT_LOKI_URL", "loki:3100")
    assert main(["gate", "--env", "dev"]) == 2
    assert (
        "error: BOT_LOKI_URL: expected an http(s) URL, got 'loki:3100'" in capsys.readouterr().err
    )
    assert main(["gate", "--env", "staging"]) == 2
    assert "--env: unknown environment 'staging'" in capsys.readouterr().err
