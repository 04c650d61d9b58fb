"""The four browser surfaces the recipes generate, built from the samples and served for real.

Each `build_*` applies the service's `rum` change set to a copy of its sample repo (bot.changes, as
`bot apply` does), bundles what needs bundling with esbuild and returns a `Surface` whose `serve(env)`
starts the app with its generated `/faro` route in front of a collector:

- traction tenant-ui: the Vue frontend (main.ts + src/plugins/faro.ts) built into the static files
  that the tenant-ui Express 5 server (src/index.ts + middleware/faroProxy.ts, node-config) serves;
- BC Wallet showcase: the React frontend (index.tsx + faro.ts) and the Express 4 server
  (index.ts + handlers/faroProxy.ts); the frontend is served by the same server, as Caddy serves it
  in front of the server in the deployment;
- vc-authn Nuxt demo: the client plugin and utils/faro.ts with app.vue and the index page, served as
  static files; its collector is the vc-authn controller's /faro (another origin, as deployed);
- the Jinja CDN snippet: the vc-authn controller's pages and the didwebvh explorer, each served by
  its FastAPI app (uvicorn) with the generated /faro (or /api/faro) router.

Stand-ins (tests/browser/standins/) replace only what a test cannot run: a database, routing-controllers,
the outside analytics tracker, Nuxt's build, and the didwebvh modules the sample leaves out.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

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
    "splitting": True,
    "target": "es2022",
    "entryNames": "[name]",
    "chunkNames": "chunks/[name]-[hash]",
}


@dataclass
class Surface:
    name: str
    app_name: str  # meta.app.name the generated code sends
    page: str  # path of the page under test
    faro_path: str  # the app's generated proxy route
    fetch_path: str  # a same-origin backend URL the page can fetch
    root: Path  # the generated repository
    serve: Callable[[dict[str, str]], AbstractContextManager[str]]  # env -> origin
    sdk_chunks: set[str] = field(default_factory=set)  # bundle files holding the SDK


# traction tenant-ui: Vue 3 + Express 5 + node-config
def build_traction(work: Path) -> Surface:
    repo = apps.generated_repo(work / "traction", "bcgov+traction", "traction")
    apps.link_node_modules(work)
    node.require("vue", "pinia", "axios", "express", "config", "cors", "connect-history-api-fallback")
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
    assert '<script type="module" src="/src/main.ts">' in index
    index = index.replace('src="/src/main.ts"', 'src="/assets/main.js"')
    (frontend / "dist/index.html").write_text(index)  # what `vite build` writes
    apps.esbuild(
        ui,
        entryPoints=["src/index.ts"],
        outdir="dist",
        format="esm",
        platform="node",
        packages="external",
    )

    @contextmanager
    def serve(env: dict[str, str]) -> Iterator[str]:
        port = apps.free_port()
        env = {"NODE_CONFIG_DIR": str(ui / "config"), "SERVER_PORT": str(port), **env}
        with apps.run_server(["node", "dist/index.js"], ui, port, env, "/config") as server:
            yield server.origin

    return Surface(
        "traction",
        "traction-tenant-ui",
        "/",
        "/faro",
        "/api/ping",
        repo,
        serve,
        apps.sdk_chunks(meta),
    )


def traction_env(receiver_url: str, *, enabled: bool = True, **extra: str) -> dict[str, str]:
    """The variables the chart sets (traction rum-helm) when ui.faro is enabled."""
    if not enabled:
        return extra
    return {
        "FRONTEND_FARO_ENABLED": "true",
        "SERVER_FARO_PROXY_ENABLED": "true",
        "SERVER_FARO_PROXY_UPSTREAM_URL": receiver_url,
        **extra,
    }


# BC Wallet showcase: React 18 + Express 4 (CommonJS)
BC_BASE = "/digital-trust/showcase"
BC_INDEX = """\
<!doctype html>
<html lang="en">
  <head><meta charset="utf-8" /><title>BC Wallet Showcase</title>
    <link rel="stylesheet" href="{base}/assets/index.css" /></head>
  <body><div id="root"></div><script type="module" src="{base}/assets/index.js"></script></body>
