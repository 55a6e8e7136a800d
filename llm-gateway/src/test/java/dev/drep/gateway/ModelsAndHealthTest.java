package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import java.net.URL;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class ModelsAndHealthTest extends GatewayTestBase {
    @TestHTTPResource(value = "health/live", management = true)
    URL live;
    @TestHTTPResource(value = "health/ready", management = true)
    URL ready;

    @Test
    void listsTheConfiguredAliases() {
        asAdmin().when().get("/v1/models")
                .then().statusCode(200).contentType(ContentType.JSON)
                .body("object", equalTo("list"))
                .body("data.id", contains("capped", "default", "fast", "flaky", "primary", "secondary"))
                .body("data.object", everyItem(equalTo("model")))
                .body("data.owned_by", everyItem(equalTo("drep")));

        // The list is the gateway's own; the provider is not asked.
        assertThat(llm.requests()).isEmpty();
    }

    @Test
    void livenessAndReadinessAreUpWithoutAskingTheProvider() {
        // Even a provider that is down leaves the gateway ready: readiness does not probe it.
        llm.failAlways(FakeLlmFault.disconnect());

        RestAssured.get(live).then().statusCode(200).body("status", equalTo("UP"));
        RestAssured.get(ready).then().statusCode(200).body("status", equalTo("UP"));

        assertThat(llm.requests()).isEmpty();
    }
}
