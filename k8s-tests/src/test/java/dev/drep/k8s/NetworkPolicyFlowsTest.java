package dev.drep.k8s;

import static dev.drep.k8s.NetworkFlows.flow;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.k8s.Manifests.Rendered;
import dev.drep.k8s.Manifests.Variant;
import dev.drep.k8s.NetworkFlows.Endpoint;
import dev.drep.k8s.NetworkFlows.Port;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Computes the (from, to, port) connections the rendered NetworkPolicies admit and compares them
 * with the flows of docs/architecture.md, for the default values and with every option on.
 */
class NetworkPolicyFlowsTest {

    static final String SCANNER = "scanner-service";
    static final String ANALYZER = "analyzer-service";
    static final String GATEWAY = "llm-gateway";
    static final String PUBLISHER = "review-publisher";
    static final String POSTGRESQL = "postgresql";
    static final String ARTEMIS = "artemis";

    static final List<Port> PORTS = List.of(
            new Port(53, "UDP"), new Port(53, "TCP"), new Port(22, "TCP"), new Port(80, "TCP"), new Port(443, "TCP"),
            new Port(5432, "TCP"), new Port(5672, "TCP"), new Port(61616, "TCP"), new Port(8161, "TCP"),
            new Port(8081, "TCP"), new Port(8082, "TCP"), new Port(8083, "TCP"), new Port(8084, "TCP"),
            new Port(9000, "TCP"), new Port(8443, "TCP"), new Port(11434, "TCP"), new Port(4317, "TCP"), new Port(4318, "TCP"));

    /** Pods and addresses around the release; the names are what the expected flows use. */
    static final List<Endpoint> SURROUNDINGS = List.of(
            Endpoint.pod("ingress-controller", "ingress-nginx", Map.of("app.kubernetes.io/name", "ingress-nginx"), "10.244.9.1"),
            Endpoint.pod("kube-dns", "kube-system", Map.of("k8s-app", "kube-dns"), "10.244.9.2"),
            Endpoint.pod("keda-operator", "keda", Map.of("app.kubernetes.io/name", "keda-operator"), "10.244.9.3"),
            Endpoint.pod("ci-runner", "ci", Map.of("app", "runner"), "10.244.9.4"),
            Endpoint.pod("neighbour-pod", Manifests.NAMESPACE, Map.of("app", "something-else"), "10.244.9.5"),
            Endpoint.pod("other-namespace-pod", "shop", Map.of("app", "web"), "10.244.9.6"),
            Endpoint.pod("prometheus", "monitoring", Map.of("app.kubernetes.io/name", "prometheus"), "10.244.9.7"),
            Endpoint.pod("grafana", "monitoring", Map.of("app.kubernetes.io/name", "grafana"), "10.244.9.8"),
            Endpoint.pod("metrics-agent", "observability", Map.of("app.kubernetes.io/name", "metrics-agent"), "10.244.9.9"),
            Endpoint.pod("prometheus-elsewhere", "observability", Map.of("app.kubernetes.io/name", "prometheus"),
                    "10.244.9.10"),
            Endpoint.pod("otel-collector", "observability", Map.of("app.kubernetes.io/name", "otel-collector"),
                    "10.244.9.11"),
            Endpoint.external("internet", "203.0.113.10"),
            Endpoint.external("llm-provider", "162.159.140.5"),
            Endpoint.external("github", "140.82.113.4"),
            Endpoint.external("gitea-internal", "10.40.1.2"),
            Endpoint.external("identity-provider", "198.51.100.7"));

    @Test
    void defaultValuesAdmitTheArchitecturesFlowsWithExternalServicesAnywhere() {
        Rendered rendered = Manifests.rendered(Variant.DEFAULTS);
        Set<String> expected = new TreeSet<>();
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            dns(expected, service);
        }
        expected.add(flow(SCANNER, PUBLISHER, tcp(8084)));
        expected.add(flow(ANALYZER, GATEWAY, tcp(8083)));
        expected.add(flow(SCANNER, GATEWAY, tcp(8083))); // questions of /drep ask
        // the gateway and the publisher ask the scanner what API tokens grant (token introspection)
        expected.add(flow(GATEWAY, SCANNER, tcp(8081)));
        expected.add(flow(PUBLISHER, SCANNER, tcp(8081)));
        // Prometheus (in namespace monitoring) scrapes /q/metrics of every service; nothing else there does
        scrapes(expected, "prometheus");
        // external PostgreSQL, broker, LLM provider and platforms without configured peers: any
        // address on their port (not the release's own pods, whose ingress is closed)
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            anywhere(expected, service, 5432);
        }
        for (String service : List.of(SCANNER, ANALYZER, PUBLISHER)) {
            anywhere(expected, service, 5672);
        }
        anywhere(expected, SCANNER, 443);
        anywhere(expected, PUBLISHER, 443);
        anywhere(expected, GATEWAY, 11434); // the port of the default provider URL, http://ollama:11434/v1

        assertThat(allowed(rendered)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyOptionOnAdmitsExactlyTheArchitecturesFlows() {
        Rendered rendered = Manifests.rendered(Variant.ALL_ON);
        Set<String> expected = new TreeSet<>();
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            dns(expected, service);
        }
        // webhooks and API: the ingress controller, and the CI namespace listed in apiClients
        expected.add(flow("ingress-controller", SCANNER, tcp(8081)));
        expected.add(flow("ci-runner", SCANNER, tcp(8081)));
        // service to service
        expected.add(flow(SCANNER, PUBLISHER, tcp(8084)));
        expected.add(flow(ANALYZER, GATEWAY, tcp(8083)));
        expected.add(flow(SCANNER, GATEWAY, tcp(8083))); // questions of /drep ask
        expected.add(flow(GATEWAY, SCANNER, tcp(8081)));
        expected.add(flow(PUBLISHER, SCANNER, tcp(8081)));
        // the scraper configured in networkPolicy.metricsScraper, and no longer the default Prometheus
        scrapes(expected, "metrics-agent");
        // every service exports traces to the collector (tracing.otlpEndpoint, its http/protobuf port)
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            expected.add(flow(service, "otel-collector", tcp(4318)));
        }
        // the in-chart PostgreSQL from the four services (the gateway keeps its ledger there),
        // Artemis from the three that use messaging (not the gateway)
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            expected.add(flow(service, POSTGRESQL, tcp(5432)));
        }
        for (String service : List.of(SCANNER, ANALYZER, PUBLISHER)) {
            expected.add(flow(service, ARTEMIS, tcp(5672)));
        }
        // KEDA reads the analyzers' queue depth from the broker's management API
        expected.add(flow("keda-operator", ARTEMIS, tcp(8161)));
        // the LLM providers' address block, on the port of https://api.openai.com/v1 and the
        // fallback provider's port (networkPolicy.llmProvider.extraPorts)
        expected.add(flow(GATEWAY, "llm-provider", tcp(443)));
        expected.add(flow(GATEWAY, "llm-provider", tcp(8443)));
        // the services that accept OIDC access tokens fetch the issuer's discovery document and keys (identity.oidc, https: 443)
        for (String service : List.of(SCANNER, GATEWAY, PUBLISHER)) {
            expected.add(flow(service, "identity-provider", tcp(443)));
        }
        // the platforms' address blocks, for fetching (scanner) and posting (publisher)
        for (String service : List.of(SCANNER, PUBLISHER)) {
            expected.add(flow(service, "github", tcp(443)));
            expected.add(flow(service, "gitea-internal", tcp(443)));
        }

        assertThat(allowed(rendered)).containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void everyReleasePodIsIsolatedInBothDirections() {
        for (Variant variant : Variant.values()) {
            Rendered rendered = Manifests.rendered(variant);
            NetworkFlows flows = new NetworkFlows(rendered.ofKind("NetworkPolicy").toList(), Manifests.NAMESPACE);
            Endpoint outsider = SURROUNDINGS.get(5);
            for (Endpoint pod : NetworkFlows.releasePods(rendered, Manifests.NAMESPACE)) {
                assertThat(flows.admits(outsider, pod, tcp(22)))
                        .as("%s: %s must not accept arbitrary ingress", variant, pod.name()).isFalse();
                assertThat(flows.admits(pod, outsider, tcp(22)))
                        .as("%s: %s must not send arbitrary egress", variant, pod.name()).isFalse();
            }
        }
    }

    private static Set<String> allowed(Rendered rendered) {
        List<Endpoint> endpoints = new ArrayList<>(NetworkFlows.releasePods(rendered, Manifests.NAMESPACE));
        endpoints.addAll(SURROUNDINGS);
        NetworkFlows flows = new NetworkFlows(rendered.ofKind("NetworkPolicy").toList(), Manifests.NAMESPACE);
        return flows.allowed(endpoints, PORTS);
    }

    private static void dns(Set<String> expected, String service) {
        expected.add(flow(service, "kube-dns", new Port(53, "UDP")));
        expected.add(flow(service, "kube-dns", new Port(53, "TCP")));
    }

    /** {@code scraper} may reach every service's management port (for /q/metrics), not its API port. */
    private static void scrapes(Set<String> expected, String scraper) {
        for (String service : List.of(SCANNER, ANALYZER, GATEWAY, PUBLISHER)) {
            expected.add(flow(scraper, service, tcp(9000)));
        }
    }

    /** {@code service} may reach every endpoint outside the release on {@code port}. */
    private static void anywhere(Set<String> expected, String service, int port) {
        for (Endpoint endpoint : SURROUNDINGS) {
            expected.add(flow(service, endpoint.name(), tcp(port)));
        }
    }

    private static Port tcp(int port) {
        return new Port(port, "TCP");
    }
}
