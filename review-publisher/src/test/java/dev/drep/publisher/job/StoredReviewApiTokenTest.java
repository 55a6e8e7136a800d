package dev.drep.publisher.job;

import static dev.drep.testsupport.identity.TestTokens.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.drep.publisher.PlatformFakes;
import dev.drep.testsupport.identity.FakeTokenIntrospection;
import dev.drep.testsupport.identity.FakeTokenIntrospectionResource;
import dev.drep.testsupport.identity.InjectTokenIntrospection;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * API tokens with {@code jobs:read} read the publisher's stored reviews, checked through the scanner's token
 * introspection (a fake speaking its documented JSON that requires the publisher's service token): within their
 * repository restriction, refused once revoked (within the 2 s cache time here), and refused with 503 while the
 * scanner does not answer.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
@QuarkusTestResource(value = FakeTokenIntrospectionResource.class, restrictToAnnotatedClass = true, initArgs =
        @ResourceArg(name = FakeTokenIntrospectionResource.ARG_SERVICE_TOKEN, value = TestTokens.PUBLISHER_SERVICE))
class StoredReviewApiTokenTest {

    @InjectTokenIntrospection
    FakeTokenIntrospection scanner;

    @Inject
    Pool pool;

    @Test
    void aTokenWithJobsReadReadsAStoredReview() {
        String job = storedReview("acme/docs");
        String token = scanner.issue("reader-" + UUID.randomUUID(), List.of("jobs:read"), null, null);

        as(token).get("/internal/jobs/" + job + "/review").then().statusCode(200).body("repository", equalTo("acme/docs"));
        // registering jobs stays the scanner's
        as(token).contentType("application/json").body("{}").put("/internal/jobs/" + job).then().statusCode(403)
                .body("message", containsString("'publisher:internal'"));
    }

    @Test
    void aTokenRestrictedToAnotherRepositoryIsRefusedNamingBoth() {
        String job = storedReview("acme/secret");
        String token = scanner.issue("ci-" + UUID.randomUUID(), List.of("jobs:read"), "acme/docs", null);

        as(token).get("/internal/jobs/" + job + "/review").then().statusCode(403)
                .body("message", containsString("restricted to repository 'acme/docs'"))
                .body("message", containsString("acme/secret"));
        String mine = storedReview("acme/docs");
        as(token).get("/internal/jobs/" + mine + "/review").then().statusCode(200);
    }

    @Test
    void aTokenWithoutJobsReadUnknownOrRevokedIsRefusedNeverEchoed() {
        String job = storedReview("acme/docs");
        String wrongScope = scanner.issue("llm-" + UUID.randomUUID(), List.of("llm:use"), null, null);
        as(wrongScope).get("/internal/jobs/" + job + "/review").then().statusCode(403)
                .body("message", containsString("'jobs:read'")).body(not(containsString(wrongScope)));

        String unknown = "drep_never-issued-" + UUID.randomUUID();
        as(unknown).get("/internal/jobs/" + job + "/review").then().statusCode(401)
                .body("message", containsString("not known")).body(not(containsString(unknown)));

        String name = "revoked-" + UUID.randomUUID();
        String revoked = scanner.issue(name, List.of("jobs:read"), null, null);
        as(revoked).get("/internal/jobs/" + job + "/review").then().statusCode(200);
        scanner.revoke(revoked);
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(revoked).get("/internal/jobs/" + job + "/review").then().statusCode(401)
                        .body("message", containsString("'" + name + "'")).body("message", containsString("was revoked")));
    }

    @Test
    void whenTheScannerDoesNotAnswerTheCallIsRefusedWith503() {
        String job = storedReview("acme/docs");
        String token = scanner.issue("offline-" + UUID.randomUUID(), List.of("jobs:read"), null, null);
        scanner.stop();
        try {
            as(token).get("/internal/jobs/" + job + "/review").then().statusCode(503)
                    .body("error", equalTo("token_check_unavailable")).body("message", containsString("cannot be checked"))
                    .body(not(containsString(token)));
            // the scanner's own calls do not depend on introspection
            as(TestTokens.SCANNER_SERVICE).get("/internal/jobs/" + job + "/review").then().statusCode(200);
        } finally {
            scanner.restart();
        }
        as(token).get("/internal/jobs/" + job + "/review").then().statusCode(200);
    }

    /** @return the id of a job whose review of {@code repository} is stored */
    private String storedReview(String repository) {
        String job = UUID.randomUUID().toString();
        String review = "{\"jobId\":\"" + job + "\",\"repository\":\"" + repository + "\",\"base\":\"aaaa\",\"head\":\"bbbb\","
                + "\"summary\":\"no findings\",\"findings\":[]}";
        pool.preparedQuery("INSERT INTO publisher.tracked_job (job_id, plan, units_total, stage, review, notified, created_at) "
                        + "VALUES ($1, $2, 0, 'PUBLISHED', $3, true, $4)")
                .execute(Tuple.of(job, "{\"jobId\":\"" + job + "\",\"repository\":\"" + repository + "\"}", review, OffsetDateTime.now()))
                .await().atMost(Duration.ofSeconds(10));
        return job;
    }
}
