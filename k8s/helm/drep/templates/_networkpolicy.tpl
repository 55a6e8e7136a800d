{{/* A peer selecting the pods of one component of this release: (dict "root" $ "component" "review-publisher") */}}
{{- define "drep.np.podPeer" -}}
- podSelector:
    matchLabels:
      {{- include "drep.selectorLabels" . | nindent 6 }}
{{- end -}}

{{/*
Ingress from Prometheus (networkPolicy.metricsScraper) to a service's management port, for /q/metrics:
(dict "root" $ "port" 9000). Renders nothing when the scraper is not admitted.
*/}}
{{- define "drep.np.metricsIngress" -}}
{{- $s := .root.Values.networkPolicy.metricsScraper -}}
{{- if $s.enabled -}}
- from:
    {{- toYaml (list (dict "namespaceSelector" $s.namespaceSelector "podSelector" $s.podSelector)) | nindent 4 }}
  ports:
    - port: {{ .port }}
      protocol: TCP
{{- end -}}
{{- end -}}

{{/* Egress to the cluster DNS. */}}
{{- define "drep.np.dnsEgress" -}}
- to:
    {{- toYaml (list (dict "namespaceSelector" .Values.networkPolicy.dns.namespaceSelector "podSelector" .Values.networkPolicy.dns.podSelector)) | nindent 4 }}
  ports:
    - port: 53
      protocol: UDP
    - port: 53
      protocol: TCP
{{- end -}}

{{/*
An egress rule to some TCP ports: (dict "to" <peer list, empty: any address> "ports" <port list>)
*/}}
{{- define "drep.np.egressRule" -}}
{{- $ports := list -}}
{{- range .ports -}}
{{- $ports = append $ports (dict "port" (int .) "protocol" "TCP") -}}
{{- end -}}
{{- $rule := dict "ports" $ports -}}
{{- if .to -}}
{{- $_ := set $rule "to" .to -}}
{{- end -}}
{{- list $rule | toYaml -}}
{{- end -}}

{{/* Egress to the scanner's HTTP port (gateway, publisher: token introspection for API tokens). */}}
{{- define "drep.np.scannerEgress" -}}
- to:
    {{- include "drep.np.podPeer" (dict "root" . "component" "scanner-service") | nindent 4 }}
  ports:
    - port: 8081
      protocol: TCP
{{- end -}}

{{/* Egress to PostgreSQL: the in-chart pods, or the configured external peers. */}}
{{- define "drep.np.databaseEgress" -}}
{{- $to := .Values.networkPolicy.database.to -}}
{{- if .Values.postgresql.enabled -}}
{{- $to = include "drep.np.podPeer" (dict "root" . "component" "postgresql") | fromYamlArray -}}
{{- end -}}
{{- include "drep.np.egressRule" (dict "to" $to "ports" (list (include "drep.database.port" .))) -}}
{{- end -}}

{{/* Egress to the AMQP broker. */}}
{{- define "drep.np.brokerEgress" -}}
{{- $to := .Values.networkPolicy.broker.to -}}
{{- if .Values.artemis.enabled -}}
{{- $to = include "drep.np.podPeer" (dict "root" . "component" "artemis") | fromYamlArray -}}
{{- end -}}
{{- include "drep.np.egressRule" (dict "to" $to "ports" (list (include "drep.amqp.port" .))) -}}
{{- end -}}

{{/* Egress to the LLM providers (the port of gateway.provider.baseUrl, and extraPorts for further providers). */}}
{{- define "drep.np.llmProviderEgress" -}}
{{- $ports := prepend .Values.networkPolicy.llmProvider.extraPorts (include "drep.llmProvider.port" .) | uniq -}}
{{- include "drep.np.egressRule" (dict "to" .Values.networkPolicy.llmProvider.to "ports" $ports) -}}
{{- end -}}

{{/* Egress to the OpenTelemetry collector, when traces are exported (tracing.otlpEndpoint). */}}
{{- define "drep.np.otlpEgress" -}}
{{- if .Values.tracing.otlpEndpoint -}}
{{- include "drep.np.egressRule" (dict "to" .Values.networkPolicy.otlpCollector.to "ports" (list (include "drep.otlp.port" .))) -}}
{{- end -}}
{{- end -}}

{{/* Egress to the OIDC issuer (the services that accept OIDC access tokens: discovery document and signing keys). */}}
{{- define "drep.np.oidcEgress" -}}
{{- if .Values.identity.oidc.enabled -}}
{{- include "drep.np.egressRule" (dict "to" .Values.networkPolicy.oidcProvider.to "ports" (list (include "drep.oidc.port" .))) -}}
{{- end -}}
{{- end -}}

{{/* Egress to the code platforms (scanner: fetching repositories; publisher: posting reviews). */}}
{{- define "drep.np.platformsEgress" -}}
{{- include "drep.np.egressRule" (dict "to" .Values.networkPolicy.platforms.to "ports" .Values.networkPolicy.platforms.ports) -}}
{{- end -}}
