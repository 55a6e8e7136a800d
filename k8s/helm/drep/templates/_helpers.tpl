{{/*
Names and labels.
*/}}
{{- define "drep.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "drep.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "drep.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/*
The four services: values key -> service name, HTTP port, and whether it uses PostgreSQL and the
AMQP broker (docs/architecture.md). The gateway keeps its ledger in PostgreSQL (schema "gateway")
and has no broker.
*/}}
{{- define "drep.components" -}}
scanner:
  name: scanner-service
  port: 8081
  database: true
  broker: true
analyzer:
  name: analyzer-service
  port: 8082
  database: true
  broker: true
gateway:
  name: llm-gateway
  port: 8083
  database: true
  broker: false
publisher:
  name: review-publisher
  port: 8084
  database: true
  broker: true
{{- end -}}

{{/* The component keys in a fixed order. */}}
{{- define "drep.componentKeys" -}}
scanner analyzer gateway publisher
{{- end -}}

{{/* Object name of a component: (dict "root" $ "name" "scanner-service") */}}
{{- define "drep.componentFullname" -}}
{{- printf "%s-%s" (include "drep.fullname" .root) .name | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels: (dict "root" $ "component" "scanner-service") */}}
{{- define "drep.labels" -}}
helm.sh/chart: {{ include "drep.chart" .root }}
{{ include "drep.selectorLabels" . }}
app.kubernetes.io/part-of: drep
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{- define "drep.selectorLabels" -}}
app.kubernetes.io/name: {{ include "drep.name" .root }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "drep.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "drep.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- required "serviceAccount.name is required when serviceAccount.create is false" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/*
Secrets: the name of each Secret the pods read, an existing one or the chart's own.
*/}}
{{- define "drep.databaseSecretName" -}}
{{- default (printf "%s-database" (include "drep.fullname" .)) .Values.database.auth.existingSecret -}}
{{- end -}}

{{- define "drep.amqpSecretName" -}}
{{- default (printf "%s-amqp" (include "drep.fullname" .)) .Values.amqp.auth.existingSecret -}}
{{- end -}}

{{- define "drep.llmSecretName" -}}
{{- default (printf "%s-llm" (include "drep.fullname" .)) .Values.gateway.provider.apiKey.existingSecret -}}
{{- end -}}

{{- define "drep.platformsSecretName" -}}
{{- default (printf "%s-platforms" (include "drep.fullname" .)) .Values.platforms.existingSecret -}}
{{- end -}}

{{/*
Where PostgreSQL and the broker are: the in-chart evaluation ones, or the external ones.
*/}}
{{- define "drep.database.host" -}}
{{- if .Values.postgresql.enabled -}}
{{- include "drep.componentFullname" (dict "root" . "name" "postgresql") -}}
{{- else -}}
{{- .Values.database.host -}}
{{- end -}}
{{- end -}}

{{- define "drep.database.port" -}}
{{- if .Values.postgresql.enabled -}}5432{{- else -}}{{ .Values.database.port }}{{- end -}}
{{- end -}}

{{- define "drep.database.query" -}}
{{- with .Values.database.params -}}?{{ . }}{{- end -}}
{{- end -}}

{{- define "drep.amqp.host" -}}
{{- if .Values.artemis.enabled -}}
{{- include "drep.componentFullname" (dict "root" . "name" "artemis") -}}
{{- else -}}
{{- .Values.amqp.host -}}
{{- end -}}
{{- end -}}

{{- define "drep.amqp.port" -}}
{{- if .Values.artemis.enabled -}}5672{{- else -}}{{ .Values.amqp.port }}{{- end -}}
{{- end -}}

{{/* The TCP port of gateway.provider.baseUrl (explicit, or 443 / 80 from the scheme). */}}
{{- define "drep.llmProvider.port" -}}
{{- $url := urlParse .Values.gateway.provider.baseUrl -}}
{{- $hostPort := splitList ":" $url.host -}}
{{- if gt (len $hostPort) 1 -}}
{{- last $hostPort -}}
{{- else if eq $url.scheme "https" -}}
443
{{- else -}}
80
{{- end -}}
{{- end -}}

{{/* The TCP port of tracing.otlpEndpoint (explicit, else 4317 for grpc and 4318 for http/protobuf). */}}
{{- define "drep.otlp.port" -}}
{{- $url := urlParse .Values.tracing.otlpEndpoint -}}
{{- $hostPort := splitList ":" $url.host -}}
{{- if gt (len $hostPort) 1 -}}
{{- last $hostPort -}}
{{- else if eq .Values.tracing.protocol "grpc" -}}
4317
{{- else -}}
4318
{{- end -}}
{{- end -}}

{{/* Image reference of a component values block. */}}
{{- define "drep.image" -}}
{{- $image := .values.image -}}
{{- printf "%s:%s" $image.repository (default .root.Chart.AppVersion (toString $image.tag)) -}}
{{- end -}}

{{/* Container security context shared by every container of the chart. */}}
{{- define "drep.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
privileged: false
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Pod security context: (dict "runAsUser" .. "runAsGroup" .. "fsGroup" ..) */}}
{{- define "drep.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser }}
runAsGroup: {{ .runAsGroup }}
fsGroup: {{ .fsGroup }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/*
Checks that values.schema.json cannot express with a readable message.
*/}}
{{- define "drep.validate" -}}
{{- if and .Values.postgresql.enabled (not .Values.database.auth.existingSecret) (not .Values.database.auth.password) -}}
{{- fail "postgresql.enabled needs a database password: set database.auth.password or database.auth.existingSecret" -}}
{{- end -}}
{{- if and .Values.artemis.enabled (not .Values.amqp.auth.existingSecret) (or (not .Values.amqp.auth.username) (not .Values.amqp.auth.password)) -}}
{{- fail "artemis.enabled needs broker credentials: set amqp.auth.username and amqp.auth.password, or amqp.auth.existingSecret" -}}
{{- end -}}
{{- if and (eq .Values.gateway.provider.kind "openai") (not .Values.gateway.provider.apiKey.existingSecret) (not .Values.gateway.provider.apiKey.value) -}}
{{- fail "gateway.provider.kind openai needs an API key: set gateway.provider.apiKey.existingSecret or gateway.provider.apiKey.value" -}}
{{- end -}}
{{- if and .Values.analyzer.keda.enabled (not .Values.artemis.enabled) (not .Values.analyzer.keda.managementEndpoint) -}}
{{- fail "analyzer.keda.enabled with an external broker needs analyzer.keda.managementEndpoint (host:port of the broker's Jolokia management API)" -}}
{{- end -}}
{{- if and .Values.analyzer.keda.enabled (not .Values.artemis.enabled) (not .Values.analyzer.keda.brokerName) -}}
{{- fail "analyzer.keda.enabled with an external broker needs analyzer.keda.brokerName (the <name> in the broker's broker.xml)" -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.enabled needs ingress.tls.secretName (an existing TLS Secret)" -}}
{{- end -}}
{{- $delay := trimSuffix "s" .Values.shutdown.delay | int -}}
{{- if le (int .Values.shutdown.terminationGracePeriodSeconds) (add 30 $delay) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed shutdown.delay (%s) + the 30s request timeout" .Values.shutdown.terminationGracePeriodSeconds .Values.shutdown.delay) -}}
{{- end -}}
{{- end -}}
