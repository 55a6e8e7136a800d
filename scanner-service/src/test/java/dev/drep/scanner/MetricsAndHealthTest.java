package dev.drep.scanner;

import static dev.drep.scanner.ReviewApiTest.await;
import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static dev.drep.testsupport.metrics.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.contracts.Addresses;
import dev.drep.embedded.LocalBroker;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.infra.SharedInfrastructure;
import dev.drep.testsupport.metrics.DocumentedMetrics;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scanner's Prometheus meters (docs/observability.md) move with real jobs; health checks what it should. */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class MetricsAndHealthTest {
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

    private static final String ACCEPTED_LOCAL = "drep_scanner_jobs_accepted_total{kind=\"local\",service=\"scanner\"}";
    private static final String DONE_LOCAL =
            "drep_scanner_jobs_finished_total{kind=\"local\",outcome=\"done\",service=\"scanner\"}";
    private static final String FAILED_LOCAL =
            "drep_scanner_jobs_finished_total{kind=\"local\",outcome=\"failed\",service=\"scanner\"}";
    private static final String ANALYZING = "drep_scanner_jobs_unfinished{service=\"scanner\",status=\"analyzing\"}";

    @Inject
    JobEventSender events;

    @Test
    void jobsAcceptedFinishedAndWaitingAreExported() throws Exception {
        String before = scrape();
        Path dir = Files.createTempDirectory("scanner-metrics");
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            repo.write("README.md", "# Title\n").commit("base");
            head = repo.write("README.md", "# Title\n\nMore.\n").commit("head");
        }
        // one job that is done at once (nothing to review), one that is planned and then fails
        asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "base", head, "head", head, "outputDir", "/tmp/drep-metrics"))
                .when().post("/api/reviews").then().statusCode(202).body("status", equalTo("DONE"));
        String jobId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "outputDir", "/tmp/drep-metrics"))
                .when().post("/api/reviews").then().statusCode(202).extract().path("id");
        await(() -> "ANALYZING".equals(asAdmin().get("/api/jobs/" + jobId).path("status")));
        // the gauges are read from the job table (every second in tests): the planned job is waiting
        await(() -> value(scrape(), ANALYZING) >= 1);
        events.send("{\"jobId\":\"" + jobId + "\",\"status\":\"FAILED\",\"unitsDone\":0,\"unitsTotal\":1,"
                + "\"findings\":{},\"outputs\":[],\"message\":\"publisher gave up\"}");
        await(() -> "FAILED".equals(asAdmin().get("/api/jobs/" + jobId).path("status")));

        String after = scrape();
        assertThat(value(after, ACCEPTED_LOCAL) - value(before, ACCEPTED_LOCAL)).isEqualTo(2);
        assertThat(value(after, DONE_LOCAL) - value(before, DONE_LOCAL)).isEqualTo(1);
        assertThat(value(after, FAILED_LOCAL) - value(before, FAILED_LOCAL)).isEqualTo(1);
        // every documented series exists from the start, for every kind and waiting status
        assertThat(after).contains(
                "drep_scanner_jobs_accepted_total{kind=\"pull_request\",service=\"scanner\"}",
                "drep_scanner_jobs_accepted_total{kind=\"scan\",service=\"scanner\"}",
                "drep_scanner_jobs_finished_total{kind=\"scan\",outcome=\"failed\",service=\"scanner\"}",
                "drep_scanner_jobs_unfinished{service=\"scanner\",status=\"queued\"}",
                "drep_scanner_jobs_unfinished{service=\"scanner\",status=\"publishing\"}",
                "drep_scanner_jobs_oldest_age_seconds{service=\"scanner\",status=\"queued\"}",
                "drep_scanner_jobs_oldest_age_seconds{service=\"scanner\",status=\"analyzing\"}",
                "drep_scanner_jobs_oldest_age_seconds{service=\"scanner\",status=\"publishing\"}");
        // Quarkus' own meters carry the service label too
        assertThat(after.lines().filter(l -> l.startsWith("http_server_requests_seconds_count{")))
                .isNotEmpty().allMatch(l -> l.contains("service=\"scanner\""));
        assertThat(DocumentedMetrics.missing(after, "scanner")).as("metrics docs/observability.md documents").isEmpty();
    }

    @Test
    void aFinalEventWhoseTransactionFailsIsNotCountedOnEachDelivery() throws Exception {
        Path dir = Files.createTempDirectory("scanner-metrics-rollback");
        try (TestRepository repo = TestRepository.init(dir)) {
            repo.write("README.md", "# Title\n").commit("base");
            repo.write("README.md", "# Title\n\nMore.\n").commit("head");
        }
        String jobId = asAdmin().contentType(ContentType.JSON)
                .body(Map.of("repository", dir.toString(), "outputDir", "/tmp/drep-metrics"))
                .when().post("/api/reviews").then().statusCode(202).extract().path("id");
        await(() -> "ANALYZING".equals(asAdmin().get("/api/jobs/" + jobId).path("status")));
        String before = scrape();
        // the broker's dead-letter queue for this address (auto-created: DLQ.<queue>)
        String deadLetterQueue = LocalBroker.DEAD_LETTER_ADDRESS + "." + Addresses.JOB_EVENTS;
        long deadLetters = SharedInfrastructure.broker().messageCount(deadLetterQueue);
        // PostgreSQL refuses a NUL character in text: storing the event fails, the transaction rolls back and the
        // broker delivers the event again until it gives up (5 deliveries, then the dead-letter queue)
        events.send("{\"jobId\":\"" + jobId + "\",\"status\":\"FAILED\",\"unitsDone\":0,\"unitsTotal\":1,"
                + "\"findings\":{},\"outputs\":[],\"message\":\"publisher gave up\\u0000\"}");
        await(() -> SharedInfrastructure.broker().messageCount(deadLetterQueue) > deadLetters);

        assertThat(asAdmin().get("/api/jobs/" + jobId).<String>path("status")).isEqualTo("ANALYZING");
        assertThat(value(scrape(), FAILED_LOCAL) - value(before, FAILED_LOCAL)).isZero();
    }

    @Test
    void readinessChecksTheDatabaseAndTheBrokerAndLivenessNeither() throws Exception {
        await(() -> RestAssured.get(readyEndpoint).statusCode() == 200);
        JsonPath ready = RestAssured.get(readyEndpoint).then().statusCode(200).extract().jsonPath();
        assertThat(ready.getString("status")).isEqualTo("UP");
        List<String> readyChecks = ready.getList("checks.name");
        assertThat(readyChecks).anyMatch(name -> name.contains("Reactive PostgreSQL"));
        Map<String, Object> channels = ready.getMap("checks.find { it.name.contains('Messaging') }.data");
        assertThat(channels).containsKeys("plan-requests-out", "work-units");
        assertThat(ready.getString("checks.find { it.name == 'Job events receiver' }.status")).isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name == 'Planning queue receiver' }.status")).isEqualTo("UP");
        assertThat(ready.getString("checks.find { it.name == 'Planning queue receiver' }.data.address"))
                .isEqualTo("drep.scanner.plan-requests");

        JsonPath live = RestAssured.get(liveEndpoint).then().statusCode(200).extract().jsonPath();
        assertThat(live.getString("status")).isEqualTo("UP");
        assertThat(live.prettify()).doesNotContain("plan-requests", "Planning queue", "work-units", "Job events receiver",
                "PostgreSQL");
    }

    String scrape() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }
}
