"""The Alloy configuration check (bot/checks/alloy.py)."""

import pytest

from bot.checks import alloy

BASE = """\
loki.write "default" {
  endpoint {
    url = "http://loki:3100/loki/api/v1/push"
  }
}

otelcol.exporter.otlp "tempo" {
  client {
    endpoint = "tempo:4317"
  }
}
"""
FARO = """
faro.receiver "browser" {
  server {
    listen_address = "0.0.0.0"
  }
  output {
    logs   = [loki.write.default.receiver]
    traces = [otelcol.exporter.otlp.tempo.input]
  }
}
"""


def profiles(port: int) -> str:
    return f"""
pyroscope.receive_http "sdk" {{
  http {{
    listen_address = "0.0.0.0"
    listen_port    = {port}
  }}
  forward_to = [pyroscope.write.default.receiver]
}}

pyroscope.write "default" {{
  endpoint {{
    url = "http://pyroscope:4040"
  }}
}}
"""


def test_a_wired_configuration_passes_and_lists_its_listeners():
    result = alloy.check_alloy("config.alloy", BASE + FARO + profiles(9999))
    assert result.status == "passed"
    assert (
        result.detail
        == "components resolve; listeners: faro.receiver.browser 0.0.0.0:12347, pyroscope.receive_http.sdk 0.0.0.0:9999"
    )


def test_the_plans_12347_for_profiles_clashes_with_faro_receivers_default():
    result = alloy.check_alloy("config.alloy", BASE + FARO + profiles(12347))
    assert result.status == "failed"
    assert result.detail == (
        "port clash: pyroscope.receive_http.sdk 0.0.0.0:12347 and faro.receiver.browser 0.0.0.0:12347 "
        "(the second bind fails with EADDRINUSE)"
    )


@pytest.mark.parametrize(
    ("config", "problem"),
    [
        (
            BASE + profiles(12345),
            "pyroscope.receive_http.sdk 0.0.0.0:12345 and Alloy's own HTTP server",
        ),
        (
            BASE
            + profiles(8080)
            + '\nloki.source.api "push" {\n  forward_to = [loki.write.default.receiver]\n}\n',
            "port clash: loki.source.api.push 0.0.0.0:8080 and pyroscope.receive_http.sdk 0.0.0.0:8080",
        ),
        (BASE + BASE, "loki.write.default is defined twice (lines 1 and 12)"),
        (
            BASE + FARO.replace("loki.write.default", "loki.write.missing"),
            "faro.receiver.browser: logs on line 18 refers to loki.write.missing.receiver, which is not defined",
        ),
        (
            BASE
            + profiles(9999).replace(
                "pyroscope.write.default.receiver", "pyroscope.write.other.receiver"
            ),
            "forward_to on line 18 refers to pyroscope.write.other.receiver",
        ),
        (BASE + "logging {\n", "syntax: line 12: unexpected end of file"),
        (
            BASE + '\nfaro.receiver "x" {\n  server {\n    listen_port = sys.env("PORT")\n  }\n}\n',
            "not a literal",
        ),
    ],
)
def test_what_would_stop_alloy_from_loading(config, problem):
    result = alloy.check_alloy("config.alloy", config)
    assert result.status == "failed"
    assert problem in result.detail


def test_faro_on_loopback_does_not_clash_with_another_loopback_port():
    loopback = (
        BASE
        + FARO.replace('listen_address = "0.0.0.0"', 'listen_address = "127.0.0.1"')
        + profiles(9999)
    )
    assert alloy.check_alloy("config.alloy", loopback).status == "passed"


def test_alloy_inside_helm_values_is_checked_too():
    content = "\n".join(
        "        " + line if line else "" for line in (BASE + FARO + profiles(12347)).splitlines()
    )
    values = f"alloy:\n  configMap:\n    content: |\n{content}\n"
    result = alloy.check_embedded("values/alloy.yaml", values)
    assert result.status == "failed" and result.target == "values/alloy.yaml"
    assert "values/alloy.yaml (alloy.configMap.content): port clash" in result.detail
    assert alloy.check_embedded("values/other.yaml", "a: 1\n") is None
