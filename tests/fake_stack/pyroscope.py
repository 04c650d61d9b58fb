"""A fake Grafana Pyroscope: /ready, the Connect query API in protobuf-JSON (int64 as strings, empty
fields left out), the legacy /ingest (folded and pprof) and /push.v1.PusherService/Push (gzip protobuf).
It also serves as Alloy's pyroscope.receive_http when `forward_to` is set (the same two write paths,
passed on to the real backend like pyroscope.write does)."""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from urllib.parse import parse_qs

import requests
from werkzeug.wrappers import Request, Response

from tests.fake_stack import protowire
from tests.fake_stack.server import FakeServer, json_response

_MATCHER = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Profile:
    labels: dict[str, str]  # service_name, __profile_type__, tags
    stacks: dict[tuple[str, ...], int]
    at_ms: int = field(default_factory=lambda: int(time.time() * 1000))


def _profile_type(name: str, sample: tuple[str, str], period: tuple[str, str]) -> str:
    return f"{name}:{sample[0]}:{sample[1]}:{period[0]}:{period[1]}"


def _name_for(sample_type: str) -> str:
    return {"cpu": "process_cpu", "wall": "wall", "samples": "process_cpu"}.get(
        sample_type, "memory"
    )


class FakePyroscope(FakeServer):
    name = "pyroscope"

    def __init__(self) -> None:
        super().__init__()
        self.profiles: list[Profile] = []
        self.not_ready = ""  # a 503 reason, e.g. "Some services are not Running"
        self.store = True  # False: accept writes, keep nothing (a broken storage path)
        self.route("GET", "/ready", self._ready)
        self.route("POST", r"/querier\.v1\.QuerierService/(?P<method>\w+)", self._query)
        self.route("POST", "/ingest", self._ingest)
        self.route("POST", r"/push\.v1\.PusherService/Push", self._push)

    # -- reads --------------------------------------------------------------------------------

    def _ready(self, request: Request, _: dict) -> Response:
        if self.not_ready:
            return Response(f"{self.not_ready}\n", status=503, content_type="text/plain")
        return Response("ready\n", content_type="text/plain")

    def _query(self, request: Request, groups: dict) -> Response:
        if not request.content_type or not request.content_type.startswith("application/json"):
            return json_response({"code": "invalid_argument", "message": "content-type"}, 415)
        body = json.loads(request.get_data() or b"{}")
        handler = {"LabelValues": self._label_values, "ProfileTypes": self._profile_types,
                   "SelectMergeStacktraces": self._merge}.get(groups["method"])  # fmt: skip
        if handler is None:
            return json_response({"code": "unimplemented", "message": groups["method"]}, 404)
        return json_response(handler(body))

    def _select(self, body: dict, selectors: list[str]) -> list[Profile]:
        start, end = int(body.get("start") or 0), int(body.get("end") or 2**62)
        wanted = [dict(_MATCHER.findall(selector)) for selector in selectors if selector]
        return [
            p for p in self.profiles
            if start <= p.at_ms <= end and all(all(p.labels.get(k) == v for k, v in w.items()) for w in wanted)
        ]  # fmt: skip

    def _label_values(self, body: dict) -> dict:
        names = sorted(
            {
                p.labels[body["name"]]
                for p in self._select(body, body.get("matchers") or [])
                if body["name"] in p.labels
            }
        )
        return {"names": names} if names else {}  # Connect leaves an empty repeated field out

    def _profile_types(self, body: dict) -> dict:
        types = sorted({p.labels["__profile_type__"] for p in self._select(body, [])})
        if not types:
            return {}
        entries = []
        for kind in types:
            name, sample_type, sample_unit, period_type, period_unit = kind.split(":")
            entries.append({"ID": kind, "name": name, "sampleType": sample_type, "sampleUnit": sample_unit,
                            "periodType": period_type, "periodUnit": period_unit})  # fmt: skip
        return {"profileTypes": entries}

    def _merge(self, body: dict) -> dict:
        selector = body.get("labelSelector", "{}")
        profiles = [
            p
            for p in self._select(body, [selector])
            if p.labels["__profile_type__"] == body.get("profileTypeID")
        ]
        merged: dict[tuple[str, ...], int] = {}
        for profile in profiles:
            for stack, value in profile.stacks.items():
                merged[stack] = merged.get(stack, 0) + value
        return {"flamegraph": flamegraph(merged)}

    # -- writes -------------------------------------------------------------------------------

    def _keep(self, labels: dict[str, str], stacks: dict[tuple[str, ...], int]) -> None:
        if self.store and stacks:
            self.profiles.append(Profile(labels, stacks))

    def _ingest(self, request: Request, _: dict) -> Response:
        query = {k: v[0] for k, v in parse_qs(request.query_string.decode()).items()}
        if "name" not in query:
            return Response("name is required\n", status=400)
        app, _, tags = query["name"].partition("{")
        labels = dict(_MATCHER.findall("{" + tags)) if tags else {}
        labels["service_name"] = app.removesuffix(".cpu")
        body = request.get_data()
        if query.get("format") == "pprof":
            self._ingest_pprof(labels, body)
        else:
            stacks: dict[tuple[str, ...], int] = {}
            for line in body.decode().splitlines():
                frames, _, count = line.rpartition(" ")
                if frames:
                    stacks[tuple(frames.split(";"))] = stacks.get(
                        tuple(frames.split(";")), 0
                    ) + int(count)
            self._keep(
                {**labels, "__profile_type__": "process_cpu:samples:count:cpu:nanoseconds"}, stacks
            )
        return Response("", status=200)

    def _ingest_pprof(self, labels: dict[str, str], body: bytes) -> None:
        types, period, stacks = protowire.pprof(body)
        for index, sample in enumerate(types):
            kind = _profile_type(_name_for(sample[0]), sample, period)
            self._keep(
                {**labels, "__profile_type__": kind},
                {s: v[index] for s, v in stacks.items() if v[index]},
            )

    def _push(self, request: Request, _: dict) -> Response:
        body = request.get_data()
        if request.headers.get("Content-Encoding") == "gzip":
            body = protowire.gunzip(body)
        for labels, samples in protowire.push_request(body):
            name = labels.get("__name__", "process_cpu")
            for raw in samples:
                types, period, stacks = protowire.pprof(raw)
                for index, sample in enumerate(types):
                    kind = _profile_type(name, sample, period)
                    kept = {s: v[index] for s, v in stacks.items() if v[index]}
                    self._keep({**labels, "__profile_type__": kind}, kept)
        return Response(b"", status=200, content_type="application/proto")


