package dev.drep.gateway.load;

import dev.drep.core.identity.TokenHashes;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drep.embedded.LocalPostgres;
import dev.drep.testsupport.http.TestHttpClient;
import dev.drep.testsupport.llm.FakeLlmServer;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A load run of the packaged gateway against {@link FakeLlmServer}: by default 1,000 requests at 2 s
 * provider latency under a global limit of 5 (rate limits off so they do not bind), sent by 10
 * concurrent clients over 10 repositories. It prints the throughput as a share of the theoretical
 * maximum (limit / latency) and the latency the gateway adds: end-to-end time minus the time the
 * request waited for admission ({@code X-Drep-Queue-Wait-Ms}, the limit doing its job) minus the
 * provider's configured latency. The fake's own HTTP overhead therefore counts against the gateway.
 *
 * <p>It starts an embedded PostgreSQL and the fake in this JVM and the gateway as a separate
 * process ({@code java -jar <quarkus-app>/quarkus-run.jar}), so the gateway runs as in production.
 * Run it with {@code llm-gateway/load/run.sh}; arguments are {@code key=value} pairs:
 * {@code app} (the quarkus-app directory), {@code requests} (1000), {@code latency-ms} (2000),
 * {@code limit} (5), {@code clients} (10), {@code repositories} (10), {@code warmup} (500),
 * {@code baseline} (100).
 *
 * <p>Before the measured run it sends {@code baseline} requests from the same client straight to the
 * fake provider, as many at once as the provider sees in the measured run (the smaller of {@code clients}
 * and {@code limit}): their time beyond the provider latency is what a bare HTTP round trip costs on this
 * machine at that moment, the floor under any gateway-added figure.
 */
public final class GatewayLoadRun {
    /** The analyzer-like service token of the run's gateway. */
    private static final String TOKEN = TokenHashes.newToken();
    /** An admin's token, for reading the ledger ({@code usage:read}) after the measured run. */
    private static final String ADMIN_TOKEN = TokenHashes.newToken();


    private static final ObjectMapper JSON = new ObjectMapper();

    private GatewayLoadRun() {
    }

    /** One measured request. */
    private record Sample(int status, long endToEndNanos, double queueWaitMs, double providerMs) {
    }

