"""CRLF files stay CRLF: every line a codemod adds gets the file's own line ending (no mixed files).

One case per codemod that edits text by lines; the second run must change nothing.
"""

from __future__ import annotations

import pytest

from codemods.caddy import add_route
from codemods.helm import replace_line
from codemods.node import add_import, insert_first_import
from codemods.python import add_dependency
from codemods.web import insert_at_anchor, insert_head_snippet
from tests.helpers.codemod import assert_codemod

FARO_CDN = {
    "template": "faro-cdn.html",
    "marker": "faro-web-sdk",
    "values": {
        "app_name": "x",
        "sdk_version": "2.12.1",
        "sdk_integrity": "sha384-a",
        "tracing_version": "2.12.1",
        "tracing_integrity": "sha384-b",
    },
}

CASES = [
    pytest.param(
        insert_at_anchor,
        {"anchor": r"^app\.use\(json\(", "position": "before", "text": "a()\nb()\n"},
        "src/index.ts",
        "const app = x()\napp.use(json())\n",
        "const app = x()\na()\nb()\napp.use(json())\n",
        id="web.insert_at_anchor",
    ),
    pytest.param(
        insert_first_import,
        {"module": "./profiling", "comment": "first"},
        "src/index.ts",
        "import express from 'express'\n\nexpress()\n",
        "// first\nimport './profiling'\nimport express from 'express'\n\nexpress()\n",
        id="node.insert_first_import",
    ),
    pytest.param(
        add_import,
        {"module": "./faro", "names": ["initFaro"]},
        "src/index.ts",
        "import a from './a'\n\na()\n",
        "import a from './a'\nimport { initFaro } from './faro'\n\na()\n",
        id="node.add_import",
    ),
    pytest.param(
        add_import,
        {"module": "./faro", "names": ["initFaro"]},
        "src/index.ts",
        "import a from './a'\nimport b from './b'",
        "import a from './a'\nimport b from './b'\nimport { initFaro } from './faro'",
        id="node.add_import-at-end-without-final-newline",
    ),
    pytest.param(
        add_route,
        {"path": "/faro", "proxied": ["pass"]},
        "Caddyfile",
        ":3000 {\n    @pass {\n        path /api/*\n    }\n}",
        ":3000 {\n    @pass {\n        path /api/* /faro\n    }\n}",
        id="caddy.add_route",
    ),
    pytest.param(
        replace_line,
        {"find": "old: 1", "replace": "new: 1\nnew: 2\n"},
        "templates/x.yaml",
        "a:\n  old: 1\nb: 2\n",
        "a:\n  new: 1\n  new: 2\nb: 2\n",
        id="helm.replace_line",
    ),
    pytest.param(
        add_dependency,
        {"name": "pyroscope-io", "constraint": "^1.4.0"},
        "pyproject.toml",
        '[tool.poetry.dependencies]\npython = "^3.13"\nhttpx = "^0.28.1"\n',
        '[tool.poetry.dependencies]\npython = "^3.13"\nhttpx = "^0.28.1"\npyroscope-io = "^1.4.0"\n',
        id="python.add_dependency",
    ),
]


@pytest.mark.parametrize(("codemod", "params", "path", "before", "after"), CASES)
def test_crlf_file_gets_crlf_lines(codemod, params, path, before, after):
    crlf = before.replace("\n", "\r\n")
    result = assert_codemod(
        codemod, params, path=path, before=crlf, after=after.replace("\n", "\r\n"), dedent=False
    )
    assert result.count("\n") == result.count("\r\n")


def test_crlf_head_snippet_is_inserted_with_crlf_lines():
    before = "<head>\r\n  <title>t</title>\r\n</head>\r\n<body></body>\r\n"
    result = insert_head_snippet.apply(insert_head_snippet.Params(**FARO_CDN), "page.html", before)
    assert result.count("\n") == result.count("\r\n") > before.count("\r\n")
    assert result.endswith("  {% endif %}\r\n</head>\r\n<body></body>\r\n")
    assert (
        insert_head_snippet.apply(insert_head_snippet.Params(**FARO_CDN), "page.html", result)
        == result
    )
