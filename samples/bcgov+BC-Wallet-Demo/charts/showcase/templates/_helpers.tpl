{{/* <release>-showcase, or fullnameOverride */}}
{{- define "showcase.name" -}}
{{- .Values.fullnameOverride | default (printf "%s-showcase" .Release.Name) | trunc 50 | trimSuffix "-" -}}
{{- end -}}

{{- define "showcase.labels" -}}
app.kubernetes.io/part-of: showcase
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Admin API paths that Caddy sends to the server (the admin SPA's login page stays with the SPA) */}}
{{- define "showcase.adminApiPaths" -}}
path {{ .Values.showcase.baseRoute }}/admin/*
not path {{ .Values.showcase.baseRoute }}/admin/login*
{{- end -}}