def flamegraph(stacks: dict[tuple[str, ...], int]) -> dict:
    """Pyroscope's FlameGraph message: names, levels of [offset, total, self, name index] quadruples,
    every int64 as a JSON string."""
    tree: dict = {}
    for stack, value in stacks.items():
        node = tree
        for frame in stack:
            node = node.setdefault(frame, {})
            node["__total__"] = node.get("__total__", 0) + value
    names, levels = ["total"], [[0, sum(stacks.values()), 0, 0]]
    row = [(tree, 0)]
    while row:
        values: list[int] = []
        next_row = []
        for node, start in row:
            offset = start
            for frame, child in sorted((k, v) for k, v in node.items() if k != "__total__"):
                total = child["__total__"]
                self_value = total - sum(
                    v["__total__"] for k, v in child.items() if k != "__total__"
                )
                if frame not in names:
                    names.append(frame)
                values += [offset, total, self_value, names.index(frame)]
                next_row.append((child, offset))
                offset += total
        if values:
            levels.append(values)
        row = next_row
    total = sum(stacks.values())
    if not total:
        return {}
    return {
        "names": names,
        "levels": [{"values": [str(v) for v in level]} for level in levels],
        "total": str(total),
        "maxSelf": str(max(stacks.values())),
    }


class FakeAlloyProfiles(FakeServer):
    """Alloy's pyroscope.receive_http: /ingest and Push, forwarded to `forward_to` (pyroscope.write)."""

    name = "alloy-profiles"

    def __init__(self, forward_to: str) -> None:
        super().__init__()
        self.forward_to = forward_to
        self.route("POST", "/ingest", self._forward)
        self.route("POST", r"/push\.v1\.PusherService/Push", self._forward)

    def _forward(self, request: Request, _: dict) -> Response:
        headers = {
            k: v
            for k, v in request.headers.items()
            if k.lower() in ("content-type", "content-encoding")
        }
        url = f"{self.forward_to}{request.full_path.rstrip('?')}"
        try:
            upstream = requests.post(url, data=request.get_data(), headers=headers, timeout=5)
        except requests.RequestException as exc:
            return Response(f"forwarding failed: {exc}\n", status=502)
        return Response(
            upstream.content,
            status=upstream.status_code,
            content_type=upstream.headers.get("content-type"),
        )