    /**
     * @param args {@code key=value} pairs, see the class comment
     * @throws Exception when the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        Arrays.stream(args).map(a -> a.split("=", 2)).forEach(kv -> options.put(kv[0], kv.length > 1 ? kv[1] : ""));
        Path app = Path.of(options.getOrDefault("app", "llm-gateway/target/quarkus-app"));
        int requests = Integer.parseInt(options.getOrDefault("requests", "1000"));
        long latencyMs = Long.parseLong(options.getOrDefault("latency-ms", "2000"));
        int limit = Integer.parseInt(options.getOrDefault("limit", "5"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "10"));
        int repositories = Integer.parseInt(options.getOrDefault("repositories", "10"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "500"));
        int baseline = Integer.parseInt(options.getOrDefault("baseline", "100"));
        if (!Files.isRegularFile(app.resolve("quarkus-run.jar"))) {
            throw new IllegalArgumentException(app.resolve("quarkus-run.jar") + " not found: package the gateway first");
        }

        try (LocalPostgres postgres = LocalPostgres.start(null, 0); FakeLlmServer fake = FakeLlmServer.start()) {
            fake.latency(request -> request.lastUserMessage().startsWith("warm-up") ? Duration.ZERO
                    : Duration.ofMillis(latencyMs));
            int port = freePort();
            int managementPort = freePort();
            while (managementPort == port) {
                managementPort = freePort();
            }
            Process gateway = startGateway(app, port, managementPort, postgres, fake.baseUrl(),
                    FakeLlmServer.DEFAULT_MODEL, TOKEN, List.of(
                            "-Ddrep.gateway.limits.max-concurrent=" + limit,
                            // the rate limits are raised so that only the concurrency limit binds
                            "-Ddrep.gateway.limits.requests-per-minute=0",
                            "-Ddrep.gateway.limits.tokens-per-minute=0",
                            "-Ddrep.gateway.limits.max-queue-wait=600s"));
            try {
                URI base = URI.create("http://127.0.0.1:" + port);
                // readiness is on the management interface, a port of its own
                awaitReady(URI.create("http://127.0.0.1:" + managementPort), gateway);
                // the run's own client, part of what it measures: a connect timeout, and a timeout on every request
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
                System.out.printf(Locale.ROOT, "warm-up: %d requests at 0 ms provider latency%n", warmup);
                run(client, base, warmup, clients, repositories, "warm-up", null);
                fake.reset();
                fake.latency(Duration.ofMillis(latencyMs));
                // as many at once as the provider sees in the measured run
                double[] direct = baseline(client, URI.create(fake.baseUrl() + "/chat/completions"), baseline,
                        Math.min(clients, limit), latencyMs);
                fake.reset();
                fake.latency(Duration.ofMillis(latencyMs));

                String job = "load-" + UUID.randomUUID();
                System.out.printf(Locale.ROOT, "measured: %d requests, %d ms provider latency, limit %d, %d clients, "
                        + "%d repositories%n", requests, latencyMs, limit, clients, repositories);
                long start = System.nanoTime();
                List<Sample> samples = run(client, base, requests, clients, repositories, "measured", job);
                double elapsed = (System.nanoTime() - start) / 1e9;
                report(samples, elapsed, latencyMs, limit, requests, fake);
                System.out.printf(Locale.ROOT, "baseline, client -> fake provider directly (%d requests, no gateway):"
                                + " time beyond the %d ms latency p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", direct.length,
                        latencyMs, percentile(direct, 50), percentile(direct, 99), percentile(direct, 100));
                double[] added = samples.stream().filter(s -> s.status() == 200)
                        .mapToDouble(s -> s.endToEndNanos() / 1e6 - s.queueWaitMs() - latencyMs).sorted().toArray();
                System.out.printf(Locale.ROOT, "gateway-added latency over the direct call (the percentile through the "
                                + "gateway minus the same percentile straight to the provider): p50 %.3f ms, p99 %.3f ms%n",
                        percentile(added, 50) - percentile(direct, 50), percentile(added, 99) - percentile(direct, 99));
                ledger(base, job, requests);
            } finally {
                gateway.destroy();
                if (!gateway.waitFor(20, TimeUnit.SECONDS)) {
                    gateway.destroyForcibly();
                }
            }
        }
    }

    /**
     * Starts the packaged gateway as a process of its own, against {@code postgres} and the provider at
     * {@code providerBaseUrl}, accepting {@code token} as the analyzer's service token (allowed to name any
     * repository); {@code properties} are further {@code -D} options.
     */
    static Process startGateway(Path app, int port, int managementPort, LocalPostgres postgres, String providerBaseUrl,
            String defaultModel, String token, List<String> properties) throws IOException {
        return startGateway(List.of(), app, port, managementPort, postgres, providerBaseUrl, defaultModel, token,
                properties);
    }

