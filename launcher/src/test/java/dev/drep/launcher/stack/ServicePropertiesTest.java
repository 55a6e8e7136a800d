package dev.drep.launcher.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import dev.drep.core.identity.TokenHashes;
import java.io.File;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServicePropertiesTest {
    private static final String ROOTS = System.getProperty("user.home") + "," + System.getProperty("java.io.tmpdir");
    private final StackPorts ports = new StackPorts(5432, 5672, Map.of(ServiceKind.SCANNER, 9001,
            ServiceKind.ANALYZER, 9002, ServiceKind.LLM_GATEWAY, 9003, ServiceKind.REVIEW_PUBLISHER, 9004),
            Map.of(ServiceKind.SCANNER, 9101, ServiceKind.ANALYZER, 9102, ServiceKind.LLM_GATEWAY, 9103,
                    ServiceKind.REVIEW_PUBLISHER, 9104));
    private final ServiceProperties.Database database = new ServiceProperties.Database(
            "jdbc:postgresql://127.0.0.1:5432/drep", "postgresql://127.0.0.1:5432/drep", "postgres", "postgres");
    private final Map<String, String> provider = Map.of("DREP_LLM_BASE_URL", "http://llm.local/v1",
            "DREP_LLM_API_KEY", "sk-secret-123", "DREP_LLM_MODEL", "small-model", "PATH", "/usr/bin");
    private final StackCredentials credentials = new StackCredentials("drep_admin-secret", "drep_scanner-secret",
            "drep_analyzer-secret", "drep_gateway-secret", "drep_publisher-secret");
    private final ServiceProperties.Access access = new ServiceProperties.Access(credentials, "127.0.0.1");

    @Test
    void theScannerGetsDatabaseBrokerAndThePublishersAndTheGatewaysUrls() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.SCANNER, ports, database, provider, access)).containsExactly(
                entry("quarkus.http.port", "9001"),
                entry("quarkus.http.host", "127.0.0.1"),
                entry("quarkus.management.port", "9101"),
                entry("quarkus.management.host", "127.0.0.1"),
                entry("drep.identity.callers.admin.token-sha256", TokenHashes.sha256("drep_admin-secret")),
                entry("drep.identity.callers.gateway.token-sha256", TokenHashes.sha256("drep_gateway-secret")),
                entry("drep.identity.callers.publisher.token-sha256", TokenHashes.sha256("drep_publisher-secret")),
                entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.username", "postgres"),
                entry("quarkus.datasource.password", "postgres"),
                entry("amqp-host", "127.0.0.1"),
                entry("amqp-port", "5672"),
                entry("quarkus.rest-client.review-publisher.url", "http://127.0.0.1:9004"),
                // /drep ask
                entry("quarkus.rest-client.llm-gateway.url", "http://127.0.0.1:9003"),
                entry("drep.scanner.local-reviews.enabled", "true"),
                entry("drep.scanner.local-reviews.roots", ROOTS),
                entry("drep.scanner.local-reviews.output-roots", ROOTS));
    }

    @Test
    void localReviewsAreLimitedToTheHomeTheTemporaryFolderAndTheFoldersTheUserNames() {
        assertThat(ServiceProperties.localRoots(Map.of("DREP_LOCAL_ROOTS", "/srv/code" + File.pathSeparator + "/data/a,b")))
                .isEqualTo(ROOTS + ",/srv/code,/data/a\\,b");
        Map<String, String> withReview = ServiceProperties.withLocalRoots(Map.of("DREP_LOCAL_ROOTS", "/srv/code"),
                List.of("/work/repo", "/work/out"));
        assertThat(ServiceProperties.localRoots(withReview)).isEqualTo(ROOTS + ",/srv/code,/work/repo,/work/out");
        assertThat(ServiceProperties.localRoots(Map.of()).split(",")).doesNotContain("/");
    }

    @Test
    void theAnalyzerGetsTheGatewaysUrl() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database, provider, access))
                .containsEntry("quarkus.http.port", "9002")
                .containsEntry("amqp-port", "5672")
                .containsEntry("quarkus.rest-client.llm-gateway.url", "http://127.0.0.1:9003")
                .containsEntry("drep.analyzer.llm.patience", "60s")
                .doesNotContainKey("quarkus.rest-client.review-publisher.url")
                .hasSize(13);
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database,
                Map.of("DREP_ANALYZER_LLM_PATIENCE", "5m"), access)).as("the user's setting wins")
                .containsEntry("drep.analyzer.llm.patience", "5m");
    }

    @Test
    void thePublisherGetsDatabaseBrokerTheScannersTokenHashAndItsOutputRoots() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.REVIEW_PUBLISHER, ports, database, provider, access))
                .containsEntry("quarkus.http.port", "9004")
                .containsEntry("quarkus.datasource.jdbc.url", database.jdbcUrl())
                .containsEntry("drep.identity.callers.scanner.token-sha256", TokenHashes.sha256("drep_scanner-secret"))
                .containsEntry("drep.publisher.local-reviews.enabled", "true")
                .containsEntry("drep.publisher.local-reviews.output-roots", ROOTS)
                .containsEntry("drep.identity.introspection.url", "http://127.0.0.1:9001")
                .hasSize(15);
    }

    @Test
    void theGatewayGetsItsDatabaseAndProviderSettingsButNeverTheKeyOnItsCommandLine() {
        Map<String, String> properties = ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database, provider, access);

        assertThat(properties).containsExactly(
                entry("quarkus.http.port", "9003"),
                entry("quarkus.http.host", "127.0.0.1"),
                entry("quarkus.management.port", "9103"),
                entry("quarkus.management.host", "127.0.0.1"),
                entry("drep.identity.callers.admin.token-sha256", TokenHashes.sha256("drep_admin-secret")),
                entry("drep.identity.callers.analyzer.token-sha256", TokenHashes.sha256("drep_analyzer-secret")),
                entry("drep.identity.callers.scanner.token-sha256", TokenHashes.sha256("drep_scanner-secret")),
                entry("drep.identity.introspection.url", "http://127.0.0.1:9001"),
                entry("quarkus.datasource.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.reactive.url", "postgresql://127.0.0.1:5432/drep"),
                entry("quarkus.datasource.username", "postgres"),
                entry("quarkus.datasource.password", "postgres"),
                entry("drep.gateway.provider.base-url", "http://llm.local/v1"),
                entry("drep.gateway.default-model", "small-model"),
                // the stack's only gateway keeps its limits in memory
                entry("drep.gateway.limits.shared", "false"));
        assertThat(properties.values()).doesNotContain("sk-secret-123");
    }

    @Test
    void theUserCanStillHaveTheLocalGatewayShareItsLimits() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database,
                Map.of("DREP_GATEWAY_LIMITS_SHARED", "true"), access))
                .contains(entry("drep.gateway.limits.shared", "true"));
    }

    @Test
    void aVerifyModelGetsAnAliasAndTheVerifyTaskClassIsRoutedToIt() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database,
                Map.of("DREP_LLM_MODEL", "big-model", "DREP_LLM_VERIFY_MODEL", "small-model"), access))
                .contains(entry("drep.gateway.default-model", "big-model"),
                        entry("drep.gateway.models.verifier", "small-model"),
                        entry("drep.gateway.task-classes.verify", "verifier"));
        assertThat(ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database,
                Map.of("DREP_LLM_MODEL", "big-model"), access))
                .doesNotContainKeys("drep.gateway.models.verifier", "drep.gateway.task-classes.verify");
    }

    @Test
    void unsetProviderSettingsAreNotPassed() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.LLM_GATEWAY, ports, database,
                Map.of("DREP_LLM_MODEL", " "), access)).doesNotContainKeys("drep.gateway.provider.base-url",
                        "drep.gateway.default-model", "amqp-host");
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.LLM_GATEWAY, Map.of(), access.credentials()))
                .containsOnlyKeys("DREP_IDENTITY_SERVICE_TOKEN");
    }

    @Test
    void theKeyReachesTheGatewayThroughItsEnvironmentOnly() {
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.LLM_GATEWAY, provider, access.credentials())).containsOnly(
                entry("DREP_LLM_BASE_URL", "http://llm.local/v1"),
                entry("DREP_LLM_API_KEY", "sk-secret-123"),
                entry("DREP_LLM_MODEL", "small-model"),
                entry("DREP_GATEWAY_PROVIDER_API_KEY", "sk-secret-123"),
                entry("DREP_IDENTITY_SERVICE_TOKEN", "drep_gateway-secret"));
        for (ServiceKind kind : new ServiceKind[] {ServiceKind.SCANNER, ServiceKind.ANALYZER, ServiceKind.REVIEW_PUBLISHER}) {
            assertThat(ServiceProperties.addedEnvironment(kind, provider, access.credentials())).as(kind.module())
                    .doesNotContainKeys("DREP_LLM_API_KEY", "DREP_GATEWAY_PROVIDER_API_KEY");
        }
        assertThat(ServiceProperties.removedEnvironmentPrefixes())
                .containsExactlyInAnyOrder("DREP_LLM_", "DREP_GATEWAY_PROVIDER_API_KEY", "DREP_IDENTITY_SERVICE_TOKEN");
    }

    @Test
    void serviceTokensTravelInTheEnvironmentAndOnlyTheirHashesOnCommandLines() {
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.SCANNER, Map.of(), credentials))
                .containsOnly(entry("DREP_IDENTITY_SERVICE_TOKEN", "drep_scanner-secret"));
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.ANALYZER, Map.of(), credentials))
                .containsOnly(entry("DREP_IDENTITY_SERVICE_TOKEN", "drep_analyzer-secret"));
        // the gateway and the publisher ask the scanner about API tokens with their own tokens
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.LLM_GATEWAY, Map.of(), credentials))
                .containsOnly(entry("DREP_IDENTITY_SERVICE_TOKEN", "drep_gateway-secret"));
        assertThat(ServiceProperties.addedEnvironment(ServiceKind.REVIEW_PUBLISHER, Map.of(), credentials))
                .containsOnly(entry("DREP_IDENTITY_SERVICE_TOKEN", "drep_publisher-secret"));
        for (ServiceKind kind : ServiceKind.values()) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, provider, access).values()).as("%s", kind)
                    .doesNotContain("drep_admin-secret", "drep_scanner-secret", "drep_analyzer-secret", "drep_gateway-secret",
                            "drep_publisher-secret");
        }
        assertThat(credentials.toString()).doesNotContain("secret");
    }

    @Test
    void theGatewayAndThePublisherAskTheScannerAboutApiTokensWithTheCacheTimeTheUserSets() {
        for (ServiceKind kind : new ServiceKind[] {ServiceKind.LLM_GATEWAY, ServiceKind.REVIEW_PUBLISHER}) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, provider, access)).as("%s", kind)
                    .containsEntry("drep.identity.introspection.url", "http://127.0.0.1:9001")
                    .doesNotContainKey("drep.identity.introspection.cache-time");
            assertThat(ServiceProperties.systemProperties(kind, ports, database,
                    Map.of("DREP_IDENTITY_INTROSPECTION_CACHE_TIME", "3s"), access)).as("%s", kind)
                    .containsEntry("drep.identity.introspection.cache-time", "3s");
        }
        for (ServiceKind kind : new ServiceKind[] {ServiceKind.SCANNER, ServiceKind.ANALYZER}) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, provider, access)).as("%s", kind)
                    .doesNotContainKey("drep.identity.introspection.url");
        }
    }

    @Test
    void servicesListenOnLoopbackUnlessAnotherAddressIsGiven() {
        for (ServiceKind kind : ServiceKind.values()) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, provider, access))
                    .containsEntry("quarkus.http.host", "127.0.0.1").containsEntry("quarkus.management.host", "127.0.0.1");
        }
        // health and metrics listen where the API does, on a port of their own
        assertThat(ServiceProperties.systemProperties(ServiceKind.SCANNER, ports, database, provider,
                new ServiceProperties.Access(credentials, "0.0.0.0"))).containsEntry("quarkus.http.host", "0.0.0.0")
                .containsEntry("quarkus.management.host", "0.0.0.0").containsEntry("quarkus.management.port", "9101");
    }

    @Test
    void anOtlpEndpointExportsEveryTraceOfEveryService() {
        Map<String, String> variables = Map.of("DREP_OTLP_ENDPOINT", "http://collector:4318",
                "DREP_OTLP_PROTOCOL", "http/protobuf");
        for (ServiceKind kind : ServiceKind.values()) {
            assertThat(ServiceProperties.systemProperties(kind, ports, database, variables, access)).as("%s", kind)
                    .containsEntry("quarkus.otel.exporter.otlp.traces.endpoint", "http://collector:4318")
                    .containsEntry("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf")
                    .containsEntry("quarkus.otel.traces.sampler.arg", "1");
        }
        assertThat(ServiceProperties.systemProperties(ServiceKind.SCANNER, ports, database,
                Map.of("DREP_OTLP_ENDPOINT", "http://collector:4317", "DREP_TRACES_SAMPLE_RATIO", "0.1"), access))
                .containsEntry("quarkus.otel.traces.sampler.arg", "0.1")
                .doesNotContainKey("quarkus.otel.exporter.otlp.traces.protocol");
    }

    @Test
    void tracesAreNotExportedAndLogsAreTextUnlessAskedFor() {
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database, provider, access))
                .doesNotContainKeys("quarkus.otel.exporter.otlp.traces.endpoint", "quarkus.otel.traces.sampler.arg",
                        "quarkus.log.console.json.enabled");
        assertThat(ServiceProperties.systemProperties(ServiceKind.ANALYZER, ports, database,
                Map.of("DREP_LOG_FORMAT", "json"), access)).containsEntry("quarkus.log.console.json.enabled", "true");
    }

    @Test
    void environmentNamesFollowTheQuarkusRule() {
        assertThat(ServiceProperties.environmentName("drep.gateway.provider.api-key")).isEqualTo("DREP_GATEWAY_PROVIDER_API_KEY");
        assertThat(ServiceProperties.environmentName("quarkus.http.port")).isEqualTo("QUARKUS_HTTP_PORT");
    }
}
