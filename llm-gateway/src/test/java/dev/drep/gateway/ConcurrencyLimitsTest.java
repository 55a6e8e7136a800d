package dev.drep.gateway;

import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.identity.TestTokens;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drep.testsupport.infra.EmbeddedPostgresResource;
import dev.drep.testsupport.llm.FakeLlmResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The global (5) and per-repository (3) concurrency limits, seen from the provider's side under a
 * burst of concurrent clients. The fake provider groups requests by the repository each test
 * writes into its prompt, so it measures the per-repository peak itself.
 */
@QuarkusTest
@WithTestResource(EmbeddedPostgresResource.class)
// The provider answers in 40-300 ms; a 10 s timeout keeps a cold start on a busy machine from retrying calls
// (a retried call would be counted twice at the provider).
@WithTestResource(value = FakeLlmResource.class, initArgs = {
        @ResourceArg(name = FakeLlmResource.ARG_TIMEOUT, value = "10s"),
        @ResourceArg(name = FakeLlmResource.ARG_EXTRA_PROVIDERS, value = "backup,flaky")})
class ConcurrencyLimitsTest extends GatewayTestBase {

    @TestHTTPResource("/v1/chat/completions")
    URI endpoint;

    private final TestHttpClient client = TestHttpClient.create();

    @Test
    void twoHundredConcurrentRequestsOverTenRepositoriesRespectBothLimits() throws Exception {
        llm.latency(Duration.ofMillis(40)).groupBy(request -> request.lastUserMessage().split(":")[0]);
        String run = UUID.randomUUID().toString();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String repository = "limits/repo-" + (i % 10);
            responses.add(send(repository, repository + ": request " + i + " of run " + run));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(llm.chatRequests()).hasSize(200);
        assertThat(llm.maxInFlight()).as("global limit").isEqualTo(5);
        Map<String, Integer> perRepository = llm.maxInFlightByGroup();
        assertThat(perRepository).hasSize(10);
        assertThat(perRepository.values()).as("per-repository limit").allSatisfy(peak ->
                assertThat(peak).isBetween(1, 3));
    }

    @Test
    void oneRepositoryAloneGetsNoMoreThanItsShare() throws Exception {
        llm.latency(Duration.ofMillis(40)).groupBy(request -> request.lastUserMessage().split(":")[0]);
        String run = UUID.randomUUID().toString();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            responses.add(send("limits/busy", "limits/busy: request " + i + " of run " + run));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(llm.maxInFlightByGroup()).containsEntry("limits/busy", 3);
    }

    @Test
    void requestsWithoutRepositoryShareTheDefaultBucket() throws Exception {
        // The three admitted calls overlap at the provider only if its latency outlasts the spread of their dispatch,
        // which on a loaded machine was over 100 ms (peak 2 with 40 ms, though all three were admitted at once).
        llm.latency(Duration.ofMillis(300));
        String run = UUID.randomUUID().toString();

        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            responses.add(send(null, "anonymous request " + i + " of run " + run));
        }
        CompletableFuture.allOf(responses.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

        assertThat(responses).allSatisfy(r -> assertThat(r.join().statusCode()).isEqualTo(200));
        assertThat(llm.maxInFlight()).isEqualTo(3);
    }

    private CompletableFuture<HttpResponse<String>> send(String repository, String content) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).header("Authorization", "Bearer " + TestTokens.ANALYZER_SERVICE)
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(request("default", content)));
        if (repository != null) {
            request.header("X-Drep-Repository", repository);
        }
        return client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
