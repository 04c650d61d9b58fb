{{/* <release>-endorser-service, or fullnameOverride */}}
{{- define "endorser.fullname" -}}
{{- default (printf "%s-%s" .Release.Name .Chart.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}
