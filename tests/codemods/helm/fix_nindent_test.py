from codemods.helm import fix_nindent
from tests.helpers.codemod import assert_codemod, assert_codemod_error, assert_unchanged

ENV = """\
          env:
            - name: ACAPY_WEBHOOK_URL
              valueFrom:
                secretKeyRef:
                  key: {{ .Values.webhook.secretKey }}
            {{- if .Values.extraEnvVars }}
            {{- include "common.tplvalues.render" (dict "value" .Values.extraEnvVars "context" $) | nindent 6 }}
            {{- end }}
          {{- if .Values.extraEnvVarsCM }}
          envFrom:
            - configMapRef:
                name: {{ .Values.extraEnvVarsCM }}
          {{- end }}
          volumeMounts:
            - name: config
              mountPath: /home/aries/argfile.yml
            {{- if .Values.extraVolumeMounts }}
            {{- include "common.tplvalues.render" (dict "value" .Values.extraVolumeMounts "context" $) | nindent 12 }}
            {{- end }}
"""


def test_aligns_the_extra_env_hook_with_the_env_list():
    assert_codemod(
        fix_nindent,
        {"value": ".Values.extraEnvVars"},
        path="charts/acapy/templates/deployment.yaml",
        before=ENV,
        after=ENV.replace("| nindent 6 }}", "| nindent 12 }}"),
        dedent=False,
    )


def test_a_hook_that_already_lines_up_is_unchanged():
    assert_unchanged(
        fix_nindent,
        {"value": ".Values.extraVolumeMounts"},
        path="deployment.yaml",
        text=ENV,
        dedent=False,
    )


def test_missing_or_ambiguous_hook_and_a_hook_outside_a_list():
    assert_codemod_error(
        fix_nindent, {"value": ".Values.extraEnv"}, path="d.yaml", text=ENV, match=r"found none"
    )
    twice = ENV + ENV
    assert_codemod_error(
        fix_nindent, {"value": ".Values.extraEnvVars"}, path="d.yaml", text=twice, match=r"found 2"
    )
    assert_codemod_error(
        fix_nindent,
        {"value": ".Values.podLabels"},
        path="d.yaml",
        text="metadata:\n  labels:\n    {{- toYaml .Values.podLabels | nindent 4 }}\n",
        match=r"line 3 is not inside a list",
    )
