package dev.drep.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.drep.core.identity.TokenHashes;
import dev.drep.embedded.FreePorts;
import dev.drep.embedded.LocalPostgres;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18's replicas: three packaged gateways ({@code llm-gateway/target/quarkus-app}) as separate processes on one
 * embedded PostgreSQL, in front of one fake provider that records what it has in flight. 200 requests over 10
 * repositories never exceed the global or a repository's limit at the provider, and a gateway killed with SIGKILL
 * mid-load gives its slots back within its lease.
 */
class GatewayReplicasEndToEndTest {

    private static final int GLOBAL = 6;
    private static final int PER_REPOSITORY = 2;
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final String TOKEN = TokenHashes.newToken();
    private static final TestHttpClient HTTP = TestHttpClient.create();

    private final List<Process> gateways = new ArrayList<>();
    private LocalPostgres postgres;
    private FakeLlmServer llm;

    @AfterEach
    void stop() throws Exception {
        for (Process gateway : gateways) {
            gateway.destroy();
            if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                gateway.destroyForcibly();
            }
        }
        if (llm != null) {
            llm.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void threeGatewaysKeepTheLimitsTogetherAndAKilledOneGivesItsSlotsBackWithinTheLease() throws Exception {
        postgres = LocalPostgres.start(null, 0);
        llm = FakeLlmServer.start().latency(Duration.ofMillis(300));
        // the repository is the first word of the message; the provider counts what it has in flight per repository
        llm.groupBy(request -> request.lastUserMessage().split(" ")[0]);
        List<URI> endpoints = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = FreePorts.find();
            gateways.add(startGateway(port, FreePorts.find()));
            endpoints.add(URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"));
        }
        for (URI endpoint : endpoints) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> send(endpoint, "warm-up", "warm-up " + UUID.randomUUID()).join().statusCode() == 200);
        }
        llm.reset();
        llm.latency(Duration.ofMillis(300));
        llm.groupBy(request -> request.lastUserMessage().split(" ")[0]);

        List<CompletableFuture<HttpResponse<String>>> survivors = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> onTheKilledOne = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            int gateway = i % 3;
            String repository = "repo-" + (i % 10);
            CompletableFuture<HttpResponse<String>> call = send(endpoints.get(gateway), repository,
                    repository + " request " + i + " " + UUID.randomUUID());
            (gateway == 2 ? onTheKilledOne : survivors).add(call);
        }
        // mid-load: the third gateway holds slots when it dies
        await().atMost(Duration.ofSeconds(30)).until(() -> llm.chatRequests().size() >= 30);
        gateways.get(2).destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        long killedAt = System.nanoTime();
        await().atMost(LEASE.plus(LEASE.dividedBy(3)).plusSeconds(3)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() - killedAt > TimeUnit.MILLISECONDS.toNanos(300)
                        && llm.inFlight() == GLOBAL);
        Duration slotsBackAfter = Duration.ofNanos(System.nanoTime() - killedAt);

        CompletableFuture.allOf(survivors.toArray(CompletableFuture[]::new)).get(3, TimeUnit.MINUTES);
        assertThat(survivors).allSatisfy(call -> assertThat(call.join().statusCode()).isEqualTo(200));
        assertThat(llm.maxInFlight()).as("global limit at the provider").isLessThanOrEqualTo(GLOBAL);
        assertThat(llm.maxInFlightByGroup()).hasSize(10).allSatisfy((repository, peak) ->
                assertThat(peak).as(repository).isLessThanOrEqualTo(PER_REPOSITORY));
        assertThat(slotsBackAfter).as("the killed gateway's slots come back within its lease and a heartbeat")
                .isLessThan(LEASE.plus(LEASE.dividedBy(3)).plusSeconds(2));
        System.out.printf("the killed gateway's slots were back after %d ms (lease %d ms); %d of its requests had been "
                + "answered%n", slotsBackAfter.toMillis(), LEASE.toMillis(),
                onTheKilledOne.stream().filter(c -> c.isDone() && !c.isCompletedExceptionally()).count());
    }

    private static CompletableFuture<HttpResponse<String>> send(URI endpoint, String repository, String content) {
        String body = "{\"model\":\"default\",\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}";
        return HTTP.sendAsync(HttpRequest.newBuilder(endpoint)
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .header("X-Drep-Repository", repository)
                .timeout(Duration.ofMinutes(3))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private Process startGateway(int port, int managementPort) throws IOException {
        Path app = Drep.home().resolve("llm-gateway/target/quarkus-app/quarkus-run.jar");
        assertThat(app).as("the packaged gateway (built by this module's reactor)").isRegularFile();
        Path log = Files.createTempFile("gateway-replica-", ".log");
        ProcessBuilder builder = new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort,
                "-Ddrep.gateway.provider.base-url=" + llm.baseUrl(),
                "-Ddrep.gateway.default-model=" + FakeLlmServer.DEFAULT_MODEL,
                "-Ddrep.gateway.limits.max-concurrent=" + GLOBAL,
                "-Ddrep.gateway.limits.max-concurrent-per-repository=" + PER_REPOSITORY,
                "-Ddrep.gateway.limits.requests-per-minute=0",
                "-Ddrep.gateway.limits.tokens-per-minute=0",
                "-Ddrep.gateway.limits.max-queue-wait=180s",
                "-Ddrep.gateway.limits.lease=" + LEASE.toSeconds() + "s",
                "-Ddrep.gateway.cache.enabled=false",
                "-jar", app.toString());
        builder.environment().put("DREP_DB_URL", postgres.reactiveUrl());
        builder.environment().put("DREP_DB_JDBC_URL", postgres.jdbcUrl());
        builder.environment().put("DREP_DB_USER", LocalPostgres.USER);
        builder.environment().put("DREP_DB_PASSWORD", LocalPostgres.PASSWORD);
        // calls as the analyzer does: its service token may name any repository
        builder.environment().put("DREP_ANALYZER_TOKEN_SHA256", TokenHashes.sha256(TOKEN));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        System.out.println("gateway log: " + log);
        return builder.start();
    }
}
