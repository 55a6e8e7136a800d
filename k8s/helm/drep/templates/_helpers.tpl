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
{{- /* managementPort: the Quarkus management interface (health, metrics), never behind a Service the API uses */}}
scanner:
  name: scanner-service
  port: 8081
  managementPort: 9000
  database: true
  broker: true
  schema: scanner
  sends: [drep.scanner.plan-requests, drep.analysis.requests]
  consumes: [drep.scanner.plan-requests, drep.job.events, drep.scanner.plan-requests.dead]
analyzer:
  name: analyzer-service
  port: 8082
  managementPort: 9000
  database: true
  broker: true
  schema: analyzer
  sends: [drep.analysis.results]
  consumes: [drep.analysis.requests, drep.analysis.requests.dead]
gateway:
  name: llm-gateway
  port: 8083
  managementPort: 9000
  database: true
  broker: false
  schema: gateway
publisher:
  name: review-publisher
  port: 8084
  managementPort: 9000
  database: true
  broker: true
  schema: publisher
  sends: [drep.job.events]
  consumes: [drep.analysis.results]
{{- end -}}

{{/*
Identity (docs/architecture.md, "Identity"): who holds which token, and who accepts which token by
its SHA-256. Services that call another carry their own token; the receivers know only hashes. The
gateway and the publisher call the scanner's token introspection (API tokens) with theirs.
*/}}
{{- define "drep.identity" -}}
scanner:
  ownToken: scanner-token
  accepts: {DREP_ADMIN_TOKEN_SHA256: admin-token, DREP_GATEWAY_TOKEN_SHA256: gateway-token, DREP_PUBLISHER_TOKEN_SHA256: publisher-token}
analyzer:
  ownToken: analyzer-token
  accepts: {DREP_ADMIN_TOKEN_SHA256: admin-token}
gateway:
  ownToken: gateway-token
  accepts: {DREP_ADMIN_TOKEN_SHA256: admin-token, DREP_ANALYZER_TOKEN_SHA256: analyzer-token, DREP_SCANNER_TOKEN_SHA256: scanner-token}
publisher:
  ownToken: publisher-token
  accepts: {DREP_ADMIN_TOKEN_SHA256: admin-token, DREP_SCANNER_TOKEN_SHA256: scanner-token}
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

{{- define "drep.identitySecretName" -}}
{{- default (printf "%s-identity" (include "drep.fullname" .)) .Values.identity.existingSecret -}}
{{- end -}}

{{/* The in-chart evaluation broker's user of a service, and its Secret: (dict "root" $ "name" "scanner-service") */}}
{{- define "drep.brokerUser" -}}
{{- printf "drep-%s" .name -}}
{{- end -}}

{{- define "drep.serviceAmqpSecretName" -}}
{{- printf "%s-amqp" (include "drep.componentFullname" .) -}}
{{- end -}}

{{/* The in-chart evaluation database's role of a service is its schema; its Secret: (dict "root" $ "name" "scanner-service") */}}
{{- define "drep.serviceDatabaseSecretName" -}}
{{- printf "%s-db" (include "drep.componentFullname" .) -}}
{{- end -}}

{{/*
A generated credential: (dict "root" $ "secret" <Secret name> "key" <key> "kind" "token"|"password").
Made once and kept across upgrades: the value already stored in the release's Secret (lookup; empty
in `helm template`, which has no cluster) is reused, otherwise a new random one is made
("drep_" + 43 letters and digits, 256 random bits, for tokens, 32 for passwords). Remembered for the rest of the
rendering, so every template that needs it (the Secret, the SHA-256 in a Deployment, a checksum)
sees the same value.
*/}}
{{- define "drep.generated" -}}
{{- if not (hasKey .root.Values "drepGenerated") -}}
{{- $_ := set .root.Values "drepGenerated" (dict) -}}
{{- end -}}
{{- $cache := .root.Values.drepGenerated -}}
{{- $id := printf "%s/%s" .secret .key -}}
{{- if not (hasKey $cache $id) -}}
{{- $existing := dict -}}
{{- if .root.Values.lookupExistingSecrets -}}
{{- $existing = lookup "v1" "Secret" .root.Release.Namespace .secret | default dict -}}
{{- end -}}
{{- $data := get $existing "data" | default dict -}}
{{- $value := "" -}}
{{- if hasKey $data .key -}}
{{- $value = index $data .key | b64dec -}}
{{- else if eq .kind "token" -}}
{{- $value = printf "drep_%s" (randAlphaNum 43) -}}
{{- else -}}
{{- $value = randAlphaNum 32 -}}
{{- end -}}
{{- $_ := set $cache $id $value -}}
{{- end -}}
{{- index $cache $id -}}
{{- end -}}

{{/*
What the evaluation PostgreSQL and Artemis read from Secrets, for their checksum annotations: they
restart when their own credentials change, not when an identity token is rotated (the evaluation
PostgreSQL may keep its data in an emptyDir).
*/}}
{{- define "drep.postgresql.credentials" -}}
{{- $components := include "drep.components" . | fromYaml -}}
{{- $parts := list (toString .Values.database.auth.existingSecret) (toString .Values.database.auth.username) (toString .Values.database.auth.password) -}}
{{- range $key := splitList " " (include "drep.componentKeys" .) -}}
{{- $secret := include "drep.serviceDatabaseSecretName" (dict "root" $ "name" (index $components $key).name) -}}
{{- $parts = append $parts (include "drep.generated" (dict "root" $ "secret" $secret "key" "password" "kind" "password")) -}}
{{- end -}}
{{- join "\n" $parts -}}
{{- end -}}

