package dev.drep.analyzer;

import static dev.drep.analyzer.Units.await;
import static dev.drep.analyzer.Units.awaitResult;
import static dev.drep.analyzer.Units.file;
import static dev.drep.analyzer.Units.unit;
import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static dev.drep.testsupport.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.FileToAnalyze;
import dev.drep.contracts.WorkUnit;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.metrics.DocumentedMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The analyzer's Prometheus meters (docs/observability.md) move with real units, and its health checks
 * the database and the broker for readiness only.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(FakeGatewayResource.class)
class MetricsTest extends LlmAnalyzerTestBase {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "health/ready", management = true)
    URL readyEndpoint;
    @TestHTTPResource(value = "health/live", management = true)
    URL liveEndpoint;
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    @Test
    void theApiPortServesNeitherMetricsNorHealth() {
        // whoever reaches the API port learns nothing from /q/metrics: it is only on the management port
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            anonymous().get(path).then().statusCode(404);
            asAdmin().get(path).then().statusCode(404);
        }
        RestAssured.get(metricsEndpoint).then().statusCode(200);
    }

    private static final String LLM_OK = "drep_analyzer_units_total{analyzer=\"llm-review\",outcome=\"ok\",service=\"analyzer\"}";
    private static final String LLM_DURATION =
            "drep_analyzer_unit_duration_seconds_count{analyzer=\"llm-review\",service=\"analyzer\"}";
    private static final String DUPLICATE =
            "drep_analyzer_units_total{analyzer=\"llm-review\",outcome=\"duplicate\",service=\"analyzer\"}";
    private static final String HITS = "drep_analyzer_cache_lookups_total{outcome=\"hit\",service=\"analyzer\"}";
    private static final String MISSES = "drep_analyzer_cache_lookups_total{outcome=\"miss\",service=\"analyzer\"}";
    private static final String CALLS_OK = "drep_analyzer_llm_calls_total{outcome=\"ok\",service=\"analyzer\"}";

    @Test
    void unitsTheirDurationCacheLookupsAndLlmCallsAreExported() throws Exception {
        llm.reset();
        llm.answer(Units::bugOnFirstChangedLine);
        breakers.resetAll();
        String before = scrape();

        FileToAnalyze a = file("src/metrics_a.py", 30, 4);
        FileToAnalyze b = file("src/metrics_b.py", 30, 9);
        WorkUnit first = unit("llm-review", "batch", a, b);
        channels.send(first);
        awaitResult(first.unitId());
        // the same contents again (another job): both files come from the cache, no LLM call
        WorkUnit second = unit("llm-review", "batch", a, b);
        channels.send(second);
        awaitResult(second.unitId());
        // the first unit redelivered: acknowledged with no second result
        channels.send(first);

        // counted once the result is out and the unit recorded, which may be just after the result arrives
        await(() -> delta(before, LLM_OK) == 2 && delta(before, DUPLICATE) == 1, Duration.ofSeconds(20));
        String after = scrape();
        assertThat(value(after, LLM_DURATION) - value(before, LLM_DURATION)).isEqualTo(2);
        assertThat(value(after, MISSES) - value(before, MISSES)).isEqualTo(2);
        assertThat(value(after, HITS) - value(before, HITS)).isEqualTo(2);
        assertThat(value(after, CALLS_OK) - value(before, CALLS_OK)).isEqualTo(1);
        assertThat(after).contains(
                "drep_analyzer_unit_duration_seconds_bucket{analyzer=\"llm-review\",service=\"analyzer\",le=",
                "drep_analyzer_llm_calls_total{outcome=\"refused\",service=\"analyzer\"}",
                "drep_analyzer_llm_calls_total{outcome=\"unavailable\",service=\"analyzer\"}",
                "drep_analyzer_llm_calls_total{outcome=\"circuit_open\",service=\"analyzer\"}");
        assertThat(DocumentedMetrics.missing(after, "analyzer")).as("metrics docs/observability.md documents").isEmpty();
    }

    @Test
    void readinessChecksTheDatabaseAndTheBrokerAndLivenessNeither() throws Exception {
        await(() -> RestAssured.get(readyEndpoint).statusCode() == 200, Duration.ofSeconds(20));
        JsonPath ready = RestAssured.get(readyEndpoint).then().statusCode(200).extract().jsonPath();
        assertThat(ready.getList("checks.name", String.class)).anyMatch(name -> name.contains("Reactive PostgreSQL"));
        Map<String, Object> channels = ready.getMap("checks.find { it.name.contains('Messaging') }.data");
        assertThat(channels).containsKey("unit-results");
        assertThat(ready.getString("checks.find { it.name == 'Analysis queue receiver' }.status")).isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name == 'Analysis queue receiver' }.data.address"))
                .isEqualTo("drep.analysis.requests");

        String live = RestAssured.get(liveEndpoint).then().statusCode(200).extract().asString();
        assertThat(live).contains("\"UP\"").doesNotContain("Analysis queue", "unit-results", "PostgreSQL");
    }

    private double delta(String before, String series) {
        return value(scrape(), series) - value(before, series);
    }

    String scrape() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }
}
