package dev.drep.testsupport.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.testsupport.http.TestHttpClient;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FakeLlmServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHAT = """
            {"model":"m1","messages":[{"role":"system","content":"be brief"},
             {"role":"user","content":"hello there"}]}""";

    private static FakeLlmServer llm;
    private static TestHttpClient http;

    @BeforeAll
    static void start() {
        llm = FakeLlmServer.start();
        http = TestHttpClient.create();
    }

    @AfterAll
    static void stop() {
        llm.close();
    }

    @BeforeEach
    void reset() {
        llm.reset();
        llm.expectApiKey(null);
    }

    @Test
    void answersInOpenAiChatCompletionFormatAndRecordsTheRequest() throws Exception {
        HttpResponse<String> response = post(CHAT, "Bearer k");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.path("id").asText()).startsWith("chatcmpl-");
        assertThat(body.path("object").asText()).isEqualTo("chat.completion");
        assertThat(body.path("created").isNumber()).isTrue();
        assertThat(body.path("model").asText()).isEqualTo("m1");
        JsonNode choice = body.path("choices").get(0);
        assertThat(choice.path("index").asInt(-1)).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo("echo: hello there");
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        // "be brief" + "hello there" = 19 characters -> 5 tokens; "echo: hello there" = 17 -> 5
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(5);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(10);

        RecordedRequest recorded = llm.lastChatRequest();
        assertThat(recorded.sequence()).isEqualTo(1);
        assertThat(recorded.model()).isEqualTo("m1");
        assertThat(recorded.messages()).containsExactly(
                new RecordedRequest.Message("system", "be brief"),
                new RecordedRequest.Message("user", "hello there"));
        assertThat(recorded.header("authorization")).contains("Bearer k");
        assertThat(llm.requests()).hasSize(1);
    }

    @Test
    void streamsAsOpenAiDoesWithTheUsageChunkOnlyWhenAskedFor() throws Exception {
        llm.answer("one two three").usage(4, 3);
        String streamed = CHAT.replace("\"model\":\"m1\"", "\"model\":\"m1\",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true}");

        HttpResponse<String> response = post(streamed, "Bearer k");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).contains("text/event-stream");
        List<String> events = response.body().lines().filter(line -> !line.isEmpty())
                .map(line -> line.substring("data: ".length())).toList();
        assertThat(events).last().isEqualTo("[DONE]");
        StringBuilder text = new StringBuilder();
        for (String event : events.subList(0, events.size() - 2)) {
            JsonNode chunk = JSON.readTree(event);
            assertThat(chunk.path("object").asText()).isEqualTo("chat.completion.chunk");
            text.append(chunk.path("choices").get(0).path("delta").path("content").asText(""));
        }
        assertThat(text).hasToString("one two three");
        JsonNode usage = JSON.readTree(events.get(events.size() - 2));
        assertThat(usage.path("choices")).isEmpty();
        assertThat(usage.path("usage").path("total_tokens").asInt()).isEqualTo(7);

        HttpResponse<String> plain = post(CHAT.replace("\"model\":\"m1\"", "\"model\":\"m1\",\"stream\":true"),
                "Bearer k");
        assertThat(plain.body()).doesNotContain("\"usage\"");
    }

    @Test
    void aStreamThatDiesMidAnswerEndsWithoutDone() throws Exception {
        llm.answer("one two three four").failNext(FakeLlmFault.dieMidStream(2));

        String body = http.send(chatRequest(CHAT.replace("\"model\":\"m1\"", "\"model\":\"m1\",\"stream\":true"),
                "Bearer k").build(), HttpResponse.BodyHandlers.ofString()).body();

        assertThat(body).contains("\"role\":\"assistant\"").contains("one ").doesNotContain("two")
                .doesNotContain("[DONE]");
    }

    @Test
    void aScriptedToolCallIsAnsweredAsOpenAiDoes() throws Exception {
        llm.answerToolCall("lookup", "{\"q\": \"x");

        JsonNode choice = JSON.readTree(post(CHAT, "Bearer k").body()).path("choices").get(0);

        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("content").isNull()).isTrue();
        JsonNode call = choice.path("message").path("tool_calls").get(0);
        assertThat(call.path("type").asText()).isEqualTo("function");
        assertThat(call.path("function").path("name").asText()).isEqualTo("lookup");
        assertThat(call.path("function").path("arguments").asText()).isEqualTo("{\"q\": \"x");
    }

    @Test
    void scriptsAnswerUsageAndFinishReasonFromTheRequest() throws Exception {
        llm.answer(request -> request.model() + " says " + request.messages().size())
                .usage(7, 3)
                .finishReason("length");

        JsonNode body = JSON.readTree(post(CHAT, null).body());

        assertThat(body.path("choices").get(0).path("message").path("content").asText()).isEqualTo("m1 says 2");
        assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
        assertThat(body.path("usage").path("prompt_tokens").asInt()).isEqualTo(7);
        assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(3);
        assertThat(body.path("usage").path("total_tokens").asInt()).isEqualTo(10);
    }

    @Test
    void flattensContentPartsOfAMessage() throws Exception {
        post("""
                {"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"a"},
                 {"type":"text","text":"b"}]}]}""", null);

        assertThat(llm.lastChatRequest().lastUserMessage()).isEqualTo("ab");
    }

    @Test
    void listsModels() throws Exception {
        llm.models("alpha", "beta");

        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/models"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());

        JsonNode body = JSON.readTree(response.body());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(body.path("object").asText()).isEqualTo("list");
        assertThat(body.path("data").findValuesAsText("id")).containsExactly("alpha", "beta");
        assertThat(body.path("data").get(0).path("object").asText()).isEqualTo("model");
    }

    @Test
    void playsQueuedFaultsInOrderThenAnswersNormally() throws Exception {
        llm.failNext(FakeLlmFault.rateLimited(Duration.ofMillis(1500)), FakeLlmFault.serverError(),
                FakeLlmFault.nonJson(), FakeLlmFault.missingUsage());

        HttpResponse<String> limited = post(CHAT, null);
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).contains("2");
        assertThat(JSON.readTree(limited.body()).path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");

        HttpResponse<String> failed = post(CHAT, null);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(JSON.readTree(failed.body()).path("error").path("type").asText()).isEqualTo("server_error");

        HttpResponse<String> html = post(CHAT, null);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
        assertThatThrownBy(() -> JSON.readTree(html.body())).isInstanceOf(IOException.class);

        JsonNode noUsage = JSON.readTree(post(CHAT, null).body());
        assertThat(noUsage.has("usage")).isFalse();
        assertThat(noUsage.path("choices").get(0).path("message").path("content").asText()).isEqualTo("echo: hello there");

        assertThat(JSON.readTree(post(CHAT, null).body()).has("usage")).isTrue();
        assertThat(llm.chatRequests()).hasSize(5);
    }

    @Test
    void failsAlwaysUntilReset() throws Exception {
        llm.failAlways(FakeLlmFault.status(503));

        assertThat(post(CHAT, null).statusCode()).isEqualTo(503);
        assertThat(post(CHAT, null).statusCode()).isEqualTo(503);
        llm.reset();
        assertThat(post(CHAT, null).statusCode()).isEqualTo(200);
    }

    @Test
    void aHangOutlastsTheClientTimeout() {
        llm.failNext(FakeLlmFault.hang(Duration.ofSeconds(5)));
        HttpRequest request = chatRequest(CHAT, null).timeout(Duration.ofMillis(300)).build();

        assertThatThrownBy(() -> http.send(request, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void aResetEndsTheHangsAndSlowAnswersOfTheEarlierTestAndStartsWithNothingInFlight() throws Exception {
        llm.failNext(FakeLlmFault.hang(Duration.ofSeconds(30)));
        CompletableFuture<HttpResponse<String>> hung = http.sendAsync(chatRequest(CHAT, null).build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> llm.chatRequests().size() == 1);
        assertThat(llm.inFlight()).isEqualTo(1);
        long start = System.nanoTime();

        llm.reset();

        assertThat(llm.inFlight()).as("the held request no longer counts").isZero();
        assertThat(llm.maxInFlight()).isZero();
        assertThatThrownBy(hung::join).as("its connection is dropped, not answered").hasCauseInstanceOf(IOException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        // the next test's requests are answered and counted as usual
        assertThat(post(CHAT, null).statusCode()).isEqualTo(200);
        assertThat(llm.maxInFlight()).isEqualTo(1);
        assertThat(llm.inFlight()).isZero();
    }

    @Test
    void aDisconnectGivesNoResponse() {
        llm.failNext(FakeLlmFault.disconnect());

        assertThatThrownBy(() -> post(CHAT, null)).isInstanceOf(IOException.class);
    }

    @Test
    void latencyDelaysTheAnswer() throws Exception {
        llm.latency(Duration.ofMillis(300));

        long start = System.nanoTime();
        assertThat(post(CHAT, null).statusCode()).isEqualTo(200);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void recordsThePeakNumberOfConcurrentRequests() {
        llm.latency(Duration.ofMillis(400));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(http.sendAsync(chatRequest(CHAT, null).build(), HttpResponse.BodyHandlers.ofString()));
        }
        calls.forEach(CompletableFuture::join);

        assertThat(llm.maxInFlight()).isEqualTo(6);
        assertThat(llm.inFlight()).isZero();
        assertThat(llm.chatRequests()).hasSize(6);

        llm.reset();
        assertThat(llm.maxInFlight()).isZero();
    }

    @Test
    void sequentialRequestsNeverOverlap() throws Exception {
        for (int i = 0; i < 3; i++) {
            post(CHAT, null);
        }

        assertThat(llm.maxInFlight()).isEqualTo(1);
    }

    @Test
    void aClientThatSendsOnEachAnswerIsNeverSeenTwice() throws Exception {
        // The next request leaves the moment an answer is read: the server must have stopped
        // counting the previous one by then, or it would report concurrency the client never had.
        // (A group, because a hung request of another test may still be held by the server.)
        llm.groupBy(request -> "sequential");
        for (int i = 0; i < 200; i++) {
            post(CHAT, null);
        }

        assertThat(llm.maxInFlightByGroup()).containsOnly(entry("sequential", 1));
    }

    @Test
    void groupsConcurrentRequestsByAScriptedKey() {
        llm.latency(Duration.ofMillis(400)).groupBy(request -> request.lastUserMessage().substring(0, 1));
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (String content : List.of("a1", "a2", "a3", "b1", "b2")) {
            String body = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
            calls.add(http.sendAsync(chatRequest(body, null).build(), HttpResponse.BodyHandlers.ofString()));
        }
        calls.forEach(CompletableFuture::join);

        assertThat(llm.maxInFlightByGroup()).containsOnly(entry("a", 3), entry("b", 2));
        llm.reset();
        assertThat(llm.maxInFlightByGroup()).isEmpty();
    }

    @Test
    void rejectsAWrongApiKeyWhenOneIsExpected() throws Exception {
        llm.expectApiKey("secret");

        assertThat(post(CHAT, "Bearer wrong").statusCode()).isEqualTo(401);
        assertThat(post(CHAT, null).statusCode()).isEqualTo(401);
        assertThat(post(CHAT, "Bearer secret").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsBodiesAnOpenAiServerWouldReject() throws Exception {
        assertThat(post("{not json", null).statusCode()).isEqualTo(400);
        assertThat(post("{\"model\":\"m\"}", null).statusCode()).isEqualTo(400);
        assertThat(post("{\"model\":\"m\",\"messages\":[],\"stream\":true}", null).statusCode()).isEqualTo(400);
        assertThat(llm.requests()).hasSize(3);
        assertThat(llm.requests().get(0).json()).isNull();
    }

    @Test
    void reportsAFailingScriptAsServerError() throws Exception {
        llm.answer(request -> {
            throw new IllegalStateException("boom");
        });

        HttpResponse<String> response = post(CHAT, null);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("boom");
    }

    private static HttpResponse<String> post(String body, String authorization)
            throws IOException, InterruptedException {
        return http.send(chatRequest(body, authorization).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder chatRequest(String body, String authorization) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(llm.baseUrl() + "/chat/completions"))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (authorization != null) {
            builder.header("Authorization", authorization);
        }
        return builder;
    }
}
