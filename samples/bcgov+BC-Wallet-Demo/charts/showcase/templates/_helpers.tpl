{{- define "showcase.fullname" -}}
{{- default (printf "%s-showcase" .Release.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "showcase.server.fullname" -}}
{{- printf "%s-server" (include "showcase.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "showcase.frontend.fullname" -}}
{{- printf "%s-frontend" (include "showcase.fullname" .) | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "showcase.labels" -}}
app.kubernetes.io/name: showcase
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "showcase.image" -}}
{{- printf "%s/%s:%s" (.registry | default "docker.io") .repository .tag }}
{{- end }}

{{/* Caddy matcher lines: admin API paths go to Express, except the admin SPA's own segments. */}}
{{- define "showcase.caddyAdminApiMatcherLines" -}}
path {{ .Values.showcase.baseRoute }}/admin/*
{{- range .Values.showcase.adminSpaPathPrefixes }}
not path {{ $.Values.showcase.baseRoute }}/admin/{{ . }} {{ $.Values.showcase.baseRoute }}/admin/{{ . }}/*
{{- end -}}
{{- end }}
