"""The browser surfaces the recipes generate, built from the samples and served for real.

Each `build_*` applies the service's `rum` change set to a copy of its sample repo (bot.changes, as
`bot apply` does), bundles what needs bundling with esbuild, and returns a `Surface`. Its
`serve(upstream, env)` starts the app as the chart runs it with Faro on (`upstream`: the collector its
generated `/faro` route forwards to) or with the chart's defaults (`upstream=None`: Faro off), and
yields the page's origin.

This module: the two Node apps. traction tenant-ui (the Vue frontend built into the static files
that the Express 5 server with node-config serves) and the BC Wallet showcase (the React frontend and
the Express 4 server; the server also serves the frontend, which Caddy does in the deployment).
tests/browser/surfaces_python.py has the FastAPI apps (Jinja CDN snippet) and the Nuxt demo.
Stand-ins (tests/browser/standins/) replace only what a test cannot run: a database,
routing-controllers, an outside analytics tracker, Nuxt's build.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from tests.browser import apps
from tests.helpers import node

STANDINS = Path(__file__).with_name("standins")
VUE_DEFINES = {
    "process.env.NODE_ENV": '"production"',
    "__VUE_OPTIONS_API__": "true",
    "__VUE_PROD_DEVTOOLS__": "false",
    "__VUE_PROD_HYDRATION_MISMATCH_DETAILS__": "false",
}
BROWSER_BUILD = {
    "format": "esm",
    "platform": "browser",
    "splitting": True,  # the SDK is a dynamic import: its own chunks, as Vite splits them
    "target": "es2022",
    "entryNames": "[name]",
    "chunkNames": "chunks/[name]-[hash]",
}
Edit = Callable[[Path], None]
Serve = Callable[..., AbstractContextManager[str]]  # (upstream: str | None, env=...) -> origin


@dataclass
class Surface:
    name: str
    app_name: str  # meta.app.name the generated code sends
    page: str  # path of the page under test
    faro_path: str  # the app's generated proxy route
    fetch_path: str  # a same-origin backend URL the page can fetch
    root: Path  # the generated repository
    serve: Serve
    text: str  # what the rendered page shows
    sdk_chunks: set[str] = field(default_factory=set)  # bundle files holding the SDK
    cdn: bool = False  # loads the SDK from jsDelivr (the Jinja snippet)
    collector_origin: str = ""  # where the page sends Faro data, when not to its own origin


def build_traction(work: Path, edit: Edit | None = None) -> Surface:
    """traction tenant-ui: Vue 3 + Express 5 + node-config (`edit`: a change to the generated repo)."""
    repo = apps.generated_repo(work / "traction", "bcgov+traction", "traction")
    if edit:
        edit(repo)
    apps.link_node_modules(work)
    node.require("vue", "pinia", "axios", "config", "cors", "connect-history-api-fallback")
    ui = repo / "services/tenant-ui"
    frontend = ui / "frontend"
    meta = apps.esbuild(
        frontend,
        entryPoints=["src/main.ts"],
        outdir="dist/assets",
        define=VUE_DEFINES,
        vue=True,
        **BROWSER_BUILD,
    )
    index = (frontend / "index.html").read_text()
    assert 'src="/src/main.ts"' in index
    (frontend / "dist/index.html").write_text(index.replace("/src/main.ts", "/assets/main.js"))
    server = {"format": "esm", "platform": "node", "packages": "external"}
    apps.esbuild(ui, entryPoints=["src/index.ts"], outdir="dist", **server)

    @contextmanager
    def serve(upstream: str | None, env: dict[str, str] | None = None) -> Iterator[str]:
        port = apps.free_port()
        settings = {"NODE_CONFIG_DIR": str(ui / "config"), "SERVER_PORT": str(port)}
        if upstream:  # the variables the chart sets with ui.faro.enabled (traction rum-helm)
            settings |= {
                "FRONTEND_FARO_ENABLED": "true",
                "SERVER_FARO_PROXY_ENABLED": "true",
                "SERVER_FARO_PROXY_UPSTREAM_URL": upstream,
            }
        command = ["node", "dist/index.js"]
        with apps.run_server(command, ui, port, settings | (env or {}), "/config") as origin:
            yield origin

    return Surface(
        name="traction",
        app_name="traction-tenant-ui",
        page="/",
        faro_path="/faro",
        fetch_path="/api/ping",
        root=repo,
        serve=serve,
        text="Tenant console (fixture)",
        sdk_chunks=apps.sdk_chunks(meta),
    )


BC_BASE = "/digital-trust/showcase"
BC_INDEX = """\
<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>BC Wallet Showcase</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="{base}/assets/index.css" /></head>
  <body><div id="root"></div><script type="module" src="{base}/assets/index.js"></script></body>
