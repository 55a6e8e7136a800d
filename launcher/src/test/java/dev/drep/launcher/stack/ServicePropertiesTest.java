package dev.drep.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicePropertiesTest {
    private final StackPorts ports = new StackPorts(5432, 5672, Map.of(ServiceKind.SCANNER, 9001,
            ServiceKind.ANALYZER, 9002, ServiceKind.LLM_GATEWAY, 9003, ServiceKind.REVIEW_PUBLISHER, 9004));
    private final ServiceProperties.Database database = new ServiceProperties.Database(
            "jdbc:postgresql://127.0.0.1:5432/drep", "postgresql://127.0.0.1:5432/drep", "postgres", "postgres");
    private final Map<String, String> provider = Map.of("DREP_LLM_BASE_URL", "http://llm.local/v1",
            "DREP_LLM_API_KEY", "sk-secret-123", "DREP_LLM_MODEL", "small-model", "PATH", "/usr/bin");

    @Test
    void theScannerGetsDatabaseBrokerAndThePublishersUrl() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.SCANNER, ports, database, provider)).containsExactly(
                entry("quarkus.http.port", "9001"),
                entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.username", "postgres"),
                entry("quarkus.datasource.password", "postgres"),
                entry("amqp-host", "127.0.0.1"),
                entry("amqp-port", "5672"),
                entry("quarkus.rest-client.review-publisher.url", "http://127.0.0.1:9004"));
    }

    @Test
    void theAnalyzerGetsTheGatewaysUrl() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database, provider))
                .containsEntry("quarkus.http.port", "9002")
                .containsEntry("amqp-port", "5672")
                .containsEntry("quarkus.rest-client.llm-gateway.url", "http://127.0.0.1:9003")
                .containsEntry("drep.analyzer.llm.patience", "60s")
                .doesNotContainKey("quarkus.rest-client.review-publisher.url")
                .hasSize(9);
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database,
                Map.of("DREP_ANALYZER_LLM_PATIENCE", "5m"))).as("the user's setting wins")
                .containsEntry("drep.analyzer.llm.patience", "5m");
    }

    @Test
    void thePublisherGetsDatabaseAndBrokerOnly() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.REVIEW_PUBLISHER, ports, database, provider))
                .containsEntry("quarkus.http.port", "9004")
                .containsEntry("quarkus.datasource.jdbc.url", database.jdbcUrl())
                .hasSize(7);
    }

    @Test
    void theGatewayGetsItsDatabaseAndProviderSettingsButNeverTheKeyOnItsCommandLine() {
        Map<String, String> properties = ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database, provider);

        assertThat(properties).containsExactly(
                entry("quarkus.http.port", "9003"),
                entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.username", "postgres"),
                entry("quarkus.datasource.password", "postgres"),
                entry("drep.gateway.provider.base-url", "http://llm.local/v1"),
                entry("drep.gateway.default-model", "small-model"));
        assertThat(properties.values()).doesNotContain("sk-secret-123");
    }

    @Test
    void unsetProviderSettingsAreNotPassed() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database,
                Map.of("DREP_LLM_MODEL", " "))).doesNotContainKeys("drep.gateway.provider.base-url",
                        "drep.gateway.default-model", "amqp-host");
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.LLM_GATEWAY, Map.of())).isEmpty();
    }

    @Test
    void theKeyReachesTheGatewayThroughItsEnvironmentOnly() {
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.LLM_GATEWAY, provider)).containsOnly(
                entry("DREP_LLM_BASE_URL", "http://llm.local/v1"),
                entry("DREP_LLM_API_KEY", "sk-secret-123"),
                entry("DREP_LLM_MODEL", "small-model"),
                entry("DREP_GATEWAY_PROVIDER_API_KEY", "sk-secret-123"));
        for (ServiceKind kind : new ServiceKind[] {ServiceKind.SCANNER, ServiceKind.ANALYZER, ServiceKind.REVIEW_PUBLISHER}) {
            assertThat(ServiceProperties.addedEnvironment(kind, provider)).as(kind.module()).isEmpty();
        }
        assertThat(ServiceProperties.removedEnvironmentPrefixes())
                .containsExactlyInAnyOrder("DREP_LLM_", "DREP_GATEWAY_PROVIDER_API_KEY");
    }

    @Test
    void anOtlpEndpointExportsEveryTraceOfEveryService() {
        Map<String, String> variables = Map.of("DREP_OTLP_ENDPOINT", "http://collector:4318",
                "DREP_OTLP_PROTOCOL", "http/protobuf");
        for (ServiceKind kind : ServiceKind.values()) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, variables)).as("%s", kind)
                    .containsEntry("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318")
                    .containsEntry("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf")
                    .containsEntry("quarkus.otel.traces.sampler.arg", "1");
        }
        assertThat(ServiceProperties.systemProperties(ServiceKind.SCANNER, ports, database,
                Map.of("DREP_OTLP_ENDPOINT", "http://collector:4317", "DREP_TRACES_SAMPLE_RATIO", "0.1")))
                .containsEntry("quarkus.otel.traces.sampler.arg", "0.1")
                .doesNotContainKey("quarkus.otel.exporter.otlp.traces.protocol");
    }

    @Test
    void tracesAreNotExportedAndLogsAreTextUnlessAskedFor() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database, provider))
                .doesNotContainKeys("quarkus.otel.exporter.otlp.traces.endpoint", "quarkus.otel.traces.sampler.arg",
                        "quarkus.log.console.json.enabled");
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database,
                Map.of("DREP_LOG_FORMAT", "json"))).containsEntry("quarkus.log.console.json.enabled", "true");
    }

    @Test
    void environmentNamesFollowTheQuarkusRule() {
        assertThat(ServiceProperties.environmentName("drep.gateway.provider.api-key")).isEqualTo("DREP_GATEWAY_PROVIDER_API_KEY");
        assertThat(ServiceProperties.environmentName("quarkus.http.port")).isEqualTo("QUARKUS_HTTP_PORT");
    }
}
