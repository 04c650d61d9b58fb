"""The generated browser code: the Faro init module (faro-web.ts), the Nuxt plugin and the CDN snippet.

- The names the code uses exist in the pinned SDK packages (imported for real in node).
- initFaro, bundled by esbuild with recording stand-ins for the SDK, starts Faro only when enabled,
  with the collector URL made absolute against the page and the tracing instrumentation added.
- The CDN snippet's integrity hashes match the pinned bundles, and those bundles define the globals
  the snippet calls.

These run in node with stand-ins; tests/browser/ runs the same generated code with the real SDK in
headless Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest

from bot.campaign.load import load_campaign
from bot.checks.node import check_sources
from codemods import _template
from codemods.web import create_from_template
from tests.helpers import node

ROOT = Path(__file__).resolve().parents[2]
SDK, TRACING = "@grafana/faro-web-sdk", "@grafana/faro-web-tracing"

FAKE_SDK = """\
export const calls = []
export function getWebInstrumentations() { return ['web'] }
export function initializeFaro(config) { calls.push(config) }
"""
FAKE_TRACING = "export class TracingInstrumentation { constructor() { this.kind = 'tracing' } }\n"
RUN = """\
import {{ initFaro }} from './faro.ts'
import {{ calls }} from './fake-sdk.mjs'
globalThis.window = {{ location: {{ href: 'https://app.example.org/tenant/page?x=1' }} }}
const results = []
for (const settings of {cases}) {{
  calls.length = 0
  await initFaro({{ name: 'traction-tenant-ui', version: '1.4.2' }}, settings)
  results.push(calls.map((c) => ({{ ...c, instrumentations: c.instrumentations.map(String) }})))
}}
console.log(JSON.stringify(results))
"""


def _faro_web(style: dict) -> str:
    return create_from_template.render(create_from_template.Params(template="faro-web.ts", **style))


def _bundle_and_run(work: Path, aliases: dict[str, str]) -> str:
    """Bundle work/run.mjs for node with esbuild (imports in `aliases` swapped), run it; its stdout."""
    node.require("esbuild")
    bundle = node.run(
        [
            node.bin_path("esbuild"),
            "run.mjs",
            "--bundle",
            "--format=esm",
            "--platform=node",
            "--outfile=out.mjs",
            *(f"--alias:{name}={target}" for name, target in aliases.items()),
        ],
        cwd=work,
    )
    assert bundle.returncode == 0, bundle.stderr
    result = node.run(["node", "out.mjs"], cwd=work, timeout=20)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_sdk_names_used_exist_in_the_pinned_packages():
    tools = node.require(SDK, TRACING)
    script = (
        f"const sdk = await import('{SDK}'); const tracing = await import('{TRACING}');"
        "console.log(JSON.stringify([typeof sdk.initializeFaro, typeof sdk.getWebInstrumentations,"
        " typeof tracing.TracingInstrumentation]))"
    )
    result = node.run(["node", "--input-type=module", "-e", script], cwd=tools)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == ["function", "function", "function"]


@pytest.mark.parametrize(
    "style", [{"quotes": "single", "semicolons": True}, {"quotes": "single", "semicolons": False}]
)
def test_init_faro_starts_only_when_enabled_with_an_absolute_collector_url(tmp_path, style):
    (tmp_path / "faro.ts").write_text(_faro_web(style))
    (tmp_path / "fake-sdk.mjs").write_text(FAKE_SDK)
    (tmp_path / "fake-tracing.mjs").write_text(FAKE_TRACING)
    cases = [
        None,
        {"enabled": False, "collectorUrl": "/faro"},
        {"enabled": True},
        {"enabled": "false", "collectorUrl": "/faro"},
        {"enabled": "true", "collectorUrl": "/faro"},  # node-config values from env are strings
        {"enabled": True, "collectorUrl": "https://faro.example.org/collect"},
    ]
    (tmp_path / "run.mjs").write_text(RUN.format(cases=json.dumps(cases)))
    stdout = _bundle_and_run(tmp_path, {SDK: "./fake-sdk.mjs", TRACING: "./fake-tracing.mjs"})
    runs = json.loads(stdout)
    assert runs[:4] == [[], [], [], []]
    app = {"name": "traction-tenant-ui", "version": "1.4.2"}
    assert runs[4] == [
        {
            "url": "https://app.example.org/faro",
            "app": app,
            "instrumentations": ["web", "[object Object]"],
        }
    ]
    assert runs[5][0]["url"] == "https://faro.example.org/collect"


BROKEN_SDK = "throw new Error('Loading chunk faro-web-sdk failed')\n"
RUN_BROKEN = """\
import { initFaro } from './faro.ts'
globalThis.window = { location: { href: 'https://app.example.org/' } }
const warnings = []
console.warn = (...args) => warnings.push(args.map(String).join(' '))
await initFaro({ name: 'x' }, { enabled: true, collectorUrl: '/faro' })
console.log(JSON.stringify(warnings))
"""


@pytest.mark.parametrize("semicolons", [True, False])
def test_init_faro_never_rejects_when_the_sdk_chunk_fails_to_load(tmp_path, semicolons):
    # stale chunk hashes after a deploy, network errors, blockers: the app must still load
    (tmp_path / "faro.ts").write_text(_faro_web({"quotes": "single", "semicolons": semicolons}))
    (tmp_path / "broken-sdk.mjs").write_text(BROKEN_SDK)
    (tmp_path / "run.mjs").write_text(RUN_BROKEN)
    stdout = _bundle_and_run(tmp_path, {SDK: "./broken-sdk.mjs", TRACING: "./broken-sdk.mjs"})
    [warning] = json.loads(stdout)
    assert (
        "Grafana Faro did not start" in warning and "Loading chunk faro-web-sdk failed" in warning
    )


def test_init_faro_bundles_with_the_real_sdk_as_lazy_chunks(tmp_path):
    tools = node.require("esbuild", SDK, TRACING)
    (tmp_path / "faro.ts").write_text(_faro_web({"quotes": "single", "semicolons": False}))
    (tmp_path / "node_modules").symlink_to(tools / "node_modules")
    (tmp_path / "entry.ts").write_text(
        "import { initFaro } from './faro'\nvoid initFaro({ name: 'x' }, undefined)\n"
    )
    result = node.run(
        [
            node.bin_path("esbuild"),
            "entry.ts",
            "--bundle",
            "--splitting",
            "--format=esm",
            "--platform=browser",
            "--outdir=dist",
            "--log-level=warning",
        ],
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no warnings (e.g. about unresolved imports)
    sizes = {path.name: path.stat().st_size for path in (tmp_path / "dist").glob("*.js")}
    # the SDK (over 100 kB) stays in chunks the page loads only when Faro is enabled
    assert sizes.pop("entry.js") < 5_000
    assert sum(sizes.values()) > 100_000


NUXT_RUN = """\
import { calls } from './fake-faro.mjs'
globalThis.defineNuxtPlugin = (plugin) => plugin
globalThis.useRuntimeConfig = () => ({ public: { faroEnabled: 'true', faroCollectorUrl: '/faro' } })
const plugin = (await import('./plugin.ts')).default
const returned = plugin()
console.log(JSON.stringify({ returned: returned === undefined ? 'undefined' : String(returned), calls }))
"""
FAKE_FARO = """\
export const calls = []
export function initFaro(app, settings) {
  calls.push([app, settings])
  return new Promise(() => {}) // an SDK chunk that never arrives
}
"""


def test_nuxt_plugin_parses_reads_runtime_config_and_does_not_wait_for_faro(tmp_path):
    text = create_from_template.render(
        create_from_template.Params(
            template="faro-nuxt-plugin.ts",
            values={"app_name": "vc-authn-oidc-demo"},
            quotes="single",
            semicolons=False,
        )
    )
    [parsed] = check_sources({"demo/nuxt/app/plugins/faro.client.ts": text})
    assert parsed.status == "passed", parsed.line()
    (tmp_path / "plugin.ts").write_text(text)
    (tmp_path / "fake-faro.mjs").write_text(FAKE_FARO)
    (tmp_path / "run.mjs").write_text(NUXT_RUN)
    stdout = _bundle_and_run(tmp_path, {"~/utils/faro": "./fake-faro.mjs"})
    # the plugin returns at once (Nuxt goes on rendering) after starting initFaro
    assert json.loads(stdout) == {
        "returned": "undefined",
        "calls": [[{"name": "vc-authn-oidc-demo"}, {"enabled": "true", "collectorUrl": "/faro"}]],
    }


CAMPAIGN = load_campaign(ROOT)


def _sri(path: Path) -> str:
    return "sha384-" + base64.b64encode(hashlib.sha384(path.read_bytes()).digest()).decode()


def _snippet_values_in_recipes() -> list[dict[str, str]]:
    """The CDN snippet's values as the loader resolves them (settings substituted)."""
    return [
        step.params.values
        for change in CAMPAIGN.change_sets()
        for step in change.steps
        if getattr(step.params, "template", None) == "faro-cdn.html"
    ]


