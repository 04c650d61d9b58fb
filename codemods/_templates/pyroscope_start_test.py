"""Unit tests for the Pyroscope start helper: profiling never stops the service from starting."""

import sys
from unittest.mock import MagicMock, patch

from __MODULE__ import _start_profiling

ENV = "__SERVER_ADDRESS_ENV__"


def _pyroscope(started_by=None):
    pyroscope = MagicMock()
    pyroscope.started_by = started_by
    return pyroscope


def test_start_profiling_off_imports_nothing(monkeypatch):
    monkeypatch.delenv(ENV, raising=False)
    with patch.dict(sys.modules, {"pyroscope": None}):  # importing it would raise
        _start_profiling()


def test_start_profiling_configures_once(monkeypatch):
    monkeypatch.setenv(ENV, "http://pyroscope:4040")
    pyroscope = _pyroscope()
    with (
        patch.dict(sys.modules, {"pyroscope": pyroscope}),
        patch("importlib.metadata.version", return_value="1.0.0"),
    ):
        _start_profiling()
    pyroscope.configure.assert_called_once_with(
        application_name="__APP_NAME__",
        server_address="http://pyroscope:4040",
        tags={"version": "1.0.0"},
    )
    assert pyroscope.started_by == "__APP_NAME__"


def test_start_profiling_skipped_when_already_started(monkeypatch):
    monkeypatch.setenv(ENV, "http://pyroscope:4040")
    pyroscope = _pyroscope(started_by="acapy-agent")
    with (
        patch.dict(sys.modules, {"pyroscope": pyroscope}),
        patch("importlib.metadata.version", return_value="1.0.0"),
    ):
        _start_profiling()
    pyroscope.configure.assert_not_called()


def test_start_profiling_failure_is_a_warning(monkeypatch, caplog):
    monkeypatch.setenv(ENV, "http://pyroscope:4040")
    with patch.dict(sys.modules, {"pyroscope": None}):  # not installed
        _start_profiling()
    assert "Pyroscope profiling not started" in caplog.text
