package dev.drep.publisher.job;

import static dev.drep.testsupport.identity.TestTokens.as;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.drep.publisher.PlatformFakes;
import dev.drep.testsupport.identity.OidcIssuerResource;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * OIDC access tokens of the organisation's identity provider at the publisher, verified by quarkus-oidc against a real
 * issuer started by the test ({@link OidcIssuerResource}): a group mapped to {@code jobs:read} reads stored reviews;
 * without it, or with a token of another issuer or audience, expired or forged, the call is refused without repeating
 * the token. The scanner's service token keeps working beside OIDC.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.OidcEnabled.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PlatformFakes.class)
class OidcBearerTest {
    static final String READERS = "acme-readers";

    /** The publisher with its bearer OIDC tenant on, trusting the test issuer; one group mapped to jobs:read. */
    public static class OidcEnabled implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcIssuerResource.class,
                    Map.of("drep.identity.role-scopes.\"" + READERS + "\"", "jobs:read")));
        }
    }

    @Inject
    Pool pool;

    @Test
    void aGroupMappedToJobsReadReadsAStoredReview() {
        String job = storedReview("acme/docs");
        String reader = OidcIssuerResource.token(List.of(READERS));

        as(reader).get("/internal/jobs/" + job + "/review").then().statusCode(200).body("repository", equalTo("acme/docs"));
        // registering jobs stays the scanner's
        as(reader).contentType("application/json").body("{}").put("/internal/jobs/" + job).then().statusCode(403)
                .body("message", containsString("'publisher:internal'"));
    }

    @Test
    void aTokenWithoutJobsReadIsRefusedNamingTheScope() {
        String job = storedReview("acme/docs");
        String stranger = OidcIssuerResource.token(List.of("acme-marketing"));

        as(stranger).get("/internal/jobs/" + job + "/review").then().statusCode(403)
                .body("message", containsString("'jobs:read'")).body("message", containsString("no scope"))
                .body(not(containsString(stranger)));
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceExpiredOrForgedAreRefusedNeverRepeated() {
        String job = storedReview("acme/docs");
        List<String> groups = List.of(READERS);
        String otherIssuer = OidcIssuerResource.token("https://evil.test/realms/acme", OidcIssuerResource.AUDIENCE, groups,
                Duration.ofMinutes(5));
        String otherAudience = OidcIssuerResource.token(OidcIssuerResource.ISSUER, "some-other-app", groups, Duration.ofMinutes(5));
        String expired = OidcIssuerResource.expired(groups, Duration.ofMinutes(10));
        String forged = OidcIssuerResource.forged(groups);
        for (String token : List.of(otherIssuer, otherAudience, expired, forged)) {
            as(token).get("/internal/jobs/" + job + "/review").then().statusCode(401)
                    .body("error", equalTo("invalid_token")).body("message", containsString("another issuer or audience"))
                    .body(not(containsString(token))).body(not(containsString("alice@acme.example")));
        }
    }

    @Test
    void theScannersServiceTokenStillWorksBesideOidc() {
        String job = storedReview("acme/docs");
        as(TestTokens.SCANNER_SERVICE).get("/internal/jobs/" + job + "/review").then().statusCode(200);
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