def test_cdn_snippet_integrity_matches_the_pinned_bundles():
    tools = node.require(SDK, TRACING)
    pinned = CAMPAIGN.settings["packages"]
    for package in (SDK, TRACING):
        installed = json.loads((tools / "node_modules" / package / "package.json").read_text())[
            "version"
        ]
        assert installed == pinned[package], (
            f"tools/node has {package} {installed}, recipes pin {pinned[package]}"
        )
    sdk = _sri(tools / "node_modules" / SDK / "dist/bundle/faro-web-sdk.iife.js")
    tracing = _sri(tools / "node_modules" / TRACING / "dist/bundle/faro-web-tracing.iife.js")
    assert CAMPAIGN.settings["integrity"] == {SDK: sdk, TRACING: tracing}
    steps = _snippet_values_in_recipes()
    assert steps, "no recipe uses the CDN snippet"
    for values in steps:
        assert values == values | {
            "sdk_version": pinned[SDK],
            "sdk_integrity": sdk,
            "tracing_version": pinned[TRACING],
            "tracing_integrity": tracing,
        }


def test_recipes_take_versions_and_hashes_from_the_settings():
    """One place to bump: no recipe spells out a pinned version or an SRI hash itself."""
    for recipe in sorted((ROOT / "recipes").glob("*.yaml")):
        text = recipe.read_text()
        assert "sha384-" not in text, recipe.name
        assert CAMPAIGN.settings["packages"][SDK] not in text, recipe.name


