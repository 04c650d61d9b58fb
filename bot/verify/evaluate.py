"""`bot verify`: each acceptance criterion of each selected change set's tracking item gets exactly one
verdict (passed, failed, manual, blocked) with its evidence: the query, the count and the time window."""

from __future__ import annotations

from collections.abc import Callable

from bot.campaign.model import Campaign, ChangeSet
from bot.stack import grafana, loki, pyroscope
from bot.stack.http import StackError
from bot.verify import criteria
from bot.verify.browser_cors import cors_outcome
from bot.verify.probe import Probe
from bot.verify.verdicts import BLOCKED, FAILED, MANUAL, PASSED, Evidence, Outcome, Verdict
from bot.verify.workloads import env_in_pods

Judge = Callable[[Campaign, ChangeSet, str, Probe], Outcome]


def evaluate(campaign: Campaign, changes: list[ChangeSet], probe: Probe) -> list[Verdict]:
    verdicts = []
    for change in changes:
        for criterion in change.item.acceptance:
            verdict, evidence = _judge(campaign, change, criterion, probe)
            verdicts.append(Verdict(change.item.id, change.id, criterion, verdict, evidence))
    return verdicts


def _judge(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    if change.skip:
        return BLOCKED, Evidence(detail=f"no change set here (not-applicable): {change.skip}")
    kind = criteria.kind(criterion)
    judge = JUDGES.get(kind)
    if judge is None:
        return MANUAL, Evidence(
            detail=criteria.MANUAL_REASONS.get(kind, criteria.MANUAL_REASONS["unknown"])
        )
    try:
        return judge(campaign, change, criterion, probe)
    except StackError as exc:
        return FAILED, Evidence(window=probe.window, detail=str(exc))


def _apps(campaign: Campaign, change: ChangeSet, attribute: str, label: str) -> tuple[str, ...]:
    """The change set's own names, else those of its service's code change sets (a Helm item's
    'profiling data visible' means the app its service deploys)."""
    own = getattr(change.targets, attribute)
    if own:
        return own
    siblings = (
        campaign.services[change.service].changes if change.service in campaign.services else ()
    )
    return tuple(
        name
        for other in siblings
        if label in other.item.labels
        for name in getattr(other.targets, attribute)
    )


def _blocked_without(what: str) -> Outcome:
    return BLOCKED, Evidence(detail=f"this change set names no {what} (nothing to look for)")


def _profiles(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    apps = _apps(campaign, change, "profile_apps", "profiling")
    if not apps:
        return _blocked_without("Pyroscope application")
    missing = [app for app in apps if not probe.service_present(app)]
    query = "LabelValues service_name " + ", ".join(f'{{service_name="{app}"}}' for app in apps)
    evidence = Evidence(query, len(apps) - len(missing), probe.window)
    if missing:
        detail = f"not in Pyroscope: {', '.join(missing)} (is the profiler on and the server address right?)"
        return FAILED, Evidence(evidence.query, evidence.count, evidence.window, detail)
    return PASSED, Evidence(
        evidence.query, evidence.count, evidence.window, f"found: {', '.join(apps)}"
    )


def _flame_graphs(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    apps = _apps(campaign, change, "profile_apps", "profiling")
    if not apps:
        return _blocked_without("Pyroscope application")
    found: list[str] = []
    queries: list[str] = []
    for app in apps:
        cpu = [kind for kind in probe.profile_types(app) if ":cpu:" in kind]
        queries.append(f'LabelValues __profile_type__ {{service_name="{app}"}}')
        if not cpu:
            types = ", ".join(probe.profile_types(app)) or "none"
            detail = f"{app} has no CPU profile type (types: {types})"
            return FAILED, Evidence("; ".join(queries), len(found), probe.window, detail)
        graph = probe.flamegraph(app, cpu[0])
        queries.append(f'SelectMergeStacktraces {cpu[0]} {{service_name="{app}"}}')
        if graph.empty:
            detail = f"{app}: the merged {cpu[0]} flame graph is empty (total {graph.total})"
            return FAILED, Evidence("; ".join(queries), len(found), probe.window, detail)
        found.append(
            f"{app}: {len(graph.names)} frames, {graph.levels} levels, total {graph.total}"
        )
    return PASSED, Evidence("; ".join(queries), len(found), probe.window, "; ".join(found))


def _loki_entries(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    apps = _apps(campaign, change, "faro_apps", "rum")
    if not apps:
        return _blocked_without("Faro app")
    queries, missing, total = [], [], 0
    for app in apps:
        for kind, pattern in criteria.loki_kinds(criterion):
            labels = {"app_name": app, **({"kind": kind} if kind else {})}
            query = loki.selector(**labels) + (
                loki.line_filter(pattern, regex=True) if pattern else ""
            )
            count = probe.loki_count(query)
            queries.append(query)
            total += count
            if count == 0:
                missing.append(f"{app} {kind or 'entries'}")
    evidence = (" ; ".join(queries), total, probe.window)
    if missing:
        detail = (
            f"none for: {', '.join(missing)}. Check the app's Faro settings and that faro.receiver labels "
            "entries (extra_log_labels app_name, kind); Loki answers an empty 200 for a wrong BOT_LOKI_TENANT"
        )
        return FAILED, Evidence(*evidence, detail)
    return PASSED, Evidence(*evidence, f"{total} entries")


def _tempo_traces(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    apps = _apps(campaign, change, "faro_apps", "rum")
    if not apps:
        return _blocked_without("Faro app")
    queries = [f'{{resource.service.name="{app}"}}' for app in apps]
    traces = {query: probe.traces(query) for query in queries}
    count = sum(len(found) for found in traces.values())
    empty = [query for query, found in traces.items() if not found]
    if empty:
        detail = f"no browser traces for {', '.join(empty)} (is TracingInstrumentation on, and Alloy's traces output set?)"
        return FAILED, Evidence(" ; ".join(queries), count, probe.window, detail)
    if "backend" not in criterion.lower():
        return PASSED, Evidence(" ; ".join(queries), count, probe.window, f"{count} browser traces")
    sampled = [trace for found in traces.values() for trace in found[:5]]
    linked = [t.trace_id for t in sampled if probe.trace_services(t.trace_id) - set(apps)]
    queries.append(f"GET /api/traces/<id> for {len(sampled)} traces")
    if linked:
        return PASSED, Evidence(
            " ; ".join(queries),
            len(linked),
            probe.window,
            f"{len(linked)} traces reach a backend span",
        )
    detail = (
        f"{count} browser traces, none with a backend span: the backends are not traced (no OpenTelemetry "
        "in the services yet; the plan assumed Phase 2 had added it)"
    )
    return BLOCKED, Evidence(" ; ".join(queries), 0, probe.window, detail)


def _cors(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    return cors_outcome(probe.browser)


def _ready(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    answer = pyroscope.ready(probe.endpoints.pyroscope(probe.deadline))
    verdict = PASSED if answer == "ready" else FAILED
    return verdict, Evidence("GET /ready", None, "now", f"{probe.endpoints.name}: {answer!r}")


def _grafana(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    service = probe.endpoints.grafana(probe.deadline)
    if service is None:
        return MANUAL, Evidence(
            detail="needs a Grafana URL and BOT_GRAFANA_TOKEN to run the datasource health check"
        )
    name = f"Pyroscope ({probe.endpoints.name})"
    message = grafana.datasource_health(service, name)
    return PASSED, Evidence(f"GET /api/datasources/uid/<uid of {name}>/health", 1, "now", message)


def _env(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    return env_in_pods(campaign, change, criterion, probe)


JUDGES: dict[str, Judge] = {
    "profiles": _profiles,
    "flame-graphs": _flame_graphs,
    "loki": _loki_entries,
    "tempo": _tempo_traces,
    "cors": _cors,
    "env-in-pod": _env,
    "pyroscope-ready": _ready,
    "grafana-datasource": _grafana,
}
