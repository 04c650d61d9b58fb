{{/* Names of this chart's objects: <release>-<part> */}}
{{- define "traction.tenantUi.name" -}}
{{- printf "%s-tenant-ui" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The ACA-Py subchart's object name, as its common.names.fullname computes it */}}
{{- define "traction.acapy.fullname" -}}
{{- printf "%s-acapy" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "common.labels" -}}
app.kubernetes.io/part-of: traction
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}
