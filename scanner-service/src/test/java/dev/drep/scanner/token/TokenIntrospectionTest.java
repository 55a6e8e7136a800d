package dev.drep.scanner.token;

import static dev.drep.scanner.token.IdentityApiTest.create;
import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.drep.core.identity.TokenHashes;
import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The scanner's token introspection ({@code POST /internal/tokens/introspect}), over the real token table: the other
 * services' service tokens learn what an API token grants from its SHA-256, including that it was revoked or expired;
 * a token no one issued is just inactive; nobody else may ask, and the token itself is never taken.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class TokenIntrospectionTest {

    @Test
    void anIssuedTokenIsActiveWithItsNameScopesRepositoryAndExpiry() {
        String repository = "acme/intro-" + UUID.randomUUID().toString().substring(0, 8);
        ExtractableResponse<Response> created = create("ide-" + UUID.randomUUID(), List.of("llm:use", "usage:read"), repository, "P30D");
        String token = created.path("token");

        JsonPath grant = introspect(TestTokens.GATEWAY_SERVICE, TokenHashes.sha256(token)).statusCode(200).extract().jsonPath();

        assertThat(grant.getBoolean("active")).isTrue();
        assertThat(grant.getString("id")).isEqualTo(created.path("details.id"));
        assertThat(grant.getString("name")).isEqualTo(created.path("details.name"));
        assertThat(grant.getList("scopes", String.class)).containsExactly("llm:use", "usage:read");
        assertThat(grant.getString("repository")).isEqualTo(repository);
        assertThat(Instant.parse(grant.getString("expiresAt"))).isAfter(Instant.now().plus(Duration.ofDays(29)));
        assertThat(grant.getString("revokedAt")).isNull();
        // the publisher's service token may ask too
        introspect(TestTokens.PUBLISHER_SERVICE, TokenHashes.sha256(token)).statusCode(200).body("active", equalTo(true));
    }

    @Test
    void aRevokedTokenIsInactiveAndSaysWhenItWasRevoked() {
        ExtractableResponse<Response> created = create("revoked-" + UUID.randomUUID(), List.of("jobs:read"), null, null);
        asAdmin().delete("/api/tokens/" + created.path("details.id")).then().statusCode(200);

        introspect(TestTokens.GATEWAY_SERVICE, TokenHashes.sha256(created.path("token"))).statusCode(200)
                .body("active", equalTo(false)).body("id", equalTo(created.path("details.id")))
                .body("revokedAt", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void anExpiredTokenIsInactiveAndSaysWhenItExpired() {
        String token = create("short-" + UUID.randomUUID(), List.of("llm:use"), null, "PT1S").path("token");

        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                introspect(TestTokens.GATEWAY_SERVICE, TokenHashes.sha256(token)).statusCode(200)
                        .body("active", equalTo(false)).body("expiresAt", org.hamcrest.Matchers.notNullValue()));
    }

    @Test
    void aTokenNoOneIssuedIsInactiveAndNothingMore() {
        String body = introspect(TestTokens.GATEWAY_SERVICE, TokenHashes.sha256("drep_never-issued-" + UUID.randomUUID()))
                .statusCode(200).extract().asString();

        assertThat(body.replace(" ", "")).isEqualTo("{\"active\":false}");
    }

    @Test
    void onlyCallersWithTheIntrospectionScopeMayAskAndTheyMustSendAHashNotTheToken() {
        String token = create("asker-" + UUID.randomUUID(), List.of("jobs:read", "llm:use"), null, null).path("token");
        String hash = TokenHashes.sha256(token);

        anonymous().contentType(ContentType.JSON).body(Map.of("tokenSha256", hash)).post("/internal/tokens/introspect")
                .then().statusCode(401);
        introspect(token, hash).statusCode(403).body("message", containsString("'tokens:introspect'"));
        introspect(TestTokens.GATEWAY_SERVICE, token).statusCode(400).body("message", containsString("'tokenSha256'"))
                .body(not(containsString(token)));
        introspect(TestTokens.GATEWAY_SERVICE, "").statusCode(400);
    }

    private static io.restassured.response.ValidatableResponse introspect(String caller, String tokenSha256) {
        return as(caller).contentType(ContentType.JSON).body(Map.of("tokenSha256", tokenSha256))
                .post("/internal/tokens/introspect").then();
    }
}
