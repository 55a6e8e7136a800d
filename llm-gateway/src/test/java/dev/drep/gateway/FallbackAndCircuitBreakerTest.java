package dev.drep.gateway;

import static dev.drep.testsupport.identity.TestTokens.asAdmin;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmFault;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.net.URL;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Retries, fallback from alias {@code primary} (default provider) to {@code secondary} (provider
 * {@code backup}), the circuit breaker of provider {@code flaky}, adaptive concurrency and task
 * class routing. Test configuration: two attempts per model, 10-40 ms backoff, provider waits up to
 * 3 s honoured.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "2s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class FallbackAndCircuitBreakerTest extends GatewayTestBase {
    @TestHTTPResource(value = "metrics", management = true)
    URL metricsEndpoint;

    private static ValidatableResponse post(String model, String content) {
        return asAdmin().contentType(ContentType.JSON).body(request(model, content))
                .when().post("/v1/chat/completions").then();
    }

    @Test
    void aRateLimitedModelFallsBackAfterItsRetries() {
        llm.failAlways(FakeLlmFault.status(429));

        post("primary", "fallback on 429").statusCode(200)
                .body("model", equalTo("secondary"))
                .body("choices[0].message.content", equalTo("echo: fallback on 429"));

        assertThat(llm.chatRequests()).hasSize(2).allSatisfy(r -> assertThat(r.model()).isEqualTo("fake-primary"));
        assertThat(backup.chatRequests()).singleElement().satisfies(r -> assertThat(r.model()).isEqualTo("fake-secondary"));
        String metrics = RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
        assertThat(metrics.lines()).anyMatch(l -> l.startsWith("drep_gateway_retries_total{alias=\"primary\""))
                .anyMatch(l -> l.startsWith("drep_gateway_fallbacks_total{from=\"primary\"") && l.contains("to=\"secondary\""));
    }

    @Test
    void aServerErrorFallsBack() {
        llm.failAlways(FakeLlmFault.status(503));

        post("primary", "fallback on 5xx").statusCode(200).body("model", equalTo("secondary"));

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(backup.chatRequests()).hasSize(1);
    }

    @Test
    void aTimeoutFallsBack() {
        llm.failAlways(FakeLlmFault.hang(Duration.ofSeconds(5)));

        post("primary", "fallback on timeout").statusCode(200).body("model", equalTo("secondary"));

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(backup.chatRequests()).hasSize(1);
    }

    @Test
    void aBadRequestNeitherRetriesNorFallsBack() {
        llm.failAlways(new FakeLlmFault.Status(400, "application/json",
                "{\"error\":{\"message\":\"This model's maximum context length is 8192 tokens.\","
                        + "\"type\":\"invalid_request_error\",\"param\":\"messages\",\"code\":\"context_length_exceeded\"}}",
                Map.of()));

        post("primary", "no fallback on 400").statusCode(400)
                .body("error.code", equalTo("provider_rejected_request"))
                .body("error.message", containsString("maximum context length"));

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(backup.chatRequests()).isEmpty();
    }

    @Test
    void aBrokenAnswerNeitherRetriesNorFallsBack() {
        llm.failAlways(FakeLlmFault.nonJson());

        post("primary", "no fallback on a broken answer").statusCode(502)
                .body("error.code", equalTo("provider_bad_response"));

        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(backup.chatRequests()).isEmpty();
    }

    @Test
    void theProvidersRetryAfterIsWaitedOutBeforeTheRetry() {
        llm.failNext(FakeLlmFault.rateLimited(Duration.ofSeconds(1)));

        long start = System.nanoTime();
        post("primary", "honour Retry-After").statusCode(200).body("model", equalTo("primary"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(llm.chatRequests()).hasSize(2);
        assertThat(Duration.between(llm.chatRequests().get(0).receivedAt(), llm.chatRequests().get(1).receivedAt()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(took).isLessThan(Duration.ofSeconds(5));
        assertThat(backup.chatRequests()).isEmpty();
    }

    @Test
    void aRetryAfterLongerThanTheGatewayWaitsGoesStraightToTheFallback() {
        llm.failAlways(FakeLlmFault.rateLimited(Duration.ofSeconds(30)));

        post("primary", "long Retry-After").statusCode(200).body("model", equalTo("secondary"));

        assertThat(llm.chatRequests()).hasSize(1);
        // The pause holds for later requests too: they skip the paused provider without calling it.
        post("primary", "while paused").statusCode(200).body("model", equalTo("secondary"));
        assertThat(llm.chatRequests()).hasSize(1);
        assertThat(backup.chatRequests()).hasSize(2);
    }

    @Test
    void anExhaustedRateLimitHeaderPausesTheProviderBeforeItSays429() {
        llm.failNext(new FakeLlmFault.Status(200, "application/json", """
                {"id":"x","object":"chat.completion","created":1,"model":"fake-primary",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"last one"},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":3,"completion_tokens":2,"total_tokens":5}}""",
                Map.of("x-ratelimit-remaining-requests", "0", "x-ratelimit-reset-requests", "1s")));

        post("primary", "uses the last request").statusCode(200).body("choices[0].message.content", equalTo("last one"));
        post("primary", "waits for the reset").statusCode(200).body("model", equalTo("primary"));

        RecordedRequest first = llm.chatRequests().get(0);
        RecordedRequest second = llm.chatRequests().get(1);
        assertThat(Duration.between(first.receivedAt(), second.receivedAt())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void aProviderThatKeepsFailingIsCutOffWith503AndRetryAfter() {
        flaky.failAlways(FakeLlmFault.serverError());

        // threshold 5, two attempts per request: the breaker opens during the third request
        post("flaky", "one").statusCode(502);
        post("flaky", "two").statusCode(502);
        post("flaky", "three").statusCode(502);
        assertThat(flaky.chatRequests()).hasSize(5);

        String retryAfter = post("flaky", "four").statusCode(503)
                .body("error.code", equalTo("provider_unavailable"))
                .body("error.message", containsString("circuit breaker open"))
                .extract().header("Retry-After");

        assertThat(Long.parseLong(retryAfter)).isBetween(50L, 60L);
        assertThat(flaky.chatRequests()).as("no call while the breaker is open").hasSize(5);
        // Other providers are not affected.
        post("default", "still fine").statusCode(200);
    }

    @Test
    void an429HalvesTheProvidersConcurrencyLimit() {
        llm.failNext(FakeLlmFault.status(429));

        post("default", "429 then success").statusCode(200);

        String metrics = RestAssured.get(metricsEndpoint).then().statusCode(200).extract().asString();
        // 5 halved to 2, then one success raises it by 1/2: still 2 once rounded down
        assertThat(metrics).contains("drep_gateway_provider_concurrency_limit{provider=\"default\",service=\"gateway\"} 2.0");
        assertThat(metrics).contains("drep_gateway_provider_concurrency_limit{provider=\"backup\",service=\"gateway\"} 5.0");
    }

    @Test
    void aTaskClassRoutesRequestsForTheDefaultAlias() {
        asAdmin().contentType(ContentType.JSON).header("X-Drep-Task-Class", "simple")
                .body(request("default", "simple task"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("model", equalTo("fast"));
        assertThat(llm.lastChatRequest().model()).isEqualTo("fake-small");

        // An explicitly named alias is kept, and an unknown class changes nothing.
        asAdmin().contentType(ContentType.JSON).header("X-Drep-Task-Class", "simple")
                .body(request("primary", "pinned alias"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("model", equalTo("primary"));
        asAdmin().contentType(ContentType.JSON).header("X-Drep-Task-Class", "unheard-of")
                .body(request("default", "unknown class"))
                .when().post("/v1/chat/completions")
                .then().statusCode(200).body("model", equalTo("default"));
    }
}
