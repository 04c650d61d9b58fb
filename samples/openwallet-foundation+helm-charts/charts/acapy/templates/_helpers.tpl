{{/* Resource name: <release>-<chart>, unless fullnameOverride says otherwise. */}}
{{- define "acapy.fullname" -}}
{{- default (printf "%s-%s" .Release.Name .Chart.Name) .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
Our own stand-in for bitnami common's helper of the same name: a string value is rendered as a
template, anything else as YAML first.
*/}}
{{- define "common.tplvalues.render" -}}
{{- $text := .value -}}
{{- if not (kindIs "string" $text) -}}
{{- $text = toYaml $text -}}
{{- end -}}
{{- tpl $text .context -}}
{{- end -}}
