from codemods.node import add_import
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged, run
from tests.helpers.parsers import assert_parses


def test_alphabetised_sibling_imports_get_the_sorted_slot():
    # BC-Wallet-Demo server: eslint import/order with alphabetize, groups separated by blank lines
    result = assert_codemod(
        add_import,
        {"module": "./handlers/faroProxy", "names": ["faroProxy"]},
        path="server/src/index.ts",
        before="""\
            import type { Express } from 'express'
            import 'reflect-metadata'

            import { json } from 'express'
            import mongoose from 'mongoose'

            import { runMigrations } from '../migrations/runner'

            import { connectDB } from './db/connection'
            import { serveOobInvitation } from './handlers/serveOobInvitation'
            import logger from './utils/logger'

            const baseRoute = process.env.BASE_ROUTE
        """,
        after="""\
            import type { Express } from 'express'
            import 'reflect-metadata'

            import { json } from 'express'
            import mongoose from 'mongoose'

            import { runMigrations } from '../migrations/runner'

            import { connectDB } from './db/connection'
            import { faroProxy } from './handlers/faroProxy'
            import { serveOobInvitation } from './handlers/serveOobInvitation'
            import logger from './utils/logger'

            const baseRoute = process.env.BASE_ROUTE
        """,
    )
    assert_parses("server/src/index.ts", result)


def test_last_in_sorted_group_and_side_effect_imports_are_ignored():
    # BC-Wallet-Demo frontend: './client/index.css' is an unassigned import, which import/order ignores
    assert_codemod(
        add_import,
        {"module": "./faro", "names": ["initFaro"]},
        path="frontend/src/index.tsx",
        before="""\
            import React from 'react'

            import AdminApp from './admin/AdminApp'
            import ClientApp from './client/App'
            import './client/index.css'
            import { baseRoute } from './client/api/BaseUrl'

            const container = document.getElementById('root') as HTMLElement
        """,
        after="""\
            import React from 'react'

            import AdminApp from './admin/AdminApp'
            import ClientApp from './client/App'
            import './client/index.css'
            import { baseRoute } from './client/api/BaseUrl'
            import { initFaro } from './faro'

            const container = document.getElementById('root') as HTMLElement
        """,
    )


def test_unsorted_imports_get_it_after_the_last_leading_import_in_file_style():
    # traction tenant-ui: relative imports not sorted; a stray import later in the file stays where it is
    assert_codemod(
        add_import,
        {"module": "./middleware/faroProxy.js", "names": ["faroProxy"]},
        path="services/tenant-ui/src/index.ts",
        before="""\
            import config from "config";

            import { router } from "./routes/router.js";
            import { logStartupBanner } from "./helpers/startbanner.js";

            const API_ROOT: string = config.get("server.apiPath");

            import history from "connect-history-api-fallback";
        """,
        after="""\
            import config from "config";

            import { router } from "./routes/router.js";
            import { logStartupBanner } from "./helpers/startbanner.js";
            import { faroProxy } from "./middleware/faroProxy.js";

            const API_ROOT: string = config.get("server.apiPath");

            import history from "connect-history-api-fallback";
        """,
    )


def test_vue_main_with_alias_imports_and_semicolons():
    result = assert_codemod(
        add_import,
        {"module": "@/plugins/faro", "names": ["initFaro"]},
        path="services/tenant-ui/frontend/src/main.ts",
        before="""\
            import router from './router';
            import { createApp } from 'vue';
            import i18n from '@/plugins/i18n/i18n';

            async function loadApp() {}
        """,
        after="""\
            import router from './router';
            import { createApp } from 'vue';
            import i18n from '@/plugins/i18n/i18n';
            import { initFaro } from '@/plugins/faro';

            async function loadApp() {}
        """,
    )
    assert_parses("services/tenant-ui/frontend/src/main.ts", result)


def test_existing_import_with_the_names_is_unchanged_otherwise_an_error():
    assert_unchanged(
        add_import,
        {"module": "./faro", "names": ["initFaro"]},
        path="src/index.tsx",
        text="import { initFaro, other } from './faro'\n",
    )
    for text in (
        "import { other } from './faro'\n",
        "import { initFaro as start } from './faro'\n",
    ):
        assert_codemod_error(
            add_import,
            {"module": "./faro", "names": ["initFaro"]},
            path="src/index.tsx",
            text=text,
            match="without initFaro",
        )


def test_file_without_imports_takes_the_style_of_its_statements():
    assert_codemod(
        add_import,
        {"module": "./a", "names": ["b"]},
        path="x.ts",
        before="// header\nconst c = 1",
        after='// header\nimport { b } from "./a"\nconst c = 1',
        dedent=False,
    )


def test_quote_style_comes_from_the_imports_not_from_jsx_attributes():
    # prettier keeps JSX attributes in double quotes even with singleQuote: true
    result = run(
        add_import,
        {"module": "./faro", "names": ["initFaro"]},
        "import A from './a'\n\nexport const X = () => (\n"
        '  <div id="a" title="b" role="c" lang="d">\n    <span className="e" />\n  </div>\n)\n',
        "frontend/src/index.tsx",
    )
    assert "import { initFaro } from './faro'\n" in result
