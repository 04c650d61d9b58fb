"""`bot gate --print-job`: a Job that kubernetes-validate accepts, in the environment's namespace, with the
in-cluster URLs of recipes.yaml (never local overrides) and secrets only by reference."""

from __future__ import annotations

import pytest
from ruamel.yaml import YAML

from bot.cli import main


def test_job_manifest_is_valid_and_runs_the_same_gate(capsys, monkeypatch) -> None:
    kubernetes_validate = pytest.importorskip(
        "kubernetes_validate", reason="kubernetes-validate (the helm extra)"
    )
    monkeypatch.setenv(
        "BOT_PYROSCOPE_URL", "http://localhost:4040"
    )  # a port-forward: not for the Job
    monkeypatch.setenv("BOT_LOKI_TENANT", "tenant-secret")
    assert (
        main(
            [
                "gate",
                "--env",
                "test",
                "--timeout",
                "240",
                "--print-job",
                "--image",
                "registry.example.org/phase3-bot:1.0",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    job = YAML(typ="safe").load(out)
    kubernetes_validate.validate(job, "1.30.0", strict=True)
    assert (job["kind"], job["metadata"]["namespace"]) == ("Job", "ca7f8f-test")
    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["command"] == ["bot", "gate", "--env", "test", "--timeout", "240"]
    assert container["image"] == "registry.example.org/phase3-bot:1.0"
    assert job["spec"]["activeDeadlineSeconds"] == 300 and job["spec"]["backoffLimit"] == 0
    refs = {e["name"]: e["valueFrom"]["secretKeyRef"] for e in container["env"]}
    assert refs["BOT_LOKI_TENANT"] == {
        "name": "phase3-bot-gate",
        "key": "loki-tenant",
        "optional": True,
    }
    assert "tenant-secret" not in out and "localhost" not in out
