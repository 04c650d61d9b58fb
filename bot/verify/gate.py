"""`bot gate`: the plan's go/no-go checks, corrected, plus two end-to-end proofs (Faro → Loki and
profile → Alloy → Pyroscope). One row per check; a check skipped for lack of configuration never fails
the gate."""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from bot.stack import faro, grafana, loki, pyroscope
from bot.stack.http import Deadline, Service, StackError
from bot.verify.endpoints import Endpoints
from bot.verify.poll import poll

GATE_APP = "phase3-gate"  # Faro app name and prefix of the synthetic profile's application name
PASSED, FAILED, SKIPPED = "passed", "failed", "skipped"
PLAN_ITEM = "validation-gate"


@dataclass
class CheckRow:
    name: str
    status: str  # passed | failed | skipped
    reason: str
    seconds: float = 0.0
    requests: int = 0  # HTTP requests this check sent
    note: str = ""  # where the check departs from the plan (for the PR body), stable across runs


@dataclass
class GateReport:
    env: str
    checks: list[CheckRow] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(check.status != FAILED for check in self.checks)

    def failures(self) -> list[CheckRow]:
        return [check for check in self.checks if check.status == FAILED]

    def as_json(self) -> dict:
        return {
            "env": self.env,
            "checks": [
                {
                    "name": c.name,
                    "status": c.status,
                    "reason": c.reason,
                    "seconds": round(c.seconds, 3),
                }
                for c in self.checks
            ],
        }


class _Check:
    """Runs one check: its services' requests are counted, a StackError becomes a failed row."""

    def __init__(self, name: str, note: str = "") -> None:
        self.name, self.note = name, note
        self.services: list[Service] = []

    def use(self, service: Service) -> Service:
        self.services.append(service)
        return service

    def run(self, body: Callable[[_Check], str]) -> CheckRow:
        started = time.monotonic()
        try:
            status, reason = PASSED, body(self)
        except StackError as exc:
            status, reason = FAILED, str(exc)
        except _Skip as skip:
            status, reason = SKIPPED, str(skip)
        seconds = time.monotonic() - started
        return CheckRow(
            self.name, status, reason, seconds, sum(s.sent for s in self.services), self.note
        )


class _Skip(Exception):
    pass


def run_gate(endpoints: Endpoints, timeout: float, *, interval: float = 2.0) -> GateReport:
    """Every check, within `timeout` seconds in total. The two end-to-end checks run side by side."""
    started = time.monotonic()
    deadline = Deadline(timeout)
    nonce = secrets.token_hex(6)
    report = GateReport(endpoints.name)
    report.checks.append(_Check("pyroscope-ready").run(lambda c: _ready(c, endpoints, deadline)))
    report.checks.append(_Check("pyroscope-query").run(lambda c: _query(c, endpoints, deadline)))
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="gate") as pool:
        faro_rows = pool.submit(_faro_rows, endpoints, deadline, nonce, interval)
        profile_row = pool.submit(
            _Check("profile-roundtrip").run,
            lambda c: _profile(c, endpoints, deadline, nonce, interval),
        )
        report.checks += [*faro_rows.result(), profile_row.result()]
    report.checks.append(
        _Check("grafana-datasource").run(lambda c: _grafana(c, endpoints, deadline))
    )
    report.seconds = time.monotonic() - started
    return report


def _ready(check: _Check, endpoints: Endpoints, deadline: Deadline) -> str:
    text = pyroscope.ready(check.use(endpoints.pyroscope(deadline)))
    if text != "ready":
        raise StackError(f"Pyroscope /ready answered 200 but {text[:80]!r}, not 'ready'")
    return f"GET /ready: 200 ready ({endpoints.environment.pyroscope_url})"


def _window(minutes: int = 5) -> tuple[int, int]:
    now_ms = int(time.time() * 1000)
    return now_ms - minutes * 60_000, now_ms + 60_000


def _query(check: _Check, endpoints: Endpoints, deadline: Deadline) -> str:
    start, end = _window(60)
    names = pyroscope.label_values(
        check.use(endpoints.pyroscope(deadline)), "service_name", start, end
    )
    return f"LabelValues service_name answered: {len(names)} services in the last hour"


FARO_NOTE = "faro.receiver answers 202 Accepted, not the plan's 200 (any 2xx passes)"


def _faro_rows(
    endpoints: Endpoints, deadline: Deadline, nonce: str, interval: float
) -> list[CheckRow]:
    message = f"faro-gate-{nonce}"
    sent = _Check("faro-collect", FARO_NOTE).run(
        lambda c: _collect(c, endpoints, deadline, message)
    )
    if sent.status != PASSED:
        return [sent, CheckRow("faro-loki", SKIPPED, "nothing to look for: the Faro POST failed")]
    found = _Check("faro-loki").run(lambda c: _loki(c, endpoints, deadline, message, interval))
    return [sent, found]


