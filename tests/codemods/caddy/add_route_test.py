import pytest

from codemods.caddy import add_route
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

COMPOSE = {
    "path": "{$VITE_BASE_ROUTE}/faro",
    "proxied": ["pass"],
    "excluded": ["spa_router", "encode_static"],
}
BASE = "{{ .Values.showcase.baseRoute }}"
CHART = {"path": f"{BASE}/faro", "proxied": ["pass"], "excluded": ["spa_router", "encode_static"]}


def test_docker_compose_caddyfile_without_final_newline():
    # BC-Wallet-Demo frontend/Caddyfile: nested `not { ... }` inside @spa_router must stay untouched
    assert_codemod(
        add_route,
        COMPOSE,
        path="frontend/Caddyfile",
        before="""\
:3000 {
    header {
        Content-Security-Policy "default-src * data: blob: 'unsafe-inline'";
    }
    @encode_static {
        not path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr
    }
    encode @encode_static zstd gzip
    handle {$VITE_BASE_ROUTE}* {
        @spa_router {
            not path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr
            not {
                path {$VITE_BASE_ROUTE}/admin/*
                not path {$VITE_BASE_ROUTE}/admin/callback
            }
            file {
                try_files {path} {$VITE_BASE_ROUTE}/index.html
            }
        }
        rewrite @spa_router {http.matchers.file.relative}
        # pass API requests to backend
        @pass {
            path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr
        }
        reverse_proxy @pass backend:5000
    }
}""",
        after="""\
:3000 {
    header {
        Content-Security-Policy "default-src * data: blob: 'unsafe-inline'";
    }
    @encode_static {
        not path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr {$VITE_BASE_ROUTE}/faro
    }
    encode @encode_static zstd gzip
    handle {$VITE_BASE_ROUTE}* {
        @spa_router {
            not path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr {$VITE_BASE_ROUTE}/faro
            not {
                path {$VITE_BASE_ROUTE}/admin/*
                not path {$VITE_BASE_ROUTE}/admin/callback
            }
            file {
                try_files {path} {$VITE_BASE_ROUTE}/index.html
            }
        }
        rewrite @spa_router {http.matchers.file.relative}
        # pass API requests to backend
        @pass {
            path {$VITE_BASE_ROUTE}/demo/* {$VITE_BASE_ROUTE}/qr {$VITE_BASE_ROUTE}/faro
        }
        reverse_proxy @pass backend:5000
    }
}""",
        dedent=False,
    )


def test_helm_template_with_go_actions_and_after():
    assert_codemod(
        add_route,
        {**CHART, "after": f"{BASE}/agent/ready"},
        path="charts/showcase/files/caddyfile.tpl",
        before=f"""\
            :{{{{ .Values.showcase.frontend.containerPort }}}} {{
                @admin_api {{
                    {{{{- include "showcase.caddyAdminApiMatcherLines" . | nindent 8 }}}}
                }}
                @encode_static {{
                    not path {BASE}/demo/* {BASE}/agent/* {BASE}/qr
                }}
                handle {BASE}* {{
                    @spa_router {{
                        not {{
                            {{{{- include "showcase.caddyAdminApiMatcherLines" . | nindent 16 }}}}
                        }}
                        not path {BASE}/demo/* {BASE}/agent/ready {BASE}/qr
                    }}
                    @pass {{
                        path {BASE}/demo/* {BASE}/agent/ready {BASE}/qr
                    }}
                }}
            }}
        """,
        after=f"""\
            :{{{{ .Values.showcase.frontend.containerPort }}}} {{
                @admin_api {{
                    {{{{- include "showcase.caddyAdminApiMatcherLines" . | nindent 8 }}}}
                }}
                @encode_static {{
                    not path {BASE}/demo/* {BASE}/agent/* {BASE}/qr {BASE}/faro
                }}
                handle {BASE}* {{
                    @spa_router {{
                        not {{
                            {{{{- include "showcase.caddyAdminApiMatcherLines" . | nindent 16 }}}}
                        }}
                        not path {BASE}/demo/* {BASE}/agent/ready {BASE}/faro {BASE}/qr
                    }}
                    @pass {{
                        path {BASE}/demo/* {BASE}/agent/ready {BASE}/faro {BASE}/qr
                    }}
                }}
            }}
        """,
    )


def test_one_line_matcher_form():
    assert_codemod(
        add_route,
        {"path": "/faro", "proxied": ["api"]},
        path="Caddyfile",
        before="example.com {\n    @api path /api/*\n    reverse_proxy @api app:8080\n}\n",
        after="example.com {\n    @api path /api/* /faro\n    reverse_proxy @api app:8080\n}\n",
        dedent=False,
    )


