from codemods.helm import replace_line
from tests.helpers.codemod import assert_codemod, assert_codemod_error

MERGE = {
    "find": "{{- .Values.showcase.frontend.config | toJson | nindent 4 }}",
    "replace": """\
        {{- $config := .Values.showcase.frontend.config }}
        {{- if .Values.showcase.faro.enabled }}
        {{- $config = merge (dict "faroCollectorUrl" .Values.showcase.faro.collectorUrl) $config }}
        {{- end }}
        {{- $config | toJson | nindent 4 }}
    """,
}


def test_replaces_the_line_at_its_indentation():
    before = """\
        data:
          config.json: |
            {{- .Values.showcase.frontend.config | toJson | nindent 4 }}
    """
    after = """\
        data:
          config.json: |
            {{- $config := .Values.showcase.frontend.config }}
            {{- if .Values.showcase.faro.enabled }}
            {{- $config = merge (dict "faroCollectorUrl" .Values.showcase.faro.collectorUrl) $config }}
            {{- end }}
            {{- $config | toJson | nindent 4 }}
    """
    assert_codemod(
        replace_line,
        MERGE,
        path="charts/showcase/templates/frontend/configmap.yaml",
        before=before,
        after=after,
    )


def test_missing_or_repeated_anchor():
    assert_codemod_error(
        replace_line, MERGE, path="c.yaml", text="data: {}\n", match=r"no line '\{\{- \.Values"
    )
    line = "    {{- .Values.showcase.frontend.config | toJson | nindent 4 }}\n"
    assert_codemod_error(
        replace_line, MERGE, path="c.yaml", text=line + line, match=r"occurs 2 times \(lines 1, 2\)"
    )


def test_replacement_that_keeps_the_found_line_is_applied_once():
    # the find line is part of the replacement: a second run must not wrap it again
    assert_codemod(
        replace_line,
        {
            "find": '{{- include "x.env" . | nindent 12 }}',
            "replace": '{{- include "x.env" . | nindent 12 }}\n- name: APP_VERSION\n  value: "1"\n',
        },
        path="templates/deployment.yaml",
        before="""\
            env:
              {{- include "x.env" . | nindent 12 }}
            ports: []
        """,
        after="""\
            env:
              {{- include "x.env" . | nindent 12 }}
              - name: APP_VERSION
                value: "1"
            ports: []
        """,
    )


def test_found_line_outside_an_existing_replacement_is_still_an_anchor():
    # the replacement is already there once, but a second copy of the anchor is not replaced yet
    assert_codemod_error(
        replace_line,
        {"find": "a: 1", "replace": "a: 1\nb: 2\n"},
        path="c.yaml",
        text="x:\n  a: 1\n  b: 2\ny:\n  a: 1\n  a: 1\n",
        match=r"occurs 2 times \(lines 5, 6\)",
        dedent=False,
    )
    assert_codemod(
        replace_line,
        {"find": "a: 1", "replace": "a: 1\nb: 2\n"},
        path="c.yaml",
        before="x:\n  a: 1\n  b: 2\ny:\n  a: 1\n",
        after="x:\n  a: 1\n  b: 2\ny:\n  a: 1\n  b: 2\n",
        dedent=False,
    )