</html>
"""


def build_bc_wallet(work: Path) -> Surface:
    repo = apps.generated_repo(work / "bc-wallet", "bcgov+BC-Wallet-Demo", "bc-wallet")
    apps.link_node_modules(work)
    node.require("react", "react-dom", "react-router-dom", "express4")
    frontend = repo / "frontend"
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
    # Vite copies public/ (the runtime config.json) and writes index.html; this sample has no
    # index.html of its own, so the page is the smallest one that loads the bundle
    shutil.copytree(frontend / "public", frontend / "dist", dirs_exist_ok=True)
    (frontend / "dist/index.html").write_text(BC_INDEX.format(base=BC_BASE))
    server = repo / "server"
    apps.esbuild(
        server,
        entryPoints=["src/index.ts"],
        outdir="build",
        format="cjs",
        platform="node",
        packages="external",
        alias={
            "express": "express4",
            "routing-controllers": str(STANDINS / "routing-controllers.cjs"),
            "mongoose": str(STANDINS / "mongoose.cjs"),
            "reflect-metadata": str(STANDINS / "reflect-metadata.cjs"),
        },
    )

    @contextmanager
    def serve(env: dict[str, str]) -> Iterator[str]:
        port = apps.free_port()
        env = {
            "PORT": str(port),
            "BASE_ROUTE": BC_BASE,
            "FRONTEND_DIST": str(frontend / "dist"),
            **env,
        }
        with apps.run_server(["node", "build/index.js"], server, port, env, "/") as process:
            yield process.origin

    return Surface(
        "bc-wallet",
        "bc-wallet-demo-frontend",
        BC_BASE + "/",
        BC_BASE + "/faro",
        BC_BASE + "/config.json",
        repo,
        serve,
        apps.sdk_chunks(meta),
    )


def enable_bc_wallet_faro(repo: Path) -> None:
    """config.json as the chart renders it with showcase.faro.enabled (bc-wallet rum-helm)."""
    path = repo / "frontend/dist/config.json"
    path.write_text(json.dumps(json.loads(path.read_text()) | {"faroEnabled": True}))


def bc_wallet_env(receiver_url: str) -> dict[str, str]:
    return {"FARO_PROXY_ENABLED": "true", "FARO_PROXY_UPSTREAM_URL": receiver_url}


# vc-authn: the FastAPI controller (its Jinja pages, its /faro route) and the Nuxt 4 demo
def build_vc_authn(work: Path) -> Path:
    repo = apps.generated_repo(work / "vc-authn", "openwallet-foundation+acapy-vc-authn-oidc", "vc-authn")
    assets = repo / "html-templates/assets"  # the page assets the templates link (not in the sample)
    assets.mkdir()
    (assets / "fixture.css").write_text("body { font-family: sans-serif; }\n")
    (assets / "vue.fixture.js").write_text("document.documentElement.dataset.ready = 'true'\n")
    return repo


@contextmanager
def serve_vc_authn(repo: Path, env: dict[str, str]) -> Iterator[str]:
    port = apps.free_port()
    env = {"CONTROLLER_TEMPLATE_DIR": str(repo / "html-templates"), **env}
    cwd = repo / "oidc-controller"
    with apps.python_server("api.main:app", cwd, port, env, "/health") as server:
        yield server.origin


def vc_authn_pages(repo: Path) -> Surface:
    return Surface(
        "vc-authn-pages",
        "vc-authn-oidc",
        "/url/pres_exch/ex-1",
        "/faro",
        "/health",
        repo,
        partial(serve_vc_authn, repo),
    )


def build_nuxt(repo: Path) -> Surface:
    """The Nuxt demo's generated plugin and faro module, bundled with app.vue and the index page."""
    apps.link_node_modules(repo.parent)
    nuxt = repo / "demo/nuxt"
    harness = nuxt / ".harness"
    harness.mkdir()
    for name in ("nuxt-runtime.ts", "nuxt-entry.ts"):
        shutil.copy(STANDINS / name, harness / name)
    # what `nuxt prepare` writes: the ~ and @ aliases of srcDir app/
    (nuxt / ".nuxt").mkdir()
    (nuxt / ".nuxt/tsconfig.json").write_text(
        json.dumps({"compilerOptions": {"paths": {"~/*": ["../app/*"], "@/*": ["../app/*"]}}})
    )
    meta = apps.esbuild(
        nuxt,
        entryPoints=[".harness/nuxt-entry.ts"],
        outdir=".output/public/_nuxt",
        define=VUE_DEFINES,
        vue=True,
        **BROWSER_BUILD,
    )
    public = _nuxt_public_config(nuxt)

    @contextmanager
    def serve(env: dict[str, str]) -> Iterator[str]:
        config = public | {
            key: _destr(env[variable])
            for key in public
            if (variable := "NUXT_PUBLIC_" + _snake_upper(key)) in env
        }
        page = NUXT_INDEX.format(config=json.dumps({"config": {"public": config}}))
        (nuxt / ".output/public/index.html").write_text(page)
        with static_server(nuxt / ".output/public") as origin:
            yield origin

    return Surface(
        "vc-authn-nuxt",
        "vc-authn-oidc-demo",
        "/",
        "/faro",
        "/_nuxt/nuxt-entry.js",
        repo,
        serve,
        apps.sdk_chunks(meta),
    )


