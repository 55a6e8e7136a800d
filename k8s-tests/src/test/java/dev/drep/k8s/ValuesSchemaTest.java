package dev.drep.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Wrong values fail {@code helm template} (and so install/upgrade) with a message naming the value. */
class ValuesSchemaTest {

    @Test
    void negativeReplicasAreRejected() {
        assertRejected(Map.of("scanner.replicas", -1), "/scanner/replicas", "minimum: got -1, want 0");
    }

    @Test
    void aNegativeGatewayReplicaCountIsRejected() {
        assertRejected(Map.of("gateway.replicas", -1), "/gateway/replicas", "minimum: got -1, want 0");
    }

    @Test
    void anUnknownProviderKindIsRejected() {
        assertRejected(Map.of("gateway.provider.kind", "azure-magic"), "/gateway/provider/kind", "value must be one of", "'openai'");
    }

    @Test
    void aMissingImageIsRejected() {
        assertRejected(Map.of("analyzer.image.repository", ""), "/analyzer/image/repository", "minLength");
    }

    @Test
    void aMisspelledKeyIsRejected() {
        assertRejected(Map.of("publisher.replica", 3), "/publisher", "additional properties 'replica' not allowed");
    }

    @Test
    void missingResourceLimitsAreRejected() {
        assertRejected(Map.of("scanner.resources.limits", "null"), "/scanner/resources", "limits");
    }

    @Test
    void aGracePeriodShorterThanTheShutdownIsRejected() {
        assertRejected(Map.of("shutdown.terminationGracePeriodSeconds", 20), "/shutdown/terminationGracePeriodSeconds", "minimum");
        assertRejected(Map.of("shutdown.terminationGracePeriodSeconds", 34, "shutdown.delay", "5s"),
                "shutdown.terminationGracePeriodSeconds (34) must exceed shutdown.delay (5s) + the 30s request timeout");
    }

    @Test
    void inconsistentCombinationsFailWithWhatToSet() {
        assertRejected(Map.of("postgresql.enabled", true),
                "postgresql.enabled needs a database password: set database.auth.password or database.auth.existingSecret");
        assertRejected(Map.of("artemis.enabled", true),
                "artemis.enabled needs broker credentials");
        assertRejected(Map.of("analyzer.keda.enabled", true),
                "analyzer.keda.enabled with an external broker needs analyzer.keda.managementEndpoint");
        assertRejected(Map.of("gateway.provider.kind", "openai", "gateway.provider.baseUrl", "https://api.openai.com/v1"),
                "gateway.provider.kind openai needs an API key");
        assertRejected(Map.of("artemis.enabled", true, "amqp.auth.username", "admin", "amqp.auth.password", "pw",
                "amqp.tls.enabled", true), "amqp.tls.enabled does not work with artemis.enabled");
        assertRejected(Map.of("postgresql.enabled", true, "database.auth.password", "pw", "database.tls.sslmode", "require"),
                "database.tls.sslmode require does not work with postgresql.enabled");
    }

    @Test
    void validCombinationsRender() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("gateway.replicas", 0);
        sets.put("scanner.autoscaling.enabled", false);
        sets.put("scanner.replicas", 0);
        sets.put("analyzer.keda.enabled", true);
        sets.put("analyzer.keda.managementEndpoint", "broker.messaging.svc:8161");
        sets.put("analyzer.keda.brokerName", "prod-broker");
        sets.put("networkPolicy.enabled", false);
        String yaml = Manifests.template(null, sets);
        assertThat(Manifests.parse(yaml)).anyMatch(o -> Manifests.kind(o).equals("ScaledObject"))
                .noneMatch(o -> Manifests.kind(o).equals("NetworkPolicy"));
    }

    @Test
    void aTaskClassIsRoutedToAnAliasThroughTheGatewaysEnvironment() {
        Map<String, Object> sets = new LinkedHashMap<>();
        sets.put("gateway.models.checker", "small-model");
        sets.put("gateway.taskClasses.verify", "checker");
        JsonNode gateway = Manifests.parse(Manifests.template(null, sets)).stream()
                .filter(o -> Manifests.kind(o).equals("ConfigMap") && o.path("metadata").path("name").asText()
                        .endsWith("llm-gateway"))
                .findFirst().orElseThrow().path("data");
        assertThat(gateway.path("DREP_GATEWAY_MODELS_CHECKER").asText()).isEqualTo("small-model");
        assertThat(gateway.path("DREP_GATEWAY_TASK_CLASSES_VERIFY").asText()).isEqualTo("checker");
        assertRejected(Map.of("gateway.taskClasses.verify", "Not An Alias"), "taskClasses");
    }

    private static void assertRejected(Map<String, Object> sets, String... messageParts) {
        assertThatThrownBy(() -> Manifests.template(null, sets))
                .as("helm template with %s", sets)
                .hasMessageContainingAll(messageParts);
    }
}
