{{/* <release>-didcomm-mediator-credo, or fullnameOverride */}}
{{- define "mediator.resourceName" -}}
{{- default (printf "%s-%s" .Release.Name .Chart.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}