{{- define "drep.artemis.credentials" -}}
{{- $components := include "drep.components" . | fromYaml -}}
{{- $parts := list (toString .Values.amqp.auth.existingSecret) (toString .Values.amqp.auth.username) (toString .Values.amqp.auth.password) -}}
{{- range $key := splitList " " (include "drep.componentKeys" .) -}}
{{- $c := index $components $key -}}
{{- if $c.broker -}}
{{- $secret := include "drep.serviceAmqpSecretName" (dict "root" $ "name" $c.name) -}}
{{- $parts = append $parts (include "drep.generated" (dict "root" $ "secret" $secret "key" "password" "kind" "password")) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $parts -}}
{{- end -}}

{{/* A token of the chart's identity Secret: (dict "root" $ "key" "admin-token") */}}
{{- define "drep.identityToken" -}}
{{- include "drep.generated" (dict "root" .root "secret" (include "drep.identitySecretName" .root) "key" .key "kind" "token") -}}
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

{{/* URL parameters of both database URLs: database.params, then the TLS mode (database.tls). */}}
{{- define "drep.database.params" -}}
{{- $params := list -}}
{{- with .Values.database.params -}}{{- $params = append $params . -}}{{- end -}}
{{- with .Values.database.tls.sslmode -}}{{- $params = append $params (printf "sslmode=%s" .) -}}{{- end -}}
{{- join "&" $params -}}
{{- end -}}

{{- define "drep.database.query" -}}
{{- with include "drep.database.params" . -}}?{{ . }}{{- end -}}
{{- end -}}

{{/* The JDBC URL's parameters add the CA file (pgjdbc reads PEM) when database.tls.caSecret is set. */}}
{{- define "drep.database.jdbcQuery" -}}
{{- $params := include "drep.database.params" . -}}
{{- if .Values.database.tls.caSecret -}}
{{- $params = trimPrefix "&" (printf "%s&sslrootcert=/etc/drep/tls/database/%s" $params .Values.database.tls.caKey) -}}
{{- end -}}
{{- with $params -}}?{{ . }}{{- end -}}
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

{{/* The TCP port of identity.oidc.issuer (explicit, or 443 / 80 from the scheme). */}}
{{- define "drep.oidc.port" -}}
{{- $url := urlParse .Values.identity.oidc.issuer -}}
{{- $hostPort := splitList ":" $url.host -}}
{{- if gt (len $hostPort) 1 -}}
{{- last $hostPort -}}
{{- else if eq $url.scheme "http" -}}
80
{{- else -}}
443
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
{{- if and .Values.artemis.enabled .Values.amqp.tls.enabled -}}
{{- fail "amqp.tls.enabled does not work with artemis.enabled: the evaluation Artemis has no TLS acceptor" -}}
{{- end -}}
{{- if and .Values.postgresql.enabled (has .Values.database.tls.sslmode (list "require" "verify-ca" "verify-full")) -}}
{{- fail (printf "database.tls.sslmode %s does not work with postgresql.enabled: the evaluation PostgreSQL has no certificate" .Values.database.tls.sslmode) -}}
{{- end -}}
{{- if and .Values.identity.oidc.enabled (not .Values.identity.oidc.issuer) -}}
{{- fail "identity.oidc.enabled needs identity.oidc.issuer (the issuer URL of your identity provider)" -}}
{{- end -}}
{{- if and .Values.identity.oidc.enabled .Values.identity.oidc.dashboard.enabled (not .Values.identity.oidc.dashboard.clientSecret.secretName) -}}
{{- fail "identity.oidc.dashboard.enabled needs identity.oidc.dashboard.clientSecret.secretName (a Secret holding the client secret of the dashboard's client at your identity provider), or identity.oidc.dashboard.enabled=false to keep the dashboard's token form" -}}
{{- end -}}
{{- if and (has .Values.database.tls.sslmode (list "verify-ca" "verify-full")) (not .Values.database.tls.caSecret) -}}
{{- fail (printf "database.tls.sslmode %s needs database.tls.caSecret (a Secret with the CA certificate that signed the server's)" .Values.database.tls.sslmode) -}}
{{- end -}}
{{- if and .Values.ingress.enabled .Values.ingress.tls.enabled (not .Values.ingress.tls.secretName) -}}
{{- fail "ingress.tls.enabled needs ingress.tls.secretName (an existing TLS Secret)" -}}
{{- end -}}
{{- $delay := trimSuffix "s" .Values.shutdown.delay | int -}}
{{- if le (int .Values.shutdown.terminationGracePeriodSeconds) (add 30 $delay) -}}
{{- fail (printf "shutdown.terminationGracePeriodSeconds (%v) must exceed shutdown.delay (%s) + the 30s request timeout" .Values.shutdown.terminationGracePeriodSeconds .Values.shutdown.delay) -}}
{{- end -}}
{{- end -}}
