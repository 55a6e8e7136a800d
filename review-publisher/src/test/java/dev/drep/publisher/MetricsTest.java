package dev.drep.publisher;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static dev.drep.publisher.Jobs.await;
import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static dev.drep.testsupport.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.contracts.JobPlan;
import dev.drep.contracts.JobStatus;
import dev.drep.contracts.PullRequestRef;
import dev.drep.contracts.ReviewTarget;
import dev.drep.contracts.UnitResult;
import dev.drep.publisher.job.TestChannels;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.metrics.DocumentedMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The publisher's Prometheus meters (docs/observability.md) move with real jobs, and its health checks the
 * database and the broker for readiness only.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class MetricsTest {
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

    private static final String LOCAL_PUBLISHED =
            "drep_publisher_posts_total{outcome=\"published\",platform=\"local\",service=\"publisher\"}";
    private static final String GITHUB_FAILED =
            "drep_publisher_posts_total{outcome=\"failed\",platform=\"github\",service=\"publisher\"}";
    private static final String GITHUB_4XX =
            "drep_publisher_platform_errors_total{platform=\"github\",service=\"publisher\",status_class=\"4xx\"}";
    private static final String AWAITED = "drep_publisher_units_awaited{service=\"publisher\"}";

    @Inject
    Jobs jobs;
    @Inject
    TestChannels channels;

    @Test
    void postsPlatformErrorsAndAwaitedUnitsAreExported() throws Exception {
        String before = scrape();

        // a local review of two units: while one result is missing, the publisher awaits it
        String jobId = UUID.randomUUID().toString();
        String out = Files.createTempDirectory("publisher-metrics").resolve("review").toString();
        jobs.register(new JobPlan(jobId, "repo", "aaaa", "bbbb", List.of("u1-" + jobId, "u2-" + jobId), List.of(),
                List.of(), ReviewTarget.local(out)));
        channels.send(new UnitResult("u1-" + jobId, jobId, "markdown", List.of(), List.of(), 1));
        // the gauge is read from the tables (every second in tests)
        await(() -> value(scrape(), AWAITED) >= 1);
        channels.send(new UnitResult("u2-" + jobId, jobId, "markdown", List.of(), List.of(), 1));
        assertThat(jobs.awaitFinal(jobId).status()).isEqualTo(JobStatus.DONE);

        // a GitHub pull request whose token is refused: the post fails on a 4xx
        String repo = "acme/metrics-" + UUID.randomUUID().toString().substring(0, 8);
        PlatformFakes.server().stubFor(any(urlPathMatching("/repos/" + repo + "/.*"))
                .willReturn(aResponse().withStatus(401).withHeader("Content-Type", "application/json")
                        .withBody("{\"message\": \"Bad credentials\"}")));
        String prJob = jobs.run(ReviewTarget.pullRequest(new PullRequestRef("github", PlatformFakes.baseUrl(), repo, null,
                5, "base0", null, "head5", PlatformFakes.TOKEN_REF)), null, List.of(), List.of(), List.of());
        assertThat(jobs.awaitFinal(prJob).status()).isEqualTo(JobStatus.FAILED);

        String after = scrape();
        assertThat(value(after, LOCAL_PUBLISHED) - value(before, LOCAL_PUBLISHED)).isEqualTo(1);
        assertThat(value(after, GITHUB_FAILED) - value(before, GITHUB_FAILED)).isEqualTo(1);
        assertThat(value(after, GITHUB_4XX) - value(before, GITHUB_4XX)).isGreaterThanOrEqualTo(1);
        assertThat(after).contains(
                "drep_publisher_posts_total{outcome=\"deferred\",platform=\"gitea\",service=\"publisher\"}",
                "drep_publisher_posts_total{outcome=\"published\",platform=\"gitlab\",service=\"publisher\"}",
                "drep_publisher_reviews_pending{service=\"publisher\"}");
        assertThat(DocumentedMetrics.missing(after, "publisher")).as("metrics docs/observability.md documents").isEmpty();
    }

    @Test
    void readinessChecksTheDatabaseAndTheBrokerAndLivenessNeither() throws Exception {
        await(() -> RestAssured.get(readyEndpoint).statusCode() == 200);
        JsonPath ready = RestAssured.get(readyEndpoint).then().statusCode(200).extract().jsonPath();
        assertThat(ready.getList("checks.name", String.class)).anyMatch(name -> name.contains("Reactive PostgreSQL"));
        Map<String, Object> channelStates = ready.getMap("checks.find { it.name.contains('Messaging') }.data");
        assertThat(channelStates).containsKeys("job-events");
        assertThat(ready.getString("checks.find { it.name == 'Results queue receiver' }.status")).isEqualTo("UP");

        String live = RestAssured.get(liveEndpoint).then().statusCode(200).extract().asString();
        assertThat(live).contains("\"UP\"").doesNotContain("Results queue receiver", "job-events", "PostgreSQL");
    }

    String scrape() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }
}
