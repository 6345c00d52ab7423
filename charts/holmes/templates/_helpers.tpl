{{- define "holmes.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "holmes.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "holmes.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "holmes.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "holmes.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "holmes.tokenSecret" -}}
{{- default (printf "%s-token" (include "holmes.fullname" .)) .Values.auth.existingSecret -}}
{{- end -}}

{{/* The config Holmes reads: the user's, with the server, storage and cluster access the chart provides. */}}
{{- define "holmes.config" -}}
{{- $chart := dict
  "server" (dict "host" "0.0.0.0" "port" 8080 "tokens" (list (dict "file" "/var/run/secrets/holmes/token")))
  "storage" (dict "path" "/var/lib/holmes/holmes.db")
  "kubernetes" (dict "inCluster" true) -}}
{{- toYaml (mustMergeOverwrite (deepCopy .Values.config) $chart) -}}
{{- end -}}
