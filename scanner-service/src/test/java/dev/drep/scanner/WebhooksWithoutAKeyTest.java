package dev.drep.scanner;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A scanner whose operator has not set drep.scanner.webhook.secret-key refuses every delivery and says why. */
@QuarkusTest
@TestProfile(WebhooksWithoutAKeyTest.NoKey.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class WebhooksWithoutAKeyTest {

    /** The test configuration without the webhook key. */
    public static class NoKey implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drep.scanner.webhook.secret-key", "");
        }
    }

    @Test
    void registrationsShowNoSecretAndDeliveriesAre503NamingTheSetting() {
        String name = Platforms.uniqueName("acme/no-key");
        String id = asAdmin().contentType(ContentType.JSON).body(Map.of("platform", "github", "fullName", name,
                        "cloneUrl", "https://github.com/" + name + ".git"))
                .post("/api/repositories").then().statusCode(201)
                .body("webhook.secretAvailable", equalTo(false)).body("webhook.secret", nullValue())
                .extract().path("id");
        given().contentType(ContentType.JSON).header("X-GitHub-Event", "ping").header("X-Hub-Signature-256", "sha256=00")
                .body("{\"zen\": \"x\"}").post("/api/webhooks/github/" + id)
                .then().statusCode(503).body("error", equalTo("webhooks_not_configured"))
                .body("message", containsString("drep.scanner.webhook.secret-key"));
    }
}
