import pytest

from codemods.helm import add_template_env
from tests.helpers.codemod import assert_codemod, assert_codemod_error

PYROSCOPE = {
    "env": [
        {
            "name": "PYROSCOPE_SERVER_ADDRESS",
            "value": '{{ required "pyroscope.serverAddress is required" .Values.pyroscope.serverAddress | quote }}',
        }
    ],
    "condition": ".Values.pyroscope.enabled",
}
BLOCK_12 = """\
            {{- if .Values.pyroscope.enabled }}
            - name: PYROSCOPE_SERVER_ADDRESS
              value: {{ required "pyroscope.serverAddress is required" .Values.pyroscope.serverAddress | quote }}
            {{- end }}
"""


def test_after_the_extra_env_hook_and_before_the_next_keys_condition():
    before = """\
          containers:
            - name: {{ .Chart.Name }}
              image: {{ template "acapy.image" . }}
              env:
                - name: ACAPY_WALLET_KEY
                  valueFrom:
                    secretKeyRef:
                      name: {{ $apiSecretName }}
                {{- if $webhookSecretName }}
                - name: ACAPY_WEBHOOK_URL
                  value: {{ $webhookURL | quote }}
                {{- end }}
                {{- if .Values.extraEnvVars }}
                {{- include "common.tplvalues.render" (dict "value" .Values.extraEnvVars "context" $) | nindent 6 }}
                {{- end }}
              {{- if or .Values.extraEnvVarsCM .Values.extraEnvVarsSecret }}
              envFrom:
                - configMapRef:
                    name: {{ .Values.extraEnvVarsCM }}
              {{- end }}
    """
    after = before.replace(
        "                {{- end }}\n              {{- if or",
        "                {{- end }}\n"
        + BLOCK_12.replace("            ", "                ")
        + "              {{- if or",
    )
    assert_codemod(
        add_template_env,
        PYROSCOPE,
        path="charts/acapy/templates/deployment.yaml",
        before=before,
        after=after,
    )


def test_after_a_range_over_extra_env_not_inside_it_and_only_in_the_named_container():
    before = """\
      initContainers:
        - name: seed
          env:
            - name: BASE_ROUTE
              value: {{ .Values.showcase.baseRoute | quote }}
          {{- range .Values.showcase.server.extraEnv }}
            - name: {{ .name }}
              value: {{ .value | quote }}
          {{- end }}
      containers:
        - name: server
          env:
            - name: BASE_ROUTE
              value: {{ .Values.showcase.baseRoute | quote }}
          {{- range .Values.showcase.server.extraEnv }}
            - name: {{ .name }}
              value: {{ .value | quote }}
          {{- end }}
          readinessProbe:
            httpGet:
              port: http
    """
    params = {
        "env": [
            {
                "name": "PYROSCOPE_SERVER_ADDRESS",
                "value": "{{ .Values.showcase.server.pyroscope.serverAddress | quote }}",
            }
        ],
        "condition": ".Values.showcase.server.pyroscope.enabled",
        "container": "server",
    }
    after = before.replace(
        "          {{- end }}\n          readinessProbe:",
        "          {{- end }}\n"
        "            {{- if .Values.showcase.server.pyroscope.enabled }}\n"
        "            - name: PYROSCOPE_SERVER_ADDRESS\n"
        "              value: {{ .Values.showcase.server.pyroscope.serverAddress | quote }}\n"
        "            {{- end }}\n"
        "          readinessProbe:",
    )
    assert_codemod(
        add_template_env,
        params,
        path="charts/showcase/templates/server/deployment.yaml",
        before=before,
        after=after,
    )


def test_after_items_that_follow_a_with_hook_with_inline_comments():
    before = (
        "      containers:\n"
        "        - name: {{ .Chart.Name }}\n"
        "          {{- with .Values.environment }}\n"
        "          env:\n"
        "            {{- toYaml . | nindent 12 }}\n"
        "          {{- end }}\n"
        "            - name: FIREBASE_APPS\n"
        "              valueFrom:\n"
        "                secretKeyRef:\n"
        "                  key: firebase-apps              # a JSON string \n"
        "      {{- with .Values.volumes }}\n"
        "      volumes:\n"
        "        {{- toYaml . | nindent 8 }}\n"
        "      {{- end }}\n"
    )
    after = before.replace(
        "      {{- with .Values.volumes }}", BLOCK_12 + "      {{- with .Values.volumes }}"
    )
    assert_codemod(
        add_template_env,
        PYROSCOPE,
        path="charts/didcomm-mediator-credo/templates/deployment.yaml",
        before=before,
        after=after,
        dedent=False,
    )


def test_no_trailing_newline_document_start_and_an_init_container():
    before = (
        "---\napiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      initContainers:\n        - name: wait-for-postgres\n          image: busybox:1.36\n"
        '      containers:\n        - name: {{ include "server.fullname" . }}\n'
        "          env:\n            - name: POSTGRES_SERVER_PORT\n"
        "              value: {{ .Values.postgres.service.port | quote }}\n"
        "      tolerations:\n        {{- toYaml .Values.server.tolerations | nindent 8 }}"
    )
    after = before.replace("      tolerations:", BLOCK_12 + "      tolerations:")
    assert_codemod(
        add_template_env,
        PYROSCOPE,
        path="charts/didwebvh-server/templates/server/deployment.yaml",
        before=before,
        after=after,
        dedent=False,
    )
    assert not after.endswith("\n")


