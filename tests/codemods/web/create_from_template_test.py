import re

import pytest

from codemods import _template
from codemods.web import create_from_template
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged, run
from tests.helpers.parsers import assert_parses

PROFILING = {
    "template": "pyroscope-init.ts",
    "values": {"app_name": "traction-tenant-ui", "server_address_env": "PYROSCOPE_SERVER_ADDRESS"},
}

PROFILING_TS = """\
// Grafana Pyroscope continuous profiling (wall-clock and heap). The entry point imports
// this module first. Nothing runs unless PYROSCOPE_SERVER_ADDRESS is set; then the SDK is
// loaded with import(), so without the variable nothing of it is loaded, and profiling
// never stops the service: a missing SDK or a failing init() is one process warning
// (stderr) and the service runs without profiling. The SDK reads the other PYROSCOPE_* variables itself
// (e.g. PYROSCOPE_WALL_COLLECT_CPU_TIME=true adds CPU time).
const serverAddress = process.env.PYROSCOPE_SERVER_ADDRESS;

if (serverAddress) {
  import("@pyroscope/nodejs")
    .then(({ default: Pyroscope }) => {
      Pyroscope.init({
        serverAddress,
        appName: process.env.PYROSCOPE_APPLICATION_NAME || "traction-tenant-ui",
      });
      Pyroscope.start();
    })
    .catch((error: unknown) => {
      process.emitWarning(`Pyroscope profiling not started: ${String(error)}`);
    });
}

// a module, not a script: its names stay its own
export {};
"""


def test_new_file_in_the_templates_own_style():
    result = assert_codemod(
        create_from_template,
        PROFILING,
        path="services/tenant-ui/src/profiling.ts",
        before="",
        after=PROFILING_TS,
    )
    assert_parses("services/tenant-ui/src/profiling.ts", result)
    assert "@grafana/pyroscope-nodejs" not in result  # the plan's name does not exist on npm


def test_single_quotes_without_semicolons_for_prettier_and_biome_repos():
    result = run(
        create_from_template,
        {**PROFILING, "quotes": "single", "semicolons": False},
        "",
        "src/profiling.ts",
    )
    assert result == (PROFILING_TS.replace('"', "'").replace(";\n", "\n"))
    assert_parses("server/src/profiling.ts", result)


def test_same_content_is_unchanged_other_content_is_not_overwritten():
    assert_unchanged(create_from_template, PROFILING, path="src/profiling.ts", text=PROFILING_TS)
    assert_codemod_error(
        create_from_template,
        PROFILING,
        path="src/profiling.ts",
        text="export {}\n",
        match="already exists with other content",
    )


def test_python_template_is_not_restyled():
    result = run(
        create_from_template,
        {
            "template": "faro_proxy_fastapi.py",
            "quotes": "single",
            "values": {"route_path": "/faro", "upstream_url": "http://alloy:12347/collect"},
        },
        "",
        "oidc-controller/api/routers/faro.py",
    )
    assert '@router.post("/faro", include_in_schema=False)' in result
    assert 'os.environ.get("FARO_PROXY_UPSTREAM_URL", "http://alloy:12347/collect")' in result
    assert_parses("oidc-controller/api/routers/faro.py", result)


@pytest.mark.parametrize(
    ("params", "match"),
    [
        ({"template": "nope.ts"}, r"no template 'nope.ts' \(known: .*pyroscope-init.ts"),
        (
            {"template": "pyroscope-init.ts", "values": {"app_name": "x"}},
            "needs values for: server_address_env",
        ),
        (
            {**PROFILING, "values": {**PROFILING["values"], "extra": "x"}},
            "has no placeholder for: extra",
        ),
        (
            {**PROFILING, "values": {**PROFILING["values"], "app_name": "a'b"}},
            "characters a template cannot take",
        ),
        ({**PROFILING, "quotes": "backtick"}, "quotes must be"),
    ],
)
def test_bad_parameters_fail_clearly(params, match):
    assert_codemod_error(create_from_template, params, path="src/x.ts", text="", match=match)


def test_every_template_renders_and_parses():
    values = {
        "app_name": "a",
        "server_address_env": "PYROSCOPE_SERVER_ADDRESS",
        "upstream_url": "http://alloy:12347/collect",
        "route_path": "/faro",
        "sdk_version": "2.12.1",
        "tracing_version": "2.12.1",
        "sdk_integrity": "sha384-x",
        "tracing_integrity": "sha384-y",
        "module": "plugin.v1_0",
    }
    for name in _template.names():
        text = _template.render(name, {key: values[key] for key in _template.placeholders(name)})
        assert not re.search(r"__[A-Z][A-Z0-9_]*__", text), name
        assert_parses(f"x/{name}", text)


def test_restyling_touches_string_literals_not_the_string_type():
    result = run(
        create_from_template,
        {
            "template": "faro-proxy-express.ts",
            "values": {"upstream_url": "http://alloy:12347/collect"},
            "quotes": "single",
            "semicolons": False,
        },
        "",
        "server/src/handlers/faroProxy.ts",
    )
    assert "const headers: Record<string, string> = {}" in result
    assert "const upstreamUrl = options.upstreamUrl || 'http://alloy:12347/collect'" in result
    assert '"' not in result  # every literal re-quoted
