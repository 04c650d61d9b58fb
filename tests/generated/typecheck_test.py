"""The generated TypeScript type-checks (tsc --strict) against the real typings, as each repo builds it.

NodeNext ESM with Express 5 (traction tenant-ui, the mediator), CommonJS with Express 4
(BC-Wallet-Demo server), and the browser bundle with the Faro SDK's own types (Vite, Nuxt).
"""

from __future__ import annotations

import json
from pathlib import Path

from codemods.web import create_from_template
from tests.helpers import node

UPSTREAM = {"upstream_url": "http://alloy:12347/collect"}
PROFILING = {"app_name": "x-app", "server_address_env": "PYROSCOPE_SERVER_ADDRESS"}


def _render(template: str, values: dict | None = None, **style) -> str:
    return create_from_template.render(
        create_from_template.Params(template=template, values=values, **style)
    )


def _tsc(work: Path, files: dict[str, str], compiler_options: dict, package_type: str) -> None:
    tools = node.require("typescript", "@types/node", "@types/express", "@types/express4")
    for name, text in files.items():
        (work / name).parent.mkdir(parents=True, exist_ok=True)
        (work / name).write_text(text)
    (work / "node_modules").symlink_to(tools / "node_modules")
    (work / "package.json").write_text(json.dumps({"type": package_type}))
    options = {
        "strict": True,
        "noEmit": True,
        "skipLibCheck": True,
        "target": "es2022",
        **compiler_options,
    }
    (work / "tsconfig.json").write_text(
        json.dumps({"compilerOptions": options, "files": sorted(files)})
    )
    result = node.run([node.bin_path("tsc"), "-p", "tsconfig.json"], cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr


def test_node_esm_with_express_5(tmp_path):
    style = {"quotes": "double", "semicolons": True}
    usage = (
        'import express from "express";\n'
        'import { faroProxy } from "./faroProxy.js";\n'
        'const setting: unknown = "true";\n'
        "const app = express();\n"
        'app.post("/faro", faroProxy({ enabled: String(setting) === "true", upstreamUrl: undefined }));\n'
    )
    files = {
        "profiling.ts": _render("pyroscope-init.ts", PROFILING, **style),
        "faroProxy.ts": _render("faro-proxy-express.ts", UPSTREAM, **style),
        "index.ts": 'import "./profiling.js";\n' + usage,
    }
    options = {"module": "NodeNext", "moduleResolution": "NodeNext", "types": ["node"]}
    _tsc(tmp_path, files, options, "module")


def test_commonjs_with_express_4(tmp_path):
    style = {"quotes": "single", "semicolons": False}
    usage = (
        "import { json } from 'express'\n"
        "import express from 'express'\n\n"
        "import { faroProxy } from './handlers/faroProxy'\n\n"
        "const app = express()\n"
        "const baseRoute = process.env.BASE_ROUTE\n"
        "const faroEnabled = process.env.FARO_PROXY_ENABLED === 'true'\n"
        "app.post(baseRoute + '/faro', faroProxy({ enabled: faroEnabled, upstreamUrl: process.env.X }))\n"
        "app.use(json({ limit: '10mb' }))\n"
    )
    files = {
        "profiling.ts": _render("pyroscope-init.ts", PROFILING, **style),
        "handlers/faroProxy.ts": _render("faro-proxy-express.ts", UPSTREAM, **style),
        "index.ts": "import './profiling'\n" + usage,
    }
    options = {
        "module": "commonjs",
        "esModuleInterop": True,
        "types": ["node"],
        "paths": {"express": ["./node_modules/@types/express4/index.d.ts"]},
    }
    _tsc(tmp_path, files, options, "commonjs")


def test_browser_module_and_nuxt_plugin_against_the_faro_sdk_types(tmp_path):
    node.require("@grafana/faro-web-sdk", "@grafana/faro-web-tracing")
    style = {"quotes": "single", "semicolons": False}
    nuxt_globals = (
        "declare function defineNuxtPlugin(plugin: () => void): unknown\n"
        "declare function useRuntimeConfig(): {\n"
        "  public: { faroEnabled: boolean; faroCollectorUrl: string }\n"
        "}\n"
    )
    bc_wallet_call = (
        "import { initFaro } from './app/utils/faro'\n"
        "void fetch('/config.json')\n"
        "  .then((response) => response.json())\n"
        "  .then((config) => initFaro({ name: 'x' }, { enabled: config.faroEnabled, "
        "collectorUrl: config.faroCollectorUrl }))\n"
    )
    files = {
        "app/utils/faro.ts": _render("faro-web.ts", **style),
        "app/plugins/faro.client.ts": _render("faro-nuxt-plugin.ts", {"app_name": "demo"}, **style),
        "nuxt-globals.d.ts": nuxt_globals,
        "index.ts": bc_wallet_call,
    }
    options = {
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["ES2022", "DOM"],
        "types": [],
        "paths": {"~/*": ["./app/*"]},
    }
    _tsc(tmp_path, files, options, "module")
