package dev.drep.scanner.token;

import static dev.drep.testsupport.identity.TestTokens.anonymous;
import static dev.drep.testsupport.identity.TestTokens.as;
import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import dev.drep.scanner.PublisherStubResource;
import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Who may call the scanner: API tokens (created, shown once, listed without the secret, revoked), the bootstrap admin
 * token, scopes, repository restrictions, and reservations held by their callers. Each refusal names what is missing
 * and never the token.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class IdentityApiTest {
    /** Health and metrics are on the management interface, a port of its own. */
    @TestHTTPResource(value = "health/live", management = true)
    URL liveEndpoint;

    @Test
    void noTokenIsRefusedWith401NamingWhatIsMissing() {
        anonymous().get("/api/jobs").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", equalTo("unauthenticated")).body("message", containsString("bearer token"));
        anonymous().contentType(ContentType.JSON).body(Map.of("repository", "/tmp", "outputDir", "/tmp"))
                .post("/api/reviews").then().statusCode(401);
        // health stays open, for probes
        RestAssured.get(liveEndpoint).then().statusCode(200);
    }

    @Test
    void anUnknownTokenIsRefusedWithoutEchoingIt() {
        String forged = "drep_" + UUID.randomUUID();
        as(forged).get("/api/jobs").then().statusCode(401).body("error", equalTo("invalid_token"))
                .body("message", containsString("not known")).body(not(containsString(forged)));
        // not even a drep token: no mechanism takes it, so the call is anonymous
        as("not-a-drep-token").get("/api/jobs").then().statusCode(401).body(not(containsString("not-a-drep-token")));
    }

    @Test
    void aTokenIsShownOnceListedWithoutItsSecretAndWorksUntilRevoked() {
        ExtractableResponse<Response> created = create("reader-" + UUID.randomUUID(), List.of("jobs:read"), null, null);
        String token = created.path("token");
        String id = created.path("details.id");
        assertThat(token).startsWith("drep_").hasSizeGreaterThan(40);
        assertThat(created.<List<String>>path("details.scopes")).containsExactly("jobs:read");
        assertThat(created.<String>path("details.createdBy")).isEqualTo("admin");

        String listed = asAdmin().get("/api/tokens").then().statusCode(200).body("id", hasItem(id)).extract().asString();
        assertThat(listed).doesNotContain(token).doesNotContain(dev.drep.core.identity.TokenHashes.sha256(token));

        as(token).get("/api/jobs").then().statusCode(200);
        asAdmin().delete("/api/tokens/" + id).then().statusCode(200).body("revokedAt", org.hamcrest.Matchers.notNullValue());
        as(token).get("/api/jobs").then().statusCode(401).body("message", containsString("was revoked"))
                .body(not(containsString(token)));
        // revoking again is harmless; an unknown id is a 404
        asAdmin().delete("/api/tokens/" + id).then().statusCode(200);
        asAdmin().delete("/api/tokens/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anExpiredTokenIsRefusedNamingWhenItExpired() {
        String token = create("short-" + UUID.randomUUID(), List.of("jobs:read"), null, "PT1S").path("token");
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                as(token).get("/api/jobs").then().statusCode(401).body("message", containsString("expired at")));
    }

    @Test
    void aTokenWithoutTheScopeIsRefusedWith403NamingTheScopeAndWhatItHas() {
        String token = create("reader-" + UUID.randomUUID(), List.of("jobs:read"), null, null).path("token");
        as(token).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", "a/b",
                        "cloneUrl", "https://github.com/a/b.git"))
                .post("/api/repositories").then().statusCode(403).body("error", equalTo("forbidden"))
                .body("message", containsString("'repositories:admin'")).body("message", containsString("jobs:read"));
        // only admins manage tokens
        as(token).get("/api/tokens").then().statusCode(403).body("message", containsString("'admin'"));
    }

    @Test
    void aTokenRestrictedToOneRepositoryIsRefusedForAnother() {
        String mine = "acme/mine-" + UUID.randomUUID().toString().substring(0, 8);
        String token = create("ci-" + UUID.randomUUID(), List.of("reservations:write", "jobs:read", "reviews:write"), mine, null)
                .path("token");
        as(token).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("paths", List.of("src/**")))
                .post(reservations("acme/other")).then().statusCode(403)
                .body("message", containsString("restricted to repository '" + mine + "'"))
                .body("message", containsString("acme/other"));
        as(token).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("paths", List.of("src/**")))
                .post(reservations(mine)).then().statusCode(200);
        // reviews of local folders span no repository: refused
        as(token).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("repository", "/tmp", "outputDir", "/tmp"))
                .post("/api/reviews").then().statusCode(403).body("message", containsString("restricted to repository"));
        // its job list holds its repository's jobs only
        as(token).get("/api/jobs").then().statusCode(200).body("repository", everyItem(equalTo(mine)));
    }

    @Test
    void anAdminTokenRestrictedToOneRepositoryIssuesTokensForThatRepositoryOnly() {
        String mine = "acme/mine-" + UUID.randomUUID().toString().substring(0, 8);
        String admin = create("repo-admin-" + UUID.randomUUID(), List.of("admin"), mine, null).path("token");

        as(admin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("llm:use"), "repository", "acme/other"))
                .post("/api/tokens").then().statusCode(403)
                .body("message", containsString("restricted to repository '" + mine + "'"))
                .body("message", containsString("acme/other"));
        as(admin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("admin")))
                .post("/api/tokens").then().statusCode(403).body("message", containsString("restricted to repository"));
        as(admin).contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("llm:use"), "repository", mine))
                .post("/api/tokens").then().statusCode(201).body("details.repository", equalTo(mine));
    }

    @Test
    void reservationsBelongToTheirCallerAndOnlyReservationAdminsActForOthers() {
        String repository = "acme/held-" + UUID.randomUUID().toString().substring(0, 8);
        String aliceName = "alice-" + UUID.randomUUID().toString().substring(0, 8);
        String alice = create(aliceName, List.of("reservations:write"), null, null).path("token");
        String bob = create("bob-" + UUID.randomUUID().toString().substring(0, 8), List.of("reservations:write"), null, null)
                .path("token");

        // no holder named: the caller holds it; a holder below the caller's name is the caller's too
        String id = as(alice).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("paths", List.of("src/**")))
                .post(reservations(repository)).then().statusCode(200)
                .body("granted[0].holder", equalTo(aliceName)).extract().path("granted[0].id");
        as(alice).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("holder", aliceName + "/agent-2", "paths", List.of("docs/**")))
                .post(reservations(repository)).then().statusCode(200);

        // bob can neither reserve as alice nor release her reservation
        as(bob).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("holder", aliceName, "paths", List.of("lib/**")))
                .post(reservations(repository)).then().statusCode(403).body("message", containsString("reservations:admin"));
        as(bob).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("holder", aliceName, "ids", List.of(id)))
                .post(reservations(repository) + "/release").then().statusCode(403);
        as(bob).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("note", "mine now"))
                .post(reservations(repository) + "/" + id + "/force-release").then().statusCode(403)
                .body("message", containsString("'reservations:admin'"));
        asAdmin().urlEncodingEnabled(false).get(reservations(repository) + "/" + id).then().body("state", equalTo("ACTIVE"));

        // alice releases her own
        as(alice).urlEncodingEnabled(false).contentType(ContentType.JSON).body(Map.of("ids", List.of(id)))
                .post(reservations(repository) + "/release").then().statusCode(200);
        asAdmin().urlEncodingEnabled(false).get(reservations(repository) + "/" + id).then().body("state", equalTo("RELEASED"));
    }

    @Test
    void badTokenRequestsAreRefusedNamingTheField() {
        asAdmin().contentType(ContentType.JSON).body(Map.of("scopes", List.of("jobs:read"))).post("/api/tokens")
                .then().statusCode(400).body("message", containsString("'name'"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x")).post("/api/tokens")
                .then().statusCode(400).body("message", containsString("'scopes'"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("jobs:write")))
                .post("/api/tokens").then().statusCode(400).body("message", containsString("unknown scope 'jobs:write'"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("jobs:read"), "expiresIn", "soon"))
                .post("/api/tokens").then().statusCode(400).body("message", containsString("'expiresIn'"));
        asAdmin().contentType(ContentType.JSON).body(Map.of("name", "x", "scopes", List.of("jobs:read"), "repository", "no"))
                .post("/api/tokens").then().statusCode(400).body("message", containsString("owner/name"));
    }

    private static String reservations(String repository) {
        return "/api/repositories/" + URLEncoder.encode(repository, StandardCharsets.UTF_8) + "/reservations";
    }

    static ExtractableResponse<Response> create(String name, List<String> scopes, String repository, String expiresIn) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        body.put("scopes", scopes);
        if (repository != null) {
            body.put("repository", repository);
        }
        if (expiresIn != null) {
            body.put("expiresIn", expiresIn);
        }
        return asAdmin().contentType(ContentType.JSON).body(body).post("/api/tokens").then().statusCode(201).extract();
    }
}
