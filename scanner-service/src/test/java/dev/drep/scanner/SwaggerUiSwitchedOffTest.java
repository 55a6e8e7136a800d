package dev.drep.scanner;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;

import dev.drep.testsupport.infra.EmbeddedBrokerResource;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Swagger UI is on in the scanner by default and off with {@code QUARKUS_SWAGGER_UI_ENABLED=false}, a runtime switch
 * (production installs set it); the OpenAPI document stays for clients.
 */
@QuarkusTest
@TestProfile(SwaggerUiSwitchedOffTest.SwaggerUiOff.class)
@QuarkusTestResource(EmbeddedPostgresResource.class)
@QuarkusTestResource(EmbeddedBrokerResource.class)
@QuarkusTestResource(PublisherStubResource.class)
class SwaggerUiSwitchedOffTest {

    /** The scanner as configured for production without Swagger UI. */
    public static class SwaggerUiOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.swagger-ui.enabled", "false");
        }
    }

    @Test
    void swaggerUiIsGoneAndTheDocumentStays() {
        asAdmin().redirects().follow(false).get("/q/swagger-ui/").then().statusCode(404);
        asAdmin().accept("application/json").get("/q/openapi").then().statusCode(200);
    }
}