def test_cdn_bundles_define_the_globals_the_snippet_calls():
    tools = node.require(SDK, TRACING)
    snippet = _template.source("faro-cdn.html")
    for name in (
        "GrafanaFaroWebSdk",
        "initializeFaro",
        "faro.instrumentations.add",
        "GrafanaFaroWebTracing",
        "TracingInstrumentation",
    ):
        assert name in snippet
    script = """
const vm = require('vm'), fs = require('fs')
const ctx = { console, performance, setTimeout, clearTimeout, setInterval, clearInterval, TextEncoder, TextDecoder, URL }
ctx.window = ctx; ctx.self = ctx; ctx.globalThis = ctx
vm.createContext(ctx)
for (const f of process.argv.slice(1)) vm.runInContext(fs.readFileSync(f, 'utf8'), ctx)
console.log(JSON.stringify([typeof ctx.GrafanaFaroWebSdk.initializeFaro, typeof ctx.GrafanaFaroWebSdk.faro,
  typeof ctx.GrafanaFaroWebTracing.TracingInstrumentation]))
"""
    bundles = [
        str(tools / "node_modules" / SDK / "dist/bundle/faro-web-sdk.iife.js"),
        str(tools / "node_modules" / TRACING / "dist/bundle/faro-web-tracing.iife.js"),
    ]
    result = node.run(["node", "-e", script, *bundles])
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout) == ["function", "object", "function"]