def _collect(check: _Check, endpoints: Endpoints, deadline: Deadline, message: str) -> str:
    payload = faro.log_payload(GATE_APP, message, endpoints.name)
    status = faro.collect(check.use(endpoints.faro(deadline)), payload)
    return f"POST {endpoints.environment.faro_url}: {status}; {FARO_NOTE}"


def _loki(
    check: _Check, endpoints: Endpoints, deadline: Deadline, message: str, interval: float
) -> str:
    service = check.use(endpoints.loki(deadline))
    query = loki.selector(app_name=GATE_APP) + loki.line_filter(message)
    start_ns = time.time_ns() - 5 * 60 * 10**9

    def look() -> bool:
        end_ns = time.time_ns() + 60 * 10**9
        return any(
            message in entry.line
            for entry in loki.query_range(service, query, start_ns, end_ns, 10)
        )

    found, waited = poll(deadline, look, interval)
    if found:
        return f"found after {waited:.1f} s: {query}"
    raise StackError(_loki_missing(endpoints, service, query, message, start_ns, waited))


def _loki_missing(
    endpoints: Endpoints, service: Service, query: str, message: str, start_ns: int, waited: float
) -> str:
    tenant = (
        "BOT_LOKI_TENANT is set"
        if endpoints.loki_tenant
        else "no BOT_LOKI_TENANT (no X-Scope-OrgID)"
    )
    text = (
        f"no Loki entry after {waited:.1f} s for LogQL {query} ({tenant}). faro.receiver answered 2xx, so "
        "Alloy took the payload but did not write it to Loki: check faro_receiver_exporter_errors_total and "
        "loki.write's tenant_id; Loki answers an empty 200 for a wrong tenant"
    )
    unlabelled = '{service_name=~".+"}' + loki.line_filter(message)
    try:
        if not service.deadline.expired() and loki.query_range(
            service, unlabelled, start_ns, time.time_ns(), 1
        ):
            text += (
                f'. The entry IS in Loki, without app_name: set extra_log_labels = {{app_name = "", '
                f'kind = ""}} in faro.receiver ({unlabelled} finds it)'
            )
    except StackError:
        pass  # the diagnosis is a bonus; the failure above stands
    return text


PROFILE_NOTE = (
    "beyond the plan: a synthetic profile through Alloy's /ingest proves Alloy → Pyroscope"
)


def _profile(
    check: _Check, endpoints: Endpoints, deadline: Deadline, nonce: str, interval: float
) -> str:
    name = f"{GATE_APP}-{nonce}"
    now = int(time.time())
    folded = f"{GATE_APP};synthetic_work;nonce_{nonce} 100\n{GATE_APP};idle 20\n"
    receiver = check.use(endpoints.alloy_profiles(deadline))
    pyroscope.ingest(receiver, name, folded, now - 10, now)
    service = check.use(endpoints.pyroscope(deadline))
    matcher = f'{{service_name="{name}"}}'

    def look() -> bool:
        start, end = _window()
        return name in pyroscope.label_values(service, "service_name", start, end, [matcher])

    found, waited = poll(deadline, look, interval)
    if found:
        return f"{name} sent to {endpoints.environment.alloy_profile_url}/ingest, in Pyroscope after {waited:.1f} s"
    raise StackError(
        f"{name} was accepted by Alloy's /ingest but is not in Pyroscope's service_name after {waited:.1f} s "
        f"(LabelValues service_name {matcher}): check pyroscope.write's endpoint url (the distributor, no "
        "path) and that a NetworkPolicy lets Alloy reach Pyroscope on 4040"
    )


def _grafana(check: _Check, endpoints: Endpoints, deadline: Deadline) -> str:
    if not endpoints.environment.grafana_url:
        raise _Skip(f"no Grafana URL ({endpoints.setting('grafana_url')})")
    service = endpoints.grafana(deadline)
    if service is None:
        raise _Skip("no BOT_GRAFANA_TOKEN")
    name = f"Pyroscope ({endpoints.name})"
    return f"datasource {name!r}: {grafana.datasource_health(check.use(service), name)}"


def pr_lines(report: GateReport) -> list[str]:
    """What a PR body says about the gate it waited for: stable text (no nonce, no latency)."""
    lines = [
        f"`bot gate --env {report.env}` passed before this PR was published (plan item `{PLAN_ITEM}`):"
    ]
    for check in report.checks:
        detail = check.note or (check.reason if check.status == SKIPPED else "")
        lines.append(f"  - {check.status}: {check.name}" + (f" ({detail})" if detail else ""))
    return lines


def skipped_pr_lines(env: str) -> list[str]:
    line = (
        f"Published with `--skip-gate`: `bot gate --env {env}` was NOT run, so the go/no-go gate (plan item "
        f"`{PLAN_ITEM}`) is unproven for this PR"
    )
    return [line]
