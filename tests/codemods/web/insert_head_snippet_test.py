import textwrap

import pytest

from codemods import CodemodError
from codemods.web import insert_head_snippet
from tests.helpers.codemod import assert_codemod, assert_codemod_error, run
from tests.helpers.parsers import assert_parses

SRI = {
    "sdk_integrity": "sha384-l6Jzfv+lACs+s0S3b/ZzFKwCcMSqlSIAZHSVmK7zGeHg62sjKQgKJFnTYmkqLNBr",
    "tracing_integrity": "sha384-GYXsSpSw1wyk0NGU1Sr3ueuCEPoOJRkS9l2BMVi8U57POeJm+PgV9e8pFRufOoBs",
}
FARO = {
    "template": "faro-cdn.html",
    "marker": "faro-web-sdk",
    "values": {
        "app_name": "didwebvh-explorer",
        "sdk_version": "2.12.1",
        "tracing_version": "2.12.1",
        **SRI,
    },
}


def test_head_jinja_without_final_newline_and_head_end_at_column_zero():
    # didwebvh server/app/templates/components/head.jinja: 4-space indent, ends with "</head>", no newline
    result = assert_codemod(
        insert_head_snippet,
        FARO,
        path="server/app/templates/components/head.jinja",
        before='<head>\n    <meta charset="utf-8">\n    <style>\n        :root { --x: 1; }\n    </style>\n</head>',
        after="""<head>
    <meta charset="utf-8">
    <style>
        :root { --x: 1; }
    </style>
    {% if faro_collector_url %}
    <!-- Grafana Faro browser monitoring (RUM); rendered only when Faro is enabled -->
    <script defer src="https://cdn.jsdelivr.net/npm/@grafana/faro-web-sdk@2.12.1/dist/bundle/faro-web-sdk.iife.js" \
integrity="sha384-l6Jzfv+lACs+s0S3b/ZzFKwCcMSqlSIAZHSVmK7zGeHg62sjKQgKJFnTYmkqLNBr" crossorigin="anonymous"></script>
    <script defer src="https://cdn.jsdelivr.net/npm/@grafana/faro-web-tracing@2.12.1/dist/bundle/faro-web-tracing.iife.js" \
integrity="sha384-GYXsSpSw1wyk0NGU1Sr3ueuCEPoOJRkS9l2BMVi8U57POeJm+PgV9e8pFRufOoBs" crossorigin="anonymous"></script>
    <script>
      // deferred scripts run, in order, before DOMContentLoaded
      document.addEventListener("DOMContentLoaded", function () {
        var sdk = window.GrafanaFaroWebSdk;
        var tracing = window.GrafanaFaroWebTracing;
        if (!sdk || !tracing) {
          // blocked, unreachable or refused by its integrity hash: the page goes on without Faro
          console.warn("Grafana Faro did not start: its scripts did not load");
          return;
        }
        sdk.initializeFaro({
          url: new URL({{ faro_collector_url|tojson }}, window.location.href).toString(),
          app: { name: "didwebvh-explorer" },
        });
        sdk.faro.instrumentations.add(new tracing.TracingInstrumentation());
      });
    </script>
    {% endif %}
</head>""",
        dedent=False,
    )
    assert_parses("server/app/templates/components/head.jinja", result)


def test_vc_authn_page_two_space_indent_keeps_other_jinja_and_vue_delimiters():
    before = """\
        <html>
          <head>
            <title>{{ title }}</title>
          </head>
          <body><div id="app">[[ message ]]</div></body>
        </html>
    """
    result = run(
        insert_head_snippet,
        FARO,
        textwrap.dedent(before),
        "html-templates/ver_config_explorer.html",
    )
    lines = result.split("\n")
    assert lines[3] == "    {% if faro_collector_url %}"
    assert "  </head>" in lines
    assert_parses("html-templates/ver_config_explorer.html", result)
    assert (
        run(insert_head_snippet, FARO, result, "html-templates/ver_config_explorer.html") == result
    )


def test_rendering_respects_the_enabled_flag_and_escapes_the_url():
    from jinja2 import BaseLoader, Environment

    page = run(insert_head_snippet, FARO, "<html><head>\n</head><body></body></html>\n", "t.html")
    assert run(insert_head_snippet, FARO, page, "t.html") == page
    env = Environment(loader=BaseLoader(), autoescape=True)
    assert "faro-web-sdk" not in env.from_string(page).render()
    assert "faro-web-sdk" not in env.from_string(page).render(faro_collector_url="")
    on = env.from_string(page).render(faro_collector_url="/faro</script>")
    assert 'new URL("/faro\\u003c/script\\u003e", window.location.href)' in on
    assert 'integrity="sha384-l6Jzfv' in on and 'crossorigin="anonymous"' in on
    assert 'app: { name: "didwebvh-explorer" }' in on


def test_head_end_on_a_line_with_other_markup_gets_its_own_line():
    result = run(insert_head_snippet, FARO, "<head><title>t</title></head>\n", "x.html")
    lines = result.split("\n")
    assert lines[0] == "<head><title>t</title>"
    assert lines[1] == "  {% if faro_collector_url %}"
    assert lines[-2:] == ["</head>", ""]
    assert run(insert_head_snippet, FARO, result, "x.html") == result


@pytest.mark.parametrize(
    ("text", "match"),
    [("<html></html>", "has 0 </head> tags"), ("<head></head><head></head>", "has 2 </head> tags")],
)
def test_pages_without_exactly_one_head_fail(text, match):
    assert_codemod_error(
        insert_head_snippet, FARO, path="x.html", text=text, match=match, dedent=False
    )


def test_template_values_are_checked():
    with pytest.raises(CodemodError, match="needs values for: app_name"):
        run(
            insert_head_snippet,
            {**FARO, "values": {k: v for k, v in FARO["values"].items() if k != "app_name"}},
            "<head></head>",
            "x.html",
        )
    with pytest.raises(CodemodError, match="characters a template cannot take"):
        run(
            insert_head_snippet,
            {**FARO, "values": {**FARO["values"], "app_name": 'x" onload="'}},
            "<head></head>",
            "x.html",
        )
