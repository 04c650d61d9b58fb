{{/* fullnameOverride, else <release>-<chart> */}}
{{- define "server.fullname" -}}
{{- .Values.fullnameOverride | default (printf "%s-%s" .Release.Name .Chart.Name) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "server.databaseHost" -}}
{{ .Release.Name }}-postgres
{{- end -}}
