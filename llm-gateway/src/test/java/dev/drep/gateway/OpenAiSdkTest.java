package dev.drep.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIException;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.completions.CompletionUsage;
import dev.drep.testsupport.identity.TestTokens;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The oracle of the wire: OpenAI's official Java SDK, pointed at the gateway, streams and calls tools as it does
 * against OpenAI. It parses every chunk and answer strictly, so a field of the wrong shape fails here.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class OpenAiSdkTest extends GatewayTestBase {

    @TestHTTPResource("/v1")
    URI v1;

    private OpenAIClient client;

    @BeforeEach
    void sdk() {
        client = OpenAIOkHttpClient.builder().baseUrl(v1.toString()).apiKey(TestTokens.ADMIN).maxRetries(0).build();
    }

    private static FunctionDefinition weather() {
        return FunctionDefinition.builder().name("get_weather").description("Weather of a city")
                .parameters(FunctionParameters.builder()
                        .putAdditionalProperty("type", JsonValue.from("object"))
                        .putAdditionalProperty("properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                        .build())
                .build();
    }

    @Test
    void theSdkStreamsAnAnswerWithItsUsage() {
        llm.answer("Streams work through the gateway.").usage(12, 7);
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("default")
                .addUserMessage("Do streams work?")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build();

        StringBuilder text = new StringBuilder();
        List<CompletionUsage> usages = new ArrayList<>();
        List<String> finishes = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(chunk -> {
                assertThat(chunk.model()).isEqualTo("default");
                chunk.choices().forEach(choice -> {
                    choice.delta().content().ifPresent(text::append);
                    choice.finishReason().ifPresent(reason -> finishes.add(reason.asString()));
                });
                chunk.usage().ifPresent(usages::add);
            });
        }

        assertThat(text).hasToString("Streams work through the gateway.");
        assertThat(finishes).containsExactly("stop");
        assertThat(usages).singleElement().satisfies(usage -> {
            assertThat(usage.promptTokens()).isEqualTo(12);
            assertThat(usage.completionTokens()).isEqualTo(7);
        });
    }

    @Test
    void theSdkCallsAToolAndSendsItsResultBack() {
        llm.answerToolCall("get_weather", "{\"city\":\"Paris\"}");
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("default")
                .addUserMessage("Weather in Paris?").addFunctionTool(weather()).build();

        ChatCompletion called = client.chat().completions().create(ask);

        ChatCompletion.Choice choice = called.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        ChatCompletionMessageFunctionToolCall call = choice.message().toolCalls().orElseThrow().get(0).asFunction();
        assertThat(call.function().name()).isEqualTo("get_weather");
        assertThat(call.function().arguments()).isEqualTo("{\"city\":\"Paris\"}");

        llm.reset();
        llm.answer("It is 21 degrees.");
        ChatCompletion answered = client.chat().completions().create(ask.toBuilder()
                .addMessage(choice.message())
                .addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id()).content("{\"celsius\":21}")
                        .build())
                .build());

        assertThat(answered.choices().get(0).message().content()).contains("It is 21 degrees.");
        assertThat(llm.lastChatRequest().json().path("messages").get(2).path("tool_call_id").asText())
                .isEqualTo(call.id());
    }

    @Test
    void theSdkStreamsAToolCall() {
        llm.answerToolCall("get_weather", "{\"city\":\"Paris\"}");
        ChatCompletionCreateParams ask = ChatCompletionCreateParams.builder().model("default")
                .addUserMessage("Weather in Paris, streamed?").addFunctionTool(weather()).build();

        StringBuilder arguments = new StringBuilder();
        List<String> names = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(ask)) {
            stream.stream().forEach(chunk -> chunk.choices().forEach(choice ->
                    choice.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> call.function().ifPresent(f -> {
                        f.name().ifPresent(names::add);
                        f.arguments().ifPresent(arguments::append);
                    })))));
        }

        assertThat(names).containsExactly("get_weather");
        assertThat(arguments).hasToString("{\"city\":\"Paris\"}");
    }

    @Test
    void theSdkRaisesAnErrorWhenTheProviderDiesMidStream() {
        llm.answer("This will break off half way.").failNext(FakeLlmFault.dieMidStream(2));
        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("default")
                .addUserMessage("Break please").build();

        assertThatThrownBy(() -> {
            try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(params)) {
                stream.stream().forEach(chunk -> {
                });
            }
        }).isInstanceOf(OpenAIException.class).hasMessageContaining("incomplete");
    }
}
