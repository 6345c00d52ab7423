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

{{- define "holmes.toolsetsConfigMap" -}}
{{- default (printf "%s-toolsets" (include "holmes.fullname" .)) .Values.toolsets.existingConfigMap -}}
{{- end -}}

{{- define "holmes.runbooksConfigMap" -}}
{{- default (printf "%s-runbooks" (include "holmes.fullname" .)) .Values.runbooks.existingConfigMap -}}
{{- end -}}

{{/*
The part of holmes.yaml the chart owns: where the pod mounts things and which environment
variables hold the secrets (see the Deployment). Plain YAML with .Values lookups and if/else
only: test/charts reads it without Helm and validates the result with Holmes's own schema.
*/}}
{{- define "holmes.chartConfig" -}}
kubernetes:
  inCluster: true
server:
  host: 0.0.0.0
  port: 8080
  tokens:
    - file: /var/run/secrets/holmes/webhook-token
{{- if .Values.postgres.enabled }}
storage:
  # Everything, the agent's records too, is kept in PostgreSQL; the path (on the writable data
  # volume, as the root filesystem is read-only) only keeps the config valid on its own.
  path: /var/lib/holmes/holmes.db
  postgres:
{{- if .Values.postgres.urlKey }}
    url: { env: HOLMES_POSTGRES_URL }
{{- else }}
    url: {{ .Values.postgres.url | quote }}
{{- end }}
    password: { env: HOLMES_POSTGRES_PASSWORD }
    sslmode: {{ .Values.postgres.sslmode | quote }}
    pool:
      max: {{ .Values.postgres.pool.max | toJson }}
      statementTimeoutMs: {{ .Values.postgres.pool.statementTimeoutMs | toJson }}
{{- else }}
storage:
  path: /var/lib/holmes/holmes.db
{{- end }}
{{- if or .Values.toolsets.files .Values.toolsets.existingConfigMap }}
toolsets:
  directories: [/etc/holmes/toolsets]
{{- end }}
{{- if or .Values.runbooks.files .Values.runbooks.existingConfigMap }}
runbooks:
  directories: [/etc/holmes/runbooks]
{{- end }}
{{- if .Values.slack.enabled }}
slack:
  botToken: { env: SLACK_BOT_TOKEN }
  signingSecret: { env: SLACK_SIGNING_SECRET }
{{- if .Values.slack.socketMode }}
  mode: socket
  appToken: { env: SLACK_APP_TOKEN }
{{- else }}
  mode: http
{{- end }}
{{- end }}
{{- if .Values.jira.enabled }}
jira:
  url: {{ .Values.jira.url | quote }}
{{- if .Values.jira.email }}
  email: {{ .Values.jira.email | quote }}
  apiToken: { env: JIRA_API_TOKEN }
{{- else }}
  personalAccessToken: { env: JIRA_PERSONAL_ACCESS_TOKEN }
{{- end }}
{{- end }}
{{- end -}}

{{/* holmes.yaml: the user's config with the chart's part merged over it (values.schema.json keeps the two apart). */}}
{{- define "holmes.config" -}}
{{- $chart := include "holmes.chartConfig" . | fromYaml -}}
{{- toYaml (mustMergeOverwrite (deepCopy .Values.config) $chart) -}}
{{- end -}}
