{{/* <release>-vc-authn-oidc, or fullnameOverride */}}
{{- define "vc-authn-oidc.fullname" -}}
{{- default (printf "%s-%s" .Release.Name .Chart.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The URL the controller advertises to wallets */}}
{{- define "vc-authn-oidc.publicUrl" -}}
{{- if .Values.useHTTPS }}https{{ else }}http{{ end }}://{{ include "vc-authn-oidc.fullname" . }}
{{- end -}}
