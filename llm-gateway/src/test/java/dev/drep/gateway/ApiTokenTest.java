package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.drep.testsupport.identity.FakeTokenIntrospection;
import dev.drep.testsupport.identity.FakeTokenIntrospectionResource;
import dev.drep.testsupport.identity.InjectTokenIntrospection;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * API tokens issued by the scanner work at the gateway: it asks the scanner's token introspection (here a fake that
 * speaks its documented JSON and requires the gateway's service token), keeps the answer for the cache time (2 s
 * here), and holds the token to its scopes, its repository restriction, its expiry and its revocation. A scanner that
 * does not answer refuses the call with 503, never admits it.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
@WithTestResource(value = FakeTokenIntrospectionResource.class, initArgs =
        @ResourceArg(name = FakeTokenIntrospectionResource.ARG_SERVICE_TOKEN, value = TestTokens.GATEWAY_SERVICE))
@TestProfile(ApiTokenTest.OwnBoot.class)
class ApiTokenTest extends GatewayTestBase {
    /**
     * No settings of its own. This class boots on its own anyway (the introspection fake is one resource more); as
     * a class that differed from the common boot by its resources only, it ran first and the common boot after it
     * then exported stale provider gauges (FallbackAndCircuitBreakerTest and MetricsTest failed, every run). With a
     * profile the same order passes: Quarkus restarts differently between profiles. Root cause not found (notes of
     * session 5).
     */
    public static final class OwnBoot implements QuarkusTestProfile {
    }


    @InjectTokenIntrospection
    FakeTokenIntrospection scanner;

    @Test
    void aTokenWithLlmUseCallsTheOpenAiApiAndItsCallsAreAccountedToItsName() {
        String name = "ide-" + UUID.randomUUID().toString().substring(0, 8);
        String token = scanner.issue(name, List.of("llm:use"), null, null);
        String job = freshJob();

        as(token).get("/v1/models").then().statusCode(200).body("object", equalTo("list"));
        as(token).contentType(ContentType.JSON).header("X-Drep-Job", job).header("X-Drep-Repository", "victim/repo")
                .body(SIMPLE_REQUEST).post("/v1/chat/completions").then().statusCode(200);

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getString("records[0].repository")).isEqualTo("caller:" + name);
        // it may not read the ledger: that is usage:read
        as(token).get("/api/usage").then().statusCode(403).body("error.message", containsString("'usage:read'"))
                .body("error.message", containsString("llm:use"));
    }

    @Test
    void answersAreCachedSoTheScannerIsAskedOncePerTokenWithinTheCacheTime() {
        String token = scanner.issue("cached-" + UUID.randomUUID(), List.of("llm:use"), null, null);
        int before = scanner.calls();

        for (int i = 0; i < 5; i++) {
            as(token).get("/v1/models").then().statusCode(200);
        }

        assertThat(scanner.calls() - before).isEqualTo(1);
    }

    @Test
    void aTokenRestrictedToARepositoryIsAccountedToItAndReadsOnlyItsUsage() {
        String repository = "acme/restricted-" + UUID.randomUUID().toString().substring(0, 8);
        String caller = scanner.issue("ci-" + UUID.randomUUID(), List.of("llm:use", "usage:read"), repository, null);
        String job = freshJob();

        as(caller).contentType(ContentType.JSON).header("X-Drep-Job", job).header("X-Drep-Repository", "acme/other")
                .body(SIMPLE_REQUEST).post("/v1/chat/completions").then().statusCode(200);

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getString("records[0].repository")).isEqualTo(repository);
        as(caller).get("/api/usage").then().statusCode(200).body("totals.requests", equalTo(1))
                .body("records.repository", org.hamcrest.Matchers.everyItem(equalTo(repository)));
        as(caller).get("/api/usage?repository=acme/other").then().statusCode(403)
                .body("error.message", containsString("restricted to repository '" + repository + "'"))
                .body("error.message", containsString("acme/other"));
    }

    @Test
    void aTokenWithUsageReadReadsTheLedgerButCannotCallTheModels() {
        String token = scanner.issue("finance-" + UUID.randomUUID(), List.of("usage:read"), null, null);

        as(token).get("/api/usage").then().statusCode(200);
        as(token).get("/v1/models").then().statusCode(403).body("error.type", equalTo("permission_error"))
                .body("error.message", containsString("'llm:use'"));
    }

    @Test
    void unknownAndExpiredTokensAreRefusedWith401NamingWhyAndNeverTheToken() {
        String unknown = "drep_never-issued-" + UUID.randomUUID();
        as(unknown).get("/v1/models").then().statusCode(401).body("error.type", equalTo("authentication_error"))
                .body("error.message", containsString("not known")).body(not(containsString(unknown)));

        String expired = scanner.issue("old-" + UUID.randomUUID(), List.of("llm:use"), null, Instant.now().minusSeconds(60));
        as(expired).get("/v1/models").then().statusCode(401).body("error.message", containsString("expired at"))
                .body(not(containsString(expired)));
    }

    @Test
    void aRevokedTokenIsRefusedWithinTheCacheTime() {
        String name = "revoked-" + UUID.randomUUID();
        String token = scanner.issue(name, List.of("llm:use"), null, null);
        as(token).get("/v1/models").then().statusCode(200);

        scanner.revoke(token);

        Awaitility.await().atMost(Duration.ofSeconds(2).plusSeconds(3)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                as(token).get("/v1/models").then().statusCode(401)
                        .body("error.message", containsString("'" + name + "'")).body("error.message", containsString("was revoked")));
    }

    @Test
    void whenTheScannerDoesNotAnswerTheCallIsRefusedWith503NotAdmitted() {
        String token = scanner.issue("offline-" + UUID.randomUUID(), List.of("llm:use"), null, null);
        scanner.stop();
        try {
            as(token).get("/v1/models").then().statusCode(503).header("Retry-After", equalTo("5"))
                    .body("error.code", equalTo("token_check_unavailable"))
                    .body("error.message", containsString("cannot be checked"))
                    .body("error.message", containsString("scanner")).body(not(containsString(token)));
            // the gateway's own callers do not depend on the scanner
            as(TestTokens.ANALYZER_SERVICE).get("/v1/models").then().statusCode(200);
        } finally {
            scanner.restart();
        }
        // and once it answers again, so does the gateway (failures are not cached)
        as(token).get("/v1/models").then().statusCode(200);
    }
}
