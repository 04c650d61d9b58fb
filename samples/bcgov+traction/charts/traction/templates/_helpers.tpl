{{- define "global.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "common.labels" -}}
app: {{ .Chart.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "tenant-ui.fullname" -}}
{{ template "global.fullname" . }}-tenant-ui
{{- end -}}

{{- define "tenant_proxy.fullname" -}}
{{ template "global.fullname" . }}-tenant-proxy
{{- end -}}

{{- define "tenant-ui.selectorLabels" -}}
app.kubernetes.io/name: {{ include "tenant-ui.fullname" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{/*
Returns ACA-Py Fullname (the subchart's own common.names.fullname, seen from the parent)
*/}}
{{- define "traction.acapy.fullname" -}}
{{- printf "%s-%s" (include "global.fullname" .) "acapy" | trunc 63 | trimSuffix "-" -}}
{{- end }}

{{- define "traction.acapy.plugin.innkeeper.name" -}}
{{- printf "%s-plugin-innkeeper" (include "traction.acapy.fullname" .) -}}
{{- end -}}
