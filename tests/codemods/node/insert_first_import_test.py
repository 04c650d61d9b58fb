import pytest

from codemods.node import insert_first_import
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged, run
from tests.helpers.parsers import assert_parses

WHY = "Profiling starts before anything else loads"


def test_esm_double_quotes_semicolons_and_js_suffix():
    # traction tenant-ui server (NodeNext ESM, prettier double quotes)
    result = assert_codemod(
        insert_first_import,
        {"module": "./profiling.js", "comment": WHY},
        path="services/tenant-ui/src/index.ts",
        before="""\
            import config from "config";
            import cors from "cors";

            import { router } from "./routes/router.js";

            const app = express();
        """,
        after="""\
            // Profiling starts before anything else loads
            import "./profiling.js";
            import config from "config";
            import cors from "cors";

            import { router } from "./routes/router.js";

            const app = express();
        """,
    )
    assert_parses("services/tenant-ui/src/index.ts", result)


def test_goes_before_an_existing_side_effect_import_without_semicolons():
    # didcomm-mediator-credo (biome: single quotes, semicolons as needed)
    assert_codemod(
        insert_first_import,
        {"module": "./instrumentation.js"},
        path="apps/mediator/src/index.ts",
        before="""\
            import '@openwallet-foundation/askar-nodejs'
            import {
              DidCommOutOfBandRecord,
              DidCommOutOfBandRepository,
            } from '@credo-ts/didcomm'
            import { createAgent } from './agent.js'
        """,
        after="""\
            import './instrumentation.js'
            import '@openwallet-foundation/askar-nodejs'
            import {
              DidCommOutOfBandRecord,
              DidCommOutOfBandRepository,
            } from '@credo-ts/didcomm'
            import { createAgent } from './agent.js'
        """,
    )


def test_commonjs_typescript_with_a_type_import_first():
    # BC-Wallet-Demo server: compiled to CommonJS; import type is erased, so ours runs first
    result = assert_codemod(
        insert_first_import,
        {"module": "./profiling"},
        path="server/src/index.ts",
        before="""\
            import type { Express } from 'express'
            import 'reflect-metadata'

            import { json } from 'express'
        """,
        after="""\
            import './profiling'
            import type { Express } from 'express'
            import 'reflect-metadata'

            import { json } from 'express'
        """,
    )
    assert_parses("server/src/index.ts", result)


def test_header_comment_stays_on_top():
    # credo-ts samples/mediator.ts (run by vite-node; relative imports without suffix)
    assert_codemod(
        insert_first_import,
        {"module": "./profiling"},
        path="samples/mediator.ts",
        before="""\
            /**
             * This file contains a sample mediator.
             */

            import { AskarModule } from '@credo-ts/askar'
            import { TestLogger } from '../packages/core/tests/logger'
        """,
        after="""\
            /**
             * This file contains a sample mediator.
             */

            import './profiling'
            import { AskarModule } from '@credo-ts/askar'
            import { TestLogger } from '../packages/core/tests/logger'
        """,
    )


def test_already_first_after_type_imports_is_unchanged():
    assert_unchanged(
        insert_first_import,
        {"module": "./profiling"},
        path="server/src/index.ts",
        text="import type { Express } from 'express'\nimport './profiling'\nimport 'reflect-metadata'\n",
    )


def test_file_without_imports_gets_it_above_the_first_statement():
    assert_codemod(
        insert_first_import,
        {"module": "./profiling.js"},
        path="src/main.mjs",
        before="#!/usr/bin/env node\n// entry\nmain();\n",
        after='#!/usr/bin/env node\n// entry\nimport "./profiling.js";\nmain();\n',
        dedent=False,
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("import a from 'a'\nimport './profiling'\n", "not first"),
        ("import { x } from './x.js'\n", r"end in \.js \(NodeNext\); write ./profiling.js"),
        ("import { x from './x'\n", "does not parse"),
    ],
)
def test_unsafe_inputs_fail_clearly(text, match):
    assert_codemod_error(
        insert_first_import, {"module": "./profiling"}, path="src/index.ts", text=text, match=match
    )


def test_utf8_before_the_insertion_point_keeps_offsets_right():
    result = run(
        insert_first_import, {"module": "./p.js"}, "// café ☕\nimport a from 'a'\n", "x.ts"
    )
    assert result == "// café ☕\nimport './p.js'\nimport a from 'a'\n"
