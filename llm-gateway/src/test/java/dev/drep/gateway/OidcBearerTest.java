package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import dev.drep.testsupport.identity.OidcIssuerResource;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * OIDC access tokens of the organisation's identity provider at the gateway, verified by quarkus-oidc against a real
 * issuer started by the test ({@link OidcIssuerResource}): groups become scopes as at the scanner; an OIDC caller's
 * calls are accounted to its own name, whatever {@code X-Drep-Repository} it sends; tokens of another issuer or
 * audience, expired or forged are refused without repeating the token. drep's own tokens keep working beside OIDC.
 */
@QuarkusTest
@TestProfile(OidcBearerTest.OidcEnabled.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class OidcBearerTest extends GatewayTestBase {
    static final String DEVELOPERS = "acme-developers";
    static final String FINANCE = "acme-finance";

    /** The gateway with its bearer OIDC tenant on, trusting the test issuer; two groups mapped to scopes. */
    public static class OidcEnabled implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(OidcIssuerResource.class, Map.of(
                    "drep.identity.role-scopes.\"" + DEVELOPERS + "\"", "llm:use",
                    "drep.identity.role-scopes.\"" + FINANCE + "\"", "usage:read")));
        }
    }

    @Test
    void aGroupMappedToLlmUseCallsTheModelsAndIsAccountedToItself() {
        String developer = OidcIssuerResource.token(List.of(DEVELOPERS));
        String job = freshJob();

        as(developer).contentType(ContentType.JSON).header("X-Drep-Job", job).header("X-Drep-Repository", "victim/repo")
                .body(SIMPLE_REQUEST).post("/v1/chat/completions").then().statusCode(200);

        JsonPath usage = awaitUsage("job=" + job, u -> u.getLong("totals.requests") == 1);
        assertThat(usage.getString("records[0].repository")).isEqualTo("caller:alice");
        as(developer).get("/api/usage").then().statusCode(403).body("error.message", containsString("'usage:read'"))
                .body("error.message", containsString("llm:use"));
    }

    @Test
    void aGroupMappedToUsageReadReadsTheLedgerButCannotCallTheModels() {
        String finance = OidcIssuerResource.token(List.of(FINANCE));

        as(finance).get("/api/usage").then().statusCode(200);
        as(finance).get("/v1/models").then().statusCode(403).body("error.type", equalTo("permission_error"))
                .body("error.message", containsString("'llm:use'")).body("error.message", containsString("usage:read"));
    }

    @Test
    void aTokenWithoutAMappedGroupHasNoScope() {
        String marketing = OidcIssuerResource.token(List.of("acme-marketing"));

        as(marketing).get("/v1/models").then().statusCode(403).body("error.message", containsString("'llm:use'"))
                .body("error.message", containsString("no scope")).body(not(containsString(marketing)));
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceExpiredOrForgedAreRefusedNeverRepeated() {
        List<String> groups = List.of(DEVELOPERS);
        String otherIssuer = OidcIssuerResource.token("https://evil.test/realms/acme", OidcIssuerResource.AUDIENCE, groups,
                Duration.ofMinutes(5));
        String otherAudience = OidcIssuerResource.token(OidcIssuerResource.ISSUER, "some-other-app", groups, Duration.ofMinutes(5));
        String expired = OidcIssuerResource.expired(groups, Duration.ofMinutes(10));
        String forged = OidcIssuerResource.forged(groups);
        for (String token : List.of(otherIssuer, otherAudience, expired, forged)) {
            as(token).get("/v1/models").then().statusCode(401).body("error.type", equalTo("authentication_error"))
                    .body("error.message", containsString("another issuer or audience"))
                    .body(not(containsString(token))).body(not(containsString("alice@acme.example")));
        }
    }

    @Test
    void drepTokensStillWorkBesideOidc() {
        asAdmin().get("/v1/models").then().statusCode(200);
    }
}
