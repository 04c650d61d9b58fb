from codemods.helm import add_configmap_data
from tests.helpers.codemod import assert_codemod, assert_codemod_error

FARO = {
    "data": {
        "FRONTEND_FARO_ENABLED": "{{ .Values.ui.faro.enabled | quote }}",
        "FRONTEND_FARO_COLLECTOR_URL": "{{ .Values.ui.faro.collectorUrl | quote }}",
    },
    "condition": ".Values.ui.faro.enabled",
}
FARO_BLOCK = (
    "  {{- if .Values.ui.faro.enabled }}\n"
    "  FRONTEND_FARO_ENABLED: {{ .Values.ui.faro.enabled | quote }}\n"
    "  FRONTEND_FARO_COLLECTOR_URL: {{ .Values.ui.faro.collectorUrl | quote }}\n"
    "  {{- end }}\n"
)


def test_inside_a_file_wide_condition_before_its_closing_end():
    before = """\
        {{- if .Values.ui.enabled -}}
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: {{ include "tenant-ui.fullname" . }}
        data:
          FRONTEND_INNKEEPER_OIDC_ACTIVE: {{ .Values.ui.oidc.active | quote }}
          SERVER_TRACTION_URL: http://{{ include "tenant_proxy.fullname" . }}:{{ .Values.tenant_proxy.service.port }}
          UX_ABOUT_IMAGE_URL: {{ .Values.ui.ux.aboutBusiness.imageUrl | quote }}
        {{- end -}}
    """
    after = before.replace(
        "        {{- end -}}",
        "".join("        " + line for line in FARO_BLOCK.splitlines(True)) + "        {{- end -}}",
    )
    assert_codemod(
        add_configmap_data,
        FARO,
        path="charts/traction/templates/ui/configmap.yaml",
        before=before,
        after=after,
    )


def test_after_conditional_keys_in_a_file_without_trailing_newline():
    before = (
        "---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  annotations:\n"
        '    "helm.sh/resource-policy": keep\ndata:\n  APP_PORT: {{ .Values.server.service.apiPort | quote }}\n'
        "  {{- if .Values.server.branding }}\n  APP_NAME: {{ .Values.server.branding.app_name | quote }}\n  {{- end }}"
    )
    after = before + "\n" + FARO_BLOCK.rstrip("\n")
    assert_codemod(
        add_configmap_data,
        FARO,
        path="templates/server/configmap.yaml",
        before=before,
        after=after,
        dedent=False,
    )


def test_without_condition():
    assert_codemod(
        add_configmap_data,
        {"data": {"B": '"2"'}},
        path="templates/configmap.yaml",
        before='kind: ConfigMap\ndata:\n  A: "1"\n',
        after='kind: ConfigMap\ndata:\n  A: "1"\n  B: "2"\n',
        dedent=False,
    )


def test_errors():
    assert_codemod_error(
        add_configmap_data,
        FARO,
        path="t.yaml",
        text="kind: Secret\nstringData:\n  A: b\n",
        match=r"no top-level data: mappings",
    )
    assert_codemod_error(
        add_configmap_data,
        FARO,
        path="t.yaml",
        text='data:\n  FRONTEND_FARO_ENABLED: "false"\n',
        match=r"already has data key FRONTEND_FARO_ENABLED \(line 2\)",
    )
    assert_codemod_error(
        add_configmap_data,
        {"data": {}},
        path="t.yaml",
        text="data:\n  A: b\n",
        match=r"no data keys given",
    )
