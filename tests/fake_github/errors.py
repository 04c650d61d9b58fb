"""GitHub's error answers, raised by the fake's handlers."""

from __future__ import annotations

from typing import Any

from tests.fake_github import payloads as p


class HttpError(Exception):
    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = p.error(message, **extra)


def invalid(
    resource: str, code: str = "custom", *, field: str = "", message: str = ""
) -> HttpError:
    """GitHub's 422: `{"message": "Validation Failed", "errors": [{resource, code, field | message}]}`."""
    error = {"resource": resource, "code": code, "field": field, "message": message}
    return HttpError(422, "Validation Failed", errors=[{k: v for k, v in error.items() if v}])
