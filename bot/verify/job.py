"""`bot gate --print-job`: a Kubernetes Job that runs the same gate from inside the namespace (the plan's
"reachable from within the namespace, e.g. from a debug pod"). Secrets come from a Secret by reference;
the manifest itself holds none. It uses the in-cluster URLs of recipes.yaml, never local overrides."""

from __future__ import annotations

from typing import Any

from bot.campaign.model import Environment

SECRET_KEYS = {  # env var -> key in the Secret (all optional)
    "BOT_LOKI_TENANT": "loki-tenant",
    "BOT_TEMPO_TENANT": "tempo-tenant",
    "BOT_GRAFANA_TOKEN": "grafana-token",
    "BOT_FARO_API_KEY": "faro-api-key",
}
MARGIN = 60  # seconds beyond --timeout for the pod to start and pull the image


def manifest(
    environment: Environment, *, image: str, secret: str, timeout: float
) -> dict[str, Any]:
    labels = {"app.kubernetes.io/name": "phase3-bot-gate", "app.kubernetes.io/component": "gate"}
    env: list[dict[str, Any]] = [
        {
            "name": name,
            "valueFrom": {"secretKeyRef": {"name": secret, "key": key, "optional": True}},
        }
        for name, key in SECRET_KEYS.items()
    ]
    container = {
        "name": "gate",
        "image": image,
        "command": ["bot", "gate", "--env", environment.name, "--timeout", f"{timeout:g}"],
        "env": env,
        "resources": {
            "requests": {"cpu": "50m", "memory": "128Mi"},
            "limits": {"cpu": "500m", "memory": "256Mi"},
        },
        "securityContext": {
            "allowPrivilegeEscalation": False,
            "runAsNonRoot": True,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
    }
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": {
            "generateName": "phase3-bot-gate-",
            "namespace": environment.namespace,
            "labels": labels,
        },
        "spec": {
            "backoffLimit": 0,  # one run, one verdict: a retry would send a second nonce
            "activeDeadlineSeconds": int(timeout) + MARGIN,
            "ttlSecondsAfterFinished": 3600,
            "template": {
                "metadata": {"labels": labels},
                "spec": {
                    "restartPolicy": "Never",
                    "automountServiceAccountToken": False,  # the gate reads no Kubernetes API
                    "containers": [container],
                },
            },
        },
    }
