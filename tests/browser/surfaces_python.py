"""The FastAPI apps (the Jinja CDN snippet) and the vc-authn Nuxt demo, built and served for real.

- vc-authn: the controller (api.main) with its generated /faro router and the Faro global in each
  router's Jinja environment, serving its three HTML templates; run by uvicorn as the image runs it.
- didwebvh: the server's app package with its generated /api/faro router and the head.jinja
  snippet, serving the explorer's landing page (the real route, added to the sample's explorer).
- the vc-authn Nuxt demo: the generated client plugin and utils/faro.ts, bundled with app.vue and the
  index page (Nuxt's client start reduced to tests/browser/standins/nuxt-*.ts) and served as static
  files. As the recipe says, it has no proxy of its own: its collector URL is the controller's /faro,
  on another origin, which the controller's CORS middleware allows.

The pages load the SDK from jsDelivr; `serve_cdn_bundles` answers those URLs in the browser with the
pinned bundles from tools/node, so the browser checks their `integrity` attributes for real.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler
from pathlib import Path

from playwright.sync_api import BrowserContext, Route

from bot.checks.node import tools_dir
from tests.browser import apps
from tests.browser.surfaces import BROWSER_BUILD, STANDINS, VUE_DEFINES, Edit, Surface
from tests.helpers import loopback

VC_AUTHN = "openwallet-foundation+acapy-vc-authn-oidc"
CDN = "https://cdn.jsdelivr.net/npm/"


def _python_env(upstream: str | None) -> dict[str, str]:
    """What the vc-authn and didwebvh charts set with faro.enabled (rum-helm)."""
    if not upstream:
        return {}
    return {
        "FARO_ENABLED": "true",
        "FARO_PROXY_ENABLED": "true",
        "FARO_PROXY_UPSTREAM_URL": upstream,
    }


def build_vc_authn(work: Path) -> Path:
    repo = apps.generated_repo(work / "vc-authn", VC_AUTHN, "vc-authn")
    assets = repo / "html-templates/assets"  # what the templates link; not in the sample
    assets.mkdir()
    (assets / "fixture.css").write_text("body { font-family: sans-serif; }\n")
    (assets / "vue.fixture.js").write_text("document.documentElement.dataset.ready = 'true'\n")
    return repo


@contextmanager
def serve_controller(
    repo: Path, upstream: str | None, env: dict[str, str] | None = None
) -> Iterator[str]:
    port = apps.free_port()
    settings = {"CONTROLLER_TEMPLATE_DIR": str(repo / "html-templates"), **_python_env(upstream)}
    cwd = repo / "oidc-controller"
    with apps.python_server("api.main:app", cwd, port, settings | (env or {}), "/health") as origin:
        yield origin


def vc_authn_pages(repo: Path) -> Surface:
    return Surface(
        name="vc-authn-pages",
        app_name="vc-authn-oidc",
        page="/url/pres_exch/ex-1",  # wallet_howto.html; the other two get the same snippet
        faro_path="/faro",
        fetch_path="/health",
        root=repo,
        serve=partial(serve_controller, repo),
        text="Open this page on the phone that holds your wallet",
        cdn=True,
    )


# The real explorer router's landing page (the sample keeps only its JSON route)
EXPLORER_LANDING_PAGE = """

from fastapi import Request  # noqa: E402

from config import templates  # noqa: E402


@router.get("/")
async def explorer_index(request: Request):
    return templates.TemplateResponse(request=request, name="pages/index.jinja", context={})
