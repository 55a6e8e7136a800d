package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import dev.drep.gateway.provider.FailureKind;
import dev.drep.gateway.provider.GenerationParameters;
import dev.drep.gateway.provider.OpenAiCompatibleProvider;
import dev.drep.gateway.provider.ProviderEndpoint;
import dev.drep.gateway.provider.ProviderMessage;
import dev.drep.gateway.provider.ProviderRequest;
import dev.drep.gateway.provider.ProviderResult;
import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.logging.CapturedLog;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Provider failures become OpenAI-shaped 4xx/5xx answers that never carry the API key. */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class ProviderFailureTest extends GatewayTestBase {

    @jakarta.inject.Inject
    io.vertx.core.Vertx vertx;

    private static final String KEY = FakeLlmResource.API_KEY;

    @Test
    void aProviderServerErrorIsABadGatewayOnceRetriesAreSpent() {
        llm.failAlways(FakeLlmFault.serverError());

        String body = postExpecting(502);

        assertThat(body).contains("\"code\":\"provider_error\"", "HTTP 500").doesNotContain(KEY);
        // drep.gateway.retry.max-attempts=2 in the test configuration
        assertThat(llm.chatRequests()).hasSize(2);
    }

    @Test
    void aProviderOverloadIsABadGateway() {
        llm.failAlways(FakeLlmFault.status(503));

        assertThat(postExpecting(502)).contains("HTTP 503").doesNotContain(KEY);
    }

    @Test
    void providerRateLimitingBeyondTheLongestWaitIsPassedOnAs429WithRetryAfter() {
        // 5 s is more than drep.gateway.retry.max-retry-after (3 s): no retry, and the client is told.
        llm.failAlways(FakeLlmFault.rateLimited(Duration.ofSeconds(5)));

        String retryAfter = asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(429)
                .body("error.type", equalTo("rate_limit_error"))
                .body("error.code", equalTo("provider_rate_limited"))
                .extract().header("Retry-After");

        assertThat(Integer.parseInt(retryAfter)).isBetween(4, 5);
        assertThat(llm.chatRequests()).hasSize(1);
    }

    @Test
    void aProviderThatDoesNotAnswerInTimeIsAGatewayTimeout() {
        llm.failNext(FakeLlmFault.hang(Duration.ofSeconds(8)), FakeLlmFault.hang(Duration.ofSeconds(8)));

        long start = System.nanoTime();
        String body = postExpecting(504);
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(body).contains("\"code\":\"provider_timeout\"", "2 s");
        // two attempts of 2 s each
        assertThat(took).isBetween(Duration.ofMillis(3500), Duration.ofSeconds(7));
        assertThat(llm.chatRequests()).hasSize(2);
    }

    @Test
    void anAnswerThatIsNotJsonIsABadGateway() {
        llm.failNext(FakeLlmFault.nonJson());

        assertThat(postExpecting(502)).contains("provider_bad_response");
    }

    @Test
    void aDroppedConnectionIsABadGateway() {
        llm.failAlways(FakeLlmFault.disconnect());

        assertThat(postExpecting(502)).contains("\"code\":\"provider_error\"");
    }

    @Test
    void anUnknownProviderModelIsABadGateway() {
        llm.failNext(FakeLlmFault.status(404));

        assertThat(postExpecting(502)).contains("provider_model_not_found", "'fake-model'");
    }

    @Test
    void aRequestTheProviderRejectsIsABadRequest() {
        llm.failNext(new FakeLlmFault.Status(400, "application/json",
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                Map.of()));

        assertThat(postExpecting(400)).contains("provider_rejected_request", "maximum context length is 8192");
    }

    @Test
    void theApiKeyNeverAppearsInAnAnswerOrTheLog() {
        try (CapturedLog log = CapturedLog.attach()) {
            llm.failAlways(FakeLlmFault.status(500));
            String failed = postExpecting(502);
            llm.reset();
            // A provider that echoes the key it was sent (some do, in their 401 message).
            llm.failNext(new FakeLlmFault.Status(401, "application/json",
                    "{\"error\":{\"message\":\"Incorrect API key provided: " + KEY + ".\",\"type\":\"invalid_request_error\","
                            + "\"param\":null,\"code\":\"invalid_api_key\"}}", Map.of()));
            String unauthorised = postExpecting(502);
            llm.failNext(FakeLlmFault.nonJson());
            String notJson = postExpecting(502);
            llm.failAlways(FakeLlmFault.hang(Duration.ofSeconds(5)));
            String timedOut = postExpecting(504);
            llm.reset();
            asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                    .when().post("/v1/chat/completions").then().statusCode(200);

            assertThat(unauthorised).contains("provider_authentication_failed", "Incorrect API key provided: ***");
            assertThat(List.of(unauthorised, failed, notJson, timedOut)).allSatisfy(body ->
                    assertThat(body).doesNotContain(KEY));
            // The capture works: the failures were logged, only without the key (a request's own line comes a
            // little later, from the completion log's thread).
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(log.text()).contains(
                    "AUTHENTICATION", "PROVIDER_ERROR", "BAD_RESPONSE", "TIMEOUT", "completion alias=default"));
            assertThat(log.text()).doesNotContain(KEY);
        }
    }

    @Test
    void anUnreachableProviderIsReportedAsUnreachable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        OpenAiCompatibleProvider provider = new OpenAiCompatibleProvider(new ProviderEndpoint("unreachable",
                "http://127.0.0.1:" + closedPort + "/v1", Optional.of(KEY), Duration.ofSeconds(2)), vertx, null);

        ProviderResult result = provider.chat(new ProviderRequest("any-model",
                List.of(new ProviderMessage(ProviderMessage.Role.USER, "hi", null)), GenerationParameters.none())).await().indefinitely();
        // a stream goes over the OpenAI wire client: the same classification
        ProviderResult streamed = provider.chat(new ProviderRequest("any-model",
                List.of(new ProviderMessage(ProviderMessage.Role.USER, "hi", null)), GenerationParameters.none(), true)).await().indefinitely();

        assertThat(streamed).isInstanceOfSatisfying(ProviderResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(FailureKind.UNREACHABLE);
            assertThat(failed.message()).contains("127.0.0.1:" + closedPort).doesNotContain(KEY);
        });
        assertThat(result).isInstanceOfSatisfying(ProviderResult.Failed.class, failed -> {
            assertThat(failed.kind()).isEqualTo(FailureKind.UNREACHABLE);
            assertThat(failed.message()).contains("127.0.0.1:" + closedPort).doesNotContain(KEY);
        });
    }

    private static String postExpecting(int status) {
        return asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions")
                .then().statusCode(status).contentType(ContentType.JSON)
                .body("error.message", containsString("model alias 'default'"))
                .body("error.type", notNullValue())
                .extract().asString();
    }

    @Test
    void aServerErrorIsRetriedByTheGatewayAndByNothingElse() {
        llm.failNext(FakeLlmFault.serverError());

        asAdmin().contentType(ContentType.JSON).body(SIMPLE_REQUEST)
                .when().post("/v1/chat/completions").then().statusCode(200)
                .body("model", equalTo("default"));

        // One failed call and the gateway's retry: no hidden retries inside the provider client.
        assertThat(llm.chatRequests()).hasSize(2);
    }
}
