package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Tools and the rest of OpenAI's request: passed through to the provider as sent, part of the cache key, and the
 * provider's tool calls returned intact, streamed or not.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class ToolsTest extends GatewayTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static final String TOOLS = """
            [{"type":"function","function":{"name":"get_weather","description":"Weather of a city",
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}]""";

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    private static JsonPath post(String body) {
        return asAdmin().contentType(ContentType.JSON).body(body).when().post("/v1/chat/completions")
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    private static String weatherRequest(String extra) {
        return "{\"model\":\"default\",\"tools\":" + TOOLS + extra
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}";
    }

    @Test
    void toolsAndTheRestOfTheRequestReachTheProviderAsSent() throws Exception {
        String body = """
                {"model":"default","tools":%s,"tool_choice":{"type":"function","function":{"name":"get_weather"}},
                 "parallel_tool_calls":false,"seed":42,"stop":["\\n\\n","END"],"n":2,"logprobs":true,"top_logprobs":3,
                 "response_format":{"type":"json_schema","json_schema":{"name":"weather","strict":true,
                   "schema":{"type":"object","properties":{"celsius":{"type":"number"}}}}},
                 "messages":[{"role":"user","content":"Weather in Paris?"}]}""".formatted(TOOLS);

        post(body);

        JsonNode sent = llm.lastChatRequest().json();
        JsonNode asked = JSON.readTree(body);
        for (String field : List.of("tools", "tool_choice", "parallel_tool_calls", "seed", "stop", "n", "logprobs",
                "top_logprobs", "response_format")) {
            assertThat(sent.get(field)).as(field).isEqualTo(asked.get(field));
        }
        assertThat(sent.path("model").asText()).isEqualTo("fake-model");
    }

    @Test
    void aToolCallWithInvalidJsonArgumentsIsReturnedAsTheProviderSentIt() {
        // OpenAI's wire carries arguments as a string; a model may well write broken JSON into it.
        String broken = "{\"city\": \"Par";
        llm.answerToolCall("get_weather", broken);

        JsonPath answer = post(weatherRequest(""));

        assertThat(answer.getString("choices[0].finish_reason")).isEqualTo("tool_calls");
        assertThat(answer.getString("choices[0].message.content")).isNull();
        assertThat(answer.getString("choices[0].message.tool_calls[0].type")).isEqualTo("function");
        assertThat(answer.getString("choices[0].message.tool_calls[0].id")).startsWith("call_fake_");
        assertThat(answer.getString("choices[0].message.tool_calls[0].function.name")).isEqualTo("get_weather");
        assertThat(answer.getString("choices[0].message.tool_calls[0].function.arguments")).isEqualTo(broken);
        assertThat(answer.getString("model")).isEqualTo("default");
    }

    @Test
    void aStreamedToolCallArrivesInPiecesThatJoinToWhatTheProviderSent() throws Exception {
        String arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";
        llm.answerToolCall("get_weather", arguments);

        HttpResponse<java.util.stream.Stream<String>> response = TestHttpClient.create().send(HttpRequest
                .newBuilder(endpoint).header("Authorization", "Bearer " + TestTokens.ADMIN)
                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(weatherRequest(",\"stream\":true"))).build(),
                HttpResponse.BodyHandlers.ofLines());

        StringBuilder joined = new StringBuilder();
        String[] name = new String[1];
        String[] finish = new String[1];
        for (String line : response.body().filter(l -> l.startsWith("data: {")).toList()) {
            JsonNode choice = JSON.readTree(line.substring(6)).path("choices").path(0);
            for (JsonNode call : choice.path("delta").path("tool_calls")) {
                if (call.path("function").path("name").isTextual()) {
                    name[0] = call.path("function").path("name").asText();
                }
                joined.append(call.path("function").path("arguments").asText(""));
            }
            if (choice.path("finish_reason").isTextual()) {
                finish[0] = choice.path("finish_reason").asText();
            }
        }
        assertThat(name[0]).isEqualTo("get_weather");
        assertThat(joined.toString()).isEqualTo(arguments);
        assertThat(finish[0]).isEqualTo("tool_calls");

        // The assembled call is what the cache keeps: a plain request for the same gets it whole.
        JsonPath cached = asAdmin().contentType(ContentType.JSON).body(weatherRequest("")).when()
                .post("/v1/chat/completions").then().statusCode(200).header("X-Drep-Cache", "hit")
                .extract().jsonPath();
        assertThat(cached.getString("choices[0].message.tool_calls[0].function.arguments")).isEqualTo(arguments);
        assertThat(cached.getString("choices[0].finish_reason")).isEqualTo("tool_calls");
    }

    @Test
    void aConversationWithToolCallsAndToolResultsIsAcceptedAndForwardedIntact() throws Exception {
        String body = """
                {"model":"default","tools":%s,"messages":[
                 {"role":"user","content":"Weather in Paris?"},
                 {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"{\\"celsius\\":21}"}]}""".formatted(TOOLS);
        llm.answer("It is 21 degrees in Paris.");

        JsonPath answer = post(body);

        assertThat(answer.getString("choices[0].message.content")).isEqualTo("It is 21 degrees in Paris.");
        JsonNode sent = llm.lastChatRequest().json().path("messages");
        JsonNode asked = JSON.readTree(body).path("messages");
        assertThat(sent.get(1).path("tool_calls")).isEqualTo(asked.get(1).path("tool_calls"));
        assertThat(sent.get(1).path("content").isNull()).isTrue();
        assertThat(sent.get(2).path("role").asText()).isEqualTo("tool");
        assertThat(sent.get(2).path("tool_call_id").asText()).isEqualTo("call_1");
        assertThat(sent.get(2).path("content").asText()).isEqualTo("{\"celsius\":21}");
    }

    @Test
    void toolsSeedAndResponseFormatArePartOfTheCacheKey() {
        post(weatherRequest(""));
        post(weatherRequest(""));
        assertThat(llm.chatRequests()).as("the same request is answered from the cache").hasSize(1);

        post(weatherRequest(",\"seed\":1"));
        post(weatherRequest(",\"tool_choice\":\"required\""));
        post(weatherRequest(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"w\","
                + "\"schema\":{\"type\":\"object\"}}}"));
        post(weatherRequest(",\"n\":2"));
        post(weatherRequest(",\"logprobs\":true"));
        post("{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"Weather in Paris?\"}]}");
        assertThat(llm.chatRequests()).as("each difference is a different answer").hasSize(7);
    }
}
