package dev.drep.gateway;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.gateway.limits.AdmissionScheduler;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import dev.drep.testsupport.llm.FakeUsage;
import dev.drep.testsupport.llm.RecordedRequest;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admission limits end to end with small numbers and the real clock: 2 requests at once, 4
 * requests and 50,000 tokens per 1 s window, at most 2 s of waiting; the provider timeout is 10 s
 * here so slow answers are not timeouts. The one extra
 * application boot of the suite; everything else about the scheduler is tested on a manual clock in
 * {@code AdmissionSchedulerTest}.
 */
@QuarkusTest
@TestProfile(TightLimitsTest.TightLimits.class)
@WithTestResource(EmbeddedPostgresResource.class)
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        // a boot of its own anyway: a provider timeout longer than the slow answers below
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "10s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class TightLimitsTest extends GatewayTestBase {

    /** Small limits and a one-second window. */
    public static class TightLimits implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of(
                    "drep.gateway.limits.max-concurrent", "2",
                    "drep.gateway.limits.max-concurrent-per-repository", "2",
                    "drep.gateway.limits.requests-per-minute", "4",
                    // Requests without max_tokens reserve about 4,100 tokens: the 4 a window admits fit.
                    "drep.gateway.limits.tokens-per-minute", "50000",
                    "drep.gateway.limits.window", "1s",
                    "drep.gateway.limits.max-queue-wait", "2s");
        }
    }

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    @Inject
    AdmissionScheduler scheduler;

    private final TestHttpClient client = TestHttpClient.create();

    @BeforeEach
    void warmUpAndLetTheWindowEmpty() throws Exception {
        // A first call pays for connection set-up; timing assertions should not.
        assertThat(send("warm-up", "batch", "warm up " + UUID.randomUUID()).get(10, TimeUnit.SECONDS).statusCode())
                .isEqualTo(200);
        // Admissions of the warm-up and the previous test must not count against this one.
        Thread.sleep(1100);
        llm.reset();
    }

    @Test
    void theRequestWindowHolds() throws Exception {
        String run = UUID.randomUUID().toString();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            responses.add(send("window/repo-" + i, "batch", "window " + i + " " + run));
        }
        all(responses);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        List<Instant> arrivals = llm.chatRequests().stream().map(RecordedRequest::receivedAt).sorted().toList();
        assertThat(arrivals).hasSize(8);
        for (int i = 0; i + 4 < arrivals.size(); i++) {
            // Any five arrivals span a full window (less a little for the trip from gateway to provider).
            assertThat(Duration.between(arrivals.get(i), arrivals.get(i + 4)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
    }

    @Test
    void theTokenWindowHoldsRequestsBackAndFreesAfterAWindow() throws Exception {
        // The provider writes as much as it may: each request costs 10 + 24,000 tokens, estimated and actual,
        // so two fit in the 50,000-token window and a third must wait for the window to move on.
        llm.usage((request, content) -> new FakeUsage(10, request.json().path("max_tokens").asInt()));
        String run = UUID.randomUUID().toString();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            responses.add(send("tokens/repo-" + i, "batch", "tokens " + i + " " + run, 24_000));
        }
        all(responses);

        List<HttpResponse<String>> answered = responses.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() == 200).toList();
        List<HttpResponse<String>> refused = responses.stream().map(CompletableFuture::join)
                .filter(r -> r.statusCode() != 200).toList();
        // Two admissions per window: at about 0 s, 1 s and 2 s; whoever would be admitted later than 2 s
        // after arriving is refused at its deadline (the last two at the least).
        assertThat(answered.size()).isBetween(4, 6);
        assertThat(refused).hasSizeGreaterThanOrEqualTo(1).allSatisfy(r -> {
            assertThat(r.statusCode()).isEqualTo(429);
            assertThat(r.body()).contains("\"code\":\"queue_wait_exceeded\"", "50000 tokens per 1 s");
            assertThat(Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        });
        List<Instant> arrivals = llm.chatRequests().stream().map(RecordedRequest::receivedAt).sorted().toList();
        assertThat(arrivals).hasSize(answered.size());
        for (int i = 0; i + 2 < arrivals.size(); i++) {
            // Any three arrivals span a full window (less a little for the trip from gateway to provider).
            assertThat(Duration.between(arrivals.get(i), arrivals.get(i + 2)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(900));
        }
        assertThat(answered).filteredOn(r -> queueWaitMs(r) >= 900).hasSizeGreaterThanOrEqualTo(2);

        // A window later the tokens are free again: the next large request goes straight through.
        Thread.sleep(1100);
        HttpResponse<String> later = send("tokens/later", "batch", "tokens later " + run, 24_000)
                .get(10, TimeUnit.SECONDS);
        assertThat(later.statusCode()).isEqualTo(200);
        assertThat(queueWaitMs(later)).isLessThan(500);
    }

    @Test
    void aRequestThatWouldWaitTooLongIsAnswered429WithRetryAfter() throws Exception {
        llm.latency(request -> request.lastUserMessage().startsWith("slow") ? Duration.ofSeconds(3) : Duration.ZERO);
        String run = UUID.randomUUID().toString();
        CompletableFuture<HttpResponse<String>> slow1 = send("wait/a", "batch", "slow 1 " + run);
        CompletableFuture<HttpResponse<String>> slow2 = send("wait/b", "batch", "slow 2 " + run);
        Thread.sleep(200);

        long start = System.nanoTime();
        HttpResponse<String> refused = send("wait/c", "batch", "no room " + run).get(10, TimeUnit.SECONDS);
        Duration waited = Duration.ofNanos(System.nanoTime() - start);

        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.body()).contains("\"code\":\"queue_wait_exceeded\"", "longer than 2 s",
                "2 at once, 2 per repository, 4 requests");
        assertThat(Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow())).isPositive();
        assertThat(waited).isBetween(Duration.ofMillis(1800), Duration.ofMillis(2900));
        assertThat(llm.chatRequests()).extracting(RecordedRequest::lastUserMessage)
                .noneMatch(m -> m.startsWith("no room"));
        assertThat(slow1.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(slow2.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void interactiveRequestsOvertakeQueuedBatchOnes() throws Exception {
        Duration firstSlotHeld = Duration.ofMillis(1200);
        llm.latency(request -> {
            String message = request.lastUserMessage();
            if (message.startsWith("occupy-1")) {
                return firstSlotHeld;
            }
            return message.startsWith("occupy-2") ? Duration.ofMillis(2500) : Duration.ZERO;
        });
        String run = UUID.randomUUID().toString();
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        responses.add(send("order/occupy-1", "batch", "occupy-1 " + run));
        responses.add(send("order/occupy-2", "batch", "occupy-2 " + run));
        // Each step waits for a fact, not a gap (50 ms gaps once let batch-3 arrive before batch-2 on a loaded
        // machine): both slots are taken, then each request is in the queue before the next is sent.
        await().atMost(Duration.ofSeconds(10)).until(() -> llm.inFlight() == 2);
        for (int i = 1; i <= 3; i++) {
            responses.add(send("order/batch-" + i, "batch", "batch-" + i + " " + run));
            int queued = i;
            await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.snapshot().queuedBatch() == queued);
        }
        responses.add(send("order/interactive", "interactive", "interactive " + run));
        await().atMost(Duration.ofSeconds(10)).until(() -> scheduler.snapshot().queuedInteractive() == 1);
        Instant interactiveQueued = Instant.now();
        assertThat(llm.chatRequests()).as("all four queued while both slots were taken").hasSize(2);
        all(responses);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        List<RecordedRequest> chats = llm.chatRequests();
        List<String> order = chats.stream().map(r -> r.lastUserMessage().split(" ")[0]).toList();
        assertThat(order).hasSize(6);
        assertThat(order.subList(0, 2)).containsExactlyInAnyOrder("occupy-1", "occupy-2");
        // The first slot frees when occupy-1 is answered: the interactive request, queued last, goes first.
        assertThat(order.subList(2, 6)).containsExactly("interactive", "batch-1", "batch-2", "batch-3");
        // and it waited in the queue for that slot at least from when it was seen queued until occupy-1's answer
        Instant firstSlotFree = chats.get(order.indexOf("occupy-1")).receivedAt().plus(firstSlotHeld);
        long leastWaitMs = Duration.between(interactiveQueued, firstSlotFree).toMillis();
        assertThat(leastWaitMs).isPositive();
        assertThat(queueWaitMs(responses.get(5).join())).isGreaterThanOrEqualTo(leastWaitMs - 20);
    }

    private CompletableFuture<HttpResponse<String>> send(String repository, String priority, String content) {
        return send(repository, priority, content, request("default", content));
    }

    private CompletableFuture<HttpResponse<String>> send(String repository, String priority, String content,
            int maxTokens) {
        return send(repository, priority, content, "{\"model\":\"default\",\"max_tokens\":" + maxTokens
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}");
    }

    private CompletableFuture<HttpResponse<String>> send(String repository, String priority, String content,
            String body) {
        HttpRequest request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + TestTokens.ANALYZER_SERVICE)
                .header("X-Drep-Repository", repository)
                .header("X-Drep-Priority", priority)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
    }

    private static double queueWaitMs(HttpResponse<String> response) {
        return Double.parseDouble(response.headers().firstValue("X-Drep-Queue-Wait-Ms").orElseThrow());
    }

    private static void all(List<CompletableFuture<HttpResponse<String>>> responses) throws Exception {
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
    }
}
