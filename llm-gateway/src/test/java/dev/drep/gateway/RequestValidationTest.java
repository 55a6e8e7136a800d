package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every bad request gets a 400 in OpenAI's error shape naming what is wrong, and never reaches the provider. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class RequestValidationTest extends GatewayTestBase {

    @AfterEach
    void nothingReachedTheProvider() {
        assertThat(llm.chatRequests()).isEmpty();
    }

    @Test
    void malformedJson() {
        post("{\"model\": \"default\", \"messages\": [")
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", equalTo("invalid_json"))
                .body("error.message", containsString("not valid JSON"));
    }

    @Test
    void emptyBody() {
        post("").body("error.code", equalTo("invalid_json"))
                .body("error.message", containsString("empty"));
    }

    @Test
    void notAnObject() {
        post("[1,2]").body("error.code", equalTo("invalid_json"));
    }

    @Test
    void missingMessages() {
        post("{\"model\":\"default\"}")
                .body("error.param", equalTo("messages"))
                .body("error.code", equalTo("missing_required_parameter"))
                .body("error.message", containsString("'messages'"));
    }

    @Test
    void missingModel() {
        post("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("missing_required_parameter"))
                .body("error.message", containsString("'model'"));
    }

    @Test
    void modelOfTheWrongType() {
        post("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("invalid_type"));
    }

    @Test
    void emptyMessages() {
        post("{\"model\":\"default\",\"messages\":[]}")
                .body("error.param", equalTo("messages"))
                .body("error.message", containsString("at least one"));
    }

    @Test
    void messagesNotAnArray() {
        post("{\"model\":\"default\",\"messages\":\"hi\"}")
                .body("error.param", equalTo("messages"))
                .body("error.code", equalTo("invalid_type"));
    }

    @Test
    void aMessageWithoutContentIsNamedByIndex() {
        post("{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"user\"}]}")
                .body("error.param", equalTo("messages[1].content"))
                .body("error.message", containsString("messages[1].content"));
    }

    @Test
    void anUnknownRole() {
        post("{\"model\":\"default\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("messages[0].role"))
                .body("error.code", equalTo("invalid_value"));
    }

    @Test
    void aToolMessageWithoutTheCallItAnswers() {
        post("{\"model\":\"default\",\"messages\":[{\"role\":\"tool\",\"content\":\"42\"}]}")
                .body("error.param", equalTo("messages[0].tool_call_id"))
                .body("error.code", equalTo("missing_required_parameter"));
    }

    @Test
    void theDeprecatedFunctionRoleNamesItsReplacement() {
        post("{\"model\":\"default\",\"messages\":[{\"role\":\"function\",\"content\":\"42\"}]}")
                .body("error.param", equalTo("messages[0].role"))
                .body("error.code", equalTo("unsupported_role"))
                .body("error.message", containsString("'tool'"));
    }

    @Test
    void imageContentIsNotSupportedYet() {
        post("""
                {"model":"default","messages":[{"role":"user","content":[
                 {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""")
                .body("error.param", equalTo("messages[0].content[0]"))
                .body("error.code", equalTo("unsupported_content"));
    }

    @Test
    void aStreamFlagThatIsNotABoolean() {
        post("{\"model\":\"default\",\"stream\":\"yes\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("stream"))
                .body("error.code", equalTo("invalid_type"));
    }

    @Test
    void toolsThatAreNotAList() {
        post("{\"model\":\"default\",\"tools\":{\"type\":\"function\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("tools"))
                .body("error.code", equalTo("invalid_type"));
    }

    @Test
    void theDeprecatedFunctionsFieldNamesItsReplacement() {
        post("{\"model\":\"default\",\"functions\":[],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("functions"))
                .body("error.code", equalTo("unsupported_parameter"))
                .body("error.message", containsString("'tools'"));
    }

    @Test
    void noChoices() {
        post("{\"model\":\"default\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("n"));
    }

    @Test
    void aJsonSchemaFormatWithoutItsSchema() {
        post("{\"model\":\"default\",\"response_format\":{\"type\":\"json_schema\"},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("response_format.json_schema"));
    }

    @Test
    void aParameterOfTheWrongType() {
        post("{\"model\":\"default\",\"temperature\":\"hot\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("temperature"))
                .body("error.code", equalTo("invalid_type"));
    }

    @Test
    void anUnknownAliasListsTheKnownOnes() {
        post("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .body("error.param", equalTo("model"))
                .body("error.code", equalTo("model_not_found"))
                .body("error.message", allOf(containsString("'gpt-4o'"), containsString("default"),
                        containsString("fast")))
                // the provider model names stay internal
                .body("error.message", not(containsString("fake-small")));
    }

    @Test
    void anInvalidPriority() {
        asAdmin().contentType(ContentType.JSON)
                .header("X-Drep-Priority", "urgent")
                .body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(400)
                .body("error.param", equalTo("X-Drep-Priority"))
                .body("error.code", equalTo("invalid_priority"))
                .body("error.message", allOf(containsString("interactive"), containsString("batch")));
    }

    @Test
    void theErrorShapeHasAllOpenAiFields() {
        post("{\"model\":\"default\"}")
                .body("error.message", notNullValue())
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.code", notNullValue());
        post("{").body("error.param", nullValue());
    }

    @Test
    void aWrongMethodIsAnsweredInTheSameShapeByTheRouteAndByTheJaxRsResources() {
        String route = asAdmin().when().get("/v1/chat/completions")
                .then().statusCode(405)
                .contentType(ContentType.JSON)
                .header("Allow", "POST")
                .body("error.message", equalTo("HTTP 405 Method Not Allowed"))
                .body("error.type", equalTo("invalid_request_error"))
                .body("error.param", nullValue())
                .body("error.code", equalTo("http_405"))
                .extract().asString();
        // GET only: RESTEasy's rejection, through ErrorMappers
        String resource = asAdmin().when().delete("/v1/models")
                .then().statusCode(405)
                .contentType(ContentType.JSON)
                .extract().asString();
        assertThat(resource).isEqualTo(route);
    }

    private static ValidatableResponse post(String body) {
        return asAdmin().contentType(ContentType.JSON).body(body)
                .when().post("/v1/chat/completions")
                .then().statusCode(400).contentType(ContentType.JSON);
    }
}
