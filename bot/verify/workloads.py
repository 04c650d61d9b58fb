"""'PYROSCOPE_SERVER_ADDRESS present in deployed pod': the workload a change set's chart deploys, found by
the chart's standard labels, has the variable in the intended container (env, or a ConfigMap in envFrom)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.campaign.model import Campaign, ChangeSet, Workload
from bot.verify import criteria
from bot.verify.probe import Probe
from bot.verify.verdicts import BLOCKED, FAILED, PASSED, Evidence, Outcome

if TYPE_CHECKING:
    from bot.stack.kube import Container


def env_in_pods(campaign: Campaign, change: ChangeSet, criterion: str, probe: Probe) -> Outcome:
    named = criteria.variables(criterion)
    workloads = [w for w in change.targets.workloads if not named or named & set(w.env)]
    if not workloads:
        return BLOCKED, Evidence(
            detail="this change set names no workload with that variable (nothing to look for)"
        )
    found, problems, queries = 0, [], []
    for workload in workloads:
        labels = _labels(probe, change.service, workload)
        queries.append(
            f"apps/v1 -l {','.join(f'{k}={v}' for k, v in labels)} container {workload.container}"
        )
        containers = probe.containers(labels)
        if not containers:  # charts that set app.kubernetes.io/name differently: the release alone
            containers = probe.containers(labels[1:])
        container = _pick(containers, workload.container)
        if container is None:
            problems.append(_not_found(probe, labels, workload, containers))
            continue
        wanted = sorted(named & set(workload.env)) if named else list(workload.env)
        missing = [name for name in wanted if not _has(probe, container, name)]
        if missing:
            problems.append(
                f"{container.workload} container {container.name} lacks {', '.join(missing)}"
            )
        else:
            found += 1
    evidence = (
        " ; ".join(queries),
        found,
        f"now, namespace {probe.endpoints.environment.namespace}",
    )
    if problems:
        return FAILED, Evidence(*evidence, "; ".join(problems))
    return PASSED, Evidence(
        *evidence, f"{found} container(s) have {', '.join(sorted(named)) or 'the variables'}"
    )


def _labels(probe: Probe, service: str, workload: Workload) -> tuple[tuple[str, str], ...]:
    release = probe.endpoints.environment.release(service, workload.chart)
    return (("app.kubernetes.io/name", workload.name), ("app.kubernetes.io/instance", release))


def _pick(containers: tuple[Container, ...], name: str) -> Container | None:
    exact = [c for c in containers if c.name == name]
    if exact:
        return exact[0]
    return containers[0] if len(containers) == 1 else None  # a release-prefixed name, one container


def _has(probe: Probe, container: Container, variable: str) -> bool:
    if variable in container.env:
        return True
    return any(variable in probe.config_map_keys(name) for name in container.config_maps)


def _not_found(
    probe: Probe,
    labels: tuple[tuple[str, str], ...],
    workload: Workload,
    containers: tuple[Container, ...],
) -> str:
    namespace = probe.endpoints.environment.namespace
    if not containers:
        return (
            f"no Deployment/StatefulSet with {dict(labels)} in {namespace}: is the chart deployed there, under "
            f"that release name? (set environments.{probe.endpoints.name}.releases.<service>)"
        )
    names = ", ".join(sorted({f"{c.workload}:{c.name}" for c in containers}))
    return f"no container {workload.container!r} among {names}"