    /**
     * @param launcher what the JVM's command is run through (e.g. a shell that first joins a cgroup), or nothing
     */
    static Process startGateway(List<String> launcher, Path app, int port, int managementPort, LocalPostgres postgres,
            String providerBaseUrl, String defaultModel, String token, List<String> properties) throws IOException {
        Path log = Files.createTempFile("gateway-load-", ".log");
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-Dquarkus.http.port=" + port,
                "-Dquarkus.management.port=" + managementPort,
                "-Ddrep.gateway.provider.base-url=" + providerBaseUrl,
                "-Ddrep.gateway.default-model=" + defaultModel));
        command.addAll(properties);
        command.addAll(List.of("-jar", app.resolve("quarkus-run.jar").toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("DREP_DB_URL", postgres.reactiveUrl());
        builder.environment().put("DREP_DB_JDBC_URL", postgres.jdbcUrl());
        builder.environment().put("DREP_DB_USER", LocalPostgres.USER);
        builder.environment().put("DREP_DB_PASSWORD", LocalPostgres.PASSWORD);
        builder.environment().put("DREP_ANALYZER_TOKEN_SHA256", TokenHashes.sha256(token));
        builder.environment().put("DREP_ADMIN_TOKEN_SHA256", TokenHashes.sha256(ADMIN_TOKEN));
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        System.out.println("gateway log: " + log);
        return builder.start();
    }

    static void awaitReady(URI management, Process gateway) throws Exception {
        // a poll that hangs is a poll that failed: the next one is sent
        TestHttpClient client = TestHttpClient.withRequestTimeout(Duration.ofSeconds(5));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!gateway.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + gateway.exitValue() + "; see its log");
            }
            try {
                HttpResponse<String> ready = client.send(HttpRequest.newBuilder(management.resolve("/q/health/ready")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the gateway did not become ready within 120 s");
    }

    private static List<Sample> run(HttpClient client, URI base, int count, int clients, int repositories,
            String label, String job) throws Exception {
        Semaphore inFlight = new Semaphore(clients);
        ConcurrentLinkedQueue<Sample> samples = new ConcurrentLinkedQueue<>();
        AtomicInteger done = new AtomicInteger();
        List<CompletableFuture<Void>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            String content = label + " request " + i + " " + UUID.randomUUID();
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("/v1/chat/completions"))
                    .timeout(Duration.ofMinutes(5))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer " + TOKEN)
                    .header("X-Drep-Repository", "load/repo-" + (i % repositories))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"default\",\"max_tokens\":64,"
                            + "\"messages\":[{\"role\":\"user\",\"content\":\"" + content + "\"}]}"));
            if (job != null) {
                request.header("X-Drep-Job", job);
            }
            long sent = System.nanoTime();
            all.add(client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString())
                    .handle((response, failure) -> {
                        long took = System.nanoTime() - sent;
                        inFlight.release();
                        if (failure != null) {
                            samples.add(new Sample(-1, took, 0, 0));
                        } else {
                            samples.add(new Sample(response.statusCode(), took,
                                    header(response, "X-Drep-Queue-Wait-Ms"), header(response, "X-Drep-Provider-Ms")));
                        }
                        int n = done.incrementAndGet();
                        if (job != null && n % 100 == 0) {
                            System.out.printf(Locale.ROOT, "  %d/%d done%n", n, count);
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return new ArrayList<>(samples);
    }

    /** @return per request, milliseconds beyond the provider latency, sorted */
    private static double[] baseline(HttpClient client, URI fake, int count, int concurrency, long latencyMs)
            throws Exception {
        if (count == 0) {
            return new double[0];
        }
        System.out.printf(Locale.ROOT, "baseline: %d requests straight to the fake provider, %d at a time%n", count,
                concurrency);
        Semaphore inFlight = new Semaphore(concurrency);
        ConcurrentLinkedQueue<Double> beyond = new ConcurrentLinkedQueue<>();
        List<CompletableFuture<Void>> all = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            inFlight.acquire();
            HttpRequest request = HttpRequest.newBuilder(fake).timeout(Duration.ofMinutes(1))
                    .header("Content-Type", "application/json")
                    .header("Authorization", "Bearer none")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + FakeLlmServer.DEFAULT_MODEL
                            + "\",\"messages\":[{\"role\":\"user\",\"content\":\"baseline " + i + "\"}]}"))
                    .build();
            long sent = System.nanoTime();
            all.add(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, failure) -> {
                inFlight.release();
                if (failure == null && response.statusCode() == 200) {
                    beyond.add((System.nanoTime() - sent) / 1e6 - latencyMs);
                }
                return null;
            }));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(30, TimeUnit.MINUTES);
        return beyond.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    }

    private static double header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).map(Double::parseDouble).orElse(Double.NaN);
    }

    private static void report(List<Sample> samples, double elapsed, long latencyMs, int limit, int requests,
            FakeLlmServer fake) {
        long ok = samples.stream().filter(s -> s.status() == 200).count();
        double ideal = Math.ceil((double) requests / limit) * latencyMs / 1000.0;
        double[] added = samples.stream().filter(s -> s.status() == 200)
                .mapToDouble(s -> s.endToEndNanos() / 1e6 - s.queueWaitMs() - latencyMs).sorted().toArray();
        double[] internal = samples.stream().filter(s -> s.status() == 200)
                .mapToDouble(s -> s.endToEndNanos() / 1e6 - s.queueWaitMs() - s.providerMs()).sorted().toArray();
        double[] queue = samples.stream().filter(s -> s.status() == 200).mapToDouble(Sample::queueWaitMs).sorted()
                .toArray();
        double[] providerCall = samples.stream().filter(s -> s.status() == 200)
                .mapToDouble(s -> s.providerMs() - latencyMs).sorted().toArray();
        System.out.println();
        System.out.println("=== gateway load run ===");
        System.out.printf(Locale.ROOT, "requests: %d sent, %d answered 200, %d other%n", samples.size(), ok,
                samples.size() - ok);
        System.out.printf(Locale.ROOT, "provider peak in flight: %d (limit %d)%n", fake.maxInFlight(), limit);
        System.out.printf(Locale.ROOT, "elapsed: %.1f s; theoretical minimum %.1f s (%d requests / %d at once x %d ms)%n",
                elapsed, ideal, requests, limit, latencyMs);
        System.out.printf(Locale.ROOT, "throughput: %.3f req/s of %.3f possible = %.1f %% of the theoretical maximum%n",
                requests / elapsed, limit * 1000.0 / latencyMs, 100 * ideal / elapsed);
        System.out.printf(Locale.ROOT, "gateway-added latency (end-to-end - queue wait - %d ms provider): "
                        + "p50 %.3f ms, p90 %.3f ms, p99 %.3f ms, max %.3f ms%n", latencyMs, percentile(added, 50),
                percentile(added, 90), percentile(added, 99), percentile(added, 100));
        System.out.printf(Locale.ROOT, "gateway-added latency excluding its provider client (end-to-end - queue wait"
                        + " - X-Drep-Provider-Ms): p50 %.3f ms, p99 %.3f ms%n", percentile(internal, 50),
                percentile(internal, 99));
        System.out.printf(Locale.ROOT, "provider call beyond the %d ms latency (X-Drep-Provider-Ms - latency: the "
                        + "HTTP round trip to the fake and the client's hand-offs): p50 %.3f ms, p99 %.3f ms%n", latencyMs,
                percentile(providerCall, 50), percentile(providerCall, 99));
        System.out.printf(Locale.ROOT, "queue wait (the limit at work): p50 %.1f ms, p99 %.1f ms%n",
                percentile(queue, 50), percentile(queue, 99));
    }

    /**
     * Prints the ledger's totals and, from its records, the time each request spent in the gateway
     * itself as the gateway measured it: latency minus queue wait minus time in provider calls.
     */
    private static void ledger(URI base, String job, int requests) throws Exception {
        TestHttpClient client = TestHttpClient.create();
        JsonNode usage = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            HttpResponse<String> answer = client.send(HttpRequest.newBuilder(
                    base.resolve("/api/usage?limit=1000&job=" + job)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                    .build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException("GET /api/usage answered " + answer.statusCode() + ": " + answer.body());
            }
            usage = JSON.readTree(answer.body());
            if (usage.path("totals").path("requests").asLong() >= requests) {
                break;
            }
            Thread.sleep(200);
        }
        System.out.println("ledger totals for the measured run: " + usage.path("totals"));
        List<Double> inside = new ArrayList<>();
        for (JsonNode record : usage.path("records")) {
            inside.add(record.path("latencyMs").asDouble() - record.path("queueWaitMs").asDouble()
                    - record.path("providerMs").asDouble());
        }
        double[] sorted = inside.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf(Locale.ROOT, "in-gateway time per the ledger (latency - queue wait - provider calls, %d "
                        + "records): p50 %.3f ms, p99 %.3f ms, max %.3f ms%n", sorted.length, percentile(sorted, 50),
                percentile(sorted, 99), percentile(sorted, 100));
    }

    private static double percentile(double[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /**
     * @return a port free now on 127.0.0.1, below the kernel's range of local ports for outgoing connections
     *         ({@code ip_local_port_range}, 32768-60999 by default). A port the kernel picks (port 0) lies in that
     *         range, where the run's own connections (a replica's to PostgreSQL, wrk's, nginx's) take theirs: one of
     *         them can take a gateway's port before the gateway binds it (a run failed with "Port ... seems to be in
     *         use" in session 16).
     */
    static int freePort() throws IOException {
        // through a buffered reader: Files.readString gave only the first byte here ("3" for "32768 60999"), as
        // a sysctl file, whose size says 0, answers a read past its first one with nothing
        int below = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0)
                .trim().split("\\s+")[0]);
        int from = Math.min(20_000, below / 2);
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(from, below);
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                return port;
            } catch (BindException taken) {
                // another listener has it: try another
            }
        }
        throw new IOException("no free port on 127.0.0.1 between " + from + " and " + below + " in 100 tries");
    }
}