def test_trailing_comment_stays_after_the_paths():
    assert_codemod(
        add_route,
        {"path": "/faro", "proxied": ["api"], "excluded": ["spa"]},
        path="Caddyfile",
        before="x {\n    @api path /api/*  # backend routes\n    @spa {\n        not path /api/* #no space\n    }\n}\n",
        after="x {\n    @api path /api/* /faro  # backend routes\n    @spa {\n        not path /api/* /faro #no space\n    }\n}\n",
        dedent=False,
    )


def test_trailing_whitespace_and_after_keep_their_place():
    assert_codemod(
        add_route,
        {"path": "/faro", "proxied": ["api"], "after": "/a"},
        path="Caddyfile",
        before="x {\n    @api path /a /b # a, then b \n    @other path /z   \n}\n",
        after="x {\n    @api path /a /faro /b # a, then b \n    @other path /z   \n}\n",
        dedent=False,
    )


def test_mixed_line_endings_keep_the_carriage_return_of_the_edited_line():
    # not all CRLF, so lines are split on LF and the edited line keeps its own \r
    assert_codemod(
        add_route,
        {"path": "/faro", "proxied": ["api"]},
        path="Caddyfile",
        before="x {\r\n    @api path /a\r\n}\n",
        after="x {\r\n    @api path /a /faro\r\n}\n",
        dedent=False,
    )


def test_path_already_routed_is_unchanged():
    assert_unchanged(
        add_route,
        {"path": "/faro", "proxied": ["api"], "excluded": ["spa"]},
        path="Caddyfile",
        text="x {\n    @api path /faro\n    @spa {\n        not path /faro\n    }\n}\n",
        dedent=False,
    )


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("x {\n    @api path /a\n", "1 unclosed"),
        ("x {\n}\n}\n", "unmatched }"),
        ("x {\n    @other path /a\n}\n", "defines @api 0 times"),
        ("x {\n    @api path /a\n}\ny {\n    @api path /b\n}\n", "defines @api 2 times"),
        ("x {\n    @api {\n        header X y\n    }\n}\n", "has 0 direct `path` lines"),
        ("x {\n    @api header X y\n}\n", "@api has no path list"),
    ],
)
def test_unsafe_files_fail_clearly(text, match):
    assert_codemod_error(
        add_route,
        {"path": "/faro", "proxied": ["api"]},
        path="Caddyfile",
        text=text,
        match=match,
        dedent=False,
    )


def test_after_missing_on_a_line_appends_there():
    assert_codemod(
        add_route,
        {"path": "/faro", "proxied": ["api"], "after": "/nope"},
        path="Caddyfile",
        before="x {\n    @api path /a\n}\n",
        after="x {\n    @api path /a /faro\n}\n",
        dedent=False,
    )


WHEN = "and .Values.showcase.faro.enabled .Values.showcase.faro.proxy.enabled"


def test_helm_template_route_behind_a_chart_switch():
    # {{- trims the space before it: with the switch off the line renders exactly as before
    guarded = f"{{{{- if {WHEN} }}}} {BASE}/faro{{{{ end }}}}"
    assert_codemod(
        add_route,
        {**CHART, "when": WHEN},
        path="charts/showcase/files/caddyfile.tpl",
        before=f"""\
            @encode_static {{
                not path {BASE}/demo/* {BASE}/qr
            }}
            handle {BASE}* {{
                @spa_router {{
                    not path {BASE}/demo/* {BASE}/qr  # the SPA gets the rest
                }}
                @pass {{
                    path {BASE}/demo/* {BASE}/qr
                }}
            }}
        """,
        after=f"""\
            @encode_static {{
                not path {BASE}/demo/* {BASE}/qr {guarded}
            }}
            handle {BASE}* {{
                @spa_router {{
                    not path {BASE}/demo/* {BASE}/qr {guarded}  # the SPA gets the rest
                }}
                @pass {{
                    path {BASE}/demo/* {BASE}/qr {guarded}
                }}
            }}
        """,
    )


def test_route_already_there_unconditionally_is_an_error_with_when():
    assert_codemod_error(
        add_route,
        {"path": "/faro", "proxied": ["api"], "when": ".Values.faro.enabled"},
        path="caddyfile.tpl",
        text="x {\n    @api path /a /faro\n}\n",
        match="already routes /faro unconditionally",
        dedent=False,
    )


def test_when_is_a_bare_condition():
    assert_codemod_error(
        add_route,
        {"path": "/faro", "proxied": ["api"], "when": "{{ .Values.faro.enabled }}"},
        path="caddyfile.tpl",
        text="x {\n    @api path /a\n}\n",
        match="is a condition, without",
        dedent=False,
    )
