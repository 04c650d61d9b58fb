"""One HTTP client for every service of the stack: a deadline bounds each request, failures become
StackError with a message a person can act on, and every request is counted (the gate reports them)."""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import requests

from bot.errors import BotError
from bot.secrets import Secret

REQUEST_CAP = 15.0  # seconds: no single request waits longer, whatever the deadline


class StackError(BotError):
    """A service of the stack could not be reached or refused; `status` is the HTTP status, if any."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class Deadline:
    """The end of the whole command: requests and polls never run past it."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.end - time.monotonic()

    def expired(self) -> bool:
        return self.remaining() <= 0

    def request_timeout(self) -> float:
        left = self.remaining()
        if left <= 0:
            raise StackError(f"out of time: the --timeout of {self.seconds:g} s has passed")
        return min(REQUEST_CAP, left)

    def sleep(self, seconds: float) -> None:
        time.sleep(max(0.0, min(seconds, self.remaining())))


@dataclass
class Service:
    """A service at a base URL. `setting` names the flag and env var that set the URL (for messages);
    `hints` adds advice per HTTP status, e.g. {401: 'set BOT_FARO_API_KEY'}."""

    name: str
    base_url: str
    setting: str
    deadline: Deadline
    headers: dict[str, Secret | str] = field(default_factory=dict)
    hints: Mapping[int, str] = field(default_factory=dict)
    sent: int = 0  # requests sent so far

    def url(self, path: str) -> str:
        return self.base_url.rstrip("/") + path

    def request(
        self, method: str, path: str, *, ok: tuple[int, ...] = (200,), **kwargs: Any
    ) -> requests.Response:
        """Send one request; StackError unless the status is in `ok`."""
        url = self.url(path) if path.startswith("/") or not path else path
        shown = url.split("?", 1)[0]  # messages name the endpoint, not the query string
        headers = {k: v.reveal() if isinstance(v, Secret) else v for k, v in self.headers.items()}
        headers.update(kwargs.pop("headers", {}))
        timeout = self.deadline.request_timeout()
        self.sent += 1
        try:
            response = requests.request(method, url, headers=headers, timeout=timeout, **kwargs)
        except requests.Timeout:
            raise StackError(
                f"{self.name} at {shown} did not answer within {timeout:.1f} s (slow, or a firewall "
                "drops the packets); raise --timeout or check the service"
            ) from None
        except requests.ConnectionError as exc:
            raise StackError(self._connection_problem(shown, exc)) from None
        except requests.RequestException as exc:
            raise StackError(f"{self.name} at {shown}: {type(exc).__name__}") from None
        if response.status_code not in ok:
            raise StackError(self._status_problem(shown, response), status=response.status_code)
        return response

    def json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.request(method, path, **kwargs)
        try:
            return response.json() if response.content else {}
        except json.JSONDecodeError:
            snippet = response.text[:120].replace("\n", " ")
            raise StackError(
                f"{self.name} at {response.url} answered {response.status_code} but not JSON: "
                f"{snippet!r}; is {self.setting} the right URL?"
            ) from None

    def _connection_problem(self, url: str, exc: requests.ConnectionError) -> str:
        text = str(exc)
        if (
            "Name or service not known" in text
            or "nodename nor servname" in text
            or ("Temporary failure in name resolution" in text)
        ):
            return (
                f"cannot resolve the host of {self.name} ({url}): in-cluster names resolve only inside "
                f"the cluster; port-forward and set {self.setting}, or run the Job from --print-job"
            )
        if "refused" in text.lower():
            return (
                f"connection refused by {self.name} at {url}: nothing listens there; is it running, "
                f"and is {self.setting} right?"
            )
        return f"cannot connect to {self.name} at {url}: {type(exc).__name__}; check {self.setting}"

    def _status_problem(self, url: str, response: requests.Response) -> str:
        body = " ".join(response.text.split())[:200]
        message = f"{self.name} at {url} answered {response.status_code}"
        if body:
            message += f": {body}"
        hint = self.hints.get(response.status_code)
        return f"{message}; {hint}" if hint else message
