"""Grafana for Pyroscope, in the pattern the environment's Grafana values already use: the datasource
next to Tempo's (name and uid derived from Tempo's), Tempo's `tracesToProfiles`, a flame graph
dashboard where dashboards are imported inline (`json`), and the Profiles Drilldown app where
plugins are listed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from codemods._api import CodemodError, PlannedStep
from codemods.gitops import _discover, _pyroscope
from codemods.gitops._repo import Application, Location

PROFILES_APP = "grafana-pyroscope-app"  # Profiles Drilldown: flame graphs, in Grafana's app list


def _step(codemod: str, location: Location, **params: Any) -> PlannedStep:
    params.setdefault("path", list(location.segments))
    if location.document:
        params["document"] = location.document
    return PlannedStep(codemod, location.path, params)


def steps(
    environment: str, grafana: Application, query_url: str, notes: list[str]
) -> list[PlannedStep]:
    values = grafana.values()
    found = _discover.values_list(values.location, values.data, ("datasources",))
    if found is None:
        raise CodemodError(
            f"{values.location}: no Grafana datasource provisioning (datasources.<file>.datasources)"
        )
    location, datasources = found
    tempo = next(
        (ds for ds in datasources if isinstance(ds, Mapping) and ds.get("type") == "tempo"), None
    )
    env = environment
    name = (
        str(tempo["name"]).replace("Tempo", "Pyroscope")
        if tempo and "Tempo" in str(tempo.get("name"))
        else f"Pyroscope ({env})"
    )
    uid = (
        str(tempo["uid"]).replace("tempo", "pyroscope")
        if tempo and "tempo" in str(tempo.get("uid"))
        else f"pyroscope-{env}"
    )
    datasource = {
        "name": name,
        "type": "grafana-pyroscope-datasource",
        "uid": uid,
        "access": "proxy",
        "url": query_url,
        "jsonData": {"minStep": "15s"},
    }
    planned = [_step("gitops.add_list_item", location, item=datasource, key="uid")]
    if tempo is not None and tempo.get("uid"):
        profiles = {
            "datasourceUid": uid,
            "profileTypeId": _pyroscope.CPU_PROFILE,
            "tags": [{"key": "service.name", "value": "service_name"}],
        }
        planned.append(
            _step(
                "gitops.merge_values",
                location.child(f"[uid={tempo['uid']}]"),
                value={"jsonData": {"tracesToProfiles": profiles}},
            )
        )
    else:
        notes.append(f"{location}: no Tempo datasource with a uid; tracesToProfiles not set")
    planned += _dashboard_steps(
        environment, values, str(tempo.get("uid")) if tempo else "", name, uid, notes
    )
    plugins = _discover.values_list(values.location, values.data, ("plugins",))
    if plugins is not None:
        planned.append(_step("gitops.add_list_item", plugins[0], item=PROFILES_APP, key=""))
    return planned


def _dashboard_steps(
    environment: str, values: Any, tempo_uid: str, name: str, uid: str, notes: list[str]
) -> list[PlannedStep]:
    providers = values.data.get("dashboards")
    if not isinstance(providers, Mapping) or not providers:
        notes.append(
            f"{values.location}: no dashboards imported in the values; no flame graph dashboard added"
        )
        return []
    provider = next(
        (key for key, entries in providers.items() if isinstance(entries, Mapping)
         and any(isinstance(e, Mapping) and (e.get("datasource") == tempo_uid or "tempo" in str(k)) for k, e in entries.items())),
        next(iter(providers)),
    )  # fmt: skip
    entries = providers[provider] or {}
    if not any(isinstance(e, Mapping) and "json" in e for e in entries.values()):
        notes.append(
            f"{values.location}: dashboards.{provider} imports by gnetId or url; add a flame graph dashboard by hand"
        )
        return []
    dashboard = _pyroscope.flamegraph_dashboard(
        f"{name}: CPU flame graphs", f"pyroscope-flamegraphs-{environment}", uid
    )
    entry = {"pyroscope-flamegraphs": {"datasource": uid, "json": dashboard}}
    return [
        _step(
            "gitops.merge_values", values.location.child("dashboards", str(provider)), value=entry
        )
    ]
