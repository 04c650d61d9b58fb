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
