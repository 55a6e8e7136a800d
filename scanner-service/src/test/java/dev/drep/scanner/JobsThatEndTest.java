package dev.drep.scanner;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.noContent;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static dev.drep.scanner.ReviewApiTest.await;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import dev.drep.contracts.JobFailure;
import dev.drep.testsupport.git.TestRepository;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.metrics.PrometheusText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Every job ends: a job whose work is lost fails at its deadline with the reason (and a pull request hears of it),
 * and a job recorded but never queued (the process died between the two) is queued by the relay. A planning that
 * drep's own services break off is planned again on a later delivery; one that the job causes fails it at once.
 */
@QuarkusTest
@TestProfile(ShortDeadlineProfile.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class JobsThatEndTest {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    @Inject
    Pool pool;
    @Inject
    ObjectMapper json;
    @Inject
    DeadLetterSender deadLetters;

    private static final String DEAD_PLAN_REQUESTS =
            "drep_scanner_dead_letters_total{queue=\"drep.scanner.plan-requests\",service=\"scanner\"}";

    /** Every call to the scanner's API goes through here. */
    private static RequestSpecification api() {
        return asAdmin();
    }

    @Test
    void aPullRequestJobWhosePlanningRequestWasLostFailsAtItsDeadlineAndThePublisherIsTold() throws Exception {
        String name = Platforms.uniqueName("acme/lost");
        String repositoryId = api().contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", name,
                        "cloneUrl", "https://github.com/" + name + ".git", "tokenRef", "test-token"))
                .post("/api/repositories").then().statusCode(201).extract().path("id");
        UUID id = UUID.randomUUID();
        String head = "2".repeat(40);
        // recorded and sent, but the broker lost the request: nothing will ever plan it
        insertJob(id, "PULL_REQUEST", "QUEUED", name, UUID.fromString(repositoryId), 7, head, true, 0, 0);

        await(() -> "FAILED".equals(api().get("/api/jobs/" + id).path("status")));

        String reason = "did not finish within " + ShortDeadlineProfile.DEADLINE + ": it was never planned (its planning "
                + "request was lost, or planning failed every time)";
        assertThat(api().get("/api/jobs/" + id).<String>path("message")).isEqualTo(reason);
        JobFailure told = awaitFailureToldToThePublisher(id);
        assertThat(told.reason()).isEqualTo(reason);
        assertThat(told.head()).isEqualTo(head);
        assertThat(told.target().pullRequest().number()).isEqualTo(7);
        assertThat(told.target().pullRequest().repository()).isEqualTo(name);
        assertThat(told.target().pullRequest().tokenRef()).isEqualTo("test-token");
    }

    @Test
    void aPullRequestJobWhosePlanningFailsIsToldToThePublisherWithTheReason() throws Exception {
        String name = Platforms.uniqueName("acme/unplannable");
        // a clone URL that leads nowhere: every fetch, and so the planning, fails
        String cloneUrl = Path.of("target", "no-such-origin", name + ".git").toUri().toString();
        String repositoryId = api().contentType(ContentType.JSON).body(Map.of("platform", "gitea", "fullName", name,
                        "cloneUrl", cloneUrl, "apiUrl", "https://gitea.example/api/v1", "tokenRef", "test-token"))
                .post("/api/repositories").then().statusCode(201).extract().path("id");
        UUID id = UUID.randomUUID();
        String head = "5".repeat(40);
        // recorded, not yet sent: the relay queues it a second later
        insertJob(id, "PULL_REQUEST", "QUEUED", name, UUID.fromString(repositoryId), 8, head, false, 0, 0);

        await(() -> "FAILED".equals(api().get("/api/jobs/" + id).path("status")));
        String reason = api().get("/api/jobs/" + id).path("message");
        assertThat(reason).startsWith("could not plan the review: could not fetch").contains(cloneUrl);
        // the publisher hears the planning's reason (before, nobody told it: the pull request stayed pending)
        JobFailure told = awaitFailureToldToThePublisher(id);
        assertThat(told.reason()).isEqualTo(reason);
        assertThat(told.head()).isEqualTo(head);
        assertThat(told.target().pullRequest().number()).isEqualTo(8);
    }

    @Test
    void aLocalJobStuckInAnalysisFailsAtItsDeadlineNamingItsProgress() throws Exception {
        UUID id = UUID.randomUUID();
        insertJob(id, "LOCAL", "ANALYZING", "/tmp/some-repo", null, null, "3".repeat(40), true, 3, 10);

        await(() -> "FAILED".equals(api().get("/api/jobs/" + id).path("status")));

        assertThat(api().get("/api/jobs/" + id).<String>path("message")).isEqualTo("did not finish within "
                + ShortDeadlineProfile.DEADLINE + ": analysing, 3 of 10 work units done");
        assertThat(api().get("/api/jobs/" + id).<String>path("finishedAt")).isNotNull();
        Thread.sleep(1500);
        assertThat(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + id + "/failure"))))
                .as("a local review has nobody to tell but its job").isEmpty();
    }

    @Test
    void aJobRecordedButNeverQueuedIsQueuedByTheRelayAndPlanned() throws Exception {
        UUID id = UUID.randomUUID();
        // what a scanner that died between committing the job and sending its planning request leaves behind
        insertLocalJob(id);

        await(() -> "ANALYZING".equals(api().get("/api/jobs/" + id).path("status")));

        assertThat(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo("/internal/jobs/" + id)))).hasSize(1);
        assertThat(pool.preparedQuery("SELECT planning_sent_at FROM scanner.job WHERE id = $1").executeAndAwait(Tuple.of(id))
                .iterator().next().getOffsetDateTime("planning_sent_at")).isNotNull();
    }

    @Test
    void aPlanningWhosePublisherIsAwayGoesBackToTheQueueAndIsPlannedOnALaterDelivery() throws Exception {
        UUID id = UUID.randomUUID();
        String registration = "/internal/jobs/" + id;
        // the publisher away for four registration attempts, more than one delivery makes here (three:
        // drep.scanner.registration-retries=2, ShortDeadlineProfile), then back
        for (int i = 0; i < 4; i++) {
            PublisherStubResource.server.stubFor(put(urlEqualTo(registration)).inScenario(registration)
                    .whenScenarioStateIs(i == 0 ? Scenario.STARTED : "away " + i)
                    .willReturn(aResponse().withStatus(503)).willSetStateTo("away " + (i + 1)));
        }
        PublisherStubResource.server.stubFor(put(urlEqualTo(registration)).inScenario(registration)
                .whenScenarioStateIs("away 4").willReturn(noContent()));
        insertLocalJob(id);

        await(() -> !"QUEUED".equals(api().get("/api/jobs/" + id).path("status")));

        // before, the first delivery's failed registration ended the job FAILED
        assertThat(api().get("/api/jobs/" + id).<String>path("status")).isEqualTo("ANALYZING");
        assertThat(api().get("/api/jobs/" + id).<String>path("message")).isNull();
        assertThat(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo(registration)))).hasSize(5);
    }

    @Test
    void aPlanThePublisherRefusesEndsTheJobFailedAtOnceWithTheRefusal() throws Exception {
        UUID id = UUID.randomUUID();
        String registration = "/internal/jobs/" + id;
        PublisherStubResource.server.stubFor(put(urlEqualTo(registration)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"invalid_plan\",\"message\":\"field 'target' is required\"}")));
        insertLocalJob(id);

        await(() -> "FAILED".equals(api().get("/api/jobs/" + id).path("status")));

        assertThat(api().get("/api/jobs/" + id).<String>path("message"))
                .startsWith("could not plan the review: review-publisher refused the job's plan: ").contains("400");
        // a refusal is not the publisher away: neither waited for nor given back to the queue
        assertThat(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo(registration)))).hasSize(1);
    }

    @Test
    void aDeadLetteredPlanningRequestEndsItsJobFailedWithTheReasonAndIsCounted() throws Exception {
        UUID id = UUID.randomUUID();
        insertJob(id, "LOCAL", "QUEUED", "/tmp/some-repo", null, null, "4".repeat(40), true, 0, 0);
        double before = PrometheusText.value(metrics(), DEAD_PLAN_REQUESTS);

        deadLetters.planRequest(id.toString());

        await(() -> "FAILED".equals(api().get("/api/jobs/" + id).path("status")));
        assertThat(api().get("/api/jobs/" + id).<String>path("message")).isEqualTo("planning failed on every delivery "
                + "attempt and the broker dead-lettered the job's planning request; the scanner's log names the error");
        assertThat(PrometheusText.value(metrics(), DEAD_PLAN_REQUESTS) - before).isEqualTo(1);
    }

    /** @return the first failure of job {@code id} the scanner reported to the publisher, once it has */
    private JobFailure awaitFailureToldToThePublisher(UUID id) throws Exception {
        String failure = "/internal/jobs/" + id + "/failure";
        await(() -> !PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo(failure))).isEmpty());
        return json.readValue(PublisherStubResource.server.findAll(putRequestedFor(urlEqualTo(failure))).get(0)
                .getBodyAsString(), JobFailure.class);
    }

    private String metrics() {
        return RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
    }

    /** A local review of a two-commit repository, recorded and not yet queued: the relay queues it within 1 s. */
    private void insertLocalJob(UUID id) throws Exception {
        Path dir = Files.createTempDirectory("scanner-planning");
        String base;
        String head;
        try (TestRepository repo = TestRepository.init(dir)) {
            base = repo.write("README.md", "# Title\n").commit("base");
            head = repo.write("README.md", "# Title\n\nMore text.\n").commit("head");
        }
        pool.preparedQuery("INSERT INTO scanner.job (id, status, repository, base_rev, head_rev, base_commit, head_commit, "
                        + "output_dir, created_at, kind) VALUES ($1, 'QUEUED', $2, $3, $4, $3, $4, $5, now(), 'LOCAL')")
                .executeAndAwait(Tuple.of(id, dir.toString(), base, head,
                        Files.createTempDirectory("planning-out").toString()));
    }

    private void insertJob(UUID id, String kind, String status, String repository, UUID repositoryId, Integer number,
            String head, boolean sent, int unitsDone, int unitsTotal) {
        pool.preparedQuery("INSERT INTO scanner.job (id, status, repository, base_commit, head_commit, head_rev, "
                        + "created_at, kind, repository_id, pr_number, planning_sent_at, units_done, units_total) "
                        + "VALUES ($1, $2, $3, $4, $5, $5, now(), $6, $7, $8, $9, $10, $11)")
                .executeAndAwait(Tuple.tuple().addUUID(id).addString(status).addString(repository)
                        .addString("1".repeat(40)).addString(head).addString(kind).addUUID(repositoryId)
                        .addInteger(number).addOffsetDateTime(sent ? OffsetDateTime.now(ZoneOffset.UTC) : null)
                        .addInteger(unitsDone).addInteger(unitsTotal));
    }
}
