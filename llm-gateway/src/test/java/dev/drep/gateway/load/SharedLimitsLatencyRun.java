package dev.drep.gateway.load;

import dev.drep.embedded.LocalPostgres;
import dev.drep.gateway.limits.AdmissionLimits;
import dev.drep.gateway.limits.PostgresSharedLimits;
import dev.drep.gateway.limits.SharedLimits;
import dev.drep.gateway.time.SystemTicker;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.PgPool;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.PoolOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.flywaydb.core.Flyway;

/**
 * What the shared limits cost per request: the time of the admit statement, of the release
 * statement and of the two in sequence, against an embedded PostgreSQL on this machine, with
 * {@code clients} requests at once (default 4, the figure) over {@code replicas} pools
 * (default 2). Limits are high enough never to refuse, as in the "limits on" benchmark, and
 * the request and token windows are on. Run it with {@code llm-gateway/load/shared-limits.sh}; arguments are
 * {@code key=value}: {@code requests} (20000), {@code warmup} (5000), {@code clients}, {@code replicas}.
 */
public final class SharedLimitsLatencyRun {

    private SharedLimitsLatencyRun() {
    }

    /**
     * @param args {@code key=value} pairs, see the class comment
     * @throws Exception when the run cannot be set up
     */
    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        Arrays.stream(args).map(a -> a.split("=", 2)).forEach(kv -> options.put(kv[0], kv.length > 1 ? kv[1] : ""));
        int requests = Integer.parseInt(options.getOrDefault("requests", "20000"));
        int warmup = Integer.parseInt(options.getOrDefault("warmup", "5000"));
        int clients = Integer.parseInt(options.getOrDefault("clients", "4"));
        int replicaCount = Integer.parseInt(options.getOrDefault("replicas", "2"));
        try (LocalPostgres postgres = LocalPostgres.start(null, 0)) {
            Flyway.configure().dataSource(postgres.jdbcUrl(), LocalPostgres.USER, LocalPostgres.PASSWORD)
                    .schemas("gateway").defaultSchema("gateway").load().migrate();
            Vertx vertx = Vertx.vertx();
            AdmissionLimits limits = new AdmissionLimits(10_000, 10_000, 100_000_000, 100_000_000_000L,
                    Duration.ofMinutes(1), Duration.ofMinutes(1), 10_000);
            List<PostgresSharedLimits> replicas = new ArrayList<>();
            List<Pool> pools = new ArrayList<>();
            SystemTicker ticker = new SystemTicker("latency-run");
            for (int i = 0; i < replicaCount; i++) {
                Pool pool = PgPool.pool(vertx, PgConnectOptions.fromUri(postgres.reactiveUrl())
                        .setUser(LocalPostgres.USER).setPassword(LocalPostgres.PASSWORD),
                        new PoolOptions().setMaxSize(clients));
                pools.add(pool);
                PostgresSharedLimits shared = new PostgresSharedLimits(pool, limits, ticker, UUID.randomUUID(),
                        Duration.ofSeconds(15), Duration.ofMillis(50));
                shared.start().await().atMost(Duration.ofSeconds(10));
                replicas.add(shared);
            }
            run(replicas, warmup, clients);
            Result result = run(replicas, requests, clients);
            System.out.printf(Locale.ROOT, "shared limits on PostgreSQL, %d requests, %d at once over %d replicas%n",
                    requests, clients, replicaCount);
            System.out.printf(Locale.ROOT, "  admit    p50 %.3f ms  p99 %.3f ms%n", pct(result.admit, 50), pct(result.admit, 99));
            System.out.printf(Locale.ROOT, "  release  p50 %.3f ms  p99 %.3f ms%n", pct(result.release, 50),
                    pct(result.release, 99));
            System.out.printf(Locale.ROOT, "  both     p50 %.3f ms  p99 %.3f ms  (%.0f requests/s)%n",
                    pct(result.both, 50), pct(result.both, 99), requests / (result.wallNanos / 1e9));
            replicas.forEach(PostgresSharedLimits::close);
            ticker.close();
            pools.forEach(Pool::closeAndAwait);
            vertx.closeAndAwait();
        }
    }

    private record Result(List<Long> admit, List<Long> release, List<Long> both, long wallNanos) {
    }

    private static Result run(List<PostgresSharedLimits> replicas, int requests, int clients) {
        ConcurrentLinkedQueue<long[]> samples = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        List<CompletableFuture<Void>> lanes = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            PostgresSharedLimits replica = replicas.get(c % replicas.size());
            int share = requests / clients;
            lanes.add(lane(replica, "repo-" + c, share, samples));
        }
        CompletableFuture.allOf(lanes.toArray(CompletableFuture[]::new)).join();
        long wall = System.nanoTime() - start;
        List<Long> admit = new ArrayList<>();
        List<Long> release = new ArrayList<>();
        List<Long> both = new ArrayList<>();
        for (long[] s : samples) {
            admit.add(s[0]);
            release.add(s[1]);
            both.add(s[0] + s[1]);
        }
        Collections.sort(admit);
        Collections.sort(release);
        Collections.sort(both);
        return new Result(admit, release, both, wall);
    }

    /**
     * One client: admit, release, next, each waiting for the previous. Admissions a replica answers from what it
     * holds complete at once, so the client loops rather than chains (a chain of thousands would overflow the stack).
     */
    private static CompletableFuture<Void> lane(PostgresSharedLimits replica, String repository, int count,
            ConcurrentLinkedQueue<long[]> samples) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Object() {
            int left = count;

            void next() {
                while (left > 0) {
                    UUID permit = UUID.randomUUID();
                    long t0 = System.nanoTime();
                    CompletableFuture<SharedLimits.Verdict> admit = replica.tryAdmit(permit, repository, 100)
                            .toCompletableFuture();
                    if (!admit.isDone()) {
                        admit.whenComplete((verdict, failure) -> {
                            if (admitted(permit, t0, verdict, failure)) {
                                next();
                            }
                        });
                        return;
                    }
                    if (!admitted(permit, t0, admit.join(), null)) {
                        return;
                    }
                }
                done.complete(null);
            }

            boolean admitted(UUID permit, long t0, SharedLimits.Verdict verdict, Throwable failure) {
                if (failure != null || verdict.outcome() != SharedLimits.Outcome.ADMITTED) {
                    done.completeExceptionally(failure != null ? failure
                            : new IllegalStateException("not admitted: " + verdict));
                    return false;
                }
                long t1 = System.nanoTime();
                replica.release(permit, 90).toCompletableFuture().join();
                samples.add(new long[] {t1 - t0, System.nanoTime() - t1});
                left--;
                return true;
            }
        }.next();
        return done;
    }

    private static double pct(List<Long> sorted, int percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
