"""The TypeScript the recipes write type-checks (tsc --strict) against the real typings.

Each case runs the change sets' own TS steps (loaded by bot.campaign.load, applied by bot.rollout.changes) on
small stand-ins for the files they edit, which keep the recipes' anchors and the names the inserted
code uses, then type-checks the result as each repository builds it: NodeNext ESM with Express 5
(traction tenant-ui, the mediator), CommonJS with Express 4 (BC-Wallet-Demo server, credo's
sample), and the browser bundle with the Faro SDK's own types (Vite, Nuxt).
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.campaign.load import load_campaign
from bot.rollout.changes import apply_steps
from tests.helpers import node

ROOT = Path(__file__).resolve().parents[2]
CAMPAIGN = load_campaign(ROOT)
_SCRIPTS = (".ts", ".tsx")


def _patch(
    work: Path, service: str, changes: list[str], under: str, files: dict[str, str]
) -> list[str]:
    """Write the stand-ins under work/<service>, run the change sets' TS steps for files `under`
    that directory there; the TS files."""
    repo = work / service
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    steps = [
        step
        for change in CAMPAIGN.change_sets([service])
        if change.key in changes
        for step in change.steps
        if step.path.startswith(under) and step.path.endswith(_SCRIPTS)
    ]
    assert steps, f"{service} {changes}: no TypeScript steps"
    edits = apply_steps(tuple(steps), repo)
    assert not edits.error, edits.error
    assert {step.path for step in steps} <= set(edits.files), "a step changed nothing"
    return [
        f"{service}/{path}" for path in sorted({*files, *edits.files}) if path.endswith(_SCRIPTS)
    ]


def _tsc(work: Path, files: list[str], compiler_options: dict, package_type: str) -> None:
    tools = node.require("typescript", "@types/node", "@types/express", "@types/express4")
    (work / "node_modules").symlink_to(tools / "node_modules")
    (work / "package.json").write_text(json.dumps({"type": package_type}))
    options = {
        "strict": True,
        "noEmit": True,
        "skipLibCheck": True,
        "target": "es2022",
        **compiler_options,
    }
    (work / "tsconfig.json").write_text(json.dumps({"compilerOptions": options, "files": files}))
    result = node.run([node.bin_path("tsc"), "-p", "tsconfig.json"], cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr


# node-config's own typing of config.get (the package is not in tools/node)
NODE_CONFIG = (
    'declare module "config" {\n'
    "  const config: { get<T>(setting: string): T };\n"
    "  export default config;\n"
    "}\n"
)


def test_node_esm_with_express_5(tmp_path):
    traction = _patch(
        tmp_path,
        "traction",
        ["profiling", "rum"],
        "services/tenant-ui/src/",
        {
            "services/tenant-ui/src/index.ts": (
                'import config from "config";\n'
                'import express from "express";\n\n'
                "const app = express();\n\n"
                "app.use(express.json());\n"
                'app.listen(Number(config.get("server.port")));\n'
            ),
        },
    )
    mediator = _patch(
        tmp_path,
        "mediator",
        ["profiling"],
        "apps/mediator/",
        {
            "apps/mediator/src/index.ts": "import process from 'node:process'\n\nprocess.exitCode = 0\n"
        },
    )
    (tmp_path / "node-config.d.ts").write_text(NODE_CONFIG)
    options = {"module": "NodeNext", "moduleResolution": "NodeNext", "types": ["node"]}
    _tsc(tmp_path, [*traction, *mediator, "node-config.d.ts"], options, "module")


def test_commonjs_with_express_4(tmp_path):
    bc_wallet = _patch(
        tmp_path,
        "bc-wallet",
        ["profiling", "rum"],
        "server/",
        {
            "server/src/index.ts": (
                "import { json } from 'express'\n"
                "import express from 'express'\n\n"
                "const app = express()\n"
                "const baseRoute = process.env.BASE_ROUTE ?? '/digital-trust/showcase'\n\n"
                "const run = async () => {\n"
                "  app.use(json({ limit: '10mb' }))\n"
                "  app.listen(5000)\n"
                "}\n\n"
                "void run()\n"
            ),
        },
    )
    credo = _patch(
        tmp_path,
        "credo",
        ["profiling"],
        "samples/",
        {
            "samples/mediator.ts": "import { createServer } from 'node:http'\n\ncreateServer().listen(0)\n"
        },
    )
    options = {
        "module": "commonjs",
        "esModuleInterop": True,
        "types": ["node"],
        "paths": {"express": ["./node_modules/@types/express4/index.d.ts"]},
    }
    _tsc(tmp_path, [*bc_wallet, *credo], options, "commonjs")


# What Vite (vite/client) and Nuxt (auto-imports, runtime config typed from nuxt.config) declare.
BROWSER_GLOBALS = """\
interface ImportMetaEnv { readonly BASE_URL: string }
interface ImportMeta { readonly env: ImportMetaEnv }
declare function defineNuxtConfig(config: object): object
declare function defineNuxtPlugin(plugin: (nuxtApp: unknown) => void | Promise<void>): unknown
declare function useRuntimeConfig(): {
  public: { presReqConfId: string; faroEnabled: boolean; faroCollectorUrl: string }
}
"""


def test_browser_code_against_the_faro_sdk_types(tmp_path):
    node.require("@grafana/faro-web-sdk", "@grafana/faro-web-tracing")
    traction = _patch(
        tmp_path,
        "traction",
        ["rum"],
        "services/tenant-ui/frontend/",
        {
            "services/tenant-ui/frontend/src/main.ts": (
                "import { useConfigStore } from './store/configStore';\n\n"
                "async function loadApp() {\n"
                "  const configStore = useConfigStore();\n"
                "  await configStore.load();\n"
                "  document.body.dataset.mounted = 'true';\n"
                "}\n\n"
                "void loadApp();\n"
            ),
            # traction's pinia store keeps the /config response as `any`
            "services/tenant-ui/frontend/src/store/configStore.ts": (
                "// eslint-disable-next-line @typescript-eslint/no-explicit-any\n"
                "export declare function useConfigStore(): { config: any; load(): Promise<void> };\n"
            ),
            "services/tenant-ui/frontend/vite.config.ts": (
                "const proxyObject = { target: 'http://localhost:8080' };\n\n"
                "export default {\n"
                "  server: {\n"
                "    proxy: {\n"
                "      '/api': proxyObject,\n"
                "      '/config': proxyObject,\n"
                "    },\n"
                "  },\n"
                "};\n"
            ),
        },
    )
    bc_wallet = _patch(
        tmp_path,
        "bc-wallet",
        ["rum"],
        "frontend/",
        {
            "frontend/src/index.tsx": (
                "const container = document.getElementById('root') as HTMLElement\n"
                "container.append('rendered')\n"
            ),
        },
    )
    vc_authn = _patch(
        tmp_path,
        "vc-authn",
        ["rum"],
        "demo/nuxt/",
        {
            "demo/nuxt/nuxt.config.ts": (
                "export default defineNuxtConfig({\n"
                "  runtimeConfig: {\n"
                "    public: {\n"
                "      presReqConfId: '',\n"
                "    },\n"
                "  },\n"
                "})\n"
            ),
        },
    )
    (tmp_path / "browser-globals.d.ts").write_text(BROWSER_GLOBALS)
    options = {
        "module": "esnext",
        "moduleResolution": "bundler",
        "lib": ["ES2022", "DOM"],
        "types": [],
        "paths": {
            "@/*": ["./traction/services/tenant-ui/frontend/src/*"],
            "~/*": ["./vc-authn/demo/nuxt/app/*"],
        },
    }
    files = [*traction, *bc_wallet, *vc_authn, "browser-globals.d.ts"]
    _tsc(tmp_path, files, options, "module")
