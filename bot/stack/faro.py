"""Alloy's faro.receiver: POST /collect. It answers 202 Accepted (not 200), and still 202 when its
own write to Loki fails, so a 2xx proves only that Alloy took the payload."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.stack.http import Service


def log_payload(app_name: str, message: str, environment: str) -> dict[str, Any]:
    """The smallest payload faro.receiver accepts: one log line and the app's meta."""
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {
        "meta": {"app": {"name": app_name, "version": "1.0.0", "environment": environment}},
        "logs": [{"message": message, "level": "info", "timestamp": now}],
    }


def collect(faro: Service, payload: dict[str, Any]) -> int:
    """POST the payload; the status (2xx), else StackError (401 API key, 413 size, 429 rate limit)."""
    return faro.request("POST", "", json=payload, ok=(200, 202, 204)).status_code


HINTS = {
    400: "faro.receiver could not parse the payload",
    401: "faro.receiver has an api_key: set BOT_FARO_API_KEY to it (sent as X-API-Key)",
    413: "the payload is over faro.receiver's max_allowed_payload_size",
    429: "faro.receiver's rate limit was hit; retry later or raise rate_limiting",
}