</html>
"""


def build_bc_wallet(work: Path) -> Surface:
    """BC Wallet showcase: React 18 (Vite) + Express 4 (CommonJS)."""
    repo = apps.generated_repo(work / "bc-wallet", "bcgov+BC-Wallet-Demo", "bc-wallet")
    apps.link_node_modules(work)
    node.require("react", "react-dom", "react-router-dom", "express4")
    frontend, server = repo / "frontend", repo / "server"
    meta = apps.esbuild(
        frontend,
        entryPoints=["src/index.tsx"],
        outdir="dist/assets",
        jsx="automatic",
        define={
            "process.env.NODE_ENV": '"production"',
            "import.meta.env.BASE_URL": json.dumps(BC_BASE + "/"),
            "import.meta.env.VITE_BASE_ROUTE": json.dumps(BC_BASE),
        },
        alias={"@snowplow/browser-tracker": str(STANDINS / "snowplow.mjs")},
        **BROWSER_BUILD,
    )
    # Vite copies public/ (config.json); the sample has no index.html, so this is the smallest page
    # that loads the bundle (without a favicon link Chromium would ask for /favicon.ico)
    shutil.copytree(frontend / "public", frontend / "dist", dirs_exist_ok=True)
    (frontend / "dist/index.html").write_text(BC_INDEX.format(base=BC_BASE))
    generated_config = json.loads((frontend / "public/config.json").read_text())
    assert generated_config["faroEnabled"] is False  # the rum change set's default
    standins = ("routing-controllers", "mongoose", "reflect-metadata")
    apps.esbuild(
        server,
        entryPoints=["src/index.ts"],
        outdir="build",
        format="cjs",
        platform="node",
        packages="external",
        alias={"express": "express4"} | {name: str(STANDINS / f"{name}.cjs") for name in standins},
    )

    @contextmanager
    def serve(upstream: str | None, env: dict[str, str] | None = None) -> Iterator[str]:
        # with showcase.faro.enabled the chart merges faroEnabled into config.json and sets the
        # proxy variables on the server (bc-wallet rum-helm)
        config = generated_config | ({"faroEnabled": True} if upstream else {})
        (frontend / "dist/config.json").write_text(json.dumps(config))
        port = apps.free_port()
        settings = {
            "PORT": str(port),
            "BASE_ROUTE": BC_BASE,
            "FRONTEND_DIST": str(frontend / "dist"),
        }
        if upstream:
            settings |= {"FARO_PROXY_ENABLED": "true", "FARO_PROXY_UPSTREAM_URL": upstream}
        command = ["node", "build/index.js"]
        with apps.run_server(command, server, port, settings | (env or {}), "/") as origin:
            yield origin

    return Surface(
        name="bc-wallet",
        app_name="bc-wallet-demo-frontend",
        page=BC_BASE + "/",
        faro_path=BC_BASE + "/faro",
        fetch_path=BC_BASE + "/config.json",
        root=repo,
        serve=serve,
        text="BC Wallet Showcase",
        sdk_chunks=apps.sdk_chunks(meta),
    )