def test_several_entries_without_condition_inside_an_if_that_wraps_the_list():
    before = """\
    containers:
      - name: app
        {{- if .Values.env.enabled }}
        env:
          - name: A
            value: "1"
        {{- end }}
        ports: []
    """
    after = """\
    containers:
      - name: app
        {{- if .Values.env.enabled }}
        env:
          - name: A
            value: "1"
          - name: FARO_ENABLED
            value: "true"
          - name: FARO_COLLECTOR_URL
            value: {{ .Values.faro.collectorUrl | quote }}
        {{- end }}
        ports: []
    """
    params = {
        "env": [
            {"name": "FARO_ENABLED", "value": '"true"'},
            {"name": "FARO_COLLECTOR_URL", "value": "{{ .Values.faro.collectorUrl | quote }}"},
        ]
    }
    assert_codemod(
        add_template_env, params, path="templates/deployment.yaml", before=before, after=after
    )


ENV_WITH_CONDITIONS = """\
containers:
  - name: controller
    env:
      - name: LOG_LEVEL
        value: {{ .Values.logLevel | quote }}
      {{- if .Values.faro.enabled }}
      - name: FARO_ENABLED
        value: "true"
      {{- end }}
      {{- if .Values.redis.enabled }}
      - name: REDIS_HOST
        value: redis
      {{- end }}
    ports: []
"""


def test_after_an_entry_inside_a_condition_goes_after_that_condition():
    proxy = {
        "env": [
            {
                "name": "FARO_PROXY_UPSTREAM_URL",
                "value": "{{ .Values.faro.proxy.upstreamUrl | quote }}",
            }
        ],
        "condition": "and .Values.faro.enabled .Values.faro.proxy.enabled",
        "after": "FARO_ENABLED",
    }
    after = ENV_WITH_CONDITIONS.replace(
        "      {{- end }}\n      {{- if .Values.redis.enabled }}",
        "      {{- end }}\n"
        "      {{- if and .Values.faro.enabled .Values.faro.proxy.enabled }}\n"
        "      - name: FARO_PROXY_UPSTREAM_URL\n"
        "        value: {{ .Values.faro.proxy.upstreamUrl | quote }}\n"
        "      {{- end }}\n"
        "      {{- if .Values.redis.enabled }}",
    )
    assert_codemod(
        add_template_env,
        proxy,
        path="t.yaml",
        before=ENV_WITH_CONDITIONS,
        after=after,
        dedent=False,
    )


def test_after_a_plain_entry_and_a_missing_one():
    tz = {"env": [{"name": "TZ", "value": "UTC"}], "after": "LOG_LEVEL"}
    after = ENV_WITH_CONDITIONS.replace(
        "quote }}\n      {{- if .Values.faro",
        "quote }}\n      - name: TZ\n        value: UTC\n      {{- if .Values.faro",
    )
    assert_codemod(
        add_template_env, tz, path="t.yaml", before=ENV_WITH_CONDITIONS, after=after, dedent=False
    )
    assert_codemod_error(
        add_template_env,
        {**tz, "after": "DB_HOST"},
        path="t.yaml",
        text=ENV_WITH_CONDITIONS,
        match=r"no env entry DB_HOST to insert after",
    )


TWO = "containers:\n  - name: api\n    env:\n      - name: A\n        value: b\n  - name: proxy\n    image: caddy\n"


@pytest.mark.parametrize(
    ("container", "text", "match"),
    [
        ("", TWO, r"2 containers match ''; name one of: 'api', 'proxy'"),
        (
            "worker",
            TWO,
            r"no container 'worker' in a containers: list \(containers: 'api', 'proxy'\)",
        ),
        (
            "proxy",
            TWO,
            r"container 'proxy' has no env: lists at line 6; add an env hook by hand first",
        ),
        ("", "kind: ConfigMap\n", r"containers: none"),
    ],
)
def test_unknown_ambiguous_or_envless_containers_are_errors(container, text, match):
    params = {**PYROSCOPE, "container": container}
    assert_codemod_error(add_template_env, params, path="t.yaml", text=text, match=match)


def test_a_variable_already_set_by_hand_is_a_conflict():
    text = """\
        containers:
          - name: api
            env:
              - name: PYROSCOPE_SERVER_ADDRESS
                value: http://pyroscope:4040
    """
    assert_codemod_error(
        add_template_env,
        PYROSCOPE,
        path="t.yaml",
        text=text,
        match=r"already sets PYROSCOPE_SERVER_ADDRESS \(line 4\)",
    )


def test_entries_need_a_name_and_a_value():
    text = "containers:\n  - name: api\n    env:\n      - name: A\n        value: b\n"
    assert_codemod_error(
        add_template_env,
        {"env": [{"name": "X", "valueFrom": "y"}]},
        path="t.yaml",
        text=text,
        match=r"need exactly a non-empty name and value",
    )
