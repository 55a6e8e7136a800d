package dev.drep.scanner.token;

import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OIDC access tokens of the organisation's identity provider, verified by quarkus-oidc against a real issuer started by
 * the test ({@link OidcIssuerResource}): groups become scopes; another issuer, another audience, a foreign key or an
 * expired token are refused, naming nothing secret. drep's own tokens keep working beside OIDC.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
@QuarkusTestResource(value = OidcIssuerResource.class, restrictToAnnotatedClass = true)
class OidcBearerTest {

    @Test
    void aGroupMappedToAScopeGrantsItAndNothingMore() {
        String reader = OidcIssuerResource.token(OidcIssuerResource.ISSUER, OidcIssuerResource.AUDIENCE,
                List.of(OidcIssuerResource.READERS_GROUP), Duration.ofMinutes(5));
        as(reader).get("/api/jobs").then().statusCode(200);
        as(reader).get("/api/repositories").then().statusCode(403)
                .body("message", containsString("'repositories:admin'")).body("message", containsString("jobs:read"));
        // a group named like a scope is that scope
        String registrar = OidcIssuerResource.token(OidcIssuerResource.ISSUER, OidcIssuerResource.AUDIENCE,
                List.of("repositories:admin"), Duration.ofMinutes(5));
        as(registrar).get("/api/repositories").then().statusCode(200);
        as(registrar).get("/api/jobs").then().statusCode(403);
    }

    @Test
    void tokensOfAnotherIssuerOrAudienceOrKeyAreRefused() {
        List<String> groups = List.of(OidcIssuerResource.READERS_GROUP);
        String otherIssuer = OidcIssuerResource.token("https://evil.test/realms/acme", OidcIssuerResource.AUDIENCE, groups,
                Duration.ofMinutes(5));
        String otherAudience = OidcIssuerResource.token(OidcIssuerResource.ISSUER, "some-other-app", groups, Duration.ofMinutes(5));
        String forged = OidcIssuerResource.forged(groups);
        for (String token : List.of(otherIssuer, otherAudience, forged)) {
            as(token).get("/api/jobs").then().statusCode(401).body(not(containsString(token)));
        }
    }

    @Test
    void drepTokensStillWorkBesideOidc() {
        asAdmin().get("/api/jobs").then().statusCode(200);
    }
}