NUXT_INDEX = """\
<!doctype html>
<html><head><meta charset="utf-8" /><title>vc-authn demo</title>
<script>window.__NUXT__ = {config};</script></head>
<body><div id="__nuxt"></div><script type="module" src="/_nuxt/nuxt-entry.js"></script></body>
</html>
"""


def _nuxt_public_config(nuxt: Path) -> dict:
    """runtimeConfig.public of the generated nuxt.config.ts, evaluated by node."""
    out = nuxt / ".harness/config"
    apps.esbuild(nuxt, entryPoints=["nuxt.config.ts"], outdir=str(out), format="esm", platform="node",
                 banner={"js": "globalThis.defineNuxtConfig = (config) => config;"})  # fmt: skip
    script = f"const m = await import({json.dumps(str(out / 'nuxt.config.js'))});" + (
        "console.log(JSON.stringify(m.default.runtimeConfig.public))"
    )
    result = node.run(["node", "--input-type=module", "-e", script], cwd=nuxt)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _snake_upper(key: str) -> str:
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in key)


def _destr(value: str) -> object:
    """How Nuxt reads a NUXT_PUBLIC_* value (destr): JSON literals parsed, anything else a string."""
    try:
        return json.loads(value)
    except ValueError:
        return value


# didwebvh explorer: FastAPI + Jinja layouts
def build_didwebvh(work: Path) -> Surface:
    repo = apps.generated_repo(
        work / "didwebvh", "decentralized-identity+didwebvh-server-py", "didwebvh"
    )
    server = repo / "server"
    for name, target in (
        ("explorer.py", "app/routers/explorer.py"),
        ("identifiers.py", "app/routers/identifiers.py"),
        ("storage.py", "app/storage.py"),
        ("witnesses.py", "app/witnesses.py"),
    ):
        shutil.copy(STANDINS / "didwebvh" / name, server / target)
    for asset in ("app/static/css/explorer.css", "app/static/js/explorer.js"):
        (server / asset).parent.mkdir(parents=True, exist_ok=True)
        (server / asset).write_text("/* explorer asset (not in the sample) */\n")

    @contextmanager
    def serve(env: dict[str, str]) -> Iterator[str]:
        port = apps.free_port()
        with apps.python_server("app:app", server, port, env, "/api/health") as process:
            yield process.origin

    return Surface(
        "didwebvh", "didwebvh-explorer", "/api/explorer/", "/api/faro", "/api/health", repo, serve
    )


def python_env(receiver_url: str, *, collector_url: str | None = None) -> dict[str, str]:
    """What the vc-authn and didwebvh charts set with faro.enabled (rum-helm)."""
    env = {
        "FARO_ENABLED": "true",
        "FARO_PROXY_ENABLED": "true",
        "FARO_PROXY_UPSTREAM_URL": receiver_url,
    }
    return env | ({"FARO_COLLECTOR_URL": collector_url} if collector_url else {})


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    handler = partial(_QuietFiles, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass
