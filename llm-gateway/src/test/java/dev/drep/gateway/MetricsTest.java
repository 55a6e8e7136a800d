package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.metrics.DocumentedMetrics;
import dev.drep.testsupport.metrics.PrometheusText;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URL;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The Prometheus meters the README documents exist and move. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class MetricsTest extends GatewayTestBase {
    /** Metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    @Test
    void theApiPortServesNeitherMetricsNorHealth() {
        // anyone who can reach the API port (a caller of /v1) learns nothing from /q/metrics: it is not there
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            anonymous().get(path).then().statusCode(404);
            asAdmin().get(path).then().statusCode(404);
        }
        RestAssured.get(metricsEndpoint).then().statusCode(200);
    }

    @Test
    void requestsTokensCostQueueInFlightAndBreakersAreExported() {
        llm.usage(1_000_000, 0);
        String repository = "metrics/" + UUID.randomUUID();
        asAdmin().contentType(ContentType.JSON).header("X-Drep-Repository", repository)
                .body(request("default", "count me " + UUID.randomUUID()))
                .when().post("/v1/chat/completions").then().statusCode(200);

        String metrics = RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();

        // every series carries the service label (docs/observability.md); label names are sorted
        assertThat(metrics).contains(
                "drep_gateway_requests_total{alias=\"default\",cache=\"miss\",outcome=\"ok\",service=\"gateway\"}",
                "drep_gateway_tokens_total{alias=\"default\",service=\"gateway\",type=\"prompt\"}",
                "drep_gateway_cost_usd_total{alias=\"default\",service=\"gateway\"}",
                "drep_gateway_queue_depth{priority=\"batch\",service=\"gateway\"} 0.0",
                "drep_gateway_queue_depth{priority=\"interactive\",service=\"gateway\"} 0.0",
                "drep_gateway_queue_wait_seconds_count{service=\"gateway\"}",
                "drep_gateway_in_flight{service=\"gateway\"} 0.0",
                "drep_gateway_repository_in_flight{repository=\"" + repository + "\",service=\"gateway\"} 0.0",
                "drep_gateway_circuit_state{provider=\"default\",service=\"gateway\"} 0.0",
                "drep_gateway_provider_concurrency_limit{provider=\"default\",service=\"gateway\"} 5.0",
                "drep_gateway_provider_in_flight{provider=\"default\",service=\"gateway\"}",
                "drep_gateway_provider_latency_seconds_count{outcome=\"ok\",provider=\"default\",service=\"gateway\"}",
                "drep_gateway_window_requests{service=\"gateway\"}",
                "drep_gateway_window_tokens{service=\"gateway\"}",
                "drep_gateway_ledger_write_failures_total{service=\"gateway\"} 0.0");
        // A million prompt tokens of fake-model cost 2.5 USD: the cost counter moved by at least that.
        double cost = PrometheusText.value(metrics, "drep_gateway_cost_usd_total{alias=\"default\",service=\"gateway\"}");
        assertThat(cost).isGreaterThanOrEqualTo(2.5);
        // every documented name is exposed; retries and fallbacks appear with the first of them
        // (FallbackAndCircuitBreakerTest), no request here needs one
        assertThat(DocumentedMetrics.missing(metrics, "gateway")).as("metrics docs/observability.md documents")
                .isSubsetOf("drep_gateway_retries_total", "drep_gateway_fallbacks_total");
    }
}