"""


def build_didwebvh(work: Path, edit: Edit | None = None) -> Surface:
    repo = apps.generated_repo(
        work / "didwebvh", "decentralized-identity+didwebvh-server-py", "didwebvh"
    )
    if edit:
        edit(repo)
    server = repo / "server"
    with (server / "app/routers/explorer.py").open("a") as explorer:
        explorer.write(EXPLORER_LANDING_PAGE)
    for asset in ("app/static/css/explorer.css", "app/static/js/explorer.js"):
        (server / asset).parent.mkdir(parents=True, exist_ok=True)
        (server / asset).write_text("/* explorer asset (not in the sample) */\n")

    @contextmanager
    def serve(upstream: str | None, env: dict[str, str] | None = None) -> Iterator[str]:
        port = apps.free_port()
        settings = _python_env(upstream) | (env or {})
        with apps.python_server("app:app", server, port, settings, "/api/health") as origin:
            yield origin

    return Surface(
        name="didwebvh",
        app_name="didwebvh-explorer",
        page="/api/explorer/",
        faro_path="/api/faro",
        fetch_path="/api/health",
        root=repo,
        serve=serve,
        text="Look up a DID by its namespace and alias.",
        cdn=True,
    )


NUXT_INDEX = """\
<!doctype html>
<html><head><meta charset="utf-8" /><title>vc-authn demo</title><link rel="icon" href="data:," />
<script>window.__NUXT__ = {config};</script></head>
<body><div id="__nuxt"></div><script type="module" src="/_nuxt/nuxt-entry.js"></script></body>
</html>
"""


def build_nuxt(repo: Path) -> Surface:
    """The Nuxt demo of a generated vc-authn repo (build_vc_authn)."""
    apps.link_node_modules(repo.parent)
    nuxt = repo / "demo/nuxt"
    (nuxt / ".harness").mkdir()
    for name in ("nuxt-runtime.ts", "nuxt-entry.ts"):
        shutil.copy(STANDINS / name, nuxt / ".harness" / name)
    (nuxt / ".nuxt").mkdir()  # what `nuxt prepare` writes: the ~ and @ aliases of srcDir app/
    paths = {"~/*": ["../app/*"], "@/*": ["../app/*"]}
    (nuxt / ".nuxt/tsconfig.json").write_text(json.dumps({"compilerOptions": {"paths": paths}}))
    public_dir = nuxt / ".output/public"
    meta = apps.esbuild(
        nuxt,
        entryPoints=[".harness/nuxt-entry.ts"],
        outdir=str(public_dir / "_nuxt"),
        define=VUE_DEFINES,
        vue=True,
        **BROWSER_BUILD,
    )
    defaults = _nuxt_public_config(nuxt)
    assert defaults["faroEnabled"] is False  # the rum change set's default

    @contextmanager
    def serve(upstream: str | None, env: dict[str, str] | None = None) -> Iterator[str]:
        with _controller_for(repo, upstream) as controller:
            surface.collector_origin = controller
            settings = {}
            if controller:
                settings = {
                    "NUXT_PUBLIC_FARO_ENABLED": "true",
                    "NUXT_PUBLIC_FARO_COLLECTOR_URL": controller + "/faro",
                }
            settings |= env or {}
            config = defaults | {
                key: _destr(settings[name])
                for key in defaults
                if (name := "NUXT_PUBLIC_" + _snake_upper(key)) in settings
            }
            page = NUXT_INDEX.format(config=json.dumps({"config": {"public": config}}))
            (public_dir / "index.html").write_text(page)
            with static_server(public_dir) as origin:
                yield origin

    surface = Surface(
        name="vc-authn-nuxt",
        app_name="vc-authn-oidc-demo",
        page="/",
        faro_path="/faro",
        fetch_path="/_nuxt/nuxt-entry.js",
        root=repo,
        serve=serve,
        text="Sign in with a verifiable credential",
        sdk_chunks=apps.sdk_chunks(meta),
    )
    return surface


@contextmanager
def _controller_for(repo: Path, upstream: str | None) -> Iterator[str]:
    """The vc-authn controller whose /faro the demo sends to ('' when Faro is off)."""
    if not upstream:
        yield ""
        return
    with serve_controller(repo, upstream) as origin:
        yield origin


def _nuxt_public_config(nuxt: Path) -> dict:
    """runtimeConfig.public of the generated nuxt.config.ts, evaluated by node."""
    out = nuxt / ".harness/config"
    banner = {"js": "globalThis.defineNuxtConfig = (config) => config;"}
    apps.esbuild(nuxt, entryPoints=["nuxt.config.ts"], outdir=str(out), banner=banner,
                 format="esm", platform="node")  # fmt: skip
    script = (
        f"const m = await import({json.dumps(str(out / 'nuxt.config.js'))});"
        "console.log(JSON.stringify(m.default.runtimeConfig.public))"
    )
    return json.loads(apps.node_output(["node", "--input-type=module", "-e", script], nuxt))


def _snake_upper(key: str) -> str:
    return "".join(f"_{c}" if c.isupper() else c.upper() for c in key)


def _destr(value: str) -> object:
    """How Nuxt reads a NUXT_PUBLIC_* value (destr): JSON literals parsed, anything else a string."""
    try:
        return json.loads(value)
    except ValueError:
        return value


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    handler = partial(_QuietFiles, directory=str(directory))
    with loopback.running(loopback.QuietServer(("127.0.0.1", 0), handler)) as origin:
        yield origin


class _QuietFiles(SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


def serve_cdn_bundles(context: BrowserContext, *, tamper: bool = False) -> list[str]:
    """Answer jsDelivr's /npm/<package>@<version>/<file> URLs with the pinned packages' files
    (as jsDelivr does: CORS for any origin); the URLs served. `tamper` appends a byte to each."""
    served: list[str] = []

    def fulfil(route: Route) -> None:
        path = route.request.url.removeprefix(CDN)
        package, _, file = path.partition("/dist/")
        name, _, version = package.rpartition("@")
        directory = tools_dir() / "node_modules" / name
        manifest = directory / "package.json"
        if not manifest.is_file() or json.loads(manifest.read_text())["version"] != version:
            route.fulfill(status=404, body="not pinned here")
            return
        body = (directory / "dist" / file).read_bytes() + (b"\n" if tamper else b"")
        served.append(route.request.url)
        route.fulfill(
            status=200,
            body=body,
            headers={
                "content-type": "application/javascript; charset=utf-8",
                "access-control-allow-origin": "*",
            },
        )

    context.route(CDN + "**", fulfil)
    return served
