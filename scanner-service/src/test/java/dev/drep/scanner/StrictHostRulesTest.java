package dev.drep.scanner;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The scanner as a service runs: none of the allowances the other tests turn on. Registrations naming
 * {@code file:}, plain http, loopback and link-local hosts, and local-path reviews are refused with a
 * 400 naming the rule or setting.
 */
@QuarkusTest
@TestProfile(StrictHostRulesTest.ServiceDefaults.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class StrictHostRulesTest {

    /** The production defaults of the host rules and of local reviews. */
    public static class ServiceDefaults implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("drep.platform-access.allow-file-urls", "false",
                    "drep.platform-access.allow-plain-http", "false",
                    "drep.platform-access.allow-private-addresses", "false",
                    "drep.scanner.local-reviews.enabled", "false");
        }
    }

    @Test
    void aFileCloneUrlIsRefused() {
        assertRefused(registration("file:///srv/git/acme/docs.git", "https://gitea.example/api/v1"), "no file URLs",
                "drep.platform-access.allow-file-urls");
    }

    @Test
    void plainHttpToLoopbackIsRefused() {
        assertRefused(registration("http://127.0.0.1/acme/docs.git", "http://127.0.0.1/api/v1"), "no plain http",
                "drep.platform-access.allow-plain-http");
    }

    @Test
    void theCloudMetadataAddressIsRefusedOverHttpAndHttps() {
        assertRefused(registration("http://169.254.169.254/acme/docs.git", "http://169.254.169.254/api/v1"),
                "no plain http", "allow-plain-http");
        assertRefused(registration("https://169.254.169.254/acme/docs.git", "https://169.254.169.254/api/v1"),
                "no private addresses", "link-local");
    }

    @Test
    void loopbackAndPrivateAddressesAreRefusedOverHttps() {
        assertRefused(registration("https://127.0.0.1/acme/docs.git", "https://127.0.0.1/api/v1"), "no private addresses",
                "loopback");
        assertRefused(registration("https://10.0.0.7/acme/docs.git", "https://10.0.0.7/api/v1"), "no private addresses",
                "drep.platform-access.allow-private-addresses");
    }

    @Test
    void aLocalPathReviewIsRefusedNamingTheSetting() throws Exception {
        Path repository = Files.createTempDirectory("strict-local");
        api().body(Map.of("repository", repository.toString(), "outputDir", repository.resolve("out").toString()))
                .post("/api/reviews")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", containsString("drep.scanner.local-reviews.enabled"));
    }

    private static Map<String, Object> registration(String cloneUrl, String apiUrl) {
        Map<String, Object> body = new HashMap<>();
        body.put("platform", "gitea");
        body.put("fullName", Platforms.uniqueName("acme/strict"));
        body.put("cloneUrl", cloneUrl);
        body.put("apiUrl", apiUrl);
        return body;
    }

    private static void assertRefused(Map<String, Object> body, String rule, String detail) {
        api().body(body).post("/api/repositories")
                .then().statusCode(400).body("error", equalTo("invalid_request"))
                .body("message", allOf(containsString(rule), containsString(detail)));
    }

    /** Every call to the scanner goes through here (one place to add credentials). */
    private static RequestSpecification api() {
        return asAdmin().contentType(ContentType.JSON);
    }
}
