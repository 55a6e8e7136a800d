package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.RecordedRequest;
import dev.drep.testsupport.logging.CapturedLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class ChatCompletionTest extends GatewayTestBase {

    @Test
    void theGatewaysMutinyCallbacksDoNotCaptureThreadContext() {
        // UndecoratedCallbacks: a quarter of the hop's allocation was this capture, which the gateway does not use
        Function<String, String> callback = String::trim;
        assertThat(Infrastructure.decorate(callback)).isSameAs(callback);
    }

    @Test
    void aCompletionRoundTripsThroughTheProvider() {
        llm.answer("Yes, it is.").usage(42, 5);

        JsonPath answer = asAdmin()
                .contentType(ContentType.JSON)
                .header("X-Drep-Priority", "interactive")
                .body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200).contentType(ContentType.JSON)
                // a plain JSON response, its length known up front (not a one-piece stream)
                .header("Content-Length", org.hamcrest.Matchers.notNullValue())
                .header("Transfer-Encoding", org.hamcrest.Matchers.nullValue())
                .extract().jsonPath();

        assertThat(answer.getString("id")).isNotBlank();
        assertThat(answer.getString("object")).isEqualTo("chat.completion");
        assertThat(answer.getLong("created")).isPositive();
        assertThat(answer.getString("model")).isEqualTo("default");
        assertThat(answer.getList("choices")).hasSize(1);
        assertThat(answer.getInt("choices[0].index")).isZero();
        assertThat(answer.getString("choices[0].message.role")).isEqualTo("assistant");
        assertThat(answer.getString("choices[0].message.content")).isEqualTo("Yes, it is.");
        assertThat(answer.getString("choices[0].finish_reason")).isEqualTo("stop");
        assertThat(answer.getInt("usage.prompt_tokens")).isEqualTo(42);
        assertThat(answer.getInt("usage.completion_tokens")).isEqualTo(5);
        assertThat(answer.getInt("usage.total_tokens")).isEqualTo(47);

        RecordedRequest received = llm.lastChatRequest();
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(received.model()).isEqualTo("fake-model");
        assertThat(received.messages()).containsExactly(
                new RecordedRequest.Message("system", "You review code."),
                new RecordedRequest.Message("user", "Is 1 + 1 == 2?"));
        assertThat(received.header("Authorization")).contains("Bearer " + FakeLlmResource.API_KEY);
        assertThat(received.json().path("stream").asBoolean(false)).isFalse();
    }

    @Test
    void anAliasRoutesToItsProviderModel() {
        asAdmin().contentType(ContentType.JSON)
                .body("{\"model\":\"fast\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("model", equalTo("fast"))
                .body("choices[0].message.content", equalTo("echo: hi"));

        assertThat(llm.lastChatRequest().model()).isEqualTo("fake-small");
    }

    @Test
    void generationParametersAndConversationAreForwarded() {
        asAdmin().contentType(ContentType.JSON)
                .body("""
                        {"model":"default","temperature":0.2,"top_p":0.9,"max_tokens":300,"seed":7,
                         "stop":["END"],"response_format":{"type":"json_object"},"user":"ci",
                         "messages":[{"role":"developer","content":"Answer in JSON."},
                          {"role":"user","content":[{"type":"text","text":"part one, "},{"type":"text","text":"part two"}]},
                          {"role":"assistant","content":"{}"},
                          {"role":"user","content":"again"}]}""")
                .when().post("/v1/chat/completions")
                .then().statusCode(200);

        JsonNode sent = llm.lastChatRequest().json();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("top_p").asDouble()).isEqualTo(0.9);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(300);
        assertThat(sent.path("seed").asInt()).isEqualTo(7);
        assertThat(sent.path("stop").get(0).asText()).isEqualTo("END");
        assertThat(sent.path("response_format").path("type").asText()).isEqualTo("json_object");
        assertThat(sent.path("user").asText()).isEqualTo("ci");
        assertThat(llm.lastChatRequest().messages()).containsExactly(
                new RecordedRequest.Message("system", "Answer in JSON."),
                new RecordedRequest.Message("user", "part one, part two"),
                new RecordedRequest.Message("assistant", "{}"),
                new RecordedRequest.Message("user", "again"));
    }

    @Test
    void optionsTheClientDidNotSendAreNotSentButTheAnswerIsCappedAtTheModelsMaximum() {
        asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200);

        JsonNode sent = llm.lastChatRequest().json();
        assertThat(sent.has("temperature")).isFalse();
        assertThat(sent.has("response_format")).isFalse();
        // drep.gateway.max-output-tokens (default 4096): what the budgets reserved for the answer
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(4096);
        assertThat(sent.has("max_completion_tokens")).isFalse();
    }

    @Test
    void theProviderCallCarriesTheClientsTrace() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String clientSpan = "00f067aa0ba902b7";

        asAdmin().contentType(ContentType.JSON).header("traceparent", "00-" + traceId + "-" + clientSpan + "-01")
                .body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200);

        // same trace, under the gateway's own spans (the provider call's), not the client's span
        assertThat(llm.lastChatRequest().header("traceparent")).hasValueSatisfying(header ->
                assertThat(header).startsWith("00-" + traceId + "-").doesNotContain(clientSpan));
    }

    @Test
    void anAnswerWithoutUsageIsPassedOnWithoutUsage() {
        llm.failNext(FakeLlmFault.missingUsage());

        asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].message.content", equalTo("echo: Is 1 + 1 == 2?"))
                .body("usage", nullValue());
    }

    @Test
    void theFinishReasonIsPassedOn() {
        llm.finishReason("length");

        asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(200)
                .body("choices[0].finish_reason", equalTo("length"));
    }

    @Test
    void drepMetadataIsAcceptedAndPassedDown() {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        try (CapturedLog log = CapturedLog.attach()) {
            asAdmin().contentType(ContentType.JSON)
                    .header("X-Drep-Repository", "acme/widgets")
                    .header("X-Drep-Job", "job-123")
                    .header("X-Drep-Priority", "batch")
                    .header("X-Drep-Task-Class", "complex")
                    .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                    .body(SIMPLE_REQUEST)
                    .when().post("/v1/chat/completions")
                    .then().statusCode(200);

            // the request's line is logged a little later, by the completion log's own thread, in the request's log
            // context: its job and its trace, as JSON log lines show them
            CapturedLog.Entry line = await().atMost(Duration.ofSeconds(5)).until(() -> log.entries().stream()
                    .filter(entry -> entry.message().contains("repository=acme/widgets")).findFirst(),
                    Optional::isPresent).orElseThrow();
            assertThat(line.message()).contains("job=job-123", "priority=batch", "taskClass=complex");
            assertThat(line.mdc()).containsEntry("jobId", "job-123").containsEntry("traceId", traceId);
        }
    }

    @Test
    void withoutMetadataThePriorityIsBatch() {
        try (CapturedLog log = CapturedLog.attach()) {
            asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                    .when().post("/v1/chat/completions")
                    .then().statusCode(200);

            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.lines()).anySatisfy(line ->
                    assertThat(line).contains("completion alias=default", "repository=null", "priority=batch")));
        }
    }
}
